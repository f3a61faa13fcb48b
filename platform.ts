/**
 * Wiring: environment config → one workspace stack with its modules, in dependency order.
 * Each module receives only the values and other modules' outputs it needs.
 */
import type { App, IResolvable } from "cdktf";
import { BootstrapStack } from "./bootstrap";
import * as m from "./composition/modules";
import type { Ctx } from "./composition/modules";
import { namesOf } from "./composition/names";
import { addRootOutputs } from "./composition/outputs";
import { runningValidation } from "./composition/running";
import { ConfigError, loadEnvironments, type EnvironmentConfig, type EnvironmentInput, type Workspace } from "./environments";
import { bootstrap, BootstrapSchema, type BootstrapConfig } from "./environments/bootstrap";
import { APP_SETTINGS } from "./environments/product";
import { PlatformApp } from "./lib/core/app";
import { WorkspaceStack } from "./lib/core/workspace-stack";
import type { CacheModule } from "./modules/cache";
import type { CdnModule } from "./modules/cdn";
import type { ComputeModule } from "./modules/compute";
import type { DatabaseModule } from "./modules/database";
import type { DrModule } from "./modules/dr";
import type { MonitoringModule } from "./modules/monitoring";
import type { NetworkModule } from "./modules/network";
import type { SecurityModule } from "./modules/security";
import type { StorageModule } from "./modules/storage";

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

export function buildPlatform(app: App, env: EnvironmentConfig): Platform {
  const root = workspaceRoot(app, env);
  const rules = { label: env.workspace, strict: env.tier === "production-like" };
  const ctx: Ctx = {
    app,
    env,
    root,
    names: namesOf(env, root),
    rules,
    running: startStopToggle(root, env),
    appSettings: root.declareKnobs(APP_SETTINGS, env.cache, rules),
  };
  const network = m.network(ctx);
  const security = m.security(ctx);
  const storage = m.storage(ctx, security);
  const cache = m.cache(ctx, network, security);
  const database = m.database(ctx, network, security);
  const dr = m.dr(ctx, security, storage, database.module);
  const compute = m.compute(ctx, { network, security, storage, database: database.module, cache: cache?.module });
  const cdn = m.cdn(ctx, storage, compute);
  const monitoring = m.monitoring(ctx, { security, storage, compute, database, cache });
  const built = { root, network, security, storage, cache: cache?.module, database: database.module, compute, cdn, monitoring, dr };
  addRootOutputs(root, env, built);
  return built;
}

/** The workspace root: provider with default tags, backend, the guarded `environment` variable. */
function workspaceRoot(app: App, env: EnvironmentConfig): WorkspaceStack {
  const ws = env.workspace;
  return new WorkspaceStack(app, {
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
}

/** Start/stop toggle (seed 002): false scales services to zero and removes the NAT gateways. */
function startStopToggle(root: WorkspaceStack, env: EnvironmentConfig): IResolvable {
  return root.knob("environment_running", true, {
    type: "bool",
    description: "false stops the environment: services at zero tasks, no NAT gateways (RDS: see docs/operations.md).",
    validations: [runningValidation(env)],
  }).booleanValue;
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
