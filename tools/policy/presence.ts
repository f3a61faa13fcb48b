/**
 * Whether a module's resource exists in a workspace, read from the module's presence table (rules.ts `Presence`,
 * declared once in the module's config.ts, D211): the table's typed `count`/`for_each` evaluated by the rule
 * language's JavaScript back end over the module's inputs, each read by name (inputs.ts: the root's module block, a
 * knob's tfvars value). Nothing of the printed HCL is evaluated.
 */
import { exists, holds, presenceOf, type RuleValues } from "../../lib/core/rules";
import { MODULE_DECLARATIONS } from "../../modules/declarations";
import type { SynthesizedStack } from "../synthesized";
import { inputsOf, UnknownInput } from "./inputs";

/** Whether a `dynamic "<block>"` of `<type>.<name>` whose content is named `content` exists, as the table declares; undefined when it says nothing. */
export function declaredBlock(
  stack: SynthesizedStack,
  module: string,
  resource: { readonly type: string; readonly name: string },
  block: string,
  content: unknown,
): boolean | undefined {
  const table = MODULE_DECLARATIONS[module]?.presence;
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
  const table = MODULE_DECLARATIONS[module]?.presence;
  const presence = table && presenceOf(table, type, name);
  if (!presence) return undefined;
  return decided(() => exists(presence, inputsOf(stack, module)));
}
