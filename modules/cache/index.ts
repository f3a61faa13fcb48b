/**
 * cache — ElastiCache for Redis (seed 000 §3.1, seed 001 `terraform/modules/cache`).
 *
 * Owns: the replication group `<name>-redis` (the id seed 000 §6 queries), its subnet group on the
 * private subnets, a redis7 parameter group, its security group (6379 only from the app group,
 * plus the matching egress rule on the app group), the slow-log group, and the AUTH token:
 * generated once by Terraform (`terraform_data` + `uuid()`, no extra provider), stored in a
 * KMS-encrypted Secrets Manager secret the app reads by ARN, never in tfvars or plain outputs.
 * Depends on: network and security only — never on compute (seed 000 §5.2 applies it first).
 *
 * Parts: ./group.ts (replication group, subnet group, slow log), ./parameter-group.ts, ./auth-secret.ts,
 * and the REDIS_URL parameter (lib/constructs/url-parameter.ts).
 */
import { conditional, Fn, propertyAccess, Token } from "cdktf";
import type { Construct } from "constructs";
import { allowFrom, securityGroup, type DataTierPlacement } from "../../lib/constructs/access";
import { generatedToken, generatedValue } from "../../lib/constructs/generated-token";
import { urlParameter } from "../../lib/constructs/url-parameter";
import type { KnobTokens, ModuleSettings } from "../../lib/core/knobs";
import { ModuleStack } from "../../lib/core/module-stack";
import { authSecret } from "./auth-secret";
import type { CacheConfig } from "./config";
import { CACHE_KNOBS } from "./config";
import { DEFAULT_ENGINE_VERSION, parameterFamily, parameterGroupDescription } from "./engine";
import { REDIS_PORT, replicationGroup } from "./group";
import { redisParameterGroup } from "./parameter-group";
export * from "./engine";
export { REDIS_PORT } from "./group";
export { parameterGroupName } from "./parameter-group";

export const PARAMETER_GROUP_DESCRIPTION = "Redis 7 parameters of the platform"; // the same text as engine.ts uses for redis

