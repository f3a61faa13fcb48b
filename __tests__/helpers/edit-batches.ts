/**
 * Which runbook edits can share one plan for the HA check (issue 23: fewer distinct plans). Several edits go into one
 * plan only when the plan still shows each edit's own effect on every data store it compares:
 * - no variable is set by two edits of the plan;
 * - per data store module, at most one edit of the plan sets a variable that reaches the data store's HA attributes
 *   (`HA_ATTRIBUTES` of its Redis group or RDS instance, their `count`/`for_each`): the other edits cannot change
 *   those values, so the plan gives them the values of that one edit alone;
 * - no condition (a variable's validation, a precondition, a postcondition, a check) reads variables of two edits of
 *   the plan: each edit passes or fails its rules as it would alone (refused edits share plans only with refused
 *   ones).
 * What reaches what is read from the synthesized JSON by reference (`var.`, `local.`, a resource's attribute, a
 * module's output), never evaluated; anything it cannot follow (a module call inside a module) counts as reaching
 * everything, which only keeps edits apart.
 */
import { HA_ATTRIBUTES, HA_TYPES, type RunbookEdit } from "./ha-invariants";
import type { Json, SynthesizedStack } from "../../tools/synthesized";

const REF =
  /\b(var|local|module|data)\.([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?|\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([A-Za-z0-9_]+)/g;

/** What an expression reads in one module (or the root): its variables, or everything (`all`). */
interface Reads {
  readonly vars: Set<string>;
  all: boolean;
  /** Root only: the modules whose outputs it reads. */
  readonly modules: Set<string>;
}

/** The variables `expr` reads in `scope` (a module's JSON or the root's), through locals and resource attributes. */
function reads(scope: Json, expr: unknown, isRoot: boolean): Reads {
  const out: Reads = { vars: new Set(), all: false, modules: new Set() };
  const seen = new Set<string>();
  const visit = (e: unknown, key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const m of JSON.stringify(e ?? null).matchAll(REF)) {
      if (m[1] === "var") out.vars.add(m[2]);
      else if (m[1] === "local") visit(scope.locals?.[m[2]], `local.${m[2]}`);
      else if (m[1] === "module") {
        if (isRoot) out.modules.add(m[2]);
        else out.all = true;
      } else if (m[1] === "data") visit(scope.data?.[m[2]]?.[m[3] ?? ""], `data.${m[2]}.${m[3]}`);
      else if (m[4]) {
        const body = scope.resource?.[m[4]]?.[m[5]];
        if (body === undefined) continue;
        // A configured attribute reads what its expression reads; a computed one (id, arn) may read anything set.
        const attr = m[6] in body ? body[m[6]] : body;
        visit(attr, `${m[4]}.${m[5]}.${m[6] in body ? m[6] : "*"}`);
      }
    }
  };
  visit(expr, "<expr>");
  return out;
}

/** The root variables a module's variables read (`module "<m>" { x = var.y }`), a module output's reads included. */
function rootVariables(
  stack: SynthesizedStack,
  module: string,
  moduleVars: Iterable<string>,
  all: boolean,
): Set<string> {
  const root = stack.root;
  const block = (root.module ?? {})[module] ?? {};
  const out = new Set<string>();
  const pending = all ? Object.keys(block) : [...moduleVars];
  const seenModules = new Set<string>([module]);
  const addRoot = (expr: unknown) => {
    const r = reads(root, expr, true);
    r.vars.forEach((v) => out.add(v));
    for (const other of r.modules) {
      if (seenModules.has(other)) continue;
      seenModules.add(other);
      // Another module's output: whatever that module's inputs read.
      addRoot((root.module ?? {})[other]);
    }
  };
  for (const v of pending) addRoot(block[v]);
  return out;
}

/** The root variables that reach the HA attributes of `module`'s data stores. */
export function haVariables(stack: SynthesizedStack, module: string): Set<string> {
  const mod = stack.modules[module] as Json;
  const vars = new Set<string>();
  let all = false;
  for (const type of HA_TYPES)
    for (const body of Object.values<Json>(mod.resource?.[type] ?? {}))
      for (const attr of [...HA_ATTRIBUTES, "count", "for_each"]) {
        const r = reads(mod, body[attr], false);
        r.vars.forEach((v) => vars.add(v));
        all ||= r.all;
      }
  return rootVariables(stack, module, vars, all);
}

/**
 * The data store modules among `haModules` whose HA attributes some variable of `edit` reaches. Only there can the
 * edit's plan lose a node, a replica, Multi-AZ or failover: elsewhere those values are the baseline's by construction,
 * so the HA check plans them without reading their values (a stream, no `show -json`).
 */
export function haReach(stack: SynthesizedStack, edit: RunbookEdit, haModules: readonly string[]): string[] {
  return haModules.filter((m) => {
    const reached = haVariables(stack, m);
    return Object.keys(edit.settings).some((v) => reached.has(v));
  });
}

/** Every `condition` expression under `value` (validations, pre/postconditions, check assertions). */
function conditions(value: unknown, into: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => conditions(v, into));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "condition") into.push(v);
      else conditions(v, into);
    }
  return into;
}

/** The root variables each condition of the stack reads (root and modules). */
export function conditionVariables(stack: SynthesizedStack): Set<string>[] {
  const out = conditions(stack.root).map((c) => reads(stack.root, c, true).vars);
  for (const [name, mod] of Object.entries<Json>(stack.modules))
    for (const c of conditions(mod)) {
      const r = reads(mod, c, false);
      out.push(rootVariables(stack, name, r.vars, r.all));
    }
  return out;
}

/**
 * The edits in as few groups as the rules above allow (first fit, in runbook order). Refused edits group only with
 * refused ones: Terraform reports every failing rule of a plan, and by the rules above each edit's rules fail as alone.
 */
export function editBatches(
  stack: SynthesizedStack,
  edits: readonly RunbookEdit[],
  haModules: readonly string[],
): RunbookEdit[][] {
  const reach = haModules.map((m) => haVariables(stack, m));
  const conds = conditionVariables(stack);
  const varsOf = (e: RunbookEdit) => Object.keys(e.settings);
  const meets = (e: RunbookEdit, set: Set<string>) => varsOf(e).some((v) => set.has(v));
  const fits = (group: RunbookEdit[], e: RunbookEdit) =>
    group.every((g) => g.refused === e.refused) &&
    !group.some((g) => varsOf(g).some((v) => varsOf(e).includes(v))) &&
    ![...reach, ...conds].some((set) => meets(e, set) && group.some((g) => meets(g, set)));
  const groups: RunbookEdit[][] = [];
  for (const e of edits) {
    const group = groups.find((g) => fits(g, e));
    if (group) group.push(e);
    else groups.push([e]);
  }
  return groups;
}
