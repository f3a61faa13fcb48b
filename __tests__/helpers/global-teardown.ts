/**
 * Removes the run's temporary directories (see global-setup.ts) and the operator tests' workspace
 * copies under cdktf.out/optest-* (they must sit inside the repository, so npm finds package.json);
 * KEEP_TEST_TMP=1 keeps them for a post-mortem.
 */
import * as fs from "fs";
import * as path from "path";

export default function globalTeardown(): void {
  if (process.env.KEEP_TEST_TMP === "1") return;
  const root = process.env.EDU_TMP_ROOT;
  if (root) fs.rmSync(root, { recursive: true, force: true });
  const out = path.join(__dirname, "..", "..", "cdktf.out");
  if (!fs.existsSync(out)) return;
  for (const d of fs.readdirSync(out)) if (d.startsWith("optest-")) fs.rmSync(path.join(out, d), { recursive: true, force: true });
}
