/**
 * `npm run pipeline -- <command>`: the small steps of `.github/workflows/` that read the synthesized
 * workspaces (run from the repository root after `npm run synth`).
 *
 *   check <ws>                 refuses a workspace the pipeline cannot run (local state, no Terraform roles, another repository);
 *                              prints `state_bucket=<bucket>` and `region=<region>` for $GITHUB_OUTPUT
 *   plan-summary <ws> [file]   Markdown for `terraform show -json <planfile>` read from stdin
 *   cost-diff [--base-optional] <base> <head>
 *                              Markdown comparing two saved `npm run cost` outputs; refuses (exit 1) an empty or
 *                              garbled report. With --base-optional an unusable base (a broken base branch) gives
 *                              a summary that says "Base estimate unavailable" instead, and exit 0; the head is
 *                              always required
 */
import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, WORKSPACES } from "../environments";
import {
  costDiff,
  costReportProblems,
  costWithoutBase,
  parseCostReport,
  pipelineProblems,
  planSummary,
  providerRegion,
  stateBucket,
} from "../lib/tools/pipeline";
import { readStack } from "../lib/tools/synthesized";

const USAGE = `usage: npm run pipeline -- check <ws> | plan-summary <ws> [planfile] < plan.json | cost-diff [--base-optional] <base.txt> <head.txt>`;
const repo = path.resolve(__dirname, "..");

function workspaceArg(ws: string | undefined): string {
  if (!ws || !(WORKSPACES as readonly string[]).includes(ws))
    throw new Error(`${USAGE}\n(workspace is one of ${WORKSPACES.join(", ")})`);
  return ws;
}

/** A saved report's text; a missing file is refused by name. */
function costReportText(file: string): string {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file (save the report with npm run -s cost > ${file})`);
  return fs.readFileSync(file, "utf8");
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
      const optional = args[0] === "--base-optional";
      const [base, head, ...extra] = optional ? args.slice(1) : args;
      if (!base || !head || extra.length > 0) break;
      const headText = costReportText(head);
      const headProblems = costReportProblems(headText, head);
      if (headProblems.length > 0) throw new Error(headProblems.join("\n"));
      const baseText = fs.existsSync(base) ? costReportText(base) : "";
      const baseProblems = fs.existsSync(base) ? costReportProblems(baseText, base) : [`${base}: no such file`];
      if (baseProblems.length > 0 && !optional) throw new Error(baseProblems.join("\n"));
      process.stdout.write(
        baseProblems.length > 0
          ? costWithoutBase(parseCostReport(headText), baseProblems.join("; "))
          : costDiff(parseCostReport(baseText), parseCostReport(headText)),
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
