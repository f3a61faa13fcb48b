/**
 * One workspace built alone from a changed copy of its input, for module tests that check how a module
 * reacts to a setting. synthAll(customInputs) synthesizes every workspace plus the state bootstrap;
 * a module's behaviour needs only the workspace under test (a third of the work, no bootstrap stack).
 *
 * The whole product is still validated (loadEnvironments), so a change a rule refuses throws the same
 * ConfigError as `npm run synth`; only the chosen workspace is built and written.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
  ConfigError,
  EDUAUTISMO,
  loadEnvironments,
  WORKSPACES,
  type Product,
  type Workspace,
} from "../../environments";
import { withDeployedImages } from "../../environments/deployed-images";
import { withDefaults } from "../../environments/product-spec";
import { TerraformStack } from "cdktf";
import { buildPlatform, type Platform } from "../../platform";
import { PlatformApp, validationsOf } from "../../lib/core/app";
import { ModuleStack } from "../../lib/core/module-stack";
import type { WorkspaceStack } from "../../lib/core/workspace-stack";
import { readStack, tempDir, type Json, type SynthesizedStack } from "./synth";
import type { Mutable } from "./config";

/** A deep copy of a product's checked-in input of `ws` (over its defaults). */
export function workspaceInput(ws: string, product: Product = EDUAUTISMO): Mutable {
  const raw = product.environments[ws];
  if (!raw) throw new Error(`${product.id} has no workspace ${ws}`);
  return structuredClone(withDefaults(product.defaults, raw));
}

/**
 * Synthesizes workspace `ws` of `product` alone, after `change` edits a copy of its input, and reads it back
 * (`root`, `modules.<m>`, `tfvars`, `dir`). Throws ConfigError when a rule refuses the change.
 */
export function synthWorkspace(
  ws: Workspace | string,
  change: (env: Mutable) => void = () => undefined,
  product: Product = EDUAUTISMO,
): SynthesizedStack {
  const input = workspaceInput(ws, product);
  change(input);
  return buildWorkspace(ws, input, product);
}

/**
 * Workspace `ws` of `product` built alone from a whole input (e.g. one workspace of `inputs()` after a test changed
 * it), read back as `npm run synth` writes it. Throws ConfigError when a rule refuses it.
 *
 * What a test reads is all that is synthesized: the workspace is built (every module constructed, so what one module
 * reads from another is wired as in a full synthesis), then `root` and each of `modules.<m>` are resolved the first
 * time they are read, to the JSON `npm run synth` writes for them (cdk.tf.json, modules/<m>/main.tf.json). Reading
 * `dir` or `tfvars` synthesizes the whole workspace to disk. A module test that reads one module pays for that module
 * (a tenth of a full synthesis; docs/testing.md, Speed).
 *
 * Within a jest run what is built of a variant is shared by input: test files that build the same variant read the
 * parts another file resolved (`<run root>/ws-parts/<hash>/<part>.json`; the workspace is only built when a part is
 * missing) and the directory another file synthesized (`<run root>/ws-shared/<hash>`). Callers must not change it.
 */
export function buildWorkspace(
  ws: Workspace | string,
  input: Mutable,
  product: Product = EDUAUTISMO,
): SynthesizedStack {
  const deployed = withDeployedImages(product, { [ws]: input }, product.images);
  if (deployed.problems.length > 0) throw new ConfigError(deployed.problems);
  const [env] = loadEnvironments(deployed.inputs, product);
  const key = createHash("sha256")
    .update(JSON.stringify([product.id, ws, deployed.inputs[ws]]))
    .digest("hex")
    .slice(0, 16);
  const shared = process.env.EDU_TMP_ROOT && path.join(process.env.EDU_TMP_ROOT, "ws-shared", key);
  if (shared && fs.existsSync(shared)) return readStack(path.join(shared, "stacks", ws), ws);
  const parts = process.env.EDU_TMP_ROOT && path.join(process.env.EDU_TMP_ROOT, "ws-parts", key);
  let platform: Platform | undefined;
  const built = () => (platform ??= buildPlatform(new PlatformApp({ outdir: tempDir("ws-in-memory") }), env, product));
  let written: SynthesizedStack | undefined;
  const onDisk = () => (written ??= synthToDisk(ws, env, product, shared));
  const root = once(() => sharedPart(parts, "root", () => rootJson(built().root)));
  const names = sharedPart(parts, "module-names", () =>
    modulesOf(built())
      .map((m) => m.moduleName)
      .sort(),
  );
  const modules: Record<string, Json> = {};
  for (const name of names) {
    const json = once(() => sharedPart(parts, `module-${name}`, () => moduleJson(modulesOf(built()), name)));
    Object.defineProperty(modules, name, { enumerable: true, get: json });
  }
  return {
    workspace: ws,
    get dir() {
      return onDisk().dir;
    },
    get tfvars() {
      return onDisk().tfvars;
    },
    get root() {
      return root();
    },
    modules,
  };
}

