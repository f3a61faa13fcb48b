import { PLACEHOLDER_TAG_WARNING } from "../../modules/compute";
import { plannedValues, terraform, terraformOk } from "../helpers/terraform";
import { workspaceSuite } from "../helpers/workspace-suite";

/**
 * Plan budget (dev): the suite's (full plan, four targeted plans, HA edits), the stopped plan, the full plan with a
 * pushed image's tag (no warning), and two plans the workspace guard refuses.
 */
workspaceSuite("dev", ({ dir, fullPlan, fullPlanText, shownPlan }) => {
  test("the workspace guard refuses the default workspace too", () => {
    terraformOk(dir(), ["workspace", "select", "default"]);
    const r = terraform(dir(), ["plan", "-input=false", "-var-file=environments/dev/terraform.tfvars"]);
    terraformOk(dir(), ["workspace", "select", "dev"]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain('selected Terraform workspace is "default"');
  });

  test("a full plan creates one NAT instance (no NAT gateway, D100), no flow logs and no interface endpoints", () => {
    const changes = (fullPlan().resource_changes ?? []).map((c) => c.address);
    const n = (prefix: string) => changes.filter((a) => a.startsWith(prefix)).length;
    expect({
      gateways: n("module.network.aws_nat_gateway.this["),
      nat: n("module.network.aws_instance.nat["),
      flowLogs: n("module.network.aws_flow_log.this"),
      endpoints: n("module.network.aws_vpc_endpoint.interface["),
    }).toEqual({
      gateways: 0,
      nat: 1,
      flowLogs: 0,
      endpoints: 0,
    });
  });

  // The first deploy's full plans (seed 000 §5.1) on an empty state.
  test("the full plan with the placeholder tag warns with the first-deploy steps, and does not fail", () => {
    expect(fullPlanText()).toContain("Warning: Check block assertion failed");
    expect(fullPlanText()).toContain("in check.first_deploy_image");
    expect(fullPlanText()).toContain(PLACEHOLDER_TAG_WARNING.replace(/\s+/g, " "));
  });

  test("the full plan with a pushed image's tag does not warn about the image", () => {
    const r = terraformOk(dir(), [
      "plan",
      "-input=false",
      "-var-file=environments/dev/terraform.tfvars",
      "-var=app_image_tag=v1.0.0",
    ]);
    // The example values' warnings (D145) stay until they are replaced; the image's is gone.
    expect(r.text).not.toContain("in check.first_deploy_image");
  });

  test("environment_running = false plans no NAT gateway or instance and services held at zero", () => {
    const plan = shownPlan("tfplan-stopped", "-var=environment_running=false");
    const changes = (plan.resource_changes ?? []).filter((c) => c.change.actions.join() !== "no-op");
    expect(
      changes.filter(
        (c) =>
          c.address.startsWith("module.network.aws_nat_gateway.") ||
          c.address.startsWith("module.network.aws_instance."),
      ),
    ).toEqual([]);
    expect(plannedValues(plan).get("module.compute.aws_appautoscaling_target.app")).toMatchObject({
      min_capacity: 0,
      max_capacity: 0,
    });
  });
});
