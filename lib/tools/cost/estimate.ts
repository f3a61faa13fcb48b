/**
 * Monthly on-demand estimate of one workspace, read from its synthesized configuration: the values
 * the root passes to each module (resolved through the root variables' defaults, i.e. the tfvars)
 * and the resources each module declares. Usage (GB, LCU, requests) comes from the environment's
 * `cost.usage` assumptions.
 */
import type { CostConfig } from "../../../environments/cost-schema";
import { isKnown, resolve } from "../policy/expressions";
import { policyModel, scopeFor } from "../policy/model";
import type { Json, SynthesizedStack } from "../synthesized";
import { HOURS_PER_MONTH, PRICES, type PriceTable } from "./prices";
import { DATADOG_AGENT_CONTAINER } from "../../../modules/compute/datadog-config";

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

/** A module input as Terraform would see it: the root's module block, through the tfvars values; undefined when unknown until apply. */
export function moduleInput(stack: SynthesizedStack, module: string, name: string): unknown {
  if (!stack.root.module?.[module]) return undefined;
  const v = scopeFor(stack, module).variable(name);
  return isKnown(v) ? v : undefined;
}

/** Resolves a value written in `module` (a literal or an expression such as `${var.x}`); undefined when unknown. */
function literal(stack: SynthesizedStack, module: string, value: unknown): unknown {
  const v = resolve(value, scopeFor(stack, module));
  return isKnown(v) ? v : undefined;
}

function hourly(price: number, count = 1): number {
  return price * HOURS_PER_MONTH * count;
}

function priceOf(table: Readonly<Record<string, number>>, key: string, what: string): number {
  const p = table[key];
  if (p === undefined) throw new Error(`no price for ${what} ${key}: add it to lib/tools/cost/prices.ts`);
  return p;
}

/** What every part of the estimate reads: the workspace, its prices and usage, and where lines go. */
interface Pricing {
  readonly stack: SynthesizedStack;
  readonly cost: CostConfig;
  readonly p: PriceTable;
  readonly u: CostConfig["usage"];
  /** Whether the stop toggle leaves the environment running. */
  readonly running: boolean;
  /** The stop toggle's share of the month (cost.usage.runningHours): NAT and tasks only. */
  readonly share: number;
  add(module: string, item: string, usd: number): void;
  has(module: string): boolean;
  resources(module: string, type: string): Json;
}

export function estimate(stack: SynthesizedStack, cost: CostConfig): Estimate {
  const providers = (stack.root.provider?.aws ?? []) as Json[];
  const region = String(providers.find((p) => !p.alias)?.region ?? "us-east-1");
  const p: PriceTable | undefined = PRICES[region];
  if (!p) throw new Error(`no price table for region ${region}: add it to lib/tools/cost/prices.ts`);
  const lines: CostLine[] = [];
  const c: Pricing = {
    stack,
    cost,
    p,
    u: cost.usage,
    running: stack.root.variable?.environment_running?.default !== false,
    share: cost.usage.runningHours / HOURS_PER_MONTH,
    add: (module, item, usd) => {
      if (usd > 0) lines.push({ module, item, usd });
    },
    has: (m) => Boolean(stack.root.module?.[m]),
    resources: (m, type) => stack.modules[m]?.resource?.[type] ?? {},
  };
  networkCosts(c);
  const rulesOf = wafRules(stack);
  securityCosts(c, rulesOf("security"));
  c.add("storage", `${c.u.s3Gb} GB in S3 Standard`, c.u.s3Gb * p.s3GbMonth);
  cacheCosts(c);
  databaseCosts(c);
  const datadog = computeCosts(c);
  monitoringCosts(c);
  datadogCosts(c, datadog);
  // data transfer out to the internet that does not go through CloudFront (seed 000 §10 "Data Transfer")
  c.add("transfer", `${c.u.internetOutGb} GB out to the internet`, c.u.internetOutGb * p.internetOutGb);
  drCosts(c);
  cdnCosts(c, rulesOf("cdn"));

  const byModule: Record<string, number> = {};
  for (const l of lines) byModule[l.module] = (byModule[l.module] ?? 0) + l.usd;
  const total = lines.reduce((s, l) => s + l.usd, 0);
  return { workspace: stack.workspace, region, lines, byModule, total };
}

