import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BENCH_BUDGETS, budgetLine } from "../../tools/bench";

const REPO = path.join(__dirname, "../..");
const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");

test("the README lists every speed budget npm run bench enforces, with the bench's own limit", () => {
  const listed = readme.split("\n").filter((l) => / ≤ [\d.]+ (CPU-s|×)/.test(l) && l.startsWith("- "));
  expect(listed.map((l) => l.slice(2))).toEqual(BENCH_BUDGETS.map(budgetLine));
});

test("npm run bench refuses a flag it does not know at once, instead of measuring for minutes with it ignored", () => {
  const r = spawnSync("npm", ["run", "-s", "bench", "--", "--runz", "2"], { cwd: REPO, encoding: "utf8" });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("unknown argument --runz");
});
