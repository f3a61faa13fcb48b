/**
 * `npm run pipeline -- cost-diff`, spawned as the pull-request workflow types it: a failed or garbled cost
 * report is refused by name (the job fails), and a base branch whose estimate is unusable reads "Base
 * estimate unavailable", never "no change". Why a report is refused is read in-process (costReportProblems, the
 * function the command calls); each way the command acts on a refusal is spawned once.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { costReportProblems } from "../../tools/pipeline";
import { tempDir } from "../../tools/terraform";

const repo = path.join(__dirname, "..", "..");
const dir = tempDir("cost-diff");

const REPORT = `dev (us-east-1)
  network          $37.40
      1 NAT gateway(s) + 20 GB processed                       $33.75
  compute          $39.87
  total            $77.27   budget $100–150: OK
`;

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

function costDiff(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync("npm", ["run", "-s", "pipeline", "--", "cost-diff", ...args], { cwd: repo, encoding: "utf8" });
}

const good = file("good.txt", REPORT);

describe("a saved report is refused, naming the file and what is wrong", () => {
  test("an empty one (a failed npm run cost)", () => {
    expect(costReportProblems("", "head.txt")).toEqual([
      "head.txt: empty: npm run cost wrote nothing (a failed run prints its error on stderr)",
    ]);
  });

  test("one that is not npm run cost output, not read as 'no change'", () => {
    expect(costReportProblems('npm ERR! code ELIFECYCLE\n{ "total": 3 }\n', "head.txt")).toEqual([
      'head.txt: not an npm run cost report: no "<workspace> (<region>)" header line',
    ]);
  });

  test("one cut short (a workspace without its total)", () => {
    expect(costReportProblems(REPORT.split("\n").slice(0, 3).join("\n"), "head.txt")).toEqual([
      'head.txt: workspace dev has no "total" line (the report is cut short)',
    ]);
  });

  test("a whole report passes", () => {
    expect(costReportProblems(REPORT, "head.txt")).toEqual([]);
  });
});

test("a refused report of either branch fails the step, naming each file, and prints no table", () => {
  const empty = file("empty.txt", "");
  const garbage = file("garbage.txt", 'npm ERR! code ELIFECYCLE\n{ "total": 3 }\n');
  const r = costDiff(empty, garbage);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`${garbage}: not an npm run cost report`);
  expect(r.stderr).toContain(`${empty}: empty: npm run cost wrote nothing`);
  expect(r.stdout).toBe("");
});

test("--base-optional never makes this branch's report optional", () => {
  const broken = file("base-broken-too.txt", "Error: Cannot find module 'x'\n");
  const empty = file("head-empty.txt", "");
  const r = costDiff("--base-optional", broken, empty);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`${empty}: empty: npm run cost wrote nothing`);
  expect(r.stderr).not.toContain(broken);
  expect(r.stdout).toBe("");
});

test("with --base-optional a broken base branch's estimate reads 'Base estimate unavailable', never 'no change'", () => {
  const broken = file("base-broken.txt", "Error: Cannot find module 'x'\n");
  const r = costDiff("--base-optional", broken, good);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("**Base estimate unavailable**");
  expect(r.stdout).toContain(`${broken}: not an npm run cost report`);
  expect(r.stdout).toContain("| dev | $77.27 |");
  expect(r.stdout).not.toMatch(/no change|No module's estimate changed|±\$0\.00/);
});
