/**
 * cache — ElastiCache for Redis (seed 000 §3.1, seed 001 `terraform/modules/cache`).
 *
 * Owns: the replication group `<name>-redis` (the id seed 000 §6 queries), its subnet group on the
 * private subnets, a redis7 parameter group, its security group (6379 only from the app group,
 * plus the matching egress rule on the app group), the slow-log group, and the AUTH token:
 * generated once by Terraform (`terraform_data` + `uuid()`, no extra provider), stored in a
 * KMS-encrypted Secrets Manager secret the app reads by ARN, never in tfvars or plain outputs.
 * Depends on: network and security only — never on compute (seed 000 §5.2 applies it first).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import type { Construct } from "constructs";
import { allowFrom, securityGroup, type DataTierPlacement } from "../../lib/constructs/access";
import { counted, expr, ModuleStack, named } from "../../lib/core/module-stack";
import { replacementDigest } from "../../lib/constructs/replacement-name";
import { generatedToken } from "../../lib/constructs/generated-token";
import { urlParameter } from "../../lib/constructs/url-parameter";
import type { KnobTokens } from "../../lib/core/knobs";
import type { CacheConfig } from "./config";
import { CACHE_KNOBS } from "./config";
import { DEFAULT_ENGINE_VERSION, parameterFamily, parameterGroupDescription, type CacheEngine } from "./engine";
import { rotationWaiverTags, ROTATION_WAIVERS } from "../../lib/constructs/rotation";
export * from "./engine";

export const REDIS_PORT = 6379;
export const PARAMETER_GROUP_DESCRIPTION = "Redis 7 parameters of the platform"; // the same text as engine.ts uses for redis

/**
 * Name of the parameter group: `<name>-<family>[-cluster]-<digest>`, the digest taken over the
 * replacement-forcing arguments (family, description; lib/constructs/replacement-name.ts), so any replacement
 * gets a new name and create_before_destroy never collides with the old group (ElastiCache parameter
 * groups have no name_prefix).
 */
export function parameterGroupName(name: string, family: string, description: string, cluster: boolean): string {
  return `${name}-${family}${cluster ? "-cluster" : ""}-${replacementDigest(family, description)}`;
}

export interface CacheProps extends DataTierPlacement {
  /** Name prefix, e.g. `<project>-production`; the group is `<name>-redis`. */
  readonly name: string;
  /** Secrets Manager path prefix, e.g. `<project>/production`. */
  readonly secretPrefix: string;
  /** The root variables of the cache knobs (./config.ts, knobs section): size, failover, Multi-AZ, TLS, AUTH, apply now. */
  readonly knobs: KnobTokens<typeof CACHE_KNOBS.knobs>;
  /**
   * The environment's `cache` section (./config.ts documents each setting and its default): engine and
   * version, purpose, snapshots, windows, slow-log retention, eviction policy, cluster mode. The module reads
   * what it needs, so a new setting or knob is a change of this folder only.
   */
  readonly settings: CacheConfig;
  /** `prevent_destroy` on the replication group (decided at synthesis). @default false */
  readonly preventDestroy?: boolean;
  /**
   * An SSM parameter with the connection URL, AUTH token included (`rediss://:<token>@<host>:6379`), written
   * write-only (D104): the full name, e.g. `/<project>/<workspace>/REDIS_URL`. @default none
   */
  readonly urlParameterName?: string;
}

export class CacheModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: CacheProps) {
    super(scope, workspace, "cache");

    const name = this.input("name", props.name, {
      type: "string",
      description: "Name prefix; the group is <name>-redis.",
    }).stringValue;
    this.input("secret_prefix", props.secretPrefix, { type: "string", description: "Secrets Manager path prefix." });
    const vpcId = this.input("vpc_id", props.vpcId, { type: "string", description: "VPC of the cache." }).stringValue;
    this.input("subnet_ids", props.subnetIds, {
      type: "list(string)",
      description: "Private subnets for the subnet group.",
    });
    const appSg = this.input("app_security_group_id", props.appSecurityGroupId, {
      type: "string",
      description: "Security group allowed to connect.",
    }).stringValue;
    const dataKey = this.input("data_kms_key_arn", props.dataKmsKeyArn, {
      type: "string",
      description: "KMS key for data at rest and the AUTH secret.",
    }).stringValue;
    const logsKey = this.input("logs_kms_key_arn", props.logsKmsKeyArn, {
      type: "string",
      description: "KMS key of the slow-log group.",
    }).stringValue;

