/**
 * The compute module's variables: placement (network, keys, logs bucket), the settings the root passes
 * as inputs, what other modules hand over (buckets, secrets, database, cache, parameters) and the knobs.
 * Each returns its variables as typed tokens (./parts.ts, ComputeVars).
 */
import { propertyAccess, Token } from "cdktf";
import { bucketNames } from "../storage/config";
import { IMAGE_KNOBS, serviceKnobs, taskKnobs } from "./config";
import type { ComputeProps } from "./props";
import type { BucketVars, ComputeVars, DbVars, DynamicKnobTokens, ModuleApi, RedisVars } from "./parts";

/** `mlModels` → `ml_models`: the Terraform name of a bucket key, as the storage module names it. */
export const bucketVariable = (key: string) => bucketNames(key).tf;

/** Where the module sits: name, region, account, network, keys, the ALB's log bucket. */
function placementInputs(api: ModuleApi, props: ComputeProps) {
  const str = (name: string, value: unknown, description: string) =>
    api.input(name, value, { type: "string", description }).stringValue;
  const list = (name: string, value: unknown, description: string) =>
    api.input(name, value, { type: "list(string)", description }).listValue;
  return {
    name: str("name", props.name, "Name prefix: cluster <name>, services <name>-<service>."),
    region: str("region", props.region, "AWS region (log driver)."),
    accountId: str("account_id", props.accountId, "AWS account id (trust conditions)."),
    vpcId: str("vpc_id", props.vpcId, "VPC of the services."),
    privateSubnetIds: list("private_subnet_ids", props.privateSubnetIds, "Subnets of the tasks (no public IPs)."),
    publicSubnetIds: list("public_subnet_ids", props.publicSubnetIds, "Subnets of the ALB."),
    appSecurityGroupId: str("app_security_group_id", props.appSecurityGroupId, "Security group of the tasks."),
    albSecurityGroupId: str("alb_security_group_id", props.albSecurityGroupId, "Security group of the ALB."),
    dataKey: str("data_kms_key_arn", props.dataKmsKeyArn, "KMS key of ECR and the secrets."),
    logsKey: str("logs_kms_key_arn", props.logsKmsKeyArn, "KMS key of the log groups."),
    logsBucketName: str("logs_bucket_name", props.logsBucketName, "Bucket for ALB access logs."),
    albLogPrefix: str("alb_log_prefix", props.albLogPrefix, "Prefix of ALB access logs."),
  };
}

/** The settings the root passes as inputs (with the module defaults the coordinator removes in one step). */
function settingInputs(api: ModuleApi, props: ComputeProps) {
  const cfg = props.settings;
  return {
    albAccessLogs: api.input("enable_alb_access_logs", cfg.albAccessLogs, {
      type: "bool",
      description: "ALB access logs to the logs bucket.",
    }).booleanValue,
    albDeletionProtection: api.input("alb_deletion_protection", cfg.albDeletionProtection, {
      type: "bool",
      description: "ALB deletion protection.",
    }).booleanValue,
    tlsPolicy: api.input("tls_policy", cfg.tlsPolicy, {
      type: "string",
      description: "Security policy of the HTTPS listener (TLS 1.3 + 1.2, or TLS 1.3 only).",
    }).stringValue,
    certificateArn: api.input("certificate_arn", cfg.certificateArn ?? null, {
      type: "string",
      description: "ACM certificate of the HTTPS listener, or null.",
      nullable: true,
    }).stringValue,
    logRetentionDays: api.input("log_retention_days", cfg.logRetentionDays, {
      type: "number",
      description: "Retention of /ecs/<name>.",
    }).numberValue,
    containerInsights: api.input("container_insights", cfg.containerInsights, {
      type: "bool",
      description: "Container Insights.",
    }).booleanValue,
    keepImages: api.input("keep_images", cfg.keepImages, {
      type: "number",
      description: "Images kept per ECR repository.",
    }).numberValue,
  };
}

/** The application's buckets and secrets (storage and security modules). */
function bucketAndSecretInputs(api: ModuleApi, props: ComputeProps) {
  const buckets: Record<string, BucketVars> = {};
  for (const [key, b] of Object.entries(props.buckets)) {
    const snake = bucketVariable(key);
    const str = (suffix: string, value: string, what: string) =>
      api.input(`${snake}_bucket_${suffix}`, value, { type: "string", description: `${what} of the ${key} bucket.` })
        .stringValue;
    buckets[key] = { name: str("name", b.name, "Name"), arn: str("arn", b.arn, "ARN"), access: b.access };
  }
  const secretArns = api.input("secret_arns", props.secretArns, {
    type: "map(string)",
    description: "Application secret ARNs by name.",
  });
  return { buckets, secretArns };
}

/** The database's secrets and endpoint; absent without a database. */
function dbInputs(api: ModuleApi, props: ComputeProps): DbVars | undefined {
  const db = props.db;
  if (!db) return undefined;
  const str = (name: string, value: unknown, description: string) =>
    api.input(name, value, { type: "string", description }).stringValue;
  return {
    appSecretArn: str(
      "db_app_secret_arn",
      db.appSecretArn,
      "Secret of the application user (JSON: username, password, ...): app and workers.",
    ),
    masterSecretArn: str(
      "db_master_secret_arn",
      db.masterSecretArn,
      "Secret of the master user: migrations and db-bootstrap only.",
    ),
    bootstrapImage: str("db_bootstrap_image", db.bootstrapImage, "PostgreSQL client image of the db-bootstrap task."),
    address: str("db_address", db.address, "PostgreSQL host."),
    port: api.input("db_port", db.port, { type: "number", description: "PostgreSQL port." }).numberValue,
    name: str("db_name", db.name, "PostgreSQL database."),
  };
}

