#!/usr/bin/env node
/**
 * `npm run <command>` (package.json: `node scripts/run.mjs <name>`): runs a TypeScript command from a
 * cached esbuild bundle instead of through tsx (2–2.7 CPU-s less per command). `synth` runs
 * main.ts (scripts/synth.mjs, cdktf.json "app"); every other name runs scripts/<name>.ts.
 *
 * The entry and the repository modules it imports are bundled into one CommonJS file,
 * node_modules/.cache/run/<name>-<key>.cjs, with a linked source map, so stack traces name the .ts
 * files. Packages (cdktf, constructs, @cdktf/provider-aws/lib/..., zod, …) are not bundled: they stay
 * `require`s that Node resolves from node_modules as before (bundling them too measured no faster,
 * and cdktf/lib/private/fs.js runs itself through __filename). The key hashes the content of every
 * .ts file of the repository and every images.json under environments/ (the deployed image tags a
 * bundle inlines; except node_modules, cdktf.out, __tests__ and dot-directories), package.json,
 * package-lock.json, tsconfig.json, this file, and the esbuild and Node versions: one key for every
 * bundle, so any change rebuilds (a fraction of a second) and otherwise a bundle is just loaded; a
 * build refuses to write a bundle with an input outside the key. Like tsx, esbuild only strips
 * types: `npm run typecheck` is the type check.
 *
 * What an operator sees is the script's own: its arguments (process.argv[1] is the .ts file, as
 * under tsx), stdin, env vars, working directory (npm's package root; INIT_CWD the caller's), output
 * and exit code. Inside a bundle `__dirname` is the cache directory: the repository root comes from
 * tools/repo-root.ts (REPO_ROOT, set here through esbuild `define`). Concurrent runs are safe: files
 * are written under a temporary name and renamed. RUN_REBUILD=1 (or SYNTH_REBUILD=1) forces a rebuild.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const self = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(self), "..");
const cacheDir = path.join(repo, "node_modules", ".cache", "run");
const require = createRequire(self);

/** Directories whose .ts files are not part of a command (or not source at all). */
const SKIP_DIRS = new Set(["node_modules", "cdktf.out", "__tests__", "coverage", "state-backups"]);
/** Non-.ts inputs of the key, relative to the repository. */
const EXTRA_INPUTS = ["package.json", "package-lock.json", "tsconfig.json"];
/** Name of the generated entry in a bundle and its source map. */
const ENTRY_SHIM = "run-entry";
/** Bundles kept per command (a concurrent run with other sources may still be loading an older one). */
const KEEP_BUNDLES = 4;

/** The .ts file a command name runs: `synth` → main.ts, `rollout` → scripts/rollout.ts. */
export function entryOf(name) {
  if (name === "synth") return path.join(repo, "main.ts");
  const file = path.join(repo, "scripts", `${name}.ts`);
  return /^[a-z][a-z-]*$/.test(name) && fs.existsSync(file) ? file : undefined;
}

function tsFiles(dir, rel, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!e.name.startsWith(".") && !SKIP_DIRS.has(e.name))
        tsFiles(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name, out);
    } else if (e.name.endsWith(".ts") || e.name === "images.json") {
      out.push(rel ? `${rel}/${e.name}` : e.name);
    }
  }
  return out;
}

function esbuildVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(repo, "node_modules", "esbuild", "package.json"), "utf8")).version;
  } catch {
    return "none";
  }
}

/** The hashed inputs (relative paths) and the key. */
function cacheKey() {
  const files = tsFiles(repo, "", []).sort();
  const hash = createHash("sha256");
  hash.update(`${repo}\0node ${process.version}\0esbuild ${esbuildVersion()}\0`);
  hash.update(fs.readFileSync(self));
  for (const f of [...files, ...EXTRA_INPUTS]) {
    let content;
    try {
      content = fs.readFileSync(path.join(repo, f));
    } catch {
      content = "<missing>";
    }
    hash.update(`\0${f}\0${content.length}\0`);
    hash.update(content);
  }
  return { files: new Set(files), key: hash.digest("hex").slice(0, 20) };
}

