/** Configuration of the database module (RDS for PostgreSQL): the `database` section of an environment. */
import { z } from "zod";
import { defineKnobs, knobFields } from "../../lib/core/knobs";
import { compare, implies, isTrue, knob, matches, range, type PresenceTable } from "../../lib/core/rules";
import { window } from "../cache/config";
import { TAG_VALUE_RE } from "../../lib/constructs/rotation";

/* --- Knobs ---------------------------------------------------------------------------------------

   The database module's knobs: root variables operators edit in tfvars (seed 000 §8.4), declared
   once here (lib/core/knobs.ts). Their config fields are the `database` section's.
 */

/** RDS for PostgreSQL instance families this project allows. */
export const RDS_FAMILIES = ["t3", "t4g", "m5", "m6g", "m6i", "m7g", "r5", "r6g", "r6i", "r7g"] as const;
const SIZES = "(micro|small|medium|large|xlarge|[0-9]+xlarge)";
export const RDS_CLASS_RE = `^db\\.(${RDS_FAMILIES.join("|")})\\.${SIZES}$`;

/**
 * A snapshot `db_snapshot_identifier` may name: empty (none), a manual snapshot's identifier, an automated one's
 * (`rds:<instance>-<date>`), or a snapshot ARN (a shared one must be named by ARN). RDS identifiers: letters, digits and
 * hyphens, starting with a letter, no two hyphens in a row, no hyphen at the end.
 */
const SNAPSHOT_NAME = "[a-zA-Z](-?[a-zA-Z0-9])*";
export const SNAPSHOT_ID_RE = `^$|^(rds:)?${SNAPSHOT_NAME}$|^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:snapshot:(rds:)?${SNAPSHOT_NAME}$`;
/** A name `db_final_snapshot_identifier` may give (a manual snapshot's identifier), or empty for `<identifier>-final`. */
export const FINAL_SNAPSHOT_RE = `^$|^${SNAPSHOT_NAME}$`;

