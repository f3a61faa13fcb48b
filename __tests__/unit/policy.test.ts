import { EXEMPTIBLE_CONTROLS, loadEnvironments, PRODUCTS, workspaceLabel } from "../../environments";
import { CHECKS } from "../../tools/policy/checks";
import {
  evaluatePolicy,
  formatPolicyReport,
  type CheckResult,
  type PolicyReport,
  type Status,
} from "../../tools/policy";
import { policyModel } from "../../tools/policy/model";
import { FIXTURES, fixtureStack, STRICT } from "../helpers/policy-fixtures";
import { synthAll } from "../helpers/synth";
import { byName } from "../../tools/policy/inputs";
import { Unknown } from "../../tools/policy/value";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { named, present } from "../../lib/core/module-stack";
import { isTrue } from "../../lib/core/rules";
import * as fs from "fs";
import * as path from "path";
import { MODULE_DECLARATIONS } from "../../modules/declarations";
import { type Json, type SynthesizedStack } from "../../tools/synthesized";
import { plannedModel } from "../../tools/policy/planned";
import { statements } from "../../tools/policy/values";
import { type PlanJson } from "../../tools/terraform";
import { POLICY_CHECK_IDS } from "../../lib/core/policy-checks";
import { scannerIgnores, trivyIds, trivyIgnoreFile } from "../../tools/policy/scanner";
import { loadWorkflows } from "../helpers/workflows";

const { stacks } = synthAll();
const envs = Object.fromEntries(loadEnvironments().map((e) => [e.workspace, e]));
const report = (ws: string) => evaluatePolicy(stacks[ws], envs[ws]);
const result = (r: ReturnType<typeof evaluatePolicy>, id: string) => r.results.find((x) => x.check.id === id);

describe("the gate", () => {
  test.each(["dev", "staging", "production"])("%s has no failing check", (ws) => {
    const r = report(ws);
    const failed = r.results.filter((x) => x.status === "failed");
    expect(
      failed.map((x) => `${x.check.id}: ${x.failures.map((f) => `${f.address} ${f.problem}`).join("; ")}`),
    ).toEqual([]);
  });

  test.each(["staging", "production"])("%s passes every applicable check without exemptions", (ws) => {
    const r = report(ws);
    expect(r.counts.exempted).toBe(0);
    // Only checks of what staging does not run (CloudFront, read replicas) may not apply.
    const notApplicable = r.results.filter((x) => x.status === "n/a").map((x) => x.check.id);
    // ... and Datadog's Firehose stream, which exists only where compute.datadog is on (D82), the pipeline's
    // Terraform apply role (D97), the NAT instance's EC2 checks: a production-like tier keeps NAT gateways (D100), the
    // URL rule: EduAutismo writes no connection URL (compute.parameterStore, run by Atena's prod in product-atena.test.ts),
    // and bucket replication, which exists only with DR (production).
    expect(
      notApplicable.filter(
        (id) =>
          !/^(cloudfront-|alb-cloudfront-|waf-regional-behind-cloudfront$|rds-replica-|firehose-http-endpoint-secure$|iam-oidc-role-writer-pinned$|ec2-|postgres-url-verifies-server$|order-replication-)/.test(
            id,
          ),
      ),
    ).toEqual([]);
  });

  test("production runs every check but the Firehose rule of the opt-in Datadog log shipping (run with it on in datadog.test.ts) the rule of the opt-in Terraform roles (terraform-roles.test.ts), the NAT instance's EC2 checks (dev runs them) and the URL rule of the opt-in URL parameters (Atena runs it)", () => {
    expect(
      report("production")
        .results.filter((x) => x.status === "n/a")
        .map((x) => x.check.id)
        .sort(),
    ).toEqual([
      "ec2-ebs-encrypted",
      "ec2-imdsv2",
      "firehose-http-endpoint-secure",
      "iam-oidc-role-writer-pinned",
      "postgres-url-verifies-server",
    ]);
    expect(
      report("dev")
        .results.filter((x) => x.check.id.startsWith("ec2-"))
        .map((x) => x.status),
    ).toEqual(["passed", "passed"]);
  });

  test("dev's failures are exactly its named exemptions, each with its reason", () => {
    const r = report("dev");
    const exempted = r.results.filter((x) => x.status === "exempted");
    expect(exempted.map((x) => x.check.id).sort()).toEqual(envs.dev.exemptions.map((e) => e.control).sort());
    for (const x of exempted) expect(x.note).toBe(envs.dev.exemptions.find((e) => e.control === x.check.id)?.reason);
  });

  test("production-like checks do not apply to dev, a development-tier environment", () => {
    const r = report("dev");
    for (const x of r.results.filter((y) => y.check.scope === "production-like")) expect(x.status).toBe("n/a");
  });
});

