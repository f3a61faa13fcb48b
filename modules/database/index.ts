/**
 * database — RDS for PostgreSQL (seed 001 `terraform/modules/database`).
 *
 * Owns: the primary instance `<name>-postgres` and its read replicas, the postgres parameter group
 * (seed 001's parameters plus `rds.force_ssl`), the subnet group, its security group (5432 only
 * from the app group, plus the matching egress rule on the app group), the Enhanced Monitoring
 * role and the log groups RDS exports to. The master password is generated and kept by RDS in
 * Secrets Manager (`manage_master_user_password`), encrypted with the data key.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { Construct } from "constructs";
import { DATABASE_KNOBS } from "../../environments/knobs";
import { allowFrom, securityGroup, type DataTierPlacement } from "../../lib/access";
import { serviceTrust } from "../../lib/iam";
import { expr, ModuleStack, named } from "../../lib/module-stack";

export const POSTGRES_PORT = 5432;
/** Log types exported to CloudWatch Logs. */
export const RDS_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** The current RDS certificate authority. */
export const RDS_CA = "rds-ca-rsa2048-g1";

export interface DatabaseProps extends DataTierPlacement {
  /** Name prefix; the instance is `<name>-postgres`. */
  readonly name: string;
  /** Root knob values (tokens of the root variables). */
  readonly knobs: Record<string, unknown>;
  /** @default "15" */
  readonly engineVersion?: string;
  /** @default 4 × allocated storage */
  readonly maxAllocatedStorage?: number;
  /** @default instance class */
  readonly replicaInstanceClass?: string;
  /** @default 200 */
  readonly maxConnections?: number;
  /** @default 16 */
  readonly workMemMb?: number;
  /** @default RDS's formula */
  readonly effectiveCacheSizeGb?: number;
  /** @default 60 */
  readonly monitoringInterval?: number;
  /** @default true */
  readonly performanceInsights?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default true */
  readonly finalSnapshot?: boolean;
  /** `prevent_destroy` is a literal in Terraform, so it is decided at synthesis. @default false */
  readonly preventDestroy?: boolean;
  /** @default "sun:06:00-sun:07:00" */
  readonly maintenanceWindow?: string;
  /** @default "03:00-04:00" */
  readonly backupWindow?: string;
  /** @default 30 */
  readonly logRetentionDays?: number;
  /** @default "eduautismo" */
  readonly databaseName?: string;
  /** @default "eduautismo_admin" */
  readonly masterUsername?: string;
}

export class DatabaseModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: DatabaseProps) {
    super(scope, workspace, "database");

    const name = this.input("name", props.name, { type: "string", description: "Name prefix; the instance is <name>-postgres." }).stringValue;
    const vpcId = this.input("vpc_id", props.vpcId, { type: "string", description: "VPC of the database." }).stringValue;
    this.input("subnet_ids", props.subnetIds, { type: "list(string)", description: "Subnets of the DB subnet group (database tier)." });
    const appSg = this.input("app_security_group_id", props.appSecurityGroupId, { type: "string", description: "Security group allowed to connect." }).stringValue;
    const dataKey = this.input("data_kms_key_arn", props.dataKmsKeyArn, { type: "string", description: "KMS key for storage, Performance Insights and the master secret." }).stringValue;
    const logsKey = this.input("logs_kms_key_arn", props.logsKmsKeyArn, { type: "string", description: "KMS key of the exported log groups." }).stringValue;
    // Runbook knobs: validated once, on the root variables that feed them (environments/knobs.ts).
    for (const knob of DATABASE_KNOBS) {
      this.input(knob.variable, props.knobs[knob.variable], { type: knob.type, description: knob.description });
    }
    const engineVersion = this.input("engine_version", props.engineVersion, { type: "string", description: "PostgreSQL major version (minor upgrades are automatic).", default: "15" }).stringValue;
    this.input("max_allocated_storage", props.maxAllocatedStorage ?? null, { type: "number", description: "Storage autoscaling ceiling, GB; null for 4 × allocated.", default: null, nullable: true });
    this.input("replica_instance_class", props.replicaInstanceClass ?? null, { type: "string", description: "Instance class of the replicas; null for the primary's.", default: null, nullable: true });
    const monitoring = this.input("monitoring_interval", props.monitoringInterval, { type: "number", description: "Enhanced Monitoring interval (0 off).", default: 60 }).numberValue;
    this.input("performance_insights_enabled", props.performanceInsights, { type: "bool", description: "Performance Insights (7-day free retention).", default: true });
    const deletionProtection = this.input("deletion_protection", props.deletionProtection, { type: "bool", description: "Refuse deletion through the API.", default: true }).booleanValue;
    this.input("final_snapshot", props.finalSnapshot, { type: "bool", description: "Take <identifier>-final on destroy.", default: true });
    const maintenance = this.input("maintenance_window", props.maintenanceWindow, { type: "string", description: "Weekly maintenance window (UTC).", default: "sun:06:00-sun:07:00" }).stringValue;
    const backupWindow = this.input("backup_window", props.backupWindow, { type: "string", description: "Daily backup window (UTC).", default: "03:00-04:00" }).stringValue;
    const logRetention = this.input("log_retention_days", props.logRetentionDays, { type: "number", description: "Retention of the exported log groups.", default: 30 }).numberValue;
    const dbName = this.input("database_name", props.databaseName, { type: "string", description: "Initial database.", default: "eduautismo" }).stringValue;
    const username = this.input("master_username", props.masterUsername, { type: "string", description: "Master user (password managed by RDS).", default: "eduautismo_admin" }).stringValue;

