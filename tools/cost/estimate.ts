/**
 * Monthly on-demand estimate of one workspace, priced from its parsed environment config (the values the root
 * passes to each module are the config's: the tfvars are written from it). Quantities a module decides are
 * counted in the synthesized JSON structurally, without evaluating Terraform expressions: alarm blocks, KMS key
 * blocks (a counted key by the config switch its `count` reads), the static rules of a web ACL (its switched
 * rules from the config, `regionalWafSwitchedRules`/`cdnWafSwitchedRules`). Usage (GB, LCU, requests) comes
 * from the environment's `cost.usage` assumptions. Public IPv4 addresses (NAT, NAT instance, the ALB's one per AZ,
 * tasks with a public IP), Container Insights and RDS backups beyond the free allocation are lines of their own (D191);
 * the one-year reservation figures are ./commitments.ts.
 */
import type { EnvironmentConfig } from "../../environments";
import type { CostConfig } from "../../environments/cost-schema";
import { cdnWafSwitchedRules } from "../../modules/cdn/config";
import { hasLoadBalancer, serviceVariablePrefix } from "../../modules/compute/config";
import { regionalWafSwitchedRules } from "../../modules/security/config";
import type { Json, SynthesizedStack } from "../synthesized";
import { builtModules } from "../../environments/built-modules";
import { CONTAINER_INSIGHTS, HOURS_PER_MONTH, PRICES, RDS_BACKUP_DAILY_CHANGE, type PriceTable } from "./prices";
import { databaseStart, scheduledMonthHours } from "../../lib/core/schedule";

export interface CostLine {
  readonly module: string;
  readonly item: string;
  readonly usd: number;
}

export interface Estimate {
  readonly workspace: string;
  readonly region: string;
  readonly lines: CostLine[];
  readonly byModule: Record<string, number>;
  readonly total: number;
}

/** What an estimate may change from the environment's own assumptions. */
export interface EstimateOptions {
  /** @default the environment's `cost` */
  readonly cost?: CostConfig;
  /** `environment_running`: false prices a stopped environment (no NAT, no tasks). @default true (the root's default) */
  readonly running?: boolean;
}

function hourly(price: number, count = 1): number {
  return price * HOURS_PER_MONTH * count;
}

function priceOf(table: Readonly<Record<string, number>>, key: string, what: string): number {
  const p = table[key];
  if (p === undefined) throw new Error(`no price for ${what} ${key}: add it to tools/cost/prices.ts`);
  return p;
}

/** What every part of the estimate reads: the workspace, its prices and usage, and where lines go. */
interface Pricing {
  readonly env: EnvironmentConfig;
  readonly stack: SynthesizedStack;
  readonly cost: CostConfig;
  readonly p: PriceTable;
  readonly u: CostConfig["usage"];
  /** Whether the stop toggle leaves the environment running. */
  readonly running: boolean;
  /** The stop toggle's share of the month (cost.usage.runningHours): NAT and tasks only. */
  readonly share: number;
  /** The tasks' share of the month: the toggle's, within the working hours of `schedule` when there is one (D210). */
  readonly taskShare: number;
  add(module: string, item: string, usd: number): void;
  resources(module: string, type: string): Json;
}

