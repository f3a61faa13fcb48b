/**
 * The Redis alarms. Roles move between the nodes of a group at every failover, so no role-dependent alarm
 * names a fixed node (D47). Member ids, node counts and the per-node metric queries are HCL expressions over the
 * module's variable tokens (members.ts, hclExpr): the for-expressions and `dynamic "metric_query"` blocks over
 * `range(<nodes>)` keep their text, and counted() sees `count.index` in the alarm names.
 */
import { TerraformCount, Token, type IResolvable } from "cdktf";
import { counted, present } from "../../lib/core/module-stack";
import { knob, type Presence } from "../../lib/core/rules";
import { hcl, presenceToken } from "../../lib/core/tokens";
import type { Alarm, AlarmSpec } from "./alarms";
import { MONITORING_PRESENCE, type Thresholds } from "./config";
import { memberId, memberSuffix, type RedisRefs } from "./members";

/** `count.index` of a counted alarm, as a token. */
const indexOf = (count: IResolvable) => TerraformCount.of(Token.asNumber(count)).index;
/** The count a presence of MONITORING_PRESENCE declares (D211), over the module's Redis inputs. */
function countOf(presence: Presence, r: RedisRefs): IResolvable {
  const inputs: Record<string, unknown> = { redis_shard_count: r.shardCount, redis_nodes_per_shard: r.nodesPerShard };
  return presenceToken(presence, (name) => {
    if (!(name in inputs)) throw new Error(`monitoring: a Redis alarm's presence reads var.${name}`);
    return inputs[name];
  });
}
const ALARMS = MONITORING_PRESENCE.aws_cloudwatch_metric_alarm;

/**
 * A `dynamic "metric_query"` block: one metric query per node of one shard, ids `<prefix>1` … `<prefix>N`
 * (N = var.redis_nodes_per_shard): `<group>-001` … `<group>-00N`, or in cluster mode the nodes
 * `<group>-000S-001` … of shard S = count.index + 1 (one alarm per shard, `shardIndex` its count.index).
 */
export function nodeQueries(
  r: RedisRefs,
  prefix: string,
  metric: { readonly name: string; readonly stat: string; readonly period: number },
  shardIndex?: unknown,
): Record<string, unknown> {
  const id =
    shardIndex === undefined
      ? hcl`format("%s-%03d", ${r.groupId}, metric_query.value + 1)`
      : hcl`format("%s-%04d-%03d", ${r.groupId}, ${shardIndex} + 1, metric_query.value + 1)`;
  return {
    for_each: hcl`range(${r.nodesPerShard})`,
    content: {
      id: `${prefix}\${metric_query.value + 1}`,
      return_data: false,
      metric: {
        namespace: "AWS/ElastiCache",
        metric_name: metric.name,
        dimensions: { CacheClusterId: id },
        period: metric.period,
        stat: metric.stat,
      },
    },
  };
}

/** Metric math over every node of a shard: `MAX([lag1, lag2, …])`; `term` has `%d` where the node number goes. */
export function overNodes(r: RedisRefs, fn: string, term: string): string {
  return `${fn}([${hcl`join(", ", [for i in range(${r.nodesPerShard}) : format(${JSON.stringify(term)}, i + 1)])`}])`;
}

/**
 * The Redis alarms. Per node (memory, engine CPU, evictions, hit rate): one alarm per member, named and
 * dimensioned after it (`<prefix>-redis-memory-high-001`, cluster mode `-0002-001`; D130). Per shard
 * (down, failover: roles move inside a shard, D47): one metric-math alarm over the shard's nodes, 1 + nodes
 * queries, at most 1 + MAX_REDIS_NODES_PER_SHARD (7) of CloudWatch's 10 (D131).
 */
export function redisAlarms(alarm: Alarm, t: Thresholds, r: RedisRefs, clusterMode: boolean): void {
  perNodeAlarms(alarm, t, r, clusterMode);
  perShardAlarms(alarm, t, r, clusterMode);
}

