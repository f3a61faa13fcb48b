/**
 * Backup → change → restore with real Terraform and a local backend (seed 000 §7.2). The states are written by hand
 * (a VPC and its internet gateway): `terraform state` reads no provider schema, so no plan is needed to make them.
 *
 * Plan budget: none (two `init`s; every command is `terraform state …` or `npm run state`).
 */
import * as fs from "fs";
import * as path from "path";
import { backup, listBackups, planRestore, restore } from "../../tools/state-backup";
import { OperatorWorkspace } from "../helpers/operator";
import { synthAll, tempDir } from "../helpers/synth";
import { describeTerraform, initializedWorkdir, terraformOk } from "../helpers/terraform";

describeTerraform("state backup and rollback", () => {
  let dir = "";
  const list = () => terraformOk(dir, ["state", "list"]).stdout;
  const serial = () => JSON.parse(terraformOk(dir, ["state", "pull"]).stdout).serial as number;

  beforeAll(() => {
    dir = initializedWorkdir(synthAll().stacks.dev.dir, "dev");
    const crafted = path.join(tempDir("state"), "crafted.tfstate");
    fs.writeFileSync(
      crafted,
      JSON.stringify(
        handMadeState("bbbbbbbb-1111-4222-8333-444444444444", [
          ["aws_vpc", "this", 1, { id: "vpc-0dev" }],
          ["aws_internet_gateway", "this[0]", 0, { id: "igw-0dev", vpc_id: "vpc-0dev" }],
        ]),
      ),
    );
    terraformOk(dir, ["state", "push", crafted]);
  });

  test("backup → change → restore gives back the same resources, under a newer serial", () => {
    const before = list();
    const saved = backup(dir, new Date("2026-11-23T04:00:00Z"));
    expect(path.basename(saved.file)).toBe(`20261123T040000Z-serial${saved.summary.serial}.tfstate`);

    terraformOk(dir, ["state", "rm", "module.network.aws_vpc.this"]);
    const changedSerial = serial();
    expect(list()).not.toContain("module.network.aws_vpc.this");
    expect(changedSerial).toBeGreaterThan(saved.summary.serial);

    const result = restore(dir, saved.file);
    expect(result.added).toEqual(["module.network.aws_vpc.this"]);
    expect(result.pushedSerial).toBe(changedSerial + 1);
    expect(list()).toBe(before);
    expect(serial()).toBe(result.finalSerial);
    expect(result.finalSerial).toBeGreaterThan(changedSerial);
  });

  test("backups are listed newest first, including the safety copy taken before a restore", () => {
    const names = listBackups(dir).map((b) => path.basename(b.file));
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect([...names].sort().reverse()).toEqual(names);
  });

  test("a backup of another state (different lineage) is refused, never force-pushed", () => {
    const foreign = path.join(tempDir("foreign"), "other.tfstate");
    const current = JSON.parse(terraformOk(dir, ["state", "pull"]).stdout);
    fs.writeFileSync(foreign, JSON.stringify({ ...current, lineage: "11111111-2222-4333-8444-555555555555" }));
    expect(() => planRestore(dir, foreign)).toThrow(
      /refusing to restore other\.tfstate: its lineage 11111111-2222-4333-8444-555555555555 is not the workspace's/,
    );
  });
});

/**
 * The same tool as an operator types it (npm run state from inside the workspace directory, only
 * terraform, node and npm on PATH): the production-from-dev restore of issue 21, and the messages of
 * the mistakes around it. Two sibling directories, dev and production, under one copy of cdktf.out.
 */