describe("strictness is the tier, not the workspace name", () => {
  test("a development-tier environment named qa has its exemptions applied", () => {
    const r = evaluatePolicy(
      { ...stacks.dev, workspace: "qa" },
      { tier: "development", exemptions: envs.dev.exemptions },
    );
    expect(result(r, "vpc-flow-logs")?.status).toBe("exempted");
  });

  test("a production-like environment's exemption fails the gate, naming the tier", () => {
    const r = evaluatePolicy(stacks.dev, { tier: "production-like", exemptions: envs.dev.exemptions });
    expect(result(r, "vpc-flow-logs")).toMatchObject({
      status: "failed",
      failures: [
        {
          address: "(config)",
          problem:
            "exemption of vpc-flow-logs: a production-like environment keeps every control; only a development-tier environment may be exempted",
        },
      ],
    });
  });

  test("production-like checks apply to a production-like environment whatever its name", () => {
    const r = evaluatePolicy({ ...stacks.dev, workspace: "sandbox" }, { tier: "production-like", exemptions: [] });
    expect(result(r, "rds-multi-az")?.status).toBe("failed");
  });

  test("production-like checks do not apply to a development-tier environment whatever its name", () => {
    const r = evaluatePolicy(stacks.production, { tier: "development", exemptions: [] });
    expect(result(r, "rds-multi-az")?.status).toBe("n/a");
  });
});

describe("exemptions", () => {
  test("without its exemption a dev failure fails the gate", () => {
    const r = evaluatePolicy(stacks.dev, {
      tier: "development",
      exemptions: envs.dev.exemptions.filter((e) => e.control !== "vpc-flow-logs"),
    });
    const flow = result(r, "vpc-flow-logs");
    expect(flow?.status).toBe("failed");
    expect(flow?.failures[0].address).toBe("module.network.aws_vpc.this");
  });

  test("an exemption of a passing check is stale and fails", () => {
    const r = evaluatePolicy(stacks.dev, {
      tier: "development",
      exemptions: [...envs.dev.exemptions, { control: "elasticache-auth", reason: "no reason at all" }],
    });
    expect(result(r, "elasticache-auth")).toMatchObject({
      status: "failed",
      failures: [{ problem: expect.stringContaining("stale exemption") }],
    });
  });

  test("an exemption of a check that declares no exemptible switch fails", () => {
    const r = evaluatePolicy(stacks.dev, {
      tier: "development",
      exemptions: [{ control: "kms-rotation", reason: "keys rotate by hand here" }],
    });
    expect(result(r, "kms-rotation")).toMatchObject({
      status: "failed",
      failures: [{ problem: "exemption of kms-rotation, which is not exemptible (no config switch turns it off)" }],
    });
  });

  test("an exemption of a check outside the environment's scope fails", () => {
    const r = evaluatePolicy(stacks.dev, {
      tier: "development",
      exemptions: [...envs.dev.exemptions, { control: "rds-multi-az", reason: "single AZ is enough" }],
    });
    expect(result(r, "rds-multi-az")?.status).toBe("failed");
  });

  test("every exemptible control a module declares is a check of the gate that applies to every tier", () => {
    for (const control of EXEMPTIBLE_CONTROLS)
      expect([control.id, CHECKS.find((c) => c.id === control.id)?.scope]).toEqual([control.id, "all"]);
  });
});

describe("the checks", () => {
  test("have unique ids, upstream ids in Checkov/Trivy/FSBP form, a severity and a scope", () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
    for (const c of CHECKS) {
      expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const u of c.upstream) expect(u).toMatch(/^(CKV2?_AWS_\d+|AVD-AWS-\d{4}|[A-Za-z][A-Za-z0-9]*\.\d+)$/);
      expect(["critical", "high", "medium", "low"]).toContain(c.severity);
      expect(["all", "production-like"]).toContain(c.scope);
    }
  });

  test("each has a passing and a failing fixture", () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  describe.each(CHECKS.map((c) => [c.id, c] as const))("%s", (id, check) => {
    const run = (which: "pass" | "fail") =>
      evaluatePolicy(fixtureStack(FIXTURES[id][which], "production", FIXTURES[id].extra?.[which]), STRICT, [check])
        .results[0];

    test("passes its passing fixture", () => {
      expect(run("pass")).toMatchObject({ status: "passed", failures: [] });
    });

    test("fails its failing fixture", () => {
      const r = run("fail");
      expect(r.status).toBe("failed");
      expect(r.failures.length).toBeGreaterThan(0);
    });
  });
});

