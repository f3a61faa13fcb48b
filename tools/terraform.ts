/**
 * Runs the real Terraform binary on a copy of a synthesized workspace directory, offline.
 *
 * Offline-only settings live in an override file dropped into the copy
 * (`zz_test_override.tf.json`: provider skip flags and dummy keys, local backend), never in the
 * operator-facing output. Providers come from a filesystem mirror named by TF_PROVIDER_MIRROR
 * (the directory that contains `registry.terraform.io/`). Used by the tests and by the report
 * scripts that need a plan.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isMirror } from "./provider-mirror";
import { runTerraform, type TfResult } from "./terraform-cli";
import { AWS_PROVIDER_VERSION } from "../lib/core/versions";

export type { TfResult } from "./terraform-cli";

/** Why Terraform cannot run offline here, or undefined when it can. */
export function terraformUnavailable(): string | undefined {
  const version = spawnSync("terraform", ["version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return "terraform is not on PATH";
  const mirror = process.env.TF_PROVIDER_MIRROR;
  if (!mirror)
    return `TF_PROVIDER_MIRROR is not set (the directory holding registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION})`;
  if (!isMirror(mirror))
    return `TF_PROVIDER_MIRROR=${mirror} has no registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}`;
  return undefined;
}

/**
 * A fresh directory under the OS temp dir, or under `EDU_TMP_ROOT` when set (the test run sets it,
 * and removes that one directory when the run ends, so no run leaves directories behind).
 */
export function tempDir(prefix: string): string {
  const root =
    process.env.EDU_TMP_ROOT && fs.existsSync(process.env.EDU_TMP_ROOT) ? process.env.EDU_TMP_ROOT : os.tmpdir();
  return fs.mkdtempSync(path.join(root, `${prefix}-`));
}

let cliConfig: string | undefined;
function cliConfigFile(): string {
  if (cliConfig) return cliConfig;
  const missing = terraformUnavailable();
  if (missing) throw new Error(`cannot run Terraform offline: ${missing}`);
  const mirror = process.env.TF_PROVIDER_MIRROR as string;
  cliConfig = path.join(tempDir("tfrc"), "terraform.rc");
  fs.writeFileSync(cliConfig, mirrorCliConfig(mirror));
  return cliConfig;
}

/** A Terraform CLI configuration that installs hashicorp providers from the filesystem mirror `mirror` only. */
export function mirrorCliConfig(mirror: string): string {
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`;
}

/**
 * Provider settings that let Terraform plan without AWS: no credential, account or region checks. The
 * synthesized `allowed_account_ids` is nulled: without an account lookup (`skip_requesting_account_id`) the
 * provider cannot tell the account and refuses every plan with `AWS account ID not allowed` (D145).
 */
export const OFFLINE_PROVIDER = {
  allowed_account_ids: null,
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
  access_key: "AKIATESTTESTTESTTEST",
  secret_key: "test-secret-key-not-real",
};

/** The override file for a root: every aws provider block (default and aliases) offline, local backend. */
export function offlineOverride(rootJson: { provider?: { aws?: { alias?: string }[] } }): object {
  const blocks = (rootJson.provider?.aws ?? [{}]).map((p) =>
    p.alias ? { alias: p.alias, ...OFFLINE_PROVIDER } : { ...OFFLINE_PROVIDER },
  );
  return { provider: { aws: blocks }, terraform: { backend: { local: { path: "terraform.tfstate" } } } };
}

/** Copies a synthesized stack directory and drops the offline override file into the copy. */
export function workdirFrom(stackDir: string): string {
  const dir = tempDir("tfwork");
  fs.cpSync(stackDir, dir, { recursive: true });
  const root = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
  fs.writeFileSync(path.join(dir, "zz_test_override.tf.json"), JSON.stringify(offlineOverride(root), null, 2));
  return dir;
}

/** Initialised templates of this process (one jest test file): stack directory and workspace → template copy. */
const templates = new Map<string, string>();

/**
 * workdirFrom, then `terraform init -input=false` and `terraform workspace new <workspace>`, for
 * tests that need an initialised copy but do not test init itself. The first call of a process for a
 * stack directory and workspace runs those two commands in a template copy; every call copies the
 * template (`.terraform` holds only a link to the mirror's provider, the lock file and the workspace
 * name): the same files the two commands write, without starting Terraform again.
 */
export function initializedWorkdir(stackDir: string, workspace: string): string {
  const key = `${path.resolve(stackDir)}\0${workspace}`;
  let template = templates.get(key);
  if (!template || !fs.existsSync(template)) {
    template = workdirFrom(stackDir);
    terraformOk(template, ["init", "-input=false"]);
    terraformOk(template, ["workspace", "new", workspace]);
    templates.set(key, template);
  }
  const dir = tempDir("tfwork");
  fs.cpSync(template, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/**
 * Go runtime settings for Terraform and the provider it starts (which inherits its environment): no
 * proportional garbage collection below a soft 512 MiB heap limit. A plan starts the ~700 MB aws
 * provider up to five times; this takes about a quarter off its CPU time and changes nothing else.
 * An explicit GOGC or GOMEMLIMIT in the environment wins.
 */
export function goRuntimeEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return env.GOGC || env.GOMEMLIMIT ? {} : { GOGC: "off", GOMEMLIMIT: "512MiB" };
}

/** What the offline runner adds to the operator runner: a CLI configuration pointing at TF_PROVIDER_MIRROR. */
function offlineEnv(): NodeJS.ProcessEnv {
  return {
    TF_CLI_CONFIG_FILE: cliConfigFile(),
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
    ...goRuntimeEnv(),
  };
}

/** The offline runner: the operator runner plus a CLI configuration pointing at TF_PROVIDER_MIRROR. */
export function terraform(dir: string, args: string[]): TfResult {
  const r = runTerraform(dir, args, offlineEnv());
  if (args[0] === "init" && r.code === 0) withoutPackageHashes(dir);
  return r;
}

/**
 * Drops the `hashes` of every provider from a test copy's dependency lock file, right after the
 * offline runner's `terraform init` wrote them (D127). With hashes, every later command that loads the
 * provider first re-hashes its whole package (the 700 MB aws binary, about 0.5 CPU-seconds); without
 * them Terraform 1.11 skips that check. The provider stays the one init installed from the mirror at the
 * locked version; operator tests and operators keep their lock files untouched.
 */
export function withoutPackageHashes(dir: string): void {
  const file = path.join(dir, ".terraform.lock.hcl");
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, "utf8");
  const stripped = text.replace(/^[ \t]*hashes[ \t]*=[ \t]*\[[^\]]*\][ \t]*\n/gm, "");
  if (stripped !== text) fs.writeFileSync(file, stripped);
}

/** Runs Terraform offline and throws with its output when it fails. */
export function terraformOk(dir: string, args: string[]): TfResult {
  const r = terraform(dir, args);
  if (r.code !== 0)
    throw new Error(`terraform ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`.trimEnd());
  return r;
}

/** A resource instance change: its address and Terraform's actions (`["create"]`, `["delete", "create"]`, …). */
export interface PlannedChange {
  readonly address: string;
  readonly actions: string[];
  /** The address the state held it under, when a `moved` block moves it (the stream's `previous_resource`). */
  readonly previousAddress?: string;
}

/** A saved plan as `terraform show -json <planfile>` prints it (Terraform's documented JSON output format). */
export function showPlan(dir: string, planFile: string): PlanJson {
  return JSON.parse(terraformOk(dir, ["show", "-json", planFile]).stdout) as PlanJson;
}

/** The changes of a plan (no-ops excluded), in `resource_changes` order. */
export function changesOf(plan: PlanJson): PlannedChange[] {
  return (plan.resource_changes ?? [])
    .filter((c) => !(c.change.actions.length === 1 && c.change.actions[0] === "no-op"))
    .map((c) => ({ address: c.address, actions: c.change.actions }));
}

/** changesOf the saved plan `planFile` in `dir` (one `terraform show -json`). */
export function plannedChanges(dir: string, planFile: string): PlannedChange[] {
  return changesOf(showPlan(dir, planFile));
}

/**
 * The planned (after) values of every resource instance a plan creates or changes (deletes left out):
 * `resource_changes[].change.after`, whose attributes known only after apply are absent or null (see
 * `after_unknown`).
 */
export function plannedValues(plan: PlanJson): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const c of plan.resource_changes ?? []) {
    if (c.change.actions.includes("delete") && !c.change.actions.includes("create")) continue;
    if (c.change.after && typeof c.change.after === "object" && !out.has(c.address))
      out.set(c.address, c.change.after as Record<string, unknown>);
  }
  return out;
}

/** The root variables a plan was made with (`variables.<name>.value`). */
export function planVariables(plan: PlanJson): Record<string, unknown> {
  return Object.fromEntries(Object.entries(plan.variables ?? {}).map(([k, v]) => [k, v.value]));
}

/**
 * `terraform plan -json <args>` in `dir`: the machine-readable stream's `planned_change` messages, for
 * plans where addresses and actions suffice (no `show` afterwards). The stream names one action per
 * change (`create`, `update`, `delete`, `replace`, `read`, `move` for a move alone); no-ops are not reported.
 */
export function streamedPlan(dir: string, args: string[]): { result: TfResult; changes: PlannedChange[] } {
  const result = terraform(dir, ["plan", "-json", ...args]);
  return { result, changes: streamedChanges(result.stdout) };
}

/** The `planned_change` messages of a `terraform plan -json` stream (no-ops are not reported). */
export function streamedChanges(stdout: string): PlannedChange[] {
  const changes: PlannedChange[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const m = JSON.parse(line) as {
      type?: string;
      change?: { resource?: { addr?: string }; previous_resource?: { addr?: string }; action?: string };
    };
    if (m.type === "planned_change" && m.change?.resource?.addr && m.change.action && m.change.action !== "noop") {
      const previous = m.change.previous_resource?.addr;
      changes.push({
        address: m.change.resource.addr,
        actions: [m.change.action],
        ...(previous ? { previousAddress: previous } : {}),
      });
    }
  }
  return changes;
}

/** streamedPlan, throwing with Terraform's diagnostics when the plan fails. */
export function streamedPlanOk(dir: string, args: string[]): PlannedChange[] {
  const { result, changes } = streamedPlan(dir, args);
  if (result.code !== 0) {
    const diagnostics = result.stdout
      .split("\n")
      .filter((l) => l.includes('"type":"diagnostic"'))
      .join("\n");
    throw new Error(
      `terraform plan -json ${args.join(" ")} failed (${result.code}):\n${diagnostics}\n${result.stderr}`,
    );
  }
  return changes;
}

/**
 * Offline plan of a whole workspace directory, as `terraform show -json` prints it.
 * `stackDir` is `cdktf.out/stacks/<ws>`; the directory itself is not modified.
 */
export function planJson(stackDir: string, workspace: string, extraArgs: string[] = []): PlanJson {
  const dir = initializedWorkdir(stackDir, workspace);
  terraformOk(dir, [
    "plan",
    "-input=false",
    `-var-file=environments/${workspace}/terraform.tfvars`,
    "-out=tfplan",
    ...extraArgs,
  ]);
  const plan = showPlan(dir, "tfplan");
  fs.rmSync(dir, { recursive: true, force: true });
  return plan;
}

/** The parts of Terraform's JSON plan format the report scripts read. */
export interface PlanJson {
  readonly planned_values: { readonly root_module: PlanModule };
  readonly resource_changes?: readonly {
    address: string;
    previous_address?: string;
    type: string;
    change: { actions: string[]; after?: unknown; after_unknown?: unknown };
  }[];
  readonly configuration: Record<string, unknown>;
  readonly variables?: Record<string, { value: unknown }>;
  readonly checks?: readonly { address: { name: string }; status: string; instances?: unknown }[];
}

export interface PlanModule {
  readonly address?: string;
  readonly resources?: readonly PlanResource[];
  readonly child_modules?: readonly PlanModule[];
}

export interface PlanResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values: Record<string, unknown>;
}

/** Every resource instance of a plan, flattened across modules. */
export function planResources(plan: PlanJson): PlanResource[] {
  const out: PlanResource[] = [];
  const walk = (m: PlanModule) => {
    out.push(...(m.resources ?? []));
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk(plan.planned_values.root_module);
  return out;
}

type AttrType = string | [string, unknown];
interface ResourceSchema {
  readonly version: number;
  readonly block: { readonly attributes?: Record<string, { type?: AttrType; computed?: boolean; optional?: boolean }> };
}

/** Schemas read in this process, by the provider versions a lock file names. */
const schemaCache = new Map<string, Record<string, ResourceSchema>>();

/**
 * Resource schemas as the providers initialised in `dir` report them. A schema is a function of the provider
 * versions `dir`'s lock file names, so it is read once per process and, in a test run, once per run (a file under
 * EDU_TMP_ROOT keyed by those versions): `terraform providers schema -json` starts the 700 MB provider and prints
 * 13 MB of JSON (about 2 CPU-seconds).
 */
export function providerSchemas(dir: string): Record<string, ResourceSchema> {
  const lock = path.join(dir, ".terraform.lock.hcl");
  const key = fs.existsSync(lock)
    ? [...fs.readFileSync(lock, "utf8").matchAll(/^provider "([^"]+)" \{\s*version\s*=\s*"([^"]+)"/gm)]
        .map((m) => `${m[1]}@${m[2]}`)
        .join(",")
    : "";
  const root = process.env.EDU_TMP_ROOT;
  const file =
    key && root && fs.existsSync(root)
      ? path.join(root, `provider-schemas-${createHash("sha256").update(key).digest("hex").slice(0, 16)}.json`)
      : undefined;
  const cached =
    schemaCache.get(key) ?? (file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined);
  if (key && cached) {
    schemaCache.set(key, cached);
    return cached;
  }
  const schema = JSON.parse(terraformOk(dir, ["providers", "schema", "-json"]).stdout);
  const out: Record<string, ResourceSchema> = {};
  for (const p of Object.values<{ resource_schemas?: Record<string, ResourceSchema> }>(schema.provider_schemas ?? {})) {
    Object.assign(out, p.resource_schemas ?? {});
  }
  if (key) {
    schemaCache.set(key, out);
    if (file) {
      // Written under another name, then renamed: a worker reading it concurrently sees all of it or nothing.
      fs.writeFileSync(`${file}.${process.pid}`, JSON.stringify(out));
      fs.renameSync(`${file}.${process.pid}`, file);
    }
  }
  return out;
}

/** A placeholder for a computed value that is only known after a real apply. */
function fake(type: AttrType | undefined, label: string): unknown {
  if (type === "string")
    return /(^|_)arn$/.test(label) ? `arn:aws:fake:us-east-1:123456789012:${label}` : `fake-${label}`;
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if ((kind === "list" || kind === "set") && Array.isArray(inner) && inner[0] === "object")
      return [fake(inner as AttrType, label)];
    if (kind === "list" || kind === "set") return [];
    if (kind === "map") return {};
    if (kind === "object") {
      return Object.fromEntries(Object.entries(inner as Record<string, AttrType>).map(([k, t]) => [k, fake(t, k)]));
    }
  }
  return null;
}

/** The cty type of a JSON value, as state files write a `dynamic` attribute's type. */
function ctyType(v: unknown): unknown {
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return ["tuple", v.map(ctyType)];
  if (v && typeof v === "object")
    return ["object", Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ctyType(x)]))];
  return "dynamic";
}

/** Attributes of type `dynamic` (e.g. terraform_data's input, output, triggers_replace) as state stores them: `{ value, type }`. */
const DYNAMIC_ATTRIBUTES: Record<string, readonly string[]> = {
  terraform_data: ["input", "output", "triggers_replace"],
};

export interface StateOptions {
  /** Each resource's recorded dependencies (see `stateDependencies`); @default none */
  readonly dependencies?: ReadonlyMap<string, readonly string[]>;
}

/**
 * A Terraform state (format 4) holding every resource a plan would create, with the values known at
 * plan time and a fake id. It stands in for "the state after the apply" when testing what later
 * plans do with `-refresh=false` (targeted destroys, moved blocks, rollbacks) without AWS.
 * Resources behind a provider alias are not supported. Pass `dependencies` (see
 * `stateDependencies`) to record what a real apply records, so destroy plans follow dependents.
 */
export function stateFromPlan(
  plan: PlanJson,
  schemas: Record<string, ResourceSchema>,
  lineage = "00000000-0000-4000-8000-000000000000",
  options: StateOptions = {},
): object {
  const dependencies = options.dependencies ?? new Map<string, readonly string[]>();
  const byResource = new Map<string, { module?: string; type: string; name: string; instances: object[] }>();
  for (const r of planResources(plan)) {
    if (r.mode !== "managed") continue;
    const module = r.address.startsWith("module.") ? r.address.split(".").slice(0, 2).join(".") : undefined;
    const key = `${module ?? ""}|${r.type}.${r.name}`;
    const entry = byResource.get(key) ?? { module, type: r.type, name: r.name, instances: [] };
    const attributes: Record<string, unknown> = { ...r.values, id: `fake-${r.type}-${r.name}-${r.index ?? 0}` };
    for (const [attr, spec] of Object.entries(schemas[r.type]?.block.attributes ?? {})) {
      // Only purely computed attributes: optional+computed ones keep their planned value, or the next plan sees drift.
      if (spec.computed && !spec.optional && (attributes[attr] === undefined || attributes[attr] === null))
        attributes[attr] = fake(spec.type, attr);
    }
    // terraform_data: output mirrors input; an input only known after apply (uuid()) gets a fake.
    if (r.type === "terraform_data") {
      attributes.input ??= `fake-${r.name}-input`;
      attributes.output ??= attributes.input;
    }
    const dynamic = new Set([
      ...(DYNAMIC_ATTRIBUTES[r.type] ?? []),
      ...Object.entries(schemas[r.type]?.block.attributes ?? {})
        .filter(([, spec]) => spec.type === "dynamic")
        .map(([attr]) => attr),
    ]);
    for (const attr of dynamic) {
      const v = attributes[attr];
      if (v !== undefined && v !== null) attributes[attr] = { value: v, type: ctyType(v) };
    }
    entry.instances.push({
      ...(r.index !== undefined ? { index_key: r.index } : {}),
      schema_version: schemas[r.type]?.version ?? 0,
      attributes,
      sensitive_attributes: [],
      dependencies: [...(dependencies.get(`${module ? module + "." : ""}${r.type}.${r.name}`) ?? [])],
    });
    byResource.set(key, entry);
  }
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage,
    outputs: {},
    resources: [...byResource.values()].map((r) => ({
      ...(r.module ? { module: r.module } : {}),
      mode: "managed",
      type: r.type,
      name: r.name,
      provider:
        r.type === "terraform_data"
          ? 'provider["terraform.io/builtin/terraform"]'
          : 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: r.instances,
    })),
    check_results: null,
  };
}

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What Terraform records as each resource's `dependencies` in state after an apply of a synthesized
 * directory: every managed resource it depends on, transitively, through module inputs, outputs,
 * locals, data sources and `depends_on`. Keys and values are config addresses
 * (`module.compute.aws_ecs_service.app`). Read from the JSON files themselves (`terraform show
 * -json` omits locals), by scanning interpolations for references.
 */
export function stateDependencies(stackDir: string): Map<string, string[]> {
  const root: Node = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const modules: Record<string, Node> = {};
  for (const name of Object.keys(root.module ?? {})) {
    modules[name] = JSON.parse(fs.readFileSync(path.join(stackDir, "modules", name, "main.tf.json"), "utf8"));
  }
  const refs = (value: unknown): string[] => {
    const out: string[] = [];
    const walk = (v: unknown, key?: string) => {
      if (typeof v === "string") {
        if (key === "depends_on" || v.includes("${")) {
          for (const m of v.matchAll(
            /\b(?:(module|var|local)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?|data\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)|((?:aws|terraform)_[a-z0-9_]+)\.([A-Za-z0-9_-]+))/g,
          )) {
            if (m[1]) out.push(m[1] === "module" ? `module.${m[2]}${m[3] ? "." + m[3] : ""}` : `${m[1]}.${m[2]}`);
            else if (m[4]) out.push(`data.${m[4]}.${m[5]}`);
            else out.push(`${m[6]}.${m[7]}`);
          }
        }
      } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) walk(x, k === "depends_on" ? k : key === "depends_on" ? key : k);
    };
    walk(value);
    return out;
  };
  const memo = new Map<string, Set<string>>();
  // Resources a reference leads to, seen from module `mod` (undefined: the root).
  const resolve = (mod: string | undefined, ref: string, seen: Set<string>): Set<string> => {
    const key = `${mod ?? ""}|${ref}`;
    const cached = memo.get(key);
    if (cached) return cached;
    if (seen.has(key)) return new Set();
    seen.add(key);
    const result = new Set<string>();
    const add = (s: Iterable<string>) => {
      for (const x of s) result.add(x);
    };
    const parts = ref.split(".");
    if (mod === undefined) {
      if (parts[0] === "module" && modules[parts[1]]) {
        const outputs = Object.keys(modules[parts[1]].output ?? {});
        for (const o of parts[2] ? [parts[2]] : outputs) {
          for (const r of refs(modules[parts[1]].output?.[o]?.value)) add(resolve(parts[1], r, seen));
        }
      }
    } else {
      const tf = modules[mod];
      if (parts[0] === "var") {
        for (const r of refs(root.module?.[mod]?.[parts[1]])) add(resolve(undefined, r, seen));
      } else if (parts[0] === "local") {
        for (const r of refs(tf.locals?.[parts[1]])) add(resolve(mod, r, seen));
      } else if (parts[0] === "data") {
        for (const r of refs(tf.data?.[parts[1]]?.[parts[2]])) add(resolve(mod, r, seen));
      } else if (tf.resource?.[parts[0]]?.[parts[1]]) {
        result.add(`module.${mod}.${parts[0]}.${parts[1]}`);
        for (const r of refs(tf.resource[parts[0]][parts[1]])) add(resolve(mod, r, seen));
      }
    }
    memo.set(key, result);
    return result;
  };
  const out = new Map<string, string[]>();
  for (const [mod, tf] of Object.entries(modules)) {
    for (const [type, byName] of Object.entries<Node>(tf.resource ?? {})) {
      for (const [name, body] of Object.entries<Node>(byName)) {
        const self = `module.${mod}.${type}.${name}`;
        const deps = new Set<string>();
        for (const r of refs(body)) for (const d of resolve(mod, r, new Set())) deps.add(d);
        deps.delete(self);
        out.set(self, [...deps].sort());
      }
    }
  }
  return out;
}

/** Data sources Terraform evaluates without calling AWS (none of them needs credentials at plan). */
const LOCAL_DATA_SOURCES = ["aws_iam_policy_document", "aws_arn", "aws_partition"];

/**
 * The data sources of a synthesized workspace's modules that call AWS at plan time (seed 004's option A looks up
 * the default VPC, D118): such a workspace cannot be planned offline with the test provider settings; its plans
 * are tested with `terraform test` and `override_data` instead (__tests__/terraform/product-aitechne.test.ts).
 */
export function planReadsAws(stack: {
  readonly modules: Readonly<Record<string, { data?: Record<string, Record<string, unknown>> }>>;
}): string[] {
  return Object.entries(stack.modules).flatMap(([m, tf]) =>
    Object.entries(tf.data ?? {})
      .filter(([type]) => !LOCAL_DATA_SOURCES.includes(type))
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `module.${m}.data.${type}.${name}`)),
  );
}
