/**
 * Synthesizes the checked-in environments once per jest run; test files read the result instead of
 * synthesizing again in every worker (SYNTH_CACHE_DIR). Tests with changed inputs still synthesize.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { synthesize } from "../../platform";

export default function globalSetup(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-shared-"));
  synthesize({ outdir });
  process.env.SYNTH_CACHE_DIR = outdir;
}