/** The `cache` section without its knob fields: what the module reads at synthesis. */
export type CacheSettings = ModuleSettings<CacheConfig, typeof CACHE_KNOBS.knobs>;

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
   * what it needs, so a new setting or knob is a change of this folder only. Its knob fields are not readable
   * here: their values are the operator's, reached through `knobs`.
   */
  readonly settings: CacheSettings;
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
    // Declaration order is the order of the variables in the generated docs: placement, knobs, settings.
    const placement = this.placementInputs(props);
    // Runbook knobs (./config.ts, knobs section): validated once, on the root variables that feed them.
    const knobs = this.knobInputs(CACHE_KNOBS, props.knobs);
    const inputs = { ...placement, ...this.settingInputs(props) };
    const settings = props.settings;
    const cluster = settings.clusterMode.enabled ? settings.clusterMode : undefined;

    const sg = securityGroup(
      this,
      "redis",
      `${inputs.name}-redis`,
      "ElastiCache Redis: 6379 from the application tasks only",
      inputs.vpcId,
    );
    allowFrom(
      this,
      { name: "redis", id: sg.id },
      { name: "app", id: inputs.appSg },
      REDIS_PORT,
      "Redis from the application tasks",
    );
    const params = redisParameterGroup(this, {
      name: inputs.name,
      family: inputs.family,
      description: inputs.familyDescription,
      maxmemoryPolicy: inputs.maxmemoryPolicy,
      cluster: cluster !== undefined,
    });

    // AUTH token: a UUID made once at creation and kept in state (ignore_changes); only the aws
    // provider is available, so Terraform's built-in uuid() is the random source. Rotate with
    // `terraform apply -replace='module.cache.terraform_data.auth_token'` (docs/operations.md).
    // Its `id` (a separate UUID, not the token) names the final snapshot of this group's lifetime.
    const authToken = generatedToken(this, "auth_token");
    const group = replicationGroup(this, {
      inputs: { ...inputs, securityGroupId: sg.id, parameterGroupName: params.name },
      knobs,
      engineName: settings.engine,
      purpose: settings.purpose,
      cluster,
      authToken,
      preventDestroy: props.preventDestroy ?? false,
    });

    const endpoint = cluster ? group.configurationEndpointAddress : group.primaryEndpointAddress;
    const scheme = conditional(knobs.redis_transit_encryption_enabled, "rediss", "redis");
    const url = `${scheme}://${endpoint}:${REDIS_PORT}`;
    const secret = authSecret(this, {
      secretPrefix: inputs.secretPrefix,
      dataKey: inputs.dataKey,
      token: authToken,
      host: endpoint,
      port: REDIS_PORT,
      url,
    });

    if (props.urlParameterName !== undefined) {
      const parameterName = this.input("url_parameter_name", props.urlParameterName, {
        type: "string",
        description: "SSM parameter with the connection URL (AUTH token included).",
      }).stringValue;
      const withToken = `rediss://:${generatedValue(authToken)}@${endpoint}:${REDIS_PORT}`;
      const redisUrl = urlParameter(this, {
        id: "redis_url",
        name: parameterName,
        description: "Redis URL with the AUTH token (written by Terraform, write-only: never in plan or state)",
        value: Token.asString(conditional(knobs.redis_auth_enabled, withToken, url)),
        triggers: [authToken.id, endpoint, knobs.redis_auth_enabled, knobs.redis_transit_encryption_enabled],
        dataKey: inputs.dataKey,
      });
      this.output("redis_url_parameter_arn", redisUrl.arn, "ARN of the REDIS_URL parameter.");
    }

    this.output("redis_endpoint", endpoint, "Primary endpoint address (configuration endpoint in cluster mode).");
    this.output("redis_reader_endpoint", cluster ? endpoint : group.readerEndpointAddress, "Reader endpoint address.");
    this.output("redis_port", REDIS_PORT, "Redis port.");
    this.output(
      "redis_url",
      // An empty property access keeps the URL an HCL string expression: `${"…://…:6379"}`.
      propertyAccess(url, []),
      "redis:// or rediss:// URL without credentials (the token is in the AUTH secret).",
    );
    this.output("redis_security_group_id", sg.id, "Security group of the Redis nodes.");
    this.output(
      "redis_auth_secret_arn",
      Fn.one(propertyAccess(secret, ["*", "arn"])),
      "Secret holding the AUTH token (JSON key `token`), or null without AUTH.",
    );
    this.output("replication_group_id", group.id, "Replication group id (seed 000 §6: describe-replication-groups).");
  }

  /** Where the cache lives: names, network and keys, as tokens. */
  private placementInputs(props: CacheProps) {
    return {
      name: this.input("name", props.name, {
        type: "string",
        description: "Name prefix; the group is <name>-redis.",
      }).stringValue,
      secretPrefix: this.input("secret_prefix", props.secretPrefix, {
        type: "string",
        description: "Secrets Manager path prefix.",
      }).stringValue,
      vpcId: this.input("vpc_id", props.vpcId, { type: "string", description: "VPC of the cache." }).stringValue,
      subnetIds: this.input("subnet_ids", props.subnetIds, {
        type: "list(string)",
        description: "Private subnets for the subnet group.",
      }).listValue,
      appSg: this.input("app_security_group_id", props.appSecurityGroupId, {
        type: "string",
        description: "Security group allowed to connect.",
      }).stringValue,
      dataKey: this.input("data_kms_key_arn", props.dataKmsKeyArn, {
        type: "string",
        description: "KMS key for data at rest and the AUTH secret.",
      }).stringValue,
      logsKey: this.input("logs_kms_key_arn", props.logsKmsKeyArn, {
        type: "string",
        description: "KMS key of the slow-log group.",
      }).stringValue,
    };
  }

  /** The settings of the `cache` section, as tokens; engine family and description decided at synthesis. */
  private settingInputs(props: CacheProps) {
    const settings = props.settings;
    const engineName = settings.engine;
    const version = settings.engineVersion ?? DEFAULT_ENGINE_VERSION[engineName];
    return {
      engine: this.input("engine", engineName, {
        type: "string",
        description: "ElastiCache engine: redis (Redis OSS) or valkey.",
      }).stringValue,
      engineVersion: this.input("engine_version", version, {
        type: "string",
        description: "Engine version (Redis OSS 7.0/7.1, Valkey 7.2/8.0).",
      }).stringValue,
      family: parameterFamily(engineName, version),
      familyDescription: parameterGroupDescription(engineName, version),
      snapshotRetention: this.input("snapshot_retention_days", settings.snapshotRetentionDays, {
        type: "number",
        description: "Days of snapshots.",
      }).numberValue,
      maintenanceWindow: this.input("maintenance_window", settings.maintenanceWindow, {
        type: "string",
        description: "Weekly maintenance window (UTC).",
      }).stringValue,
      snapshotWindow: this.input("snapshot_window", settings.snapshotWindow, {
        type: "string",
        description: "Daily snapshot window (UTC).",
      }).stringValue,
      slowLogRetention: this.input("slow_log_retention_days", settings.slowLogRetentionDays, {
        type: "number",
        description: "Retention of the slow-log group.",
      }).numberValue,
      maxmemoryPolicy: this.input("maxmemory_policy", settings.maxmemoryPolicy, {
        type: "string",
        description: "Eviction policy.",
      }).stringValue,
    };
  }
}
