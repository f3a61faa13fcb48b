/**
 * The policy model of a workspace as Terraform plans it: the resources of `terraform show -json` of a saved
 * plan (count and for_each decided by Terraform, arguments resolved by Terraform), read without evaluating a
 * single expression here. Where a check needs the configuration's meaning rather than a planned value, the
 * model reads Terraform's own `configuration` section: an argument that references a resource (directly, or by
 * name through a module input and another module's output) becomes an `Unknown` naming that resource, as the
 * offline model keeps it (a bucket's planned id is its name, which says nothing about which bucket); a JSON
 * document known only after apply is read as written; an attribute the provider computes is left out. A
 * resource with several instances is read once, from its first instance (checks judge a resource block).
 * Structural checks keep reading the synthesized JSON (`raw`, `stack`).
 */
import type { PlanJson } from "../terraform";
import type { Json, SynthesizedStack } from "../synthesized";
import type { PolicyModel, PolicyResource } from "./model";
import { Unknown, type Value } from "./value";

interface ConfigResource {
  readonly address: string;
  readonly expressions?: Json;
}

/** configuration.root_module and its module calls: module name ("" for the root) → resource address → expressions. */
function configExpressions(plan: PlanJson): Map<string, Json | undefined> {
  const out = new Map<string, Json | undefined>();
  const root = (plan.configuration as Json).root_module ?? {};
  const add = (module: string, resources: readonly ConfigResource[] | undefined) => {
    for (const r of resources ?? []) out.set(`${module ? `module.${module}.` : ""}${r.address}`, r.expressions);
  };
  add("", root.resources);
  for (const [name, call] of Object.entries<Json>(root.module_calls ?? {})) add(name, call.module?.resources);
  return out;
}

type Expression = { readonly constant_value?: unknown; readonly references?: readonly string[] } | undefined;

/** Terraform's configuration as `show -json` prints it: root module calls (with their modules' outputs). */
interface Calls {
  readonly [module: string]: { readonly expressions?: Json; readonly module?: { readonly outputs?: Json } };
}

const NOT_RESOURCE = /^(var|local|module|each|count|data|path|terraform|self)\./;
/** `${<one reference>}` written alone, e.g. `${aws_s3_bucket.logs.id}`, `${var.kms_key_arn}`. */
const ALONE = /^\$\{([A-Za-z0-9_.[\]"-]+)\}$/;

/**
 * The resource an expression names, followed by name through module inputs and outputs (`var.x` of module m is
 * the root's `module.m.x` argument; `module.n.o` is output o of module n), as Terraform's configuration lists
 * the references: no expression is evaluated. Only an expression that is one reference, or whose value
 * Terraform leaves unknown (`known` false), names a resource; a literal chain names none.
 */
function named(
  expression: Expression,
  module: string,
  calls: Calls,
  known: boolean,
  followed = false,
): Unknown | undefined {
  const refs = expression?.references ?? [];
  const alone = typeof expression?.constant_value === "string" && ALONE.exec(expression.constant_value)?.[1];
  if (known && !alone && !followed) return undefined;
  const resource = refs.find((r) => !NOT_RESOURCE.test(r));
  if (resource) {
    // The expression's own text where it is one interpolation (`one(aws_s3_bucket.x[*].id)`), as the offline model keeps it.
    const whole =
      typeof expression?.constant_value === "string" && /^\$\{(.*)\}$/s.exec(expression.constant_value)?.[1];
    return new Unknown(whole && whole.includes(resource) ? whole : resource, module || undefined);
  }
  const first = alone || refs[0];
  if (!first) return undefined;
  const input = /^var\.(\w+)$/.exec(first);
  if (input && module) return named(calls[module]?.expressions?.[input[1]], "", calls, known, true);
  const output = /^module\.(\w+)\.(\w+)$/.exec(first);
  if (output) return named(calls[output[1]]?.module?.outputs?.[output[2]]?.expression, output[1], calls, known, true);
  return undefined;
}

/** A JSON document written in the configuration (a policy with `${…}` references inside its strings), as written. */
function document(expression: Expression): string | undefined {
  const text = expression?.constant_value;
  if (typeof text !== "string" || !/^\s*[[{]/.test(text)) return undefined;
  try {
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

/** A planned value with every unknown part replaced by an Unknown naming its reference (or its path). */
function merged(
  after: unknown,
  unknown: unknown,
  expression: unknown,
  at: { module: string; calls: Calls; path: string },
): Value {
  const e = expression as Expression;
  const ref = (unknown === true && document(e)) || named(e, at.module, at.calls, unknown !== true);
  if (ref) return ref;
  if (unknown === true) return new Unknown(at.path, at.module || undefined);
  const inner = (k: string | number) => ({ ...at, path: `${at.path}${typeof k === "number" ? `[${k}]` : `.${k}`}` });
  if (Array.isArray(after) || Array.isArray(unknown)) {
    const a = Array.isArray(after) ? after : [];
    const u = Array.isArray(unknown) ? unknown : [];
    const es = Array.isArray(expression) ? expression : [];
    return Array.from({ length: Math.max(a.length, u.length) }, (_, i) => merged(a[i], u[i], es[i] ?? es[0], inner(i)));
  }
  const isObject = (v: unknown): v is Json => !!v && typeof v === "object";
  if (isObject(after) || isObject(unknown)) {
    const a = isObject(after) ? after : {};
    const u = isObject(unknown) ? unknown : {};
    const es =
      isObject(expression) && !("references" in expression || "constant_value" in expression) ? expression : {};
    const out: Record<string, Value> = {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(u)])) {
      // An attribute the provider computes (unknown, and not in the configuration) is not an argument: left out.
      const computed = u[k] === true && a[k] === undefined && es[k] === undefined;
      if (!computed && (u[k] === true || isObject(u[k]) || a[k] !== undefined))
        out[k] = merged(a[k], u[k] === false ? undefined : u[k], es[k], inner(k));
    }
    return out;
  }
  return (after ?? null) as Value;
}

/** The policy model of `plan` (a `terraform show -json` of a saved plan) of the synthesized workspace `stack`. */
export function plannedModel(plan: PlanJson, stack: SynthesizedStack): PolicyModel {
  const expressions = configExpressions(plan);
  const calls: Calls = (plan.configuration as Json).root_module?.module_calls ?? {};
  const resources = new Map<string, PolicyResource>();
  for (const c of plan.resource_changes ?? []) {
    const change = c as typeof c & { mode?: string; name?: string; module_address?: string };
    if (change.mode !== "managed" || (c.change.actions.includes("delete") && !c.change.actions.includes("create")))
      continue;
    const module = (change.module_address ?? "").replace(/^module\./, "");
    const address = `${module ? `module.${module}.` : ""}${c.type}.${change.name}`;
    if (resources.has(address)) continue;
    const raw: Json | undefined = (module ? stack.modules[module] : stack.root)?.resource?.[c.type]?.[
      change.name ?? ""
    ];
    const at = { module, calls, path: address };
    const config = merged(c.change.after ?? {}, c.change.after_unknown, expressions.get(address) ?? {}, at);
    resources.set(address, {
      address,
      module,
      type: c.type,
      name: change.name ?? "",
      config: config as Record<string, Value>,
      lifecycle: raw?.lifecycle ?? {},
      raw,
      dynamic: {},
      toggled: typeof raw?.count === "string" && /\$\{.*\?.*:.*\}/.test(raw.count),
    });
  }
  return { workspace: stack.workspace, resources: [...resources.values()], stack };
}
