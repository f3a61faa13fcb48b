/** The runbook knobs: written to tfvars, validated at synth with the text Terraform prints at plan. */
import { ENVIRONMENT_INPUTS } from "../../environments";
import { ruleCondition, terraformMessage, type RuleContext } from "../../lib/core/knobs";
import { CACHE_KNOBS } from "../../modules/cache/config";
import { DATABASE_KNOBS } from "../../modules/database/config";

/** The rule context of a checked-in workspace: its name and its tier's strictness. */
const ctx = (ws: "dev" | "staging" | "production"): RuleContext => ({
  label: ws,
  strict: ENVIRONMENT_INPUTS[ws].tier === "production-like",
});
const cacheRules = (ws: "dev" | "staging" | "production") => CACHE_KNOBS.rules(ctx(ws));
const databaseRules = (ws: "dev" | "staging" | "production") => DATABASE_KNOBS.rules(ctx(ws));
import { problems } from "../helpers/config";
import { KNOB_CASES } from "../helpers/knob-cases";
import { synthAll } from "../helpers/synth";

const { stacks } = synthAll();

test.each(KNOB_CASES.map((c) => [c.rule, c] as const))("synthesis rejects: %s", (_rule, c) => {
  expect(problems(c.ws, c.config)).toContain(`${c.ws}.${c.path}: ${c.message}`);
});

test.each(["dev", "staging", "production"] as const)(
  "every knob rule of %s is a validation block of its root variable",
  (ws) => {
    const rules = [...cacheRules(ws), ...databaseRules(ws)];
    for (const rule of rules) {
      expect(stacks[ws].root.variable[rule.variable].validation).toContainEqual({
        condition: `\${${ruleCondition(rule)}}`,
        error_message: terraformMessage(rule),
      });
    }
  },
);

test("the Multi-AZ and 7-day backup rules guard staging and production, not dev", () => {
  for (const ws of ["staging", "production"] as const)
    expect(databaseRules(ws).map((r) => r.variable)).toEqual(
      expect.arrayContaining(["db_multi_az", "db_backup_retention_period"]),
    );
  expect(stacks.dev.root.variable.db_multi_az.validation ?? []).toEqual([]);
  expect(databaseRules("dev").filter((r) => ruleCondition(r).includes(">= 7"))).toEqual([]);
});

test("Redis TLS, AUTH, failover and Multi-AZ cannot be switched off in staging or production tfvars", () => {
  const guarded = (ws: "dev" | "staging" | "production") =>
    cacheRules(ws)
      .filter((r) => ruleCondition(r) === `var.${r.variable}`)
      .map((r) => r.variable)
      .sort();
  expect(guarded("staging")).toEqual([
    "redis_auth_enabled",
    "redis_automatic_failover_enabled",
    "redis_multi_az_enabled",
    "redis_transit_encryption_enabled",
  ]);
  expect(guarded("production")).toEqual(guarded("staging"));
  expect(guarded("dev")).toEqual([]);
});

describe.each(["dev", "staging", "production"] as const)("tfvars of %s", (ws) => {
  test("hold every cache and database knob (the names seed 000 §8.3–8.4 edits)", () => {
    for (const k of [...Object.keys(CACHE_KNOBS.knobs), ...Object.keys(DATABASE_KNOBS.knobs)])
      expect(stacks[ws].tfvars).toMatch(new RegExp(`\\n${k} = `));
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
