/**
 * `npm run cost`: monthly on-demand estimate per workspace and module, against each budget, for every product
 * (EduAutismo's workspaces by name, another product's as `<product>/<ws>`), each with the one-year reservation
 * figures of its databases and caches in us-east-1 and sa-east-1; ends with an over/under-budget line per
 * workspace. Exits 1 when over.
 *   --product <id>            only that product (repeatable)
 *   --compare <git-ref>       also estimates <git-ref> (temporary worktree) and prints the difference
 *   --save-baseline <file>    writes this report to <file>
 *   --baseline <file>         prints the difference from a saved report
 */
import * as fs from "fs";
import { costLineDiff, costReportOfRef, parseCostArgs, parseCostLines } from "../tools/cost/compare";
import {
  formatBudgetVerdicts,
  formatReservations,
  reservationEstimates,
  type BudgetRow,
} from "../tools/cost/commitments";
import { estimate, formatEstimate, formatScenarios, scenarioEstimates } from "../tools/cost/estimate";
import { costDiff, parseCostReport } from "../tools/pipeline";
import { productArgs, withProducts } from "./synthesized";
import { REPO_ROOT } from "../tools/repo-root";

const FOOTER =
  "On-demand prices from tools/cost/prices.ts (see its source note; the reservation factors are derived, not looked up); usage assumptions from each environment file's cost.usage (environments/<product>/<ws>.ts).";

function main(): number {
  const { products, rest } = productArgs(process.argv.slice(2));
  const args = parseCostArgs(rest);
  const { text, over } = withProducts(
    "cost",
    (sets) => {
      const parts: string[] = [];
      const budgets: BudgetRow[] = [];
      for (const { envs, stacks, label } of sets) {
        for (const env of envs) {
          const stack = stacks[env.workspace];
          const e = { ...estimate(env, stack), workspace: label(env.workspace) };
          const scenarios = formatScenarios(scenarioEstimates(env, stack), env);
          const reserved = formatReservations(reservationEstimates(env, stack));
          parts.push([formatEstimate(e, env.cost.budgetUsd), reserved, scenarios].filter(Boolean).join("\n") + "\n");
          budgets.push({ workspace: e.workspace, total: e.total, budget: env.cost.budgetUsd });
        }
      }
      const text = `${parts.join("\n")}\n${FOOTER}\n\n${formatBudgetVerdicts(budgets)}\n`;
      return { text, over: budgets.some((b) => b.total > b.budget.max) };
    },
    products,
  );
  if (args.mode === "save") {
    fs.writeFileSync(args.file, text);
    console.log(`Saved the estimate to ${args.file} (compare later with npm run cost -- --baseline ${args.file}).`);
    return over ? 1 : 0;
  }
  process.stdout.write(text);
  if (args.mode === "report") return over ? 1 : 0;
  let base: string;
  let label: string;
  if (args.mode === "baseline") {
    if (!fs.existsSync(args.file))
      throw new Error(`--baseline ${args.file}: no such file (write one with --save-baseline)`);
    base = fs.readFileSync(args.file, "utf8");
    label = args.file;
  } else {
    const r = costReportOfRef(REPO_ROOT, args.ref);
    base = r.text;
    label = `${args.ref} (${r.commit.slice(0, 12)})`;
    if (r.lockfileDiffers)
      console.log(
        `\nNote: ${args.ref}'s package-lock.json differs from this checkout's; it ran with this checkout's node_modules.`,
      );
    console.log(`\n(${args.ref} estimated in a temporary worktree in ${r.seconds.toFixed(1)} s)`);
  }
  if (Object.keys(parseCostReport(base)).length === 0)
    throw new Error(`${label}: not an npm run cost report (no "<workspace> (<region>)" header)`);
  console.log("\n" + costDiff(parseCostReport(base), parseCostReport(text), { base: label, head: "this checkout" }));
  console.log(costLineDiff(parseCostLines(base), parseCostLines(text)));
  return over ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 2;
}
