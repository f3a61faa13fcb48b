/**
 * The generated part of each module's README (modules/<m>/README.md, between the terraform-docs markers
 * `<!-- BEGIN_TF_DOCS -->` … `<!-- END_TF_DOCS -->`): its inputs and outputs as synthesized for every
 * configuration of every product, the default of each input from the config that owns it (the module
 * variables carry none), and "present when …" for an input only some configurations have.
 * The hand part above the markers (what the module owns, its parts, decisions) is kept as written.
 */
import { environmentSchemaOf, type EnvironmentConfig, type Product } from "../environments";
import type { Json, SynthesizedStack } from "./synthesized";
import { PRESENT_WHEN, type Condition } from "./module-conditions";

export const TF_DOCS_BEGIN = "<!-- BEGIN_TF_DOCS -->";
export const TF_DOCS_END = "<!-- END_TF_DOCS -->";

/** One synthesized workspace of one product, with the environment config it was synthesized from. */
export interface Configuration {
  /** Report label: `dev`, `atena/prod` … */
  readonly label: string;
  readonly product: Product;
  readonly env: EnvironmentConfig;
  readonly stack: SynthesizedStack;
}

function code(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value ?? null);
  const short = text.length > 60 ? text.slice(0, 57) + "…" : text;
  return "`" + short.replace(/\|/g, "\\|").replace(/`/g, "'") + "`";
}

const escape = (text: string) => text.replace(/\|/g, "\\|");