export const DATABASE_KNOBS = defineKnobs(
  {
    db_instance_class: { type: "string", field: "instanceClass", description: "RDS instance class." },
    db_allocated_storage: {
      type: "number",
      integer: true,
      field: "allocatedStorage",
      description: "Initial gp3 storage, GB.",
    },
    db_multi_az: { type: "bool", field: "multiAz", description: "Synchronous standby in another AZ." },
    db_backup_retention_period: {
      type: "number",
      integer: true,
      field: "backupRetentionDays",
      description: "Days of automated backups (0 disables them).",
    },
    db_replica_count: {
      type: "number",
      integer: true,
      field: "readReplicas",
      default: 0,
      description: "Read replicas (seed 001: 2 in production).",
    },
    db_apply_immediately: {
      type: "bool",
      field: "applyImmediately",
      default: false,
      description:
        "true applies database changes (instance class, storage, Multi-AZ) at once, for an incident, instead of in the weekly maintenance window; set it back to false afterwards.",
    },
    db_snapshot_identifier: {
      type: "string",
      field: "restoreFromSnapshot",
      default: "",
      description:
        'Snapshot the primary is created from ("" none): setting it replaces the instance by a restore of that snapshot, same identifier and address, under Terraform (runbook "Restore the database from a snapshot"); its key must be the workspace data key.',
    },
    db_final_snapshot_identifier: {
      type: "string",
      field: "finalSnapshotName",
      default: "",
      description:
        'Name of the snapshot RDS takes when Terraform deletes the primary ("" <identifier>-final); apply it before a destroy, then restore from it (runbook "Redeploy everything, keeping the data").',
    },
  },
  (ctx) => [
    {
      variable: "db_snapshot_identifier",
      must: matches("db_snapshot_identifier", SNAPSHOT_ID_RE),
      message:
        "{db_snapshot_identifier} is not a DB snapshot of this region: an identifier (a manual one, or rds:<instance>-<date> for an automated one) or its ARN, or empty for none",
    },
    {
      variable: "db_final_snapshot_identifier",
      must: matches("db_final_snapshot_identifier", FINAL_SNAPSHOT_RE),
      message:
        "{db_final_snapshot_identifier} is not a DB snapshot identifier: 1-255 letters, digits and single hyphens, starting with a letter, or empty for <identifier>-final",
    },
    {
      variable: "db_instance_class",
      must: matches("db_instance_class", RDS_CLASS_RE),
      message: `{db_instance_class} is not an RDS instance class this project allows (families: ${RDS_FAMILIES.join(", ")})`,
    },
    {
      variable: "db_allocated_storage",
      must: range("db_allocated_storage", { min: 20, max: 65536 }),
      message: "gp3 storage must be 20 to 65536 GB, got {db_allocated_storage}",
    },
    {
      variable: "db_backup_retention_period",
      must: range("db_backup_retention_period", { min: 0, max: 35 }),
      message: "backup retention must be 0 to 35 days, got {db_backup_retention_period}",
    },
    {
      variable: "db_replica_count",
      must: implies(compare("db_replica_count", "!=", 0), compare("db_backup_retention_period", ">", 0)),
      message: "read replicas need automated backups (backup retention > 0), got {db_backup_retention_period} days",
      check: "rds-replica-source-backups",
    },
    {
      variable: "db_replica_count",
      must: range("db_replica_count", { min: 0, max: 5 }),
      message: "RDS allows 0 to 5 read replicas here, got {db_replica_count}",
    },
    // A scheduled workspace (D210): "Stopping an Amazon RDS DB instance temporarily", limitations.
    ...(ctx.scheduled
      ? [
          {
            variable: "db_replica_count" as const,
            must: compare("db_replica_count", "==", 0),
            message:
              "no read replicas while the database is scheduled: RDS cannot stop a DB instance that has a read replica (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_StopInstance.html), got {db_replica_count}",
          },
        ]
      : []),
    // Production-like tiers: a standby and a week of backups.
    ...(ctx.strict
      ? [
          {
            variable: "db_multi_az" as const,
            must: isTrue("db_multi_az"),
            message: `${ctx.label} needs Multi-AZ (db_multi_az = true)`,
            check: "rds-multi-az",
          },
          {
            variable: "db_backup_retention_period" as const,
            must: range("db_backup_retention_period", { min: 7 }),
            message: `${ctx.label} keeps automated backups at least 7 days, got {db_backup_retention_period} (policy check rds-backup-retention)`,
            check: "rds-backup-retention",
          },
        ]
      : []),
  ],
);

/** Days between rotations of the application password unless `database.appRotation.afterDays` says otherwise (D170). */
export const APP_ROTATION_DAYS = 30;

/** Names the database module uses when the environment gives none (a product gives its own). */
/**
 * Where the application image keeps Amazon RDS's CA bundle (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem,
 * "Using SSL/TLS to encrypt a connection to a DB instance": https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html).
 * The image ships it: `ADD https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem`.
 */
export const DEFAULT_RDS_CA_BUNDLE = "/etc/ssl/certs/rds-global-bundle.pem";
/** A file path a URL query may hold as it is (no `&`, `?`, `#`, `%`, spaces). */
export const CA_BUNDLE_PATH_RE = /^\/[A-Za-z0-9._/-]+$/;

/**
 * The TLS part of every postgresql:// URL Terraform writes (D164): verify the server's certificate and host name
 * against the RDS CA bundle in the image. node-postgres's pg-connection-string reads `sslrootcert` into `ssl.ca`
 * and treats `require` as `verify-full` against Node's own CA list, which lacks the RDS CAs, so `sslmode=require`
 * alone fails with "self-signed certificate in certificate chain" (pg-connection-string README, "TCP Connections");
 * libpq (psql) reads the same two parameters the same way.
 */
export function postgresTlsQuery(caBundle: string): string {
  return `sslmode=verify-full&sslrootcert=${caBundle}`;
}

export const DATABASE_DEFAULTS = { databaseName: "app", masterUsername: "app_admin", appUsername: "app_user" } as const;

