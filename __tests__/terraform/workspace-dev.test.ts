import * as path from "path";
import { planFileAfter, planFileChanges } from "../../lib/tools/terraform-plan-file";
import { terraform, terraformOk } from "../helpers/terraform";
import { workspaceSuite } from "../helpers/workspace-suite";

workspaceSuite("dev", ({ dir, plan }) => {
  test("the workspace guard refuses the default workspace too", () => {
    terraformOk(dir(), ["workspace", "select", "default"]);
    const r = terraform(dir(), ["plan", "-input=false", "-var-file=environments/dev/terraform.tfvars"]);
    terraformOk(dir(), ["workspace", "select", "dev"]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain('selected Terraform workspace is "default"');
  });

  test("a full plan creates one NAT instance (no NAT gateway, D100), no flow logs and no interface endpoints", () => {
    const changes = plan("tfplan").map((c) => c.address);
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

  test("environment_running = false plans no NAT gateway or instance and services held at zero", () => {
    plan("tfplan-stopped", "-var=environment_running=false");
    // Every change of the plan file and the target's planned values, as `terraform show -json` reports them (D126).
    const file = path.join(dir(), "tfplan-stopped");
    const changes = planFileChanges(file);
    expect(
      changes.filter(
        (c) =>
          c.address.startsWith("module.network.aws_nat_gateway.") ||
          c.address.startsWith("module.network.aws_instance."),
      ),
    ).toEqual([]);
    expect(planFileAfter(file, "module.compute.aws_appautoscaling_target.app")).toMatchObject({
      min_capacity: 0,
      max_capacity: 0,
    });
  });
});
