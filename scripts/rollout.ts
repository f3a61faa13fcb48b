/**
 * `npm run rollout -- <workspace> [module] [--json]`: prints the workspace's first deploy exactly as its runbook's
 * section has it (both come from one generator: tools/docs.ts firstDeployMarkdown), then the one-module sequence
 * after `npm run state -- backup` (seed 000 §5.2); or for one module what `-target=module.<name>` also pulls in. Another
 * product's workspace is `<product>/<ws>` (`npm run rollout -- atena/prod compute`).
 * `--json` with a module prints the same as data for the pipeline's targeted-rollout workflow:
 * `{ workspace, module, alsoPlans, planFile, steps }`, steps being the commands to run in order.
 */
import { PRODUCTS, workspaceLabel } from "../environments";
import { firstDeployMarkdown } from "../tools/docs";
import { moduleGraph, planFile, rolloutCommands, targetClosure, targetedRollout } from "../tools/rollout";
import { withSynthesized } from "./synthesized";

/** Every workspace the command accepts: EduAutismo's by name, another product's as `<product>/<ws>`. */
const TARGETS = PRODUCTS.flatMap((product) =>
  Object.keys(product.environments).map((ws) => ({ product, ws, label: workspaceLabel(product, ws) })),
);

function main(args: string[]): number {
  const json = args.includes("--json");
  const [label, module, ...rest] = args.filter((a) => a !== "--json");
  const target = TARGETS.find((t) => t.label === label);
  if (!target || rest.length > 0 || (json && !module)) {
    console.error(
      `usage: npm run rollout -- <${TARGETS.map((t) => t.label).join("|")}> [module] (--json needs a module)`,
    );
    return 2;
  }
  const { product, ws } = target;
  const { graph, firstDeploy } = withSynthesized(
    "rollout",
    (stacks) => ({ graph: moduleGraph(stacks[ws].root), firstDeploy: firstDeployMarkdown(product, stacks[ws]) }),
    product,
  );
  if (!module) {
    // The runbook's first-deploy section is the source of this sequence (one generator for both).
    process.stdout.write(rolloutCommands(ws, graph, firstDeploy));
    return 0;
  }
  const closure = targetClosure(graph, module);
  if (json) {
    console.log(JSON.stringify(targetedRollout(ws, module, closure)));
    return 0;
  }
  console.log(`-target=module.${module} also plans: ${closure.length ? closure.join(", ") : "nothing else"}`);
  console.log(
    `terraform plan -var-file="environments/${ws}/terraform.tfvars" -target=module.${module} -out=${planFile(module)}`,
  );
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  // ConfigError (a bad environment) and unknown modules both explain themselves.
  console.error((e as Error).message);
  process.exitCode = 1;
}