export function estimate(env: EnvironmentConfig, stack: SynthesizedStack, options: EstimateOptions = {}): Estimate {
  const cost = options.cost ?? env.cost;
  const region = env.region;
  const p: PriceTable | undefined = PRICES[region];
  if (!p) throw new Error(`no price table for region ${region}: add it to tools/cost/prices.ts`);
  const lines: CostLine[] = [];
  const c: Pricing = {
    env,
    stack,
    cost,
    p,
    u: cost.usage,
    running: options.running ?? true,
    share: cost.usage.runningHours / HOURS_PER_MONTH,
    taskShare: Math.min(cost.usage.runningHours / HOURS_PER_MONTH, scheduledShare(env)),
    add: (module, item, usd) => {
      if (usd > 0) lines.push({ module, item, usd });
    },
    resources: (m, type) => stack.modules[m]?.resource?.[type] ?? {},
  };
  const built = new Set(builtModules(env));
  const has = {
    cache: built.has("cache"),
    database: built.has("database"),
    dr: built.has("dr"),
    cdn: built.has("cdn"),
  };
  networkCosts(c);
  securityCosts(c);
  c.add("storage", `${c.u.s3Gb} GB in S3 Standard`, c.u.s3Gb * p.s3GbMonth);
  if (has.cache) cacheCosts(c);
  if (has.database) databaseCosts(c);
  const datadog = computeCosts(c);
  monitoringCosts(c);
  datadogCosts(c, datadog);
  // data transfer out to the internet that does not go through CloudFront (seed 000 §10 "Data Transfer")
  c.add("transfer", `${c.u.internetOutGb} GB out to the internet`, c.u.internetOutGb * p.internetOutGb);
  if (has.dr) drCosts(c);
  if (has.cdn) cdnCosts(c);

  const byModule: Record<string, number> = {};
  for (const l of lines) byModule[l.module] = (byModule[l.module] ?? 0) + l.usd;
  const total = lines.reduce((s, l) => s + l.usd, 0);
  return { workspace: env.workspace, region, lines, byModule, total };
}

/** network: NAT gateways (+ their public IPv4) or a NAT instance, interface endpoints per AZ. */
function networkCosts({ env, p, u, add, running, share, resources }: Pricing): void {
  const net = env.network;
  if (net.mode !== "dedicated") return;
  const azs = env.availabilityZones;
  const nats = !running ? 0 : net.natMode === "one-per-az" ? azs.length : net.natMode === "single" ? 1 : 0;
  add(
    "network",
    `${nats} NAT gateway(s) + ${u.natGb} GB processed`,
    hourly(p.natHour, nats) * share + (nats ? u.natGb * p.natGb : 0),
  );
  add("network", `${nats} public IPv4 address(es)`, hourly(p.publicIpv4Hour, nats) * share);
  // NAT instance (natMode instance): instance hours, its gp3 root volume (a literal of the module) and public IPv4; no per-GB processing.
  if (running && net.natMode === "instance") {
    const type = net.natInstance.instanceType;
    const root = Number(resources("network", "aws_instance").nat?.root_block_device?.volume_size ?? 8);
    add(
      "network",
      `NAT instance ${type} + ${root} GB gp3 + public IPv4`,
      (hourly(priceOf(p.ec2Hour, type, "EC2 instance type")) + hourly(p.publicIpv4Hour)) * share +
        root * p.ebsGp3GbMonth,
    );
  }
  const endpoints = net.interfaceEndpoints.length;
  add(
    "network",
    `${endpoints} interface endpoint(s) × ${azs.length} AZs`,
    hourly(p.endpointAzHour, endpoints * azs.length),
  );
}

/** Whether a counted KMS key exists: the config switch its `count` reads (a new counted key must be named here). */
function countedKeyOn(env: EnvironmentConfig, module: string, name: string): boolean {
  const switches: Record<string, boolean> = {
    "network.flow_logs": env.network.flowLogs.enabled,
    "cdn.waf_logs": env.cdn.waf,
  };
  const on = switches[`${module}.${name}`];
  if (on === undefined)
    throw new Error(`cost: counted KMS key ${module}.${name}: name its config switch in countedKeyOn`);
  return on;
}

/** Static rules of the web ACL `aws_wafv2_web_acl.this` of a module (its `rule` blocks). */
function staticWafRules({ resources }: Pricing, module: string): number {
  const rule = resources(module, "aws_wafv2_web_acl").this?.rule;
  return Array.isArray(rule) ? rule.length : rule ? 1 : 0;
}

/** KMS keys wherever they are (security's, the flow log key, the CloudFront WAF log key, DR's), secrets, the regional WAF. */
function securityCosts(c: Pricing): void {
  const { env, stack, p, u, add, resources } = c;
  for (const m of Object.keys(stack.modules)) {
    if (!stack.root.module?.[m]) continue;
    const keys = Object.entries<Json>(resources(m, "aws_kms_key"));
    const n = keys.filter(([name, k]) => k.count === undefined || countedKeyOn(env, m, name)).length;
    add(m, `${n} KMS key(s)`, n * p.kmsKeyMonth);
  }
  const secrets = env.security.secrets.names.length;
  add("security", `${secrets} application secret(s)`, secrets * p.secretMonth);
  if (env.security.waf.enabled) {
    const rules = staticWafRules(c, "security") + regionalWafSwitchedRules(env.security.waf, !env.cdn.enabled);
    add(
      "security",
      `regional WAF: ACL, ${rules} rules, ${u.wafMillionRequests}M requests`,
      p.wafAclMonth + rules * p.wafRuleMonth + u.wafMillionRequests * p.wafMillionRequests,
    );
  }
}

