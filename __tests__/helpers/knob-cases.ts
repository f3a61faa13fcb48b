/**
 * One failing example per knob rule: how to break it in the environment file, how to break it in
 * the generated tfvars, and the message both layers must print.
 */
import type { Workspace } from "../../environments";
import type { Mutable } from "./config";

export interface KnobCase {
  readonly rule: string;
  readonly ws: Workspace;
  /** Config path prefix of the synth message. */
  readonly path: string;
  readonly config: (env: Mutable) => void;
  /** tfvars assignments (HCL values) that break the same rule. */
  readonly tfvars: Record<string, string>;
  /** Every knob the rule's condition reads (cases reading disjoint knobs can share one plan). */
  readonly reads: readonly string[];
  readonly message: string;
}

export const KNOB_CASES: readonly KnobCase[] = [
  {
    rule: "automatic failover needs 2+ nodes (seed 000 §8.3)",
    ws: "dev",
    path: "cache.numCacheNodes",
    config: (e) => (e.cache.automaticFailover = true),
    tfvars: { redis_automatic_failover_enabled: "true" },
    reads: ["redis_automatic_failover_enabled", "redis_num_cache_nodes"],
    message: "automatic failover needs at least 2 nodes, got 1",
  },
  {
    rule: "Multi-AZ needs automatic failover",
    ws: "dev",
    path: "cache.multiAz",
    config: (e) => (e.cache.multiAz = true),
    tfvars: { redis_multi_az_enabled: "true" },
    reads: ["redis_multi_az_enabled", "redis_automatic_failover_enabled"],
    message: "Multi-AZ needs automatic failover (set redis_automatic_failover_enabled = true)",
  },
  {
    // In dev: in staging and production TLS off already fails its own rule, and Terraform skips a
    // validation that reads an invalid variable. Dev keeps AUTH on (D49), so switch TLS off.
    rule: "AUTH needs transit encryption",
    ws: "dev",
    path: "cache.auth",
    config: (e) => (e.cache.transitEncryption = false),
    tfvars: { redis_transit_encryption_enabled: "false" },
    reads: ["redis_auth_enabled", "redis_transit_encryption_enabled"],
    message: "AUTH needs transit encryption (set redis_transit_encryption_enabled = true)",
  },
  {
    rule: "the node type family must exist",
    ws: "production",
    path: "cache.nodeType",
    config: (e) => (e.cache.nodeType = "cache.x9.large"),
    tfvars: { redis_node_type: '"cache.x9.large"' },
    reads: ["redis_node_type"],
    message:
      "cache.x9.large is not an ElastiCache for Redis node type (families: t2, t3, t4g, m4, m5, m6g, m7g, r4, r5, r6g, r7g, r6gd)",
  },
  {
    rule: "1 to 6 nodes",
    ws: "production",
    path: "cache.numCacheNodes",
    config: (e) => (e.cache.numCacheNodes = 7),
    tfvars: { redis_num_cache_nodes: "7" },
    reads: ["redis_num_cache_nodes"],
    message: "a replication group has 1 to 6 nodes (1 primary + up to 5 replicas), got 7",
  },
  {
    rule: "BNCC TTL positive",
    ws: "dev",
    path: "cache.bnccCacheTtl",
    config: (e) => (e.cache.bnccCacheTtl = 0),
    tfvars: { bncc_cache_ttl: "0" },
    reads: ["bncc_cache_ttl"],
    message: "a TTL must be a positive whole number of seconds, got 0",
  },
  {
    rule: "NLP TTL positive",
    ws: "staging",
    path: "cache.nlpCacheTtl",
    config: (e) => (e.cache.nlpCacheTtl = -5),
    tfvars: { nlp_cache_ttl: "-5" },
    reads: ["nlp_cache_ttl"],
    message: "a TTL must be a positive whole number of seconds, got -5",
  },
  {
    rule: "RDS instance class family must exist",
    ws: "staging",
    path: "database.instanceClass",
    config: (e) => (e.database.instanceClass = "db.x1.large"),
    tfvars: { db_instance_class: '"db.x1.large"' },
    reads: ["db_instance_class"],
    message:
      "db.x1.large is not an RDS instance class this project allows (families: t3, t4g, m5, m6g, m6i, m7g, r5, r6g, r6i, r7g)",
  },
  {
    rule: "gp3 storage 20 GB or more",
    ws: "dev",
    path: "database.allocatedStorage",
    config: (e) => (e.database.allocatedStorage = 10),
    tfvars: { db_allocated_storage: "10" },
    reads: ["db_allocated_storage"],
    message: "gp3 storage must be 20 to 65536 GB, got 10",
  },
  {
    rule: "backup retention 0–35 days",
    ws: "dev",
    path: "database.backupRetentionDays",
    config: (e) => (e.database.backupRetentionDays = 40),
    tfvars: { db_backup_retention_period: "40" },
    reads: ["db_backup_retention_period"],
    message: "backup retention must be 0 to 35 days, got 40",
  },
  {
    // In dev: staging and production already refuse backups under 7 days (see the AUTH case).
    rule: "replicas need backups",
    ws: "dev",
    path: "database.readReplicas",
    config: (e) => ((e.database.readReplicas = 1), (e.database.backupRetentionDays = 0)),
    tfvars: { db_replica_count: "1", db_backup_retention_period: "0" },
    reads: ["db_replica_count", "db_backup_retention_period"],
    message: "read replicas need automated backups (backup retention > 0), got 0 days",
  },
  {
    rule: "at most 5 replicas",
    ws: "production",
    path: "database.readReplicas",
    config: (e) => (e.database.readReplicas = 6),
    tfvars: { db_replica_count: "6" },
    reads: ["db_replica_count"],
    message: "RDS allows 0 to 5 read replicas here, got 6",
  },
  {
    rule: "production is Multi-AZ",
    ws: "production",
    path: "database.multiAz",
    config: (e) => (e.database.multiAz = false),
    tfvars: { db_multi_az: "false" },
    reads: ["db_multi_az"],
    message: "production needs Multi-AZ (db_multi_az = true)",
  },
  {
    rule: "staging keeps 7 days of backups (policy rds-backup-retention)",
    ws: "staging",
    path: "database.backupRetentionDays",
    config: (e) => (e.database.backupRetentionDays = 3),
    tfvars: { db_backup_retention_period: "3" },
    reads: ["db_backup_retention_period", "db_replica_count"],
    message: "staging keeps automated backups at least 7 days, got 3 (policy check rds-backup-retention)",
  },
  {
    rule: "production keeps Redis TLS on (policy elasticache-transit-encryption)",
    ws: "production",
    path: "cache.transitEncryption",
    config: (e) => ((e.cache.transitEncryption = false), (e.cache.auth = false)),
    tfvars: { redis_transit_encryption_enabled: "false", redis_auth_enabled: "false" },
    reads: ["redis_transit_encryption_enabled", "redis_auth_enabled"],
    message:
      "production keeps Redis TLS on: redis_transit_encryption_enabled must be true (policy check elasticache-transit-encryption)",
  },
  {
    rule: "staging keeps Redis AUTH on (policy elasticache-auth)",
    ws: "staging",
    path: "cache.auth",
    config: (e) => (e.cache.auth = false),
    tfvars: { redis_auth_enabled: "false" },
    reads: ["redis_auth_enabled", "redis_transit_encryption_enabled"],
    message: "staging keeps Redis AUTH on: redis_auth_enabled must be true (policy check elasticache-auth)",
  },
  {
    rule: "staging keeps Redis failover on (policy elasticache-multi-az)",
    ws: "staging",
    path: "cache.automaticFailover",
    config: (e) => ((e.cache.automaticFailover = false), (e.cache.multiAz = false)),
    tfvars: { redis_automatic_failover_enabled: "false", redis_multi_az_enabled: "false" },
    reads: ["redis_automatic_failover_enabled", "redis_multi_az_enabled", "redis_num_cache_nodes"],
    message:
      "staging keeps Redis automatic failover on: redis_automatic_failover_enabled must be true (policy check elasticache-multi-az)",
  },
  {
    rule: "production keeps Redis Multi-AZ on (policy elasticache-multi-az)",
    ws: "production",
    path: "cache.multiAz",
    config: (e) => (e.cache.multiAz = false),
    tfvars: { redis_multi_az_enabled: "false" },
    reads: ["redis_multi_az_enabled", "redis_automatic_failover_enabled"],
    message:
      "production keeps Redis Multi-AZ on: redis_multi_az_enabled must be true (policy check elasticache-multi-az)",
  },
  {
    rule: "a Fargate memory valid for the CPU",
    ws: "production",
    path: "compute.services[0].memory",
    config: (e) => (e.compute.services[0].memory = 3000),
    tfvars: { app_memory: "3000" },
    reads: ["app_cpu", "app_memory"],
    message:
      "3000 MiB is not a valid Fargate memory for 1024 CPU units (valid: 2048, 3072, 4096, 5120, 6144, 7168, 8192)",
  },
  {
    rule: "a Fargate CPU value",
    ws: "dev",
    path: "compute.services[0].cpu",
    config: (e) => (e.compute.services[0].cpu = 300),
    tfvars: { app_cpu: "300" },
    reads: ["app_cpu"],
    message: "300 is not a Fargate CPU value (256, 512, 1024, 2048, 4096, 8192, 16384)",
  },
  {
    rule: "min ≤ desired ≤ max",
    ws: "staging",
    path: "compute.services[0].desiredCount",
    config: (e) => (e.compute.services[0].desiredCount = 9),
    tfvars: { app_desired_count: "9" },
    reads: ["app_desired_count", "app_min_capacity", "app_max_capacity"],
    message: "desired count 9 must lie between app_min_capacity 2 and app_max_capacity 5",
  },
  {
    rule: "a Docker image tag",
    ws: "dev",
    path: "compute.imageTag",
    config: (e) => (e.compute.imageTag = "release 1"),
    tfvars: { app_image_tag: '"release 1"' },
    reads: ["app_image_tag"],
    message: '"release 1" is not a Docker image tag',
  },
];

/**
 * Groups cases into batches whose rules read disjoint knobs, per workspace: breaking them together
 * in one tfvars cannot mask or trigger another rule, so one plan checks a whole batch.
 */
export function knobBatches(cases: readonly KnobCase[] = KNOB_CASES): KnobCase[][] {
  const batches: { ws: string; reads: Set<string>; cases: KnobCase[] }[] = [];
  for (const c of cases) {
    const touched = new Set([...c.reads, ...Object.keys(c.tfvars)]);
    const fit = batches.find((b) => b.ws === c.ws && [...touched].every((v) => !b.reads.has(v)));
    if (fit) {
      fit.cases.push(c);
      touched.forEach((v) => fit.reads.add(v));
    } else batches.push({ ws: c.ws, reads: touched, cases: [c] });
  }
  return batches.map((b) => b.cases);
}
