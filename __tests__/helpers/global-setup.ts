/**
 * Synthesizes the checked-in environments once per jest run; test files read the result instead of
 * synthesizing again in every worker (SYNTH_CACHE_DIR). Tests with changed inputs still synthesize.
 * Every temporary directory of the run lives under one root (EDU_TMP_ROOT), which the global
 * teardown removes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { tempDir } from "../../lib/terraform";
import { synthesize } from "../../platform";

export default function globalSetup(): void {
  process.env.EDU_TMP_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), "eduautismo-tests-"));
  const outdir = tempDir("synth-shared");
  synthesize({ outdir });
  process.env.SYNTH_CACHE_DIR = outdir;
}