export const DatabaseSchema = z
  .object({
    /**
     * Whether the workload has a database at all. false: no database module block, no knobs, no database
     * outputs, no DB_* container variables and no db-bootstrap task (seed 004 keeps its data in the SAM
     * stack's DynamoDB table, D121); the other fields are then unused. @default true
     */
    enabled: z.boolean().default(true),
    /** PostgreSQL major version; RDS applies minor upgrades automatically. @default "15" */
    engineVersion: z.enum(["15", "16"]).default("15"),
    /**
     * Class, storage, Multi-AZ, backups, replicas, "apply now" and the snapshots: the module's knobs (./config.ts,
     * knobs section) — `instanceClass`, `allocatedStorage`, `multiAz`, `backupRetentionDays` required; `readReplicas`
     * @default 0; `applyImmediately` @default false; `restoreFromSnapshot` (the snapshot the primary is restored from)
     * @default "" (none); `finalSnapshotName` (the snapshot a delete takes) @default "" (`<identifier>-final`).
     */
    ...knobFields(DATABASE_KNOBS),
    /** Storage autoscaling ceiling, GB. @default 4 × allocatedStorage */
    maxAllocatedStorage: z.number().int().optional(),
    /** Instance class of the replicas. @default instanceClass */
    replicaInstanceClass: z.string().optional(),
    /** `max_connections` (seed 001: 200 dev, 500 production). @default 200 */
    maxConnections: z.number().int().min(10).max(10000).default(200),
    /** `work_mem` in MB (seed 001: 16MB). @default 16 */
    workMemMb: z.number().int().min(1).max(2048).default(16),
    /** `effective_cache_size` in GB (seed 001: 4GB in production). @default RDS's formula */
    effectiveCacheSizeGb: z.number().positive().optional(),
    /** Enhanced Monitoring interval, seconds (0 off). @default 60 */
    monitoringInterval: z
      .union([z.literal(0), z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)])
      .default(60),
    /** Performance Insights with the 7-day free retention. @default true */
    performanceInsights: z.boolean().default(true),
    /** Deletion protection. @default true */
    deletionProtection: z.boolean().default(true),
    /** Take a final snapshot on destroy (`<identifier>-final`). @default true */
    finalSnapshot: z.boolean().default(true),
    /** @default "sun:06:00-sun:07:00" (UTC) */
    maintenanceWindow: window("maintenance").default("sun:06:00-sun:07:00"),
    /** Daily backup window, UTC; must not overlap the maintenance window. @default "03:00-04:00" */
    backupWindow: z
      .string()
      .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, "must be a daily window like 03:00-04:00 (UTC)")
      .default("03:00-04:00"),
    /** Retention of the exported PostgreSQL log groups. @default 30 */
    logRetentionDays: z.number().int().default(30),
    /** Initial database name. @default "app" */
    databaseName: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .default(DATABASE_DEFAULTS.databaseName),
    /** Master user; its password is generated by Terraform and kept in the `<secret prefix>/db-master` secret. Only migrations and db-bootstrap log in with it. @default "app_admin" */
    masterUsername: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,15}$/)
      .default(DATABASE_DEFAULTS.masterUsername),
    /** Application user the app and workers log in as (created by the db-bootstrap task; password in `<secret prefix>/db-app`). @default "app_user" */
    appUsername: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .default(DATABASE_DEFAULTS.appUsername),
    /** Version of the master password: raising it makes Terraform generate a new one and set it on RDS (rotation: modules/database/README.md). @default 1 */
    masterPasswordVersion: z.number().int().min(1).default(1),
    /** Version of the application user's password: raising it generates a new one (then rerun db-bootstrap and redeploy). @default 1 */
    appPasswordVersion: z.number().int().min(1).default(1),
    /**
     * Automatic rotation of the application user's password (D170): AWS's hosted alternating-users function
     * `SecretsManagerRDSPostgreSQLRotationMultiUser`, so the credentials a running task read at its start stay
     * valid until the rotation after next. On unless `waiver` gives the reason it is off (kept as the secret's
     * `RotationWaiver` tag). @default { afterDays: 30 }
     */
    appRotation: z
      .object({
        /** Days between rotations (Secrets Manager `AutomaticallyAfterDays`, 1–1000); a task must restart within this many days. @default 30 */
        afterDays: z.number().int().min(1).max(1000).default(APP_ROTATION_DAYS),
        /** Why the password does not rotate here; turns rotation off. Letters, digits, spaces and `_ . : / = + - @` (a tag value). */
        waiver: z
          .string()
          .regex(TAG_VALUE_RE, "must be a tag value: letters, digits, spaces and _ . : / = + - @, at most 256")
          .optional(),
      })
      .strict()
      .default({ afterDays: APP_ROTATION_DAYS }),
    /** Suffix of the instance identifier `<name>-<suffix>` (seed 002: `atena-prod-db`). @default "postgres" */
    identifierSuffix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/, "must be lowercase letters, digits and dashes")
      .default("postgres"),
    /** PostgreSQL client image of the db-bootstrap task. @default "public.ecr.aws/docker/library/postgres:<engineVersion>-alpine" */
    bootstrapImage: z.string().min(1).optional(),
  })
  .strict();

