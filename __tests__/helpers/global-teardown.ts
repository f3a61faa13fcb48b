/**
 * Removes the run's temporary directories (see global-setup.ts) and the operator tests' workspace
 * copies under cdktf.out/optest-<run>-* (they must sit inside the repository, so npm finds package.json):
 * this run's, and those a killed run left more than two hours ago — never a copy another run in the same
 * checkout is still using. KEEP_TEST_TMP=1 keeps them for a post-mortem.
 */
import * as fs from "fs";
import * as path from "path";
import { runId } from "./operator";

/** Longer than any run: an older copy belongs to a run that was killed. */
export const STALE_COPY_MS = 2 * 60 * 60 * 1000;

/** The operator copies a run removes at its end: its own, and stale ones of killed runs. */
export function copiesToRemove(names: readonly string[], ownRun: string, ageMs: (name: string) => number): string[] {
  return names.filter(
    (d) => d.startsWith(`optest-${ownRun}-`) || (d.startsWith("optest-") && ageMs(d) > STALE_COPY_MS),
  );
}

export default function globalTeardown(): void {
  if (process.env.KEEP_TEST_TMP === "1") return;
  const own = runId();
  const root = process.env.EDU_TMP_ROOT;
  if (root) fs.rmSync(root, { recursive: true, force: true });
  const out = path.join(__dirname, "..", "..", "cdktf.out");
  if (!fs.existsSync(out)) return;
  const age = (d: string) => Date.now() - fs.statSync(path.join(out, d)).mtimeMs;
  for (const d of copiesToRemove(fs.readdirSync(out), own, age))
    fs.rmSync(path.join(out, d), { recursive: true, force: true });
}
