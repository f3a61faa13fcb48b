/** Removes the run's temporary directories (see global-setup.ts); KEEP_TEST_TMP=1 keeps them for a post-mortem. */
import * as fs from "fs";

export default function globalTeardown(): void {
  const root = process.env.EDU_TMP_ROOT;
  if (!root || process.env.KEEP_TEST_TMP === "1") return;
  fs.rmSync(root, { recursive: true, force: true });
}
