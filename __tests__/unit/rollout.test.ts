import { spawnSync } from "child_process";
import * as path from "path";
import * as fs from "fs";
import { EDUAUTISMO, PRODUCTS } from "../../environments";
import { firstDeployMarkdown } from "../../tools/docs";
import { productFirstDeploy, runbookPath, sectionLines } from "../../tools/product-runbook";
import { moduleGraph, rolloutCommands, rolloutOrder, STATE_BACKUP, targetClosure } from "../../tools/rollout";
import { productStacks, synthAll } from "../helpers/synth";
import { synthWorkspace } from "../helpers/workspace-fixture";

const REPO = path.join(__dirname, "..", "..");
/** The old rollout's first deploy (module by module straight to compute), as a product's section prints it: the failing fixture. */
const productFirstDeployLines = (w: {
  product: (typeof PRODUCTS)[number];
  stack: Parameters<typeof productFirstDeploy>[1];
}) => sectionLines(productFirstDeploy(w.product, w.stack));

const { stacks } = synthAll();
const graph = moduleGraph(stacks.production.root);

test("the dependency graph is read from the module blocks' inputs", () => {
  expect(graph).toEqual({
    network: [],
    security: [],
    storage: ["security"],
    cache: ["network", "security"],
    database: ["network", "security"],
    compute: ["network", "security", "storage", "cache", "database"],
    monitoring: ["security", "cache", "database", "compute"],
    cdn: ["storage", "compute"],
    dr: ["security", "storage", "database"],
  });
});

test("the cache never depends on compute (seed 000 §5.2 applies the cache first)", () => {
  expect(targetClosure(graph, "cache")).not.toContain("compute");
});

test("a first deploy follows dependencies, then the design's order", () => {
  expect(rolloutOrder(graph)).toEqual([
    "network",
    "security",
    "storage",
    "cache",
    "database",
    "compute",
    "monitoring",
    "cdn",
    "dr",
  ]);
});

test("-target=module.compute also pulls in everything compute reads", () => {
  expect(targetClosure(graph, "compute")).toEqual(["network", "security", "storage", "cache", "database"]);
});

test("without a cache, nothing depends on it and the rollout skips it", () => {
  const off = synthWorkspace("production", (e) => Object.assign(e.cache, { enabled: false, allowDestroy: true }));
  expect(rolloutOrder(moduleGraph(off.root))).not.toContain("cache");
});

/** The bash lines of a runbook's first-deploy section (`## First deploy…`), in order. */
function firstDeployCommands(runbook: string): string[] {
  const section = runbook.split(/^(?=## )/m).find((s) => s.startsWith("## First deploy")) ?? "";
  return [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)]
    .flatMap((m) => m[1].split("\n"))
    .filter((l) => l !== "" && !l.startsWith("npm run rollout"));
}

/** Where `npm run rollout`'s first-deploy commands and a runbook's disagree: the first differing line, or undefined. */
function disagreement(runbook: string, rollout: string): string | undefined {
  const expected = firstDeployCommands(runbook);
  const printed = rollout
    .split("\n# Later changes")[0]
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"));
  const i = expected.findIndex((l, k) => printed[k] !== l);
  if (i >= 0) return `runbook line ${i + 1}: ${expected[i]}\nrollout prints: ${printed[i] ?? "(nothing)"}`;
  if (printed.length !== expected.length)
    return `rollout prints ${printed.length - expected.length} more command(s): ${printed.slice(expected.length).join(" / ")}`;
  return undefined;
}

const everyWorkspace = PRODUCTS.flatMap((product) => {
  const set = product === EDUAUTISMO ? { stacks } : productStacks(product);
  return Object.entries(set.stacks).map(([ws, stack]) => ({
    product,
    ws,
    stack,
    file: runbookPath(product, ws),
  }));
});

test.each(everyWorkspace.map((w) => [w.file, w] as const))(
  "npm run rollout prints %s's first deploy, command for command (one generator for both)",
  (_, w) => {
    const rollout = rolloutCommands(w.ws, moduleGraph(w.stack.root), firstDeployMarkdown(w.product, w.stack));
    const runbook = fs.readFileSync(path.join(REPO, w.file), "utf8");
    expect(firstDeployCommands(runbook).length).toBeGreaterThan(8);
    expect(disagreement(runbook, rollout)).toBeUndefined();
  },
);

test("the agreement check fails when the runbook's first deploy has a step the rollout lacks (a secret or image step)", () => {
  const w = everyWorkspace.find(
    (x) => x.ws === "production" && x.product === EDUAUTISMO,
  ) as (typeof everyWorkspace)[number];
  const runbook = fs.readFileSync(path.join(REPO, w.file), "utf8");
  const straightToCompute = rolloutCommands(w.ws, moduleGraph(w.stack.root), productFirstDeployLines(w));
  expect(disagreement(runbook, straightToCompute)).toMatch(/^runbook line \d+: /);
});

test.each(everyWorkspace.map((w) => [w.file, w] as const))(
  "npm run rollout for %s backs up the state the way the runbooks do (npm run state -- backup, no state pull to a file)",
  (_, w) => {
    const rollout = rolloutCommands(w.ws, moduleGraph(w.stack.root), firstDeployMarkdown(w.product, w.stack));
    const runbook = fs.readFileSync(path.join(REPO, w.file), "utf8");
    expect(rollout).not.toContain("terraform state pull > terraform.tfstate.backup");
    expect(rollout.split("\n")).toContain(STATE_BACKUP);
    expect(runbook).toMatch(new RegExp(`^${STATE_BACKUP}(\\s|$)`, "m"));
  },
);

test("asking for a module the workspace does not have names the ones it has", () => {
  expect(() => targetClosure(moduleGraph(stacks.dev.root), "cdn")).toThrow(
    'no module "cdn" in this workspace (it has: network, security, storage, cache, database, compute, monitoring)',
  );
});

test("a dependency cycle is reported", () => {
  expect(() => rolloutOrder({ a: ["b"], b: ["a"] })).toThrow("module dependency cycle among: a, b");
});

test("npm run rollout -- <product>/<ws> prints that product's directory and workspace; an unknown one lists them", () => {
  const repo = path.join(__dirname, "..", "..");
  const run = (args: string[]) =>
    spawnSync("npm", ["run", "-s", "rollout", "--", ...args], { cwd: repo, encoding: "utf8" });
  const r = run(["retell/staging"]);
  expect(r.stdout).toContain("cd cdktf.out/retell/stacks/staging\n");
  expect(
    disagreement(fs.readFileSync(path.join(REPO, "docs/runbooks/retell/staging.md"), "utf8"), r.stdout),
  ).toBeUndefined();
  const bad = run(["retell/nosuch"]);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("|retell/staging|retell/production|");
});
