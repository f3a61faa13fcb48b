/**
 * `npm run docs [-- --product <id>]`: regenerates docs/runbooks/<ws>.md (EduAutismo), docs/runbooks/<product>/<ws>.md
 * (the other products), the inputs/outputs block of each modules/<m>/README.md, docs/policy.md and the README's
 * products table from the code, and names only the files whose content changed. `--product <id>` writes that
 * product's own files (its runbooks) and leaves the files that span every product to a run without it.
 */
import * as fs from "fs";
import * as path from "path";
import { PRODUCTS } from "../environments";
import { generatedDocs, productDocs, productsTable, readmeWithProducts } from "../tools/docs";
import { productArgs, runCommand, UsageError, withProducts } from "./synthesized";
import { REPO_ROOT } from "../tools/repo-root";

const repo = REPO_ROOT;

function read(file: string): string | undefined {
  const full = path.join(repo, file);
  return fs.existsSync(full) ? fs.readFileSync(full, "utf8") : undefined;
}

/** Every generated file of the products (relative path → content); with every product, the shared files too. */
function generated(argv: string[]): { files: Record<string, string>; only?: string } {
  const { products, rest } = productArgs(argv);
  if (rest.length > 0)
    throw new UsageError(`unknown argument ${rest.join(" ")} (usage: npm run docs [-- --product <id>])`);
  if (products.length === PRODUCTS.length)
    return withProducts("docs", ([eduautismo, ...others]) => {
      const readme = read("README.md") ?? "";
      const table = productsTable(eduautismo.stacks, others);
      return {
        files: { ...generatedDocs(eduautismo.stacks, others), "README.md": readmeWithProducts(readme, table) },
      };
    });
  return withProducts(
    "docs",
    (sets) => ({ files: Object.assign({}, ...sets.map(productDocs)), only: products.map((p) => p.id).join(", ") }),
    products,
  );
}

function main(): number {
  const { files, only } = generated(process.argv.slice(2));
  const changed = Object.keys(files).filter((file) => read(file) !== files[file]);
  for (const file of changed) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), files[file]);
    console.log(`  updated ${file}`);
  }
  const total = Object.keys(files).length;
  const scope = only ? `${only}: ` : "";
  console.log(
    changed.length
      ? `docs: ${scope}${changed.length} of ${total} file${total === 1 ? "" : "s"} updated`
      : `docs: ${scope}up to date (${total} generated file${total === 1 ? "" : "s"})`,
  );
  if (only)
    console.log(
      "docs: docs/policy.md, the module READMEs and the README's products table span every product: `npm run docs` (without --product) updates them",
    );
  return 0;
}

runCommand("docs", main);
