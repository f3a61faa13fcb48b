/**
 * Existence from the modules' presence tables (rules.ts `Presence`, D211): the policy model reads whether a counted
 * resource exists from the table its module writes the count from, the inputs read by name, and no HCL evaluated.
 */
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { named, present } from "../../lib/core/module-stack";
import { isTrue } from "../../lib/core/rules";
import * as fs from "fs";
import * as path from "path";
import { MODULE_DECLARATIONS } from "../../modules/declarations";
import { policyModel } from "../../tools/policy/model";
import type { Json, SynthesizedStack } from "../../tools/synthesized";

/** A workspace whose root passes `input` as `enable_access_logging` to the storage module, whose bucket log is counted on it. */
function storage(input: unknown, rootVariables: Json = {}, count: unknown = "${var.enable_access_logging ? 1 : 0}") {
  const stack: SynthesizedStack = {
    workspace: "dev",
    dir: "(fixture)",
    root: {
      module: { storage: { source: "./modules/storage", enable_access_logging: input } },
      variable: rootVariables,
    },
    modules: {
      storage: {
        variable: { enable_access_logging: { type: "bool" } },
        resource: { aws_s3_bucket_logging: { uploads: { count, bucket: "b", target_bucket: "logs" } } },
      },
    },
    tfvars: "",
  };
  return policyModel(stack).resources.map((r) => r.address);
}
const LOG = "module.storage.aws_s3_bucket_logging.uploads";

test("a resource its module's presence table switches off is not in the policy model, and is when switched on", () => {
  expect(storage(false)).not.toContain(LOG);
  expect(storage(true)).toContain(LOG);
});

test("a knob decides presence through its tfvars value (the root variable's default)", () => {
  const knob = "${var.enable_access_logging}";
  expect(storage(knob, { enable_access_logging: { type: "bool", default: false } })).not.toContain(LOG);
  expect(storage(knob, { enable_access_logging: { type: "bool", default: true } })).toContain(LOG);
});

test("an input Terraform knows only after apply leaves the resource in the model (the gate judges what may exist)", () => {
  expect(storage("${module.security.trail_enabled}")).toContain(LOG);
});

test("a count written as a literal is read as written, whatever the table says", () => {
  expect(storage(true, {}, 0)).not.toContain(LOG);
});

test("a counted resource its module's presence table does not declare stops synthesis, naming it", () => {
  const stack = new TerraformStack(new App(), "m");
  new TerraformVariable(stack, "flag", { type: "bool" });
  const log = named(
    new S3BucketLoggingA(stack, "log", { bucket: "b", targetBucket: "t", targetPrefix: "p/" }),
    "uploads",
  );
  expect(() => present(log, { aws_s3_bucket_logging: { other: { when: isTrue("flag") } } })).toThrow(
    /aws_s3_bucket_logging\.uploads\) is not in its module's presence table/,
  );
  expect(() => present(log, { aws_s3_bucket_logging: { uploads: { when: isTrue("missing") } } })).toThrow(
    /var\.missing, not declared/,
  );
});

test("a dynamic rule its module's table switches off is not in the resource's dynamic blocks", () => {
  const acl = (ipRules: boolean) =>
    policyModel({
      workspace: "dev",
      dir: "(fixture)",
      root: { module: { security: { source: "./modules/security", enable_waf: true, waf_ip_rules: ipRules } } },
      modules: {
        security: {
          resource: {
            aws_wafv2_web_acl: {
              this: {
                count: "${var.enable_waf ? 1 : 0}",
                dynamic: {
                  rule: [{ for_each: "${var.waf_ip_rules ? [1] : []}", content: { name: "rate-limit-per-ip" } }],
                },
              },
            },
          },
        },
      },
      tfvars: "",
    }).resources[0].dynamic;
  expect(acl(false)).toEqual({});
  expect(acl(true)).toEqual({ rule: [{ name: "rate-limit-per-ip" }] });
});

test("every presence table, local set and control set a module exports is in the one registry its readers use", () => {
  const registered = new Set<unknown>(
    Object.values(MODULE_DECLARATIONS).flatMap((d) => [d.presence, d.locals, d.controls].filter(Boolean)),
  );
  const dir = path.join(__dirname, "../../modules");
  for (const m of fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "config.ts")))) {
    const config: Record<string, unknown> = require(path.join(dir, m, "config.ts")); // eslint-disable-line @typescript-eslint/no-require-imports
    for (const [name, value] of Object.entries(config).filter(([n]) => /_(PRESENCE|LOCALS|CONTROLS)$/.test(n)))
      expect([`${m}: ${name}`, registered.has(value)]).toEqual([`${m}: ${name}`, true]);
  }
});