    const sg = securityGroup(this, "postgres", `${name}-postgres`, "RDS PostgreSQL: 5432 from the application tasks only", vpcId);
    allowFrom(this, { name: "postgres", id: sg.id }, { name: "app", id: appSg }, POSTGRES_PORT, "PostgreSQL from the application tasks");

    const subnets = named(
      new DbSubnetGroup(this, "db_subnets", {
        name: `${name}-postgres`,
        description: "Database subnets of the PostgreSQL instances",
        subnetIds: expr("var.subnet_ids") as unknown as string[],
      }),
      "postgres",
    );

    // Units are RDS's: work_mem in kB, effective_cache_size in 8 kB pages.
    const parameters: { name: string; value: string; applyMethod: string }[] = [
      { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
      { name: "max_connections", value: String(props.maxConnections ?? 200), applyMethod: "pending-reboot" },
      { name: "work_mem", value: String((props.workMemMb ?? 16) * 1024), applyMethod: "immediate" },
      { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    ];
    if (props.effectiveCacheSizeGb !== undefined) {
      parameters.push({ name: "effective_cache_size", value: String(Math.round((props.effectiveCacheSizeGb * 1024 * 1024) / 8)), applyMethod: "immediate" });
    }
    const params = named(
      new DbParameterGroup(this, "db_params", {
        name: `${name}-postgres\${var.engine_version}`,
        family: "postgres${var.engine_version}",
        description: "PostgreSQL parameters of the platform (seed 001)",
        parameter: parameters,
        lifecycle: { createBeforeDestroy: true },
      }),
      "postgres",
    );

    const monitoringRole = named(
      new IamRole(this, "monitoring_role", {
        name: `${name}-rds-monitoring`,
        description: "Lets RDS Enhanced Monitoring publish OS metrics",
        assumeRolePolicy: serviceTrust("monitoring.rds.amazonaws.com"),
      }),
      "rds_monitoring",
    );
    monitoringRole.addOverride("count", expr("var.monitoring_interval > 0 ? 1 : 0"));
    named(
      new IamRolePolicyAttachment(this, "monitoring_policy", {
        role: expr("aws_iam_role.rds_monitoring[0].name"),
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
      }),
      "rds_monitoring",
    ).addOverride("count", expr("var.monitoring_interval > 0 ? 1 : 0"));

    const identifier = `${name}-postgres`;
    const logGroup = named(
      new CloudwatchLogGroup(this, "db_logs", { name: `/aws/rds/instance/${identifier}/\${each.key}`, retentionInDays: logRetention, kmsKeyId: logsKey }),
      "postgres",
    );
    logGroup.addOverride("for_each", expr(`toset(${JSON.stringify(RDS_LOG_EXPORTS)})`));

    const common = {
      instanceClass: expr("var.db_instance_class"),
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: dataKey,
      vpcSecurityGroupIds: [sg.id],
      parameterGroupName: params.name,
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      copyTagsToSnapshot: true,
      caCertIdentifier: RDS_CA,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: expr("var.performance_insights_enabled") as unknown as boolean,
      performanceInsightsKmsKeyId: expr("var.performance_insights_enabled ? var.data_kms_key_arn : null"),
      performanceInsightsRetentionPeriod: expr("var.performance_insights_enabled ? 7 : null") as unknown as number,
      monitoringInterval: monitoring,
      monitoringRoleArn: expr("var.monitoring_interval > 0 ? aws_iam_role.rds_monitoring[0].arn : null"),
      enabledCloudwatchLogsExports: [...RDS_LOG_EXPORTS],
      maintenanceWindow: maintenance,
      deletionProtection,
    };
    const primary = named(
      new DbInstance(this, "db_primary", {
        ...common,
        identifier,
        engine: "postgres",
        engineVersion,
        allocatedStorage: expr("var.db_allocated_storage") as unknown as number,
        maxAllocatedStorage: expr("coalesce(var.max_allocated_storage, var.db_allocated_storage * 4)") as unknown as number,
        dbName,
        username,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: dataKey,
        dbSubnetGroupName: subnets.name,
        multiAz: expr("var.db_multi_az") as unknown as boolean,
        backupRetentionPeriod: expr("var.db_backup_retention_period") as unknown as number,
        backupWindow,
        skipFinalSnapshot: expr("!var.final_snapshot") as unknown as boolean,
        finalSnapshotIdentifier: `${identifier}-final`,
        dependsOn: [logGroup],
        lifecycle: { preventDestroy: props.preventDestroy ?? false },
      }),
      "postgres",
    );

    const replica = named(
      new DbInstance(this, "db_replica", {
        ...common,
        identifier: `${identifier}-replica-\${count.index + 1}`,
        instanceClass: expr("coalesce(var.replica_instance_class, var.db_instance_class)"),
        replicateSourceDb: primary.identifier,
        multiAz: false,
        backupRetentionPeriod: 0,
        skipFinalSnapshot: true,
        lifecycle: { preventDestroy: false },
      }),
      "replica",
    );
    replica.addOverride("count", expr("var.db_replica_count"));

    this.output("rds_endpoint", primary.endpoint, "Primary endpoint, address:port (seed 000 §6).");
    this.output("db_address", primary.address, "Primary host name.");
    this.output("db_port", primary.port, "PostgreSQL port.");
    this.output("db_name", dbName, "Initial database name.");
    this.output("db_master_user_secret_arn", expr("aws_db_instance.postgres.master_user_secret[0].secret_arn"), "Secrets Manager secret RDS keeps the master credentials in (JSON keys username, password).");
    this.output("db_security_group_id", sg.id, "Security group of the database.");
    this.output("db_replica_endpoints", expr("aws_db_instance.replica[*].endpoint"), "Read replica endpoints, address:port.");
    this.output("db_instance_identifier", primary.identifier, "Identifier of the primary instance.");
  }
}
