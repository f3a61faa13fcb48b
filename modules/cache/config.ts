/** Configuration of the cache module (ElastiCache for Redis): the `cache` section of an environment. */
import { z } from "zod";
import type { Controls } from "../../lib/core/controls";
import { defineKnobs, keepsOn, knobFields } from "../../lib/core/knobs";
import { implies, isTrue, matches, range, type PresenceTable } from "../../lib/core/rules";
import { CACHE_ENGINES, CACHE_ENGINE_VERSIONS } from "./engine";

/** The replication group's description when the product says nothing: `Redis cache of <name> (application cache)`. */
export const CACHE_DEFAULT_PURPOSE = "application cache";

/* --- Knobs ---------------------------------------------------------------------------------------

   The cache module's knobs: root variables operators edit in tfvars (seed 000 §8.3–8.4), declared
   once here (lib/core/knobs.ts). Their config fields are the `cache` section's (`cache.nodeType` …).
 */

/** ElastiCache for Redis node families (current and previous generation still offered). */
export const REDIS_NODE_FAMILIES = [
  "t2",
  "t3",
  "t4g",
  "m4",
  "m5",
  "m6g",
  "m7g",
  "r4",
  "r5",
  "r6g",
  "r7g",
  "r6gd",
] as const;
const SIZES = "(micro|small|medium|large|xlarge|[0-9]+xlarge)";
export const REDIS_NODE_TYPE_RE = `^cache\\.(${REDIS_NODE_FAMILIES.join("|")})\\.${SIZES}$`;

/**
 * Nodes of a replication group without cluster mode: 1 primary + up to 5 replicas
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis.Groups.html).
 */
export const MAX_CACHE_NODES = 6;
/** Replicas per shard (node group) in cluster mode: 0 to 5 (same page). */
export const MAX_REPLICAS_PER_SHARD = 5;
/** Shards (node groups) of a cluster-mode group (ElastiCache quota, up to 500 node groups). */
export const MAX_SHARDS = 500;

export const CACHE_KNOBS = defineKnobs(
  {
    redis_node_type: {
      type: "string",
      field: "nodeType",
      description: "ElastiCache node type (seed 000 §8.4: scale vertically here).",
    },
    redis_num_cache_nodes: {
      type: "number",
      integer: true,
      field: "numCacheNodes",
      description: "Nodes in the replication group: 1 primary + replicas.",
    },
    redis_automatic_failover_enabled: {
      type: "bool",
      field: "automaticFailover",
      description: "Promote a replica when the primary fails (needs 2+ nodes).",
    },
    redis_multi_az_enabled: {
      type: "bool",
      field: "multiAz",
      description: "Spread nodes over AZs (needs automatic failover).",
    },
    redis_transit_encryption_enabled: {
      type: "bool",
      field: "transitEncryption",
      description: "TLS between clients and Redis.",
    },
    redis_auth_enabled: {
      type: "bool",
      field: "auth",
      description: "Require the AUTH token (needs transit encryption).",
    },
    redis_apply_immediately: {
      type: "bool",
      field: "applyImmediately",
      default: false,
      description:
        "Apply Redis changes (node type, node count, parameters) now instead of in the weekly maintenance window (seed 000 §8.4 incident scale-up).",
    },
  },
  (ctx) => [
    {
      variable: "redis_node_type",
      must: matches("redis_node_type", REDIS_NODE_TYPE_RE),
      message: `{redis_node_type} is not an ElastiCache for Redis node type (families: ${REDIS_NODE_FAMILIES.join(", ")})`,
    },
    {
      variable: "redis_num_cache_nodes",
      must: range("redis_num_cache_nodes", { min: 1, max: MAX_CACHE_NODES }),
      message: `a replication group has 1 to ${MAX_CACHE_NODES} nodes (1 primary + up to ${MAX_CACHE_NODES - 1} replicas), got {redis_num_cache_nodes}`,
    },
    {
      variable: "redis_num_cache_nodes",
      must: implies(isTrue("redis_automatic_failover_enabled"), range("redis_num_cache_nodes", { min: 2 })),
      message: "automatic failover needs at least 2 nodes, got {redis_num_cache_nodes}",
      check: "elasticache-failover-consistent",
    },
    {
      variable: "redis_multi_az_enabled",
      must: implies(isTrue("redis_multi_az_enabled"), isTrue("redis_automatic_failover_enabled")),
      message: "Multi-AZ needs automatic failover (set redis_automatic_failover_enabled = true)",
      check: "elasticache-failover-consistent",
    },
    {
      variable: "redis_auth_enabled",
      must: implies(isTrue("redis_auth_enabled"), isTrue("redis_transit_encryption_enabled")),
      message: "AUTH needs transit encryption (set redis_transit_encryption_enabled = true)",
      check: "elasticache-auth-needs-tls",
    },
    // Production-like tiers keep the policy controls an operator could switch off in tfvars.
    ...keepsOn(ctx, "redis_transit_encryption_enabled", "Redis TLS on", "elasticache-transit-encryption"),
    ...keepsOn(ctx, "redis_auth_enabled", "Redis AUTH on", "elasticache-auth"),
    ...keepsOn(ctx, "redis_automatic_failover_enabled", "Redis automatic failover on", "elasticache-multi-az"),
    ...keepsOn(ctx, "redis_multi_az_enabled", "Redis Multi-AZ on", "elasticache-multi-az"),
  ],
);

