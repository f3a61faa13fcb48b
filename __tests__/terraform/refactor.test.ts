/**
 * Refactor safety against a state holding the old address (plan -refresh=false): a rename without a
 * moved block destroys and recreates; with one, Terraform moves the state entry.
 */
import * as fs from "fs";
import * as path from "path";
import { planFileChanges } from "../../lib/tools/terraform-plan-file";
import { deployedDevNetwork, describeTerraform, plannedChanges, terraformOk } from "../helpers/terraform";

// The crafted state fakes values only an apply knows; targeting the VPC alone keeps the rest out.
const VPC_TARGETS = ["-target=module.network.aws_vpc.this", "-target=module.network.aws_vpc.main"];

describeTerraform("renaming a resource", () => {
  let dir = "";
  let moduleFile = "";
  let original = "";

  beforeAll(() => {
    const deployed = deployedDevNetwork();
    dir = deployed.dir;
    // The state of a workspace deployed when the VPC was still called aws_vpc.main.
    const state = deployed.state;
    for (const r of state.resources)
      if (r.module === "module.network" && r.type === "aws_vpc" && r.name === "this") r.name = "main";
    fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"), JSON.stringify(state));
    moduleFile = path.join(dir, "modules", "network", "main.tf.json");
    original = fs.readFileSync(moduleFile, "utf8");
  });

  const vpcChanges = (file: string) =>
    plannedChanges(dir, file).filter((c) => /^module\.network\.aws_vpc\.(main|this)$/.test(c.address));

  test("without a moved block, the plan destroys the old VPC and creates a new one", () => {
    terraformOk(dir, [
      "plan",
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...VPC_TARGETS,
      "-out=tfplan-rename",
    ]);
    expect(vpcChanges("tfplan-rename")).toEqual(
      expect.arrayContaining([
        { address: "module.network.aws_vpc.main", actions: ["delete"] },
        { address: "module.network.aws_vpc.this", actions: ["create"] },
      ]),
    );
  });

  test("with a moved block, the plan moves the state entry and destroys nothing", () => {
    const json = JSON.parse(original);
    json.moved = [{ from: "aws_vpc.main", to: "aws_vpc.this" }];
    fs.writeFileSync(moduleFile, JSON.stringify(json));
    try {
      terraformOk(dir, [
        "plan",
        "-input=false",
        "-refresh=false",
        "-var-file=environments/dev/terraform.tfvars",
        ...VPC_TARGETS,
        "-out=tfplan-moved",
      ]);
      // The plan file's changes, as `terraform show -json` reports them (D126).
      const vpc = planFileChanges(path.join(dir, "tfplan-moved")).find(
        (c) => c.address === "module.network.aws_vpc.this",
      );
      expect(vpc?.previousAddress).toBe("module.network.aws_vpc.main");
      expect(vpc?.actions).not.toContain("delete");
      expect(vpc?.actions).not.toContain("create");
    } finally {
      fs.writeFileSync(moduleFile, original);
    }
  });
});
