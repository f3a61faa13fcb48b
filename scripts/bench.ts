/**
 * `npm run bench`: wall time and peak memory of (a) synthesis of every workspace, (b) the unit test
 * layer, (c) one offline `terraform plan -target=module.cache` in production, each over several runs
 * (median, min, max), (d) the same synthesis through ts-node (type-checking) as the reference, and
 * (e) the whole Terraform layer (`npm run test:terraform`'s jest command), once (BENCH_TF_RUNS), with
 * each test file's time; BENCH_TF_RUNS=0 or no TF_PROVIDER_MIRROR skips it.
 * (a) runs the `synth` script of package.json, as `npm run synth` does: once with a forced rebuild of
 * its cached bundle (`synthCold`, one run), then BENCH_RUNS times warm (`synth`, the budgeted figure).
 * Budgets (CPU seconds, declared once in tools/bench.ts and listed in the README). Progress lines go to
 * stderr as each step starts. Writes bench/results/<time>.json and exits 1 when a budget is blown. Runs:
 * BENCH_RUNS (default 3). Flags: `--runs <n>` and `--terraform-runs <n>` (0 skips the Terraform layer) override the
 * two variables; `--help` prints the usage; anything else is refused (exit 2) before a minute is spent.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BENCH_BUDGETS, budgetLine } from "../tools/bench";
import { tempDir, terraformOk, workdirFrom } from "../tools/terraform";
import { synthesize } from "../platform";
import { REPO_ROOT } from "../tools/repo-root";

const repo = REPO_ROOT;

const USAGE = `usage: npm run bench [-- [--runs <n>] [--terraform-runs <n>]]
  Times synthesis, the unit layer, one targeted production plan and the Terraform layer, and holds the
  CPU-second medians to the budgets of tools/bench.ts (exit 1 when one is blown).
  --runs <n>            runs per measured step (default: BENCH_RUNS or 3)
  --terraform-runs <n>  runs of the Terraform layer, 0 skips it (default: BENCH_TF_RUNS or 1)`;

/** The flags, or a refusal naming the bad one. */
function parseArgs(argv: string[]): { runs?: number; tfRuns?: number; help?: boolean } | string {
  const out: { runs?: number; tfRuns?: number; help?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") out.help = true;
    else if (a === "--runs" || a === "--terraform-runs") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < (a === "--runs" ? 1 : 0))
        return `bench: ${a} needs a whole number${a === "--runs" ? " ≥ 1" : " ≥ 0"}, got ${argv[i] ?? "nothing"}`;
      if (a === "--runs") out.runs = n;
      else out.tfRuns = n;
    } else return `bench: unknown argument ${a} (npm run bench -- --help)`;
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
if (typeof args === "string" || args.help) {
  if (typeof args === "string") console.error(args);
  else console.log(USAGE);
  process.exit(typeof args === "string" ? 2 : 0);
}
const RUNS = args.runs ?? Number(process.env.BENCH_RUNS ?? 3);
const TF_RUNS = args.tfRuns ?? Number(process.env.BENCH_TF_RUNS ?? 1);
const GNU_TIME = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

interface Sample {
  readonly seconds: number;
  /** Peak resident set, MB (GNU time's %M), when /usr/bin/time exists. */
  readonly peakMb?: number;
  /** User + system CPU seconds of the command and its children (GNU time's %U + %S): on a shared machine, steadier than wall time. */
  readonly cpu?: number;
}