export const window = (label: string) =>
  z
    .string()
    .regex(
      /^(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}-(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}$/,
      `must be a ${label} window like sun:05:00-sun:06:00 (UTC)`,
    );

export const CacheSchema = z
  .object({
    /**
     * Create the Redis replication group; false removes the whole module (seed 000 §7.3 rollback:
     * docs/operations.md "Removing Redis"). In a workspace with `preventDestroy`, false also needs
     * `allowDestroy: true`. @default true
     */
    enabled: z.boolean().default(true),
    /**
     * Confirms that `enabled: false` may destroy Redis in a workspace with `preventDestroy`
     * (production): `prevent_destroy` lives in the module block that `enabled: false` removes, so
     * without this confirmation nothing would stop the destroy. Only valid with `enabled: false`. @default false
     */
    allowDestroy: z.boolean().default(false),
    /**
     * Size, failover, Multi-AZ, TLS, AUTH and "apply now": the module's knobs (./config.ts, knobs section), edited in tfvars
     * during incidents (seed 000 §8.3–8.4) — `nodeType`, `numCacheNodes`, `automaticFailover`, `multiAz`,
     * `transitEncryption`, `auth` required; `applyImmediately` @default false.
     */
    ...knobFields(CACHE_KNOBS),
    /** What the app keeps in Redis, for the replication group's description (`Redis cache of <name> (<purpose>)`). @default "application cache" */
    purpose: z.string().min(1).max(150).default(CACHE_DEFAULT_PURPOSE),
    /**
     * ElastiCache engine: `redis` (Redis OSS) or `valkey`, its drop-in successor (same protocol, commands,
     * TLS and AUTH; node hours about 20% cheaper). Switching an existing group from redis to valkey is an
     * in-place upgrade (docs/decisions.md D99). @default "redis"
     */
    engine: z.enum(CACHE_ENGINES).default("redis"),
    /**
     * Engine version as ElastiCache accepts it: Redis OSS 7.0 or 7.1, Valkey 7.2 or 8.0.
     * @default "7.1" with redis, "7.2" with valkey
     */
    engineVersion: z.enum(["7.0", "7.1", "7.2", "8.0"]).optional(),
    /** Days of automatic snapshots (0 disables). @default 1 */
    snapshotRetentionDays: z.number().int().min(0).max(35).default(1),
    /** @default "sun:05:00-sun:06:00" (UTC; 02:00 in Brasília) */
    maintenanceWindow: window("maintenance").default("sun:05:00-sun:06:00"),
    /** Daily snapshot window, UTC. @default "03:00-04:00" */
    snapshotWindow: z
      .string()
      .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, "must be a daily window like 03:00-04:00 (UTC)")
      .default("03:00-04:00"),
    /** Retention of the slow-log group. @default 30 */
    slowLogRetentionDays: z.number().int().default(30),
    /** Eviction policy of the parameter group. @default "volatile-lru" (keys with a TTL go first; sessions without TTL stay) */
    maxmemoryPolicy: z
      .enum(["volatile-lru", "allkeys-lru", "volatile-ttl", "noeviction", "allkeys-lfu", "volatile-lfu"])
      .default("volatile-lru"),
    /** Cluster mode (sharding). Needs a cluster-aware client; see docs/decisions.md. @default off */
    clusterMode: z
      .object({
        enabled: z.boolean().default(false),
        /** Node groups (shards). @default 3 (seed 001; also the ElastiCache console's default for cluster mode) */
        shards: z.number().int().min(1).max(MAX_SHARDS).default(3),
        /** Replicas per shard. @default 2 (seed 001; also the ElastiCache console's default for cluster mode) */
        replicasPerShard: z.number().int().min(0).max(MAX_REPLICAS_PER_SHARD).default(2),
      })
      .strict()
      .default({ enabled: false, shards: 3, replicasPerShard: 2 }),
  })
  .strict();

/** The engine/version rule (checked by the environment schema): `<engine> runs <versions> on ElastiCache, got <v>`, or undefined. */
export function engineVersionProblem(c: {
  engine: (typeof CACHE_ENGINES)[number];
  engineVersion?: string;
}): string | undefined {
  const versions = CACHE_ENGINE_VERSIONS[c.engine];
  return c.engineVersion !== undefined && !versions.includes(c.engineVersion)
    ? `${c.engine} runs ${versions.join(" or ")} on ElastiCache, got ${c.engineVersion}`
    : undefined;
}

export type CacheConfig = z.output<typeof CacheSchema>;

/** Controls of the policy gate this section may switch off in a development-tier environment (lib/core/controls.ts). */
export const CACHE_CONTROLS: Controls<{ cache: CacheConfig }> = {
  "elasticache-transit-encryption": {
    switch: "cache.transitEncryption",
    isOff: (env) => !env.cache.transitEncryption,
    present: (env) => env.cache.enabled !== false,
  },
  "elasticache-auth": {
    switch: "cache.auth",
    isOff: (env) => !env.cache.auth,
    present: (env) => env.cache.enabled !== false,
  },
};

/** Which of the module's resources exist, over its inputs (D211): the AUTH token's secret only while AUTH is on. */
export const CACHE_PRESENCE: PresenceTable = {
  aws_secretsmanager_secret: { redis_auth: { when: isTrue("redis_auth_enabled") } },
  aws_secretsmanager_secret_version: { redis_auth: { when: isTrue("redis_auth_enabled") } },
};
