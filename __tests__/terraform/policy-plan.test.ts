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

/** A JSON document that embeds an ARN or a URL: Terraform knows the whole string only after apply. */
const DOCUMENT = "reads a JSON document (policy, container definitions) that Terraform knows only after apply";
/** A reference Terraform resolves to the referenced value (a bucket's id is its name), not to the resource. */
const REFERENCE =
  "reads which resource an argument names; the planned value is the referenced value, not the reference";

/** Checks whose input is the configuration as written, not a planned value: they read the synthesized JSON. */
const READ_AS_WRITTEN: Partial<Record<PolicyCheckId, string>> = {
  "s3-secure-transport": DOCUMENT,
  "iam-no-wildcard-actions": DOCUMENT,
  "iam-trust-policy": DOCUMENT,
  "ecs-container-logging": DOCUMENT,
  "ecs-container-names-exist": DOCUMENT,
  "ecs-exec-writable-root": DOCUMENT,
  "ecs-no-plaintext-secrets": DOCUMENT,
  "ecs-no-privileged": DOCUMENT,
  "ecs-no-rds-managed-secret": DOCUMENT,
  "ecs-read-only-root": DOCUMENT,
  "datadog-api-key-by-reference": DOCUMENT,
  "s3-access-logging": REFERENCE,
  "cloudfront-logging": REFERENCE,
  "ecr-lifecycle": REFERENCE,
  "waf-regional-behind-cloudfront": REFERENCE,
  "elasticache-alarm-any-primary": REFERENCE,
  "unique-name-replacement": REFERENCE,
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
