/**
 * dr — copies in a second region for disaster recovery (seed 000 §4.3 "Multi-AZ em múltiplas
 * regiões", §11 "Configurar backups cross-region (DR)"; docs/decisions.md D75).
 *
 * Owns: in the DR region (provider alias `aws.<dr_region>`): a data key, one replica bucket per
 * replicated bucket (`<source>-dr`, SSE-KMS with the DR key, versioned, access-logged), a logs
 * bucket for their server access logs, and the replication of the primary database's automated
 * backups (point-in-time restore in the DR region). In the primary region: the S3 replication role
 * and the replication configuration of each source bucket.
 * Parts: props.ts (what the module takes), inputs.ts (variables as tokens), dr-region.ts (the DR region's pieces), replication.ts (primary region).
 * Depends on: storage (the source buckets) and database (the primary instance); nothing depends on it.
 */
import type { Construct } from "constructs";
import { ModuleStack } from "../../lib/core/module-stack";
import { hcl } from "../../lib/core/tokens";
import { drRegionCopies } from "./dr-region";
import { drInputs } from "./inputs";
import type { DrProps } from "./props";
import { replication } from "./replication";

export { DR_ACCESS_LOG_PREFIX } from "./dr-region";
export type { DrBucket, DrProps } from "./props";

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
