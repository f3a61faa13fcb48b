import * as fs from "fs";
import * as path from "path";
import { loadEnvironments } from "../../environments";
import { placeholderCheckName, placeholdersOf } from "../../lib/core/placeholders";
import { initializedWorkdir, OFFLINE_PROVIDER } from "../../lib/tools/terraform";
import { MAX_CACHE_NODES } from "../../modules/cache/config";
import { originDnsWarning } from "../../modules/cdn";
import { startFakeSts, type FakeSts } from "../helpers/fake-sts";
import { editedTfvars, haLosses, haSnapshot } from "../helpers/ha-invariants";
import { synthAll } from "../helpers/synth";
import { plannedValues, sharedInstanceNames, terraform } from "../helpers/terraform";
import { workspaceSuite } from "../helpers/workspace-suite";

/**
 * Plan budget (production): the suite's (full plan, four targeted plans, HA edits), the CDN's targeted plan (stream; it
 * was compute.test.ts, whose cache and compute plans were the suite's and knobs.test.ts's), two targeted plans of the
 * cache for the HA fixture, one full plan under another account's credentials (refused), and three refused plans.
 */
workspaceSuite("production", ({ dir, plan, fullPlan, shownPlan }) => {
  const created = () => (fullPlan().resource_changes ?? []).map((c) => c.address);

  test("a full plan creates one NAT gateway per AZ, flow logs and 4 interface endpoints", () => {
    const changes = created();
    const n = (prefix: string) => changes.filter((a) => a.startsWith(prefix)).length;
    expect({
      nat: n("module.network.aws_nat_gateway.this["),
      flowLogs: n("module.network.aws_flow_log.this"),
      endpoints: n("module.network.aws_vpc_endpoint.interface["),
    }).toEqual({
      nat: 3,
      flowLogs: 1,
      endpoints: 4,
    });
  });

  test("the full plan opens the ALB to CloudFront's prefix list only, and forwards only with the origin header", () => {
    const changes = created();
    expect(changes.filter((a) => a.startsWith("module.network.aws_vpc_security_group_ingress_rule.alb_"))).toEqual([
      "module.network.aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront[0]",
    ]);
    expect(changes).toEqual(
      expect.arrayContaining([
        "module.compute.terraform_data.origin_verify",
        "module.compute.aws_lb_listener_rule.app",
      ]),
    );
  });

  test("the full plan warns that the origin's DNS record is the operator's (no Route 53 zone configured)", () => {
    const check = (fullPlan().checks ?? []).find((c) => c.address.name === "cdn_origin_dns_record");
    expect(check?.status).toBe("fail");
    expect(JSON.stringify(check?.instances)).toContain(originDnsWarning("origin.eduautismo-ia.com"));
  });

  test("every instance of a counted resource in the full plan has its own name: 3 Redis nodes and 2 replicas are 3 and 2 alarms (D130)", () => {
    const alarms = [...plannedValues(fullPlan())].filter(([a]) =>
      a.startsWith("module.monitoring.aws_cloudwatch_metric_alarm."),
    );
    expect(alarms.filter(([a]) => a.includes("redis_memory_high[")).length).toBeGreaterThan(1);
    expect(new Set(alarms.map(([, v]) => v.alarm_name)).size).toBe(alarms.length);
    expect(sharedInstanceNames(fullPlan())).toEqual([]);
  });

  test("the full plan warns on every example value of the environment (D145), and only on those", () => {
    const env = loadEnvironments().find((e) => e.workspace === "production");
    const expected = placeholdersOf(env).map(placeholderCheckName).sort();
    expect(expected.length).toBeGreaterThan(0);
    const checks = (fullPlan().checks ?? []).filter((c) => c.address.name.startsWith("placeholder_"));
    // "fail" for each: Terraform's RE2 reads the same shape the synthesis matched.
    expect(checks.map((c) => [c.address.name, c.status]).sort()).toEqual(expected.map((n) => [n, "fail"]));
  });

  describe("credentials of another account (D145)", () => {
    let sts: FakeSts;
    beforeAll(async () => {
      sts = await startFakeSts("999999999999");
    });
    afterAll(() => sts?.stop());

    test("without the test harness's account override, every provider (aliases too) refuses another account's credentials", () => {
      // The harness nulls allowed_account_ids (offline the provider cannot tell the account). Here the provider asks a
      // local STS who the credentials are, as it asks AWS, and gets account 999999999999.
      const work = initializedWorkdir(synthAll().stacks.production.dir, "production");
      const root = JSON.parse(fs.readFileSync(path.join(work, "cdk.tf.json"), "utf8"));
      const { allowed_account_ids: _nulled, ...offline } = OFFLINE_PROVIDER;
      const asked = { ...offline, skip_requesting_account_id: false, endpoints: [{ sts: sts.endpoint }] };
      const providers = root.provider.aws.map((p: { alias?: string }) =>
        p.alias ? { alias: p.alias, ...asked } : asked,
      );
      fs.writeFileSync(
        path.join(work, "zz_test_override.tf.json"),
        JSON.stringify({
          provider: { aws: providers },
          terraform: { backend: { local: { path: "terraform.tfstate" } } },
        }),
      );
      const r = terraform(work, ["plan", "-input=false", "-var-file=environments/production/terraform.tfvars"]);
      expect(r.code).not.toBe(0);
      const refused = [...r.text.matchAll(/AWS account ID not allowed: 999999999999/g)].length;
      expect(refused).toBe(root.provider.aws.length);
      for (const p of root.provider.aws.filter((x: { alias?: string }) => x.alias))
        expect(r.text).toContain(`provider["registry.terraform.io/hashicorp/aws"].${p.alias}`);
    });
  });

  test("an edited tfvars cannot point the directory at another environment", () => {
    const r = terraform(dir(), ["plan", "-input=false", "-var=environment=dev"]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain(
      'This directory was synthesized for the "production" workspace; environment must be "production".',
    );
  });

  test("the runbook-edit HA check catches an edit copied from a smaller workspace: one node fewer than production's is a lost node", () => {
    const file = path.join(dir(), "environments", "production", "terraform.tfvars");
    const original = fs.readFileSync(file, "utf8");
    const configured = Number(/^redis_num_cache_nodes = (\d+)/m.exec(original)?.[1]);
    // A group one node larger than the edit (within the schema's maximum), so the smaller count still passes the
    // failover validation and only the HA check can catch it, whatever production's count is today.
    const nodes = Math.min(configured + 1, MAX_CACHE_NODES);
    const withNodes = (n: number) => editedTfvars(original, { redis_num_cache_nodes: String(n) });
    let base, edited;
    try {
      fs.writeFileSync(file, withNodes(nodes));
      base = haSnapshot(shownPlan("tfplan-ha-fixture-base", "-target=module.cache"));
      // Before D140 the §8.3 fix printed staging's count (2) here.
      fs.writeFileSync(file, withNodes(nodes - 1));
      edited = haSnapshot(shownPlan("tfplan-ha-fixture", "-target=module.cache"));
    } finally {
      fs.writeFileSync(file, original);
    }
    const losses = haLosses(base, edited, ["cache"]);
    expect(losses).toEqual([`module.cache.aws_elasticache_replication_group.redis nodes: ${nodes} → ${nodes - 1}`]);
  });

  test("plan -target=module.cdn creates the distribution and its WAF through the us-east-1 alias", () => {
    const cdn = plan("tfplan-cdn", "-target=module.cdn")
      .map((c) => c.address)
      .filter((a) => a.startsWith("module.cdn."));
    expect(cdn).toEqual(
      expect.arrayContaining(["module.cdn.aws_cloudfront_distribution.this", "module.cdn.aws_wafv2_web_acl.this[0]"]),
    );
  });

  test("production cannot be stopped", () => {
    const r = terraform(dir(), [
      "plan",
      "-input=false",
      "-var-file=environments/production/terraform.tfvars",
      "-var=environment_running=false",
    ]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain("production cannot be stopped: environment_running must stay true");
  });
});