describe("reading the synthesized JSON", () => {
  test("a module variable resolves through the root's module block to the tfvars value", () => {
    const stack = fixtureStack(
      { aws_db_instance: { db: { multi_az: "${var.multi_az}", count: "${var.enabled ? 1 : 0}" } } },
      "production",
      {
        inputs: { multi_az: "${var.db_multi_az}", enabled: true },
        rootVariables: { db_multi_az: { type: "bool", default: true } },
      },
    );
    expect(policyModel(stack).resources[0].config.multi_az).toBe(true);
  });

  test("a resource with count 0 is not in the workspace", () => {
    const stack = fixtureStack({ aws_flow_log: { this: { vpc_id: "x", count: 0 } } });
    expect(policyModel(stack).resources).toEqual([]);
  });
});

test("the report lists failures first with their addresses", () => {
  const r = evaluatePolicy(stacks.dev, { tier: "development", exemptions: [] });
  const text = formatPolicyReport(r);
  expect(text.split("\n")[0]).toMatch(/^policy dev: \d+ passed, [1-9]\d* failed, 0 exempted/);
  expect(text.split("\n")[2]).toMatch(/^ {2}failed /);
  expect(text).toContain("✗ module.network.aws_vpc.this: no aws_flow_log for this VPC");
});

test("s3-encryption accepts SSE-S3 on a bucket that receives S3 server access logs (S3 delivers them to SSE-S3 buckets only)", () => {
  const s3Check = CHECKS.filter((c) => c.id === "s3-encryption");
  const resources = {
    aws_s3_bucket: { logs: { bucket: "logs" }, data: { bucket: "data" } },
    aws_s3_bucket_server_side_encryption_configuration: {
      logs: {
        bucket: "${aws_s3_bucket.logs.id}",
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
      },
      data: {
        bucket: "${aws_s3_bucket.data.id}",
        rule: [
          { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${var.key}" } },
        ],
      },
    },
    aws_s3_bucket_logging: {
      data: { bucket: "${aws_s3_bucket.data.id}", target_bucket: "${aws_s3_bucket.logs.id}", target_prefix: "data/" },
    },
  };
  expect(evaluatePolicy(fixtureStack(resources), STRICT, s3Check).results[0].status).toBe("passed");
});

// Formerly policy-inputs.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("reading arguments by name (inputs.ts)", () => {
  /**
   * The policy model reads arguments by name (tools/policy/inputs.ts), without evaluating Terraform:
   * a module input reaches the value the root passes, a knob its tfvars value, and a reference to a
   * resource keeps naming that resource, so the checks that read inputs by name judge what Terraform receives.
   */
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
});

// Formerly policy-presence.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("existence from the modules' presence tables (D211)", () => {
  /**
   * Existence from the modules' presence tables (rules.ts `Presence`, D211): the policy model reads whether a counted
   * resource exists from the table its module writes the count from, the inputs read by name, and no HCL evaluated.
   */
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
});

// Formerly policy-planned.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the policy model of Terraform's planned values (planned.ts)", () => {
  /**
   * The policy model read from Terraform's planned values (tools/policy/planned.ts), on a hand-written
   * `terraform show -json`: what Terraform resolves, leaves unknown or computes must reach the checks the way
   * the configuration means it, without evaluating an expression.
   */
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
      const calls = {
        m: { expressions: {}, module: { resources: [{ address: "aws_sns_topic.t", expressions: {} }] } },
      };
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
});

// Formerly policy-check-ids.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the catalogue of check ids", () => {
  /**
   * The catalogue of policy check ids (lib/core/policy-checks.ts) is what the environments validate a product's
   * policy exemptions against, below the tooling layer; the gate (tools/policy/checks.ts) implements exactly
   * those checks.
   */
  test("the gate implements exactly the catalogue's checks, in its order", () => {
    expect(CHECKS.map((c) => c.id)).toEqual([...POLICY_CHECK_IDS]);
  });

  test("the catalogue names each check once", () => {
    expect(new Set(POLICY_CHECK_IDS).size).toBe(POLICY_CHECK_IDS.length);
  });
});

