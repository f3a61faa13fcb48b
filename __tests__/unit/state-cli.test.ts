/** `npm run state` argument handling and the provider-mirror search of the newcomer path. */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "../../scripts/state";
import { cliConfigDirs, findProviderMirror, impliedDirs, isMirror } from "../../tools/provider-mirror";
import { directoryIdentity, foreignEvidence, readBackup } from "../../tools/state-backup";
import { AWS_PROVIDER_VERSION } from "../../lib/core/versions";
import { synthAll, synthProduct, tempDir } from "../helpers/synth";
import { productById } from "../../environments";

test("npm run state -- list keeps the command when --dir is absent", () => {
  expect(parseArgs(["list"])).toEqual({ dir: undefined, allowOtherWorkspace: false, positional: ["list"] });
});

test("--dir and its value are taken out wherever they appear", () => {
  expect(parseArgs(["restore", "--dir", "cdktf.out/stacks/dev", "state-backups/dev/x.tfstate"])).toEqual({
    dir: "cdktf.out/stacks/dev",
    allowOtherWorkspace: false,
    positional: ["restore", "state-backups/dev/x.tfstate"],
  });
  expect(parseArgs(["--dir=.", "backup"]).dir).toBe(".");
});

test("a --dir without its value is a usage error naming --dir, never a run in some other directory", () => {
  for (const args of [
    ["backup", "--dir"],
    ["--dir=", "list"],
    ["--dir", "--allow-other-workspace", "restore", "x"],
  ]) {
    expect(() => parseArgs(args)).toThrow(/^--dir needs a value: the workspace directory/);
  }
});

test("an unknown option is refused by name (a mistyped override must not be taken for a file)", () => {
  expect(() => parseArgs(["restore", "x.tfstate", "--allow-other-workspaces"])).toThrow(
    /^unknown option --allow-other-workspaces/,
  );
  expect(parseArgs(["restore", "x.tfstate", "--allow-other-workspace"]).allowOtherWorkspace).toBe(true);
});

describe("restore across workspaces (the lineage check cannot see it when the target has no state)", () => {
  const { stacks } = synthAll();
  const production = directoryIdentity(stacks.production.dir);
  /** A state as `backup` writes it in `ws`'s folder, with one VPC tagged by `ws`'s provider. */
  function backupOf(ws: string, record = true): { file: string; state: ReturnType<typeof readBackup> } {
    const id = directoryIdentity(stacks[ws].dir);
    const folder = path.join(tempDir("backups"), "stacks", ws, "state-backups", ws);
    fs.mkdirSync(folder, { recursive: true });
    const vpc = {
      module: "module.network",
      mode: "managed",
      type: "aws_vpc",
      name: "this",
      instances: [{ attributes: { id: "vpc-1", tags_all: { ...id.tags } } }],
    };
    const state = {
      version: 4,
      serial: 3,
      lineage: "aaaaaaaa-1111-4222-8333-444444444444",
      resources: [vpc],
      ...(record ? { state_backup: { workspace: ws, tags: id.tags, taken: "2026-12-07T00:00:00.000Z" } } : {}),
    };
    const file = path.join(folder, "20261207T000000Z-serial3.tfstate");
    fs.writeFileSync(file, JSON.stringify(state));
    return { file, state: readBackup(file) };
  }

  test("a dev backup offered to production is foreign by its folder, its record and its resources' Environment tags", () => {
    const { file, state } = backupOf("dev");
    const reasons = foreignEvidence(file, state, production);
    expect(reasons).toEqual([
      `it lies in state-backups/dev/`,
      `it records workspace "dev"`,
      `it records Environment = "dev"`,
      `its resources are tagged Environment = "dev"`,
    ]);
  });

  test("each piece of evidence alone is enough: a dev state copied out of its folder, without a record, is still foreign by its tags", () => {
    const { state } = backupOf("dev", false);
    const loose = path.join(tempDir("loose"), "copy.tfstate");
    fs.writeFileSync(loose, JSON.stringify(state));
    expect(foreignEvidence(loose, readBackup(loose), production)).toEqual([
      `its resources are tagged Environment = "dev"`,
    ]);
  });

  test("another product's workspace of the same name is foreign by its Project tag", () => {
    const retell = productById("retell");
    const other = directoryIdentity(synthProduct(retell).dir("production"));
    expect(other.workspace).toBe(production.workspace);
    const { file, state } = backupOf("production");
    expect(foreignEvidence(file, state, other).join("; ")).toMatch(/its resources are tagged Project = /);
  });

  test("a workspace's own backup has no foreign evidence", () => {
    const { file, state } = backupOf("production");
    expect(foreignEvidence(file, state, production)).toEqual([]);
  });

  test("a folder that is not a synthesized workspace directory is named as such", () => {
    expect(() => directoryIdentity(path.dirname(stacks.production.dir))).toThrow(/is not a workspace directory/);
    expect(() => directoryIdentity(path.join(tempDir("x"), "missing"))).toThrow(/missing does not exist/);
  });
});

