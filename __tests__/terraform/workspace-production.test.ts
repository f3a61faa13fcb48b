import * as fs from "fs";
import * as path from "path";
import { originDnsWarning } from "../../modules/cdn";
import { planFileAfterAll } from "../../lib/tools/terraform-plan-file";
import { editedTfvars, haLosses, haSnapshot } from "../helpers/ha-invariants";
import { sharedInstanceNames, terraform, terraformOk } from "../helpers/terraform";
import { workspaceSuite } from "../helpers/workspace-suite";

workspaceSuite("production", ({ dir, plan }) => {
  test("a full plan creates one NAT gateway per AZ, flow logs and 4 interface endpoints", () => {
    const changes = plan("tfplan").map((c) => c.address);
    const n = (prefix: string) => changes.filter((a) => a.startsWith(prefix)).length;
    expect({ nat: n("module.network.aws_nat_gateway.this["), flowLogs: n("module.network.aws_flow_log.this"), endpoints: n("module.network.aws_vpc_endpoint.interface[") }).toEqual({
      nat: 3,
      flowLogs: 1,
      endpoints: 4,
    });
  });

  test("the full plan opens the ALB to CloudFront's prefix list only, and forwards only with the origin header", () => {
    const changes = plan("tfplan").map((c) => c.address);
    expect(changes.filter((a) => a.startsWith("module.network.aws_vpc_security_group_ingress_rule.alb_"))).toEqual([
      "module.network.aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront[0]",
    ]);
    expect(changes).toEqual(expect.arrayContaining(["module.compute.terraform_data.origin_verify", "module.compute.aws_lb_listener_rule.app"]));
  });

  test("the full plan warns that the origin's DNS record is the operator's (no Route 53 zone configured)", () => {
    const shown = JSON.parse(terraformOk(dir(), ["show", "-json", "tfplan"]).stdout);
    const check = (shown.checks ?? []).find((c: { address: { name: string } }) => c.address.name === "cdn_origin_dns_record");
    expect(check.status).toBe("fail");
    expect(JSON.stringify(check.instances)).toContain(originDnsWarning("origin.eduautismo-ia.com"));
  });

  test("every instance of a counted resource in the full plan has its own name: 3 Redis nodes and 2 replicas are 3 and 2 alarms (D130)", () => {
    const file = path.join(dir(), "tfplan");
    if (!fs.existsSync(file)) plan("tfplan");
    const alarms = [...planFileAfterAll(file)].filter(([a]) => a.startsWith("module.monitoring.aws_cloudwatch_metric_alarm."));
    expect(alarms.filter(([a]) => a.includes("redis_memory_high[")).length).toBeGreaterThan(1);
    expect(new Set(alarms.map(([, v]) => v.alarm_name)).size).toBe(alarms.length);
    expect(sharedInstanceNames(file)).toEqual([]);
  });

  test("an edited tfvars cannot point the directory at another environment", () => {
    const r = terraform(dir(), ["plan", "-input=false", "-var=environment=dev"]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain('This directory was synthesized for the "production" workspace; environment must be "production".');
  });

  test("the runbook-edit HA check catches an edit copied from a smaller workspace: one node fewer than production's is a lost node", () => {
    const file = path.join(dir(), "environments", "production", "terraform.tfvars");
    const original = fs.readFileSync(file, "utf8");
    const nodes = Number(/^redis_num_cache_nodes = (\d+)/m.exec(original)?.[1]);
    expect(nodes).toBeGreaterThanOrEqual(3); // production keeps failover with one node fewer, so only the HA check can catch it
    plan("tfplan-ha-fixture-base", "-target=module.cache");
    // Before D140 the §8.3 fix printed staging's count (2) here.
    fs.writeFileSync(file, editedTfvars(original, { redis_num_cache_nodes: String(nodes - 1) }));
    try {
      plan("tfplan-ha-fixture", "-target=module.cache");
    } finally {
      fs.writeFileSync(file, original);
    }
    const losses = haLosses(haSnapshot(path.join(dir(), "tfplan-ha-fixture-base")), haSnapshot(path.join(dir(), "tfplan-ha-fixture")), ["cache"]);
    expect(losses).toEqual([`module.cache.aws_elasticache_replication_group.redis nodes: ${nodes} → ${nodes - 1}`]);
  });

  test("production cannot be stopped", () => {
    const r = terraform(dir(), ["plan", "-input=false", "-var-file=environments/production/terraform.tfvars", "-var=environment_running=false"]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain("production cannot be stopped: environment_running must stay true");
  });
});