/** Every leaf of a config object by dotted path (arrays and records of arrays are leaves). */
function leaves(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const words = (name: string) => name.toLowerCase().split("_").filter(Boolean);

/**
 * How well a config path names a variable: the variable's words found in the path, plus a half for the module's own
 * section; 0 unless the path holds at least half of the words (a prefix such as `redis_` may be missing in the section).
 */
function score(variable: string, path: string, section: string): number {
  const flat = path.toLowerCase().replace(/[^a-z0-9]/g, "");
  const all = words(variable);
  const found = all.filter((w) => flat.includes(w.replace(/s$/, ""))).length;
  const own = path.startsWith(`${section}.`) ? 0.5 : 0;
  return found === 0 || 2 * (found + own) < all.length ? 0 : found + own;
}

/**
 * With one configuration a value can match by chance (`workers_cpu` 256 and `compute.migrations.cpu` 256): there the
 * field's own words (after its section) must all be in the variable's name.
 */
function namedBy(variable: string, path: string): boolean {
  const names = words(variable).map((w) => w.replace(/s$/, ""));
  const own = path
    .split(".")
    .slice(1)
    .join(" ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/\W+/);
  return own.every((w) => names.some((n) => n.startsWith(w.replace(/s$/, "")) || w.startsWith(n)));
}

/**
 * The config field a literal input comes from: the path whose value equals the input in every configuration
 * that passes it and whose name matches it best; undefined when none or two fit equally.
 */
export function owningField(variable: string, section: string, passing: readonly Configuration[], values: unknown[]) {
  const flat = passing.map((c) => leaves(c.env));
  const candidates = [...flat[0].keys()]
    .filter((p) => flat.every((f, i) => f.has(p) && same(f.get(p), values[i])))
    .map((p) => ({ p, s: score(variable, p, section) }))
    .filter((c) => c.s > 0 && (passing.length > 1 || namedBy(variable, c.p)))
    .sort((a, b) => b.s - a.s || a.p.length - b.p.length);
  if (candidates.length === 0) return undefined;
  if (candidates.length > 1 && candidates[1].s === candidates[0].s && candidates[1].p.length === candidates[0].p.length)
    return undefined;
  return candidates[0].p;
}

/** The default the config schema gives a field: `{ value }`, `"optional"`, or `"required"`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function schemaDefault(schema: any, path: string): { value: unknown } | "optional" | "required" {
  let node = schema;
  for (const segment of path.split(".")) {
    while (node && !node.shape && node._zod.def.innerType) node = node._zod.def.innerType;
    node = node?.shape?.[segment];
    if (!node) return "required";
  }
  for (;;) {
    const def = node._zod.def;
    if (def.type === "default") return { value: def.defaultValue };
    if (def.type === "optional") return "optional";
    if (def.type === "nullable" || def.type === "readonly" || def.type === "pipe") node = def.innerType ?? def.in;
    else return "required";
  }
}

/** The default column: where the root's value comes from (a config field and its default, another module, a root variable). */
function defaultCell(variable: string, section: string, passing: readonly Configuration[], module: string): string {
  const values = passing.map((c) => c.stack.root.module[module][variable]);
  const refs = values.map((v) => (typeof v === "string" ? /^\$\{([^{}]+)\}$/.exec(v)?.[1] : undefined));
  if (refs[0] !== undefined && refs.every((r) => r === refs[0])) {
    const ref = refs[0] as string;
    const rootVar = /^var\.(\w+)$/.exec(ref)?.[1];
    if (!rootVar) return `\`${ref}\``;
    // A root variable (a knob): its value in each tfvars is the config field it is declared on.
    const tfvars = passing.map((c) => c.stack.root.variable?.[rootVar]?.default);
    const field = tfvars.every((v) => v !== undefined) ? owningField(rootVar, section, passing, tfvars) : undefined;
    return field ? `\`${ref}\` (tfvars) ← ${fieldCell(field, passing)}` : `\`${ref}\` (tfvars)`;
  }
  if (values.some((v) => typeof v === "string" && v.includes("${"))) return "set by the root";
  const field = owningField(variable, section, passing, values);
  return field ? fieldCell(field, passing) : "set by the root";
}

/** A config field with its schema default: `cache.engine` = `"redis"`, or (required) / (optional). */
function fieldCell(field: string, passing: readonly Configuration[]): string {
  const d = schemaDefault(environmentSchemaOf(passing[0].product), field);
  if (d === "required") return `\`${field}\` (required)`;
  if (d === "optional") return `\`${field}\` (optional)`;
  return `\`${field}\` = ${code(d.value)}`;
}

/** "present when …" of an input some configurations lack: its declared condition, checked against every configuration. */
function presentCell(module: string, variable: string, present: readonly Configuration[]): string {
  const passing = present.filter((c) => variable in (c.stack.modules[module].variable ?? {}));
  if (passing.length === present.length) return "always";
  const condition = conditionOf(module, variable);
  if (condition && present.every((c) => condition.holds(c, variable) === passing.includes(c))) return condition.when;
  return `in ${passing.map((c) => c.label).join(", ")}`;
}

export function conditionOf(module: string, variable: string): Condition | undefined {
  return (PRESENT_WHEN[module] ?? []).find((c) =>
    typeof c.inputs === "string" ? c.inputs === variable : c.inputs.test(variable),
  );
}

/** The configurations a module is present in. */
export function presentIn(module: string, configs: readonly Configuration[]): Configuration[] {
  return configs.filter((c) => c.stack.modules[module] && c.stack.root.module?.[module]);
}

/** The markdown between the markers: inputs (type, default, description, present when) and outputs. */
export function moduleDocsBlock(module: string, configs: readonly Configuration[]): string {
  const present = presentIn(module, configs);
  const union = (kind: "variable" | "output") => {
    const all = new Map<string, Json>();
    for (const c of present)
      for (const [k, spec] of Object.entries<Json>(c.stack.modules[module][kind] ?? {}))
        if (!all.has(k)) all.set(k, spec);
    return all;
  };
  const section = module; // each module reads the config section of its name
  const lines = [
    TF_DOCS_BEGIN,
    "<!-- Generated by `npm run docs` from the module's config and its synthesized module. Do not edit by hand. -->",
    "",
    "## Inputs",
    "",
    `Present in: ${present.map((c) => c.label).join(", ")}. The root passes every input; the default is the one of the config`,
    "field the value comes from (`environments/<product>/` may override it), else where the root takes the value.",
    "",
    "| name | type | default | description | present |",
    "|---|---|---|---|---|",
  ];
  for (const [v, spec] of union("variable")) {
    const passing = present.filter((c) => v in (c.stack.modules[module].variable ?? {}));
    lines.push(
      `| \`${v}\` | \`${spec.type}\` | ${defaultCell(v, section, passing, module)} | ${escape(String(spec.description ?? ""))} | ${presentCell(module, v, present)} |`,
    );
  }
  lines.push("", "## Outputs", "", "| name | description |", "|---|---|");
  for (const [o, spec] of union("output")) lines.push(`| \`${o}\` | ${escape(String(spec.description ?? ""))} |`);
  lines.push(TF_DOCS_END);
  return lines.join("\n");
}

/** A README with its generated block replaced by `block` (appended, with a blank line, when it has no markers yet). */
export function readmeWithModuleDocs(readme: string, block: string): string {
  const start = readme.indexOf(TF_DOCS_BEGIN);
  const end = readme.indexOf(TF_DOCS_END);
  if (start < 0 || end < start) return readme.trimEnd() + "\n\n" + block + "\n";
  return readme.slice(0, start) + block + readme.slice(end + TF_DOCS_END.length);
}
