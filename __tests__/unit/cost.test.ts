import { loadEnvironments } from "../../environments";
import { problems } from "../helpers/config";
import { estimate, formatEstimate, moduleInput } from "../../lib/tools/cost/estimate";
import { HOURS_PER_MONTH, PRICES } from "../../lib/tools/cost/prices";
import { synthAll } from "../helpers/synth";
import { synthWorkspace } from "../helpers/workspace-fixture";

const { stacks } = synthAll();
const envs = Object.fromEntries(loadEnvironments().map((e) => [e.workspace, e]));
const est = (ws: string) => estimate(stacks[ws], envs[ws].cost);
const line = (ws: string, module: string, start: string) =>
  est(ws).lines.find((l) => l.module === module && l.item.startsWith(start));
const p = PRICES["us-east-1"];

describe.each(["dev", "staging", "production"])("the %s estimate", (ws) => {
  test("stays within the environment's budget (the gate)", () => {
    expect(est(ws).total).toBeLessThanOrEqual(envs[ws].cost.budgetUsd.max);
  });

  test("adds up its modules", () => {
    const e = est(ws);
    expect(Object.values(e.byModule).reduce((a, b) => a + b, 0)).toBeCloseTo(e.total, 6);
  });
});

test("knob values are read through the root variables (what tfvars says)", () => {
  expect(moduleInput(stacks.production, "cache", "redis_node_type")).toBe(envs.production.cache.nodeType);
  expect(moduleInput(stacks.dev, "database", "db_multi_az")).toBe(envs.dev.database.multiAz);
});

test("Multi-AZ doubles the RDS instance hours", () => {
  const multiAz = Object.values(envs).filter((e) => e.database.multiAz);
  const single = Object.values(envs).filter((e) => !e.database.multiAz);
  expect([multiAz.length, single.length].every((n) => n > 0)).toBe(true);
  for (const e of multiAz)
    expect(line(e.workspace, "database", `${e.database.instanceClass} Multi-AZ`)?.usd).toBeCloseTo(
      2 * p.rdsHour[e.database.instanceClass] * HOURS_PER_MONTH,
      6,
    );
  for (const e of single)
    expect(line(e.workspace, "database", e.database.instanceClass)?.usd).toBeCloseTo(
      p.rdsHour[e.database.instanceClass] * HOURS_PER_MONTH,
      6,
    );
});

/** Production's Redis nodes as the estimator names them (`<n> × <type>`). */
const prodNodes = () => `${envs.production.cache.numCacheNodes} × ${envs.production.cache.nodeType}`;
const prodNodeHours = () =>
  envs.production.cache.numCacheNodes * p.elasticacheHour[envs.production.cache.nodeType] * HOURS_PER_MONTH;
/** Production on Redis OSS instead of Valkey, otherwise the same config. */
let redisOss: ReturnType<typeof synthWorkspace> | undefined;
const onRedisOss = () =>
  (redisOss ??= synthWorkspace("production", (e) => Object.assign(e.cache, { engine: "redis", engineVersion: "7.1" })));

test("ElastiCache bills every node, Valkey at its fraction of the Redis OSS price", () => {
  expect(envs.production.cache.engine).toBe("valkey");
  expect(line("production", "cache", `${prodNodes()} Valkey`)?.usd).toBeCloseTo(
    prodNodeHours() * p.elasticacheValkeyFactor,
    6,
  );
});

test("a Redis OSS group is billed at the full node price", () => {
  const l = estimate(onRedisOss(), envs.production.cost).lines.find(
    (x) => x.module === "cache" && x.item.startsWith(prodNodes()),
  );
  expect(l).toEqual({ module: "cache", item: prodNodes(), usd: prodNodeHours() });
});

test("Fargate bills vCPU and memory hours at the desired count", () => {
  expect(line("production", "compute", "app: 3 task(s)")?.usd).toBeCloseTo(
    3 * (1 * p.fargateVcpuHour + 2 * p.fargateGbHour) * HOURS_PER_MONTH,
    6,
  );
});

test("one NAT gateway per AZ in production, one in staging, a NAT instance in dev", () => {
  expect(line("production", "network", "3 NAT gateway(s)")).toBeDefined();
  expect(line("staging", "network", "1 NAT gateway(s)")).toBeDefined();
  expect(line("dev", "network", "NAT instance t4g.nano")).toBeDefined();
});

test("Fargate Spot services cost the Spot fraction", () => {
  const s = synthWorkspace("dev", (e) =>
    e.compute.services.push({
      name: "jobs",
      kind: "worker",
      cpu: 512,
      memory: 1024,
      desiredCount: 2,
      minCapacity: 1,
      maxCapacity: 2,
      spot: true,
    }),
  );
  const jobs = estimate(s, envs.dev.cost).lines.find((l) => l.item.startsWith("jobs:"));
  expect(jobs?.usd).toBeCloseTo(
    2 * (0.5 * p.fargateVcpuHour + 1 * p.fargateGbHour) * HOURS_PER_MONTH * p.fargateSpotFactor,
    6,
  );
});

test("a stopped environment pays no NAT and no tasks", () => {
  const s = structuredClone(stacks.dev);
  s.root.variable.environment_running.default = false;
  const e = estimate(s, envs.dev.cost);
  expect(e.lines.filter((l) => /NAT|task/.test(l.item))).toEqual([]);
});

