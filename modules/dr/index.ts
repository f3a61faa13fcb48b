/**
 * dr — copies in a second region for disaster recovery (seed 000 §4.3 "Multi-AZ em múltiplas
 * regiões", §11 "Configurar backups cross-region (DR)"; docs/decisions.md D75).
 *
 * Owns: in the DR region (provider alias `aws.<dr_region>`): a data key, one replica bucket per
 * replicated bucket (`<source>-dr`, SSE-KMS with the DR key, versioned, access-logged), a logs
 * bucket for their server access logs, and the replication of the primary database's automated
 * backups (point-in-time restore in the DR region). In the primary region: the S3 replication role
 * and the replication configuration of each source bucket.
 * Depends on: storage (the source buckets) and database (the primary instance); nothing depends on it.
 */
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { policyDocument, serviceTrust, type PolicyStatement } from "../../lib/constructs/iam";
import { expr, ModuleStack, named, onProvider } from "../../lib/core/module-stack";
import { BUCKET_ARN, secureBucket } from "../../lib/constructs/secure-bucket";
import { keyPolicy } from "../security/kms";

/** Prefix of the replicas' server access logs inside the DR logs bucket. */
export const DR_ACCESS_LOG_PREFIX = "s3-access";

export interface DrBucket {
  /** Terraform name of the source and of its replica, e.g. `ml_models`. */
  readonly key: string;
  /** Source bucket name (storage module output). */
  readonly name: string;
  /** Source bucket ARN (storage module output). */
  readonly arn: string;
}

export interface DrProps {
  /** Name prefix of the role, e.g. `<project>-production`. */
  readonly name: string;
  /** Region of the copies; must differ from `sourceRegion`. */
  readonly drRegion: string;
  /** Region of the primary resources. */
  readonly sourceRegion: string;
  /** Account id (key policy, ARNs). */
  readonly accountId: string;
  /** Name of the DR logs bucket. */
  readonly logsBucketName: string;
  /** Identifier of the primary DB instance (database module). */
  readonly dbInstanceIdentifier: string;
  /** Days of replicated automated backups kept in the DR region (1–35). @default 7 */
  readonly backupRetentionDays?: number;
  /** The data key of the primary region (security module): S3 decrypts source objects with it. */
  readonly sourceDataKmsKeyArn: string;
  /** Buckets to replicate; decided at synthesis (one replica bucket each). @default none */
  readonly buckets?: readonly DrBucket[];
  /** Deletion window of the DR key, days. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /** `prevent_destroy` on the DR key and buckets (decided at synthesis). @default false */
  readonly preventDestroy?: boolean;
}

/** `us-east-2` → provider alias `us_east_2`. */
export function regionAlias(region: string): string {
  return region.replace(/-/g, "_");
}

export class DrModule extends ModuleStack {
  private readonly alias: string;

  override get providerAliases(): readonly string[] {
    return [this.alias];
  }

