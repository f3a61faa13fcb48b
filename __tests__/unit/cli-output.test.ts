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
import { parseArgs } from "../../scripts/state";
import { cliConfigDirs, findProviderMirror, impliedDirs, isMirror } from "../../tools/provider-mirror";
import { directoryIdentity, foreignEvidence, readBackup } from "../../tools/state-backup";
import { AWS_PROVIDER_VERSION } from "../../lib/core/versions";
import { synthAll, synthProduct } from "../helpers/synth";
import { bashSync } from "../helpers/operator";

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
describe("the shell a test types its lines in (bashSync)", () => {
  // A bash with a socket on stdin (Node's `pipe`) and no SHLVL reads ~/.bashrc even with -c; a bashrc that puts its own
  // directories first (a pyenv init) once made a full Terraform-layer run find a real `aws` before the test's fake.
  test("a shell line never reads the machine's ~/.bashrc: the test's PATH is the PATH it runs with", () => {
    const home = tempDir("bashrc-home");
    fs.writeFileSync(path.join(home, ".bashrc"), 'export PATH="/from-bashrc:$PATH"\n');
    const env = { HOME: home, PATH: "/usr/bin:/bin" };
    const r = bashSync(["-c", "echo $PATH"], { env, encoding: "utf8" });
    expect(r.stdout.trim()).toBe("/usr/bin:/bin");
  });
});

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

// Formerly state-cli.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("npm run state and the provider-mirror search", () => {
  /** `npm run state` argument handling and the provider-mirror search of the newcomer path. */
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
});

describe("npm run bench", () => {
  test("refuses a flag it does not know at once, instead of measuring for minutes with it ignored", () => {
    const r = npmRun(REPO, "bench", ["--runz", "2"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown argument --runz");
  });
});
