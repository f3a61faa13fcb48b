/**
 * The policy gate against Terraform's own evaluation (issue 23 item 3): the model of a workspace built from
 * `terraform show -json` of its full plan (lib/tools/policy/planned.ts; count, for_each and every argument
 * decided by Terraform) must give the verdicts the offline gate (`npm run policy`) gives, for every check whose
 * input Terraform resolves at plan: switches, sizes, counts, tiers, which resources exist. A gate that reads a
 * value differently from Terraform fails here, whatever reads it offline.
 *
 * Plan budget: one full plan of production (`terraform show -json`), the EduAutismo workspace that calls every
 * module.
 */
import { EDUAUTISMO, loadEnvironments } from "../../environments";
import { evaluatePolicy, policyEnvironment, type CheckResult } from "../../lib/tools/policy";
import { plannedModel } from "../../lib/tools/policy/planned";
import { planJson, type PlanJson } from "../../lib/tools/terraform";
import type { PolicyCheckId } from "../../lib/core/policy-checks";
import { synthAll } from "../helpers/synth";
import { describeTerraform } from "../helpers/terraform";

/** Container definitions embed the image's repository URL: Terraform knows the whole document only after apply. */
const CONTAINERS =
  "reads container definitions, which Terraform knows only after apply (the image URL is the repository's)";
/** A policy written with jsonencode() around an ARN: Terraform knows the document only after apply. */
const DOCUMENT = "reads a policy document that Terraform knows only after apply (jsonencode around an ARN)";

/**
 * Checks that read the configuration as written, not a value Terraform plans: their verdict on planned values is
 * no evidence either way (the document is unknown, or the check reads how an expression is built).
 */
const READ_AS_WRITTEN: Partial<Record<PolicyCheckId, string>> = {
  "datadog-api-key-by-reference": CONTAINERS,
  "ecs-container-logging": CONTAINERS,
  "ecs-container-names-exist": CONTAINERS,
  "ecs-exec-writable-root": CONTAINERS,
  "ecs-no-plaintext-secrets": CONTAINERS,
  "ecs-no-privileged": CONTAINERS,
  "ecs-no-rds-managed-secret": CONTAINERS,
  "ecs-read-only-root": CONTAINERS,
  "iam-no-wildcard-actions": DOCUMENT,
  "iam-trust-policy": DOCUMENT,
  "elasticache-alarm-any-primary":
    "reads whether a node's id is built from count.index (per node) or fixed, as written",
};

const verdict = (r: CheckResult) => ({
  status: r.status,
  failing: r.failures.map((f) => f.address).sort(),
});

describeTerraform("the policy gate over Terraform's planned values", () => {
  const ws = "production";
  const { stacks } = synthAll();
  let plan: PlanJson;
  beforeAll(() => {
    plan = planJson(stacks[ws].dir, ws);
  }, 900_000);

  test("every check of switches, sizes, counts and tiers gives on Terraform's planned values the offline gate's verdict", () => {
    const env = loadEnvironments(EDUAUTISMO.environments, EDUAUTISMO).find((e) => e.workspace === ws);
    const gate = policyEnvironment(env!, EDUAUTISMO);
    const offline = evaluatePolicy(stacks[ws], gate).results;
    const planned = evaluatePolicy(stacks[ws], gate, undefined, plannedModel(plan, stacks[ws])).results;
    const differ = offline
      .map((r, i) => ({ id: r.check.id, offline: verdict(r), planned: verdict(planned[i]) }))
      .filter((d) => !(d.id in READ_AS_WRITTEN))
      .filter((d) => JSON.stringify(d.offline) !== JSON.stringify(d.planned));
    expect(differ).toEqual([]);
  });
});
