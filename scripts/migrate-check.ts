/**
 * `npm run migrate:check [-- --keep] [-- --no-typecheck]`: proves the CDK Terrain migration
 * (docs/migration-cdk-terrain.md) on a temporary copy of this checkout, without touching it.
 *
 *  1. installs the pinned Terrain set (scripts/cdk-terrain/package.json + lockfile) into a temporary
 *     directory with `npm ci --ignore-scripts` (needs the npm registry or a warm npm cache);
 *  2. copies the checkout's files (`git ls-files`, so uncommitted edits are included) next to it and
 *     applies the rename (scripts/cdk-terrain/rename.ts); the copy's node_modules links every package
 *     of this checkout except cdktf, cdktf-cli, @cdktf/* and constructs, which Node therefore resolves
 *     from the Terrain install one directory up;
 *  3. synthesizes both (`node scripts/synth.mjs`, CDKTF_OUTDIR in the temporary directory) and
 *     compares the whole `stacks/` trees file by file (scripts/cdk-terrain/compare.ts);
 *  4. type-checks the renamed copy against the Terrain typings (`tsc --noEmit`);
 *  5. with Node >= 22.19 (what cdktn-cli 0.24.0 requires), also runs `cdktn synth` in the copy and
 *     requires the same files as step 3; on an older Node it says it skipped this.
 *
 * Exit 0: same Terraform (only the expected generator-version comment differs), 1: differences or
 * type errors (listed), 2: the check itself could not run. Not part of `npm test` (D89).
 */
import { spawnSync, type SpawnSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareTrees, equivalent, formatComparison, listFiles } from "./cdk-terrain/compare";
import { PACKAGE_RENAMES, renameTree, terrainVersions } from "./cdk-terrain/rename";
import { REPO_ROOT, repoPath } from "../tools/repo-root";

const repo = REPO_ROOT;
const CLI_MIN_NODE = [22, 19];
/** Packages of this checkout the copy must not see: the Terrain install provides their successors. */
const REPLACED = new Set([...Object.keys(PACKAGE_RENAMES), "constructs", "@cdktf", ".bin", ".cache"]);

class CheckError extends Error {}

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): { out: string; seconds: number } {
  const start = Date.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  const seconds = (Date.now() - start) / 1000;
  if (r.error) throw new CheckError(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.status !== 0) throw new CheckError(`${cmd} ${args.join(" ")} exited ${r.status}:\n${out.trim()}`);
  return { out, seconds };
}

function step(title: string): void {
  console.log(`\n== ${title}`);
}

function installTerrain(dir: string): void {
  for (const f of ["package.json", "package-lock.json"])
    fs.copyFileSync(repoPath("scripts", "cdk-terrain", f), path.join(dir, f));
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { seconds } = run(npm, ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
  const kb = Number(run("du", ["-sk", path.join(dir, "node_modules")]).out.split(/\s/)[0]);
  const binding = JSON.parse(
    fs.readFileSync(path.join(dir, "node_modules", "@cdktn", "provider-aws", "package.json"), "utf8"),
  );
  const versions = terrainVersions();
  for (const [name, version] of Object.entries(versions)) {
    const got = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version;
    if (got !== version) throw new CheckError(`installed ${name}@${got}, expected ${version}`);
  }
  console.log(
    `installed ${Object.entries(versions)
      .map(([n, v]) => `${n}@${v}`)
      .join(", ")} in ${seconds.toFixed(1)} s, ${Math.round(kb / 1024)} MB`,
  );
  const provider = binding.cdktn?.provider ?? binding.cdktf?.provider;
  console.log(
    `@cdktn/provider-aws ${binding.version} was generated for ${provider?.name} ${provider?.version}; this project pins the provider itself (lib/core/versions.ts, D90)`,
  );
}

function copyCheckout(dest: string): string[] {
  const listed = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repo })
    .out.split("\0")
    .filter(Boolean);
  const files = listed.filter((f) => fs.existsSync(path.join(repo, f)) && fs.statSync(path.join(repo, f)).isFile());
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(path.join(repo, f), path.join(dest, f));
  }
  return files;
}

/** node_modules of the copy: links to this checkout's packages, minus the ones Terrain replaces. */
function linkDependencies(dest: string): number {
  const src = path.join(repo, "node_modules");
  if (!fs.existsSync(src)) throw new CheckError("node_modules is missing: run npm ci first");
  fs.mkdirSync(dest, { recursive: true });
  let n = 0;
  for (const e of fs.readdirSync(src)) {
    if (REPLACED.has(e)) continue;
    if (e.startsWith("@")) {
      fs.mkdirSync(path.join(dest, e));
      for (const s of fs.readdirSync(path.join(src, e))) {
        if (REPLACED.has(`${e}/${s}`)) continue;
        fs.symlinkSync(path.join(src, e, s), path.join(dest, e, s), "dir");
        n++;
      }
    } else if (!e.startsWith(".")) {
      fs.symlinkSync(path.join(src, e), path.join(dest, e), "dir");
      n++;
    }
  }
  return n;
}