/** network: NAT gateways (+ their public IPv4) or a NAT instance, interface endpoints per AZ. */
function networkCosts({ stack, p, u, add, running, share, resources }: Pricing): void {
  const azs = (moduleInput(stack, "network", "azs") as string[]) ?? [];
  const natMode = moduleInput(stack, "network", "nat_mode");
  const nats = !running ? 0 : natMode === "one-per-az" ? azs.length : natMode === "single" ? 1 : 0;
  add(
    "network",
    `${nats} NAT gateway(s) + ${u.natGb} GB processed`,
    hourly(p.natHour, nats) * share + (nats ? u.natGb * p.natGb : 0),
  );
  add("network", `${nats} public IPv4 address(es)`, hourly(p.publicIpv4Hour, nats) * share);
  // NAT instance (nat_mode instance): instance hours, its 8 GB gp3 root volume and public IPv4; no per-GB processing.
  if (running && natMode === "instance") {
    const type = String(moduleInput(stack, "network", "nat_instance_type"));
    const root = Number(
      literal(stack, "network", resources("network", "aws_instance").nat?.root_block_device?.volume_size ?? 8),
    );
    add(
      "network",
      `NAT instance ${type} + ${root} GB gp3 + public IPv4`,
      (hourly(priceOf(p.ec2Hour, type, "EC2 instance type")) + hourly(p.publicIpv4Hour)) * share +
        root * p.ebsGp3GbMonth,
    );
  }
  const endpoints = ((moduleInput(stack, "network", "interface_endpoints") as string[]) ?? []).length;
  add(
    "network",
    `${endpoints} interface endpoint(s) × ${azs.length} AZs`,
    hourly(p.endpointAzHour, endpoints * azs.length),
  );
}

/** Rules of the web ACL a module creates, static plus the dynamic ones switched on (each is billed); undefined without one. */
function wafRules(stack: SynthesizedStack): (module: string) => number | undefined {
  const acls = policyModel(stack).resources.filter((r) => r.type === "aws_wafv2_web_acl");
  return (m) => {
    const acl = acls.find((a) => a.module === m);
    if (!acl) return undefined;
    const statics = Array.isArray(acl.config.rule) ? acl.config.rule.length : acl.config.rule ? 1 : 0;
    return statics + (acl.dynamic?.rule?.length ?? 0);
  };
}

/** KMS keys wherever they are (security's, the flow log key, the CloudFront WAF log key), secrets, the regional WAF. */
function securityCosts({ stack, p, u, add }: Pricing, securityRules: number | undefined): void {
  const keys = policyModel(stack).resources.filter((r) => r.type === "aws_kms_key");
  for (const m of [...new Set(keys.map((k) => k.module))]) {
    const n = keys.filter((k) => k.module === m).length;
    add(m, `${n} KMS key(s)`, n * p.kmsKeyMonth);
  }
  const secrets = ((moduleInput(stack, "security", "secret_names") as string[]) ?? []).length;
  add("security", `${secrets} application secret(s)`, secrets * p.secretMonth);
  if (securityRules !== undefined) {
    add(
      "security",
      `regional WAF: ACL, ${securityRules} rules, ${u.wafMillionRequests}M requests`,
      p.wafAclMonth + securityRules * p.wafRuleMonth + u.wafMillionRequests * p.wafMillionRequests,
    );
  }
}

/** cache: nodes × hours (Valkey at its fraction of the Redis OSS price), the AUTH secret. */
function cacheCosts({ stack, p, add, has, resources }: Pricing): void {
  if (!has("cache")) return;
  const type = String(moduleInput(stack, "cache", "redis_node_type"));
  const nodes = Number(moduleInput(stack, "cache", "redis_num_cache_nodes"));
  const group = Object.values<Json>(resources("cache", "aws_elasticache_replication_group"))[0] ?? {};
  const valkey = literal(stack, "cache", group.engine) === "valkey";
  const hour = priceOf(p.elasticacheHour, type, "ElastiCache node type") * (valkey ? p.elasticacheValkeyFactor : 1);
  add("cache", `${nodes} × ${type}${valkey ? " Valkey" : ""}`, hourly(hour, nodes));
  if (moduleInput(stack, "cache", "redis_auth_enabled") === true) add("cache", "AUTH token secret", p.secretMonth);
}

/** database: primary (×2 Multi-AZ), replicas, gp3 storage, the two user secrets. */
function databaseCosts({ stack, p, add, has }: Pricing): void {
  if (!has("database")) return;
  const cls = String(moduleInput(stack, "database", "db_instance_class"));
  const multiAz = moduleInput(stack, "database", "db_multi_az") === true;
  const gb = Number(moduleInput(stack, "database", "db_allocated_storage"));
  const replicas = Number(moduleInput(stack, "database", "db_replica_count") ?? 0);
  const replicaCls = String(moduleInput(stack, "database", "replica_instance_class") ?? cls);
  const copies = multiAz ? 2 : 1;
  add("database", `${cls}${multiAz ? " Multi-AZ" : ""}`, hourly(priceOf(p.rdsHour, cls, "RDS class"), copies));
  add("database", `${gb} GB gp3${multiAz ? " × 2" : ""}`, gb * p.rdsGp3GbMonth * copies);
  add(
    "database",
    `${replicas} read replica(s) ${replicaCls} + storage`,
    hourly(priceOf(p.rdsHour, replicaCls, "RDS class"), replicas) + replicas * gb * p.rdsGp3GbMonth,
  );
  add("database", "master and app user secrets", 2 * p.secretMonth);
}

