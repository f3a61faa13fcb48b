/**
 * The estimate's lines of issue 24 item 8 and issue 25 item 6 (D191, D192): public IPv4 addresses, Container Insights,
 * RDS backups beyond the free allocation, one-year reservations, the budget verdicts, and the seed comparison. Priced
 * from the parsed configs over the run's shared synthesis (global setup); a changed config is an object, not a synth.
 */
import { execFileSync, spawnSync } from "child_process";
import * as path from "path";
import { EDUAUTISMO, loadEnvironments, PRODUCTS, type EnvironmentConfig } from "../../environments";
import { hasLoadBalancer } from "../../modules/compute/config";
import { costLineDiff, costReportOfRef, parseCostArgs, parseCostLines } from "../../tools/cost/compare";
import {
  formatBudgetVerdicts,
  formatReservations,
  reservationEstimates,
  RESERVATION_REGIONS,
} from "../../tools/cost/commitments";
import { albAzs, estimate, formatEstimate } from "../../tools/cost/estimate";
import { HOURS_PER_MONTH, PRICES } from "../../tools/cost/prices";
import { seedComparison } from "../../tools/cost/seed";
import { costDiff, parseCostReport } from "../../tools/pipeline";
import { productStacks, synthAll, type SynthesizedStack } from "../helpers/synth";

type Ws = [string, EnvironmentConfig, SynthesizedStack];
const eduautismo = { stacks: synthAll().stacks, envs: loadEnvironments() };
const workspaces: Ws[] = [
  ...eduautismo.envs.map((e) => [e.workspace, e, eduautismo.stacks[e.workspace]] as Ws),
  ...PRODUCTS.filter((p) => p !== EDUAUTISMO).flatMap((p) => {
    const set = productStacks(p);
    return set.envs.map((e) => [set.label(e.workspace), e, set.stacks[e.workspace]] as Ws);
  }),
];
const ws = (label: string) => workspaces.find(([l]) => l === label)!;
const ipv4 = (env: EnvironmentConfig, stack: SynthesizedStack, running = true) =>
  estimate(env, stack, { running }).lines.filter((l) => /public IPv4/.test(l.item) && !/task-hour/.test(l.item));
const natGateways = (env: EnvironmentConfig) =>
  env.network.mode === "dedicated" && (env.network.natMode === "single" || env.network.natMode === "one-per-az");

describe("public IPv4 addresses", () => {
  test.each(workspaces)(
    "%s: a line for the ALB's and the NAT gateways' addresses exactly when they exist",
    (_, env, stack) => {
      const lines = ipv4(env, stack);
      expect(lines.some((l) => l.module === "compute" && l.item.startsWith("ALB public IPv4"))).toBe(
        hasLoadBalancer(env),
      );
      expect(lines.some((l) => l.module === "network" && /^\d+ public IPv4/.test(l.item))).toBe(natGateways(env));
    },
  );

  test("an internet-facing ALB pays one address per AZ it spans, all month (stopping keeps the ALB)", () => {
    const [, env, stack] = ws("production");
    const alb = ipv4(env, stack, false).find((l) => l.item.startsWith("ALB public IPv4"));
    expect(alb?.usd).toBeCloseTo(albAzs(env) * PRICES[env.region].publicIpv4Hour * HOURS_PER_MONTH, 6);
    expect(albAzs(env)).toBe(env.network.publicSubnets.length);
  });

  test("without a web service and without a NAT gateway there is no address line", () => {
    const [, env, stack] = ws("production");
    const bare: EnvironmentConfig = {
      ...env,
      network: { ...env.network, natMode: "none" },
      compute: { ...env.compute, services: [] },
    };
    expect(ipv4(bare, stack)).toEqual([]);
  });
});

describe("Container Insights", () => {
  const insights = (env: EnvironmentConfig, stack: SynthesizedStack, running = true) =>
    estimate(env, stack, { running }).lines.filter((l) => l.item.startsWith("Container Insights"));

  test.each(workspaces)("%s: priced exactly where compute.containerInsights is on", (_, env, stack) => {
    const runs =
      env.compute.services.some((s) => s.desiredCount > 0) ||
      (env.compute.tasks.length > 0 && env.cost.usage.taskHours > 0);
    expect(insights(env, stack).length).toBe(env.compute.containerInsights && runs ? 1 : 0);
  });

  test("a stopped environment reports no Container Insights metrics", () => {
    const [, env, stack] = ws("production");
    expect(env.compute.containerInsights).toBe(true);
    expect(insights(env, stack, false)).toEqual([]);
  });
});

describe("RDS backups beyond the free allocation", () => {
  const backups = (env: EnvironmentConfig, stack: SynthesizedStack, days: number) =>
    estimate({ ...env, database: { ...env.database, backupRetentionDays: days } }, stack).lines.find((l) =>
      l.item.startsWith("backups beyond"),
    )?.usd ?? 0;

  test("grow with the retention and cost nothing with one day (the free allocation covers the full backup)", () => {
    const [, env, stack] = ws("production");
    expect(backups(env, stack, 1)).toBe(0);
    expect(backups(env, stack, 30)).toBeGreaterThan(backups(env, stack, 7));
    expect(backups(env, stack, 7)).toBeGreaterThan(0);
  });
});

