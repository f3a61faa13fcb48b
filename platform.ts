/**
 * Wiring: environment config → one workspace stack with its modules, in dependency order.
 * Each module receives only the values and other modules' outputs it needs.
 */
import { Fn, type App } from "cdktf";
import { BootstrapStack } from "./bootstrap";
import { ConfigError, loadEnvironments, type EnvironmentConfig, type EnvironmentInput, type Workspace } from "./environments";
import { bootstrap, BootstrapSchema, type BootstrapConfig } from "./environments/bootstrap";
import { PlatformApp } from "./lib/app";
import { WorkspaceStack } from "./lib/workspace-stack";
import { CACHE_KNOBS, cacheRules, COMPUTE_RULES, computeKnobs, DATABASE_KNOBS, databaseRules, knobValues, terraformMessage, type Knob, type KnobRule } from "./environments/knobs";
import { CacheModule } from "./modules/cache";
import { CdnModule } from "./modules/cdn";
import { MonitoringModule } from "./modules/monitoring";
import { ComputeModule } from "./modules/compute";
import { DatabaseModule } from "./modules/database";
import { DrModule } from "./modules/dr";
import { DATA_BUCKETS } from "./modules/storage";
import { NetworkModule } from "./modules/network";
import { SecurityModule } from "./modules/security";
import { StorageModule } from "./modules/storage";
import { datadogKnobRules } from "./environments/datadog-schema";

export interface Platform {
  readonly root: WorkspaceStack;
  readonly network: NetworkModule;
  readonly security: SecurityModule;
  readonly storage: StorageModule;
  /** Absent when `cache.enabled` is false (seed 000 §7.3). */
  readonly cache?: CacheModule;
  readonly database: DatabaseModule;
  readonly compute: ComputeModule;
  /** Present when `cdn.enabled` (production). */
  readonly cdn?: CdnModule;
  readonly monitoring: MonitoringModule;
  /** Present when `dr.enabled`: backups and bucket replicas in a second region. */
  readonly dr?: DrModule;
}

type BootstrapInput = typeof bootstrap;

function parseBootstrap(input: BootstrapInput): BootstrapConfig {
  const r = BootstrapSchema.safeParse(input);
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => `bootstrap.${i.path.join(".")}: ${i.message}`));
  return r.data;
}

/** Declares root knob variables with their rules as validation blocks; returns their tokens by name. */
function declareKnobs(root: WorkspaceStack, knobs: readonly Knob[], rules: readonly KnobRule[], config: unknown): Record<string, unknown> {
  const values = knobValues(knobs, config);
  const tokens: Record<string, unknown> = {};
  for (const k of knobs) {
    const v = root.knob(k.variable, values[k.variable], {
      type: k.type,
      description: k.description,
      validations: rules.filter((r) => r.variable === k.variable).map((r) => ({ condition: r.condition, errorMessage: terraformMessage(r) })),
    });
    tokens[k.variable] = k.type === "number" ? v.numberValue : k.type === "bool" ? v.booleanValue : v.stringValue;
  }
  return tokens;
}

