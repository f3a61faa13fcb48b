/**
 * database — the primary instance `<identifier>` and the log groups RDS exports to. The class, storage, Multi-AZ,
 * backups and "apply now" come from the knob tokens (the operator's tfvars values).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance, type DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import { conditional, Fn, Op, TerraformIterator, Token, type IResolvable } from "cdktf";
import type { Construct } from "constructs";
import { generatedValue } from "../../lib/constructs/generated-token";
import { ZERO } from "../../lib/core/tokens";
import type { KnobTokens } from "../../lib/core/knobs";
import { forEachOf, named } from "../../lib/core/module-stack";
import type { DATABASE_KNOBS } from "./config";

/** Log types exported to CloudWatch Logs. */
export const RDS_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** The current RDS certificate authority. */
export const RDS_CA = "rds-ca-rsa2048-g1";

export type DatabaseKnobs = KnobTokens<typeof DATABASE_KNOBS.knobs>;

/** What primary and replicas share: tokens of the module's inputs and of its other parts. */
export interface InstanceBase {
  readonly knobs: DatabaseKnobs;
  readonly dataKey: string;
  readonly securityGroupId: string;
  readonly parameterGroupName: string;
  readonly performanceInsights: IResolvable;
  readonly monitoringInterval: number;
  readonly monitoringRoleArn: string;
  readonly maintenanceWindow: string;
  readonly deletionProtection: IResolvable;
}

/** The arguments primary and replicas share. */
export function instanceCommon(b: InstanceBase) {
  return {
    instanceClass: b.knobs.db_instance_class,
    storageType: "gp3",
    storageEncrypted: true,
    kmsKeyId: b.dataKey,
    vpcSecurityGroupIds: [b.securityGroupId],
    parameterGroupName: b.parameterGroupName,
    publiclyAccessible: false,
    iamDatabaseAuthenticationEnabled: true,
    copyTagsToSnapshot: true,
    caCertIdentifier: RDS_CA,
    autoMinorVersionUpgrade: true,
    performanceInsightsEnabled: b.performanceInsights,
    performanceInsightsKmsKeyId: Token.asString(conditional(b.performanceInsights, b.dataKey, null)),
    performanceInsightsRetentionPeriod: Token.asNumber(conditional(b.performanceInsights, 7, null)),
    monitoringInterval: b.monitoringInterval,
    monitoringRoleArn: b.monitoringRoleArn,
    enabledCloudwatchLogsExports: [...RDS_LOG_EXPORTS],
    maintenanceWindow: b.maintenanceWindow,
    deletionProtection: b.deletionProtection,
    // Runbook knob (seed 000 §8.4): an incident change now instead of in the maintenance window.
    applyImmediately: b.knobs.db_apply_immediately,
  } satisfies Partial<DbInstanceConfig>;
}

export interface PrimaryProps {
  readonly base: InstanceBase;
  /** `<name>-<identifierSuffix>`, the instance identifier. */
  readonly identifier: string;
  /** Tokens of the module's inputs. */
  readonly engineVersion: string;
  readonly maxAllocatedStorage: number;
  readonly dbName: string;
  readonly username: string;
  readonly masterPasswordVersion: number;
  readonly backupWindow: string;
  readonly finalSnapshot: IResolvable;
  readonly logRetentionDays: number;
  readonly logsKey: string;
  readonly subnetGroupName: string;
  /** `terraform_data.master_password`. */
  readonly masterPassword: Parameters<typeof generatedValue>[0];
  readonly preventDestroy: boolean;
}

/** `aws_db_instance.postgres` and `aws_cloudwatch_log_group.postgres` (one per exported log type). */
export function primaryInstance(scope: Construct, p: PrimaryProps): DbInstance {
  const knobs = p.base.knobs;
  const logTypes = TerraformIterator.fromList([...RDS_LOG_EXPORTS]);
  const logGroup = named(
    new CloudwatchLogGroup(scope, "db_logs", {
      name: `/aws/rds/instance/${p.identifier}/${logTypes.key}`,
      retentionInDays: p.logRetentionDays,
      kmsKeyId: p.logsKey,
    }),
    "postgres",
  );
  forEachOf(logGroup, logTypes._getForEachExpression());
  return named(
    new DbInstance(scope, "db_primary", {
      ...instanceCommon(p.base),
      identifier: p.identifier,
      engine: "postgres",
      engineVersion: p.engineVersion,
      allocatedStorage: knobs.db_allocated_storage,
      maxAllocatedStorage: Fn.coalesce([p.maxAllocatedStorage, Op.mul(knobs.db_allocated_storage, 4)]),
      dbName: p.dbName,
      username: p.username,
      // Write-only: Terraform sends it to RDS when the version changes and never stores it in this
      // resource's state (Terraform >= 1.11). The secret version holds the same value.
      passwordWo: generatedValue(p.masterPassword),
      passwordWoVersion: p.masterPasswordVersion,
      dbSubnetGroupName: p.subnetGroupName,
      multiAz: knobs.db_multi_az,
      backupRetentionPeriod: knobs.db_backup_retention_period,
      backupWindow: p.backupWindow,
      skipFinalSnapshot: Op.not(p.finalSnapshot),
      // Runbook knob: the operator names the snapshot a destroy takes (the full redeploy restores from it).
      // Runbook knob: the operator names the snapshot a destroy takes (the full redeploy restores from it); coalesce
      // skips the empty string.
      finalSnapshotIdentifier: Fn.coalesce([knobs.db_final_snapshot_identifier, `${p.identifier}-final`]),
      // Runbook knob: a restore of that snapshot replaces the instance (snapshot_identifier forces a new resource) with
      // the same identifier, address and settings, under Terraform. The provider keeps the value it was created from
      // (the attribute is optional and computed), so clearing the knob afterwards plans no change.
      snapshotIdentifier: Token.asString(
        conditional(Op.eq(Fn.lengthOf(knobs.db_snapshot_identifier), ZERO), null, knobs.db_snapshot_identifier),
      ),
      dependsOn: [logGroup],
      lifecycle: { preventDestroy: p.preventDestroy },
    }),
    "postgres",
  );
}
