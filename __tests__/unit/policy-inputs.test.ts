/**
 * The policy model reads arguments by name (tools/policy/inputs.ts), without evaluating Terraform:
 * a module input reaches the value the root passes, a knob its tfvars value, and a reference to a
 * resource keeps naming that resource, so the checks that read inputs by name judge what Terraform receives.
 */
import { byName } from "../../tools/policy/inputs";
import { Unknown } from "../../tools/policy/value";
import { fixtureStack } from "../helpers/policy-fixtures";

const stack = fixtureStack({}, "production", {
  inputs: { retention: "${var.db_backup_retention_period}", key: "${module.keys.arn}", literal: 7 },
  rootVariables: { db_backup_retention_period: { type: "number", default: 14 } },
  variables: { unset: { type: "bool", default: false } },
  locals: { alias: "${var.literal}" },
});
const withKeys = {
  ...stack,
  root: { ...stack.root, module: { ...stack.root.module, keys: { source: "./modules/keys" } } },
  modules: { ...stack.modules, keys: { output: { arn: { value: "${aws_kms_key.data.arn}" } } } },
};

test("a module input wired to a knob reads the knob's tfvars value, so a production rule judges the operator's value", () => {
  expect(byName(stack, "m", "${var.retention}")).toBe(14);
});

test("a module input the root writes as a literal, and a local naming it, read that literal", () => {
  expect(byName(stack, "m", "${var.literal}")).toBe(7);
  expect(byName(stack, "m", "${local.alias}")).toBe(7);
});

test("a module input the root does not pass falls back to the module variable's default", () => {
  expect(byName(stack, "m", "${var.unset}")).toBe(false);
});

test("an input that carries another module's output keeps naming the resource it comes from, in that module", () => {
  expect(byName(withKeys, "m", "${var.key}")).toEqual(new Unknown("aws_kms_key.data.arn", "keys"));
});

test("a JSON policy with references inside its strings stays readable as written", () => {
  const policy = '{"Statement":[{"Effect":"Deny","Resource":"${aws_s3_bucket.b.arn}/*"}]}';
  expect(byName(stack, "m", { policy })).toEqual({ policy });
});

test("an expression that needs evaluation is not evaluated: it stays unknown with its text", () => {
  expect(byName(stack, "m", "${var.literal > 1 ? 1 : 0}")).toEqual(new Unknown("var.literal > 1 ? 1 : 0", "m"));
});

test("a name built from inputs reads as the name Terraform creates; an attribute known after apply stays as written", () => {
  expect(byName(stack, "m", "db-${var.retention}")).toBe("db-14");
  expect(byName(stack, "m", "${var.literal}:${aws_kms_key.k.arn}")).toBe("7:${aws_kms_key.k.arn}");
});

test("a document written as jsonencode(local.<name>) reads as that local's JSON, its names read by name (D213)", () => {
  const doc = fixtureStack({}, "production", {
    inputs: { retention: "${var.db_backup_retention_period}" },
    rootVariables: { db_backup_retention_period: { type: "number", default: 14 } },
    locals: { task: [{ name: "app", cpu: "${var.retention}", image: "${aws_ecr_repository.app.repository_url}:1" }] },
  });
  const read = byName(doc, "m", "${jsonencode(local.task)}");
  expect(JSON.parse(String(read))).toEqual([
    { name: "app", cpu: 14, image: "${aws_ecr_repository.app.repository_url}:1" },
  ]);
});

test("a template reading an input that carries another module's attribute names that attribute, so a check sees the resource", () => {
  expect(byName(withKeys, "m", "${var.key}:password::")).toBe("${aws_kms_key.data.arn}:password::");
});
