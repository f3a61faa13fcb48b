/**
 * Seed 000 §10 ("Custos Estimados MVP 3.0") beside the estimate, generated into docs/costs.md by `npm run docs`
 * (issue 25 item 6, D192): the seed's lines and figures are data here; each estimate line goes to the first seed line
 * that claims it, and what no seed line claims is "not in the seed". The figures are the current configuration's,
 * so the comparison follows every cost lever and every new estimate line.
 */
import type { ProductStacks } from "../product-stacks";
import { reservationEstimates } from "./commitments";
import { estimate, type CostLine } from "./estimate";

/** One line of the seed's table: its label, its figure (a range when the seed gives one), the lines it claims, why. */
interface SeedLine {
  readonly label: string;
  readonly usd: readonly [number, number];
  readonly takes: (l: CostLine) => boolean;
  readonly why: string;
}

/** KMS keys are in no seed line, whichever module holds them. */
const kms = (l: CostLine) => /KMS key/.test(l.item);
const is = {
  secret: (l: CostLine) => /secret/i.test(l.item),
  cache: (l: CostLine) => l.module === "cache",
  database: (l: CostLine) => l.module === "database",
  tasks: (l: CostLine) => l.module === "compute" && /task\(s\) ×/.test(l.item),
  alb: (l: CostLine) => l.module === "compute" && /^ALB\b/.test(l.item),
  s3: (l: CostLine) => l.module === "storage",
  logs: (l: CostLine) => /GB logs ingested$/.test(l.item),
  backups: (l: CostLine) => (l.module === "dr" && !kms(l)) || /^backups\b/.test(l.item),
  waf: (l: CostLine) => /\bWAF\b/.test(l.item),
  cdn: (l: CostLine) => l.module === "cdn" && !kms(l),
  transfer: (l: CostLine) => l.module === "transfer",
  cloudwatch: (l: CostLine) => l.module === "monitoring" || /Container Insights/.test(l.item),
};
const any =
  (...fs: ((l: CostLine) => boolean)[]) =>
  (l: CostLine) =>
    fs.some((f) => f(l));

const WHY = {
  cache: "list price of our nodes (Graviton, Valkey −20 %: D99) + the AUTH secret (TLS and AUTH everywhere, D49)",
  database:
    "list price of our Graviton class + gp3 + the two user secrets + backups beyond the free allocation; the seed likely counted gp2 and backups",
  tasks: "list price of the service's tasks at the desired count",
  alb: "hours + the assumed LCU + one public IPv4 address per AZ the ALB spans (billed since 2024-02)",
  s3Logs: "S3 Standard (`cost.usage.s3Gb`) + CloudWatch Logs ingestion (`logsGb`)",
  transfer: "`internetOutGb` × the first tier of data transfer out",
  extra: "what the seed's table has no line for: NAT, KMS keys, alarms, custom metrics, Container Insights",
};

/** Seed 000 §10.1, per EduAutismo workspace, in the seed's order (secrets and backups first where the seed names them). */
const SEED_000: Readonly<Record<string, { lines: readonly SeedLine[]; total: readonly [number, number] }>> = {
  dev: {
    total: [100, 150],
    lines: [
      { label: "ElastiCache Redis (cache.t3.micro)", usd: [15, 15], takes: is.cache, why: WHY.cache },
      { label: "RDS PostgreSQL (db.t3.micro)", usd: [25, 25], takes: is.database, why: WHY.database },
      { label: "ECS Fargate (1 task, 0.5 vCPU, 1 GB)", usd: [20, 20], takes: is.tasks, why: WHY.tasks },
      { label: "ALB", usd: [20, 20], takes: is.alb, why: WHY.alb },
      { label: "S3 + Logs", usd: [10, 10], takes: any(is.s3, is.logs), why: WHY.s3Logs },
      { label: "Data Transfer", usd: [10, 10], takes: is.transfer, why: WHY.transfer },
    ],
  },
  staging: {
    total: [300, 400],
    lines: [
      { label: "ElastiCache Redis (cache.t3.small, 2 nós)", usd: [75, 75], takes: is.cache, why: WHY.cache },
      { label: "RDS PostgreSQL (db.t3.small, Multi-AZ)", usd: [100, 100], takes: is.database, why: WHY.database },
      { label: "ECS Fargate (2 tasks, 0.5 vCPU, 1 GB)", usd: [40, 40], takes: is.tasks, why: WHY.tasks },
      { label: "ALB", usd: [25, 25], takes: is.alb, why: WHY.alb },
      { label: "S3 + Logs", usd: [30, 30], takes: any(is.s3, is.logs), why: WHY.s3Logs },
      { label: "Data Transfer", usd: [30, 30], takes: is.transfer, why: WHY.transfer },
    ],
  },
  production: {
    total: [1450, 2000],
    lines: [
      {
        label: "Secrets Manager",
        usd: [15, 15],
        takes: is.secret,
        why: "$0.40 per secret-month for the app's secrets, the database users' and Redis AUTH: the seed's $15 buys far more secrets than the platform keeps",
      },
      {
        label: "S3 + Logs + Backups",
        usd: [100, 100],
        takes: any(is.s3, is.backups),
        why: "S3 Standard; RDS backups beyond the free allocation (1 %/day change assumed, prices.ts); the DR copies in the second region (D75). Logs are in CloudWatch Logs below",
      },
      {
        label: "WAF",
        usd: [50, 50],
        takes: is.waf,
        why: "the regional ACL and the CloudFront ACL (the IP rules run on the CloudFront one, D52), per rule and request; Bot Control is off",
      },
      {
        label: "ElastiCache Redis (cache.r5.large, 3 nós)",
        usd: [350, 350],
        takes: is.cache,
        why: "3 × cache.r6g.large (D20) on Valkey (D99); the seed's $350 is below the list price of 3 × r5.large too — it likely priced reserved capacity",
      },
      {
        label: "RDS PostgreSQL (db.r5.large, Multi-AZ)",
        usd: [500, 500],
        takes: is.database,
        why: "the Multi-AZ primary and its storage are about the seed's figure; the two read replicas seed 001 asks for (D23) are not in seed 000's table",
      },
      {
        label: "ECS Fargate (3-10 tasks, 1 vCPU, 2 GB)",
        usd: [200, 600],
        takes: is.tasks,
        why: "the desired count (the floor); at 10 tasks the line is 10/3 of it",
      },
      {
        label: "ALB",
        usd: [35, 35],
        takes: is.alb,
        why: "the assumed LCU (seed 001's 1,000+ requests/min with TLS) + one public IPv4 address per AZ",
      },
      { label: "CloudFront CDN", usd: [50, 150], takes: is.cdn, why: "`cdnGb` served (its WAF is in the WAF line)" },
      {
        label: "Data Transfer",
        usd: [100, 100],
        takes: is.transfer,
        why: "viewers go through CloudFront (its line); only `internetOutGb` leaves directly",
      },
      {
        label: "CloudWatch Logs",
        usd: [50, 50],
        takes: any(is.logs, is.cloudwatch),
        why: "logs ingested (`logsGb`), Container Insights, the alarms, the dashboard and the app's custom metric series (D77)",
      },
    ],
  },
};

