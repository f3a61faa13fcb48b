/** `npm run cost`: monthly on-demand estimate per workspace and module, against each budget. Exits 1 when over. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadEnvironments } from "../environments";
import { estimate, formatEstimate } from "../lib/cost/estimate";
import { readStack } from "../lib/synthesized";
import { synthesize } from "../platform";

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-"));
synthesize({ outdir });
let over = false;
for (const env of loadEnvironments()) {
  const e = estimate(readStack(path.join(outdir, "stacks", env.workspace), env.workspace), env.cost);
  console.log(formatEstimate(e, env.cost.budgetUsd) + "\n");
  if (e.total > env.cost.budgetUsd.max) over = true;
}
console.log("On-demand prices from lib/cost/prices.ts (see its source note); usage assumptions from environments/<ws>.ts cost.usage.");
process.exitCode = over ? 1 : 0;
