/**
 * Retell AI (seed 003) under real Terraform: the guide's `terraform plan` in production, targeted at compute —
 * both services, their host-header listener rules, the Spot mix — and the guide's `terraform output alb_dns_name`.
 */
import { RETELL } from "../../environments/retell";
import { synthProduct } from "../helpers/synth";
import { describeTerraform, initializedWorkdir, terraformOk } from "../helpers/terraform";

interface Change {
  address: string;
  change: { actions: string[]; after?: Record<string, unknown> };
}

describeTerraform("retell under real Terraform", () => {
  const { dir } = synthProduct(RETELL);
  let changes: Change[] = [];
  let work = "";

  beforeAll(() => {
    work = initializedWorkdir(dir("production"), "production");
    terraformOk(work, ["plan", "-input=false", "-var-file=environments/production/terraform.tfvars", "-target=module.compute", "-out=tfplan-compute"]);
    changes = JSON.parse(terraformOk(work, ["show", "-json", "tfplan-compute"]).stdout).resource_changes ?? [];
  });
  const after = (address: string) => {
    const c = changes.find((x) => x.address === address);
    if (!c) throw new Error(`${address} is not in the plan (has ${changes.length} changes)`);
    return c.change.after ?? {};
  };

  test("plan -target=module.compute creates both services and no CloudFront or monitoring", () => {
    const addresses = changes.filter((c) => c.change.actions.includes("create")).map((c) => c.address);
    expect(addresses).toEqual(expect.arrayContaining(["module.compute.aws_ecs_service.api", "module.compute.aws_ecs_service.web", "module.compute.aws_lb.this"]));
    expect(addresses.filter((a) => a.startsWith("module.cdn.") || a.startsWith("module.monitoring."))).toEqual([]);
  });

  test("the listener rules route api.<domain> and app.<domain> by host header", () => {
    expect(after("module.compute.aws_lb_listener_rule.api").condition).toEqual([expect.objectContaining({ host_header: [{ values: ["api.retellai-mvp.com"] }] })]);
    expect(after("module.compute.aws_lb_listener_rule.web").condition).toEqual([expect.objectContaining({ host_header: [{ values: ["app.retellai-mvp.com"] }] })]);
  });

  test("the HTTPS listener answers 404 to other hosts", () => {
    const action = (after("module.compute.aws_lb_listener.https").default_action as Record<string, unknown>[])[0];
    expect(action).toMatchObject({ type: "fixed-response", fixed_response: [expect.objectContaining({ status_code: "404" })] });
  });

  test("both services run one on-demand task and split the rest with Fargate Spot", () => {
    for (const svc of ["api", "web"]) {
      const strategy = after(`module.compute.aws_ecs_service.${svc}`).capacity_provider_strategy as Record<string, unknown>[];
      expect(strategy).toEqual(
        expect.arrayContaining([
          { capacity_provider: "FARGATE", base: 1, weight: 1 },
          { capacity_provider: "FARGATE_SPOT", base: null, weight: 3 },
        ]),
      );
    }
  });

  test("the services are named retell-production-api and retell-production-web", () => {
    expect([after("module.compute.aws_ecs_service.api").name, after("module.compute.aws_ecs_service.web").name]).toEqual(["retell-production-api", "retell-production-web"]);
  });
});
