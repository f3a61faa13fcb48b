/**
 * Whether a module's resource exists in a workspace, read from the module's presence table (rules.ts `Presence`,
 * declared once in the module's config.ts, D211): the table's typed `count`/`for_each` evaluated by the rule
 * language's JavaScript back end over the module's inputs, each read by name (inputs.ts: the root's module block, a
 * knob's tfvars value). Nothing of the printed HCL is evaluated.
 */
import { exists, presenceInputs, presenceOf, type PresenceTable } from "../../lib/core/rules";
import { CACHE_PRESENCE } from "../../modules/cache/config";
import { CDN_PRESENCE } from "../../modules/cdn/config";
import { COMPUTE_PRESENCE } from "../../modules/compute/config";
import { DATABASE_PRESENCE } from "../../modules/database/config";
import { MONITORING_PRESENCE } from "../../modules/monitoring/config";
import { NETWORK_PRESENCE } from "../../modules/network/config";
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
  const values: Record<string, unknown> = {};
  for (const input of presenceInputs(presence)) {
    const v = byName(stack, module, "${var." + input + "}");
    if (!isKnown(v)) return true;
    values[input] = v;
  }
  return exists(presence, values);
}
