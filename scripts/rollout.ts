/**
 * `npm run rollout -- <workspace> [module]`: prints the ordered, copy-pasteable targeted rollout of a
 * workspace (seed 000 §5.2), or for one module what `-target=module.<name>` also pulls in.
 */
import { WORKSPACES } from "../environments";
import { moduleGraph, planFile, rolloutCommands, targetClosure } from "../lib/tools/rollout";
import { withSynthesized } from "./synthesized";

function main(argv: string[]): number {
  const [ws, module] = argv;
  if (!ws || !(WORKSPACES as readonly string[]).includes(ws)) {
    console.error(`usage: npm run rollout -- <${WORKSPACES.join("|")}> [module]`);
    return 2;
  }
  const graph = withSynthesized("rollout", (stacks) => moduleGraph(stacks[ws].root));
  if (!module) {
    process.stdout.write(rolloutCommands(ws, graph));
    return 0;
  }
  const closure = targetClosure(graph, module);
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
