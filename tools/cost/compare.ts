/**
 * `npm run cost -- --compare <git-ref>` / `--baseline <file>`: the estimate of another revision (or a saved
 * report) beside this checkout's. The ref is checked out with `git worktree add --detach` into a temporary
 * directory whose `node_modules` is a symlink to this checkout's (no `npm ci`); that revision's own
 * `scripts/cost.ts` prints its report (through its `scripts/run.mjs` where it has one, else tsx), which is read back with the pipeline's parser (tools/pipeline.ts)
 * and compared with `costDiff` (totals and modules) plus `costLineDiff` (line items).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../terraform";

/** Runs `git` in `cwd`; returns stdout, throws with git's stderr on failure. */
function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export interface RefReport {
  /** The ref as given and the commit it resolved to. */
  readonly ref: string;
  readonly commit: string;
  /** That revision's `npm run cost` output (stdout). */
  readonly text: string;
  /** Set when the ref's package-lock.json differs from this checkout's: its modules ran with ours. */
  readonly lockfileDiffers: boolean;
  readonly seconds: number;
}

/**
 * The `npm run cost` report of `ref`, computed in a temporary worktree of the repository at `repo`.
 * Exit code 1 of the ref's run (a workspace over budget) still yields its report; any other failure throws.
 */
export function costReportOfRef(repo: string, ref: string): RefReport {
  const started = Date.now();
  let commit: string;
  try {
    commit = git(repo, ["rev-parse", "--verify", `${ref}^{commit}`]).trim();
  } catch {
    throw new Error(`--compare ${ref}: not a commit in this repository (git rev-parse --verify ${ref})`);
  }
  const parent = tempDir("cost-compare");
  const tree = path.join(parent, "tree");
  git(repo, ["worktree", "add", "--detach", "--quiet", tree, commit]);
  try {
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(tree, "node_modules"), "dir");
    const lockfileDiffers = git(repo, ["diff", "--name-only", commit, "--", "package-lock.json"]).trim() !== "";
    // The ref's own runner: its cached esbuild bundle (scripts/run.mjs, what its `npm run cost` runs) where it has
    // one, tsx for revisions before it (the bundle is about 1.5 CPU-s cheaper).
    const [command, args] = fs.existsSync(path.join(tree, "scripts", "run.mjs"))
      ? [process.execPath, ["scripts/run.mjs", "cost"]]
      : [path.join(repo, "node_modules", ".bin", "tsx"), ["scripts/cost.ts"]];
    const run = spawnSync(command, args, { cwd: tree, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.error) throw run.error;
    if (run.status !== 0 && run.status !== 1) {
      throw new Error(
        `--compare ${ref}: npm run cost failed in ${commit.slice(0, 12)} (exit ${run.status}):\n${run.stderr.trim()}`,
      );
    }
    return { ref, commit, text: run.stdout, lockfileDiffers, seconds: (Date.now() - started) / 1000 };
  } finally {
    try {
      git(repo, ["worktree", "remove", "--force", tree]);
    } catch {
      /* removed below; `git worktree prune` forgets it */
    }
    fs.rmSync(parent, { recursive: true, force: true });
    git(repo, ["worktree", "prune"]);
  }
}

/** workspace → `module › item` → USD per month: the detail lines of an `npm run cost` report. */
export type CostLines = Record<string, Record<string, number>>;

/** Reads the detail lines (six spaces, item, amount) of `npm run cost` output, keyed by module and item. */
export function parseCostLines(text: string): CostLines {
  const out: CostLines = {};
  let ws: Record<string, number> | undefined;
  let module = "";
  for (const line of text.split("\n")) {
    const header = /^([a-z][a-z0-9-]*(?:\/[a-z][a-z0-9-]*)?) \([a-z0-9-]+\)$/.exec(line);
    if (header) {
      ws = out[header[1]] = {};
      continue;
    }
    const mod = /^ {2}([a-z][a-z0-9_-]*)\s+\$[\d,]+\.\d{2}\b/.exec(line);
    if (mod) {
      module = mod[1];
      continue;
    }
    const item = /^ {6}(.+?)\s+\$([\d,]+\.\d{2})$/.exec(line);
    if (item && ws && module) ws[`${module} › ${item[1]}`] = Number(item[2].replace(/,/g, ""));
  }
  return out;
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const delta = (n: number) => (Math.abs(n) < 0.005 ? "±$0.00" : `${n > 0 ? "+" : "−"}$${Math.abs(n).toFixed(2)}`);

/**
 * The line items that differ, per workspace: changed amounts, and lines only in one report (an item whose
 * text changed, e.g. another node type, shows as one line gone and one line new).
 */
export function costLineDiff(base: CostLines, head: CostLines): string {
  const out: string[] = [];
  for (const ws of [...new Set([...Object.keys(head), ...Object.keys(base)])]) {
    const b = base[ws] ?? {};
    const h = head[ws] ?? {};
    const rows: string[] = [];
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(h)])]) {
      if (!(key in h)) rows.push(`- ${ws} / ${key}: ${usd(b[key])} → gone (${delta(-b[key])})`);
      else if (!(key in b)) rows.push(`- ${ws} / ${key}: new ${usd(h[key])} (${delta(h[key])})`);
      else if (Math.abs(h[key] - b[key]) >= 0.005)
        rows.push(`- ${ws} / ${key}: ${usd(b[key])} → ${usd(h[key])} (${delta(h[key] - b[key])})`);
    }
    out.push(...rows);
  }
  return (out.length ? ["Line items that changed:", ...out] : ["No line item changed."]).join("\n") + "\n";
}

export type CostArgs =
  | { mode: "report" }
  | { mode: "compare"; ref: string }
  | { mode: "baseline"; file: string }
  | { mode: "save"; file: string };

/** Parses `npm run cost` arguments; throws the usage line on anything else. */
export function parseCostArgs(argv: readonly string[]): CostArgs {
  const usage = "usage: npm run cost [-- --compare <git-ref> | --baseline <file> | --save-baseline <file>]";
  if (argv.length === 0) return { mode: "report" };
  const [flag, value, ...rest] = argv;
  if (rest.length || !value || value.startsWith("--")) throw new Error(usage);
  if (flag === "--compare") return { mode: "compare", ref: value };
  if (flag === "--baseline") return { mode: "baseline", file: value };
  if (flag === "--save-baseline") return { mode: "save", file: value };
  throw new Error(usage);
}
