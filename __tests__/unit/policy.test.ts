import { EXEMPTIBLE_CONTROLS, loadEnvironments } from "../../environments";
import { CHECKS } from "../../tools/policy/checks";
import { evaluatePolicy, formatPolicyReport } from "../../tools/policy";
import { policyModel } from "../../tools/policy/model";
import { FIXTURES, fixtureStack, STRICT } from "../helpers/policy-fixtures";
import { synthAll } from "../helpers/synth";

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
