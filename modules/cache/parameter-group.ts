/** cache — the parameter group of the replication group (engine family, eviction policy, cluster mode). */
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import type { Construct } from "constructs";
import { replacementDigest } from "../../lib/constructs/replacement-name";
import { named } from "../../lib/core/module-stack";

/**
 * Name of the parameter group: `<name>-<family>[-cluster]-<digest>`, the digest taken over the
 * replacement-forcing arguments (family, description; lib/constructs/replacement-name.ts), so any replacement
 * gets a new name and create_before_destroy never collides with the old group (ElastiCache parameter
 * groups have no name_prefix).
 */
export function parameterGroupName(name: string, family: string, description: string, cluster: boolean): string {
  return `${name}-${family}${cluster ? "-cluster" : ""}-${replacementDigest(family, description)}`;
}

export interface ParameterGroupProps {
  /** Name prefix (token of the `name` input). */
  readonly name: string;
  /** Parameter family (`redis7`, `valkey8`) and its description, both decided at synthesis. */
  readonly family: string;
  readonly description: string;
  /** Token of the `maxmemory_policy` input. */
  readonly maxmemoryPolicy: string;
  readonly cluster: boolean;
}

/**
 * `aws_elasticache_parameter_group.redis`. Replaced before it is destroyed (the group keeps a parameter group at
 * all times), so its name must change with every argument that forces a replacement: family and description (the
 * resource has no name_prefix). Cluster mode needs its own group, hence the suffix.
 */
export function redisParameterGroup(scope: Construct, p: ParameterGroupProps): ElasticacheParameterGroup {
  return named(
    new ElasticacheParameterGroup(scope, "redis_params", {
      name: parameterGroupName(p.name, p.family, p.description, p.cluster),
      family: p.family,
      description: p.description,
      parameter: [
        { name: "maxmemory-policy", value: p.maxmemoryPolicy },
        { name: "cluster-enabled", value: p.cluster ? "yes" : "no" },
      ],
      lifecycle: { createBeforeDestroy: true },
    }),
    "redis",
  );
}
