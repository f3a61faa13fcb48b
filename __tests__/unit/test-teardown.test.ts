/** The global teardown removes its own run's operator copies and killed runs' leftovers, never a live run's. */
import { copiesToRemove, STALE_COPY_MS } from "../helpers/global-teardown";

const names = ["optest-runA-x1", "optest-runA-x2", "optest-runB-y1", "optest-old-z1", "stacks", "manifest.json"];
const ages: Record<string, number> = {
  "optest-runA-x1": 5_000,
  "optest-runA-x2": 9_000,
  "optest-runB-y1": 60_000,
  "optest-old-z1": STALE_COPY_MS + 1,
};
const removed = copiesToRemove(names, "runA", (d) => ages[d] ?? 0);

test("a run removes its own operator copies", () => {
  expect(removed).toEqual(expect.arrayContaining(["optest-runA-x1", "optest-runA-x2"]));
});

test("a copy of another run still going is kept (a unit run no longer breaks a Terraform run in the same checkout)", () => {
  expect(removed).not.toContain("optest-runB-y1");
});

test("a copy a killed run left more than two hours ago is removed, and nothing but optest-* is touched", () => {
  expect(removed.sort()).toEqual(["optest-old-z1", "optest-runA-x1", "optest-runA-x2"]);
});
