/**
 * Checks whose verdict is a knob rule (lib/core/knobs.ts): the rule is declared once, by the module's
 * config (`check: "<policy check id>"` on the rule), and the gate evaluates that declaration on the
 * values it reads from a synthesized resource, instead of restating it. The check keeps its id, its
 * sources, its upstream ids and its message; only the test comes from the declaration.
 */
import { CACHE_KNOBS } from "../../modules/cache/config";
import { DATABASE_KNOBS } from "../../modules/database/config";
import type { KnobRule, KnobSet } from "../../lib/core/knobs";
import { holds, knobsOf, type Literal } from "../../lib/core/rules";

/** The rules of a set that decide a check, as a production-like tier declares them (every rule present). */
function rulesOf(set: KnobSet, check: string): readonly KnobRule[] {
  const rules = set.rules({ label: "policy", strict: true }).filter((r) => r.check === check);
  if (rules.length === 0) throw new Error(`no knob rule decides the policy check ${check}`);
  return rules;
}

/**
 * The rules deciding `check` that the values break, by the variable each guards. A rule reading a value
 * the resource does not give (undefined: unset or unknown at plan) is not judged.
 */
export function brokenKnobRules(
  set: KnobSet,
  check: string,
  values: Readonly<Record<string, Literal | undefined>>,
): Set<string> {
  const known = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<
    string,
    Literal
  >;
  const broken = new Set<string>();
  for (const rule of rulesOf(set, check)) {
    if (knobsOf(rule.must).every((k) => k in known) && !holds(rule.must, known)) broken.add(rule.variable);
  }
  return broken;
}

/** The knob sets the gate reads rules from. */
export const KNOB_SETS = { cache: CACHE_KNOBS, database: DATABASE_KNOBS } as const;
