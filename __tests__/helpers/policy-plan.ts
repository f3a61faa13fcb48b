/**
 * The policy gate on Terraform's planned values against the offline gate (issue 23 item 3), for a Terraform-layer
 * test that has a workspace's full plan: `plannedVerdictDifferences` lists every check whose verdict (status and
 * failing addresses) differs, leaving out the checks that read the configuration as written.
 */
import type { PolicyCheckId } from "../../lib/core/policy-checks";
import { evaluatePolicy, policyEnvironment, type CheckResult, type Exemption } from "../../tools/policy";
import { plannedModel } from "../../tools/policy/planned";
import type { SynthesizedStack } from "../../tools/synthesized";
import type { PlanJson } from "../../tools/terraform";
import type { Tier } from "../../environments/schema";

/** Container definitions embed the image's repository URL: Terraform knows the whole document only after apply. */
const CONTAINERS =
  "reads container definitions, which Terraform knows only after apply (the image URL is the repository's)";
/** A policy written with jsonencode() around an ARN: Terraform knows the document only after apply. */
const DOCUMENT = "reads a policy document that Terraform knows only after apply (jsonencode around an ARN)";

/**
 * Checks that read the configuration as written, not a value Terraform plans: their verdict on planned values is
 * no evidence either way (the document is unknown, or the check reads how an expression is built).
 */
export const READ_AS_WRITTEN: Partial<Record<PolicyCheckId, string>> = {
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

/**
 * The checks (outside READ_AS_WRITTEN) whose verdict on `plan` (`terraform show -json` of the workspace's full
 * plan) differs from the offline gate's on the synthesized `stack`; [] when Terraform and the gate agree.
 */
export function plannedVerdictDifferences(
  stack: SynthesizedStack,
  env: { readonly tier: Tier; readonly exemptions: readonly Exemption[] },
  product: { readonly policyExemptions?: readonly Exemption[] },
  plan: PlanJson,
): { id: string; offline: ReturnType<typeof verdict>; planned: ReturnType<typeof verdict> }[] {
  const gate = policyEnvironment(env, product);
  const offline = evaluatePolicy(stack, gate).results;
  const planned = evaluatePolicy(stack, gate, undefined, plannedModel(plan, stack)).results;
  return offline
    .map((r, i) => ({ id: r.check.id, offline: verdict(r), planned: verdict(planned[i]) }))
    .filter((d) => !(d.id in READ_AS_WRITTEN))
    .filter((d) => JSON.stringify(d.offline) !== JSON.stringify(d.planned));
}
