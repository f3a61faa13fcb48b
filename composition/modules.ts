/**
 * The module graph of one workspace, one function per module: which config section feeds its
 * props and which other modules' outputs it consumes. Order is dependency order
 * (network → security → storage → cache, database → dr → compute → cdn → monitoring).
 */
import { Fn, type App, type IResolvable } from "cdktf";
import type { EnvironmentConfig } from "../environments";
import type { ProductSpec } from "../environments/product-spec";
import type { KnobSpec, KnobTokens, RuleContext } from "../lib/core/knobs";
import { databaseStart } from "../lib/core/schedule";
import type { WorkspaceStack } from "../lib/core/workspace-stack";
import { CacheModule } from "../modules/cache";
import { CACHE_KNOBS } from "../modules/cache/config";
import { CdnModule } from "../modules/cdn";
import { ComputeModule } from "../modules/compute";
import {
  IMAGE_KNOBS,
  knobsOfService,
  MIGRATIONS_DATABASE_URL,
  taskKnobs,
  WRITTEN_PARAMETERS,
} from "../modules/compute/config";
import { DatabaseModule } from "../modules/database";
import { DATABASE_KNOBS } from "../modules/database/config";
import { DrModule } from "../modules/dr";
import { MonitoringModule } from "../modules/monitoring";
import { DefaultVpcNetworkModule } from "../modules/network/default-vpc";
import { NetworkModule } from "../modules/network";
import { SecurityModule, type TerraformRolesPlacement } from "../modules/security";
import { StorageModule } from "../modules/storage";
import { bucketNames } from "../modules/storage/config";
import type { Names } from "./names";
import { MODULE_PRESENCE } from "../environments/built-modules";

/** What every module function gets: the config, the root it adds to, the names, the rule context. */
/**
 * The state bucket's prefixes a workspace writes: the S3 backend's objects of a non-default workspace
 * (`<workspaceKeyPrefix>/<ws>/`: the state and its `.tflock`), then the pipeline's state backups (`state-backups/<ws>/`, D85).
 */
export function stateObjectPrefixes(workspace: string, workspaceKeyPrefix: string): [string, string] {
  return [`${workspaceKeyPrefix}/${workspace}/`, `state-backups/${workspace}/`];
}

export interface Ctx {
  readonly app: App;
  readonly env: EnvironmentConfig;
  readonly root: WorkspaceStack;
  readonly names: Names;
  /** Workspace label and strictness (tier) for the knob rules. */
  readonly rules: RuleContext;
  /** Root variable `environment_running` (start/stop toggle). */
  readonly running: IResolvable;
  /** The product being composed (its app settings, app metrics). */
  readonly product: ProductSpec;
  /** Root variables of the product's app settings, when it has any. */
  readonly appSettings?: KnobTokens<Record<string, KnobSpec>>;
}

export function network({ app, env, root, names, running }: Ctx): NetworkModule {
  const net = env.network;
  // Seed 004 option A: the account's default VPC, looked up; only the tasks' security group is created (D118).
  if (net.mode === "default-vpc")
    return root.use(new DefaultVpcNetworkModule(app, env.workspace, { name: names.name, azs: env.availabilityZones }));
  // The load balancer's port to the tasks is the web services' one port (the schema checks they share it);
  // without a web service there is no load balancer and nothing is opened to it.
  const web = env.compute.services.filter((s) => s.kind === "web");
  return root.use(
    new NetworkModule(app, env.workspace, {
      name: names.name,
      region: env.region,
      accountId: env.accountId,
      azs: env.availabilityZones,
      settings: net,
      appPort: web[0]?.port,
      kmsDeletionWindowDays: env.security.kmsDeletionWindowDays,
      preventDestroy: env.preventDestroy,
      enableNat: running,
    }),
  );
}

