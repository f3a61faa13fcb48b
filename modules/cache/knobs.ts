/**
 * The cache module's knobs: root variables operators edit in tfvars (seed 000 §8.3–8.4), declared
 * once here (lib/core/knobs.ts). Their config fields are the `cache` section's (`cache.nodeType` …).
 */
import { defineKnobs, hclRegex, keepsOn } from "../../lib/core/knobs";

/** ElastiCache for Redis node families (current and previous generation still offered). */
export const REDIS_NODE_FAMILIES = ["t2", "t3", "t4g", "m4", "m5", "m6g", "m7g", "r4", "r5", "r6g", "r7g", "r6gd"] as const;
const SIZES = "(micro|small|medium|large|xlarge|[0-9]+xlarge)";
export const REDIS_NODE_TYPE_RE = `^cache\\.(${REDIS_NODE_FAMILIES.join("|")})\\.${SIZES}$`;

export const CACHE_KNOBS = defineKnobs(
  {
    redis_node_type: { type: "string", field: "nodeType", description: "ElastiCache node type (seed 000 §8.4: scale vertically here)." },
    redis_num_cache_nodes: { type: "number", integer: true, field: "numCacheNodes", description: "Nodes in the replication group: 1 primary + replicas." },
    redis_automatic_failover_enabled: { type: "bool", field: "automaticFailover", description: "Promote a replica when the primary fails (needs 2+ nodes)." },
    redis_multi_az_enabled: { type: "bool", field: "multiAz", description: "Spread nodes over AZs (needs automatic failover)." },
    redis_transit_encryption_enabled: { type: "bool", field: "transitEncryption", description: "TLS between clients and Redis." },
    redis_auth_enabled: { type: "bool", field: "auth", description: "Require the AUTH token (needs transit encryption)." },
    redis_apply_immediately: {
      type: "bool",
      field: "applyImmediately",
      default: false,
      description: "Apply Redis changes (node type, node count, parameters) now instead of in the weekly maintenance window (seed 000 §8.4 incident scale-up).",
    },
  },
  (ctx) => [
    {
      variable: "redis_node_type",
      ok: (v) => new RegExp(REDIS_NODE_TYPE_RE).test(String(v.redis_node_type)),
      condition: `can(regex("${hclRegex(REDIS_NODE_TYPE_RE)}", var.redis_node_type))`,
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
    // Production-like tiers keep the policy controls an operator could switch off in tfvars.
    ...keepsOn(ctx, "redis_transit_encryption_enabled", "Redis TLS on", "elasticache-transit-encryption"),
    ...keepsOn(ctx, "redis_auth_enabled", "Redis AUTH on", "elasticache-auth"),
    ...keepsOn(ctx, "redis_automatic_failover_enabled", "Redis automatic failover on", "elasticache-multi-az"),
    ...keepsOn(ctx, "redis_multi_az_enabled", "Redis Multi-AZ on", "elasticache-multi-az"),
  ],
);
