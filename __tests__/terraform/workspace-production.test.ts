import { terraform } from "../helpers/terraform";
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

  test("an edited tfvars cannot point the directory at another environment", () => {
    const r = terraform(dir(), ["plan", "-input=false", "-var=environment=dev"]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain('This directory was synthesized for the "production" workspace; environment must be "production".');
  });

  test("production cannot be stopped", () => {
    const r = terraform(dir(), ["plan", "-input=false", "-var-file=environments/production/terraform.tfvars", "-var=environment_running=false"]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain("production cannot be stopped: environment_running must stay true");
  });
});
