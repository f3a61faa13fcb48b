import { execFileSync } from "child_process";
import * as path from "path";
import { costLineDiff, costReportOfRef, parseCostArgs, parseCostLines } from "../../tools/cost/compare";
import { costDiff, parseCostReport } from "../../tools/pipeline";

const report = (natLine: string, natUsd: string, total: string) => `dev (us-east-1)
  network          $${natUsd}
      ${natLine.padEnd(52)}$${natUsd}
  cache            $12.81
      1 × cache.t3.micro                                       $12.41
      AUTH token secret                                         $0.40
  total           $${total}   budget $0–100: OK
`;
const base = report("1 NAT gateway(s) + 20 GB processed", "33.75", "46.56");
const head = report("1 NAT instance(s) t4g.nano + 20 GB", "7.36", "20.17");

describe("npm run cost -- --compare / --baseline", () => {
  test("reads each detail line under its workspace and module", () => {
    expect(parseCostLines(base).dev).toEqual({
      "network › 1 NAT gateway(s) + 20 GB processed": 33.75,
      "cache › 1 × cache.t3.micro": 12.41,
      "cache › AUTH token secret": 0.4,
    });
  });

  test("a line whose text changed shows as one gone and one new, unchanged lines are not listed", () => {
    const md = costLineDiff(parseCostLines(base), parseCostLines(head));
    expect(md).toContain("- dev / network › 1 NAT gateway(s) + 20 GB processed: $33.75 → gone (−$33.75)");
    expect(md).toContain("- dev / network › 1 NAT instance(s) t4g.nano + 20 GB: new $7.36 (+$7.36)");
    expect(md).not.toContain("cache.t3.micro");
  });

  test("a changed amount on the same line shows before and after", () => {
    const md = costLineDiff(parseCostLines(base), parseCostLines(base.replace("$12.41", "$9.34")));
    expect(md).toContain("- dev / cache › 1 × cache.t3.micro: $12.41 → $9.34 (−$3.07)");
  });

  test("identical reports say so", () => {
    expect(costLineDiff(parseCostLines(base), parseCostLines(base))).toBe("No line item changed.\n");
  });

  test("totals and modules reuse the pipeline's cost diff, labelled with the ref", () => {
    const md = costDiff(parseCostReport(base), parseCostReport(head), { base: "main (abc)", head: "this checkout" });
    expect(md).toContain("main (abc) → this checkout");
    expect(md).toContain("| dev | $46.56 | $20.17 | −$26.39 |");
    expect(md).toContain("- dev / network: $33.75 → $7.36 (−$26.39)");
  });

  test("the pipeline's own labels are unchanged", () => {
    expect(costDiff(parseCostReport(base), parseCostReport(head))).toContain(
      "base branch → this pull request\n\n| workspace | base | this PR | change |",
    );
  });

  test.each([
    [[], { mode: "report" }],
    [["--compare", "main"], { mode: "compare", ref: "main" }],
    [["--baseline", "b.txt"], { mode: "baseline", file: "b.txt" }],
    [["--save-baseline", "b.txt"], { mode: "save", file: "b.txt" }],
  ])("arguments %j", (argv, parsed) => {
    expect(parseCostArgs(argv as string[])).toEqual(parsed);
  });

  test.each([[["--compare"]], [["--compare", "--baseline"]], [["--bogus", "x"]], [["--compare", "a", "b"]]])(
    "refuses %j with the usage line",
    (argv) => {
      expect(() => parseCostArgs(argv)).toThrow(
        "usage: npm run cost [-- --compare <git-ref> | --baseline <file> | --save-baseline <file>]",
      );
    },
  );

  test("an unknown ref is refused before any worktree is made", () => {
    expect(() => costReportOfRef(path.resolve(__dirname, "../.."), "no-such-ref-xyz")).toThrow(
      "--compare no-such-ref-xyz: not a commit in this repository",
    );
  });

  test("a ref is estimated in a temporary worktree that is removed afterwards", () => {
    const repo = path.resolve(__dirname, "../..");
    const r = costReportOfRef(repo, "HEAD");
    expect(Object.keys(parseCostReport(r.text))).toEqual(expect.arrayContaining(["dev", "staging", "production"]));
    expect(execFileSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" })).not.toContain("cost-compare");
  }, 60_000);
});
