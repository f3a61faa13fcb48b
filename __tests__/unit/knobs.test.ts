/** The runbook knobs: written to tfvars, validated at synth with the text Terraform prints at plan. */
import { CACHE_KNOBS, CACHE_RULES, DATABASE_KNOBS, databaseRules, terraformMessage } from "../../environments/knobs";
import { problems } from "../helpers/config";
import { KNOB_CASES } from "../helpers/knob-cases";
import { synthAll } from "../helpers/synth";

const { stacks } = synthAll();

test.each(KNOB_CASES.map((c) => [c.rule, c] as const))("synthesis rejects: %s", (_rule, c) => {
  expect(problems(c.ws, c.config)).toContain(`${c.ws}.${c.path}: ${c.message}`);
});

test.each(["dev", "staging", "production"] as const)("every knob rule of %s is a validation block of its root variable", (ws) => {
  const rules = [...CACHE_RULES, ...databaseRules(ws)];
  for (const rule of rules) {
    expect(stacks[ws].root.variable[rule.variable].validation).toContainEqual({ condition: `\${${rule.condition}}`, error_message: terraformMessage(rule) });
  }
});

test("the production-only Multi-AZ rule exists only in production's root", () => {
  expect(databaseRules("production").map((r) => r.variable)).toContain("db_multi_az");
  expect(stacks.staging.root.variable.db_multi_az.validation ?? []).toEqual([]);
});

describe.each(["dev", "staging", "production"] as const)("tfvars of %s", (ws) => {
  test("hold every cache and database knob (the names seed 000 §8.3–8.4 edits)", () => {
    for (const k of [...CACHE_KNOBS, ...DATABASE_KNOBS]) expect(stacks[ws].tfvars).toMatch(new RegExp(`\\n${k.variable} = `));
  });

  test("hold no secret", () => {
    expect(stacks[ws].tfvars).not.toMatch(/auth_token|password|secret/i);
  });
});

test("dev's tfvars are seed 000 §8.3's fix: one node, no failover, no Multi-AZ", () => {
  const t = stacks.dev.tfvars;
  expect(t).toContain("\nredis_num_cache_nodes = 1\n");
  expect(t).toContain("\nredis_automatic_failover_enabled = false\n");
  expect(t).toContain("\nredis_multi_az_enabled = false\n");
});