/** ElastiCache node hours of a month (Valkey at its fraction of the Redis OSS price): what reserved nodes cover. */
export function cacheNodeHours(env: EnvironmentConfig, p: PriceTable): number {
  const { nodeType: type, numCacheNodes: nodes, engine } = env.cache;
  const hour = priceOf(p.elasticacheHour, type, "ElastiCache node type");
  return hourly(hour * (engine === "valkey" ? p.elasticacheValkeyFactor : 1), nodes);
}

/** cache: nodes × hours, the AUTH secret. */
function cacheCosts({ env, p, add }: Pricing): void {
  const { nodeType: type, numCacheNodes: nodes, engine, auth } = env.cache;
  add("cache", `${nodes} × ${type}${engine === "valkey" ? " Valkey" : ""}`, cacheNodeHours(env, p));
  if (auth) add("cache", "AUTH token secret", p.secretMonth);
}

/**
 * The share of the month the working-hours schedule (`schedule`, D210) keeps the services and the RDS primary
 * running: its weekly hours over a 730-hour month (lib/core/schedule.ts); 1 without a schedule.
 */
export function scheduledShare(env: Pick<EnvironmentConfig, "schedule">): number {
  return env.schedule ? scheduledMonthHours(env.schedule, HOURS_PER_MONTH) / HOURS_PER_MONTH : 1;
}

/**
 * The RDS primary's share of the month: all of it without a schedule (the stop toggle leaves the database running);
 * with one, its working hours (from its own start, `databaseLeadMinutes` before the services') while the toggle runs
 * (the toggle disables the scheduled start, D210).
 */
export function primaryShare(env: Pick<EnvironmentConfig, "schedule">, cost: CostConfig): number {
  return env.schedule ? Math.min(cost.usage.runningHours, primaryHours(env.schedule)) / HOURS_PER_MONTH : 1;
}

/** Hours a month the schedule keeps the RDS primary running: from its own start to the stop. */
const primaryHours = (schedule: NonNullable<EnvironmentConfig["schedule"]>) =>
  scheduledMonthHours({ stop: schedule.stop, start: databaseStart(schedule) }, HOURS_PER_MONTH);

/** RDS instance hours of a month: the primary (×2 Multi-AZ) and the read replicas — what reserved DB instances cover. */
export function rdsInstanceHours(env: EnvironmentConfig, p: PriceTable): { primary: number; replicas: number } {
  const { instanceClass: cls, multiAz, readReplicas } = env.database;
  const replicaCls = env.database.replicaInstanceClass ?? cls;
  return {
    primary: hourly(priceOf(p.rdsHour, cls, "RDS class"), multiAz ? 2 : 1),
    replicas: hourly(priceOf(p.rdsHour, replicaCls, "RDS class"), readReplicas),
  };
}

/**
 * database: primary (×2 Multi-AZ), replicas, gp3 storage, the two user secrets, and the automated backups beyond the
 * free allocation (backup storage up to the provisioned storage is free; each retained day after the first full
 * snapshot adds the day's changed data, RDS_BACKUP_DAILY_CHANGE of the storage).
 */
