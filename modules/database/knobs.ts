/**
 * The database module's knobs: root variables operators edit in tfvars (seed 000 §8.4), declared
 * once here (lib/core/knobs.ts). Their config fields are the `database` section's.
 */
import { defineKnobs, hclRegex, type KnobValues } from "../../lib/core/knobs";

/** RDS for PostgreSQL instance families this project allows. */
export const RDS_FAMILIES = ["t3", "t4g", "m5", "m6g", "m6i", "m7g", "r5", "r6g", "r6i", "r7g"] as const;
const SIZES = "(micro|small|medium|large|xlarge|[0-9]+xlarge)";
export const RDS_CLASS_RE = `^db\\.(${RDS_FAMILIES.join("|")})\\.${SIZES}$`;

export const DATABASE_KNOBS = defineKnobs(
  {
    db_instance_class: { type: "string", field: "instanceClass", description: "RDS instance class." },
    db_allocated_storage: { type: "number", integer: true, field: "allocatedStorage", description: "Initial gp3 storage, GB." },
    db_multi_az: { type: "bool", field: "multiAz", description: "Synchronous standby in another AZ." },
    db_backup_retention_period: { type: "number", integer: true, field: "backupRetentionDays", description: "Days of automated backups (0 disables them)." },
    db_replica_count: { type: "number", integer: true, field: "readReplicas", default: 0, description: "Read replicas (seed 001: 2 in production)." },
    db_apply_immediately: {
      type: "bool",
      field: "applyImmediately",
      default: false,
      description: "true applies database changes (instance class, storage, Multi-AZ) at once, for an incident, instead of in the weekly maintenance window; set it back to false afterwards.",
    },
  },
  (ctx) => [
    {
      variable: "db_instance_class",
      ok: (v) => new RegExp(RDS_CLASS_RE).test(String(v.db_instance_class)),
      condition: `can(regex("${hclRegex(RDS_CLASS_RE)}", var.db_instance_class))`,
      message: `{db_instance_class} is not an RDS instance class this project allows (families: ${RDS_FAMILIES.join(", ")})`,
    },
    {
      variable: "db_allocated_storage",
      ok: (v) => Number(v.db_allocated_storage) >= 20 && Number(v.db_allocated_storage) <= 65536,
      condition: "var.db_allocated_storage >= 20 && var.db_allocated_storage <= 65536",
      message: "gp3 storage must be 20 to 65536 GB, got {db_allocated_storage}",
    },
    {
      variable: "db_backup_retention_period",
      ok: (v) => Number(v.db_backup_retention_period) >= 0 && Number(v.db_backup_retention_period) <= 35,
      condition: "var.db_backup_retention_period >= 0 && var.db_backup_retention_period <= 35",
      message: "backup retention must be 0 to 35 days, got {db_backup_retention_period}",
    },
    {
      variable: "db_replica_count",
      ok: (v) => Number(v.db_replica_count) === 0 || Number(v.db_backup_retention_period) > 0,
      condition: "var.db_replica_count == 0 || var.db_backup_retention_period > 0",
      message: "read replicas need automated backups (backup retention > 0), got {db_backup_retention_period} days",
    },
    {
      variable: "db_replica_count",
      ok: (v) => Number(v.db_replica_count) >= 0 && Number(v.db_replica_count) <= 5,
      condition: "var.db_replica_count >= 0 && var.db_replica_count <= 5",
      message: "RDS allows 0 to 5 read replicas here, got {db_replica_count}",
    },
    // Production-like tiers: a standby and a week of backups.
    ...(ctx.strict
      ? [
          {
            variable: "db_multi_az" as const,
            ok: (v: KnobValues) => v.db_multi_az === true,
            condition: "var.db_multi_az",
            message: `${ctx.label} needs Multi-AZ (db_multi_az = true)`,
          },
          {
            variable: "db_backup_retention_period" as const,
            ok: (v: KnobValues) => Number(v.db_backup_retention_period) >= 7,
            condition: "var.db_backup_retention_period >= 7",
            message: `${ctx.label} keeps automated backups at least 7 days, got {db_backup_retention_period} (policy check rds-backup-retention)`,
          },
        ]
      : []),
  ],
);
