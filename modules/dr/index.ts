/**
 * dr — copies in a second region for disaster recovery (seed 000 §4.3 "Multi-AZ em múltiplas
 * regiões", §11 "Configurar backups cross-region (DR)"; docs/decisions.md D75).
 *
 * Owns: in the DR region (provider alias `aws.<dr_region>`): a data key, one replica bucket per
 * replicated bucket (`<source>-dr`, SSE-KMS with the DR key, versioned, access-logged), a logs
 * bucket for their server access logs, and the replication of the primary database's automated
 * backups (point-in-time restore in the DR region). In the primary region: the S3 replication role
 * and the replication configuration of each source bucket.
 * Parts: inputs.ts (variables as tokens), dr-region.ts (the DR region's pieces), replication.ts (primary region).
 * Depends on: storage (the source buckets) and database (the primary instance); nothing depends on it.
 */
import type { Construct } from "constructs";
import { ModuleStack } from "../../lib/core/module-stack";
import { hcl } from "../../lib/core/tokens";
import type { DrConfig } from "./config";
import { drRegionCopies } from "./dr-region";
import { drInputs } from "./inputs";
import { replication } from "./replication";

export { DR_ACCESS_LOG_PREFIX } from "./dr-region";

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
  /** The environment's `dr` section: `region` (of the copies; must differ from `sourceRegion`) and `backupRetentionDays`. */
  readonly settings: DrConfig;
  /** Region of the primary resources. */
  readonly sourceRegion: string;
  /** Account id (key policy, ARNs). */
  readonly accountId: string;
  /** Name of the DR logs bucket. */
  readonly logsBucketName: string;
  /** Identifier of the primary DB instance (database module). */
  readonly dbInstanceIdentifier: string;
  /** The data key of the primary region (security module): S3 decrypts source objects with it. */
  readonly sourceDataKmsKeyArn: string;
  /** Buckets to replicate (storage module outputs), decided at synthesis (one replica bucket each). @default none */
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
    const drRegion = props.settings.region;
    if (!drRegion) throw new Error("dr: the DR region (dr.region) is required");
    if (drRegion === props.sourceRegion) throw new Error(`dr: the DR region ${drRegion} is the source region`);
    this.alias = regionAlias(drRegion);
    const vars = drInputs(this.input.bind(this), props, drRegion);
    const copies = drRegionCopies(this, this.alias, vars, props.preventDestroy);
    replication(this, vars, copies);

    this.output("dr_region", vars.drRegion, "Region of the DR copies.");
    this.output("dr_kms_key_arn", copies.key.arn, "Key of the DR copies (restores in the DR region use it).");
    this.output(
      "dr_backup_replication_arn",
      copies.backups.id,
      "ARN of the replicated automated backups (restore-db-instance-to-point-in-time --source-db-instance-automated-backups-arn).",
    );
    // An HCL object with bare keys: `{ ml_models = aws_s3_bucket.ml_models.bucket, … }`.
    const names = copies.replicas.map((r) => `${r.key} = ${r.bucket.bucket}`).join(", ");
    this.output("dr_bucket_names", hcl`{ ${names} }`, "Replica bucket names by source bucket.");
  }
}
