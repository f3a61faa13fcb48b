/**
 * `cdktf synth` through the real cdktf CLI, once per test run: cli.test.ts compares its output with
 * `npm run synth`'s and cdktf-commands.test.ts runs `cdktf diff` on a copy of it, so the CLI (a few
 * CPU-seconds to start and synthesize) runs once for both (D128). Workers of one run share the result
 * through files under the run's temporary root; outside a jest run each call synthesizes.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../../tools/terraform";

export const REPO = path.join(__dirname, "..", "..");
export const CDKTF = path.join(REPO, "node_modules", ".bin", "cdktf");

/** Runs the cdktf CLI in the repository as an operator would, without colours or update checks. */
export function runCdktf(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string } {
  const base = { ...process.env };
  delete base.TF_WORKSPACE;
  const r = spawnSync(CDKTF, args, {
    cwd: REPO,
    encoding: "utf8",
    env: { ...base, CHECKPOINT_DISABLE: "1", CI: "true", FORCE_COLOR: "0", NO_COLOR: "1", ...env },
    timeout: 240_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The result of `cdktf synth --output <dir>`: exit code, output and the directory, which callers must
 * not modify (copy it first). Computed by the first caller of the run; the others wait for it.
 */
export function cdktfSynthOnce(): { code: number | null; out: string; dir: string } {
  const root =
    process.env.EDU_TMP_ROOT && fs.existsSync(process.env.EDU_TMP_ROOT)
      ? path.join(process.env.EDU_TMP_ROOT, "cdktf-synth-once")
      : undefined;
  const synth = (dir: string) => ({ ...runCdktf(["synth", "--output", dir]), dir });
  if (!root) return synth(path.join(tempDir("cdktf-cli"), "out"));
  const result = path.join(root, "result.json");
  const lock = `${root}.lock`;
  for (let waited = 0; !fs.existsSync(result); waited += 200) {
    try {
      fs.mkdirSync(lock);
    } catch {
      if (waited > 300_000) throw new Error(`waited 5 minutes for another worker's cdktf synth (${lock})`);
      sleep(200);
      continue;
    }
    try {
      if (!fs.existsSync(result)) {
        fs.mkdirSync(root, { recursive: true });
        const r = synth(path.join(root, "out"));
        fs.writeFileSync(`${result}.tmp`, JSON.stringify(r));
        fs.renameSync(`${result}.tmp`, result);
      }
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return JSON.parse(fs.readFileSync(result, "utf8"));
}