describe("one-year reservations", () => {
  test.each(workspaces)(
    "%s: below on-demand in both regions with a database or cache, equal without",
    (_, env, stack) => {
      const list = reservationEstimates(env, stack);
      expect(list.map((r) => r.region)).toEqual([...RESERVATION_REGIONS]);
      for (const r of list) {
        if (env.database.enabled || env.cache.enabled) expect(r.reserved).toBeLessThan(r.onDemand);
        else expect(r.reserved).toBe(r.onDemand);
        // A reservation covers instance hours only: it never saves more than they cost.
        expect(r.onDemand - r.reserved).toBeLessThanOrEqual(r.reservable);
      }
    },
  );

  test("the workspace's own region's on-demand figure is its estimate", () => {
    const [, env, stack] = ws("production");
    const own = reservationEstimates(env, stack).find((r) => r.region === env.region);
    expect(own?.onDemand).toBeCloseTo(estimate(env, stack).total, 6);
  });
});

describe("the report's new lines leave cost-diff and --compare as they were", () => {
  const [, env, stack] = ws("production");
  const e = estimate(env, stack);
  const text = [
    formatEstimate(e, env.cost.budgetUsd),
    formatReservations(reservationEstimates(env, stack)),
    "",
    formatBudgetVerdicts([{ workspace: "production", total: e.total, budget: env.cost.budgetUsd }]),
  ].join("\n");

  test("the pipeline reads the modules and the total, not the reservation or budget lines", () => {
    expect(Object.keys(parseCostReport(text).production).sort()).toEqual([...Object.keys(e.byModule), "total"].sort());
  });

  test("--compare reads exactly the line items", () => {
    expect(Object.keys(parseCostLines(text).production).length).toBe(e.lines.length);
  });
});

test("a budget verdict per workspace: OVER above max, under otherwise", () => {
  const text = formatBudgetVerdicts([
    { workspace: "a", total: 120, budget: { min: 0, max: 100 } },
    { workspace: "b/prod", total: 80, budget: { min: 0, max: 100 } },
  ]);
  expect(text.split("\n").slice(1)).toEqual([
    "- a      $120.00 of $100.00: OVER budget by $20.00",
    "- b/prod $80.00 of $100.00: under budget by $20.00",
  ]);
});

test("npm run cost ends with an over/under-budget line for every workspace", () => {
  const repo = path.join(__dirname, "..", "..");
  const run = spawnSync("npm", ["run", "--silent", "cost", "--", "--product", "aitechne"], {
    cwd: repo,
    encoding: "utf8",
  });
  expect(run.status).toBe(0);
  const tail = run.stdout.trimEnd().split("\n").slice(-2);
  expect(tail.map((l) => /^- (aitechne\/\w+) .*: (under|OVER) budget by \$/.exec(l)?.[1])).toEqual([
    "aitechne/dev",
    "aitechne/prod",
  ]);
});

describe("seed 000 §10 beside the estimate (docs/costs.md)", () => {
  const set = { product: EDUAUTISMO, envs: eduautismo.envs, stacks: eduautismo.stacks, label: (w: string) => w };
  const table = seedComparison(set);
  const money = (cell: string) => Number(cell.replace(/[*$,]/g, ""));

  test.each(eduautismo.envs.map((e) => e.workspace))(
    "%s: the rows add up to the estimate (no line lost or counted twice)",
    (w) => {
      const rows = table.split("\n").filter((l) => l.startsWith(`| ${w} |`));
      const sum = rows.reduce((n, l) => n + money(l.split(" | ")[3]), 0);
      const total = table.split("\n").find((l) => l.startsWith(`| **${w}** |`))!;
      expect(sum).toBeCloseTo(money(total.split(" | ")[3]), 1);
      expect(money(total.split(" | ")[3])).toBeCloseTo(
        estimate(
          eduautismo.envs.find((e) => e.workspace === w)!,
          eduautismo.stacks[w],
        ).total,
        1,
      );
    },
  );

  test("production lists the seed's lines the old table lacked: S3 + Logs + Backups, Secrets Manager", () => {
    const rows = table.split("\n").filter((l) => l.startsWith("| production |"));
    for (const label of ["S3 + Logs + Backups", "Secrets Manager", "CloudWatch Logs", "WAF"])
      expect(rows.some((l) => l.split(" | ")[1] === label && money(l.split(" | ")[3]) > 0)).toBe(true);
    expect(rows.find((l) => l.includes("S3 + Logs + Backups"))).toMatch(/backups beyond the free allocation/);
  });
});

// Formerly cost-compare.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("npm run cost -- --compare / --baseline (tools/cost/compare.ts)", () => {
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
});
