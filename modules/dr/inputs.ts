/** The dr module's variables, returned as typed tokens. */
import type { TerraformVariable } from "cdktf";
import { range } from "../../lib/core/rules";
import type { InputSpec } from "../../lib/core/module-stack";
import type { DrProps } from "./props";

/** `ModuleStack.input`, bound to the module. */
type InputFn = (name: string, value: unknown, spec: InputSpec) => TerraformVariable;

/** A replicated bucket's variables: the source's name and ARN (storage module outputs) as tokens. */
export interface DrBucketVars {
  /** Terraform name of the source and of its replica, e.g. `ml_models`. */
  readonly key: string;
  readonly name: string;
  readonly arn: string;
}

export interface DrVars {
  readonly name: string;
  readonly drRegion: string;
  readonly sourceRegion: string;
  readonly accountId: string;
  readonly logsBucketName: string;
  readonly dbInstanceIdentifier: string;
  readonly backupRetentionDays: number;
  readonly sourceDataKmsKeyArn: string;
  readonly kmsDeletionWindowDays: number;
  readonly buckets: readonly DrBucketVars[];
}

export function drInputs(input: InputFn, props: DrProps, drRegion: string): DrVars {
  const str = (name: string, value: unknown, description: string) =>
    input(name, value, { type: "string", description }).stringValue;
  // Declared in the order of the module's variables block (the generated docs list them so).
  const name = str("name", props.name, "Name prefix of the replication role.");
  const drRegionVar = str("dr_region", drRegion, "Region of the copies (the provider alias passed in must be in it).");
  const sourceRegion = str("source_region", props.sourceRegion, "Region of the primary resources.");
  const accountId = str("account_id", props.accountId, "AWS account id.");
  const logsBucketName = str(
    "logs_bucket_name",
    props.logsBucketName,
    "Name of the DR logs bucket (replicas' access logs).",
  );
  const dbInstanceIdentifier = str(
    "db_instance_identifier",
    props.dbInstanceIdentifier,
    "Identifier of the primary DB instance whose automated backups are replicated.",
  );
  const retention = input("backup_retention_days", props.settings.backupRetentionDays, {
    type: "number",
    description: "Days of replicated automated backups kept in the DR region.",
    validations: [
      {
        condition: range("backup_retention_days", { min: 1, max: 35 }),
        errorMessage: "backup_retention_days must be 1 to 35 (RDS keeps at most 35 days of backups).",
      },
    ],
  });
  return {
    name,
    drRegion: drRegionVar,
    sourceRegion,
    accountId,
    logsBucketName,
    dbInstanceIdentifier,
    backupRetentionDays: retention.numberValue,
    sourceDataKmsKeyArn: str(
      "source_data_kms_key_arn",
      props.sourceDataKmsKeyArn,
      "Data key of the primary region (decrypts source objects).",
    ),
    kmsDeletionWindowDays: input("kms_deletion_window_days", props.kmsDeletionWindowDays, {
      type: "number",
      description: "Deletion window of the DR key, days.",
    }).numberValue,
    buckets: (props.buckets ?? []).map((b) => ({
      key: b.key,
      name: str(`${b.key}_bucket_name`, b.name, `Name of the source ${b.key} bucket.`),
      arn: str(`${b.key}_bucket_arn`, b.arn, `ARN of the source ${b.key} bucket.`),
    })),
  };
}
