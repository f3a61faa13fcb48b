/**
 * `npm run policy [-- <workspace>...] [--product <id>] [--verbose]`: runs the policy gate on freshly
 * synthesized workspaces of every product (or the one named) and prints a table per workspace (failures
 * first, with the failing addresses). Exits 1 when any check fails. `--verbose` also lists checks that do
 * not apply and exempted addresses. A workspace of another product than EduAutismo is `<product>/<ws>`.
 * `npm run policy -- <ws> --trivyignore` prints instead that workspace's Trivy ignore file: the Trivy ids of its
 * exempted checks, with their reasons (tools/policy/scanner.ts), for the pull-request workflow's scanner.
 */
import { workspaceLabel } from "../environments";
import { evaluatePolicy, formatPolicyReport, policyEnvironment } from "../tools/policy";
import { trivyIgnoreFile } from "../tools/policy/scanner";
import { productArgs, runCommand, UsageError, withProducts } from "./synthesized";

function main(): number {
  const parsed = productArgs(process.argv.slice(2));
  const verbose = parsed.rest.includes("--verbose");
  const wanted = parsed.rest.filter((a) => !a.startsWith("--"));
  const known = parsed.products.flatMap((p) =>
    Object.keys(p.environments).flatMap((ws) => [ws, workspaceLabel(p, ws)]),
  );
  const unknown = wanted.filter((w) => !known.includes(w));
  if (unknown.length)
    throw new UsageError(`unknown workspace ${unknown.join(", ")} (one of ${[...new Set(known)].join(", ")})`);
  const trivy = parsed.rest.includes("--trivyignore");
  if (trivy && wanted.length !== 1)
    throw new UsageError("--trivyignore needs one workspace (npm run policy -- <ws>|<product>/<ws> --trivyignore)");
  const failed = withProducts(
    "policy",
    (sets) => {
      let n = 0;
      for (const { product, envs, stacks, label } of sets) {
        // `dev` names every product's dev in a report; an ignore file is for the one workspace labelled so.
        const chosen = envs.filter((e) =>
          trivy
            ? wanted.includes(label(e.workspace))
            : wanted.length === 0 || wanted.includes(e.workspace) || wanted.includes(label(e.workspace)),
        );
        for (const env of chosen) {
          const report = evaluatePolicy(stacks[env.workspace], policyEnvironment(env, product));
          if (trivy) process.stdout.write(trivyIgnoreFile(report, label(env.workspace)));
          else console.log(formatPolicyReport(report, { verbose, label: label(env.workspace) }) + "\n");
          n += report.counts.failed;
        }
      }
      return n;
    },
    parsed.products,
  );
  // The ignore file is data for the workflow's scanner (D208): the gate's verdict is the report's.
  if (trivy) return 0;
  console.log(
    failed
      ? `policy: ${failed} failing check(s); see docs/policy.md for what each asks`
      : "policy: every workspace passes (checks and upstream ids: docs/policy.md)",
  );
  return failed ? 1 : 0;
}

runCommand("policy", main);
