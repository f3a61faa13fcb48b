/**
 * Memo of the offline runner's read-only Terraform commands (docs/decisions.md D87), for the test
 * run: `plan`, `show -json <planfile>` and `providers schema -json` are pure functions of what
 * Terraform reads, so a command whose inputs are byte-for-byte those of an earlier one in the same
 * run gets the earlier one's result (exit code, output, and the saved plan file) instead of starting
 * the ~700 MB provider again. Enabled only when TF_MEMO_DIR names a directory (the test run's global
 * setup sets it; TF_MEMO=0 turns it off); never used by operator tools or the operator tests.
 *
 * The key of a plan is everything Terraform reads for it in a test copy of a synthesized directory:
 *  - every configuration and variables file (`*.tf`, `*.tf.json`, `*.tfvars`, `*.tfvars.json`) and
 *    the dependency lock file, by path and content (a synthesized directory reads no other file: it
 *    calls no file functions, which a unit test checks);
 *  - the selected workspace (`.terraform/environment`, TF_WORKSPACE) and that workspace's state file
 *    (its bytes, or its absence), TF_VAR_* variables;
 *  - the command line, except the `-out=` file name (replayed under the caller's name).
 * A `show -json` is keyed by the plan file's bytes and the lock file; `providers schema -json` by the
 * lock file (the same provider build reports the same schema).
 *
 * Workers of one run share the memo through files; one computes a key while others wait for it.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { TfResult } from "./terraform-cli";

/** Bumped when what a memo entry holds changes. */
const FORMAT = "1";
const CONFIG_FILE = /(\.tf|\.tf\.json|\.tfvars|\.tfvars\.json)$/;
/** Directories of a working copy that hold no configuration: providers, workspace states. */
const NOT_CONFIG = new Set([".terraform", "terraform.tfstate.d", "state-backups"]);

export function memoDir(): string | undefined {
  const dir = process.env.TF_MEMO_DIR;
  return dir && process.env.TF_MEMO !== "0" && fs.existsSync(dir) ? dir : undefined;
}

const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function configFiles(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!(rel === "" && NOT_CONFIG.has(e.name))) out.push(...configFiles(dir, p));
    } else if (e.isFile() && (CONFIG_FILE.test(e.name) || p === ".terraform.lock.hcl")) out.push(p);
  }
  return out.sort();
}

function readOr(file: string, absent: string): string {
  return fs.existsSync(file) ? sha(fs.readFileSync(file)) : absent;
}

/** The selected workspace of a working directory, as Terraform determines it. */
export function selectedWorkspace(dir: string): string {
  if (process.env.TF_WORKSPACE) return process.env.TF_WORKSPACE;
  const env = path.join(dir, ".terraform", "environment");
  return fs.existsSync(env) ? fs.readFileSync(env, "utf8").trim() || "default" : "default";
}

/** The `-out=` file of a plan command line, if any. */
export function outFile(args: readonly string[]): string | undefined {
  return args.find((a) => a.startsWith("-out="))?.slice("-out=".length);
}

/**
 * The memo key of `terraform <args>` in `dir`, or undefined when the command is not memoized.
 * Exported for the unit test that shows each input changes the key.
 */
export function memoKey(dir: string, args: readonly string[]): string | undefined {
  const lock = readOr(path.join(dir, ".terraform.lock.hcl"), "no-lock");
  const [cmd, ...rest] = args;
  if (cmd === "providers" && rest.join(" ") === "schema -json") return sha(JSON.stringify([FORMAT, "schema", lock]));
  if (cmd === "show" && rest.length === 2 && rest[0] === "-json") {
    const file = path.join(dir, rest[1]);
    return fs.existsSync(file) ? sha(JSON.stringify([FORMAT, "show", lock, sha(fs.readFileSync(file))])) : undefined;
  }
  if (cmd !== "plan") return undefined;
  const ws = selectedWorkspace(dir);
  const state =
    ws === "default"
      ? path.join(dir, "terraform.tfstate")
      : path.join(dir, "terraform.tfstate.d", ws, "terraform.tfstate");
  const vars = Object.entries(process.env)
    .filter(([k]) => k.startsWith("TF_VAR_"))
    .sort();
  const files = configFiles(dir).map((f) => [f, sha(fs.readFileSync(path.join(dir, f)))]);
  return sha(
    JSON.stringify([
      FORMAT,
      "plan",
      args.filter((a) => !a.startsWith("-out=")),
      ws,
      readOr(state, "no-state"),
      vars,
      files,
    ]),
  );
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface Entry {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The `-out=` name the outputs were recorded with. */
  readonly out?: string;
}

/** Plan output names its -out file in two places; the replay names the caller's. */
function renameOut(text: string, from: string | undefined, to: string | undefined): string {
  if (!from || !to || from === to) return text;
  return text
    .split(`Saved the plan to: ${from}`)
    .join(`Saved the plan to: ${to}`)
    .split(`terraform apply "${from}"`)
    .join(`terraform apply "${to}"`);
}

/**
 * Runs `run()` for `terraform <args>` in `dir`, or replays the memoized result of the same inputs.
 * A plan's saved file is replayed into the caller's `-out=` path.
 */
export function memoized(
  dir: string,
  args: readonly string[],
  run: () => TfResult,
  plainText: (s: string) => string,
): TfResult {
  const root = memoDir();
  const key = root ? memoKey(dir, args) : undefined;
  if (!root || !key) return run();
  const entryFile = path.join(root, `${key}.json`);
  const planFile = path.join(root, `${key}.tfplan`);
  const out = outFile(args);
  const replay = (): TfResult => {
    const e = JSON.parse(fs.readFileSync(entryFile, "utf8")) as Entry;
    if (out && e.code === 0) fs.copyFileSync(planFile, path.join(dir, out));
    const stdout = renameOut(e.stdout, e.out, out);
    const stderr = renameOut(e.stderr, e.out, out);
    return { code: e.code, stdout, stderr, text: plainText(stdout + "\n" + stderr) };
  };
  const lock = path.join(root, `${key}.lock`);
  for (let waited = 0; ; waited += 200) {
    if (fs.existsSync(entryFile)) return replay();
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Another worker is computing this key; a lock older than 10 minutes is abandoned.
      if (waited > 600_000) break;
      sleep(200);
    }
  }
  try {
    if (fs.existsSync(entryFile)) return replay();
    const r = run();
    if (out && r.code === 0) {
      fs.copyFileSync(path.join(dir, out), `${planFile}.tmp`);
      fs.renameSync(`${planFile}.tmp`, planFile);
    }
    const entry: Entry = { code: r.code, stdout: r.stdout, stderr: r.stderr, out };
    fs.writeFileSync(`${entryFile}.tmp`, JSON.stringify(entry));
    fs.renameSync(`${entryFile}.tmp`, entryFile);
    return r;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