export function buildPlatform(app: App, env: EnvironmentConfig): Platform {
  const ws = env.workspace;
  const root = new WorkspaceStack(app, {
    workspace: ws,
    region: env.region,
    defaultTags: { ...env.tags, Project: env.project, Environment: ws, ManagedBy: "cdktf" },
    state: env.state && {
      bucket: env.state.bucket,
      key: env.state.key,
      region: env.state.region ?? env.region,
      workspaceKeyPrefix: env.state.workspaceKeyPrefix,
      kmsKeyId: env.state.kmsKeyId,
    },
    sourceFile: `environments/${ws}.ts`,
  });
  // Every module name derives from the guarded `environment` variable, so the workspace guard
  // is evaluated by any plan, including `-target=module.<name>`.
  const name = `${env.project}-${root.environment.stringValue}`;

  // Start/stop toggle (seed 002): false scales services to zero and removes the NAT gateways.
  const running = root.knob("environment_running", true, {
    type: "bool",
    description: "false stops the environment: services at zero tasks, no NAT gateways (RDS: see docs/operations.md).",
    validations: [{ condition: `var.environment_running || ${JSON.stringify(ws)} != "production"`, errorMessage: "production cannot be stopped: environment_running must stay true" }],
  }).booleanValue;
  const net = env.network;
  const network = root.use(
    new NetworkModule(app, ws, {
      name,
      region: env.region,
      vpcCidr: net.vpcCidr,
      azs: env.availabilityZones,
      publicSubnets: net.publicSubnets,
      privateSubnets: net.privateSubnets,
      databaseSubnets: net.databaseSubnets,
      natMode: net.natMode,
      interfaceEndpoints: net.interfaceEndpoints,
      enableFlowLogs: net.flowLogs.enabled,
      accountId: env.accountId,
      kmsDeletionWindowDays: env.security.kmsDeletionWindowDays,
      preventDestroy: env.preventDestroy,
      flowLogRetentionDays: net.flowLogs.retentionDays,
      flowLogTrafficType: net.flowLogs.trafficType,
      appPort: net.appPort,
      enableNat: running,
      albIngress: net.albIngress,
      cloudfrontPrefixListId: net.cloudfrontPrefixListId,
    }),
  );

  root.output("vpc_id", network.ref("vpc_id"), "ID of the VPC.");
  root.output("public_subnet_ids", network.refList("public_subnet_ids"), "Public subnet IDs (ALB).");
  root.output("private_subnet_ids", network.refList("private_subnet_ids"), "Private subnet IDs (ECS tasks; seed 002 PRIVATE_SUBNET_IDS).");
  root.output("ecs_security_group_id", network.ref("app_security_group_id"), "Security group of the ECS tasks (seed 000 §8.1).");
  root.output("alb_security_group_id", network.ref("alb_security_group_id"), "Security group of the load balancer.");

  const sec = env.security;
  const bucketPrefix = `${env.storage.bucketPrefix}-${root.environment.stringValue}`;
  const bucketName = (purpose: string) => [bucketPrefix, purpose, env.storage.bucketSuffix].filter(Boolean).join("-");
  const security = root.use(
    new SecurityModule(app, ws, {
      name,
      secretPrefix: `${env.project}/${root.environment.stringValue}`,
      region: env.region,
      accountId: env.accountId,
      kmsDeletionWindowDays: sec.kmsDeletionWindowDays,
      enableWaf: sec.waf.enabled,
      wafRateLimit: sec.waf.rateLimitPerMinute,
      wafAllowedCountries: sec.waf.allowedCountries,
      wafEnableBotControl: sec.waf.botControl,
      // Behind CloudFront the regional ACL sees edge IPs: its IP-keyed rules live on the CloudFront ACL (D52).
      wafIpRules: !env.cdn.enabled,
      wafLogRetentionDays: sec.waf.logRetentionDays,
      secretNames: sec.secrets.names,
      secretRecoveryWindowDays: sec.secrets.recoveryWindowDays,
      enableCloudtrail: sec.audit.enabled,
      cloudtrailBucketName: bucketName("cloudtrail"),
      cloudtrailRetentionDays: sec.audit.retentionDays,
      cloudtrailCloudwatchLogs: sec.audit.cloudWatchLogs,
      cloudtrailLogRetentionDays: sec.audit.logRetentionDays,
      githubRepository: sec.deploy.githubRepository,
      githubBranches: sec.deploy.branches,
      githubEnvironments: sec.deploy.githubEnvironments,
      createOidcProvider: sec.deploy.createOidcProvider,
      preventDestroy: env.preventDestroy,
    }),
  );

  const st = env.storage;
  const storage = root.use(
    new StorageModule(app, ws, {
      bucketPrefix,
      bucketSuffix: st.bucketSuffix,
      region: env.region,
      accountId: env.accountId,
      dataKmsKeyArn: security.ref("data_kms_key_arn"),
      buckets: st.buckets,
      enableAccessLogging: st.accessLogging,
      logRetentionDays: st.logRetentionDays,
      corsOrigins: st.corsOrigins,
      cloudtrailBucketId: security.ref("cloudtrail_bucket_id"),
      hasCloudtrailBucket: sec.audit.enabled,
      preventDestroy: env.preventDestroy,
    }),
  );

  const redisKnobs = CACHE_KNOBS.filter((k) => k.variable.startsWith("redis_"));
  const ttlKnobs = CACHE_KNOBS.filter((k) => !k.variable.startsWith("redis_"));
  const ttls = declareKnobs(root, ttlKnobs, cacheRules(ws), env);
  const secretPrefix = `${env.project}/${root.environment.stringValue}`;
  const c = env.cache;
  const redisTokens = c.enabled ? declareKnobs(root, redisKnobs, cacheRules(ws), env) : undefined;
  const cache = c.enabled && redisTokens
    ? root.use(
        new CacheModule(app, ws, {
          name,
          secretPrefix,
          vpcId: network.ref("vpc_id"),
          subnetIds: network.refList("private_subnet_ids"),
          appSecurityGroupId: network.ref("app_security_group_id"),
          dataKmsKeyArn: security.ref("data_kms_key_arn"),
          logsKmsKeyArn: security.ref("logs_kms_key_arn"),
          knobs: redisTokens,
          engineVersion: c.engineVersion,
          snapshotRetentionDays: c.snapshotRetentionDays,
          maintenanceWindow: c.maintenanceWindow,
          snapshotWindow: c.snapshotWindow,
          slowLogRetentionDays: c.slowLogRetentionDays,
          maxmemoryPolicy: c.maxmemoryPolicy,
          clusterMode: c.clusterMode.enabled ? { shards: c.clusterMode.shards, replicasPerShard: c.clusterMode.replicasPerShard } : undefined,
          preventDestroy: env.preventDestroy,
        }),
      )
    : undefined;

  const d = env.database;
  const dbKnobs = declareKnobs(root, DATABASE_KNOBS, databaseRules(ws), env);
  const database = root.use(
    new DatabaseModule(app, ws, {
      name,
      secretPrefix,
      vpcId: network.ref("vpc_id"),
      subnetIds: network.refList(env.network.databaseSubnets.length > 0 ? "database_subnet_ids" : "private_subnet_ids"),
      appSecurityGroupId: network.ref("app_security_group_id"),
      dataKmsKeyArn: security.ref("data_kms_key_arn"),
      logsKmsKeyArn: security.ref("logs_kms_key_arn"),
      knobs: dbKnobs,
      engineVersion: d.engineVersion,
      maxAllocatedStorage: d.maxAllocatedStorage,
      replicaInstanceClass: d.replicaInstanceClass,
      maxConnections: d.maxConnections,
      workMemMb: d.workMemMb,
      effectiveCacheSizeGb: d.effectiveCacheSizeGb,
      monitoringInterval: d.monitoringInterval,
      performanceInsights: d.performanceInsights,
      deletionProtection: d.deletionProtection,
      finalSnapshot: d.finalSnapshot,
      preventDestroy: env.preventDestroy,
      maintenanceWindow: d.maintenanceWindow,
      backupWindow: d.backupWindow,
      logRetentionDays: d.logRetentionDays,
      databaseName: d.databaseName,
      masterUsername: d.masterUsername,
      appUsername: d.appUsername,
      masterPasswordVersion: d.masterPasswordVersion,
      appPasswordVersion: d.appPasswordVersion,
      secretRecoveryWindowDays: sec.secrets.recoveryWindowDays,
    }),
  );

  const dr = env.dr.enabled && env.dr.region
    ? root.use(
        new DrModule(app, ws, {
          name,
          drRegion: env.dr.region,
          sourceRegion: env.region,
          accountId: env.accountId,
          logsBucketName: bucketName("dr-logs"),
          dbInstanceIdentifier: database.ref("db_instance_identifier"),
          backupRetentionDays: env.dr.backupRetentionDays,
          sourceDataKmsKeyArn: security.ref("data_kms_key_arn"),
          buckets: env.dr.buckets.map((key) => {
            const tf = (DATA_BUCKETS.find((b) => b.key === key) as { tf: string }).tf;
            return { key: tf, name: storage.ref(`${tf}_bucket_name`), arn: storage.ref(`${tf}_bucket_arn`) };
          }),
          kmsDeletionWindowDays: sec.kmsDeletionWindowDays,
          preventDestroy: env.preventDestroy,
        }),
      )
    : undefined;
  if (dr) {
    root.output("dr_region", dr.ref("dr_region"), "Region of the disaster-recovery copies (docs/operations.md, Disaster recovery).");
    root.output("dr_backup_replication_arn", dr.ref("dr_backup_replication_arn"), "Replicated automated backups of the primary database, in the DR region.");
    root.output("dr_bucket_names", dr.ref("dr_bucket_names"), "Replica buckets in the DR region, by source bucket.");
    root.output("dr_kms_key_arn", dr.ref("dr_kms_key_arn"), "Key of the DR copies (a restore in the DR region encrypts with it).");
  }

  const appIndex = env.compute.services.findIndex((s) => s.name === "app");
  const dd = env.compute.datadog;
  const appKnobs = appIndex >= 0 ? declareKnobs(root, computeKnobs(appIndex), [...COMPUTE_RULES, ...datadogKnobRules(env.compute)], env) : {};
  const compute = root.use(
    new ComputeModule(app, ws, {
      name,
      region: env.region,
      accountId: env.accountId,
      vpcId: network.ref("vpc_id"),
      privateSubnetIds: network.refList("private_subnet_ids"),
      publicSubnetIds: network.refList("public_subnet_ids"),
      appSecurityGroupId: network.ref("app_security_group_id"),
      albSecurityGroupId: network.ref("alb_security_group_id"),
      dataKmsKeyArn: security.ref("data_kms_key_arn"),
      logsKmsKeyArn: security.ref("logs_kms_key_arn"),
      logsBucketName: storage.ref("logs_bucket_name"),
      albLogPrefix: storage.ref("alb_log_prefix"),
      buckets: {
        uploads: { name: storage.ref("uploads_bucket_name"), arn: storage.ref("uploads_bucket_arn") },
        exports: { name: storage.ref("exports_bucket_name"), arn: storage.ref("exports_bucket_arn") },
        mlModels: { name: storage.ref("ml_models_bucket_name"), arn: storage.ref("ml_models_bucket_arn") },
        bnccData: { name: storage.ref("bncc_data_bucket_name"), arn: storage.ref("bncc_data_bucket_arn") },
      },
      secretArns: security.ref("secret_arns"),
      db: {
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
        authSecretArn: c.auth ? cache.ref("redis_auth_secret_arn") : undefined,
      },
      enableWaf: sec.waf.enabled,
      webAclArn: security.ref("web_acl_arn"),
      knobs: { ...appKnobs, ...ttls },
      config: env.compute,
      environmentName: ws,
      running,
      originVerify: net.albIngress === "cloudfront",
      datadog: dd.enabled ? { secretName: `${secretPrefix}/datadog-api-key`, servicePrefix: env.project } : undefined,
    }),
  );
  if (dd.enabled) {
    root.output("datadog_api_key_secret_arn", compute.ref("datadog_api_key_secret_arn"), 'Datadog API key secret: put {"api_key": "<key>"} before applying the services (docs/operations.md, Datadog).');
  }

  root.output("ecs_cluster_name", compute.ref("ecs_cluster_name"), "ECS cluster (seed 000 §6).");
  root.output("ecs_service_names", compute.ref("ecs_service_names"), "ECS service names by service.");
  root.output("task_definition_families", compute.ref("task_definition_families"), "Task definition families (seed 000 §7.1 rollback).");
  root.output("ecr_repository_urls", compute.ref("ecr_repository_urls"), "ECR repositories by image (CI pushes here).");
  root.output("ecs_log_group_name", compute.ref("log_group_name"), "Log group of the containers (aws logs tail).");
  root.output("app_secret_arns", security.ref("secret_arns"), "Application secret ARNs by name; put each value before the first compute apply (first deploy).");
  if (env.compute.migrations) {
    root.output("migrations_run_task_command", compute.ref("migrations_run_task_command"), "Starts the migrations task: TASK=$(eval \"$(terraform output -raw migrations_run_task_command)\").");
  }
  if (env.compute.toolbox.enabled) {
    root.output("ecs_toolbox_run_task_command", compute.ref("ecs_toolbox_run_task_command"), "Starts the ECS Exec toolbox (seed 000 §8.1): TASK=$(eval \"$(terraform output -raw ecs_toolbox_run_task_command)\").");
  }
  if (env.compute.services.some((s) => s.kind === "web")) {
    root.output("alb_dns_name", compute.ref("alb_dns_name"), "DNS name of the ALB (seed 000 §6).");
    root.output("alb_arn_suffix", compute.ref("alb_arn_suffix"), "ALB ARN suffix (CloudWatch dimension).");
    root.output("target_group_arns", compute.ref("target_group_arns"), "Target group ARNs by service (seed 000 §5.3: aws elbv2 describe-target-health --target-group-arn ...).");
    root.output("target_group_arn_suffixes", compute.ref("target_group_arn_suffixes"), "Target group ARN suffixes by service.");
  }

  const cdnCfg = env.cdn;
  const cdn = cdnCfg.enabled
    ? root.use(
        new CdnModule(app, ws, {
          name,
          albDnsName: compute.ref("alb_dns_name"),
          albZoneId: compute.ref("alb_zone_id"),
          albHttps: env.compute.certificateArn !== undefined,
          originDomainName: cdnCfg.originDomainName,
          originRoute53ZoneId: cdnCfg.originRoute53ZoneId,
          originVerifyHeaderValue: net.albIngress === "cloudfront" ? compute.ref("origin_verify_header_value") : undefined,
          logDestinationArn: storage.ref("cdn_log_destination_arn"),
          priceClass: cdnCfg.priceClass,
          certificateArn: cdnCfg.certificateArn,
          aliases: cdnCfg.aliases,
          staticPaths: cdnCfg.staticPaths,
          enableWaf: cdnCfg.waf,
          wafRateLimit: sec.waf.rateLimitPerMinute,
          wafAllowedCountries: sec.waf.allowedCountries,
          wafEnableBotControl: sec.waf.botControl,
          wafLogRetentionDays: sec.waf.logRetentionDays,
          accountId: env.accountId,
          kmsDeletionWindowDays: sec.kmsDeletionWindowDays,
          preventDestroy: env.preventDestroy,
        }),
      )
    : undefined;
  if (cdn) {
    root.output("cloudfront_domain_name", cdn.ref("cloudfront_domain_name"), "CloudFront domain name (point the public DNS here).");
    root.output("cloudfront_distribution_id", cdn.ref("cloudfront_distribution_id"), "Distribution id (cache invalidations).");
  }

  const appService = env.compute.services[Math.max(appIndex, 0)];
  const web = env.compute.services.find((s) => s.kind === "web");
  const monitoring = root.use(
    new MonitoringModule(app, ws, {
      alarmPrefix: env.monitoring.alarmPrefix ?? `eduautismo-${ws}`,
      dashboardName: `eduautismo-${root.environment.stringValue}`,
      region: env.region,
      alarmsKmsKeyArn: security.ref("alarms_kms_key_arn"),
      alarmEmails: env.monitoring.alarmEmails,
      thresholds: env.monitoring.thresholds,
      appMetrics: env.monitoring.appMetrics,
      ecs: {
        clusterName: compute.ref("ecs_cluster_name"),
        serviceName: `${name}-${appService.name}`,
        logGroupName: compute.ref("log_group_name"),
        containerInsights: env.compute.containerInsights,
      },
      alb: web && { arnSuffix: compute.ref("alb_arn_suffix"), targetGroupArnSuffix: Fn.lookup(compute.ref("target_group_arn_suffixes"), web.name, "") },
      rds: {
        instanceId: database.ref("db_instance_identifier"),
        allocatedStorageGb: dbKnobs.db_allocated_storage,
        maxConnections: env.database.maxConnections,
        replicaCount: dbKnobs.db_replica_count,
      },
      redis: cache && redisTokens && { replicationGroupId: cache.ref("replication_group_id"), nodeCount: redisTokens.redis_num_cache_nodes },
      datadog:
        dd.enabled && dd.logs
          ? {
              streamName: `${name}-datadog-logs`,
              site: dd.site,
              environmentName: ws,
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
  root.output("alarm_topic_arn", monitoring.ref("alarm_topic_arn"), "SNS topic of every alarm (subscribe on-call here).");
  root.output("dashboard_name", monitoring.ref("dashboard_name"), "CloudWatch dashboard (seed 000 §9.1).");

  if (cache) {
    root.output("redis_endpoint", cache.ref("redis_endpoint"), "Redis primary endpoint (seed 000 §6).");
    root.output("redis_port", cache.refNumber("redis_port"), "Redis port.");
    root.output("redis_url", cache.ref("redis_url"), "redis:// or rediss:// URL, without credentials.");
    root.output("redis_reader_endpoint", cache.ref("redis_reader_endpoint"), "Redis reader endpoint.");
    root.output("redis_security_group_id", cache.ref("redis_security_group_id"), "Security group of Redis (seed 000 §8.1).");
    root.output("redis_auth_secret_arn", cache.ref("redis_auth_secret_arn"), "Secret holding the Redis AUTH token, or null.");
  }
  root.output("rds_endpoint", database.ref("rds_endpoint"), "PostgreSQL primary endpoint, address:port (seed 000 §6).");
  root.output("db_master_user_secret_arn", database.ref("db_master_user_secret_arn"), "Secret <prefix>/db-master with the master credentials (generated by Terraform; migrations and db-bootstrap only).");
  root.output("db_app_secret_arn", database.ref("db_app_secret_arn"), "Secret <prefix>/db-app with the application user's credentials (what the app and workers log in with).");
  root.output("db_bootstrap_run_task_command", compute.ref("db_bootstrap_run_task_command"), "aws ecs run-task command that starts the one-off db-bootstrap task; prints the task ARN.");
  root.output("db_security_group_id", database.ref("db_security_group_id"), "Security group of the database.");
  root.output("db_replica_endpoints", database.refList("db_replica_endpoints"), "Read replica endpoints.");

  root.output("github_actions_role_arn", security.ref("github_actions_role_arn"), "Role GitHub Actions assumes to deploy (seed 002).");
  root.output("web_acl_arn", security.ref("web_acl_arn"), "Regional WAF web ACL, or null when WAF is off.");
  root.output("uploads_bucket_name", storage.ref("uploads_bucket_name"), "Bucket for user uploads.");
  root.output("exports_bucket_name", storage.ref("exports_bucket_name"), "Bucket for PDF/Excel exports.");
  root.output("ml_models_bucket_name", storage.ref("ml_models_bucket_name"), "Bucket for trained ML models.");
  root.output("bncc_data_bucket_name", storage.ref("bncc_data_bucket_name"), "Bucket for BNCC reference data.");
  root.output("logs_bucket_name", storage.ref("logs_bucket_name"), "Bucket for ALB and S3 access logs.");

  return { root, network, security, storage, cache, database, compute, cdn, monitoring, dr };
}

export interface SynthOptions {
  /** @default environments/bootstrap.ts */
  readonly bootstrap?: BootstrapInput;
  /** @default cdktf's default (`CDKTF_OUTDIR` or `cdktf.out`) */
  readonly outdir?: string;
  /** @default the checked-in environment files */
  readonly inputs?: Record<Workspace, EnvironmentInput>;
}

/**
 * Validates every environment, then synthesizes every workspace. A ConfigError is thrown before
 * the App exists, so a bad config writes nothing.
 */
export function synthesize(options: SynthOptions = {}): { app: PlatformApp; platforms: Platform[] } {
  const environments = loadEnvironments(options.inputs);
  const boot = parseBootstrap(options.bootstrap ?? bootstrap);
  for (const env of environments) {
    if (env.state && env.state.bucket !== boot.bucket) {
      throw new ConfigError([`${env.workspace}.state.bucket: "${env.state.bucket}" is not the bootstrap state bucket "${boot.bucket}" (environments/bootstrap.ts)`]);
    }
  }
  const app = new PlatformApp(options.outdir ? { outdir: options.outdir } : {});
  new BootstrapStack(app, boot);
  const platforms = environments.map((env) => buildPlatform(app, env));
  app.synth();
  return { app, platforms };
}
