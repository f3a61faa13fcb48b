/** `npm run docs`: regenerates docs/runbooks/<ws>.md, docs/modules/<name>.md and docs/policy.md from the code. */
import * as fs from "fs";
import * as path from "path";
import { generatedDocs } from "../lib/tools/docs";
import { withSynthesized } from "./synthesized";

const repo = path.join(__dirname, "..");
for (const [file, content] of Object.entries(withSynthesized("docs", generatedDocs))) {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), content);
  console.log(`wrote ${file}`);
}