export function security({ app, env, root, names }: Ctx): SecurityModule {
  return root.use(
    new SecurityModule(app, env.workspace, {
      name: names.name,
      secretPrefix: names.secretPrefix,
      region: env.region,
      accountId: env.accountId,
      settings: env.security,
      cloudtrailBucketName: names.bucket("cloudtrail"),
      // Behind CloudFront the regional ACL sees edge IPs: its IP-keyed rules live on the CloudFront ACL (D52).
      wafIpRules: !env.cdn.enabled,
      preventDestroy: env.preventDestroy,
      terraformRoles: terraformRoles(env, names),
      // SecureString parameters (compute.parameterStore, D104) are encrypted with the data key through SSM.
      ...(env.compute.parameterStore ? { dataKeyServices: ["ssm"] } : {}),
      ...(env.compute.clusterNameSuffix ? { clusterNameSuffix: env.compute.clusterNameSuffix } : {}),
    }),
  );
}

/** Where the pipeline's Terraform roles (D97) reach, when enabled: the schema has checked that the state is in S3. */
function terraformRoles(env: EnvironmentConfig, names: Names): TerraformRolesPlacement | undefined {
  if (!env.security.deploy.terraformRoles.enabled || !env.state) return undefined;
  const regions = [
    env.region,
    ...(env.dr.enabled && env.dr.region ? [env.dr.region] : []),
    ...(env.cdn.enabled ? ["us-east-1"] : []),
  ];
  return {
    bucketPrefix: names.bucketPrefix,
    regions: [...new Set(regions)],
    state: {
      bucket: env.state.bucket,
      // The S3 backend's key of a non-default workspace (the pipeline always selects the workspace).
      key: `${env.state.workspaceKeyPrefix}/${env.workspace}/${env.state.key}`,
      backupPrefix: stateObjectPrefixes(env.workspace, env.state.workspaceKeyPrefix)[1],
      kmsKeyId: env.state.kmsKeyId,
    },
  };
}

export function storage({ app, env, root, names }: Ctx, security: SecurityModule): StorageModule {
  return root.use(
    new StorageModule(app, env.workspace, {
      settings: env.storage,
      // One retention per workspace (seed 000 §4): the access logs expire with the log groups' value.
      logRetentionDays: env.compute.logRetentionDays,
      bucketPrefix: names.bucketPrefix,
      region: env.region,
      accountId: env.accountId,
      dataKmsKeyArn: security.ref("data_kms_key_arn"),
      cloudtrailBucketId: security.ref("cloudtrail_bucket_id"),
      hasCloudtrailBucket: env.security.audit.enabled,
      preventDestroy: env.preventDestroy,
    }),
  );
}

/** Absent when `cache.enabled` is false (seed 000 §7.3): no module block, no knobs. */
export function cache(
  ctx: Ctx,
  network: NetworkModule,
  security: SecurityModule,
): { module: CacheModule; knobs: KnobTokens<typeof CACHE_KNOBS.knobs> } | undefined {
  const { app, env, root, names } = ctx;
  const c = env.cache;
  if (!MODULE_PRESENCE.cache(env)) return undefined;
  const knobs = root.declareKnobs(CACHE_KNOBS, c, ctx.rules);
  const module = root.use(
    new CacheModule(app, env.workspace, {
      name: names.name,
      secretPrefix: names.secretPrefix,
      vpcId: network.ref("vpc_id"),
      subnetIds: network.refList("private_subnet_ids"),
      appSecurityGroupId: network.ref("app_security_group_id"),
      dataKmsKeyArn: security.ref("data_kms_key_arn"),
      logsKmsKeyArn: security.ref("logs_kms_key_arn"),
      knobs,
      settings: c,
      preventDestroy: env.preventDestroy,
      ...(env.compute.parameterStore?.redisUrl
        ? { urlParameterName: `${parameterPath(names)}${WRITTEN_PARAMETERS.redisUrl}` }
        : {}),
    }),
  );
  return { module, knobs };
}

/** Path of the environment's SSM parameters (seed 002): `/<project>/<workspace>/`. */
export function parameterPath(names: Names): string {
  return `/${names.secretPrefix}/`;
}

