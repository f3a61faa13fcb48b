import { PLACEHOLDER_TAG_WARNING } from "../../modules/compute";
import type { PlanJson } from "../../tools/terraform";
import { plannedValues, terraform, terraformOk } from "../helpers/terraform";
import { workspaceSuite } from "../helpers/workspace-suite";

/**
 * Plan budget (dev): the suite's (full plan, HA edits; the seed's targeted plans are §5.1's, typed as printed and
 * checked target by target in operator-runbook.test.ts), one full plan with a pushed image's tag and
 * the environment stopped (read by the image-warning and the stop tests), and two plans the workspace guard refuses.
 * The runbook's own sections (docs/runbooks/dev.md) are typed in operator-runbook.test.ts.
 */
workspaceSuite(
  "dev",
  ({ dir, fullPlan, fullPlanText, shownPlan }) => {
    /** One full plan with a pushed image's tag, the environment stopped (two variables, two independent effects). */
    let stopped: PlanJson | undefined;
    const stoppedWithTag = () =>
      (stopped ??= shownPlan("tfplan-stopped", "-var=environment_running=false", "-var=app_image_tag=v1.0.0"));

    test("the workspace guard refuses the default workspace too", () => {
      terraformOk(dir(), ["workspace", "select", "default"]);
      const r = terraform(dir(), [
        "plan",
        "-input=false",
        "-var-file=environments/dev/terraform.tfvars",
        "-target=module.network",
      ]);
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

    test("a full plan with a pushed image's tag passes the first-deploy image check (no warning)", () => {
      const image = (stoppedWithTag().checks ?? []).find((c) => c.address.name === "first_deploy_image");
      // The example values' warnings (D145) stay until they are replaced; the image's is gone.
      expect(image?.status).toBe("pass");
    });

    test("environment_running = false plans no NAT gateway or instance and services held at zero", () => {
      const plan = stoppedWithTag();
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
  },
  { targetedPlans: false },
);
