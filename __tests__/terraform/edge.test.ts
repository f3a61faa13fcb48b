/**
 * The ALB's internet rules became `count`-ed (network.albIngress, D51). A workspace applied before that
 * holds them without an index; Terraform must move them to `[0]`, not destroy and recreate them
 * (plan -refresh=false on a crafted state).
 */
import * as fs from "fs";
import * as path from "path";
import { planFileChanges } from "../../lib/tools/terraform-plan-file";
import { deployedDevNetwork, describeTerraform, terraformOk } from "../helpers/terraform";

const RULES = ["alb_http_from_internet", "alb_https_from_internet"];

describeTerraform("ALB internet rules applied before albIngress existed", () => {
  let dir = "";

  beforeAll(() => {
    const deployed = deployedDevNetwork();
    dir = deployed.dir;
    type Instance = { index_key?: unknown; attributes: Record<string, unknown> };
    const state = deployed.state as {
      resources: { module?: string; type: string; name: string; instances: Instance[] }[];
    };
    const find = (type: string, name: string) =>
      state.resources.find((r) => r.module === "module.network" && r.type === type && r.name === name)!.instances[0];
    // The crafted state leaves apply-time references empty; fill the ones these rules depend on, as an apply would.
    const sg = find("aws_security_group", "alb");
    sg.attributes.vpc_id = find("aws_vpc", "this").attributes.id;
    for (const r of state.resources) {
      if (r.module === "module.network" && r.type === "aws_vpc_security_group_ingress_rule" && RULES.includes(r.name)) {
        for (const i of r.instances) {
          delete i.index_key;
          i.attributes.security_group_id = sg.attributes.id;
        }
      }
    }
    fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"), JSON.stringify(state));
  });

  test("the plan moves them to [0] and neither destroys nor creates them", () => {
    const targets = RULES.map((r) => `-target=module.network.aws_vpc_security_group_ingress_rule.${r}`);
    terraformOk(dir, [
      "plan",
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...targets,
      "-out=tfplan-alb-rules",
    ]);
    // The plan file's changes, as `terraform show -json` reports them (D126).
    const changes = planFileChanges(path.join(dir, "tfplan-alb-rules"));
    for (const rule of RULES) {
      const change = changes.find((c) => c.address === `module.network.aws_vpc_security_group_ingress_rule.${rule}[0]`);
      expect(change?.previousAddress).toBe(`module.network.aws_vpc_security_group_ingress_rule.${rule}`);
      expect(change?.actions).not.toContain("delete");
      expect(change?.actions).not.toContain("create");
    }
  });
});
