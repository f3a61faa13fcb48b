/**
 * `npm run pipeline -- cost-diff`, spawned as the pull-request workflow types it: a failed or garbled cost
 * report is refused by name (the job fails), and a base branch whose estimate is unusable reads "Base
 * estimate unavailable", never "no change".
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
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

test("an empty report of this branch (a failed npm run cost) fails the step, naming the file", () => {
  const empty = file("empty.txt", "");
  const r = costDiff("--base-optional", good, empty);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`${empty}: empty: npm run cost wrote nothing`);
  expect(r.stdout).toBe("");
});

test("a report that is not npm run cost output is refused with what is wrong, not read as 'no change'", () => {
  const garbage = file("garbage.txt", 'npm ERR! code ELIFECYCLE\n{ "total": 3 }\n');
  const r = costDiff(good, garbage);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`${garbage}: not an npm run cost report: no "<workspace> (<region>)" header line`);
  expect(r.stdout).not.toContain("No module's estimate changed");
});

test("a report cut short (a workspace without its total) is refused", () => {
  const cut = file("cut.txt", REPORT.split("\n").slice(0, 3).join("\n"));
  const r = costDiff(good, cut);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`${cut}: workspace dev has no "total" line`);
});

test("without --base-optional an empty base report is refused too", () => {
  const empty = file("base-empty.txt", "");
  const r = costDiff(empty, good);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`${empty}: empty`);
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
