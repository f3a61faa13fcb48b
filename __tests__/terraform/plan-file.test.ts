/**
 * plannedChanges reads a saved plan's changes from the plan file (lib/tools/terraform-plan-file.ts, D126)
 * instead of starting `terraform show -json`: on a real plan holding every kind of change (create,
 * update, delete, both replacement orders, a move), the two report the same addresses and actions.
 */
import * as fs from "fs";
import * as path from "path";
import { planFileAfter, planFileChanges, planFileVariables, UNKNOWN } from "../../lib/tools/terraform-plan-file";
import { deployedDevNetwork, describeTerraform, plannedChanges, terraformOk } from "../helpers/terraform";
import { shownChanges } from "../../lib/tools/terraform";

// The crafted state fakes values only an apply knows; targeting these resources keeps the rest out.
const TARGETS = [
  "aws_vpc.this",
  "aws_vpc.main",
  "aws_internet_gateway.this",
  "aws_internet_gateway.old",
  "aws_subnet.private",
  "aws_security_group.alb",
].map((a) => `-target=module.network.${a}`);

type Instance = { index_key?: unknown; attributes: Record<string, unknown> };
type Resource = { module?: string; type: string; name: string; instances: Instance[] };

describeTerraform("the plan file reader agrees with terraform show -json", () => {
  let dir = "";

  beforeAll(() => {
    const deployed = deployedDevNetwork();
    dir = deployed.dir;
    const resources = (deployed.state as { resources: Resource[] }).resources;
    const find = (type: string, name: string) =>
      resources.find((r) => r.module === "module.network" && r.type === type && r.name === name) as Resource;
    // delete + create: the VPC tracked under an old name, without a moved block.
    find("aws_vpc", "this").name = "main";
    // a move: the internet gateway tracked under an old name, with a moved block.
    find("aws_internet_gateway", "this").name = "old";
    // delete, then create: a subnet whose CIDR (forces replacement) differs.
    find("aws_subnet", "private").instances[0].attributes.cidr_block = "10.99.0.0/24";
    // create, then delete: a create_before_destroy security group whose name (forces replacement) differs.
    find("aws_security_group", "alb").instances[0].attributes.name = "renamed-outside-terraform";
    // an update in place: tags changed outside Terraform.
    const igwTags = find("aws_internet_gateway", "old").instances[0].attributes;
    igwTags.tags = { ...(igwTags.tags as object), Changed: "outside" };
    igwTags.tags_all = igwTags.tags;
    fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"), JSON.stringify(deployed.state));
    const moduleFile = path.join(dir, "modules", "network", "main.tf.json");
    const json = JSON.parse(fs.readFileSync(moduleFile, "utf8"));
    json.moved = [{ from: "aws_internet_gateway.old", to: "aws_internet_gateway.this" }];
    fs.writeFileSync(moduleFile, JSON.stringify(json));
    terraformOk(dir, [
      "plan",
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...TARGETS,
      "-out=tfplan-kinds",
    ]);
  });

  test("the plan holds every kind of change the reader maps", () => {
    const kinds = new Set(plannedChanges(dir, "tfplan-kinds").map((c) => c.actions.join(",")));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(["create", "create,delete", "delete", "delete,create", "update"]),
    );
    expect(
      planFileChanges(path.join(dir, "tfplan-kinds")).find(
        (c) => c.address === "module.network.aws_internet_gateway.this[0]",
      )?.previousAddress,
    ).toBe("module.network.aws_internet_gateway.old[0]");
  });

  test("plannedChanges (the plan file) and terraform show -json report the same changes, in the same order", () => {
    expect(plannedChanges(dir, "tfplan-kinds")).toEqual(shownChanges(dir, "tfplan-kinds"));
  });

  test("the moved instance carries its previous address in both", () => {
    const shown = JSON.parse(terraformOk(dir, ["show", "-json", "tfplan-kinds"]).stdout) as {
      resource_changes: { address: string; previous_address?: string; change: { actions: string[] } }[];
    };
    const fromShow = shown.resource_changes
      .filter((c) => c.previous_address)
      .map((c) => [c.address, c.previous_address, c.change.actions.join(",")]);
    const fromFile = planFileChanges(path.join(dir, "tfplan-kinds"))
      .filter((c) => c.previousAddress)
      .map((c) => [c.address, c.previousAddress, c.actions.join(",")]);
    expect(fromFile).toEqual(fromShow);
    expect(fromFile.length).toBeGreaterThan(0);
  });

  test("the root variables and every known planned attribute read from the plan file are what terraform show -json reports", () => {
    type Shown = {
      variables: Record<string, { value: unknown }>;
      resource_changes: {
        address: string;
        deposed?: string;
        change: { actions: string[]; after: Record<string, unknown> | null; after_unknown: Record<string, unknown> };
      }[];
    };
    const shown = JSON.parse(terraformOk(dir, ["show", "-json", "tfplan-kinds"]).stdout) as Shown;
    const file = path.join(dir, "tfplan-kinds");
    expect(planFileVariables(file)).toEqual(
      Object.fromEntries(Object.entries(shown.variables).map(([k, v]) => [k, v.value])),
    );
    // show -json prints an unknown attribute as null at the top level and leaves it out further down.
    const nested = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(nested)
        : v && typeof v === "object" && !Buffer.isBuffer(v)
          ? Object.fromEntries(
              Object.entries(v)
                .filter(([, x]) => x !== UNKNOWN)
                .map(([k, x]) => [k, nested(x)]),
            )
          : v;
    let compared = 0;
    for (const c of shown.resource_changes.filter((x) => !x.deposed && x.change.after)) {
      const after = planFileAfter(file, c.address) as Record<string, unknown>;
      for (const [attr, value] of Object.entries(c.change.after ?? {})) {
        const read = after[attr] === UNKNOWN ? null : nested(after[attr]);
        expect({ [c.address + "." + attr]: read }).toEqual({ [c.address + "." + attr]: value });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });
});