test("sa-east-1 prices the same platform higher", () => {
  const sa = estimate(
    synthWorkspace("production", (e) => {
      e.region = "sa-east-1";
      e.availabilityZones = ["sa-east-1a", "sa-east-1b", "sa-east-1c"];
      e.compute.certificateArn = "arn:aws:acm:sa-east-1:333333333333:certificate/00000000-0000-0000-0000-000000000003";
    }),
    envs.production.cost,
  );
  expect(sa.region).toBe("sa-east-1");
  expect(sa.total / est("production").total).toBeGreaterThan(1.4);
});

test("an instance class without a price fails with a pointer to the table", () => {
  const dev = structuredClone(stacks.dev);
  dev.root.variable.db_instance_class.default = "db.m7g.large";
  expect(() => estimate(dev, envs.dev.cost)).toThrow(
    "no price for RDS class db.m7g.large: add it to lib/tools/cost/prices.ts",
  );
});

test("the report flags a workspace over its budget", () => {
  expect(formatEstimate(est("production"), { min: 0, max: 1000 })).toMatch(
    /total +\$\d+\.\d\d +budget \$0–1000: OVER$/,
  );
  const { min, max } = envs.production.cost.budgetUsd;
  expect(formatEstimate(est("production"), { min: 0, max: 1e9 })).toMatch(/budget \$0–1000000000: OK$/);
  expect(formatEstimate(est("production"), envs.production.cost.budgetUsd)).toContain(`budget $${min}–${max}`);
});

test("data transfer to the internet is priced from the environment's usage assumption (seed 000 §10)", () => {
  expect(line("staging", "transfer", `${envs.staging.cost.usage.internetOutGb} GB out`)?.usd).toBeCloseTo(
    envs.staging.cost.usage.internetOutGb * p.internetOutGb,
    6,
  );
});

test("no internet transfer assumed, no transfer line", () => {
  const e = estimate(stacks.dev, { ...envs.dev.cost, usage: { ...envs.dev.cost.usage, internetOutGb: 0 } });
  expect(e.lines.filter((l) => l.module === "transfer")).toEqual([]);
});

test("each WAF line counts the rules its ACL has: behind CloudFront the regional ACL leaves its IP rules to the CloudFront ACL", () => {
  expect(line("production", "security", "regional WAF: ACL, 3 rules")).toBeDefined();
  expect(line("production", "cdn", "CloudFront WAF: ACL, 6 rules")).toBeDefined();
  expect(line("staging", "security", "regional WAF: ACL, 6 rules")).toBeDefined();
  expect(est("dev").lines.filter((l) => l.item.includes("WAF"))).toEqual([]);
});

describe("issue 15's ceilings, from the estimator's own figures for the checked-in configs", () => {
  test("dev costs at most $100 a month", () => {
    expect(est("dev").total).toBeLessThanOrEqual(100);
  });

  test("staging costs at most $300 a month", () => {
    expect(est("staging").total).toBeLessThanOrEqual(300);
  });

  // Production's $1,400 needs the Multi-AZ DB cluster (docs/costs.md "Next"): until then it must at least
  // stay below what it cost before the levers of issue 15 (Redis OSS: the same config with engine redis).
  test("production costs less than the same config on Redis OSS, by the Valkey discount on its nodes", () => {
    const redis = estimate(onRedisOss(), envs.production.cost);
    expect(redis.total - est("production").total).toBeCloseTo(prodNodeHours() * (1 - p.elasticacheValkeyFactor), 6);
  });
});

describe("cost.usage.runningHours", () => {
  const withHours = (ws: string, runningHours: number) =>
    estimate(stacks[ws], { ...envs[ws].cost, usage: { ...envs[ws].cost.usage, runningHours } });

  test("is stated in every environment file (no hidden always-on assumption)", () => {
    for (const ws of ["dev", "staging", "production"]) expect(envs[ws].cost.usage.runningHours).toBe(HOURS_PER_MONTH);
  });

  test("scales the tasks and the NAT to the hours the environment runs, and nothing else", () => {
    const full = withHours("staging", HOURS_PER_MONTH);
    const half = withHours("staging", HOURS_PER_MONTH / 2);
    const scaled = (e: ReturnType<typeof est>) =>
      e.lines.filter((l) => /task\(s\)|NAT gateway|public IPv4/.test(l.item));
    const hourlyNat = p.natHour * HOURS_PER_MONTH;
    expect(scaled(half).find((l) => l.item.startsWith("app:"))?.usd).toBeCloseTo(
      scaled(full).find((l) => l.item.startsWith("app:"))!.usd / 2,
      6,
    );
    expect(scaled(half).find((l) => l.item.startsWith("1 NAT"))?.usd).toBeCloseTo(
      hourlyNat / 2 + envs.staging.cost.usage.natGb * p.natGb,
      6,
    );
    const rest = (e: ReturnType<typeof est>) =>
      e.lines.filter((l) => !/task\(s\)|NAT gateway|public IPv4/.test(l.item));
    expect(rest(half)).toEqual(rest(full));
  });

  test("a workspace that cannot be stopped is priced all month", () => {
    expect(problems("production", (e) => (e.cost.usage.runningHours = 300))).toEqual([
      "production.cost.usage.runningHours: production cannot be stopped (stoppable is false): price it at 730 hours, got 300",
    ]);
  });

  test("a stoppable workspace may be priced for its working hours", () => {
    expect(problems("dev", (e) => (e.cost.usage.runningHours = 220))).toEqual([]);
  });

  test("a month has at most 744 hours", () => {
    expect(problems("dev", (e) => (e.cost.usage.runningHours = 800))[0]).toMatch(/^dev\.cost\.usage\.runningHours: /);
  });
});
