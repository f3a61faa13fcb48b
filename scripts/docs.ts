/** `npm run docs`: regenerates docs/runbooks/<ws>.md and docs/modules/<name>.md from the code. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { WORKSPACES } from "../environments";
import { generatedDocs } from "../lib/docs";
import { readStack } from "../lib/synthesized";
import { synthesize } from "../platform";

const repo = path.join(__dirname, "..");
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-"));
synthesize({ outdir });
const stacks = Object.fromEntries(WORKSPACES.map((ws) => [ws, readStack(path.join(outdir, "stacks", ws), ws)]));
for (const [file, content] of Object.entries(generatedDocs(stacks))) {
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), content);
  console.log(`wrote ${file}`);
}
