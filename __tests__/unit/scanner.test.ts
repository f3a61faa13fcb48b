/**
 * The pull-request workflow's scanner (Trivy, D208) and the policy gate: it scans every workspace of every product,
 * and a workspace's ignore list is derived from the gate's exemptions, never declared a second time.
 */
import { PRODUCTS, workspaceLabel } from "../../environments";
import type { CheckResult, PolicyReport, Status } from "../../tools/policy";
import { CHECKS } from "../../tools/policy/checks";
import { scannerIgnores, trivyIds, trivyIgnoreFile } from "../../tools/policy/scanner";
import { loadWorkflows } from "../helpers/workflows";

test("the pull-request scanner runs on every synthesized workspace of every product", () => {
  const pr = loadWorkflows().find((w) => w.file === "pull-request.yml");
  const scan = pr?.doc.jobs.scan;
  expect(scan).toBeDefined();
  const labels = PRODUCTS.flatMap((p) => Object.keys(p.environments).map((ws) => workspaceLabel(p, ws)));
  expect([...scan.strategy.matrix.workspace].sort()).toEqual(labels.sort());
});

describe("a workspace's Trivy ignore list", () => {
  const withTrivy = CHECKS.filter((c) => trivyIds(c.upstream).length > 0);
  /** A report in which the first checks with a Trivy id get each status in turn. */
  function reportWith(statuses: Status[]): PolicyReport {
    const results: CheckResult[] = statuses.map((status, i) => ({
      check: withTrivy[i],
      status,
      failures: [],
      evaluated: 1,
      note: status === "exempted" ? `reason ${i}` : undefined,
    }));
    return { workspace: "dev", results, counts: { passed: 0, failed: 0, exempted: 0, "n/a": 0 } };
  }

  test("holds the Trivy ids of the exempted checks and of nothing else (a failure is never hidden from the scanner)", () => {
    const report = reportWith(["exempted", "failed", "passed", "n/a", "exempted"]);
    expect(scannerIgnores(report).map((i) => i.id)).toEqual([
      ...trivyIds(withTrivy[0].upstream),
      ...trivyIds(withTrivy[4].upstream),
    ]);
    expect(scannerIgnores(report).every((i) => /^AVD-/.test(i.id))).toBe(true);
  });

  test("the file Trivy reads names each ignored id on a line of its own, after its check and reason", () => {
    const report = reportWith(["exempted"]);
    const lines = trivyIgnoreFile(report, "dev").split("\n");
    const ids = lines.filter((l) => l && !l.startsWith("#"));
    expect(ids).toEqual(trivyIds(withTrivy[0].upstream));
    for (const id of ids) expect(lines[lines.indexOf(id) - 1]).toBe(`# ${withTrivy[0].id}: reason 0`);
  });
});
