/**
 * Runbook knobs: root variables written to `environments/<ws>/terraform.tfvars` (the names seed 000
 * §8.3–8.4 edits), and the rules they must satisfy.
 *
 * Each rule is written twice, once for synthesis (a JavaScript test on the config) and once for plan
 * time (a Terraform `validation` condition), with ONE message template, so an operator who breaks a
 * rule by editing tfvars reads the same sentence Terraform-side as a developer does at synth.
 * `{var}` in a template is replaced by the value (synth) or `${var.var}` (Terraform). The tests run
 * every rule through both layers.
 */
import { FARGATE_CPUS, FARGATE_MEMORY } from "./compute-schema";

export type KnobValue = string | number | boolean;
export type KnobValues = Record<string, KnobValue>;

export interface Knob {
  /** Root variable name (Terraform naming). */
  readonly variable: string;
  readonly type: "string" | "number" | "bool";
  readonly description: string;
  /** Path of the config field it comes from, for synth-time messages. */
  readonly path: readonly (string | number)[];
}

export interface KnobRule {
  /** The knob whose validation block carries the rule (and whose path the synth message uses). */
  readonly variable: string;
  /** Synth-time test; true when the values are acceptable. */
  readonly ok: (v: KnobValues) => boolean;
  /** Plan-time condition, HCL over `var.<knob>`. */
  readonly condition: string;
  /** Message with `{knob}` placeholders (and `{extra}` ones from `extras`). */
  readonly message: string;
  /** Computed placeholders: a synth-time function and the HCL expression Terraform evaluates. */
  readonly extras?: Record<string, { readonly synth: (v: KnobValues) => string; readonly hcl: string }>;
}

/** ElastiCache for Redis node families (current and previous generation still offered). */
export const REDIS_NODE_FAMILIES = ["t2", "t3", "t4g", "m4", "m5", "m6g", "m7g", "r4", "r5", "r6g", "r7g", "r6gd"] as const;
/** RDS for PostgreSQL instance families this project allows. */
export const RDS_FAMILIES = ["t3", "t4g", "m5", "m6g", "m6i", "m7g", "r5", "r6g", "r6i", "r7g"] as const;

const SIZES = "(micro|small|medium|large|xlarge|[0-9]+xlarge)";
export const REDIS_NODE_TYPE_RE = `^cache\\.(${REDIS_NODE_FAMILIES.join("|")})\\.${SIZES}$`;
export const RDS_CLASS_RE = `^db\\.(${RDS_FAMILIES.join("|")})\\.${SIZES}$`;

export const CACHE_KNOBS: readonly Knob[] = [
  { variable: "redis_node_type", type: "string", description: "ElastiCache node type (seed 000 §8.4: scale vertically here).", path: ["cache", "nodeType"] },
  { variable: "redis_num_cache_nodes", type: "number", description: "Nodes in the replication group: 1 primary + replicas.", path: ["cache", "numCacheNodes"] },
  { variable: "redis_automatic_failover_enabled", type: "bool", description: "Promote a replica when the primary fails (needs 2+ nodes).", path: ["cache", "automaticFailover"] },
  { variable: "redis_multi_az_enabled", type: "bool", description: "Spread nodes over AZs (needs automatic failover).", path: ["cache", "multiAz"] },
  { variable: "redis_transit_encryption_enabled", type: "bool", description: "TLS between clients and Redis.", path: ["cache", "transitEncryption"] },
  { variable: "redis_auth_enabled", type: "bool", description: "Require the AUTH token (needs transit encryption).", path: ["cache", "auth"] },
  { variable: "redis_apply_immediately", type: "bool", description: "Apply Redis changes (node type, node count, parameters) now instead of in the weekly maintenance window (seed 000 §8.4 incident scale-up).", path: ["cache", "applyImmediately"] },
  { variable: "bncc_cache_ttl", type: "number", description: "BNCC_CACHE_TTL for the app, seconds (seed 000 §3.2).", path: ["cache", "bnccCacheTtl"] },
  { variable: "nlp_cache_ttl", type: "number", description: "NLP_CACHE_TTL for the app, seconds (seed 000 §3.2).", path: ["cache", "nlpCacheTtl"] },
];