function measure(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Sample {
  const start = process.hrtime.bigint();
  const full = GNU_TIME ? [GNU_TIME, ["-f", "__PEAK_KB=%M __CPU=%U+%S", cmd, ...args]] : [cmd, args];
  const r = spawnSync(full[0] as string, full[1] as string[], {
    cwd: opts.cwd ?? repo,
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  const kb = /__PEAK_KB=(\d+)/.exec(r.stderr ?? "");
  const cpu = /__CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? "");
  return {
    seconds,
    peakMb: kb ? Number(kb[1]) / 1024 : undefined,
    cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined,
  };
}

function stats(samples: Sample[]) {
  const s = samples.map((x) => x.seconds).sort((a, b) => a - b);
  const peaks = samples.map((x) => x.peakMb).filter((x): x is number => x !== undefined);
  const cpus = samples
    .map((x) => x.cpu)
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b);
  return {
    cpuMedian: cpus.length ? cpus[Math.floor(cpus.length / 2)] : undefined,
    runs: s.length,
    median: s[Math.floor(s.length / 2)],
    min: s[0],
    max: s[s.length - 1],
    peakMb: peaks.length ? Math.max(...peaks) : undefined,
  };
}

/** One progress line on stderr, so a run of several minutes shows where it is. */
function progress(step: string): void {
  process.stderr.write(`bench: ${step}\n`);
}

function repeat(n: number, fn: () => Sample, label?: string): Sample[] {
  return Array.from({ length: n }, (_, i) => {
    if (label) progress(`${label} (run ${i + 1}/${n})`);
    return fn();
  });
}

type Stats = ReturnType<typeof stats>;
type Skippable = Stats | { skipped: string };

/** The targeted cache plan of production, RUNS times (needs the provider mirror). */
function planBench(tmp: () => string): Skippable {
  if (!process.env.TF_PROVIDER_MIRROR) return { skipped: "TF_PROVIDER_MIRROR is not set" };
  const outdir = tmp();
  progress("plan -target=module.cache in production: init");
  synthesize({ outdir });
  const dir = workdirFrom(path.join(outdir, "stacks", "production"));
  terraformOk(dir, ["init", "-input=false"]);
  terraformOk(dir, ["workspace", "new", "production"]);
  return stats(
    repeat(
      RUNS,
      () => {
        const start = process.hrtime.bigint();
        terraformOk(dir, [
          "plan",
          "-input=false",
          "-var-file=environments/production/terraform.tfvars",
          "-target=module.cache",
          "-out=tfplan-cache",
        ]);
        return { seconds: Number(process.hrtime.bigint() - start) / 1e9 };
      },
      "plan -target=module.cache in production",
    ),
  );
}

/** The Terraform layer as `npm run test:terraform` runs it, with each file's time from jest's report. */
function terraformLayerBench(tmp: () => string): { tfLayer: Skippable; tfFiles: Record<string, number>[] } {
  if (!process.env.TF_PROVIDER_MIRROR || TF_RUNS === 0)
    return {
      tfLayer: { skipped: process.env.TF_PROVIDER_MIRROR ? "BENCH_TF_RUNS=0" : "TF_PROVIDER_MIRROR is not set" },
      tfFiles: [],
    };
  const samples: Sample[] = [];
  const tfFiles: Record<string, number>[] = [];
  for (let i = 0; i < TF_RUNS; i++) {
    progress(`Terraform layer (run ${i + 1}/${TF_RUNS}, several minutes)`);
    const report = path.join(tmp(), "jest.json");
    samples.push(
      measure(path.join(repo, "node_modules", ".bin", "jest"), [
        "--selectProjects",
        "terraform",
        "--maxWorkers=2",
        "--silent",
        "--json",
        `--outputFile=${report}`,
      ]),
    );
    const json = JSON.parse(fs.readFileSync(report, "utf8")) as {
      testResults: { name: string; startTime: number; endTime: number }[];
    };
    tfFiles.push(
      Object.fromEntries(
        json.testResults
          .map((r) => [path.basename(r.name), Math.round(r.endTime - r.startTime) / 1000])
          .sort((a, b) => (b[1] as number) - (a[1] as number)),
      ),
    );
  }
  return { tfLayer: stats(samples), tfFiles };
}

/** The table a person reads, and each budget's verdict. */
function printReport(r: {
  synth: Stats;
  synthCold: Stats;
  tsNode: Stats;
  unit: Stats;
  plan: Skippable;
  tfLayer: Skippable;
  tfFiles: Record<string, number>[];
  budgets: { name: string; ok: boolean; value: string }[];
}): void {
  const { synth, synthCold, tsNode, unit, plan, tfLayer, tfFiles, budgets } = r;
  const row = (label: string, s: ReturnType<typeof stats>) =>
    `${label.padEnd(34)} ${s.median.toFixed(2).padStart(7)} ${s.min.toFixed(2).padStart(7)} ${s.max.toFixed(2).padStart(7)} ${s.peakMb ? s.peakMb.toFixed(0).padStart(7) : "      –"} ${s.cpuMedian !== undefined ? s.cpuMedian.toFixed(1).padStart(7) : "      –"}`;
  console.log(
    `${"".padEnd(34)} ${"median".padStart(7)} ${"min".padStart(7)} ${"max".padStart(7)} ${"peakMB".padStart(7)} ${"cpu s".padStart(7)}`,
  );
  console.log(
    `(load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${os.cpus().length} cores; wall times on a shared machine vary with it, CPU seconds less)`,
  );
  console.log(row("synth (npm run synth, warm)", synth));
  console.log(row("synth (cold: bundle rebuilt)", synthCold));
  console.log(row("synth (ts-node, type-checking)", tsNode));
  console.log(row("unit layer", unit));
  if ("median" in plan) console.log(row("plan -target=module.cache (prod)", plan));
  else console.log(`plan -target=module.cache: skipped (${plan.skipped})`);
  if ("median" in tfLayer) {
    console.log(row("Terraform layer (test:terraform)", tfLayer));
    for (const [file, seconds] of Object.entries(tfFiles[0] ?? {}))
      console.log(`  ${file.padEnd(32)} ${seconds.toFixed(1).padStart(7)}`);
  } else console.log(`Terraform layer: skipped (${tfLayer.skipped})`);
  console.log("");
  for (const b of budgets) console.log(`${b.ok ? "OK  " : "OVER"} ${b.name}: ${b.value}`);
}

function main(): number {
  const tmp = () => tempDir("bench");
  // Exactly what `npm run synth` runs (without npm's own start-up): the script line, through sh,
  // with node_modules/.bin first on PATH.
  const script: string = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).scripts.synth;
  const npmPath = [path.join(repo, "node_modules", ".bin"), process.env.PATH].filter(Boolean).join(path.delimiter);
  const runSynth = (env: NodeJS.ProcessEnv = {}) =>
    measure("sh", ["-c", script], { env: { PATH: npmPath, CDKTF_OUTDIR: tmp(), ...env } });
  progress("synth, cold (bundle rebuilt)");
  const synthCold = stats([runSynth({ SYNTH_REBUILD: "1" })]);
  const synth = stats(repeat(RUNS, () => runSynth(), "synth, warm"));
  const tsNode = stats(
    repeat(
      Math.max(1, RUNS - 1),
      () => measure(process.execPath, ["-r", "ts-node/register", "main.ts"], { env: { CDKTF_OUTDIR: tmp() } }),
      "synth through ts-node (type-checking)",
    ),
  );
  const unit = stats(
    repeat(
      Math.max(1, RUNS - 1),
      () =>
        measure(path.join(repo, "node_modules", ".bin", "jest"), [
          "--selectProjects",
          "unit",
          "--maxWorkers=2",
          "--silent",
        ]),
      "unit layer",
    ),
  );

  const plan = planBench(tmp);
  const { tfLayer, tfFiles } = terraformLayerBench(tmp);

  const tsNodeCpu = tsNode.cpuMedian ?? tsNode.median;
  const ratio = (synth.cpuMedian ?? synth.median) / tsNodeCpu;
  const figures: Record<string, number | undefined> = {
    synth: synth.cpuMedian,
    synthRatio: ratio,
    unit: unit.cpuMedian,
    tfLayer: "median" in tfLayer ? tfLayer.cpuMedian : undefined,
  };
  const budgets = BENCH_BUDGETS.filter((b) => figures[b.figure] !== undefined).map((b) => {
    const v = figures[b.figure] as number;
    return { name: budgetLine(b), ok: v <= b.limit, value: `${v.toFixed(b.unit === "×" ? 2 : 1)} ${b.unit}` };
  });
  const result = {
    date: new Date().toISOString(),
    host: { cpus: os.cpus().length, memGb: Math.round(os.totalmem() / 2 ** 30) },
    synthScript: script,
    synth,
    synthCold,
    tsNode,
    ratio,
    unit,
    plan,
    tfLayer,
    tfFiles,
    budgets,
  };

  printReport({ synth, synthCold, tsNode, unit, plan, tfLayer, tfFiles, budgets });

  const dir = path.join(repo, "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${result.date.replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(repo, file)}`);
  return budgets.every((b) => b.ok) ? 0 : 1;
}

// Every output directory and Terraform copy of the run lives under one root, removed at the end.
process.env.EDU_TMP_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), "bench-run-"));
try {
  process.exitCode = main();
} finally {
  fs.rmSync(process.env.EDU_TMP_ROOT, { recursive: true, force: true });
}