/** Absent when `database.enabled` is false (seed 004, D121): no module block, no knobs. */
export function database(
  ctx: Ctx,
  network: NetworkModule,
  security: SecurityModule,
): { module: DatabaseModule; knobs: KnobTokens<typeof DATABASE_KNOBS.knobs> } | undefined {
  const { app, env, root, names } = ctx;
  const d = env.database;
  if (!MODULE_PRESENCE.database(env)) return undefined;
  const knobs = root.declareKnobs(DATABASE_KNOBS, d, ctx.rules);
  const module = root.use(
    new DatabaseModule(app, env.workspace, {
      name: names.name,
      secretPrefix: names.secretPrefix,
      vpcId: network.ref("vpc_id"),
      subnetIds: network.refList(env.network.databaseSubnets.length > 0 ? "database_subnet_ids" : "private_subnet_ids"),
      appSecurityGroupId: network.ref("app_security_group_id"),
      dataKmsKeyArn: security.ref("data_kms_key_arn"),
      logsKmsKeyArn: security.ref("logs_kms_key_arn"),
      knobs,
      settings: d,
      preventDestroy: env.preventDestroy,
      secretRecoveryWindowDays: env.security.secrets.recoveryWindowDays,
      // The rotation function (D170) runs in the private subnets: they route to the NAT or the secretsmanager endpoint.
      rotation: { subnetIds: network.refList("private_subnet_ids"), region: env.region },
      // Working hours (D210): the primary stops and starts on the environment's schedule.
      // The database starts `databaseLeadMinutes` before the services, so they find it available.
      ...(env.schedule
        ? {
            schedule: {
              ...env.schedule,
              start: databaseStart(env.schedule),
              accountId: env.accountId,
              running: ctx.running,
            },
          }
        : {}),
      ...(env.compute.parameterStore?.databaseUrl
        ? {
            urlParameters: {
              path: parameterPath(names),
              app: WRITTEN_PARAMETERS.databaseUrl,
              caBundle: env.compute.parameterStore.databaseCaBundle,
              ...(env.compute.migrations ? { master: MIGRATIONS_DATABASE_URL } : {}),
            },
          }
        : {}),
    }),
  );
  return { module, knobs };
}

/** Present when `dr.enabled`: backups and bucket replicas in a second region. */
export function dr(
  { app, env, root, names }: Ctx,
  security: SecurityModule,
  storage: StorageModule,
  database: DatabaseModule | undefined,
): DrModule | undefined {
  // The region test narrows its type; the presence rule already requires it.
  if (!MODULE_PRESENCE.dr(env) || !database || !env.dr.region) return undefined;
  return root.use(
    new DrModule(app, env.workspace, {
      name: names.name,
      settings: env.dr,
      sourceRegion: env.region,
      accountId: env.accountId,
      logsBucketName: names.bucket("dr-logs"),
      dbInstanceIdentifier: database.ref("db_instance_identifier"),
      sourceDataKmsKeyArn: security.ref("data_kms_key_arn"),
      buckets: env.dr.buckets.map((key) => {
        const { tf } = bucketNames(key);
        return { key: tf, name: storage.ref(`${tf}_bucket_name`), arn: storage.ref(`${tf}_bucket_arn`) };
      }),
      kmsDeletionWindowDays: env.security.kmsDeletionWindowDays,
      preventDestroy: env.preventDestroy,
    }),
  );
}

export interface ComputeDeps {
  readonly network: NetworkModule;
  readonly security: SecurityModule;
  readonly storage: StorageModule;
  /** Absent when `database.enabled` is false. */
  readonly database?: DatabaseModule;
  readonly cache?: CacheModule;
}

