/**
 * Whether a module's resource exists in a workspace, read from the module's presence table (rules.ts `Presence`,
 * declared once in the module's config.ts, D211): the table's typed `count`/`for_each` evaluated by the rule
 * language's JavaScript back end over the module's inputs, each read by name (inputs.ts: the root's module block, a
 * knob's tfvars value). Nothing of the printed HCL is evaluated.
 */
import {
  evaluate,
  exists,
  holds,
  presenceOf,
  type PresenceTable,
  type RuleValues,
  type Term,
} from "../../lib/core/rules";
import { CACHE_PRESENCE } from "../../modules/cache/config";
import { CDN_PRESENCE } from "../../modules/cdn/config";
import { COMPUTE_PRESENCE } from "../../modules/compute/config";
import { DATABASE_PRESENCE } from "../../modules/database/config";
import { MONITORING_PRESENCE } from "../../modules/monitoring/config";
import { NETWORK_LOCALS, NETWORK_PRESENCE } from "../../modules/network/config";
import { SECURITY_PRESENCE } from "../../modules/security/config";
import { STORAGE_PRESENCE } from "../../modules/storage/config";
import type { SynthesizedStack } from "../synthesized";
import { byName } from "./inputs";
import { isKnown } from "./value";

/** Every module's presence table, by module name. */
const TABLES: Readonly<Record<string, PresenceTable>> = {
  cache: CACHE_PRESENCE,
  cdn: CDN_PRESENCE,
  compute: COMPUTE_PRESENCE,
  database: DATABASE_PRESENCE,
  monitoring: MONITORING_PRESENCE,
  network: NETWORK_PRESENCE,
  security: SECURITY_PRESENCE,
  storage: STORAGE_PRESENCE,
};

/** The switch locals modules declare (`<MODULE>_LOCALS`), by module name. */
const LOCALS: Readonly<Record<string, Readonly<Record<string, Term>>>> = { network: NETWORK_LOCALS };

/** An input Terraform knows only after apply (or a local no table declares): the resource counts as present. */
class UnknownInput extends Error {}

/**
 * The inputs of `module` as the rule language reads them, each read by name when a presence reads it (a conditional
 * reads only the branch it takes): `x` is `var.x`, `local.x` the module's declared local x.
 */
function inputsOf(stack: SynthesizedStack, module: string): Record<string, unknown> {
  const locals = LOCALS[module] ?? {};
  const read = (name: string): unknown => {
    const local = /^local\.(.+)$/.exec(name);
    if (local) {
      if (!locals[local[1]]) throw new UnknownInput(name);
      return evaluate(locals[local[1]], values as RuleValues);
    }
    const v = byName(stack, module, "${var." + name + "}");
    if (!isKnown(v)) throw new UnknownInput(name);
    return v;
  };
  const values = new Proxy({}, { get: (_, name) => (typeof name === "string" ? read(name) : undefined) });
  return values;
}

/** Whether a `dynamic "<block>"` of `<type>.<name>` whose content is named `content` exists, as the table declares; undefined when it says nothing. */
export function declaredBlock(
  stack: SynthesizedStack,
  module: string,
  resource: { readonly type: string; readonly name: string },
  block: string,
  content: unknown,
): boolean | undefined {
  const table = TABLES[module];
  const presence = table && presenceOf(table, resource.type, resource.name);
  const rule =
    presence && !presence.each && typeof content === "string" ? presence.blocks?.[block]?.[content] : undefined;
  return rule && decided(() => holds(rule, inputsOf(stack, module) as RuleValues));
}

/** A decision over the inputs; true when one is known only after apply. */
function decided(decide: () => boolean): boolean {
  try {
    return decide();
  } catch (e) {
    if (e instanceof UnknownInput) return true;
    throw e;
  }
}

/**
 * Whether `<type>.<name>` of `module` exists, as its module's table declares; undefined when the table says nothing of
 * it. An input Terraform knows only after apply makes it present (the gate judges what may exist).
 */
export function declaredPresence(
  stack: SynthesizedStack,
  module: string,
  type: string,
  name: string,
): boolean | undefined {
  const table = TABLES[module];
  const presence = table && presenceOf(table, type, name);
  if (!presence) return undefined;
  return decided(() => exists(presence, inputsOf(stack, module)));
}