function synth(cwd: string, outdir: string): number {
  const env = { ...process.env, CDKTF_OUTDIR: outdir };
  return run(process.execPath, [path.join(cwd, "scripts", "synth.mjs")], { cwd, env }).seconds;
}

function nodeAtLeast([major, minor]: number[]): boolean {
  const [M, m] = process.versions.node.split(".").map(Number);
  return M > major || (M === major && m >= minor);
}

function main(): number {
  const keep = process.argv.includes("--keep");
  const typecheck = !process.argv.includes("--no-typecheck");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdk-terrain-check-"));
  const copy = path.join(tmp, "repo");
  let ok = true;
  try {
    step("1. CDK Terrain packages (temporary install)");
    installTerrain(tmp);

    step("2. Rename in a copy of the checkout");
    const files = copyCheckout(copy);
    const renamed = renameTree(copy, files, terrainVersions());
    console.log(
      `copied ${files.length} files to ${copy}; the rename rewrote ${renamed.changed.length} of them (imports, package.json, cdktf.json)`,
    );
    if (renamed.leftover.length)
      throw new CheckError(`cdktf imports left after the rename:\n  ${renamed.leftover.join("\n  ")}`);
    console.log(
      `linked ${linkDependencies(path.join(copy, "node_modules"))} packages of this checkout (all but ${[...REPLACED].filter((r) => !r.startsWith(".")).join(", ")})`,
    );

    step("3. Synthesize both and compare cdktf.out/stacks/");
    const outCdktf = path.join(tmp, "out-cdktf");
    const outTerrain = path.join(tmp, "out-cdktn");
    const tA = synth(repo, outCdktf);
    const tB = synth(copy, outTerrain);
    console.log(`cdktf build ${tA.toFixed(1)} s, Terrain build ${tB.toFixed(1)} s`);
    const cmp = compareTrees(path.join(outCdktf, "stacks"), path.join(outTerrain, "stacks"));
    console.log(formatComparison(cmp));
    ok = equivalent(cmp);

    if (typecheck) {
      step("4. Type-check the renamed copy against the Terrain typings");
      const tsc = path.join(repo, "node_modules", "typescript", "bin", "tsc");
      const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", path.join(copy, "tsconfig.json")], {
        cwd: copy,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      const errors = `${r.stdout}${r.stderr}`.split("\n").filter((l) => /error TS\d+/.test(l));
      console.log(
        r.status === 0
          ? "tsc --noEmit: no errors"
          : `tsc --noEmit: ${errors.length} error(s)\n  ${errors.slice(0, 40).join("\n  ")}`,
      );
      ok = ok && r.status === 0;
    }

    step("5. cdktn synth (the CLI)");
    if (!nodeAtLeast(CLI_MIN_NODE)) {
      console.log(
        `SKIPPED: cdktn-cli 0.24.0 needs Node >= ${CLI_MIN_NODE.join(".")}.0; this is ${process.version} (the library synthesis above runs on Node 20)`,
      );
    } else {
      const outCli = path.join(tmp, "out-cli");
      const cli = path.join(tmp, "node_modules", "cdktn-cli", "bin", "cdktn");
      const env = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "true", FORCE_COLOR: "0" };
      const { seconds } = run(process.execPath, [cli, "synth", "--output", outCli], {
        cwd: copy,
        env,
        timeout: 300_000,
      });
      const same = compareTrees(path.join(outTerrain, "stacks"), path.join(outCli, "stacks"), []);
      const identical =
        same.identical.length === listFiles(path.join(outTerrain, "stacks")).length && same.onlyTerrain.length === 0;
      console.log(
        identical
          ? `cdktn synth (${seconds.toFixed(1)} s) wrote exactly the files npm run synth wrote`
          : `cdktn synth differs from npm run synth:\n${formatComparison(same, [])}`,
      );
      ok = ok && identical;
    }
  } catch (e) {
    if (!(e instanceof CheckError)) throw e;
    console.error(`\nmigrate:check could not run: ${e.message}`);
    return 2;
  } finally {
    if (keep) console.log(`\nkept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(ok ? "\nmigrate:check: OK" : "\nmigrate:check: FAILED");
  return ok ? 0 : 1;
}

process.exit(main());
