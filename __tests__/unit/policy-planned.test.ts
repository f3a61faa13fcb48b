/**
 * The policy model read from Terraform's planned values (tools/policy/planned.ts), on a hand-written
 * `terraform show -json`: what Terraform resolves, leaves unknown or computes must reach the checks the way
 * the configuration means it, without evaluating an expression.
 */
import { CHECKS } from "../../tools/policy/checks";
import { plannedModel } from "../../tools/policy/planned";
import { statements } from "../../tools/policy/values";
import type { PlanJson } from "../../tools/terraform";
import type { Json, SynthesizedStack } from "../../tools/synthesized";

const stack: SynthesizedStack = { workspace: "production", dir: "(fixture)", root: {}, modules: {}, tfvars: "" };

type Change = { address: string; module?: string; type: string; name: string; after: Json; unknown?: Json };
const change = (c: Change) => ({
  address: `${c.module ? `module.${c.module}.` : ""}${c.address}`,
  module_address: c.module ? `module.${c.module}` : undefined,
  mode: "managed",
  type: c.type,
  name: c.name,
  change: { actions: ["create"], after: c.after, after_unknown: c.unknown ?? {} },
});

/** A plan of module calls (`module_calls` of the configuration) and resource changes. */
function plan(calls: Json, changes: Change[]): PlanJson {
  return {
    planned_values: { root_module: {} },
    configuration: { root_module: { module_calls: calls } },
    resource_changes: changes.map(change),
  } as unknown as PlanJson;
}

const expr = (text: string, ...references: string[]) => ({ constant_value: text, references });

describe("the policy model of a planned workspace", () => {
  test("a bucket named through a module input and another module's output still counts as logged (the planned value is its name)", () => {
    const calls = {
      security: {
        expressions: {},
        module: {
          resources: [{ address: "aws_s3_bucket.trail", expressions: {} }],
          outputs: { trail_bucket_id: { expression: expr("${aws_s3_bucket.trail.id}", "aws_s3_bucket.trail.id") } },
        },
      },
      storage: {
        expressions: { trail_bucket: expr("${module.security.trail_bucket_id}", "module.security.trail_bucket_id") },
        module: {
          resources: [
            { address: "aws_s3_bucket.logs", expressions: {} },
            {
              address: "aws_s3_bucket_logging.trail",
              expressions: {
                bucket: expr("${var.trail_bucket}", "var.trail_bucket"),
                target_bucket: expr("${aws_s3_bucket.logs.id}", "aws_s3_bucket.logs.id", "aws_s3_bucket.logs"),
              },
            },
          ],
        },
      },
    };
    const model = plannedModel(
      plan(calls, [
        {
          module: "security",
          address: "aws_s3_bucket.trail",
          type: "aws_s3_bucket",
          name: "trail",
          after: { bucket: "t" },
        },
        {
          module: "storage",
          address: "aws_s3_bucket.logs",
          type: "aws_s3_bucket",
          name: "logs",
          after: { bucket: "l" },
        },
        {
          module: "storage",
          address: "aws_s3_bucket_logging.trail[0]",
          type: "aws_s3_bucket_logging",
          name: "trail",
          after: { bucket: "t", target_bucket: "l", target_prefix: "trail/" },
        },
      ]),
      stack,
    );
    const check = CHECKS.find((c) => c.id === "s3-access-logging")!;
    const trail = check.evaluate(model).find((f) => f.address === "module.security.aws_s3_bucket.trail");
    expect(trail).toEqual({ address: "module.security.aws_s3_bucket.trail", problem: undefined });
  });

  test("a policy Terraform knows only after apply is read as written, so its statements stay readable", () => {
    const document = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "${aws_s3_bucket.b.arn}" }],
    });
    const calls = {
      m: {
        expressions: {},
        module: {
          resources: [
            { address: "aws_s3_bucket_policy.b", expressions: { policy: expr(document, "aws_s3_bucket.b.arn") } },
          ],
        },
      },
    };
    const model = plannedModel(
      plan(calls, [
        {
          module: "m",
          address: "aws_s3_bucket_policy.b",
          type: "aws_s3_bucket_policy",
          name: "b",
          after: {},
          unknown: { policy: true, bucket: true, id: true },
        },
      ]),
      stack,
    );
    expect(statements(model.resources[0].config.policy)?.map((s) => s.Effect)).toEqual(["Deny"]);
  });

  test("an attribute the provider computes is not taken for an argument the configuration set", () => {
    const calls = {
      m: { expressions: {}, module: { resources: [{ address: "aws_security_group.g", expressions: {} }] } },
    };
    const model = plannedModel(
      plan(calls, [
        {
          module: "m",
          address: "aws_security_group.g",
          type: "aws_security_group",
          name: "g",
          after: { name_prefix: "app-" },
          unknown: { name: true, id: true },
        },
      ]),
      stack,
    );
    expect(model.resources[0].config).toEqual({ name_prefix: "app-" });
  });

  test("a resource with several instances is judged once, as a resource block", () => {
    const calls = { m: { expressions: {}, module: { resources: [{ address: "aws_sns_topic.t", expressions: {} }] } } };
    const instance = (i: number) => ({
      module: "m",
      address: `aws_sns_topic.t[${i}]`,
      type: "aws_sns_topic",
      name: "t",
      after: { name: `t-${i}` },
    });
    const model = plannedModel(plan(calls, [instance(0), instance(1)]), stack);
    expect(model.resources.map((r) => r.address)).toEqual(["module.m.aws_sns_topic.t"]);
  });
});