export const CACHE_RULES: readonly KnobRule[] = [
  {
    variable: "redis_node_type",
    ok: (v) => new RegExp(REDIS_NODE_TYPE_RE).test(String(v.redis_node_type)),
    condition: `can(regex("${REDIS_NODE_TYPE_RE.replace(/\\/g, "\\\\")}", var.redis_node_type))`,
    message: `{redis_node_type} is not an ElastiCache for Redis node type (families: ${REDIS_NODE_FAMILIES.join(", ")})`,
  },
  {
    variable: "redis_num_cache_nodes",
    ok: (v) => Number(v.redis_num_cache_nodes) >= 1 && Number(v.redis_num_cache_nodes) <= 6,
    condition: "var.redis_num_cache_nodes >= 1 && var.redis_num_cache_nodes <= 6",
    message: "a replication group has 1 to 6 nodes (1 primary + up to 5 replicas), got {redis_num_cache_nodes}",
  },
  {
    variable: "redis_num_cache_nodes",
    ok: (v) => !v.redis_automatic_failover_enabled || Number(v.redis_num_cache_nodes) >= 2,
    condition: "!var.redis_automatic_failover_enabled || var.redis_num_cache_nodes >= 2",
    message: "automatic failover needs at least 2 nodes, got {redis_num_cache_nodes}",
  },
  {
    variable: "redis_multi_az_enabled",
    ok: (v) => !v.redis_multi_az_enabled || v.redis_automatic_failover_enabled === true,
    condition: "!var.redis_multi_az_enabled || var.redis_automatic_failover_enabled",
    message: "Multi-AZ needs automatic failover (set redis_automatic_failover_enabled = true)",
  },
  {
    variable: "redis_auth_enabled",
    ok: (v) => !v.redis_auth_enabled || v.redis_transit_encryption_enabled === true,
    condition: "!var.redis_auth_enabled || var.redis_transit_encryption_enabled",
    message: "AUTH needs transit encryption (set redis_transit_encryption_enabled = true)",
  },
  {
    variable: "bncc_cache_ttl",
    ok: (v) => Number.isInteger(v.bncc_cache_ttl) && Number(v.bncc_cache_ttl) > 0,
    condition: "var.bncc_cache_ttl > 0 && floor(var.bncc_cache_ttl) == var.bncc_cache_ttl",
    message: "a TTL must be a positive whole number of seconds, got {bncc_cache_ttl}",
  },
  {
    variable: "nlp_cache_ttl",
    ok: (v) => Number.isInteger(v.nlp_cache_ttl) && Number(v.nlp_cache_ttl) > 0,
    condition: "var.nlp_cache_ttl > 0 && floor(var.nlp_cache_ttl) == var.nlp_cache_ttl",
    message: "a TTL must be a positive whole number of seconds, got {nlp_cache_ttl}",
  },
];

/** A rule that a knob keeps a policy control on (lib/policy/checks.ts) outside dev. */
function keepsOn(workspace: string, variable: string, what: string, check: string): KnobRule {
  return {
    variable,
    ok: (v) => v[variable] === true,
    condition: `var.${variable}`,
    message: `${workspace} keeps ${what}: ${variable} must be true (policy check ${check})`,
  };
}

/**
 * Cache rules of a workspace: the shape rules, plus, in staging and production, the policy controls
 * an operator could switch off in tfvars (TLS, AUTH, failover, Multi-AZ).
 */
export function cacheRules(workspace: string): KnobRule[] {
  if (workspace === "dev") return [...CACHE_RULES];
  return [
    ...CACHE_RULES,
    keepsOn(workspace, "redis_transit_encryption_enabled", "Redis TLS on", "elasticache-transit-encryption"),
    keepsOn(workspace, "redis_auth_enabled", "Redis AUTH on", "elasticache-auth"),
    keepsOn(workspace, "redis_automatic_failover_enabled", "Redis automatic failover on", "elasticache-multi-az"),
    keepsOn(workspace, "redis_multi_az_enabled", "Redis Multi-AZ on", "elasticache-multi-az"),
  ];
}

export const DATABASE_KNOBS: readonly Knob[] = [
  { variable: "db_instance_class", type: "string", description: "RDS instance class.", path: ["database", "instanceClass"] },
  { variable: "db_allocated_storage", type: "number", description: "Initial gp3 storage, GB.", path: ["database", "allocatedStorage"] },
  { variable: "db_multi_az", type: "bool", description: "Synchronous standby in another AZ.", path: ["database", "multiAz"] },
  { variable: "db_backup_retention_period", type: "number", description: "Days of automated backups (0 disables them).", path: ["database", "backupRetentionDays"] },
  { variable: "db_replica_count", type: "number", description: "Read replicas (seed 001: 2 in production).", path: ["database", "readReplicas"] },
  {
    variable: "db_apply_immediately",
    type: "bool",
    description: "true applies database changes (instance class, storage, Multi-AZ) at once, for an incident, instead of in the weekly maintenance window; set it back to false afterwards.",
    path: ["database", "applyImmediately"],
  },
];

