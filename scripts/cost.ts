/** `npm run cost`: monthly on-demand estimate per workspace and module, against each budget. Exits 1 when over. */
import { loadEnvironments } from "../environments";
import { estimate, formatEstimate } from "../lib/tools/cost/estimate";
import { withSynthesized } from "./synthesized";

const over = withSynthesized("cost", (stacks) => {
  let exceeded = false;
  for (const env of loadEnvironments()) {
    const e = estimate(stacks[env.workspace], env.cost);
    console.log(formatEstimate(e, env.cost.budgetUsd) + "\n");
    if (e.total > env.cost.budgetUsd.max) exceeded = true;
  }
  return exceeded;
});
console.log("On-demand prices from lib/tools/cost/prices.ts (see its source note); usage assumptions from environments/<ws>.ts cost.usage.");
process.exitCode = over ? 1 : 0;
