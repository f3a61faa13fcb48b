/**
 * `npm run pipeline -- <command>`: the small steps of `.github/workflows/` that read the synthesized
 * workspaces (run from the repository root after `npm run synth`).
 *
 *   check <ws>                 refuses a workspace the pipeline cannot run (local state, no Terraform roles, another repository);
 *                              prints `state_bucket=<bucket>` and `region=<region>` for $GITHUB_OUTPUT
 *   plan-summary <ws> [file]   Markdown for `terraform show -json <planfile>` read from stdin (any product's workspace)
 *   cost-diff [--base-optional] <base> <head>
 *                              Markdown comparing two saved `npm run cost` outputs; refuses (exit 1) an empty or
 *                              garbled report. With --base-optional an unusable base (a broken base branch) gives
 *                              a summary that says "Base estimate unavailable" instead, and exit 0; the head is
 *                              always required
 *   workflows [--check]        rewrites the workspace lists of .github/workflows/*.yml from EduAutismo's environment
 *                              files (environments/eduautismo/index.ts); --check only says which are stale (exit 1)
 */
import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, workspacesOf } from "../environments";
import {
  costDiff,
  costReportProblems,
  costWithoutBase,
  parseCostReport,
  pipelineProblems,
  planSummary,
  providerRegion,
  stateBucket,
  withWorkspaces,
} from "../tools/pipeline";
import { readStack } from "../tools/synthesized";
import { REPO_ROOT } from "../tools/repo-root";

const USAGE = `usage: npm run pipeline -- check <ws> | plan-summary <ws> [planfile] < plan.json | cost-diff [--base-optional] <base.txt> <head.txt> | workflows [--check]`;
const repo = REPO_ROOT;

function workspaceArg(ws: string | undefined): string {
  const workspaces = workspacesOf(EDUAUTISMO);
  if (!ws || !workspaces.includes(ws)) throw new Error(`${USAGE}\n(workspace is one of ${workspaces.join(", ")})`);
  return ws;
}

/** Rewrites (or, with `check`, only compares) the workflows' workspace lists; returns the exit code. */
function workflows(check: boolean): number {
  const dir = path.join(repo, ".github", "workflows");
  const stale: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const wanted = withWorkspaces(text, workspacesOf(EDUAUTISMO));
    if (wanted === text) continue;
    stale.push(`.github/workflows/${file}`);
    if (!check) fs.writeFileSync(path.join(dir, file), wanted);
  }
  if (check && stale.length > 0) {
    console.error(`stale workspace lists (run npm run pipeline -- workflows): ${stale.join(", ")}`);
    return 1;
  }
  console.log(stale.length > 0 ? `updated ${stale.join(", ")}` : "the workflows' workspace lists are current");
  return 0;
}

/** A saved report and why it cannot be compared ([] when it can); a missing file is one of those reasons. */
function savedReport(file: string): { text: string; problems: string[] } {
  if (!fs.existsSync(file))
    return { text: "", problems: [`${file}: no such file (save the report with npm run -s cost > ${file})`] };
  const text = fs.readFileSync(file, "utf8");
  return { text, problems: costReportProblems(text, file) };
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
      // The workspace only labels the summary: any product's saved plan can be summarized.
      const ws = args[0];
      if (!ws) break;
      process.stdout.write(planSummary(ws, JSON.parse(fs.readFileSync(0, "utf8")), args[1]));
      return 0;
    }
    case "cost-diff": {
      const optional = args[0] === "--base-optional";
      const [base, head, ...extra] = optional ? args.slice(1) : args;
      if (!base || !head || extra.length > 0) break;
      const h = savedReport(head);
      const b = savedReport(base);
      const refused = [...h.problems, ...(optional ? [] : b.problems)];
      if (refused.length > 0) throw new Error(refused.join("\n"));
      process.stdout.write(
        b.problems.length > 0
          ? costWithoutBase(parseCostReport(h.text), b.problems.join("; "))
          : costDiff(parseCostReport(b.text), parseCostReport(h.text)),
      );
      return 0;
    }
    case "workflows":
      if (args.length > 1 || (args[0] !== undefined && args[0] !== "--check")) break;
      return workflows(args[0] === "--check");
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
