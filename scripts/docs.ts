/**
 * `npm run docs`: regenerates docs/runbooks/<ws>.md (EduAutismo), docs/runbooks/<product>/<ws>.md (the
 * other products), the inputs/outputs block of each modules/<m>/README.md, docs/policy.md and the README's products table from the code.
 */
import * as fs from "fs";
import * as path from "path";
import { generatedDocs, productsTable, readmeWithProducts } from "../lib/tools/docs";
import { withProducts } from "./synthesized";

const repo = path.join(__dirname, "..");
const { docs, table } = withProducts("docs", ([eduautismo, ...others]) => ({
  docs: generatedDocs(eduautismo.stacks, others),
  table: productsTable(eduautismo.stacks, others),
}));
for (const [file, content] of Object.entries(docs)) {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), content);
  console.log(`wrote ${file}`);
}
const readme = path.join(repo, "README.md");
fs.writeFileSync(readme, readmeWithProducts(fs.readFileSync(readme, "utf8"), table));
console.log("wrote README.md (products table)");