    // Runbook knobs (./config.ts, knobs section): validated once, on the root variables that feed them.
    this.knobInputs(CACHE_KNOBS, props.knobs);
    const settings = props.settings;
    const engineName: CacheEngine = settings.engine;
    const version = settings.engineVersion ?? DEFAULT_ENGINE_VERSION[engineName];
    const engine = this.input("engine", engineName, {
      type: "string",
      description: "ElastiCache engine: redis (Redis OSS) or valkey.",
      default: "redis",
    }).stringValue;
    const engineVersion = this.input("engine_version", version, {
      type: "string",
      description: "Engine version (Redis OSS 7.0/7.1, Valkey 7.2/8.0).",
      default: "7.1",
    }).stringValue;
    const family = parameterFamily(engineName, version);
    const familyDescription = parameterGroupDescription(engineName, version);
    const snapshotRetention = this.input("snapshot_retention_days", settings.snapshotRetentionDays, {
      type: "number",
      description: "Days of snapshots.",
      default: 1,
    }).numberValue;
    const maintenance = this.input("maintenance_window", settings.maintenanceWindow, {
      type: "string",
      description: "Weekly maintenance window (UTC).",
      default: "sun:05:00-sun:06:00",
    }).stringValue;
    const snapshotWindow = this.input("snapshot_window", settings.snapshotWindow, {
      type: "string",
      description: "Daily snapshot window (UTC).",
      default: "03:00-04:00",
    }).stringValue;
    const slowLogRetention = this.input("slow_log_retention_days", settings.slowLogRetentionDays, {
      type: "number",
      description: "Retention of the slow-log group.",
      default: 30,
    }).numberValue;
    const maxmemory = this.input("maxmemory_policy", settings.maxmemoryPolicy, {
      type: "string",
      description: "Eviction policy.",
      default: "volatile-lru",
    }).stringValue;

    const cluster = settings.clusterMode.enabled ? settings.clusterMode : undefined;
    const sg = securityGroup(
      this,
      "redis",
      `${name}-redis`,
      "ElastiCache Redis: 6379 from the application tasks only",
      vpcId,
    );
    allowFrom(
      this,
      { name: "redis", id: sg.id },
      { name: "app", id: appSg },
      REDIS_PORT,
      "Redis from the application tasks",
    );

    const subnets = named(
      new ElasticacheSubnetGroup(this, "redis_subnets", {
        name: `${name}-redis`,
        description: "Private subnets of the Redis replication group",
        subnetIds: expr("var.subnet_ids") as unknown as string[],
      }),
      "redis",
    );
    // Replaced before it is destroyed (the group keeps a parameter group at all times), so its name
    // must change with every argument that forces a replacement: family and description (the
    // resource has no name_prefix). Cluster mode needs its own group, hence the suffix.
    const params = named(
      new ElasticacheParameterGroup(this, "redis_params", {
        name: parameterGroupName(name, family, familyDescription, cluster !== undefined),
        family,
        description: familyDescription,
        parameter: [
          { name: "maxmemory-policy", value: maxmemory },
          { name: "cluster-enabled", value: cluster ? "yes" : "no" },
        ],
        lifecycle: { createBeforeDestroy: true },
      }),
      "redis",
    );
    const slowLog = named(
      new CloudwatchLogGroup(this, "redis_slow_log", {
        name: `/elasticache/${name}-redis/slow-log`,
        retentionInDays: slowLogRetention,
        kmsKeyId: logsKey,
      }),
      "redis_slow_log",
    );

    // AUTH token: a UUID made once at creation and kept in state (ignore_changes); only the aws
    // provider is available, so Terraform's built-in uuid() is the random source. Rotate with
    // `terraform apply -replace='module.cache.terraform_data.auth_token'` (docs/operations.md).
    // Its `id` (a separate UUID, not the token) names the final snapshot of this group's lifetime.
    generatedToken(this, "auth_token");
    const secret = named(
      new SecretsmanagerSecret(this, "auth_secret", {
        name: "${var.secret_prefix}/redis-auth",
        description: "Redis AUTH token and connection details, read by the app through ECS secrets",
        kmsKeyId: dataKey,
        // Deleted at once, never scheduled (docs/decisions.md D45): the token only opens this
        // group, Terraform keeps it in state, and a scheduled deletion would hold the name for up
        // to 30 days, so re-enabling Redis after a rollback (seed 000 §7.3) would fail.
        recoveryWindowInDays: 0,
        // No hosted rotation function rotates an AUTH token (D172): rotated by hand, old and new valid together.
        tags: rotationWaiverTags(ROTATION_WAIVERS.redisAuth),
      }),
      "redis_auth",
    );
    counted(secret, "var.redis_auth_enabled ? 1 : 0");

