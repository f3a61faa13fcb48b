/**
 * The policy gate against Terraform's own evaluation (issue 23 item 3): the model of a workspace built from
 * `terraform show -json` of its full plan (tools/policy/planned.ts; count, for_each and every argument
 * decided by Terraform) must give the verdicts the offline gate (`npm run policy`) gives, for every check whose
 * input Terraform resolves at plan: switches, sizes, counts, tiers, which resources exist. A gate that reads a
 * value differently from Terraform fails here, whatever reads it offline.
 *
 * Plan budget: one full plan of production (`terraform show -json`), the EduAutismo workspace that calls every
 * module. (A suite that already has the workspace's full plan can call plannedVerdictDifferences on it instead.)
 */
import { EDUAUTISMO, loadEnvironments } from "../../environments";
import { planJson, type PlanJson } from "../../tools/terraform";
import { plannedVerdictDifferences } from "../helpers/policy-plan";
import { synthAll } from "../helpers/synth";
import { describeTerraform } from "../helpers/terraform";

describeTerraform("the policy gate over Terraform's planned values", () => {
  const ws = "production";
  const { stacks } = synthAll();
  let plan: PlanJson;
  beforeAll(() => {
    plan = planJson(stacks[ws].dir, ws);
  }, 900_000);

  test("every check of switches, sizes, counts and tiers gives on Terraform's planned values the offline gate's verdict", () => {
    const env = loadEnvironments(EDUAUTISMO.environments, EDUAUTISMO).find((e) => e.workspace === ws);
    expect(plannedVerdictDifferences(stacks[ws], env!, EDUAUTISMO, plan)).toEqual([]);
  });
});
