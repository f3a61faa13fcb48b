/**
 * A synthesized workspace as the policy gate reads it: every resource of the root and of each
 * module, its arguments read by name (inputs.ts: a module input from the root's module block, a knob
 * from its tfvars value, a JSON document as written; nothing evaluated), and whether its
 * `count`/`for_each` (and each `dynamic` block's) creates it: as its module's presence table declares
 * (presence.ts, D211). What still needs the HCL evaluator (expressions.ts): the arguments read through
 * `evaluated` (documents written with `jsonencode`, two conditional arguments).
 */
import type { Json, SynthesizedStack } from "../synthesized";
import { resolve, type Scope } from "./expressions";
import { Unknown, type Value } from "./value";
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
  /**
   * An argument resolved by the HCL evaluator, for the checks that still need it (values.ts `evaluated`):
   * container definitions and policies written with `jsonencode`, two conditional arguments. A model of
   * resolved values (planned.ts) leaves it out: its `config` is resolved already.
   */
  readonly evaluated?: (argument: string) => Value;
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

/** Name resolution for one module (or the root, `module` = ""), memoised and cycle-safe. */
class StackScope implements Scope {
  private readonly cache = new Map<string, Value>();
  readonly module?: string;

  constructor(
    private readonly stack: SynthesizedStack,
    private readonly name: string,
  ) {
    this.module = name || undefined;
  }

  private tf(): Json {
    return this.name ? (this.stack.modules[this.name] ?? {}) : this.stack.root;
  }

  private memo(key: string, compute: () => Value): Value {
    if (this.cache.has(key)) return this.cache.get(key) as Value;
    this.cache.set(key, new Unknown(key, this.module)); // a cycle reads as unknown
    const v = compute();
    this.cache.set(key, v);
    return v;
  }

  variable(v: string): Value {
    return this.memo(`var.${v}`, () => {
      if (this.name) {
        const block = this.stack.root.module?.[this.name] ?? {};
        if (v in block) return resolve(block[v], scopeFor(this.stack, ""));
      }
      const decl = this.tf().variable?.[v];
      if (decl && "default" in decl) return resolve(decl.default, this);
      return new Unknown(`var.${v}`, this.module);
    });
  }

  local(l: string): Value {
    return this.memo(`local.${l}`, () => {
      const locals = this.tf().locals ?? {};
      return l in locals ? resolve(locals[l], this) : new Unknown(`local.${l}`, this.module);
    });
  }

  moduleOutput(m: string, o: string): Value {
    if (this.name) return new Unknown(`module.${m}.${o}`, this.module);
    const output = this.stack.modules[m]?.output?.[o];
    return output ? resolve(output.value, scopeFor(this.stack, m)) : new Unknown(`module.${m}.${o}`);
  }
}

/** One memoised scope per (workspace, module): the policy model and the cost estimate share them. */
const scopes = new WeakMap<SynthesizedStack, Map<string, StackScope>>();

/** Name resolution inside `module` ("" for the root) of a synthesized workspace. */
export function scopeFor(stack: SynthesizedStack, module: string): Scope {
  let byModule = scopes.get(stack);
  if (!byModule) scopes.set(stack, (byModule = new Map()));
  let s = byModule.get(module);
  if (!s) byModule.set(module, (s = new StackScope(stack, module)));
  return s;
}

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
    const scope = scopeFor(stack, module);
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
          evaluated: (argument) => resolve(raw[argument], scope),
        });
      }
    }
  };
  collect(stack.root, "");
  for (const [name, tf] of Object.entries(stack.modules)) collect(tf, name);
  return { workspace: stack.workspace, resources, stack };
}
