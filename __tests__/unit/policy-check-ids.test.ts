/**
 * The catalogue of policy check ids (lib/core/policy-checks.ts) is what the environments validate a product's
 * policy exemptions against, below the tooling layer; the gate (tools/policy/checks.ts) implements exactly
 * those checks.
 */
import { POLICY_CHECK_IDS } from "../../lib/core/policy-checks";
import { CHECKS } from "../../tools/policy/checks";

test("the gate implements exactly the catalogue's checks, in its order", () => {
  expect(CHECKS.map((c) => c.id)).toEqual([...POLICY_CHECK_IDS]);
});

test("the catalogue names each check once", () => {
  expect(new Set(POLICY_CHECK_IDS).size).toBe(POLICY_CHECK_IDS.length);
});