const money = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const range = ([a, b]: readonly [number, number]) =>
  a === b ? `$${a.toLocaleString("en-US")}` : `$${a.toLocaleString("en-US")}–${b.toLocaleString("en-US")}`;
const items = (ls: readonly CostLine[]) => ls.map((l) => `${l.item} ${money(l.usd)}`).join("; ") || "—";

export const SEED_BEGIN = "<!-- seed-costs:begin (generated by `npm run docs` from the estimator) -->";
export const SEED_END = "<!-- seed-costs:end -->";

/** The generated table: every seed line with the estimate lines it claims, what no line claims, and the totals. */
export function seedComparison(set: ProductStacks): string {
  const out = [
    SEED_BEGIN,
    "| workspace | seed 000 §10 line | seed | ours | our lines | why they differ |",
    "|---|---|---:|---:|---|---|",
  ];
  for (const env of set.envs) {
    const seed = SEED_000[env.workspace];
    if (!seed) continue;
    const e = estimate(env, set.stacks[env.workspace]);
    let left = e.lines;
    for (const s of seed.lines) {
      const taken = left.filter(s.takes);
      left = left.filter((l) => !s.takes(l));
      const ours = taken.reduce((n, l) => n + l.usd, 0);
      out.push(`| ${env.workspace} | ${s.label} | ${range(s.usd)} | ${money(ours)} | ${items(taken)} | ${s.why} |`);
    }
    const extra = left.reduce((n, l) => n + l.usd, 0);
    out.push(`| ${env.workspace} | not in the seed | — | ${money(extra)} | ${items(left)} | ${WHY.extra} |`);
    const reserved = reservationEstimates(env, set.stacks[env.workspace])
      .map((r) => `${r.region} ${money(r.reserved)} (on-demand ${money(r.onDemand)})`)
      .join("; ");
    out.push(
      `| **${env.workspace}** | **total** | **${range(seed.total)}** | **${money(e.total)}** | with 1-year no-upfront RDS + ElastiCache reservations (derived −30 %): ${reserved} | budget ${range([env.cost.budgetUsd.min, env.cost.budgetUsd.max])} |`,
    );
  }
  out.push(SEED_END);
  return out.join("\n");
}

/** docs/costs.md with its seed comparison regenerated from EduAutismo's estimates; nothing without EduAutismo. */
export function seedComparisonDocs(
  sets: readonly ProductStacks[],
  read: (file: string) => string,
): Record<string, string> {
  const set = sets.find((s) => s.product.guides.includes("000"));
  if (!set) return {};
  const file = "docs/costs.md";
  const page = read(file);
  const start = page.indexOf(SEED_BEGIN);
  const end = page.indexOf(SEED_END);
  if (start < 0 || end < start) throw new Error(`${file} needs the markers ${SEED_BEGIN} … ${SEED_END}`);
  return { [file]: page.slice(0, start) + seedComparison(set) + page.slice(end + SEED_END.length) };
}