/** Tasks that run the Datadog agent (Datadog bills each), and those with APM on. */
interface DatadogTasks {
  tasks: number;
  apmTasks: number;
}

/** compute: Fargate services at their steady count, one-off tasks, the ALB, logs. */
function computeCosts(c: Pricing): DatadogTasks {
  const { stack, p, u, add, has, resources } = c;
  const datadog: DatadogTasks = { tasks: 0, apmTasks: 0 };
  if (!has("compute")) return datadog;
  const tasks = resources("compute", "aws_ecs_task_definition");
  for (const [name, svc] of Object.entries<Json>(resources("compute", "aws_ecs_service")))
    serviceCost(c, name, svc, tasks[name] ?? {}, datadog);
  // One-off tasks (compute.tasks, tagged Purpose = run-task): their size for cost.usage.taskHours, and a public IPv4 while they run.
  for (const [name, td] of Object.entries<Json>(tasks)) {
    if (td.tags?.Purpose !== "run-task") continue;
    const vcpu = Number(literal(stack, "compute", td.cpu)) / 1024;
    const gbMem = Number(literal(stack, "compute", td.memory)) / 1024;
    const publicIp = td.tags?.AssignPublicIp === "ENABLED";
    add(
      "compute",
      `${name}: ${u.taskHours} task-hour(s) × ${vcpu} vCPU / ${gbMem} GB${publicIp ? " + public IPv4" : ""}`,
      u.taskHours * (vcpu * p.fargateVcpuHour + gbMem * p.fargateGbHour + (publicIp ? p.publicIpv4Hour : 0)),
    );
  }
  if (Object.keys(resources("compute", "aws_lb")).length > 0)
    add("compute", `ALB + ${u.albLcu} LCU`, hourly(p.albHour) + hourly(p.albLcuHour, u.albLcu));
  add("compute", `${u.logsGb} GB logs ingested`, u.logsGb * p.logsIngestGb);
  return datadog;
}

/** One ECS service: its tasks at the steady desired count, on-demand and Spot; counts its Datadog agents. */
function serviceCost({ stack, p, add, running, share }: Pricing, name: string, svc: Json, td: Json, dd: DatadogTasks) {
  // Steady state: the first deploy's zero tasks (`local.serving` false while app_image_tag is the placeholder) is not the bill.
  const steady =
    typeof svc.desired_count === "string"
      ? svc.desired_count.replace(/^\$\{local\.serving \? (.+) : 0\}$/, "${$1}")
      : svc.desired_count;
  const count = running ? Number(literal(stack, "compute", steady)) : 0;
  const vcpu = Number(literal(stack, "compute", td.cpu)) / 1024;
  const gbMem = Number(literal(stack, "compute", td.memory)) / 1024;
  const spot = (svc.capacity_provider_strategy ?? []).some((s: Json) => s.capacity_provider === "FARGATE_SPOT");
  const mix = spotShare(svc.capacity_provider_strategy, count);
  const usd =
    hourly(vcpu * p.fargateVcpuHour + gbMem * p.fargateGbHour, count) *
    share *
    (mix ? 1 - (mix.spot * (1 - p.fargateSpotFactor)) / count : spot ? p.fargateSpotFactor : 1);
  const capacity = mix ? ` (${round2(count - mix.spot)} on-demand, ${round2(mix.spot)} Spot)` : spot ? " (Spot)" : "";
  add("compute", `${name}: ${count} task(s) × ${vcpu} vCPU / ${gbMem} GB${capacity}`, usd);
  // Datadog bills each concurrent Fargate task that runs its agent (the agent's CPU and memory are inside the task's).
  const defs = String(td.container_definitions ?? "");
  if (defs.includes(`"name" = "${DATADOG_AGENT_CONTAINER}"`)) {
    dd.tasks += count;
    if (/\{\s*"name" = "DD_APM_ENABLED", "value" = "true"\s*\}/.test(defs)) dd.apmTasks += count;
  }
}

