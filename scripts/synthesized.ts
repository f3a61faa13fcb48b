/**
 * For the report scripts: synthesizes every workspace of a product (EduAutismo unless given) into a temporary directory, hands the
 * read-back stacks to `use`, and removes the directory afterwards (also when `use` throws).
 */
import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, type Product } from "../environments";
import { readStack, type SynthesizedStack } from "../lib/tools/synthesized";
import { tempDir } from "../lib/tools/terraform";
import { synthesize } from "../platform";

export function withSynthesized<T>(prefix: string, use: (stacks: Record<string, SynthesizedStack>) => T, product: Product = EDUAUTISMO): T {
  const outdir = tempDir(prefix);
  try {
    synthesize({ outdir, product });
    const workspaces = Object.keys(product.environments);
    const stacks = Object.fromEntries(workspaces.map((ws) => [ws, readStack(path.join(outdir, product.outDir, "stacks", ws), ws)]));
    return use(stacks);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
