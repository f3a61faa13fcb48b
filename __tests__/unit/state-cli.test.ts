/** `npm run state` argument handling and the provider-mirror search of the newcomer path. */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "../../scripts/state";
import { cliConfigDirs, findProviderMirror, impliedDirs } from "../../lib/tools/provider-mirror";
import { AWS_PROVIDER_VERSION } from "../../lib/core/versions";
import { tempDir } from "../helpers/synth";

test("npm run state -- list keeps the command when --dir is absent", () => {
  expect(parseArgs(["list"])).toEqual({ dir: undefined, positional: ["list"] });
});

test("--dir and its value are taken out wherever they appear", () => {
  expect(parseArgs(["restore", "--dir", "cdktf.out/stacks/dev", "state-backups/dev/x.tfstate"])).toEqual({
    dir: "cdktf.out/stacks/dev",
    positional: ["restore", "state-backups/dev/x.tfstate"],
  });
  expect(parseArgs(["--dir=.", "backup"])).toEqual({ dir: ".", positional: ["backup"] });
});

function fakeMirror(): string {
  const dir = tempDir("mirror");
  fs.mkdirSync(path.join(dir, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION), { recursive: true });
  return dir;
}

test("the provider mirror named in the operator's ~/.terraformrc is found", () => {
  const mirror = fakeMirror();
  const home = tempDir("home");
  fs.writeFileSync(path.join(home, ".terraformrc"), `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
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