function databaseCosts({ env, cost, p, add }: Pricing): void {
  const { instanceClass: cls, multiAz, allocatedStorage: gb, backupRetentionDays: days } = env.database;
  const replicas = env.database.readReplicas;
  const replicaCls = env.database.replicaInstanceClass ?? cls;
  const copies = multiAz ? 2 : 1;
  const hours = rdsInstanceHours(env, p);
  const share = primaryShare(env, cost);
  const scheduled = share < 1 ? `, ${Math.round(share * HOURS_PER_MONTH)} h` : "";
  add("database", `${cls}${multiAz ? " Multi-AZ" : ""}${scheduled}`, hours.primary * share);
  add("database", `${gb} GB gp3${multiAz ? " × 2" : ""}`, gb * p.rdsGp3GbMonth * copies);
  add(
    "database",
    `${replicas} read replica(s) ${replicaCls} + storage`,
    hours.replicas + replicas * gb * p.rdsGp3GbMonth,
  );
  add("database", "master and app user secrets", 2 * p.secretMonth);
  const beyond = Math.round(gb * RDS_BACKUP_DAILY_CHANGE * Math.max(0, days - 1) * 10) / 10;
  add("database", `backups beyond the free allocation ≈ ${beyond} GB (${days} d)`, beyond * p.rdsBackupGbMonth);
}

/** Tasks that run the Datadog agent (Datadog bills each), and those with APM on. */
interface DatadogTasks {
  tasks: number;
  apmTasks: number;
}

type ServiceConfig = EnvironmentConfig["compute"]["services"][number];

/** compute: Fargate services at their steady count, one-off tasks, the ALB, logs. */
function computeCosts(c: Pricing): DatadogTasks {
  const { env, p, u, add } = c;
  const datadog: DatadogTasks = { tasks: 0, apmTasks: 0 };
  for (const svc of env.compute.services) serviceCost(c, svc, datadog);
  // One-off tasks (compute.tasks, RunTask): their size for cost.usage.taskHours, and a public IPv4 while they run.
  for (const t of env.compute.tasks) {
    const vcpu = t.cpu / 1024;
    const gbMem = t.memory / 1024;
    add(
      "compute",
      `${serviceVariablePrefix(t.name)}: ${u.taskHours} task-hour(s) × ${vcpu} vCPU / ${gbMem} GB${t.assignPublicIp ? " + public IPv4" : ""}`,
      u.taskHours * (vcpu * p.fargateVcpuHour + gbMem * p.fargateGbHour + (t.assignPublicIp ? p.publicIpv4Hour : 0)),
    );
  }
  if (hasLoadBalancer(env)) {
    add("compute", `ALB + ${u.albLcu} LCU`, hourly(p.albHour) + hourly(p.albLcuHour, u.albLcu));
    // An internet-facing ALB holds one public IPv4 address per AZ (subnet) it spans, billed per address-hour.
    const azs = albAzs(env);
    add("compute", `ALB public IPv4 × ${azs} AZ(s)`, hourly(p.publicIpv4Hour, azs));
  }
  add("compute", `${u.logsGb} GB logs ingested`, u.logsGb * p.logsIngestGb);
  if (env.compute.containerInsights) containerInsightsCosts(c);
  return datadog;
}

/** The AZs the load balancer spans: its subnets, the public ones (the default VPC's: one per AZ). */
export function albAzs(env: EnvironmentConfig): number {
  return env.network.mode === "default-vpc" ? env.availabilityZones.length : env.network.publicSubnets.length;
}

/**
 * Container Insights (`compute.containerInsights`, standard, not enhanced): its metrics are custom metrics, per cluster,
 * per service and per task definition family (CONTAINER_INSIGHTS), reported only while tasks run, so prorated by the
 * hours they run; its performance log events are CloudWatch Logs ingestion.
 */
function containerInsightsCosts({ env, p, u, add, running, taskShare: share }: Pricing): void {
  const ci = CONTAINER_INSIGHTS;
  const services = running ? env.compute.services.filter((s) => s.desiredCount > 0) : [];
  const serviceHours = services.length > 0 ? HOURS_PER_MONTH * share : 0;
  const taskHours = env.compute.tasks.length > 0 ? u.taskHours : 0;
  const clusterHours = Math.min(HOURS_PER_MONTH, Math.max(serviceHours, taskHours));
  const metricMonths =
    (ci.clusterMetrics * clusterHours +
      services.length * (ci.serviceMetrics + ci.familyMetrics) * serviceHours +
      env.compute.tasks.length * ci.familyMetrics * taskHours) /
    HOURS_PER_MONTH;
  const taskMinutes = 60 * (services.reduce((n, s) => n + s.desiredCount, 0) * serviceHours + taskHours);
  const gb = (taskMinutes * ci.eventsPerTaskMinute * ci.eventKb) / 1e6;
  add(
    "compute",
    `Container Insights: ${Math.round(metricMonths)} metrics, ${gb.toFixed(2)} GB logs`,
    metricMonths * p.customMetricMonth + gb * p.logsIngestGb,
  );
}

