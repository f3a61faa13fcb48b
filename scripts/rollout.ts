/**
 * `npm run rollout -- <workspace> [module] [--json]`: prints the ordered, copy-pasteable targeted rollout
 * of a workspace (seed 000 §5.2), or for one module what `-target=module.<name>` also pulls in.
 * `--json` with a module prints the same as data for the pipeline's targeted-rollout workflow:
 * `{ workspace, module, alsoPlans, planFile, steps }`, steps being the commands to run in order.
 */
import { WORKSPACES } from "../environments";
import { moduleGraph, planFile, rolloutCommands, targetClosure, targetedRollout } from "../lib/tools/rollout";
import { withSynthesized } from "./synthesized";

function main(args: string[]): number {
  const json = args.includes("--json");
  const [ws, module, ...rest] = args.filter((a) => a !== "--json");
  if (!ws || !(WORKSPACES as readonly string[]).includes(ws) || rest.length > 0 || (json && !module)) {
    console.error(`usage: npm run rollout -- <${WORKSPACES.join("|")}> [module] (--json needs a module)`);
    return 2;
  }
  const graph = withSynthesized("rollout", (stacks) => moduleGraph(stacks[ws].root));
  if (!module) {
    process.stdout.write(rolloutCommands(ws, graph));
    return 0;
  }
  const closure = targetClosure(graph, module);
  if (json) {
    console.log(JSON.stringify(targetedRollout(ws, module, closure)));
    return 0;
  }
  console.log(`-target=module.${module} also plans: ${closure.length ? closure.join(", ") : "nothing else"}`);
  console.log(`terraform plan -var-file="environments/${ws}/terraform.tfvars" -target=module.${module} -out=${planFile(module)}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // ConfigError (a bad environment) and unknown modules both explain themselves.
  console.error((e as Error).message);
  process.exitCode = 1;
}
