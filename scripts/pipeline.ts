/**
 * `npm run pipeline -- <command>`: the small steps of `.github/workflows/` that read the synthesized
 * workspaces (run from the repository root after `npm run synth`).
 *
 *   check <ws>                 refuses a workspace the pipeline cannot run (local state, no Terraform roles, another repository);
 *                              prints `state_bucket=<bucket>` and `region=<region>` for $GITHUB_OUTPUT
 *   plan-summary <ws> [file]   Markdown for `terraform show -json <planfile>` read from stdin
 *   cost-diff <base> <head>    Markdown comparing two saved `npm run cost` outputs
 */
import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, WORKSPACES } from "../environments";
import {
  costDiff,
  parseCostReport,
  pipelineProblems,
  planSummary,
  providerRegion,
  stateBucket,
} from "../lib/tools/pipeline";
import { readStack } from "../lib/tools/synthesized";

const USAGE = `usage: npm run pipeline -- check <ws> | plan-summary <ws> [planfile] < plan.json | cost-diff <base.txt> <head.txt>`;
const repo = path.resolve(__dirname, "..");

function workspaceArg(ws: string | undefined): string {
  if (!ws || !(WORKSPACES as readonly string[]).includes(ws))
    throw new Error(`${USAGE}\n(workspace is one of ${WORKSPACES.join(", ")})`);
  return ws;
}

function main([command, ...args]: string[]): number {
  switch (command) {
    case "check": {
      const ws = workspaceArg(args[0]);
      const dir = path.join(repo, "cdktf.out", "stacks", ws);
      if (!fs.existsSync(path.join(dir, "cdk.tf.json")))
        throw new Error(`${dir} does not exist: run npm run synth first`);
      const stack = readStack(dir, ws);
      const problems = pipelineProblems(stack, process.env.GITHUB_REPOSITORY, EDUAUTISMO.sourceDir);
      for (const p of problems) console.error(p);
      if (problems.length) return 1;
      console.log(`state_bucket=${stateBucket(stack)}`);
      console.log(`region=${providerRegion(stack)}`);
      return 0;
    }
    case "plan-summary": {
      const ws = workspaceArg(args[0]);
      process.stdout.write(planSummary(ws, JSON.parse(fs.readFileSync(0, "utf8")), args[1]));
      return 0;
    }
    case "cost-diff": {
      const [base, head] = args;
      if (!base || !head) break;
      process.stdout.write(
        costDiff(parseCostReport(fs.readFileSync(base, "utf8")), parseCostReport(fs.readFileSync(head, "utf8"))),
      );
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
