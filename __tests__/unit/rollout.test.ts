import { spawnSync } from "child_process";
import * as path from "path";
import { moduleGraph, rolloutCommands, rolloutOrder, targetClosure } from "../../lib/tools/rollout";
import { inputs, synthAll } from "../helpers/synth";

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
  expect(rolloutOrder(graph)).toEqual(["network", "security", "storage", "cache", "database", "compute", "monitoring", "cdn", "dr"]);
});

test("-target=module.compute also pulls in everything compute reads", () => {
  expect(targetClosure(graph, "compute")).toEqual(["network", "security", "storage", "cache", "database"]);
});

test("without a cache, nothing depends on it and the rollout skips it", () => {
  const all = inputs();
  all.production.cache = { ...all.production.cache, enabled: false, allowDestroy: true };
  const { stacks: off } = synthAll(all);
  expect(rolloutOrder(moduleGraph(off.production.root))).not.toContain("cache");
});

test("the commands use the seeds' var-file path and plan file names", () => {
  const text = rolloutCommands("production", graph);
  expect(text).toContain('terraform plan -var-file="environments/production/terraform.tfvars" -target=module.cache -out=tfplan-cache\nterraform apply tfplan-cache');
  expect(text).toContain("-target=module.compute -out=tfplan-ecs");
  expect(text).toContain("terraform state pull > terraform.tfstate.backup");
});

test("asking for a module the workspace does not have names the ones it has", () => {
  expect(() => targetClosure(moduleGraph(stacks.dev.root), "cdn")).toThrow('no module "cdn" in this workspace (it has: network, security, storage, cache, database, compute, monitoring)');
});

test("a dependency cycle is reported", () => {
  expect(() => rolloutOrder({ a: ["b"], b: ["a"] })).toThrow("module dependency cycle among: a, b");
});

test("npm run rollout -- <product>/<ws> prints that product's directory and workspace; an unknown one lists them", () => {
  const repo = path.join(__dirname, "..", "..");
  const run = (args: string[]) => spawnSync("npx", ["tsx", "scripts/rollout.ts", ...args], { cwd: repo, encoding: "utf8" });
  const r = run(["retell/staging"]);
  expect(r.stdout).toContain("cd cdktf.out/retell/stacks/staging\n");
  expect(r.stdout).toContain('terraform plan -var-file="environments/staging/terraform.tfvars" -target=module.compute -out=tfplan-ecs');
  const bad = run(["retell/nosuch"]);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("|retell/staging|retell/production|");
});
