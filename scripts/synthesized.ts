/**
 * For the report scripts: synthesizes every workspace into a temporary directory, hands the
 * read-back stacks to `use`, and removes the directory afterwards (also when `use` throws).
 */
import * as fs from "fs";
import * as path from "path";
import { WORKSPACES } from "../environments";
import { readStack, type SynthesizedStack } from "../lib/tools/synthesized";
import { tempDir } from "../lib/tools/terraform";
import { synthesize } from "../platform";

export function withSynthesized<T>(prefix: string, use: (stacks: Record<string, SynthesizedStack>) => T): T {
  const outdir = tempDir(prefix);
  try {
    synthesize({ outdir });
    const stacks = Object.fromEntries(WORKSPACES.map((ws) => [ws, readStack(path.join(outdir, "stacks", ws), ws)]));
    return use(stacks);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