/** One ECS service: its tasks at the steady desired count, on-demand and Spot; counts its Datadog agents. */
function serviceCost({ env, p, add, running, taskShare: share }: Pricing, svc: ServiceConfig, dd: DatadogTasks) {
  // Steady state: the first deploy's zero tasks (the image tag still the placeholder) is not the bill.
  const count = running ? svc.desiredCount : 0;
  const vcpu = svc.cpu / 1024;
  const gbMem = svc.memory / 1024;
  const mix = svc.spotMix && count > 0 ? spotShare(svc.spotMix, count) : undefined;
  const usd =
    hourly(vcpu * p.fargateVcpuHour + gbMem * p.fargateGbHour, count) *
    share *
    (mix ? 1 - (mix.spot * (1 - p.fargateSpotFactor)) / count : svc.spot ? p.fargateSpotFactor : 1);
  const capacity = mix
    ? ` (${round2(count - mix.spot)} on-demand, ${round2(mix.spot)} Spot)`
    : svc.spot
      ? " (Spot)"
      : "";
  const scheduled = env.schedule && count > 0 ? `, ${Math.round(share * HOURS_PER_MONTH)} h` : "";
  add(
    "compute",
    `${serviceVariablePrefix(svc.name)}: ${count} task(s) × ${vcpu} vCPU / ${gbMem} GB${capacity}${scheduled}`,
    usd,
  );
  // Datadog bills each concurrent Fargate task that runs its agent (the agent's CPU and memory are inside the task's).
  if (env.compute.datadog.enabled) {
    dd.tasks += count;
    if (env.compute.datadog.apm) dd.apmTasks += count;
  }
}

/** monitoring: alarms (one per block; per-node and per-replica alarms counted once), the dashboard, custom metrics. */
function monitoringCosts({ p, u, add, resources }: Pricing): void {
  const alarms = Object.keys(resources("monitoring", "aws_cloudwatch_metric_alarm")).length;
  add("monitoring", `${alarms} alarms + 1 dashboard`, alarms * p.alarmMonth + p.dashboardMonth);
  add(
    "monitoring",
    `${u.appMetricSeries} custom metric series (disciplines, BNCC codes)`,
    u.appMetricSeries * p.customMetricMonth,
  );
}

/** datadog (compute.datadog): the API key secret, Firehose ingestion of the app log copy, Datadog's own prices. */
function datadogCosts({ env, cost, p, u, add }: Pricing, datadog: DatadogTasks): void {
  if (!env.compute.datadog.enabled) return;
  const dd = cost.datadogPrices;
  add("datadog", "API key secret", p.secretMonth);
  add(
    "datadog",
    `Datadog infrastructure: ${datadog.tasks} Fargate task(s) × $${dd.fargateTaskMonth}`,
    datadog.tasks * dd.fargateTaskMonth,
  );
  add(
    "datadog",
    `Datadog APM: ${datadog.apmTasks} Fargate task(s) × $${dd.apmFargateTaskMonth}`,
    datadog.apmTasks * dd.apmFargateTaskMonth,
  );
  if (env.compute.datadog.logs) {
    add("datadog", `Firehose: ${u.datadogLogGb} GB of app logs ingested`, u.datadogLogGb * p.firehoseGb);
    add("datadog", `Datadog log ingestion: ${u.datadogLogGb} GB × $${dd.logIngestGb}`, u.datadogLogGb * dd.logIngestGb);
  }
}

/**
 * dr: replicated automated backups (≈ the database's size, stored and transferred once a month) and S3 replicas
 * (stored + transferred); priced with the primary region's table (the DR region's storage prices are within a few
 * percent in the regions this project knows).
 */
