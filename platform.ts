/**
 * Wiring: environment config → one workspace stack with its modules, in dependency order.
 * Each module receives only the values and other modules' outputs it needs.
 */
import * as fs from "fs";
import * as path from "path";
import type { App, IResolvable } from "cdktf";
import { BootstrapStack } from "./bootstrap";
import * as m from "./composition/modules";
import type { Ctx } from "./composition/modules";
import { stateObjectPrefixes } from "./composition/modules";
import { namesOf } from "./composition/names";
import { addRootOutputs } from "./composition/outputs";
import { runningValidation } from "./composition/running";
import {
  ConfigError,
  crossProductProblems,
  EDUAUTISMO,
  loadEnvironments,
  PRODUCTS,
  ruleContext,
  type EnvironmentConfig,
  type WorkspaceInput,
  type Product,
} from "./environments";
import { withDeployedImages } from "./environments/deployed-images";
import { BootstrapSchema, type BootstrapConfig, type BootstrapInput } from "./environments/bootstrap";
import { PlatformApp } from "./lib/core/app";
import { placeholdersOf } from "./lib/core/placeholders";
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
  /** Absent when `database.enabled` is false (seed 004). */
  readonly database?: DatabaseModule;
  readonly compute: ComputeModule;
  /** Present when `cdn.enabled` (production). */
  readonly cdn?: CdnModule;
  readonly monitoring: MonitoringModule;
  /** Present when `dr.enabled`: backups and bucket replicas in a second region. */
  readonly dr?: DrModule;
}

function parseBootstrap(input: BootstrapInput): BootstrapConfig {
  const r = BootstrapSchema.safeParse(input);
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => `bootstrap.${i.path.join(".")}: ${i.message}`));
  return r.data;
}

export function buildPlatform(app: App, env: EnvironmentConfig, product: Product = EDUAUTISMO): Platform {
  const root = workspaceRoot(app, env, product);
  const rules = ruleContext(env);
  const ctx: Ctx = {
    app,
    env,
    root,
    names: namesOf(env, root, product),
    product,
    rules,
    running: startStopToggle(root, env),
    appSettings: product.appSettings && root.declareKnobs(product.appSettings, env.cache, rules),
  };
  const network = m.network(ctx);
  const security = m.security(ctx);
  const storage = m.storage(ctx, security);
  const cache = m.cache(ctx, network, security);
  const database = m.database(ctx, network, security);
  const dr = m.dr(ctx, security, storage, database?.module);
  const compute = m.compute(ctx, { network, security, storage, database: database?.module, cache: cache?.module });
  const cdn = m.cdn(ctx, storage, compute);
  const monitoring = m.monitoring(ctx, { security, storage, compute, database, cache });
  const built = {
    root,
    network,
    security,
    storage,
    cache: cache?.module,
    database: database?.module,
    compute,
    cdn,
    monitoring,
    dr,
  };
  addRootOutputs(root, env, built);
  return built;
}

/** The workspace root: provider with default tags, backend, the guarded `environment` variable. */
function workspaceRoot(app: App, env: EnvironmentConfig, product: Product): WorkspaceStack {
  const ws = env.workspace;
  return new WorkspaceStack(app, {
    workspace: ws,
    region: env.region,
    accountId: env.accountId,
    placeholders: placeholdersOf(env),
    defaultTags: { ...env.tags, Project: env.project, Environment: ws, ManagedBy: "cdktf" },
    state: env.state && {
      bucket: env.state.bucket,
      key: env.state.key,
      region: env.state.region ?? env.region,
      workspaceKeyPrefix: env.state.workspaceKeyPrefix,
      kmsKeyId: env.state.kmsKeyId,
    },
    sourceFile: `${product.sourceDir}/${ws}.ts`,
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
  /** The product to synthesize. @default EduAutismo IA */
  readonly product?: Product;
  /** @default the product's bootstrap (its registration, `<sourceDir>/index.ts`) */
  readonly bootstrap?: BootstrapInput;
  /**
   * Root of the output: the product's stacks go to `<outdir>/<product outDir>/stacks/<ws>`.
   * @default cdktf's default (`CDKTF_OUTDIR` or `cdktf.out`)
   */
  readonly outdir?: string;
  /** @default the product's checked-in environment files */
  readonly inputs?: Readonly<Record<string, WorkspaceInput>>;
  /** Workspace → deployed image tag. @default the product's images file (`<sourceDir>/images.json`) */
  readonly images?: Readonly<Record<string, string>>;
}

/**
 * Validates every environment of a product, then synthesizes every workspace. A ConfigError is thrown
 * before the App exists, so a bad config writes nothing.
 */
export function synthesize(options: SynthOptions = {}): { app: PlatformApp; platforms: Platform[] } {
  const product = options.product ?? EDUAUTISMO;
  // The deployed tags (<sourceDir>/images.json) go in before validation, so a bad tag stops here too.
  const deployed = withDeployedImages(
    product,
    options.inputs ?? product.environments,
    options.images ?? product.images,
  );
  if (deployed.problems.length > 0) throw new ConfigError(deployed.problems);
  const environments = loadEnvironments(deployed.inputs, product);
  const boot = parseBootstrap(options.bootstrap ?? product.bootstrap);
  for (const env of environments) {
    if (env.state && env.state.bucket !== boot.bucket) {
      throw new ConfigError([
        `${env.workspace}.state.bucket: "${env.state.bucket}" is not the bootstrap state bucket "${boot.bucket}" (${product.sourceDir}/index.ts)`,
      ]);
    }
  }
  const outdir = path.join(options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out", product.outDir);
  // cdktf creates only the last directory of outdir: a fresh checkout has no cdktf.out/ for cdktf.out/<product>.
  fs.mkdirSync(outdir, { recursive: true });
  const app = new PlatformApp({ outdir });
  const users = environments.flatMap((env) =>
    env.state
      ? [
          {
            workspace: env.workspace,
            accountId: env.accountId,
            objectPrefixes: stateObjectPrefixes(env.workspace, env.state.workspaceKeyPrefix),
          },
        ]
      : [],
  );
  new BootstrapStack(app, boot, {
    users,
    sourceFile: `${product.sourceDir}/index.ts`,
  });
  const platforms = environments.map((env) => buildPlatform(app, env, product));
  app.synth();
  return { app, platforms };
}

/** Every product (`npm run synth`), or those named (`npm run synth -- <id> …`); EduAutismo first. */
export function synthesizeProducts(
  ids: readonly string[] = [],
  options: Omit<SynthOptions, "product" | "inputs" | "bootstrap" | "images"> = {},
): { product: Product; platforms: Platform[] }[] {
  const unknown = ids.filter((id) => !PRODUCTS.some((p) => p.id === id));
  if (unknown.length > 0)
    throw new ConfigError(
      unknown.map((id) => `synth: no product "${id}" (products: ${PRODUCTS.map((p) => p.id).join(", ")})`),
    );
  const chosen = ids.length > 0 ? PRODUCTS.filter((p) => ids.includes(p.id)) : PRODUCTS;
  // Rules across products (shared accounts), whichever products are written: nothing is written on a problem.
  const shared = crossProductProblems();
  if (shared.length > 0) throw new ConfigError(shared);
  return chosen.map((product) => ({ product, platforms: synthesize({ ...options, product }).platforms }));
}
