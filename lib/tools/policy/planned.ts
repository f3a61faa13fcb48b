/**
 * The policy model of a workspace as Terraform plans it: the resources of `terraform show -json` of a saved
 * plan (count and for_each decided by Terraform, arguments resolved by Terraform), read without evaluating a
 * single expression here. An attribute known only after apply (`after_unknown`) becomes an `Unknown` that
 * names the first reference of its configuration expression, so a check still sees which resource it points
 * at. A resource with several instances is read once, from its first instance (the checks judge a resource
 * block, as the offline model does). Structural checks keep reading the synthesized JSON (`raw`, `stack`).
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

/** The text a reference expression names (`aws_kms_key.data.arn`), if any. */
function referenceOf(expression: unknown): string | undefined {
  const refs = (expression as { references?: string[] } | undefined)?.references;
  return Array.isArray(refs) && refs.length > 0 ? refs[0] : undefined;
}

/** A planned value with every unknown part replaced by an Unknown naming its reference (or its path). */
function merged(after: unknown, unknown: unknown, expression: unknown, module: string, path: string): Value {
  if (unknown === true) return new Unknown(referenceOf(expression) ?? path, module || undefined);
  if (Array.isArray(after) || Array.isArray(unknown)) {
    const a = Array.isArray(after) ? after : [];
    const u = Array.isArray(unknown) ? unknown : [];
    const e = Array.isArray(expression) ? expression : [];
    return Array.from({ length: Math.max(a.length, u.length) }, (_, i) =>
      merged(a[i], u[i], e[i] ?? e[0], module, `${path}[${i}]`),
    );
  }
  const isObject = (v: unknown): v is Json => !!v && typeof v === "object";
  if (isObject(after) || isObject(unknown)) {
    const a = isObject(after) ? after : {};
    const u = isObject(unknown) ? unknown : {};
    const e = isObject(expression) ? expression : {};
    const out: Record<string, Value> = {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(u)])) {
      if (u[k] === false || u[k] === undefined) {
        if (a[k] !== undefined) out[k] = merged(a[k], undefined, e[k], module, `${path}.${k}`);
      } else out[k] = merged(a[k], u[k], e[k], module, `${path}.${k}`);
    }
    return out;
  }
  return (after ?? null) as Value;
}

/** The policy model of `plan` (a `terraform show -json` of a saved plan) of the synthesized workspace `stack`. */
export function plannedModel(plan: PlanJson, stack: SynthesizedStack): PolicyModel {
  const expressions = configExpressions(plan);
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
    const config = merged(c.change.after ?? {}, c.change.after_unknown, expressions.get(address), module, address);
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
