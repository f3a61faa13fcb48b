/**
 * `npm run cost`: monthly on-demand estimate per workspace and module, against each budget, for every product
 * (EduAutismo's workspaces by name, another product's as `<product>/<ws>`). Exits 1 when over.
 *   --product <id>            only that product (repeatable)
 *   --compare <git-ref>       also estimates <git-ref> (temporary worktree) and prints the difference
 *   --save-baseline <file>    writes this report to <file>
 *   --baseline <file>         prints the difference from a saved report
 */
import * as fs from "fs";
import * as path from "path";
import { costLineDiff, costReportOfRef, parseCostArgs, parseCostLines } from "../lib/tools/cost/compare";
import { estimate, formatEstimate, formatScenarios, scenarioEstimates } from "../lib/tools/cost/estimate";
import { costDiff, parseCostReport } from "../lib/tools/pipeline";
import { productArgs, withProducts } from "./synthesized";

const FOOTER =
  "On-demand prices from lib/tools/cost/prices.ts (see its source note); usage assumptions from each environment file's cost.usage (environments/<ws>.ts, environments/<product>/<ws>.ts).";

function main(): number {
  const { products, rest } = productArgs(process.argv.slice(2));
  const args = parseCostArgs(rest);
  const { text, over } = withProducts(
    "cost",
    (sets) => {
      let exceeded = false;
      const parts: string[] = [];
      for (const { envs, stacks, label } of sets) {
        for (const env of envs) {
          const e = { ...estimate(env, stacks[env.workspace]), workspace: label(env.workspace) };
          const scenarios = formatScenarios(scenarioEstimates(env, stacks[env.workspace]));
          parts.push(formatEstimate(e, env.cost.budgetUsd) + (scenarios ? "\n" + scenarios : "") + "\n");
          if (e.total > env.cost.budgetUsd.max) exceeded = true;
        }
      }
      return { text: parts.join("\n") + "\n" + FOOTER + "\n", over: exceeded };
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
    const r = costReportOfRef(path.resolve(__dirname, ".."), args.ref);
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
