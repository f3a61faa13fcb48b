/**
 * cache — the replication group `<name>-redis` with its subnet group (private subnets) and slow-log group. Size,
 * failover, Multi-AZ, TLS, AUTH and "apply now" come from the knob tokens (the operator's tfvars values).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { conditional, Fn, Token, type DataResource } from "cdktf";
import type { Construct } from "constructs";
import { generatedValue } from "../../lib/constructs/generated-token";
import type { KnobTokens } from "../../lib/core/knobs";
import { named } from "../../lib/core/module-stack";
import type { CACHE_KNOBS, CacheConfig } from "./config";

export const REDIS_PORT = 6379;

/** The module's inputs the group reads, as tokens of its variables. */
export interface GroupInputs {
  readonly name: string;
  readonly subnetIds: string[];
  readonly securityGroupId: string;
  readonly parameterGroupName: string;
  readonly dataKey: string;
  readonly logsKey: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly snapshotRetention: number;
  readonly maintenanceWindow: string;
  readonly snapshotWindow: string;
  readonly slowLogRetention: number;
}

export interface GroupProps {
  readonly inputs: GroupInputs;
  readonly knobs: KnobTokens<typeof CACHE_KNOBS.knobs>;
  /** For the description (`<Engine> cache of <name> (<purpose>)`), decided at synthesis. */
  readonly engineName: CacheConfig["engine"];
  readonly purpose: string;
  /** Cluster mode's shape, when on. */
  readonly cluster?: CacheConfig["clusterMode"];
  /** `terraform_data.auth_token`: the AUTH token, and its id names the final snapshot. */
  readonly authToken: DataResource;
  readonly preventDestroy: boolean;
}

/** `aws_elasticache_replication_group.redis`, its subnet group and slow-log group. */
export function replicationGroup(scope: Construct, p: GroupProps): ElasticacheReplicationGroup {
  const { inputs: i, knobs, cluster } = p;
  const subnets = named(
    new ElasticacheSubnetGroup(scope, "redis_subnets", {
      name: `${i.name}-redis`,
      description: "Private subnets of the Redis replication group",
      subnetIds: i.subnetIds,
    }),
    "redis",
  );
  const slowLog = named(
    new CloudwatchLogGroup(scope, "redis_slow_log", {
      name: `/elasticache/${i.name}-redis/slow-log`,
      retentionInDays: i.slowLogRetention,
      kmsKeyId: i.logsKey,
    }),
    "redis_slow_log",
  );
  const auth = knobs.redis_auth_enabled;
  return named(
    new ElasticacheReplicationGroup(scope, "redis_group", {
      replicationGroupId: `${i.name}-redis`,
      description: `${p.engineName === "valkey" ? "Valkey" : "Redis"} cache of ${i.name} (${p.purpose})`,
      // Redis OSS → Valkey is an in-place upgrade in ElastiCache (ModifyReplicationGroup with Engine,
      // EngineVersion and the new family's parameter group); the provider updates `engine` in place (D99).
      engine: i.engine,
      engineVersion: i.engineVersion,
      nodeType: knobs.redis_node_type,
      port: REDIS_PORT,
      parameterGroupName: i.parameterGroupName,
      subnetGroupName: subnets.name,
      securityGroupIds: [i.securityGroupId],
      automaticFailoverEnabled: knobs.redis_automatic_failover_enabled,
      multiAzEnabled: knobs.redis_multi_az_enabled,
      atRestEncryptionEnabled: "true",
      kmsKeyId: i.dataKey,
      transitEncryptionEnabled: knobs.redis_transit_encryption_enabled,
      authToken: Token.asString(conditional(auth, Fn.sensitive(generatedValue(p.authToken)), null)),
      authTokenUpdateStrategy: Token.asString(conditional(auth, "ROTATE", null)),
      autoMinorVersionUpgrade: "true",
      maintenanceWindow: i.maintenanceWindow,
      snapshotWindow: i.snapshotWindow,
      snapshotRetentionLimit: i.snapshotRetention,
      // One final snapshot per lifetime of the group: a fixed name would make the second removal
      // fail (SnapshotAlreadyExistsFault) after Redis was disabled, re-enabled and disabled again.
      finalSnapshotIdentifier: `${i.name}-redis-final-${Fn.substr(p.authToken.id, 0, 8)}`,
      // Knob redis_apply_immediately (seed 000 §8.4): false waits for the maintenance window.
      applyImmediately: knobs.redis_apply_immediately,
      lifecycle: { preventDestroy: p.preventDestroy },
      logDeliveryConfiguration: [
        { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
      ],
      ...(cluster
        ? { numNodeGroups: cluster.shards, replicasPerNodeGroup: cluster.replicasPerShard, clusterMode: "enabled" }
        : { numCacheClusters: knobs.redis_num_cache_nodes }),
    }),
    "redis",
  );
}