/** monitoring: alarms (one per block; per-node and per-replica alarms counted once), the dashboard, custom metrics. */
function monitoringCosts({ p, u, add, has, resources }: Pricing): void {
  if (!has("monitoring")) return;
  const alarms = Object.keys(resources("monitoring", "aws_cloudwatch_metric_alarm")).length;
  add("monitoring", `${alarms} alarms + 1 dashboard`, alarms * p.alarmMonth + p.dashboardMonth);
  add(
    "monitoring",
    `${u.appMetricSeries} custom metric series (disciplines, BNCC codes)`,
    u.appMetricSeries * p.customMetricMonth,
  );
}

/** datadog (compute.datadog): the API key secret, Firehose ingestion of the app log copy, Datadog's own prices. */
function datadogCosts({ cost, p, u, add, resources }: Pricing, datadog: DatadogTasks): void {
  if (
    datadog.tasks === 0 &&
    !Object.keys(resources("compute", "aws_secretsmanager_secret")).includes("datadog_api_key")
  )
    return;
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
  if (Object.keys(resources("monitoring", "aws_kinesis_firehose_delivery_stream")).length > 0) {
    add("datadog", `Firehose: ${u.datadogLogGb} GB of app logs ingested`, u.datadogLogGb * p.firehoseGb);
    add("datadog", `Datadog log ingestion: ${u.datadogLogGb} GB × $${dd.logIngestGb}`, u.datadogLogGb * dd.logIngestGb);
  }
}

/**
 * dr: replicated automated backups (≈ the database's size, stored and transferred once a month) and S3 replicas
 * (stored + transferred); priced with the primary region's table (the DR region's storage prices are within a few
 * percent in the regions this project knows).
 */
function drCosts({ stack, p, u, add, has }: Pricing): void {
  if (!has("dr")) return;
  const gb = Number(moduleInput(stack, "database", "db_allocated_storage"));
  add("dr", `replicated automated backups ≈ ${gb} GB + transfer`, gb * (p.rdsBackupGbMonth + p.interRegionGb));
  add("dr", `S3 replicas ${u.drReplicaGb} GB + transfer`, u.drReplicaGb * (p.s3GbMonth + p.interRegionGb));
}

/** cdn: transfer out and its WAF. */
function cdnCosts({ p, u, add, has }: Pricing, cdnRules: number | undefined): void {
  if (!has("cdn")) return;
  add("cdn", `${u.cdnGb} GB served`, u.cdnGb * p.cloudfrontGb);
  if (cdnRules !== undefined) {
    add(
      "cdn",
      `CloudFront WAF: ACL, ${cdnRules} rules, ${u.wafMillionRequests}M requests`,
      p.wafAclMonth + cdnRules * p.wafRuleMonth + u.wafMillionRequests * p.wafMillionRequests,
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
  stack: SynthesizedStack,
  cost: CostConfig,
): { name: string; runningHours: number; estimate: Estimate }[] {
  return cost.scenarios.map((s) => ({
    name: s.name,
    runningHours: s.runningHours,
    estimate: estimate(stack, { ...cost, usage: { ...cost.usage, runningHours: s.runningHours } }),
  }));
}

/** Lines printed under an estimate, one per scenario; empty without scenarios (the report is unchanged). */
export function formatScenarios(scenarios: ReturnType<typeof scenarioEstimates>): string {
  if (scenarios.length === 0) return "";
  const usd = (n: number) => `$${n.toFixed(2)}`.padStart(11);
  const out = [
    "  start/stop scenarios (environment_running; NAT and tasks follow the hours, everything else runs all month)",
  ];
  for (const s of scenarios) out.push(`      ${`${s.name} (${s.runningHours} h)`.padEnd(52)}${usd(s.estimate.total)}`);
  return out.join("\n");
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Tasks on Fargate Spot under a mixed strategy (FARGATE with a base + FARGATE_SPOT, compute's `spotMix`): the base
 * runs on-demand, the tasks above it split by weight. Undefined unless the strategy names both providers.
 */
export function spotShare(strategy: unknown, count: number): { spot: number } | undefined {
  const entries = (Array.isArray(strategy) ? strategy : []) as Json[];
  const onDemand = entries.find((e) => e.capacity_provider === "FARGATE");
  const spot = entries.find((e) => e.capacity_provider === "FARGATE_SPOT");
  if (!onDemand || !spot || count <= 0) return undefined;
  const base = Math.min(Number(onDemand.base ?? 0), count);
  const odWeight = Number(onDemand.weight ?? 0);
  const spotWeight = Number(spot.weight ?? 0);
  const total = odWeight + spotWeight;
  return { spot: total > 0 ? ((count - base) * spotWeight) / total : 0 };
}