/** `read` run once, on the first call. */
function once<T>(read: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: read() }).v;
}

/**
 * One resolved part of a variant, shared by the run's test files under `dir` (one JSON file per part, published
 * atomically): a part another file has resolved is read back, never built again.
 */
function sharedPart<T>(dir: string | undefined, name: string, make: () => T): T {
  const file = dir && path.join(dir, `${name}.json`);
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  const value = make();
  if (!file || !dir) return value;
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
  return value;
}

/** The module stacks a workspace calls. */
function modulesOf(platform: Platform): ModuleStack[] {
  return Object.values(platform).filter((v): v is ModuleStack => v instanceof ModuleStack);
}

/** The root's cdk.tf.json as cdktf writes it: prepared (the local backend when there is no other), keys sorted. */
function rootJson(root: WorkspaceStack): Json {
  TerraformStack.prototype.prepareStack.call(root);
  return sortedKeys(root.toTerraform()) as Json;
}

/** A module's main.tf.json as the workspace writes it, refused as synthesis refuses it (its constructs' validations). */
function moduleJson(stacks: ModuleStack[], name: string): Json {
  const m = stacks.find((s) => s.moduleName === name);
  if (!m) throw new Error(`no module ${name}`);
  for (const message of m.node
    .findAll()
    .filter((n) => n !== m)
    .flatMap(validationsOf))
    throw new Error(`module "${m.moduleName}": ${message}`);
  return JSON.parse(JSON.stringify(m.toModuleJson())) as Json;
}

/** A JSON value with every object's keys sorted (what cdktf's json-stable-stringify writes). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => [k, sortedKeys(obj[k])]),
  );
}

/** The whole workspace synthesized to disk and read back, published under `shared` for the run's other files. */
function synthToDisk(
  ws: string,
  env: ReturnType<typeof loadEnvironments>[number],
  product: Product,
  shared: string | undefined,
): SynthesizedStack {
  const outdir = tempDir(`ws-${product.id}-${ws}`);
  const app = new PlatformApp({ outdir });
  buildPlatform(app, env, product);
  app.synth();
  if (!shared) return readStack(path.join(outdir, "stacks", ws), ws);
  fs.mkdirSync(path.dirname(shared), { recursive: true });
  try {
    fs.renameSync(outdir, shared);
  } catch {
    // Another worker published the same variant first: read theirs (the same input, the same output).
  }
  return readStack(path.join(shared, "stacks", ws), ws);
}

/** EduAutismo's workspace `ws` as the pipeline needs it: remote state in the bootstrap bucket, the Terraform roles on (D97). */
export function pipelineReadyWorkspace(ws: Workspace): SynthesizedStack {
  return synthWorkspace(ws, (e) => {
    e.state = { bucket: "eduautismo-ia-terraform-state", key: "eduautismo-ia/terraform.tfstate" };
    e.security.deploy = { ...e.security.deploy, terraformRoles: { enabled: true } };
  });
}

/** Every EduAutismo workspace as the pipeline needs it, each built once per jest run (buildWorkspace shares them). */
export function pipelineReadyStacks(): Record<string, SynthesizedStack> {
  return Object.fromEntries(WORKSPACES.map((ws) => [ws, pipelineReadyWorkspace(ws)]));
}
