import { PARAMETER_GROUP_DESCRIPTION, parameterGroupDescription, parameterGroupName } from "../../modules/cache";
import { replacementDigest } from "../../lib/constructs/replacement-name";
import { stateDependencies } from "../../tools/terraform";
import { problems } from "../helpers/config";
import { resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { synthWorkspace } from "../helpers/workspace-fixture";
import { CACHE_ENGINES, DEFAULT_ENGINE_VERSION } from "../../modules/cache/engine";
import { engineVersionProblem } from "../../modules/cache/config";

const { stacks } = synthAll();
const cache: Json = stacks.production.modules.cache;
const group = resource(cache, "aws_elasticache_replication_group", "redis");

describe("replication group", () => {
  test("is named <name>-redis, the id seed 000 §6 describes", () => {
    expect(group.replication_group_id).toBe("${var.name}-redis");
  });

  test("runs the configured engine: production Valkey 7.2 with a valkey7 parameter group", () => {
    expect(group).toMatchObject({ engine: "${var.engine}", engine_version: "${var.engine_version}" });
    expect(stacks.production.root.module.cache).toMatchObject({ engine: "valkey", engine_version: "7.2" });
    expect(resource(cache, "aws_elasticache_parameter_group", "redis").family).toBe("valkey7");
    expect(group.description).toMatch(/^Valkey cache of /);
  });

  test("without an engine it runs Redis OSS 7.1 with the redis7 group, unchanged from before the option", () => {
    const c = synthWorkspace("production", (e) => {
      delete e.cache.engine;
      delete e.cache.engineVersion;
    });
    expect(c.root.module.cache).toMatchObject({ engine: "redis", engine_version: "7.1" });
    expect(resource(c.modules.cache, "aws_elasticache_parameter_group", "redis")).toMatchObject({
      family: "redis7",
      name: `\${var.name}-redis7-${replacementDigest("redis7", PARAMETER_GROUP_DESCRIPTION)}`,
    });
    expect(resource(c.modules.cache, "aws_elasticache_replication_group", "redis").description).toMatch(
      /^Redis cache of /,
    );
  });

  test("Valkey 8.0 takes the valkey8 family, with its own parameter group name", () => {
    const prod = synthWorkspace("production", (e) =>
      Object.assign(e.cache, { engine: "valkey", engineVersion: "8.0" }),
    );
    const pg = resource(prod.modules.cache, "aws_elasticache_parameter_group", "redis");
    expect(pg).toMatchObject({ family: "valkey8", description: "Valkey 8 parameters of the platform" });
    expect(pg.name).toBe(
      `\${var.name}-valkey8-${replacementDigest("valkey8", parameterGroupDescription("valkey", "8.0"))}`,
    );
  });

  test("an engine without a version runs its default, a version ElastiCache accepts for it", () => {
    for (const engine of CACHE_ENGINES)
      expect(engineVersionProblem({ engine, engineVersion: DEFAULT_ENGINE_VERSION[engine] })).toBeUndefined();
  });

  test.each([
    ["valkey", "7.1", "staging.cache.engineVersion: valkey runs 7.2 or 8.0 on ElastiCache, got 7.1"],
    ["redis", "8.0", "staging.cache.engineVersion: redis runs 7.0 or 7.1 on ElastiCache, got 8.0"],
  ])("refuses engine %s with version %s", (engine, engineVersion, message) => {
    expect(problems("staging", (e) => Object.assign(e.cache, { engine, engineVersion }))).toEqual([message]);
  });

  test("refuses an engine ElastiCache has no replication groups for", () => {
    expect(problems("staging", (e) => (e.cache.engine = "memcached"))[0]).toMatch(/^staging\.cache\.engine: /);
  });

  test("lives in the private subnets", () => {
    expect(resource(cache, "aws_elasticache_subnet_group", "redis").subnet_ids).toBe("${var.subnet_ids}");
    expect(stacks.production.root.module.cache.subnet_ids).toBe("${module.network.private_subnet_ids}");
  });

  test("encrypts at rest with the data key in every workspace", () => {
    expect(group).toMatchObject({ at_rest_encryption_enabled: "true", kms_key_id: "${var.data_kms_key_arn}" });
  });

  test("takes size, failover, Multi-AZ and TLS from the runbook knobs", () => {
    expect(group).toMatchObject({
      node_type: "${var.redis_node_type}",
      num_cache_clusters: "${var.redis_num_cache_nodes}",
      automatic_failover_enabled: "${var.redis_automatic_failover_enabled}",
      multi_az_enabled: "${var.redis_multi_az_enabled}",
      transit_encryption_enabled: "${var.redis_transit_encryption_enabled}",
    });
  });

  test("has maintenance and snapshot windows and keeps snapshots", () => {
    expect(group).toMatchObject({
      maintenance_window: "${var.maintenance_window}",
      snapshot_window: "${var.snapshot_window}",
    });
    expect(group.snapshot_retention_limit).toBe("${var.snapshot_retention_days}");
  });

  test("delivers its slow log to a KMS-encrypted CloudWatch log group", () => {
    expect(group.log_delivery_configuration).toEqual([
      {
        destination: "${aws_cloudwatch_log_group.redis_slow_log.name}",
        destination_type: "cloudwatch-logs",
        log_format: "json",
        log_type: "slow-log",
      },
    ]);
    expect(resource(cache, "aws_cloudwatch_log_group", "redis_slow_log").kms_key_id).toBe("${var.logs_kms_key_arn}");
  });
});

describe("per-environment invariants (seed 000 §3.1, D49)", () => {
  const knob = (ws: string, n: string) =>
    (new RegExp(`\\n${n} = (.+)\\n`).exec(stacks[ws].tfvars) as RegExpExecArray)[1];

  test("every workspace runs TLS and AUTH, dev included, so the app's rediss:// path is the one production runs", () => {
    for (const ws of Object.keys(stacks)) {
      expect([ws, knob(ws, "redis_transit_encryption_enabled"), knob(ws, "redis_auth_enabled")]).toEqual([
        ws,
        "true",
        "true",
      ]);
    }
    expect(stacks.dev.root.module.compute.redis_auth_secret_arn).toBe("${module.cache.redis_auth_secret_arn}");
  });

  test("production is Multi-AZ with automatic failover on at least two nodes", () => {
    expect(knob("production", "redis_multi_az_enabled")).toBe("true");
    expect(knob("production", "redis_automatic_failover_enabled")).toBe("true");
    expect(Number(knob("production", "redis_num_cache_nodes"))).toBeGreaterThanOrEqual(2);
  });
});

describe("network access", () => {
  test("admits 6379 only from the app security group, described", () => {
    const ingress = Object.values(resourcesOf(cache, "aws_vpc_security_group_ingress_rule"));
    expect(ingress).toEqual([
      expect.objectContaining({
        security_group_id: "${aws_security_group.redis.id}",
        referenced_security_group_id: "${var.app_security_group_id}",
        from_port: 6379,
        to_port: 6379,
        description: "Redis from the application tasks",
      }),
    ]);
  });

  test("opens the app group's egress to Redis only", () => {
    expect(resource(cache, "aws_vpc_security_group_egress_rule", "app_to_redis")).toMatchObject({
      security_group_id: "${var.app_security_group_id}",
      referenced_security_group_id: "${aws_security_group.redis.id}",
      from_port: 6379,
    });
  });

  test("takes the app group from network, not compute", () => {
    expect(stacks.production.root.module.cache.app_security_group_id).toBe("${module.network.app_security_group_id}");
  });
});

describe("AUTH token", () => {
  test("is generated once by Terraform (uuid kept in state), not supplied by anyone", () => {
    expect(resource(cache, "terraform_data", "auth_token")).toMatchObject({
      input: "${uuid()}",
      lifecycle: { ignore_changes: ["input"] },
    });
  });

  test("reaches Redis as a sensitive value, only when AUTH is on", () => {
    expect(group.auth_token).toBe("${var.redis_auth_enabled ? sensitive(terraform_data.auth_token.output) : null}");
  });

  test("is kept in a KMS-encrypted secret the app reads by ARN", () => {
    expect(resource(cache, "aws_secretsmanager_secret", "redis_auth")).toMatchObject({
      kms_key_id: "${var.data_kms_key_arn}",
      name: "${var.secret_prefix}/redis-auth",
    });
    expect(resource(cache, "aws_secretsmanager_secret_version", "redis_auth").secret_string).toContain(
      '"token" = terraform_data.auth_token.output',
    );
  });

  test("appears in no output", () => {
    for (const o of Object.values<Json>(cache.output)) expect(JSON.stringify(o.value)).not.toContain("auth_token");
    for (const o of Object.values<Json>(stacks.production.root.output))
      expect(JSON.stringify(o.value)).not.toMatch(/auth_token(?!_)/);
  });
});

describe("outputs", () => {
  test("the root exports the names seed 000 reads", () => {
    expect(stacks.production.root.output).toMatchObject({
      redis_endpoint: { value: "${module.cache.redis_endpoint}" },
      redis_port: { value: "${module.cache.redis_port}" },
      redis_security_group_id: { value: "${module.cache.redis_security_group_id}" },
      redis_url: { value: "${module.cache.redis_url}" },
    });
  });

  test("redis_url uses rediss:// when TLS is on and carries no credentials", () => {
    expect(cache.output.redis_url.value).toBe(
      '${"${var.redis_transit_encryption_enabled ? "rediss" : "redis"}://${aws_elasticache_replication_group.redis.primary_endpoint_address}:6379"}',
    );
  });
});

describe("incident knob redis_apply_immediately (seed 000 §8.4)", () => {
  test("feeds apply_immediately of the replication group", () => {
    expect(group.apply_immediately).toBe("${var.redis_apply_immediately}");
    expect(stacks.production.root.module.cache.redis_apply_immediately).toBe("${var.redis_apply_immediately}");
  });

  test("is false in every workspace's tfvars (changes wait for the maintenance window)", () => {
    for (const s of Object.values(stacks)) expect(s.tfvars).toMatch(/\nredis_apply_immediately = false\n/);
  });

  test("is a bool root variable that defaults to false", () => {
    expect(stacks.production.root.variable.redis_apply_immediately).toMatchObject({ type: "bool", default: false });
  });
});

describe("replacement and re-creation", () => {
  test("the security group has a unique AWS name (name_prefix) and a readable Name tag", () => {
    const sg = resource(cache, "aws_security_group", "redis");
    expect(sg).toMatchObject({
      name_prefix: "${var.name}-redis-",
      tags: { Name: "${var.name}-redis" },
      lifecycle: { create_before_destroy: true },
    });
    expect(sg.name).toBeUndefined();
  });

  test("the parameter group's name changes with every replacement-forcing argument", () => {
    const pg = resource(cache, "aws_elasticache_parameter_group", "redis");
    const description = parameterGroupDescription("valkey", "7.2");
    expect(pg).toMatchObject({
      name: `\${var.name}-valkey7-${replacementDigest("valkey7", description)}`,
      family: "valkey7",
      description,
      lifecycle: { create_before_destroy: true },
    });
    const names = new Set([
      parameterGroupName("n", "redis7", PARAMETER_GROUP_DESCRIPTION, false),
      parameterGroupName("n", "valkey7", parameterGroupDescription("valkey", "7.2"), false),
      parameterGroupName("n", "redis7", "another description", false),
      parameterGroupName("n", "redis7", PARAMETER_GROUP_DESCRIPTION, true),
    ]);
    expect(names.size).toBe(4);
  });

  test("the AUTH secret is deleted at once, so re-enabling Redis can create its name again (D45)", () => {
    for (const s of Object.values(stacks))
      expect(resource(s.modules.cache, "aws_secretsmanager_secret", "redis_auth").recovery_window_in_days).toBe(0);
  });

  test("each lifetime of the group has its own final snapshot name", () => {
    expect(group.final_snapshot_identifier).toBe(
      "${var.name}-redis-final-${substr(terraform_data.auth_token.id, 0, 8)}",
    );
  });
});

describe("cache disabled (seed 000 §7.3)", () => {
  const off = synthWorkspace("production", (e) => Object.assign(e.cache, { enabled: false, allowDestroy: true }));

  test("removes the module, its knobs and its outputs from the root", () => {
    expect(off.root.module.cache).toBeUndefined();
    expect(off.modules.cache).toBeUndefined();
    expect(Object.keys(off.root.output).filter((o) => o.startsWith("redis_"))).toEqual([]);
    expect(off.tfvars).not.toMatch(/\nredis_/);
  });

  test("the dependencies Terraform records reach the cache from compute and monitoring only while the module exists", () => {
    const on = stateDependencies(stacks.production.dir);
    const offDeps = stateDependencies(off.dir);
    const group = "module.cache.aws_elasticache_replication_group.redis";
    expect(on.get("module.compute.aws_ecs_task_definition.app")).toContain(group);
    expect(on.get("module.compute.aws_ecs_service.app")).toContain(group);
    expect(on.get("module.monitoring.aws_cloudwatch_metric_alarm.redis_down")).toContain(group);
    expect(on.get("module.network.aws_vpc.this")).toEqual([]);
    expect([...offDeps.values()].flat().filter((d) => d.startsWith("module.cache."))).toEqual([]);
  });

  test("production refuses it without cache.allowDestroy, saying why", () => {
    expect(problems("production", (e) => (e.cache.enabled = false))).toEqual([
      "production.cache.enabled: false destroys the Redis replication group and its AUTH secret, and prevent_destroy leaves together with the cache module block; confirm with cache.allowDestroy: true (seed 000 §7.3 rollback, docs/operations.md)",
    ]);
  });

  test("staging and dev (no preventDestroy) disable it without confirmation", () => {
    expect(problems("staging", (e) => (e.cache.enabled = false))).toEqual([]);
    expect(problems("dev", (e) => (e.cache.enabled = false))).toEqual([]);
  });

  test("allowDestroy left on with the cache enabled is refused, so the next removal is deliberate too", () => {
    expect(problems("production", (e) => (e.cache.allowDestroy = true))).toEqual([
      "production.cache.allowDestroy: only confirms disabling the cache (enabled: false); remove it once Redis is enabled again, so the next removal is deliberate too",
    ]);
  });

  test("keeps the other modules and the TTL knobs", () => {
    expect(Object.keys(off.root.module).sort()).toEqual([
      "cdn",
      "compute",
      "database",
      "dr",
      "monitoring",
      "network",
      "security",
      "storage",
    ]);
    expect(off.tfvars).toMatch(/\nbncc_cache_ttl = \d+\n/);
  });
});

describe("cluster mode (seed 001, off by default)", () => {
  const on = synthWorkspace("production", (e) =>
    Object.assign(e.cache, { clusterMode: { enabled: true, shards: 3, replicasPerShard: 2 } }),
  ).modules.cache;

  test("is off in every checked-in workspace", () => {
    for (const s of Object.values(stacks))
      expect(resource(s.modules.cache, "aws_elasticache_replication_group", "redis").num_node_groups).toBeUndefined();
  });

  test("when enabled, shards the group and exports the configuration endpoint", () => {
    expect(resource(on, "aws_elasticache_replication_group", "redis")).toMatchObject({
      num_node_groups: 3,
      replicas_per_node_group: 2,
      cluster_mode: "enabled",
    });
    expect(on.output.redis_endpoint.value).toBe(
      "${aws_elasticache_replication_group.redis.configuration_endpoint_address}",
    );
    expect(resource(on, "aws_elasticache_parameter_group", "redis").parameter).toContainEqual({
      name: "cluster-enabled",
      value: "yes",
    });
  });
});
