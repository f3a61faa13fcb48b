/**
 * The ALB's internet rules became `count`-ed (network.albIngress, D51). A workspace applied before that
 * holds them without an index; Terraform must move them to `[0]`, not destroy and recreate them
 * (plan -refresh=false on a crafted state).
 */
import * as fs from "fs";
import * as path from "path";
import { deployedDevNetwork, describeTerraform, terraformOk } from "../helpers/terraform";

const RULES = ["alb_http_from_internet", "alb_https_from_internet"];

describeTerraform("ALB internet rules applied before albIngress existed", () => {
  let dir = "";

  beforeAll(() => {
    const deployed = deployedDevNetwork();
    dir = deployed.dir;
    const state = deployed.state as { resources: { module?: string; type: string; name: string; instances: { index_key?: unknown }[] }[] };
    for (const r of state.resources) {
      if (r.module === "module.network" && r.type === "aws_vpc_security_group_ingress_rule" && RULES.includes(r.name)) {
        for (const i of r.instances) delete i.index_key;
      }
    }
    fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"), JSON.stringify(state));
  });

  test("the plan moves them to [0] and neither destroys nor creates them", () => {
    const targets = RULES.map((r) => `-target=module.network.aws_vpc_security_group_ingress_rule.${r}`);
    terraformOk(dir, ["plan", "-input=false", "-refresh=false", "-var-file=environments/dev/terraform.tfvars", ...targets, "-out=tfplan-alb-rules"]);
    const shown = JSON.parse(terraformOk(dir, ["show", "-json", "tfplan-alb-rules"]).stdout);
    for (const rule of RULES) {
      const change = shown.resource_changes.find((c: { address: string }) => c.address === `module.network.aws_vpc_security_group_ingress_rule.${rule}[0]`);
      expect(change.previous_address).toBe(`module.network.aws_vpc_security_group_ingress_rule.${rule}`);
      expect(change.change.actions).not.toContain("delete");
      expect(change.change.actions).not.toContain("create");
    }
  });
});