export function compute(ctx: Ctx, { network, security, storage, database, cache }: ComputeDeps): ComputeModule {
  const { app, env, root, names } = ctx;
  const c = env.compute;
  // Knob order is tfvars order: the app settings, then (after cache and database) the image tag and each service.
  const image = root.declareKnobs(IMAGE_KNOBS, c, ctx.rules);
  const services = Object.fromEntries(
    c.services.map((s) => [s.name, root.declareKnobs(knobsOfService(c, s.name), s, ctx.rules)]),
  );
  const tasks = Object.fromEntries(c.tasks.map((t) => [t.name, root.declareKnobs(taskKnobs(t.name), t, ctx.rules)]));
  const d = env.database;
  const buckets = Object.fromEntries(
    Object.entries(env.storage.buckets).map(([key, b]) => {
      const { tf } = bucketNames(key);
      return [
        key,
        { name: storage.ref(`${tf}_bucket_name`), arn: storage.ref(`${tf}_bucket_arn`), access: b.appAccess },
      ];
    }),
  );
  return root.use(
    new ComputeModule(app, env.workspace, {
      name: names.name,
      region: env.region,
      accountId: env.accountId,
      environmentName: env.workspace,
      settings: c,
      knobs: { image, services, ...(c.tasks.length > 0 ? { tasks } : {}) },
      appSettings: ctx.product.appSettings &&
        ctx.appSettings && { set: ctx.product.appSettings, tokens: ctx.appSettings },
      running: ctx.running,
      vpcId: network.ref("vpc_id"),
      privateSubnetIds: network.refList("private_subnet_ids"),
      publicSubnetIds: network.refList("public_subnet_ids"),
      appSecurityGroupId: network.ref("app_security_group_id"),
      albSecurityGroupId: network.ref("alb_security_group_id"),
      originVerify: env.network.albIngress === "cloudfront",
      dataKmsKeyArn: security.ref("data_kms_key_arn"),
      logsKmsKeyArn: security.ref("logs_kms_key_arn"),
      secretArns: security.ref("secret_arns"),
      enableWaf: env.security.waf.enabled,
      webAclArn: security.ref("web_acl_arn"),
      logsBucketName: storage.ref("logs_bucket_name"),
      albLogPrefix: storage.ref("alb_log_prefix"),
      buckets,
      metricNamespace: env.monitoring.appMetrics.namespace,
      db: database && {
        appSecretArn: database.ref("db_app_secret_arn"),
        masterSecretArn: database.ref("db_master_user_secret_arn"),
        bootstrapImage: d.bootstrapImage ?? `public.ecr.aws/docker/library/postgres:${d.engineVersion}-alpine`,
        address: database.ref("db_address"),
        port: database.refNumber("db_port"),
        name: database.ref("db_name"),
      },
      redis: cache && {
        url: cache.ref("redis_url"),
        host: cache.ref("redis_endpoint"),
        port: cache.refNumber("redis_port"),
        authSecretArn: env.cache.auth ? cache.ref("redis_auth_secret_arn") : undefined,
      },
      datadog: { secretName: `${names.secretPrefix}/datadog-api-key`, servicePrefix: env.project },
      parameterPath: parameterPath(names),
      writtenParameterArns: writtenParameterArns(env, database, cache),
      // Working hours (D210): every service scales to zero and back on the environment's schedule.
      ...(env.schedule ? { schedule: env.schedule } : {}),
    }),
  );
}

/** ARNs of the parameters the database and cache modules write (compute.parameterStore), by parameter name. */
function writtenParameterArns(
  env: EnvironmentConfig,
  database: DatabaseModule | undefined,
  cache: CacheModule | undefined,
): Record<string, string> {
  const p = env.compute.parameterStore;
  const out: Record<string, string> = {};
  if (p?.databaseUrl && database) {
    out[WRITTEN_PARAMETERS.databaseUrl] = database.ref("database_url_parameter_arn");
    if (env.compute.migrations) out[MIGRATIONS_DATABASE_URL] = database.ref("migrations_database_url_parameter_arn");
  }
  if (p?.redisUrl && cache) out[WRITTEN_PARAMETERS.redisUrl] = cache.ref("redis_url_parameter_arn");
  return out;
}

/** Present when `cdn.enabled` (production): CloudFront in front of the ALB. */
export function cdn(
  { app, env, root, names }: Ctx,
  storage: StorageModule,
  compute: ComputeModule,
): CdnModule | undefined {
  if (!MODULE_PRESENCE.cdn(env)) return undefined;
  return root.use(
    new CdnModule(app, env.workspace, {
      settings: env.cdn,
      waf: env.security.waf,
      name: names.name,
      albDnsName: compute.ref("alb_dns_name"),
      albZoneId: compute.ref("alb_zone_id"),
      albHttps: env.compute.certificateArn !== undefined,
      originVerifyHeaderValue:
        env.network.albIngress === "cloudfront" ? compute.ref("origin_verify_header_value") : undefined,
      logDestinationArn: storage.ref("cdn_log_destination_arn"),
      accountId: env.accountId,
      kmsDeletionWindowDays: env.security.kmsDeletionWindowDays,
      preventDestroy: env.preventDestroy,
    }),
  );
}

