import { loadEnvironments } from "../../environments";
import { estimate, formatEstimate, moduleInput } from "../../lib/tools/cost/estimate";
import { HOURS_PER_MONTH, PRICES } from "../../lib/tools/cost/prices";
import { inputs, synthAll } from "../helpers/synth";

const { stacks } = synthAll();
const envs = Object.fromEntries(loadEnvironments().map((e) => [e.workspace, e]));
const est = (ws: string) => estimate(stacks[ws], envs[ws].cost);
const line = (ws: string, module: string, start: string) => est(ws).lines.find((l) => l.module === module && l.item.startsWith(start));
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
  expect(moduleInput(stacks.production, "cache", "redis_node_type")).toBe("cache.r6g.large");
  expect(moduleInput(stacks.dev, "database", "db_multi_az")).toBe(false);
});

test("Multi-AZ doubles the RDS instance hours", () => {
  expect(line("staging", "database", "db.t4g.small Multi-AZ")?.usd).toBeCloseTo(2 * p.rdsHour["db.t4g.small"] * HOURS_PER_MONTH, 6);
  expect(line("dev", "database", "db.t4g.micro")?.usd).toBeCloseTo(p.rdsHour["db.t4g.micro"] * HOURS_PER_MONTH, 6);
});

test("ElastiCache bills every node, Valkey at its fraction of the Redis OSS price", () => {
  expect(line("production", "cache", "3 × cache.r6g.large Valkey")?.usd).toBeCloseTo(3 * p.elasticacheHour["cache.r6g.large"] * p.elasticacheValkeyFactor * HOURS_PER_MONTH, 6);
});

test("a Redis OSS group is billed at the full node price", () => {
  const all = inputs();
  all.production.cache = { ...all.production.cache, engine: "redis", engineVersion: "7.1" };
  const l = estimate(synthAll(all).stacks.production, envs.production.cost).lines.find((x) => x.module === "cache" && x.item.startsWith("3 × "));
  expect(l).toEqual({ module: "cache", item: "3 × cache.r6g.large", usd: 3 * p.elasticacheHour["cache.r6g.large"] * HOURS_PER_MONTH });
});

test("Fargate bills vCPU and memory hours at the desired count", () => {
  expect(line("production", "compute", "app: 3 task(s)")?.usd).toBeCloseTo(3 * (1 * p.fargateVcpuHour + 2 * p.fargateGbHour) * HOURS_PER_MONTH, 6);
});

test("one NAT gateway per AZ in production, one in dev", () => {
  expect(line("production", "network", "3 NAT gateway(s)")).toBeDefined();
  expect(line("dev", "network", "1 NAT gateway(s)")).toBeDefined();
});

test("Fargate Spot services cost the Spot fraction", () => {
  const all = inputs();
  all.dev.compute = { ...all.dev.compute, services: [{ ...all.dev.compute.services[0] }, { name: "jobs", kind: "worker", cpu: 512, memory: 1024, desiredCount: 2, minCapacity: 1, maxCapacity: 2, spot: true }] };
  const s = synthAll(all).stacks.dev;
  const jobs = estimate(s, envs.dev.cost).lines.find((l) => l.item.startsWith("jobs:"));
  expect(jobs?.usd).toBeCloseTo(2 * (0.5 * p.fargateVcpuHour + 1 * p.fargateGbHour) * HOURS_PER_MONTH * p.fargateSpotFactor, 6);
});

test("a stopped environment pays no NAT and no tasks", () => {
  const s = structuredClone(stacks.dev);
  s.root.variable.environment_running.default = false;
  const e = estimate(s, envs.dev.cost);
  expect(e.lines.filter((l) => /NAT|task/.test(l.item))).toEqual([]);
});

test("sa-east-1 prices the same platform higher", () => {
  const all = inputs();
  all.production.region = "sa-east-1";
  all.production.availabilityZones = ["sa-east-1a", "sa-east-1b", "sa-east-1c"];
  all.production.compute = { ...all.production.compute, certificateArn: "arn:aws:acm:sa-east-1:333333333333:certificate/00000000-0000-0000-0000-000000000003" };
  const sa = estimate(synthAll(all).stacks.production, envs.production.cost);
  expect(sa.region).toBe("sa-east-1");
  expect(sa.total / est("production").total).toBeGreaterThan(1.4);
});

test("an instance class without a price fails with a pointer to the table", () => {
  const all = inputs();
  all.dev.database = { ...all.dev.database, instanceClass: "db.m7g.large" };
  expect(() => estimate(synthAll(all).stacks.dev, envs.dev.cost)).toThrow("no price for RDS class db.m7g.large: add it to lib/tools/cost/prices.ts");
});

test("the report flags a workspace over its budget", () => {
  expect(formatEstimate(est("production"), { min: 0, max: 1000 })).toMatch(/total +\$\d+\.\d\d +budget \$0–1000: OVER$/);
  expect(formatEstimate(est("production"), envs.production.cost.budgetUsd)).toMatch(/budget \$1450–2500: OK$/);
});

test("data transfer to the internet is priced from the environment's usage assumption (seed 000 §10)", () => {
  expect(line("staging", "transfer", `${envs.staging.cost.usage.internetOutGb} GB out`)?.usd).toBeCloseTo(envs.staging.cost.usage.internetOutGb * p.internetOutGb, 6);
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