describe("a backup that is not a state is named with its problem", () => {
  const cases: [string, (f: string) => void, RegExp][] = [
    ["empty", (f) => fs.writeFileSync(f, ""), /the file is empty/],
    ["corrupt", (f) => fs.writeFileSync(f, '{"version": 4, "lin'), /not valid JSON .*corrupt or truncated/],
    ["not a state", (f) => fs.writeFileSync(f, '{"a": 1}'), /not a Terraform state/],
    ["a directory", (f) => fs.mkdirSync(f), /it is a directory/],
    ["missing", () => undefined, /does not exist/],
  ];
  test.each(cases)("%s", (_name, make, problem) => {
    const file = path.join(tempDir("bad"), "b.tfstate");
    make(file);
    let message = "";
    try {
      readBackup(file);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.startsWith(`cannot use ${file} as a state backup: `)).toBe(true);
    expect(message).toMatch(problem);
  });
});

/** A mirror with the provider for one platform (unpacked layout); `empty` leaves only the version directory. */
function fakeMirror(empty = false): string {
  const dir = tempDir("mirror");
  const platform = path.join(dir, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION, "linux_amd64");
  fs.mkdirSync(empty ? path.dirname(platform) : platform, { recursive: true });
  if (!empty) fs.writeFileSync(path.join(platform, `terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5`), "");
  return dir;
}

test("an empty version directory (an interrupted test run's copy) is not a mirror: init would find no provider", () => {
  const empty = fakeMirror(true);
  expect(isMirror(empty)).toBe(false);
  expect(isMirror(fakeMirror())).toBe(true);
});

test("the provider mirror named in the operator's ~/.terraformrc is found", () => {
  const mirror = fakeMirror();
  const home = tempDir("home");
  fs.writeFileSync(
    path.join(home, ".terraformrc"),
    `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`,
  );
  const env = { HOME: home };
  expect(cliConfigDirs(env)).toEqual([mirror]);
  expect(findProviderMirror({ repo: tempDir("repo"), env })).toEqual({ mirror, note: `found ${mirror}` });
});

test("a plugin cache named by TF_PLUGIN_CACHE_DIR counts as a mirror", () => {
  const cache = fakeMirror();
  const env = { HOME: tempDir("home"), TF_PLUGIN_CACHE_DIR: cache };
  expect(impliedDirs(env)[0]).toBe(cache);
  expect(findProviderMirror({ repo: tempDir("repo"), env }).mirror).toBe(cache);
});

test("a TF_PROVIDER_MIRROR without the provider is reported, not searched around", () => {
  const empty = tempDir("empty");
  expect(findProviderMirror({ repo: tempDir("repo"), env: { TF_PROVIDER_MIRROR: empty } })).toEqual({
    note: `TF_PROVIDER_MIRROR=${empty} has no registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}`,
  });
});