/** Rules for the database knobs; `workspace` is baked into the staging/production-only rules. */
export function databaseRules(workspace: string): KnobRule[] {
  return [
    {
      variable: "db_instance_class",
      ok: (v) => new RegExp(RDS_CLASS_RE).test(String(v.db_instance_class)),
      condition: `can(regex("${RDS_CLASS_RE.replace(/\\/g, "\\\\")}", var.db_instance_class))`,
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
    ...(workspace !== "dev"
      ? [
          {
            variable: "db_multi_az",
            ok: (v: KnobValues) => v.db_multi_az === true,
            condition: "var.db_multi_az",
            message: `${workspace} needs Multi-AZ (db_multi_az = true)`,
          },
          {
            variable: "db_backup_retention_period",
            ok: (v: KnobValues) => Number(v.db_backup_retention_period) >= 7,
            condition: "var.db_backup_retention_period >= 7",
            message: `${workspace} keeps automated backups at least 7 days, got {db_backup_retention_period} (policy check rds-backup-retention)`,
          },
        ]
      : []),
  ];
}

/**
 * Compute knobs: `app_image_tag` (`compute.imageTag`, the tag every service, migrations included, runs),
 * always; the size and scaling knobs of the service named `app` (seed 000's service and container), at
 * its index in `compute.services`, only when there is one (`appIndex` -1: the other services' sizes are
 * fixed at synth).
 */
export function computeKnobs(appIndex: number): Knob[] {
  const imageTag: Knob = { variable: "app_image_tag", type: "string", description: "Image tag of the app (CI/CD: -var app_image_tag=<sha> with -target=module.compute).", path: ["compute", "imageTag"] };
  if (appIndex < 0) return [imageTag];
  const svc = (field: string) => ["compute", "services", appIndex, field];
  return [
    imageTag,
    { variable: "app_desired_count", type: "number", description: "Tasks at service creation (autoscaling owns the count afterwards).", path: svc("desiredCount") },
    { variable: "app_min_capacity", type: "number", description: "Autoscaling floor.", path: svc("minCapacity") },
    { variable: "app_max_capacity", type: "number", description: "Autoscaling ceiling.", path: svc("maxCapacity") },
    { variable: "app_cpu", type: "number", description: "Fargate CPU units of the app task (1024 = 1 vCPU).", path: svc("cpu") },
    { variable: "app_memory", type: "number", description: "Fargate memory of the app task, MiB.", path: svc("memory") },
  ];
}

const fargateMapHcl = `{ ${Object.entries(FARGATE_MEMORY)
  .map(([cpu, mems]) => `"${cpu}" = [${mems.join(", ")}]`)
  .join(", ")} }`;

export const COMPUTE_RULES: readonly KnobRule[] = [
  {
    variable: "app_image_tag",
    ok: (v) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(String(v.app_image_tag)),
    condition: 'can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.app_image_tag))',
    message: '"{app_image_tag}" is not a Docker image tag',
  },
  {
    variable: "app_cpu",
    ok: (v) => FARGATE_CPUS.includes(Number(v.app_cpu)),
    condition: `contains([${FARGATE_CPUS.join(", ")}], var.app_cpu)`,
    message: `{app_cpu} is not a Fargate CPU value (${FARGATE_CPUS.join(", ")})`,
  },
  {
    variable: "app_memory",
    ok: (v) => !FARGATE_CPUS.includes(Number(v.app_cpu)) || FARGATE_MEMORY[Number(v.app_cpu)].includes(Number(v.app_memory)),
    condition: `!contains([${FARGATE_CPUS.join(", ")}], var.app_cpu) || contains(lookup(${fargateMapHcl}, tostring(var.app_cpu), []), var.app_memory)`,
    message: "{app_memory} MiB is not a valid Fargate memory for {app_cpu} CPU units (valid: {valid_memory})",
    extras: {
      valid_memory: {
        synth: (v) => (FARGATE_MEMORY[Number(v.app_cpu)] ?? []).join(", "),
        hcl: `join(", ", lookup(${fargateMapHcl}, tostring(var.app_cpu), []))`,
      },
    },
  },
  {
    variable: "app_desired_count",
    ok: (v) => Number(v.app_min_capacity) <= Number(v.app_desired_count) && Number(v.app_desired_count) <= Number(v.app_max_capacity),
    condition: "var.app_min_capacity <= var.app_desired_count && var.app_desired_count <= var.app_max_capacity",
    message: "desired count {app_desired_count} must lie between app_min_capacity {app_min_capacity} and app_max_capacity {app_max_capacity}",
  },
  {
    variable: "app_max_capacity",
    ok: (v) => Number(v.app_max_capacity) >= 1,
    condition: "var.app_max_capacity >= 1",
    message: "app_max_capacity must be at least 1, got {app_max_capacity}",
  },
];

/** The synth-time text of a rule's message. */
export function synthMessage(rule: KnobRule, values: KnobValues): string {
  return rule.message.replace(/\{(\w+)\}/g, (_, name: string) => rule.extras?.[name]?.synth(values) ?? String(values[name]));
}

/** The plan-time text of a rule's message (a Terraform template). */
export function terraformMessage(rule: KnobRule): string {
  return rule.message.replace(/\{(\w+)\}/g, (_, name: string) => (rule.extras?.[name] ? `\${${rule.extras[name].hcl}}` : `\${var.${name}}`));
}

/** Reads every knob's value from a config object by its path. */
export function knobValues(knobs: readonly Knob[], config: unknown): KnobValues {
  const values: KnobValues = {};
  for (const k of knobs) {
    let cur: unknown = config;
    for (const p of k.path) cur = (cur as Record<string | number, unknown>)?.[p];
    values[k.variable] = cur as KnobValue;
  }
  return values;
}