/** Writes esbuild's output files, the map first (a bundle on disk always has its map), each atomically. */
function writeOutputs(outputFiles) {
  for (const out of [...outputFiles].sort(
    (a, b) => Number(b.path.endsWith(".map")) - Number(a.path.endsWith(".map")),
  )) {
    let contents = out.contents;
    if (out.path.endsWith(".map")) {
      // Absolute sources: traces name this checkout's files even when node_modules is a symlink
      // (Node resolves relative sources against the bundle's real path).
      const map = JSON.parse(out.text);
      map.sources = map.sources.map((src) =>
        src === ENTRY_SHIM ? src : pathToFileURL(path.resolve(path.dirname(out.path), src)).href,
      );
      contents = JSON.stringify(map);
    }
    const partial = `${out.path}.${process.pid}.tmp`;
    fs.writeFileSync(partial, contents);
    fs.renameSync(partial, out.path);
  }
}

/** Keeps the few newest bundles of each command and drops partial files a killed build left behind. */
function prune() {
  // A concurrent build may rename or remove a file between the listing and its stat: such a file is skipped.
  const entries = fs.readdirSync(cacheDir).flatMap((f) => {
    const stat = fs.statSync(path.join(cacheDir, f), { throwIfNoEntry: false });
    return stat ? [{ f, t: stat.mtimeMs }] : [];
  });
  const byName = new Map();
  for (const e of entries) {
    const m = /^([a-z-]+)-\w+\.cjs$/.exec(e.f);
    if (m) byName.set(m[1], [...(byName.get(m[1]) ?? []), e]);
  }
  const old = [...byName.values()].flatMap((list) =>
    list
      .sort((a, b) => b.t - a.t)
      .slice(KEEP_BUNDLES)
      // A bundle written in the last minutes may be one a concurrent run (another checkout sharing this
      // node_modules, with another key) is about to load: it goes at a later build.
      .filter(({ t }) => t < Date.now() - 300_000)
      .flatMap(({ f }) => [f, `${f}.map`]),
  );
  const stale = entries.filter(({ f, t }) => f.endsWith(".tmp") && t < Date.now() - 60_000).map(({ f }) => f);
  for (const f of [...old, ...stale]) fs.rmSync(path.join(cacheDir, f), { force: true });
}

/** Bundles the entry and the repository's modules; packages stay plain `require`s of node_modules. */
async function build(entry, outfile, covered) {
  const esbuild = require("esbuild");
  const result = await esbuild.build({
    absWorkingDir: repo,
    // The entry runs when the runner calls the export, not when the bundle loads (see below).
    stdin: {
      contents: `module.exports = () => require(${JSON.stringify(entry)});`,
      resolveDir: repo,
      sourcefile: ENTRY_SHIM,
      loader: "js",
    },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    tsconfig: path.join(repo, "tsconfig.json"),
    define: { __REPO_ROOT__: JSON.stringify(repo) }, // tools/repo-root.ts
    outfile,
    write: false,
    sourcemap: "linked",
    sourcesContent: false,
    keepNames: true,
    logLevel: "error", // a syntax error is printed like tsx would, with file and line
    metafile: true,
  });
  // Every input must be part of the key, or editing it would not rebuild.
  const uncovered = Object.keys(result.metafile.inputs).filter((f) => f !== ENTRY_SHIM && !covered.has(f));
  if (uncovered.length)
    throw new Error(
      `scripts/run.mjs: bundle inputs outside the cache key: ${uncovered.join(", ")} (add them to EXTRA_INPUTS)`,
    );
  writeOutputs(result.outputFiles);
  prune();
}

/** Runs command `name` (argv after it is the command's own) from its bundle, building it if needed. */
export async function runCommand(name) {
  const entry = entryOf(name);
  if (!entry) {
    console.error(`scripts/run.mjs: no command "${name ?? ""}" (main.ts for synth, else scripts/<name>.ts)`);
    process.exit(2);
  }
  const { key, files } = cacheKey();
  const bundle = path.join(cacheDir, `${name}-${key}.cjs`);
  const forced = process.env.RUN_REBUILD === "1" || process.env.SYNTH_REBUILD === "1";
  if (forced || !fs.existsSync(bundle)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    try {
      await build(entry, bundle, files);
    } catch (e) {
      if (!Array.isArray(e?.errors)) throw e;
      process.exit(1); // esbuild has printed the errors
    }
  }
  // Stack traces name the .ts files: the source map is registered when the bundle is compiled, but
  // Node maps every stack trace while maps are on, and cdktf captures one for each token it makes
  // (hundreds of ms). So maps are on to load, off to run, and on again for an error that escapes.
  process.setSourceMapsEnabled(true);
  const run = require(bundle);
  process.setSourceMapsEnabled(false);
  process.argv[1] = entry;
  try {
    run();
  } finally {
    process.setSourceMapsEnabled(true);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const name = process.argv[2];
  process.argv.splice(2, 1);
  await runCommand(name);
}
