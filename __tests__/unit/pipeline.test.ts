/** The pipeline's helpers: workspace guard, plan summary, cost difference, rollout steps as data. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  costDiff,
  costReportProblems,
  parseCostReport,
  pipelineProblems,
  planSummary,
  providerRegion,
  stateBucket,
  stringLike,
} from "../../tools/pipeline";
import { productById, EDUAUTISMO, PRODUCTS } from "../../environments";
import { tempDir } from "../../tools/terraform";
import {
  MODULE_ORDER,
  moduleGraph,
  moduleSteps,
  targetClosure,
  targetedRollout,
  rolloutCommands,
  rolloutOrder,
  STATE_BACKUP,
} from "../../tools/rollout";
import { productStacks, synthAll } from "../helpers/synth";
import { pipelineReadyWorkspace, synthWorkspace } from "../helpers/workspace-fixture";
import { firstDeployMarkdown } from "../../tools/docs";
import { productFirstDeploy, runbookPath, sectionLines } from "../../tools/product-runbook";

const repo = path.join(__dirname, "..", "..");
const { stacks } = synthAll();

describe("npm run pipeline -- check", () => {
  test("a workspace with local state is refused: a runner keeps no files between runs", () => {
    expect(pipelineProblems(stacks.dev)[0]).toMatch(
      /^dev: the state is local \(backend "local"\).*Set state: \{ bucket: "\.\.\." \} in environments\/eduautismo\/dev\.ts/,
    );
  });

  test("a workspace without the Terraform roles is refused: the deploy role cannot run Terraform (D84, D97)", () => {
    const s3 = { staging: synthWorkspace("staging", (e) => (e.state = { bucket: "eduautismo-ia-terraform-state" })) };
    expect(pipelineProblems(s3.staging, "cleybersilva/eduautismo-ia-mvp")).toEqual([
      expect.stringMatching(
        /^staging: no Terraform roles .*Set security\.deploy\.terraformRoles: \{ enabled: true \} in environments\/eduautismo\/staging\.ts/,
      ),
    ]);
  });

  test("a workspace with S3 state and the Terraform roles in the trusted repository passes and names its bucket and region", () => {
    const s3 = { staging: pipelineReadyWorkspace("staging") };
    expect(pipelineProblems(s3.staging, "cleybersilva/eduautismo-ia-mvp")).toEqual([]);
    expect(stateBucket(s3.staging)).toBe("eduautismo-ia-terraform-state");
    expect(providerRegion(s3.staging)).toBe("us-east-1");
    expect(pipelineProblems(s3.staging, "someone/fork")).toEqual([
      expect.stringMatching(
        /^staging: the Terraform roles trust cleybersilva\/eduautismo-ia-mvp, but this workflow runs in someone\/fork/,
      ),
    ]);
  });
});

describe("plan summary", () => {
  const plan = {
    resource_changes: [
      { address: "module.cache.aws_elasticache_replication_group.this", change: { actions: ["delete", "create"] } },
      { address: "module.network.aws_vpc.this", change: { actions: ["no-op"] } },
      { address: 'module.compute.aws_ecs_service.app["api"]', change: { actions: ["update"] } },
      { address: "module.storage.aws_s3_bucket.this", change: { actions: ["create"] } },
      { address: "module.dr.aws_backup_vault.this", change: { actions: ["delete"] } },
    ],
  };

  test("counts additions, changes, replacements and deletions like terraform plan", () => {
    expect(planSummary("production", plan)).toContain("**1 to add, 1 to change, 1 to replace, 1 to destroy.**");
  });

  test("warns and lists destroyed and replaced resources open, before the rest", () => {
    const md = planSummary("production", plan);
    expect(md).toContain(":warning: this plan destroys or replaces resources");
    expect(md.indexOf("<details open><summary>delete (1)</summary>")).toBeLessThan(
      md.indexOf("<summary>create (1)</summary>"),
    );
    expect(md).toContain("- `module.cache.aws_elasticache_replication_group.this`");
    expect(md).not.toContain("aws_vpc");
  });

  test("an empty plan says so without a warning", () => {
    const md = planSummary("dev", { resource_changes: [] });
    expect(md).toContain("**0 to add, 0 to change, 0 to replace, 0 to destroy.**");
    expect(md).not.toContain("warning");
  });
});

describe("cost difference against the base branch", () => {
  const head = `dev (us-east-1)
  network          $37.40
      1 NAT gateway(s) + 20 GB processed                       $33.75
  compute          $39.87
  total            $77.27   budget $100–150: OK

production (us-east-1)
  network          $1,200.00
  total          $1,200.00   budget $1000–2000: OK
`;

  test("reads module and total lines per workspace, ignoring the detail lines", () => {
    expect(parseCostReport(head)).toEqual({
      dev: { network: 37.4, compute: 39.87, total: 77.27 },
      production: { network: 1200, total: 1200 },
    });
  });

  test("shows each workspace's total before and after, and the modules that moved", () => {
    const base = parseCostReport(head.replace("$39.87", "$30.00").replace("$77.27", "$67.40"));
    const md = costDiff(base, parseCostReport(head));
    expect(md).toContain("| dev | $67.40 | $77.27 | +$9.87 |");
    expect(md).toContain("| production | $1200.00 | $1200.00 | ±$0.00 |");
    expect(md).toContain("- dev / compute: $30.00 → $39.87 (+$9.87)");
    expect(md).not.toContain("dev / network");
  });

  test("a base branch whose cost run failed shows dashes, not a made-up change", () => {
    expect(costDiff({}, parseCostReport(head))).toContain("| dev | — | $77.27 | new/removed |");
  });
});

describe("rollout steps as data", () => {
  test("targetedRollout carries exactly the plan and apply commands of the module", () => {
    expect(targetedRollout("staging", "compute", ["network"])).toEqual({
      workspace: "staging",
      module: "compute",
      alsoPlans: ["network"],
      planFile: "tfplan-ecs",
      steps: moduleSteps("staging", "compute"),
    });
  });

  test("npm run rollout -- <ws> <module> --json prints the plan line the text form prints, then its apply", () => {
    const run = (args: string[]) =>
      spawnSync("npm", ["run", "-s", "rollout", "--", ...args], { cwd: repo, encoding: "utf8" });
    // AI Techne's dev: the smallest product to synthesize; the command's code is the same for every workspace.
    const json = JSON.parse(run(["aitechne/dev", "storage", "--json"]).stdout);
    const text = run(["aitechne/dev", "storage"]).stdout.trim().split("\n");
    expect(json.steps).toEqual([text[1], "terraform apply tfplan-storage"]);
    const dev = productStacks(productById("aitechne")).stacks.dev;
    expect(json.alsoPlans).toEqual(targetClosure(moduleGraph(dev.root), "storage"));
    expect(json.alsoPlans.length).toBeGreaterThan(0);
  });

  test("--json without a module is a usage error", () => {
    const r = spawnSync("npm", ["run", "-s", "rollout", "--", "dev", "--json"], { cwd: repo, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--json needs a module");
  });
});

test("StringLike wildcards: * spans any characters, other characters are literal", () => {
  expect(stringLike("repo:o/r:environment:*", "repo:o/r:environment:dev")).toBe(true);
  expect(stringLike("repo:o/r:ref:refs/heads/main", "repo:o/r:ref:refs/heads/mainx")).toBe(false);
  expect(stringLike("repo:o/r.x:*", "repo:o/rax:pull_request")).toBe(false);
});

test("the cdktf guard reads the command and the stacks, not flag values, from the CLI's command line", () => {
  const script = `import { cdktfCommand, REFUSED } from "./scripts/cdktf-guard.mjs";
console.log(JSON.stringify([
  cdktfCommand(["node", "/r/node_modules/.bin/cdktf", "deploy", "--output", "/tmp/x", "--auto-approve", "dev"]),
  cdktfCommand(["node", "/r/node_modules/cdktf-cli/bundle/bin/cdktf", "diff", "staging"]),
  cdktfCommand(["sh", "-c", "node scripts/synth.mjs"]),
  [...REFUSED].sort(),
]));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: repo, encoding: "utf8" });
  expect(JSON.parse(r.stdout)).toEqual([
    { command: "deploy", stacks: ["dev"] },
    { command: "diff", stacks: ["staging"] },
    null,
    ["apply", "deploy", "destroy", "watch"],
  ]);
});

// Formerly pipeline-cost-diff.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("npm run pipeline -- cost-diff", () => {
  /**
   * `npm run pipeline -- cost-diff`, spawned as the pull-request workflow types it: a failed or garbled cost
   * report is refused by name (the job fails), and a base branch whose estimate is unusable reads "Base
   * estimate unavailable", never "no change". Why a report is refused is read in-process (costReportProblems, the
   * function the command calls); each way the command acts on a refusal is spawned once.
   */
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

  function costDiffCommand(...args: string[]): { status: number | null; stdout: string; stderr: string } {
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
    const r = costDiffCommand(empty, garbage);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${garbage}: not an npm run cost report`);
    expect(r.stderr).toContain(`${empty}: empty: npm run cost wrote nothing`);
    expect(r.stdout).toBe("");
  });

  test("--base-optional never makes this branch's report optional", () => {
    const broken = file("base-broken-too.txt", "Error: Cannot find module 'x'\n");
    const empty = file("head-empty.txt", "");
    const r = costDiffCommand("--base-optional", broken, empty);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${empty}: empty: npm run cost wrote nothing`);
    expect(r.stderr).not.toContain(broken);
    expect(r.stdout).toBe("");
  });

  test("with --base-optional a broken base branch's estimate reads 'Base estimate unavailable', never 'no change'", () => {
    const broken = file("base-broken.txt", "Error: Cannot find module 'x'\n");
    const r = costDiffCommand("--base-optional", broken, good);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("**Base estimate unavailable**");
    expect(r.stdout).toContain(`${broken}: not an npm run cost report`);
    expect(r.stdout).toContain("| dev | $77.27 |");
    expect(r.stdout).not.toMatch(/no change|No module's estimate changed|±\$0\.00/);
  });
});

// Formerly rollout.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("npm run rollout", () => {
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
    const order = rolloutOrder(graph);
    expect([...order].sort()).toEqual(Object.keys(graph).sort());
    // Every module comes after everything it reads, and modules with no dependency between them keep MODULE_ORDER.
    order.forEach((m, i) => expect(targetClosure(graph, m).filter((d) => order.indexOf(d) > i)).toEqual([]));
    const independent = (a: string, b: string) =>
      !targetClosure(graph, a).includes(b) && !targetClosure(graph, b).includes(a);
    for (const [i, a] of order.entries())
      for (const b of order.slice(i + 1))
        if (independent(a, b)) expect(MODULE_ORDER.indexOf(a)).toBeLessThan(MODULE_ORDER.indexOf(b));
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
});
