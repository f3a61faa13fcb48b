/** Redis member ids as ElastiCache names them, as HCL expressions over the module's variables (alarms and dashboard). */
import type { IResolvable } from "cdktf";
import { hclExpr } from "../../lib/core/tokens";

/** The module's Redis variables, as tokens. */
export interface RedisRefs {
  /** `redis_replication_group_id`. */
  readonly groupId: string;
  /** `redis_nodes_per_shard`. */
  readonly nodesPerShard: number;
  /** `redis_shard_count`. */
  readonly shardCount: number;
}

/**
 * The member id suffix of node `i` (0-based over the whole group: `count.index`'s token, or a for-expression's
 * variable name) as ElastiCache names members
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis.Groups.html): `<group>-003`
 * without cluster mode, `<group>-0002-003` (shard 2, node 3) with it.
 */
export function memberSuffix(i: unknown, clusterMode: boolean, r: RedisRefs): IResolvable {
  const nodes = r.nodesPerShard;
  return clusterMode
    ? hclExpr`format("%04d-%03d", floor((${i}) / ${nodes}) + 1, (${i}) % ${nodes} + 1)`
    : hclExpr`format("%03d", ${i} + 1)`;
}

/** The CacheClusterId of node `i` (0-based over the whole group). */
export function memberId(i: unknown, clusterMode: boolean, r: RedisRefs): IResolvable {
  return hclExpr`format("%s-%s", ${r.groupId}, ${memberSuffix(i, clusterMode, r)})`;
}
