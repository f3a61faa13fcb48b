/**
 * The address contract: `__tests__/addresses/<workspace>.txt` lists every resource address a
 * workspace synthesizes (`__tests__/addresses/<product>/<workspace>.txt` for another product than
 * EduAutismo; `--product <id>` limits the run to one). State rollback and `-target` rollouts depend on these names, so a rename
 * must come with a `moved` block. `npm run addresses` shows the difference; `-- --update` rewrites
 * the files, refusing to drop an address that no `moved` block accounts for.
 */
import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, type Product } from "../environments";
import { addresses, movedBlocks } from "../tools/synthesized";
import { productArgs, runCommand, withProducts } from "./synthesized";
import { isCommand, repoPath } from "../tools/repo-root";

export const CONTRACT_DIR = repoPath("__tests__", "addresses");

export function contractFile(ws: string, product: Product = EDUAUTISMO): string {
  return path.join(CONTRACT_DIR, product.outDir, `${ws}.txt`);
}

export function readContract(ws: string, product: Product = EDUAUTISMO): string[] {
  const file = contractFile(ws, product);
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
    : [];
}

function main(): number {
  const { products, rest } = productArgs(process.argv.slice(2));
  const update = rest.includes("--update");
  const sets = withProducts("addresses", (s) => s, products);
  let refused = false;
  for (const { product, stacks, label } of sets)
    for (const [ws, stack] of Object.entries(stacks)) {
      const now = addresses(stack);
      const before = readContract(ws, product);
      const moved = new Set(movedBlocks(stack).map((m) => m.from));
      const removed = before.filter((a) => !now.includes(a));
      const added = now.filter((a) => !before.includes(a));
      const orphaned = removed.filter((a) => !moved.has(a));
      console.log(`${label(ws)}: ${now.length} addresses, +${added.length} -${removed.length}`);
      for (const a of added) console.log(`  + ${a}`);
      for (const a of removed)
        console.log(`  - ${a}${moved.has(a) ? " (moved)" : "  <-- no moved block: this would destroy and recreate"}`);
      if (orphaned.length > 0) refused = true;
      if (update && orphaned.length === 0) {
        fs.mkdirSync(path.dirname(contractFile(ws, product)), { recursive: true });
        fs.writeFileSync(
          contractFile(ws, product),
          [
            `# Resource addresses of the ${label(ws)} workspace. Regenerate: npm run addresses -- --update`,
            ...now,
          ].join("\n") + "\n",
        );
      }
    }
  if (refused) {
    console.error(
      "Some addresses disappear without a moved block; add `moved` blocks (or accept the destroy explicitly by editing the contract file).",
    );
    return 1;
  }
  return 0;
}

if (isCommand("scripts/addresses.ts")) runCommand("addresses", main);