// Formerly policy-toolbox.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("ecs-read-only-root and the ECS Exec toolbox (D55)", () => {
  /**
   * ecs-read-only-root and the ECS Exec toolbox (docs/decisions.md D55): only a task definition tagged
   * Purpose = ecs-exec-toolbox that no aws_ecs_service runs may have a writable root.
   */
  const check = CHECKS.find((c) => c.id === "ecs-read-only-root");
  if (!check) throw new Error("ecs-read-only-root is missing");

  const container = (name: string, readonly: boolean) => ({
    name,
    image: "x:1",
    readonlyRootFilesystem: readonly,
    privileged: false,
    logConfiguration: { logDriver: "awslogs" },
  });
  const taskDef = (name: string, readonly: boolean, tags?: Json) => ({
    container_definitions: JSON.stringify([container(name, readonly)]),
    execution_role_arn: "${aws_iam_role.execution.arn}",
    task_role_arn: "${aws_iam_role.task.arn}",
    ...(tags ? { tags } : {}),
  });
  const service = (td: string) => ({ name: "svc", task_definition: `\${aws_ecs_task_definition.${td}.arn}` });
  const TAG = { Purpose: "ecs-exec-toolbox" };

  const TOOLBOX_FIXTURES: Record<
    string,
    { resources: Record<string, Record<string, Json>>; status: "passed" | "failed" }
  > = {
    "a tagged toolbox no service runs": {
      resources: { aws_ecs_task_definition: { toolbox: taskDef("toolbox", false, TAG) } },
      status: "passed",
    },
    "a tagged toolbox next to a read-only service": {
      resources: {
        aws_ecs_task_definition: { toolbox: taskDef("toolbox", false, TAG), app: taskDef("app", true) },
        aws_ecs_service: { app: service("app") },
      },
      status: "passed",
    },
    "a tagged toolbox that a service runs": {
      resources: {
        aws_ecs_task_definition: { toolbox: taskDef("toolbox", false, TAG) },
        aws_ecs_service: { app: service("toolbox") },
      },
      status: "failed",
    },
    "a writable task definition without the tag": {
      resources: { aws_ecs_task_definition: { shell: taskDef("shell", false) } },
      status: "failed",
    },
    "a writable task definition with another Purpose": {
      resources: { aws_ecs_task_definition: { shell: taskDef("shell", false, { Purpose: "debug" }) } },
      status: "failed",
    },
  };

  const statusOf = (resources: Record<string, Record<string, Json>>) => {
    const findings = evaluatePolicy(fixtureStack(resources), STRICT, [check]).results[0];
    return findings.status;
  };

  describe("ecs-read-only-root and the toolbox", () => {
    for (const [name, f] of Object.entries(TOOLBOX_FIXTURES)) {
      test(`${f.status === "passed" ? "accepts" : "fails"} ${name}`, () => {
        expect(statusOf(f.resources)).toBe(f.status);
      });
    }

    test("names the service-run toolbox in its finding", () => {
      const r = evaluatePolicy(
        fixtureStack(TOOLBOX_FIXTURES["a tagged toolbox that a service runs"].resources),
        STRICT,
        [check],
      ).results[0];
      expect(JSON.stringify(r)).toContain("an ECS service runs this toolbox task definition");
    });
  });
});

// Formerly scanner.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the pull-request scanner (Trivy, D208)", () => {
  /**
   * The pull-request workflow's scanner (Trivy, D208) and the policy gate: it scans every workspace of every product,
   * and a workspace's ignore list is derived from the gate's exemptions, never declared a second time.
   */
  test("the pull-request scanner runs on every synthesized workspace of every product", () => {
    const pr = loadWorkflows().find((w) => w.file === "pull-request.yml");
    const scan = pr?.doc.jobs.scan;
    expect(scan).toBeDefined();
    const labels = PRODUCTS.flatMap((p) => Object.keys(p.environments).map((ws) => workspaceLabel(p, ws)));
    expect([...scan.strategy.matrix.workspace].sort()).toEqual(labels.sort());
  });

  describe("a workspace's Trivy ignore list", () => {
    const withTrivy = CHECKS.filter((c) => trivyIds(c.upstream).length > 0);
    /** A report in which the first checks with a Trivy id get each status in turn. */
    function reportWith(statuses: Status[]): PolicyReport {
      const results: CheckResult[] = statuses.map((status, i) => ({
        check: withTrivy[i],
        status,
        failures: [],
        evaluated: 1,
        note: status === "exempted" ? `reason ${i}` : undefined,
      }));
      return { workspace: "dev", results, counts: { passed: 0, failed: 0, exempted: 0, "n/a": 0 } };
    }

    test("holds the Trivy ids of the exempted checks and of nothing else (a failure is never hidden from the scanner)", () => {
      const report = reportWith(["exempted", "failed", "passed", "n/a", "exempted"]);
      expect(scannerIgnores(report).map((i) => i.id)).toEqual([
        ...trivyIds(withTrivy[0].upstream),
        ...trivyIds(withTrivy[4].upstream),
      ]);
      expect(scannerIgnores(report).every((i) => /^AVD-/.test(i.id))).toBe(true);
    });

    test("the file Trivy reads names each ignored id on a line of its own, after its check and reason", () => {
      const report = reportWith(["exempted"]);
      const lines = trivyIgnoreFile(report, "dev").split("\n");
      const ids = lines.filter((l) => l && !l.startsWith("#"));
      expect(ids).toEqual(trivyIds(withTrivy[0].upstream));
      for (const id of ids) expect(lines[lines.indexOf(id) - 1]).toBe(`# ${withTrivy[0].id}: reason 0`);
    });
  });
});
