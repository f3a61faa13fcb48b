/** Backup → change → restore with real Terraform and a local backend (seed 000 §7.2). */
import * as fs from "fs";
import * as path from "path";
import { backup, listBackups, planRestore, restore } from "../../lib/tools/state-backup";
import { tempDir } from "../helpers/synth";
import { deployedDevNetwork, describeTerraform, terraformOk } from "../helpers/terraform";

describeTerraform("state backup and rollback", () => {
  let dir = "";
  const list = () => terraformOk(dir, ["state", "list"]).stdout;
  const serial = () => JSON.parse(terraformOk(dir, ["state", "pull"]).stdout).serial as number;

  beforeAll(() => {
    const deployed = deployedDevNetwork();
    dir = deployed.dir;
    const crafted = path.join(tempDir("state"), "crafted.tfstate");
    fs.writeFileSync(crafted, JSON.stringify(deployed.state));
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
    expect(() => planRestore(dir, foreign)).toThrow(/refusing to restore other\.tfstate: its lineage 11111111-2222-4333-8444-555555555555 is not the workspace's/);
  });
});