/** The cache's endpoint and AUTH secret; absent without a cache. */
function redisInputs(api: ModuleApi, props: ComputeProps): RedisVars | undefined {
  const redis = props.redis;
  if (!redis) return undefined;
  const str = (name: string, value: unknown, description: string) =>
    api.input(name, value, { type: "string", description }).stringValue;
  return {
    url: str("redis_url", redis.url, "redis:// or rediss:// URL (no credentials)."),
    host: str("redis_host", redis.host, "Redis primary endpoint."),
    port: api.input("redis_port", redis.port, { type: "number", description: "Redis port." }).numberValue,
    ...(redis.authSecretArn !== undefined
      ? {
          authSecretArn: str(
            "redis_auth_secret_arn",
            redis.authSecretArn,
            "Secret with the AUTH token (JSON key token).",
          ),
        }
      : {}),
  };
}

/** Start/stop, Parameter Store, the toolbox image and the web ACL. */
function runtimeInputs(api: ModuleApi, props: ComputeProps) {
  const cfg = props.settings;
  const running = api.input("running", props.running, {
    type: "bool",
    description: "False scales every service to zero (start/stop toggle).",
  }).booleanValue;
  const withParameters = cfg.parameterStore && props.parameterPath !== undefined;
  const parameters = withParameters
    ? {
        path: api.input("parameter_path", props.parameterPath, {
          type: "string",
          description: "Path of the environment's SSM parameters (/<project>/<workspace>/).",
        }).stringValue,
        written: writtenInputs(api, props.writtenParameterArns ?? {}),
      }
    : undefined;
  const toolboxImage = cfg.toolbox.enabled
    ? api.input("toolbox_image", cfg.toolbox.image, {
        type: "string",
        description: "Image of the ECS Exec toolbox (shell and redis-cli with TLS).",
      }).stringValue
    : undefined;
  const enableWaf = api.input("enable_waf", props.enableWaf ?? false, {
    type: "bool",
    description: "Associate the regional web ACL with the ALB.",
  }).booleanValue;
  const webAclArn = api.input("web_acl_arn", props.webAclArn ?? null, {
    type: "string",
    description: "Regional web ACL, or null.",
    nullable: true,
  }).stringValue;
  // Working hours (D210): declared only with a schedule, so a workspace without one keeps its variables.
  const str = (name: string, value: string, description: string) =>
    api.input(name, value, { type: "string", description }).stringValue;
  const schedule = props.schedule && {
    stop: str("schedule_stop", props.schedule.stop, "cron(...) at which every service scales to zero."),
    start: str("schedule_start", props.schedule.start, "cron(...) at which every service returns to its bounds."),
    timezone: str("schedule_timezone", props.schedule.timezone, "IANA time zone of both expressions."),
  };
  return { running, parameters, toolboxImage, enableWaf, webAclArn, schedule };
}

/** `var.written_parameter_arns`, and each of its entries as a token. */
function writtenInputs(api: ModuleApi, arns: Readonly<Record<string, string>>): Record<string, string> {
  const written = api.input("written_parameter_arns", arns, {
    type: "map(string)",
    description: "ARNs of the parameters the database and cache modules write, by name.",
  });
  return Object.fromEntries(
    Object.keys(arns).map((p) => [p, Token.asString(propertyAccess(written.value, [p]))] as const),
  );
}

/** Knobs (./config.ts, knobs section): the image tag, each service's size and scaling, each task's size, the app settings. */
function knobInputs(api: ModuleApi, props: ComputeProps) {
  const cfg = props.settings;
  const imageTag = api.knobInputs(IMAGE_KNOBS, props.knobs.image).app_image_tag;
  const services: Record<string, DynamicKnobTokens> = {};
  for (const s of cfg.services) {
    const tokens = props.knobs.services[s.name];
    if (!tokens)
      throw new Error(
        `compute: no knob tokens for service "${s.name}" (declare serviceKnobs("${s.name}") on the root)`,
      );
    services[s.name] = api.knobInputs(serviceKnobs(s.name), tokens);
  }
  const tasks: Record<string, DynamicKnobTokens> = {};
  for (const t of cfg.tasks) {
    const tokens = props.knobs.tasks?.[t.name];
    if (!tokens)
      throw new Error(`compute: no knob tokens for task "${t.name}" (declare taskKnobs("${t.name}") on the root)`);
    tasks[t.name] = api.knobInputs(taskKnobs(t.name), tokens);
  }
  const appSettings = props.appSettings && api.knobInputs(props.appSettings.set, props.appSettings.tokens);
  return { imageTag, services, tasks, appSettings };
}

/** Declares every variable of the module, in the order of its `variable` blocks, and returns their tokens. */
export function declareInputs(api: ModuleApi, props: ComputeProps): ComputeVars {
  const placement = placementInputs(api, props);
  const settings = settingInputs(api, props);
  const { buckets, secretArns } = bucketAndSecretInputs(api, props);
  const db = dbInputs(api, props);
  const redis = redisInputs(api, props);
  const runtime = runtimeInputs(api, props);
  const knobs = knobInputs(api, props);
  return { ...placement, ...settings, buckets, secretArns, db, redis, ...runtime, ...knobs };
}
