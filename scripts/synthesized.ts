/**
 * For the report scripts: synthesizes every workspace of a product (EduAutismo unless given) into a temporary directory, hands the
 * read-back stacks to `use`, and removes the directory afterwards (also when `use` throws).
 */
import * as fs from "fs";
import * as path from "path";
import {
  ConfigError,
  EDUAUTISMO,
  loadEnvironments,
  PRODUCTS,
  productById,
  workspaceLabel,
  type Product,
} from "../environments";
import { readStack, type SynthesizedStack } from "../tools/synthesized";
import type { ProductStacks } from "../tools/product-stacks";

export type { ProductStacks };

// `npm run policy | head`: a reader that stops early ends the report quietly, not with an EPIPE stack trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
import { tempDir } from "../tools/terraform";
import { synthesize } from "../platform";

export function withSynthesized<T>(
  prefix: string,
  use: (stacks: Record<string, SynthesizedStack>) => T,
  product: Product = EDUAUTISMO,
): T {
  const outdir = tempDir(prefix);
  try {
    synthesize({ outdir, product });
    const workspaces = Object.keys(product.environments);
    const stacks = Object.fromEntries(
      workspaces.map((ws) => [ws, readStack(path.join(outdir, product.outDir, "stacks", ws), ws)]),
    );
    return use(stacks);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Like withSynthesized, for several products (every product unless `products` names some). */
export function withProducts<T>(
  prefix: string,
  use: (sets: ProductStacks[]) => T,
  products: readonly Product[] = PRODUCTS,
): T {
  const sets: ProductStacks[] = [];
  const collect = (i: number): T => {
    if (i === products.length) return use(sets);
    const product = products[i];
    return withSynthesized(
      `${prefix}-${product.id}`,
      (stacks) => {
        sets.push({
          product,
          envs: loadEnvironments(product.environments, product),
          stacks,
          label: (ws) => workspaceLabel(product, ws),
        });
        return collect(i + 1);
      },
      product,
    );
  };
  return collect(0);
}

/** A command line the script cannot run (unknown product, missing value): one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * `--product <id>` (repeatable) out of a script's arguments: the products named (every product when none),
 * and the other arguments. An unknown id throws a UsageError with the list of products.
 */
export function productArgs(argv: readonly string[]): { products: Product[]; rest: string[] } {
  const ids: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--product") {
      const id = argv[++i];
      if (!id) throw new UsageError(`--product needs a product id (${PRODUCTS.map((p) => p.id).join(", ")})`);
      ids.push(id);
    } else if (argv[i].startsWith("--product=")) ids.push(argv[i].slice("--product=".length));
    else rest.push(argv[i]);
  }
  const unknown = ids.filter((id) => !PRODUCTS.some((p) => p.id === id));
  if (unknown.length > 0) {
    const list = PRODUCTS.map((p) => p.id).join(", ");
    throw new UsageError(unknown.map((id) => `no product "${id}" (products: ${list})`).join("; "));
  }
  return { products: ids.length ? ids.map((id) => productById(id)) : [...PRODUCTS], rest };
}

/**
 * Runs a report script's `main` the same way for every command: its return value is the exit code; a bad
 * environment (ConfigError, environments/schema.ts formatConfigProblems: product, file, path and rule) exits 1 and
 * a bad command line (UsageError) exits 2, each as its message alone, never a stack trace. Anything else is a bug
 * and keeps its trace.
 */
export function runCommand(name: string, main: () => number | void): void {
  try {
    process.exitCode = main() ?? 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exitCode = 1;
    } else if (e instanceof UsageError) {
      console.error(`${name}: ${e.message}`);
      process.exitCode = 2;
    } else throw e;
  }
}
