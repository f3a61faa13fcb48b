/**
 * Refactor safety against a state holding old addresses (plan -refresh=false): a rename without a
 * moved block destroys and recreates; with one, Terraform moves the state entry. The ALB's internet
 * rules became `count`-ed (network.albIngress, D51): a workspace applied before that holds them without
 * an index, and Terraform must move them to `[0]`, not destroy and recreate them.
 *
 * Plan budget (dev): one targeted plan of the network for the crafted state (deployedDevNetwork, shared by
 * both suites), then three targeted -refresh=false plans, read from the `plan -json` stream (a move is a change
 * with a `previous_resource`).
 */
import * as fs from "fs";
import * as path from "path";
import { deployedDevNetwork, describeTerraform, streamedPlanOk } from "../helpers/terraform";
import { tempDir } from "../../tools/terraform";

type Instance = { index_key?: unknown; attributes: Record<string, unknown> };
type State = { resources: { module?: string; type: string; name: string; instances: Instance[] }[] };

/** The deployed dev network (one plan for this file); each suite gets its own copy of the directory and state. */
let deployed: { dir: string; state: State } | undefined;
function deployedCopy(): { dir: string; state: State } {
  deployed ??= deployedDevNetwork() as { dir: string; state: State };
  const dir = tempDir("tfwork");
  fs.cpSync(deployed.dir, dir, { recursive: true, verbatimSymlinks: true });
  return { dir, state: JSON.parse(JSON.stringify(deployed.state)) as State };
}

// The crafted state fakes values only an apply knows; targeting the VPC alone keeps the rest out.
const VPC_TARGETS = ["-target=module.network.aws_vpc.this", "-target=module.network.aws_vpc.main"];

describeTerraform("renaming a resource", () => {
  let dir = "";
  let moduleFile = "";
  let original = "";

  beforeAll(() => {
    const copy = deployedCopy();
    dir = copy.dir;
    // The state of a workspace deployed when the VPC was still called aws_vpc.main.
    const state = copy.state;
    for (const r of state.resources)
      if (r.module === "module.network" && r.type === "aws_vpc" && r.name === "this") r.name = "main";
    fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"), JSON.stringify(state));
    moduleFile = path.join(dir, "modules", "network", "main.tf.json");
    original = fs.readFileSync(moduleFile, "utf8");
  });

  test("without a moved block, the plan destroys the old VPC and creates a new one", () => {
    const changes = streamedPlanOk(dir, [
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...VPC_TARGETS,
    ]);
    expect(changes.filter((c) => /^module\.network\.aws_vpc\.(main|this)$/.test(c.address))).toEqual(
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
      const vpc = streamedPlanOk(dir, [
        "-input=false",
        "-refresh=false",
        "-var-file=environments/dev/terraform.tfvars",
        ...VPC_TARGETS,
      ]).find((c) => c.address === "module.network.aws_vpc.this");
      expect(vpc?.previousAddress).toBe("module.network.aws_vpc.main");
      expect(vpc?.actions).not.toContain("delete");
      expect(vpc?.actions).not.toContain("create");
      expect(vpc?.actions).not.toContain("replace");
    } finally {
      fs.writeFileSync(moduleFile, original);
    }
  });
});

const RULES = ["alb_http_from_internet", "alb_https_from_internet"];

describeTerraform("ALB internet rules applied before albIngress existed", () => {
  let dir = "";

  beforeAll(() => {
    const copy = deployedCopy();
    dir = copy.dir;
    const state = copy.state;
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
    const changes = streamedPlanOk(dir, [
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...targets,
    ]);
    for (const rule of RULES) {
      const change = changes.find((c) => c.address === `module.network.aws_vpc_security_group_ingress_rule.${rule}[0]`);
      expect(change?.previousAddress).toBe(`module.network.aws_vpc_security_group_ingress_rule.${rule}`);
      expect(change?.actions).not.toContain("delete");
      expect(change?.actions).not.toContain("create");
      expect(change?.actions).not.toContain("replace");
    }
  });
});