export interface MonitoringDeps {
  readonly security: SecurityModule;
  readonly storage: StorageModule;
  readonly compute: ComputeModule;
  /** Absent when `database.enabled` is false (no RDS alarms or widgets). */
  readonly database?: { readonly module: DatabaseModule; readonly knobs: KnobTokens<typeof DATABASE_KNOBS.knobs> };
  readonly cache?: { readonly module: CacheModule; readonly knobs: KnobTokens<typeof CACHE_KNOBS.knobs> };
}

export function monitoring(
  { app, env, root, names, product }: Ctx,
  { security, storage, compute, database, cache }: MonitoringDeps,
): MonitoringModule {
  const dd = env.compute.datadog;
  const services = env.compute.services;
  // The service the ECS alarms watch: the first web service (the ALB's default), else the first service.
  const watched = services.find((s) => s.kind === "web") ?? services[0];
  const web = services.find((s) => s.kind === "web");
  return root.use(
    new MonitoringModule(app, env.workspace, {
      settings: env.monitoring,
      alarmPrefix: names.alarmPrefix,
      dashboardName: names.dashboard,
      region: env.region,
      alarmsKmsKeyArn: security.ref("alarms_kms_key_arn"),
      appMetrics: product.appMetrics?.(env),
      ecs: {
        clusterName: compute.ref("ecs_cluster_name"),
        // Tasks only (no service): no service alarms or widgets (D123).
        serviceName: watched && `${names.name}-${watched.name}`,
        // Per-service log groups (seed 002): the error filter watches the watched service's own group.
        logGroupName:
          env.compute.logGroupPerService && watched
            ? Fn.lookup(compute.ref("service_log_group_names"), watched.name, "")
            : compute.ref("log_group_name"),
        containerInsights: env.compute.containerInsights,
        serviceNames: compute.ref("ecs_service_names"),
      },
      alb: web && {
        arnSuffix: compute.ref("alb_arn_suffix"),
        targetGroupArnSuffix: Fn.lookup(compute.ref("target_group_arn_suffixes"), web.name, ""),
        targetGroupArnSuffixes: compute.ref("target_group_arn_suffixes"),
      },
      rds: database && {
        instanceId: database.module.ref("db_instance_identifier"),
        allocatedStorageGb: database.knobs.db_allocated_storage,
        maxConnections: env.database.maxConnections,
        replicaCount: database.knobs.db_replica_count,
      },
      // Cluster mode: shards × (1 + replicas) members `<group>-000S-00N`; without it, the node-count knob (`<group>-00N`).
      redis: cache && {
        replicationGroupId: cache.module.ref("replication_group_id"),
        ...(env.cache.clusterMode.enabled
          ? { nodesPerShard: env.cache.clusterMode.replicasPerShard + 1, shards: env.cache.clusterMode.shards }
          : { nodesPerShard: cache.knobs.redis_num_cache_nodes }),
      },
      // A copy of the app log group to Datadog (compute.datadog.logs); the logs stay in CloudWatch (D77, D80).
      datadog:
        dd.enabled && dd.logs
          ? {
              streamName: `${names.name}-datadog-logs`,
              site: dd.site,
              environmentName: env.workspace,
              accountId: env.accountId,
              secretArn: compute.ref("datadog_api_key_secret_arn"),
              dataKmsKeyArn: security.ref("data_kms_key_arn"),
              logsKmsKeyArn: security.ref("logs_kms_key_arn"),
              logsBucketArn: storage.ref("logs_bucket_arn"),
              errorLogRetentionDays: env.compute.logRetentionDays,
            }
          : undefined,
    }),
  );
}