describeTerraform("npm run state, typed in cdktf.out/stacks/<ws>", () => {
  let dev: OperatorWorkspace;
  let production: OperatorWorkspace;
  let devBackup = "";

  beforeAll(() => {
    const { stacks } = synthAll();
    dev = new OperatorWorkspace(stacks.dev, process.env.TF_PROVIDER_MIRROR as string);
    production = new OperatorWorkspace(stacks.production, process.env.TF_PROVIDER_MIRROR as string, dev);
    for (const op of [dev, production]) {
      op.ok("terraform init -input=false");
      op.ok(`terraform workspace new ${op.stack.workspace}`);
    }
    // dev has been applied: one VPC carrying dev's default tags, backed up the way the runbook says.
    const tags = (stacks.dev.root.provider.aws as { default_tags: { tags: Record<string, string> }[] }[])[0]
      .default_tags[0].tags;
    const state = handMadeState("aaaaaaaa-1111-4222-8333-444444444444", [
      ["aws_vpc", "this", 1, { id: "vpc-0dev", tags, tags_all: tags }],
    ]);
    fs.writeFileSync(path.join(dev.dir, "crafted.tfstate"), JSON.stringify(state));
    dev.ok("terraform state push crafted.tfstate");
    const saved = /^saved (\S+):/.exec(
      dev
        .ok("npm run state -- backup")
        .stdout.split("\n")
        .find((l) => l.startsWith("saved ")) ?? "",
    )?.[1];
    devBackup = `../dev/${saved}`;
  });
  afterAll(() => dev?.remove());

  test("a dev backup restored into production's empty state is refused, saying why and how to override", () => {
    const r = production.run(`npm run state -- restore ${devBackup}`);
    expect(r.code).not.toBe(0);
    expect(r.text).toMatch(
      /refusing to restore \S+ into workspace "production": it is a backup of another workspace \(it lies in state-backups\/dev\/; it records workspace "dev"/,
    );
    expect(r.text).toContain('its resources are tagged Environment = "dev"');
    expect(r.text).toContain("--allow-other-workspace");
    expect(production.ok("terraform state pull").stdout.trim()).toBe("");
  });

  test("the explicit --allow-other-workspace override restores it", () => {
    const r = production.ok(`npm run state -- restore ${devBackup} --allow-other-workspace`);
    expect(r.stdout).toContain("+ module.network.aws_vpc.this");
    expect(production.ok("terraform state list").stdout.trim()).toBe("module.network.aws_vpc.this");
  });

  test("outside a workspace directory it says so, not which workspace to select", () => {
    const r = production.run("cd .. && npm run state -- list");
    expect(r.code).not.toBe(0);
    expect(r.text).toMatch(/is not a workspace directory/);
    expect(r.text).not.toMatch(/workspace select/);
  });

  test("a --dir without its value names --dir, not a missing terraform", () => {
    for (const line of ["npm run state -- list --dir", "npm run state -- --dir --allow-other-workspace restore x"]) {
      const r = production.run(line);
      expect(r.code).not.toBe(0);
      expect(r.text).toMatch(/--dir needs a value/);
      expect(r.text).not.toMatch(/not on PATH/);
    }
  });

  test("an empty, corrupt or directory backup is named with its problem", () => {
    fs.writeFileSync(path.join(production.dir, "empty.tfstate"), "");
    fs.writeFileSync(path.join(production.dir, "corrupt.tfstate"), '{"version": 4, "lin');
    const problems: Record<string, RegExp> = {
      "empty.tfstate": /the file is empty/,
      "corrupt.tfstate": /it is not valid JSON/,
      "state-backups": /it is a directory/,
    };
    fs.mkdirSync(path.join(production.dir, "state-backups"), { recursive: true });
    for (const [file, problem] of Object.entries(problems)) {
      const r = production.run(`npm run state -- restore ${file}`);
      expect(r.code).not.toBe(0);
      expect(r.text).toMatch(new RegExp(`cannot use \\S*/${file} as a state backup: ${problem.source}`));
    }
  });
});

/** A state (format 4) of network resources, as an apply records them: `[type, name or name[index], schema version, attributes]`. */
function handMadeState(lineage: string, resources: [string, string, number, Record<string, unknown>][]): object {
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 3,
    lineage,
    outputs: {},
    resources: resources.map(([type, name, version, attributes]) => {
      const [bare, index] = name.split(/\[|\]/);
      return {
        module: "module.network",
        mode: "managed",
        type,
        name: bare,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [
          {
            ...(index !== undefined ? { index_key: Number(index) } : {}),
            schema_version: version,
            attributes,
            sensitive_attributes: [],
          },
        ],
      };
    }),
  };
}
