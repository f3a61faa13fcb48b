/**
 * Wiring: environment config → one workspace stack with its modules, in dependency order.
 * Each module receives only the values and other modules' outputs it needs.
 */
import type { App } from "cdktf";
import { loadEnvironments, type EnvironmentConfig, type EnvironmentInput, type Workspace } from "./environments";
import { PlatformApp } from "./lib/app";
import { WorkspaceStack } from "./lib/workspace-stack";
import { NetworkModule } from "./modules/network";
import { SecurityModule } from "./modules/security";
import { StorageModule } from "./modules/storage";

export interface Platform {
  readonly root: WorkspaceStack;
  readonly network: NetworkModule;
  readonly security: SecurityModule;
  readonly storage: StorageModule;
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
      flowLogRetentionDays: net.flowLogs.retentionDays,
      flowLogTrafficType: net.flowLogs.trafficType,
      appPort: net.appPort,
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
    }),
  );

  root.output("github_actions_role_arn", security.ref("github_actions_role_arn"), "Role GitHub Actions assumes to deploy (seed 002).");
  root.output("web_acl_arn", security.ref("web_acl_arn"), "Regional WAF web ACL, or null when WAF is off.");
  root.output("uploads_bucket_name", storage.ref("uploads_bucket_name"), "Bucket for user uploads.");
  root.output("exports_bucket_name", storage.ref("exports_bucket_name"), "Bucket for PDF/Excel exports.");
  root.output("ml_models_bucket_name", storage.ref("ml_models_bucket_name"), "Bucket for trained ML models.");
  root.output("bncc_data_bucket_name", storage.ref("bncc_data_bucket_name"), "Bucket for BNCC reference data.");
  root.output("logs_bucket_name", storage.ref("logs_bucket_name"), "Bucket for ALB and S3 access logs.");

  return { root, network, security, storage };
}

export interface SynthOptions {
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
  const app = new PlatformApp(options.outdir ? { outdir: options.outdir } : {});
  const platforms = environments.map((env) => buildPlatform(app, env));
  app.synth();
  return { app, platforms };
}
