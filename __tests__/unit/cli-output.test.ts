/**
 * What the operator commands print, spawned as an operator types them (`npm run <script> -- …` in the repository):
 * `synth` says what it wrote, `docs` names only the files it changed and honours `--product`, and a bad environment
 * file or an unknown product is a clean message (no stack trace) naming the product and the file, from `policy`,
 * `addresses` and `docs` alike. Commands that edit files run in a copy of the repository (its sources, with the
 * repository's node_modules linked), so the checkout is never touched.
 */
import { spawnSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PRODUCTS, productById } from "../../environments";
import { tempDir } from "../../tools/terraform";

const REPO = path.join(__dirname, "..", "..");
/** What a copy of the repository leaves out: outputs, caches and history (node_modules is linked instead). */
const NOT_COPIED = new Set(["node_modules", "cdktf.out", ".git", "coverage", "state-backups"]);

function npmRun(cwd: string, script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.TF_WORKSPACE;
  delete base.CDKTF_OUTDIR;
  const r = spawnSync("npm", ["run", script, ...(args.length ? ["--", ...args] : [])], {
    cwd,
    encoding: "utf8",
    env: { ...base, CHECKPOINT_DISABLE: "1", NO_COLOR: "1", ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the repository's sources whose node_modules is the repository's own. */
function repositoryCopy(): string {
  const copy = path.join(tempDir("cli-output"), "repo");
  fs.cpSync(REPO, copy, {
    recursive: true,
    filter: (src) => !NOT_COPIED.has(path.relative(REPO, src).split(path.sep)[0]),
  });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(copy, "node_modules"), "dir");
  return copy;
}

const STACK_FRAME = /^\s+at .+[:(]/m;

/** A PATH with only node, npm and the shell npm runs scripts with: a machine without Terraform (or anything else). */
function nodeOnlyPath(): string {
  const bin = tempDir("node-only-bin");
  const onPath = (name: string) => {
    const found = (process.env.PATH ?? "")
      .split(path.delimiter)
      .map((d) => path.join(d, name))
      .find((f) => fs.existsSync(f));
    if (!found) throw new Error(`no ${name} on PATH`);
    return fs.realpathSync(found);
  };
  fs.symlinkSync(process.execPath, path.join(bin, "node"));
  for (const name of ["npm", "sh"]) fs.symlinkSync(onPath(name), path.join(bin, name));
  return bin;
}

// One spawn for three promises of `npm run synth -- <product>` (AI Techne, the smallest product; the CLI and cdktf's
// App are the same for every product): the runbook's first step works from a fresh checkout (cdktf.out absent),
// on a machine without Terraform (no binary version probes), and its last line says what it wrote and where.
test("npm run synth -- <product>, fresh and without Terraform, writes the product's directories and ends with one line naming its workspaces and their directory", () => {
  const out = path.join(tempDir("cli-synth"), "cdktf.out");
  const aitechne = productById("aitechne");
  const bin = nodeOnlyPath();
  expect(fs.readdirSync(bin).sort()).toEqual(["node", "npm", "sh"]);
  const r = npmRun(REPO, "synth", [aitechne.id], { CDKTF_OUTDIR: out, PATH: bin });
  expect(r.stderr).not.toContain("Could not determine version of terraform");
  expect(r.stderr).not.toContain("ENOENT");
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  const lines = r.stdout.split("\n").filter((l) => l.startsWith("synth: "));
  const dir = path.join(out, aitechne.outDir, "stacks");
  const workspaces = Object.keys(aitechne.environments);
  expect(lines).toEqual([`synth: ${aitechne.id} ${workspaces.join(", ")} + bootstrap → ${dir}/`]);
  // The line tells the truth: every workspace it names is a directory where it says, and nothing else is.
  expect(fs.readdirSync(dir).sort()).toEqual(["bootstrap", ...workspaces].sort());
  for (const ws of workspaces) expect(fs.existsSync(path.join(dir, ws, "cdk.tf.json"))).toBe(true);
});

describe("in a copy of the repository", () => {
  let copy: string;
  beforeAll(() => {
    copy = repositoryCopy();
  });

  test("npm run docs -- --product <id> says up to date when nothing changed, then rewrites only that product's changed file", () => {
    // AI Techne: the smallest product to synthesize; the command is the same for every product.
    const aitechne = productById("aitechne");
    const productRunbook = path.join(
      copy,
      "docs",
      "runbooks",
      aitechne.outDir,
      `${Object.keys(aitechne.environments)[0]}.md`,
    );
    const otherRunbook = path.join(copy, "docs", "runbooks", "dev.md");
    const first = npmRun(copy, "docs", ["--product", aitechne.id]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^docs: aitechne: up to date \(\d+ generated files?\)$/m);
    expect(first.stdout).not.toMatch(/updated/);

    const stale = "stale by hand\n";
    fs.appendFileSync(productRunbook, stale);
    fs.appendFileSync(otherRunbook, stale);
    const second = npmRun(copy, "docs", ["--product", aitechne.id]);
    expect(second.code).toBe(0);
    expect(second.stdout.split("\n").filter((l) => /updated/.test(l))).toEqual([
      `  updated ${path.relative(copy, productRunbook)}`,
      expect.stringMatching(/^docs: aitechne: 1 of \d+ files? updated$/),
    ]);
    expect(fs.readFileSync(productRunbook, "utf8").endsWith(stale)).toBe(false);
    // Another product's file is not this run's: it stays as it was.
    expect(fs.readFileSync(otherRunbook, "utf8").endsWith(stale)).toBe(true);
  });

  describe("a bad environment file in another product than EduAutismo", () => {
    beforeAll(() => {
      const file = path.join(copy, "environments", "atena", "prod.ts");
      const text = fs.readFileSync(file, "utf8");
      const broken = text.replace(/vpcCidr: "[^"]+"/, 'vpcCidr: "not-a-cidr"');
      expect(broken).not.toBe(text);
      fs.writeFileSync(file, broken);
    });

    test.each(["policy", "addresses", "docs"])(
      "npm run %s refuses it with the product, the file, the field and the rule, and no stack trace",
      (script) => {
        const r = npmRun(copy, script, ["--product", "atena"]);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          "Invalid environment configuration:\n  atena (environments/atena/prod.ts): prod.network.vpcCidr: not-a-cidr",
        );
        expect(r.stderr).not.toMatch(STACK_FRAME);
      },
    );
  });
});

// policy already refused an unknown product cleanly; addresses and docs share its handling now (runCommand).
test.each(["addresses", "docs"])(
  "npm run %s -- --product <unknown> is one line naming the products, exit code 2, no stack trace",
  (script) => {
    const r = npmRun(REPO, script, ["--product", "nosuch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${script}: no product "nosuch" (products: ${PRODUCTS.map((p) => p.id).join(", ")})`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  },
);

// Formerly runner.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("scripts/run.mjs, the runner of every npm run command", () => {
  /**
   * scripts/run.mjs, the runner of every `npm run` command: a cached esbuild bundle per command. Checked in a
   * small temporary copy (the runner, tools/repo-root.ts and a two-file command) so no test builds the real
   * commands or touches this checkout's cache.
   */
  const repo = path.join(__dirname, "..", "..");

  /** A repository with the runner and one command, scripts/hello.ts, that prints a value of lib/greet.ts. */
  function miniRepo(): string {
    const dir = tempDir("runner");
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    for (const f of ["scripts/run.mjs", "tools/repo-root.ts", "tsconfig.json"])
      write(f, fs.readFileSync(path.join(repo, f), "utf8"));
    write("package.json", "{}\n");
    // Only esbuild is needed; the copy's own node_modules holds the cache.
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(path.join(repo, "node_modules", "esbuild"), path.join(dir, "node_modules", "esbuild"), "dir");
    write("lib/greet.ts", 'export const greeting: string = "one";\n');
    write(
      "scripts/hello.ts",
      [
        'import { greeting } from "../lib/greet";',
        'import { isCommand, REPO_ROOT } from "../tools/repo-root";',
        'console.log([greeting, ...process.argv.slice(2)].join(" "));',
        'console.log(`root=${REPO_ROOT} command=${isCommand("scripts/hello.ts")}`);',
        "process.exitCode = 3;",
      ].join("\n"),
    );
    return dir;
  }

  function hello(dir: string, ...args: string[]) {
    return spawnSync(process.execPath, ["scripts/run.mjs", "hello", ...args], { cwd: dir, encoding: "utf8" });
  }

  test("a command whose imported module changed after its bundle was built runs the changed code", () => {
    const dir = miniRepo();
    expect(hello(dir, "a").stdout).toMatch(/^one a\n/);
    fs.writeFileSync(path.join(dir, "lib", "greet.ts"), 'export const greeting: string = "two";\n');
    expect(hello(dir, "a").stdout).toMatch(/^two a\n/);
  });

  test("a bundled command keeps its arguments and exit code, finds the repository and knows it is the command", () => {
    const dir = miniRepo();
    const r = hello(dir, "production", "cache", "--json");
    expect(r.status).toBe(3);
    expect(r.stdout).toBe(`one production cache --json\nroot=${dir} command=true\n`);
  });

  test("commands started at the same moment on a cold cache all run (builds never expose a partial bundle)", async () => {
    const dir = miniRepo();
    const runs = Array.from(
      { length: 3 },
      (_, i) =>
        new Promise<string>((resolve) => {
          const p = spawn(process.execPath, ["scripts/run.mjs", "hello", String(i)], { cwd: dir });
          let out = "";
          let err = "";
          p.stdout.on("data", (d) => (out += d));
          p.stderr.on("data", (d) => (err += d));
          // A failed run shows its stderr in the assertion's difference.
          p.on("close", (code) => resolve(`${code} ${out.split("\n")[0]}${err}`));
        }),
    );
    expect(await Promise.all(runs)).toEqual(["3 one 0", "3 one 1", "3 one 2"]);
  });

  test("an unknown command name is refused with exit 2, without a stack trace", () => {
    const r = spawnSync(process.execPath, ["scripts/run.mjs", "no-such-command"], { cwd: repo, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no command "no-such-command"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