function drCosts({ env, p, u, add }: Pricing): void {
  const gb = env.database.allocatedStorage;
  add("dr", `replicated automated backups ≈ ${gb} GB + transfer`, gb * (p.rdsBackupGbMonth + p.interRegionGb));
  add("dr", `S3 replicas ${u.drReplicaGb} GB + transfer`, u.drReplicaGb * (p.s3GbMonth + p.interRegionGb));
}

/** cdn: transfer out and its WAF. */
function cdnCosts(c: Pricing): void {
  const { env, p, u, add } = c;
  add("cdn", `${u.cdnGb} GB served`, u.cdnGb * p.cloudfrontGb);
  if (env.cdn.waf) {
    const rules = staticWafRules(c, "cdn") + cdnWafSwitchedRules(env.security.waf);
    add(
      "cdn",
      `CloudFront WAF: ACL, ${rules} rules, ${u.wafMillionRequests}M requests`,
      p.wafAclMonth + rules * p.wafRuleMonth + u.wafMillionRequests * p.wafMillionRequests,
    );
  }
}

/** A table a person reads at a glance. */
export function formatEstimate(e: Estimate, budget: CostConfig["budgetUsd"]): string {
  const usd = (n: number) => `$${n.toFixed(2)}`.padStart(11);
  const out = [`${e.workspace} (${e.region})`];
  for (const [module, total] of Object.entries(e.byModule)) {
    out.push(`  ${module.padEnd(12)}${usd(total)}`);
    for (const l of e.lines.filter((x) => x.module === module)) out.push(`      ${l.item.padEnd(52)}${usd(l.usd)}`);
  }
  const verdict = e.total > budget.max ? "OVER" : "OK";
  out.push(`  ${"total".padEnd(12)}${usd(e.total)}   budget $${budget.min}–${budget.max}: ${verdict}`);
  return out.join("\n");
}

/** The estimate of each start/stop state in `cost.scenarios` (seed 002): the same month at its own `runningHours`. */
export function scenarioEstimates(
  env: EnvironmentConfig,
  stack: SynthesizedStack,
): { name: string; runningHours: number; estimate: Estimate }[] {
  const cost = env.cost;
  return cost.scenarios.map((s) => ({
    name: s.name,
    runningHours: s.runningHours,
    estimate: estimate(env, stack, { cost: { ...cost, usage: { ...cost.usage, runningHours: s.runningHours } } }),
  }));
}

/** Lines printed under an estimate, one per scenario; empty without scenarios (the report is unchanged). */
export function formatScenarios(
  scenarios: ReturnType<typeof scenarioEstimates>,
  env?: Pick<EnvironmentConfig, "schedule">,
): string {
  if (scenarios.length === 0) return "";
  const usd = (n: number) => `$${n.toFixed(2)}`.padStart(11);
  const hours = env?.schedule ? Math.round(scheduledShare(env) * HOURS_PER_MONTH) : undefined;
  const dbHours = env?.schedule ? Math.round(primaryHours(env.schedule)) : undefined;
  const primary = dbHours === hours ? "" : ` (the RDS primary ${dbHours} h: it starts earlier)`;
  const out = [
    hours === undefined
      ? "  start/stop scenarios (environment_running; NAT and tasks follow the hours, everything else runs all month)"
      : `  start/stop scenarios (environment_running; NAT follows the hours, tasks and the RDS primary at most the schedule's ${hours} h${primary}, everything else all month)`,
  ];
  for (const s of scenarios) out.push(`      ${`${s.name} (${s.runningHours} h)`.padEnd(52)}${usd(s.estimate.total)}`);
  return out.join("\n");
}

const round2 = (n: number) => Math.round(n * 100) / 100;

type SpotMix = NonNullable<ServiceConfig["spotMix"]>;

/**
 * Tasks on Fargate Spot under a mixed strategy (compute's `spotMix`: FARGATE with a base + FARGATE_SPOT): the base
 * runs on-demand, the tasks above it split by weight. Undefined without tasks.
 */
export function spotShare(mix: SpotMix, count: number): { spot: number } | undefined {
  if (count <= 0) return undefined;
  const base = Math.min(mix.onDemandBase, count);
  const total = mix.onDemandWeight + mix.spotWeight;
  return { spot: total > 0 ? ((count - base) * mix.spotWeight) / total : 0 };
}