    const group = named(
      new ElasticacheReplicationGroup(this, "redis_group", {
        replicationGroupId: `${name}-redis`,
        description: `${engineName === "valkey" ? "Valkey" : "Redis"} cache of ${name} (${settings.purpose})`,
        // Redis OSS → Valkey is an in-place upgrade in ElastiCache (ModifyReplicationGroup with Engine,
        // EngineVersion and the new family's parameter group); the provider updates `engine` in place (D99).
        engine,
        engineVersion,
        nodeType: expr("var.redis_node_type"),
        port: REDIS_PORT,
        parameterGroupName: params.name,
        subnetGroupName: subnets.name,
        securityGroupIds: [sg.id],
        automaticFailoverEnabled: expr("var.redis_automatic_failover_enabled") as unknown as boolean,
        multiAzEnabled: expr("var.redis_multi_az_enabled") as unknown as boolean,
        atRestEncryptionEnabled: "true",
        kmsKeyId: dataKey,
        transitEncryptionEnabled: expr("var.redis_transit_encryption_enabled") as unknown as boolean,
        authToken: expr("var.redis_auth_enabled ? sensitive(terraform_data.auth_token.output) : null"),
        authTokenUpdateStrategy: expr('var.redis_auth_enabled ? "ROTATE" : null'),
        autoMinorVersionUpgrade: "true",
        maintenanceWindow: maintenance,
        snapshotWindow,
        snapshotRetentionLimit: snapshotRetention,
        // One final snapshot per lifetime of the group: a fixed name would make the second removal
        // fail (SnapshotAlreadyExistsFault) after Redis was disabled, re-enabled and disabled again.
        finalSnapshotIdentifier: `${name}-redis-final-\${substr(terraform_data.auth_token.id, 0, 8)}`,
        // Knob redis_apply_immediately (seed 000 §8.4): false waits for the maintenance window.
        applyImmediately: expr("var.redis_apply_immediately") as unknown as boolean,
        lifecycle: { preventDestroy: props.preventDestroy ?? false },
        logDeliveryConfiguration: [
          { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        ],
        ...(cluster
          ? { numNodeGroups: cluster.shards, replicasPerNodeGroup: cluster.replicasPerShard, clusterMode: "enabled" }
          : { numCacheClusters: expr("var.redis_num_cache_nodes") as unknown as number }),
      }),
      "redis",
    );

    const endpoint = cluster
      ? "aws_elasticache_replication_group.redis.configuration_endpoint_address"
      : "aws_elasticache_replication_group.redis.primary_endpoint_address";
    const url = `"\${var.redis_transit_encryption_enabled ? "rediss" : "redis"}://\${${endpoint}}:${REDIS_PORT}"`;
    named(
      new SecretsmanagerSecretVersion(this, "auth_secret_version", {
        secretId: expr("aws_secretsmanager_secret.redis_auth[0].id"),
        secretString: expr(
          `jsonencode({ token = terraform_data.auth_token.output, host = ${endpoint}, port = ${REDIS_PORT}, url = ${url} })`,
        ),
      }),
      "redis_auth",
    ).addOverride("count", expr("var.redis_auth_enabled ? 1 : 0"));

    if (props.urlParameterName !== undefined) {
      const parameterName = this.input("url_parameter_name", props.urlParameterName, {
        type: "string",
        description: "SSM parameter with the connection URL (AUTH token included).",
      }).stringValue;
      const withToken = `"rediss://:\${terraform_data.auth_token.output}@\${${endpoint}}:${REDIS_PORT}"`;
      const redisUrl = urlParameter(this, {
        id: "redis_url",
        name: parameterName,
        description: "Redis URL with the AUTH token (written by Terraform, write-only: never in plan or state)",
        value: `\${var.redis_auth_enabled ? ${withToken} : ${url}}`,
        triggers: [
          "terraform_data.auth_token.id",
          endpoint,
          "var.redis_auth_enabled",
          "var.redis_transit_encryption_enabled",
        ],
        dataKey,
      });
      this.output("redis_url_parameter_arn", redisUrl.arn, "ARN of the REDIS_URL parameter.");
    }

    this.output("redis_endpoint", expr(endpoint), "Primary endpoint address (configuration endpoint in cluster mode).");
    this.output(
      "redis_reader_endpoint",
      expr(cluster ? endpoint : "aws_elasticache_replication_group.redis.reader_endpoint_address"),
      "Reader endpoint address.",
    );
    this.output("redis_port", REDIS_PORT, "Redis port.");
    this.output(
      "redis_url",
      expr(url),
      "redis:// or rediss:// URL without credentials (the token is in the AUTH secret).",
    );
    this.output("redis_security_group_id", sg.id, "Security group of the Redis nodes.");
    this.output(
      "redis_auth_secret_arn",
      expr("one(aws_secretsmanager_secret.redis_auth[*].arn)"),
      "Secret holding the AUTH token (JSON key `token`), or null without AUTH.",
    );
    this.output("replication_group_id", group.id, "Replication group id (seed 000 §6: describe-replication-groups).");
  }
}