export type DatabaseConfig = z.output<typeof DatabaseSchema>;

/** The multi-user function appends `_clone` to the user name, and PostgreSQL names hold at most 63 bytes. */
export const ROTATION_CLONE_SUFFIX = "_clone";
const POSTGRES_NAME_MAX = 63;

/** Whether the application user's password rotates automatically (D170). */
export const appRotates = (db: Pick<DatabaseConfig, "enabled" | "appRotation">): boolean =>
  db.enabled && db.appRotation.waiver === undefined;

/** What the rotation rules read of an environment (environments/schema.ts passes it). */
export interface RotationContext {
  readonly database: DatabaseConfig;
  readonly network: { readonly mode: string; readonly natMode: string; readonly interfaceEndpoints: readonly string[] };
  /** Whether Terraform writes a copy of the application password elsewhere (Atena's DATABASE_URL parameter, D104). */
  readonly copiesAppPassword: boolean;
}

/**
 * Rules of automatic rotation, as [config path, message]:
 * - the function runs in the private subnets and calls the Secrets Manager API: it needs a NAT or the
 *   `secretsmanager` interface endpoint (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-network-rds.html);
 * - the alternate user `<appUsername>_clone` must fit PostgreSQL's 63-byte names (the function refuses otherwise,
 *   https://github.com/aws-samples/aws-secrets-manager-rotation-lambdas/blob/master/SecretsManagerRDSPostgreSQLRotationMultiUser/lambda_function.py);
 * - no copy of the password may live outside the secret: the function changes the secret only, so a copy
 *   (a connection URL written by Terraform) would go stale at the first rotation
 *   (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html).
 */
export function appRotationProblems(ctx: RotationContext): [string[], string][] {
  if (!appRotates(ctx.database)) return [];
  const problems: [string[], string][] = [];
  const net = ctx.network;
  if (net.mode === "dedicated" && net.natMode === "none" && !net.interfaceEndpoints.includes("secretsmanager")) {
    problems.push([
      ["database", "appRotation"],
      'the rotation function runs in the private subnets and calls Secrets Manager: it needs network.natMode other than "none" or "secretsmanager" in network.interfaceEndpoints (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-network-rds.html); or set database.appRotation.waiver',
    ]);
  }
  const alternate = ctx.database.appUsername + ROTATION_CLONE_SUFFIX;
  if (Buffer.byteLength(alternate) > POSTGRES_NAME_MAX) {
    problems.push([
      ["database", "appUsername"],
      `rotation alternates with "${alternate}", longer than PostgreSQL's ${POSTGRES_NAME_MAX} bytes: use at most ${POSTGRES_NAME_MAX - ROTATION_CLONE_SUFFIX.length} characters`,
    ]);
  }
  if (ctx.copiesAppPassword) {
    problems.push([
      ["database", "appRotation"],
      "compute.parameterStore.databaseUrl writes the application password into DATABASE_URL, which rotation would leave stale (the rotation function changes the secret only): set database.appRotation.waiver with the reason, or have the app read DB_USERNAME/DB_PASSWORD",
    ]);
  }
  return problems;
}

/**
 * Which of the module's resources exist, over its inputs (D211): `db_replica_count` read replicas; the Enhanced
 * Monitoring role while `monitoring_interval` is above 0.
 */
export const DATABASE_PRESENCE: PresenceTable = {
  aws_db_instance: { replica: { count: knob("db_replica_count") } },
  aws_iam_role: { rds_monitoring: { when: compare("monitoring_interval", ">", 0) } },
  aws_iam_role_policy_attachment: { rds_monitoring: { when: compare("monitoring_interval", ">", 0) } },
};
