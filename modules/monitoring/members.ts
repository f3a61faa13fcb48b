/** Redis member ids as ElastiCache names them, as HCL expressions (alarms and dashboard). */
/**
 * The member id suffix of node `i` (HCL, 0-based over the whole group) as ElastiCache names members
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis.Groups.html): `<group>-003`
 * without cluster mode, `<group>-0002-003` (shard 2, node 3) with it.
 */
export function memberSuffix(i: string, clusterMode: boolean): string {
  return clusterMode
    ? `format("%04d-%03d", floor((${i}) / var.redis_nodes_per_shard) + 1, (${i}) % var.redis_nodes_per_shard + 1)`
    : `format("%03d", ${i} + 1)`;
}

/** The CacheClusterId of node `i` (0-based over the whole group), as an HCL expression. */
export function memberId(i: string, clusterMode: boolean): string {
  return `format("%s-%s", var.redis_replication_group_id, ${memberSuffix(i, clusterMode)})`;
}