  constructor(scope: Construct, workspace: string, props: DrProps) {
    super(scope, workspace, "dr");
    if (props.drRegion === props.sourceRegion)
      throw new Error(`dr: the DR region ${props.drRegion} is the source region`);
    this.alias = regionAlias(props.drRegion);
    const alias = this.alias;
    const inDr = <T extends TerraformResource>(r: T): T => onProvider(r, alias);

    const name = this.input("name", props.name, {
      type: "string",
      description: "Name prefix of the replication role.",
    }).stringValue;
    const drRegion = this.input("dr_region", props.drRegion, {
      type: "string",
      description: "Region of the copies (the provider alias passed in must be in it).",
    }).stringValue;
    const sourceRegion = this.input("source_region", props.sourceRegion, {
      type: "string",
      description: "Region of the primary resources.",
    }).stringValue;
    const account = this.input("account_id", props.accountId, {
      type: "string",
      description: "AWS account id.",
    }).stringValue;
    this.input("logs_bucket_name", props.logsBucketName, {
      type: "string",
      description: "Name of the DR logs bucket (replicas' access logs).",
    });
    const dbId = this.input("db_instance_identifier", props.dbInstanceIdentifier, {
      type: "string",
      description: "Identifier of the primary DB instance whose automated backups are replicated.",
    }).stringValue;
    const retention = this.input("backup_retention_days", props.backupRetentionDays, {
      type: "number",
      description: "Days of replicated automated backups kept in the DR region.",
      default: 7,
      validations: [
        {
          condition: "var.backup_retention_days >= 1 && var.backup_retention_days <= 35",
          errorMessage: "backup_retention_days must be 1 to 35 (RDS keeps at most 35 days of backups).",
        },
      ],
    }).numberValue;
    const sourceKey = this.input("source_data_kms_key_arn", props.sourceDataKmsKeyArn, {
      type: "string",
      description: "Data key of the primary region (decrypts source objects).",
    }).stringValue;
    const deletionWindow = this.input("kms_deletion_window_days", props.kmsDeletionWindowDays, {
      type: "number",
      description: "Deletion window of the DR key, days.",
      default: 30,
    }).numberValue;
    const buckets = props.buckets ?? [];
    for (const b of buckets) {
      this.input(`${b.key}_bucket_name`, b.name, {
        type: "string",
        description: `Name of the source ${b.key} bucket.`,
      });
      this.input(`${b.key}_bucket_arn`, b.arn, { type: "string", description: `ARN of the source ${b.key} bucket.` });
    }

    // --- DR region: key, logs bucket, replicas, backups ---------------------------------------------
    const key = inDr(
      named(
        new KmsKey(this, "dr_key", {
          description: `DR copies (backups, bucket replicas) of ${name}`,
          enableKeyRotation: true,
          deletionWindowInDays: deletionWindow,
          policy: policyDocument(keyPolicy("data", { account, region: drRegion, name })),
          lifecycle: { preventDestroy: props.preventDestroy ?? false },
        }),
        "dr",
      ),
    );
    const keyArn = key.arn;

    // S3 server access logs only go to an SSE-S3 bucket in the same region.
    const logs = secureBucket(this, "logs", {
      providerAlias: alias,
      bucket: expr("var.logs_bucket_name"),
      versioning: true,
      preventDestroy: props.preventDestroy,
      lifecycle: [{ id: "expire-logs", expirationDays: 90, noncurrentVersionExpirationDays: 7 }],
      policyStatements: [
        {
          Sid: "S3WritesServerAccessLogs",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${BUCKET_ARN}/${DR_ACCESS_LOG_PREFIX}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    });

    const replicaArns: string[] = [];
    const sourceArns: string[] = [];
    for (const b of buckets) {
      const replica = secureBucket(this, b.key, {
        providerAlias: alias,
        bucket: expr(`"\${var.${b.key}_bucket_name}-dr"`),
        kmsKeyArn: keyArn,
        versioning: true,
        preventDestroy: props.preventDestroy,
        lifecycle: [{ id: "old-versions", noncurrentVersionExpirationDays: 30 }],
      });
      inDr(
        named(
          new S3BucketLoggingA(this, `${b.key}_logging`, {
            bucket: replica.attr("id"),
            targetBucket: logs.attr("id"),
            targetPrefix: `${DR_ACCESS_LOG_PREFIX}/${b.key}/`,
          }),
          b.key,
        ),
      );
      replicaArns.push(replica.attr("arn"));
      sourceArns.push(`\${var.${b.key}_bucket_arn}`);
    }

    inDr(
      named(
        new DbInstanceAutomatedBackupsReplication(this, "db_backups", {
          sourceDbInstanceArn: `arn:aws:rds:${sourceRegion}:${account}:db:${dbId}`,
          retentionPeriod: retention,
          kmsKeyId: keyArn,
        }),
        "postgres",
      ),
    );

    // --- Primary region: replication role and rules ------------------------------------------------
    if (buckets.length > 0) {
      const role = named(
        new IamRole(this, "replication_role", {
          name: `${name}-s3-replication`,
          description: "S3 replicates the DR buckets to the DR region",
          assumeRolePolicy: serviceTrust("s3.amazonaws.com", { StringEquals: { "aws:SourceAccount": account } }),
        }),
        "replication",
      );
      const statements: PolicyStatement[] = [
        {
          Sid: "ReadReplicationConfiguration",
          Effect: "Allow",
          Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
          Resource: sourceArns,
        },
        {
          Sid: "ReadSourceVersions",
          Effect: "Allow",
          Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          Resource: sourceArns.map((a) => `${a}/*`),
        },
        {
          Sid: "WriteReplicas",
          Effect: "Allow",
          Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
          Resource: replicaArns.map((a) => `${a}/*`),
        },
        {
          Sid: "DecryptSourceObjects",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: sourceKey,
          Condition: { StringEquals: { "kms:ViaService": `s3.${sourceRegion}.amazonaws.com` } },
        },
        {
          Sid: "EncryptReplicas",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:GenerateDataKey"],
          Resource: keyArn,
          Condition: { StringEquals: { "kms:ViaService": `s3.${drRegion}.amazonaws.com` } },
        },
      ];
      named(
        new IamRolePolicy(this, "replication_policy", {
          name: "replicate-to-dr",
          role: role.id,
          policy: policyDocument(statements),
        }),
        "replication",
      );

      buckets.forEach((b, i) => {
        named(
          new S3BucketReplicationConfigurationA(this, `${b.key}_replication`, {
            role: role.arn,
            bucket: expr(`var.${b.key}_bucket_name`),
            rule: [
              {
                id: "to-dr-region",
                status: "Enabled",
                filter: { prefix: "" },
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: { bucket: replicaArns[i], encryptionConfiguration: { replicaKmsKeyId: keyArn } },
              },
            ],
          }),
          b.key,
          // The replica must be versioned before S3 accepts the rule.
        ).addOverride("depends_on", [`aws_s3_bucket_versioning.${b.key}`]);
      });
    }

    this.output("dr_region", drRegion, "Region of the DR copies.");
    this.output("dr_kms_key_arn", keyArn, "Key of the DR copies (restores in the DR region use it).");
    this.output(
      "dr_backup_replication_arn",
      expr("aws_db_instance_automated_backups_replication.postgres.id"),
      "ARN of the replicated automated backups (restore-db-instance-to-point-in-time --source-db-instance-automated-backups-arn).",
    );
    this.output(
      "dr_bucket_names",
      expr(`{ ${buckets.map((b) => `${b.key} = aws_s3_bucket.${b.key}.bucket`).join(", ")} }`),
      "Replica bucket names by source bucket.",
    );
  }
}
