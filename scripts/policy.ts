/**
 * `npm run policy [-- <workspace>...] [--verbose]`: runs the policy gate on freshly synthesized
 * workspaces and prints a table per workspace (failures first, with the failing addresses).
 * Exits 1 when any check fails. `--verbose` also lists checks that do not apply and exempted addresses.
 */
import { loadEnvironments } from "../environments";
import { evaluatePolicy, formatPolicyReport } from "../lib/tools/policy";
import { withSynthesized } from "./synthesized";

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const wanted = args.filter((a) => !a.startsWith("--"));
const envs = loadEnvironments();
const unknown = wanted.filter((w) => !envs.some((e) => e.workspace === w));
if (unknown.length) {
  console.error(`policy: unknown workspace ${unknown.join(", ")} (one of ${envs.map((e) => e.workspace).join(", ")})`);
  process.exit(2);
}
const failed = withSynthesized("policy", (stacks) => {
  let n = 0;
  for (const env of envs.filter((e) => wanted.length === 0 || wanted.includes(e.workspace))) {
    const report = evaluatePolicy(stacks[env.workspace], env);
    console.log(formatPolicyReport(report, { verbose }) + "\n");
    n += report.counts.failed;
  }
  return n;
});
console.log(failed ? `policy: ${failed} failing check(s); see docs/policy.md for what each asks` : "policy: every workspace passes (checks and upstream ids: docs/policy.md)");
process.exitCode = failed ? 1 : 0;
