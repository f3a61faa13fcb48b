import * as fs from "fs";
import * as path from "path";
import { BENCH_BUDGETS, budgetLine } from "../../tools/bench";

const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");

test("the README lists every speed budget npm run bench enforces, with the bench's own limit", () => {
  const listed = readme.split("\n").filter((l) => / ≤ [\d.]+ (CPU-s|×)/.test(l) && l.startsWith("- "));
  expect(listed.map((l) => l.slice(2))).toEqual(BENCH_BUDGETS.map(budgetLine));
});
