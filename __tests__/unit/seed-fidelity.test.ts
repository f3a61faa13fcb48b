/**
 * Statements of seeds 000/001 that the platform follows to the letter, checked on the synthesized
 * output (what Terraform would receive). Deliberate differences live in docs/decisions.md instead.
 */
import { moduleInput } from "../../lib/cost/estimate";
import { synthAll } from "../helpers/synth";

const { stacks } = synthAll();

describe("log retention per environment (seed 000 §4.1 dev 7 days, §4.2 staging 30 days, §4.3 production 90 days)", () => {
  test.each([
    ["dev", 7],
    ["staging", 30],
    ["production", 90],
  ])("%s keeps the RDS log groups %i days", (ws, days) => {
    expect(moduleInput(stacks[ws], "database", "log_retention_days")).toBe(days);
  });

  test.each([
    ["dev", 7],
    ["production", 90],
  ])("%s keeps the Redis slow log %i days", (ws, days) => {
    expect(moduleInput(stacks[ws], "cache", "slow_log_retention_days")).toBe(days);
  });

  test.each([["staging", 30], ["production", 90]])("%s keeps the WAF log group %i days", (ws, days) => {
    expect(moduleInput(stacks[ws], "security", "waf_log_retention_days")).toBe(days);
  });

  test.each([["staging", 30], ["production", 90]])("%s keeps the CloudWatch copy of CloudTrail %i days", (ws, days) => {
    expect(moduleInput(stacks[ws], "security", "cloudtrail_log_retention_days")).toBe(days);
  });
});