/** Memory, engine CPU, evictions and hit rate: one alarm per member, named and dimensioned after it (D130). */
function perNodeAlarms(alarm: Alarm, t: Thresholds, r: RedisRefs, clusterMode: boolean): void {
  // The same count for each: one alarm per member.
  const count = countOf(ALARMS.redis_memory_high, r);
  const id = Token.asString(memberId(indexOf(count), clusterMode, r));
  const node = { CacheClusterId: id };
  const nodeInstance = Token.asString(memberSuffix(indexOf(count), clusterMode, r));
  const perNode = (spec: Omit<AlarmSpec, "instance">) =>
    present(alarm({ ...spec, instance: nodeInstance }), MONITORING_PRESENCE);
  const onNode = `on node ${id}`;
  perNode({
    suffix: "redis-memory-high",
    alarmDescription: `Redis memory above ${t.redisMemoryPercent}% ${onNode} (seed 000 §8.4)`,
    namespace: "AWS/ElastiCache",
    metricName: "DatabaseMemoryUsagePercentage",
    dimensions: node,
    statistic: "Average",
    period: 300,
    evaluationPeriods: 2,
    threshold: t.redisMemoryPercent,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "missing",
  });
  perNode({
    suffix: "redis-engine-cpu-high",
    alarmDescription: `Redis engine CPU above ${t.redisEngineCpuPercent}% ${onNode}`,
    namespace: "AWS/ElastiCache",
    metricName: "EngineCPUUtilization",
    dimensions: node,
    statistic: "Average",
    period: 300,
    evaluationPeriods: 2,
    threshold: t.redisEngineCpuPercent,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "missing",
  });
  perNode({
    suffix: "redis-evictions",
    alarmDescription: `More than ${t.redisEvictions} keys evicted in 5 minutes ${onNode} (memory pressure)`,
    namespace: "AWS/ElastiCache",
    metricName: "Evictions",
    dimensions: node,
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    threshold: t.redisEvictions,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  });
  // Hit rate per node: 3 queries whatever the node count (a group-wide sum took 2 per node + 3, over
  // CloudWatch's 10 from 4 nodes on, D131). A node serving no reads has no hits or misses and reads 100%.
  perNode({
    suffix: "cache-miss-high",
    alarmDescription: `Cache hit rate below ${t.cacheHitRatePercent}% ${onNode} (seed 000 §9.2)`,
    evaluationPeriods: 2,
    threshold: t.cacheHitRatePercent,
    comparisonOperator: "LessThanThreshold",
    treatMissingData: "notBreaching",
    metricQuery: [
      {
        id: "hitrate",
        expression: "IF(hits + misses > 0, 100 * hits / (hits + misses), 100)",
        label: "Cache hit rate %",
        returnData: true,
      },
      {
        id: "hits",
        metric: { namespace: "AWS/ElastiCache", metricName: "CacheHits", dimensions: node, period: 300, stat: "Sum" },
      },
      {
        id: "misses",
        metric: {
          namespace: "AWS/ElastiCache",
          metricName: "CacheMisses",
          dimensions: node,
          period: 300,
          stat: "Sum",
        },
      },
    ],
  });
}

/**
 * Down and failover: one metric-math alarm over the nodes of a shard (roles move inside a shard, D47). Without
 * cluster mode the group is one shard and the alarm keeps seed 000 §9.2's name; with it, one per shard.
 */
function perShardAlarms(alarm: Alarm, t: Thresholds, r: RedisRefs, clusterMode: boolean): void {
  // With cluster mode, as many as shards: present on the same condition (the shard count is at least 1).
  const count = countOf(
    clusterMode ? { ...ALARMS.redis_down, each: undefined, count: knob("redis_shard_count") } : ALARMS.redis_down,
    r,
  );
  const shardIndex = clusterMode ? indexOf(count) : undefined;
  const shardNumber = shardIndex === undefined ? "" : hcl`format("%04d", ${shardIndex} + 1)`;
  const perShard = (spec: Omit<AlarmSpec, "instance">) =>
    counted(alarm(clusterMode ? { ...spec, instance: shardNumber } : spec), count);
  // Roles move: after a failover `-002` may be the primary (no ReplicationLag) and `-001` a
  // replica. Role-dependent metrics are therefore read from every node of the shard and combined
  // with metric math, so no alarm names a node (docs/decisions.md D47).
  const shard = clusterMode ? ` of shard ${shardNumber}` : "";
  perShard({
    suffix: "redis-down",
    alarmDescription: `Redis${shard} unavailable: the highest replication lag of any node above ${t.redisReplicationLag}s, or no node reporting replication at all (seed 000 §9.2)`,
    evaluationPeriods: 2,
    threshold: t.redisReplicationLag,
    comparisonOperator: "GreaterThanThreshold",
    // No node reporting lag (group gone, or no replica left) is as bad as one far behind.
    treatMissingData: "breaching",
    metricQuery: [
      {
        id: "lag",
        expression: overNodes(r, "MAX", "lag%d"),
        label: "Highest replication lag of any node (s)",
        returnData: true,
      },
    ],
  }).addOverride("dynamic", {
    metric_query: [nodeQueries(r, "lag", { name: "ReplicationLag", stat: "Maximum", period: 60 }, shardIndex)],
  });
  // A failover notifies on its own: IsMaster (1 on the primary, 0 on replicas) changes on some
  // node whenever the primary role moves. ElastiCache's SNS events cannot reach this topic (it is
  // KMS-encrypted, which ElastiCache notifications do not support) and its EventBridge events do
  // not include failovers (D47).
  perShard({
    suffix: "redis-failover",
    alarmDescription: `The Redis primary role${shard} moved to another node (failover or node replacement): check the app reconnected and the group is healthy`,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    metricQuery: [
      {
        id: "moved",
        expression: overNodes(r, "MAX", "ABS(DIFF(primary%d))"),
        label: "Nodes whose role changed",
        returnData: true,
      },
    ],
  }).addOverride("dynamic", {
    metric_query: [nodeQueries(r, "primary", { name: "IsMaster", stat: "Maximum", period: 60 }, shardIndex)],
  });
}
