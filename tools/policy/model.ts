/**
 * A synthesized workspace as the policy gate reads it: every resource of the root and of each
 * module, its arguments read by name (inputs.ts: a module input from the root's module block, a knob
 * from its tfvars value, a local a module declares as a term by its term, a document written as
 * `jsonencode(local.<name>)` as its JSON-syntax local, a JSON document as written; nothing evaluated, D213), and
 * whether its `count`/`for_each` (and each `dynamic` block's) creates it: as its module's presence table declares
 * (presence.ts, D211).
 */
import type { Json, SynthesizedStack } from "../synthesized";
import type { Value } from "./value";
import { byName } from "./inputs";
import { declaredBlock, declaredPresence } from "./presence";

export interface PolicyResource {
  /** `module.<m>.<type>.<name>`, or `<type>.<name>` for the root. */
  readonly address: string;
  /** The module name; "" for the root. */
  readonly module: string;
  readonly type: string;
  readonly name: string;
  /** The arguments read by name (inputs.ts); meta-arguments (count, for_each, lifecycle, provider, depends_on) removed. */
  readonly config: Record<string, Value>;
  /** lifecycle, as written. */
  readonly lifecycle: Json;
  /** The arguments as written in the synthesized JSON, unresolved (structural checks read these). */
  readonly raw?: Json;
  /** Whether `count` is a conditional (`cond ? 1 : 0`): a switch can remove the resource and bring it back. */
  readonly toggled?: boolean;
  /** `dynamic` blocks that exist (presence.ts; undeclared counts as yes): block name → contents, read by name. */
  readonly dynamic?: Record<string, Record<string, Value>[]>;
}

export interface PolicyModel {
  readonly workspace: string;
  /** Resources that exist in this workspace: `count = 0` and empty `for_each` are left out. */
  readonly resources: PolicyResource[];
  /** The synthesized JSON as written, for the rules that read it structurally (structure-checks.ts). */
  readonly stack?: SynthesizedStack;
}

const META = new Set([
  "count",
  "for_each",
  "lifecycle",
  "provider",
  "depends_on",
  "dynamic",
  "provisioner",
  "connection",
]);

/**
 * Whether a `count` or `for_each` creates an instance: a literal as written; an expression as its module's presence
 * table declares (presence.ts, D211), or, where no table declares it (a fixture's module, a `for` expression over
 * the subnets, `range(var.n)`), yes: the gate judges what may exist.
 */
function creates(written: unknown, declared: () => boolean | undefined): boolean {
  if (written === undefined || written === null) return true;
  if (typeof written === "number") return written > 0;
  if (Array.isArray(written)) return written.length > 0;
  if (typeof written === "object") return Object.keys(written).length > 0;
  if (typeof written === "string" && !written.includes("${")) return Number(written) > 0;
  return declared() ?? true;
}

export function policyModel(stack: SynthesizedStack): PolicyModel {
  const resources: PolicyResource[] = [];
  const collect = (tf: Json, module: string) => {
    // A module the root does not call is not part of this workspace.
    if (module && !stack.root.module?.[module]) return;
    for (const [type, named] of Object.entries<Json>(tf.resource ?? {})) {
      for (const [name, raw] of Object.entries<Json>(named)) {
        if (!creates(raw.count ?? raw.for_each, () => declaredPresence(stack, module, type, name))) continue;
        const config: Record<string, Value> = {};
        for (const [k, v] of Object.entries(raw)) if (!META.has(k)) config[k] = byName(stack, module, v);
        const dynamic: Record<string, Record<string, Value>[]> = {};
        for (const [blockName, specs] of Object.entries<Json>(raw.dynamic ?? {})) {
          for (const spec of Array.isArray(specs) ? specs : [specs]) {
            const content = spec?.content?.name;
            if (!creates(spec?.for_each, () => declaredBlock(stack, module, { type, name }, blockName, content)))
              continue;
            (dynamic[blockName] ??= []).push(byName(stack, module, spec?.content ?? {}) as Record<string, Value>);
          }
        }
        resources.push({
          address: `${module ? `module.${module}.` : ""}${type}.${name}`,
          module,
          type,
          name,
          config,
          lifecycle: raw.lifecycle ?? {},
          raw,
          dynamic,
          toggled: typeof raw.count === "string" && /\$\{.*\?.*:.*\}/.test(raw.count),
        });
      }
    }
  };
  collect(stack.root, "");
  for (const [name, tf] of Object.entries(stack.modules)) collect(tf, name);
  return { workspace: stack.workspace, resources, stack };
}
