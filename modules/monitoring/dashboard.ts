/**
 * The `<product>-<env>` dashboard: seed 000 §9.1's metrics and the app's own, as `jsonencode({ widgets })` over
 * the module's variable tokens. Platform widgets by data store and service (ECS, RDS, Redis, ALB), then the
 * app's widgets, the metric alarms' metrics and the error-rate widgets, two per row.
 */
import { Fn, Token, type IResolvable } from "cdktf";
import { hclExpr } from "../../lib/core/tokens";
import { entry, p95Threshold, type ServiceAlarm } from "./alarms-alb";
import type { AppWidget } from "./app-metrics";
import type { MetricAlarmConfig } from "./config";
import { memberId, type RedisRefs } from "./members";

type Metric = unknown[];

/** The module's variables a widget reads, as tokens. */
export interface DashboardRefs {
  readonly region: string;
  readonly clusterName: string;
  readonly serviceName?: string;
  readonly rdsInstanceId?: string;
  /** The Redis group's variables (with a cache). */
  readonly redis?: RedisRefs;
  readonly albArnSuffix?: string;
  readonly targetGroupArnSuffix?: string;
  /** Target group ARN suffixes by service (map token): error-rate widgets. */
  readonly targetGroupArnSuffixes?: unknown;
  readonly appNamespace: string;
}

/** What the dashboard draws. */
export interface DashboardContent {
  /** The Redis group runs in cluster mode (member ids `<group>-000S-00N`). @default false */
  readonly clusterMode?: boolean;
  readonly appWidgets?: readonly AppWidget[];
  /** The metric alarms' metrics (monitoring.metricAlarms), one widget each after the app's. @default none */
  readonly metricAlarms?: readonly MetricAlarmConfig[];
  /** Web services whose error rate (target 5xx / requests, %) gets a widget, after the metric alarms'. @default none */
  readonly errorRateServices?: readonly string[];
  /** The load balancer's p95 alarm threshold, ms (thresholds.albP95LatencyMs): the ALB p95 widget's line and title. */
  readonly albP95LatencyMs: number;
  /**
   * The per-service alarms (monitoring.serviceAlarms): each with `p95LatencyMs` gets a p95 widget of its target
   * group, with the alarm's threshold as its line and title, before the error-rate widgets. @default none
   */
  readonly serviceAlarms?: readonly ServiceAlarm[];
}

/** A p95 widget's title and its horizontal line at the alarm's threshold (the same value the alarm compares). */
function p95Alarm(what: string, ms: number, alarmSuffix: string) {
  const t = p95Threshold(ms);
  return {
    title: `${what} response time p95 (alarm ${t.words})`,
    annotations: { horizontal: [{ label: `${alarmSuffix} alarm`, value: t.seconds }] },
  };
}

/** A time-series widget of 12 × 6 at (x, y), with horizontal annotations when given. */
function widget(
  region: string,
  title: string,
  metrics: Metric[] | unknown,
  x: number,
  y: number,
  stat = "Average",
  annotations?: object,
) {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, stat, period: 300, view: "timeSeries", metrics, ...(annotations && { annotations }) },
  };
}

/**
 * One line per metric and node (`<group>-001` … `<group>-00N`, cluster mode `<group>-0001-001` …): roles move
 * at a failover, so no widget follows a single node. A for-expression over the node range: HCL text (members.ts).
 */
function everyNode(r: RedisRefs, metrics: [string, string?][], clusterMode: boolean): IResolvable {
  const lists = metrics.map(([metric, stat]) => {
    const options = stat ? `, { stat = ${JSON.stringify(stat)} }` : "";
    return hclExpr`[for i in range(${r.shardCount} * ${r.nodesPerShard}) : ["AWS/ElastiCache", ${JSON.stringify(metric)}, "CacheClusterId", ${memberId("i", clusterMode, r)}${options}]]`;
  });
  return hclExpr`concat(${lists.map((l) => Token.asString(l)).join(", ")})`;
}

/** ECS CPU and memory, running vs desired tasks of the watched service (row 0). */
function ecsWidgets(r: DashboardRefs, serviceName: string) {
  const ecs = ["ClusterName", r.clusterName, "ServiceName", serviceName];
  return [
    widget(
      r.region,
      "ECS CPU and memory (targets: < 70% / < 80%)",
      [
        ["AWS/ECS", "CPUUtilization", ...ecs],
        ["AWS/ECS", "MemoryUtilization", ...ecs],
      ],
      0,
      0,
    ),
    widget(
      r.region,
      "ECS tasks: running vs desired",
      [
        ["ECS/ContainerInsights", "RunningTaskCount", ...ecs],
        ["ECS/ContainerInsights", "DesiredTaskCount", ...ecs],
      ],
      12,
      0,
    ),
  ];
}

/** Connections, latency and free storage of the primary (rows 1–2). */
function rdsWidgets(r: DashboardRefs, instanceId: string) {
  const rds = ["DBInstanceIdentifier", instanceId];
  return [
    widget(r.region, "RDS connections", [["AWS/RDS", "DatabaseConnections", ...rds]], 0, 6),
    widget(
      r.region,
      "RDS read / write latency",
      [
        ["AWS/RDS", "ReadLatency", ...rds],
        ["AWS/RDS", "WriteLatency", ...rds],
      ],
      12,
      6,
    ),
    widget(r.region, "RDS free storage", [["AWS/RDS", "FreeStorageSpace", ...rds, { stat: "Minimum" }]], 0, 12),
  ];
}

/** Hits and misses, engine CPU and memory, network of every node (rows 2–3). */
function redisWidgets(r: DashboardRefs, redis: RedisRefs, clusterMode: boolean) {
  const sums = (a: string, b: string): [string, string?][] => [
    [a, "Sum"],
    [b, "Sum"],
  ];
  return [
    widget(
      r.region,
      "Redis hits / misses, every node",
      everyNode(redis, sums("CacheHits", "CacheMisses"), clusterMode),
      12,
      12,
    ),
    widget(
      r.region,
      "Redis engine CPU and memory, every node",
      everyNode(redis, [["EngineCPUUtilization"], ["DatabaseMemoryUsagePercentage"]], clusterMode),
      0,
      18,
    ),
    widget(
      r.region,
      "Redis network, every node",
      everyNode(redis, sums("NetworkBytesIn", "NetworkBytesOut"), clusterMode),
      12,
      18,
    ),
  ];
}

/** p95 response time (with its alarm's threshold), requests and healthy hosts of the load balancer (rows 4–5). */
function albWidgets(r: DashboardRefs, arnSuffix: string, p95Ms: number) {
  const lb = ["LoadBalancer", arnSuffix];
  const p95 = p95Alarm("ALB", p95Ms, "alb-p95-latency");
  return [
    widget(
      r.region,
      p95.title,
      [["AWS/ApplicationELB", "TargetResponseTime", ...lb, { stat: "p95" }]],
      0,
      24,
      "Average",
      p95.annotations,
    ),
    widget(r.region, "ALB requests", [["AWS/ApplicationELB", "RequestCount", ...lb, { stat: "Sum" }]], 12, 24),
    widget(
      r.region,
      "ALB healthy hosts",
      [["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", r.targetGroupArnSuffix, ...lb]],
      0,
      30,
    ),
  ];
}

/** A widget drawing every series a CloudWatch SEARCH finds (one line per dimension value). */
function searchWidget(region: string, title: string, search: string, x: number, y: number) {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region, period: 300, view: "timeSeries", metrics: [[{ expression: search, id: "e1" }]] },
  };
}

/** The app's own widgets, two per row from row 6 (`{ns}` and relative namespaces under the app's namespace). */
function appWidgets(r: DashboardRefs, widgets: readonly AppWidget[]) {
  const ns = r.appNamespace;
  return widgets.map((w, i) => {
    const [x, y] = [(i % 2) * 12, 36 + Math.floor(i / 2) * 6];
    return "search" in w
      ? searchWidget(r.region, w.title, w.search.replace(/\{ns\}/g, ns), x, y)
      : widget(
          r.region,
          w.title,
          w.series.map((m) => [
            `${ns}/${m.namespace}`,
            m.metric,
            m.label ? { stat: m.stat, label: m.label } : { stat: m.stat },
          ]),
          x,
          y,
        );
  });
}

/** The metric alarms' metrics, two per row from row `top`. */
function metricAlarmWidgets(r: DashboardRefs, alarms: readonly MetricAlarmConfig[], top: number) {
  return alarms.map((a, i) =>
    widget(
      r.region,
      `${a.description} (${a.namespace} ${a.metric})`,
      [[a.namespace, a.metric, ...Object.entries(a.dimensions).flat(), { stat: a.statistic }]],
      (i % 2) * 12,
      top + Math.floor(i / 2) * 6,
      a.statistic,
    ),
  );
}

/** `<service> response time p95`: its target group's p95, with its `<service>-p95-latency` alarm's threshold. */
function serviceLatencyWidget(r: DashboardRefs, service: string, ms: number, x: number, y: number) {
  const dims = ["TargetGroup", entry(r.targetGroupArnSuffixes, service), "LoadBalancer", r.albArnSuffix];
  const p95 = p95Alarm(service, ms, `${service}-p95-latency`);
  return widget(
    r.region,
    p95.title,
    [["AWS/ApplicationELB", "TargetResponseTime", ...dims, { stat: "p95" }]],
    x,
    y,
    "Average",
    p95.annotations,
  );
}

/** `<service> error rate`: 100 × HTTPCode_Target_5XX_Count / RequestCount of the service's target group. */
function errorRateWidget(r: DashboardRefs, service: string, x: number, y: number) {
  const dims = ["TargetGroup", entry(r.targetGroupArnSuffixes, service), "LoadBalancer", r.albArnSuffix];
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title: `${service} error rate (5xx / requests, %)`,
      region: r.region,
      period: 300,
      view: "timeSeries",
      metrics: [
        [
          {
            expression: "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)",
            label: `${service} error rate %`,
            id: "rate",
          },
        ],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...dims, { id: "errors", stat: "Sum", visible: false }],
        ["AWS/ApplicationELB", "RequestCount", ...dims, { id: "requests", stat: "Sum", visible: false }],
      ],
    },
  };
}

/**
 * Strings escaped for an HCL string literal (`"` and `\\` as JSON writes them): cdktf writes the strings of a
 * function's arguments unescaped, so a `"` in a SEARCH expression would end the string. Tokens are left as
 * they are (their text has neither).
 */
function escaped(value: unknown): unknown {
  if (typeof value === "string") return JSON.stringify(value).slice(1, -1);
  if (Array.isArray(value)) return value.map(escaped);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escaped(v)]));
  return value;
}

/** The dashboard body: `jsonencode({ widgets = [...] })`, references as tokens. */
export function dashboardBody(r: DashboardRefs, has: DashboardContent): string {
  return Fn.jsonencode(escaped({ widgets: dashboardWidgets(r, has) }));
}

/** The dashboard's widgets, in order, as plain objects (references as tokens). */
export function dashboardWidgets(r: DashboardRefs, has: DashboardContent) {
  const app = has.appWidgets ?? [];
  const alarms = has.metricAlarms ?? [];
  const below = 36 + Math.ceil(app.length / 2) * 6;
  const afterAlarms = below + Math.ceil(alarms.length / 2) * 6;
  // Per-service latency and error rates need the load balancer's dimensions; latencies first, then error rates.
  const lb = r.albArnSuffix !== undefined;
  const latencies = lb
    ? (has.serviceAlarms ?? []).flatMap((a) => (a.p95LatencyMs === undefined ? [] : [{ ...a, ms: a.p95LatencyMs }]))
    : [];
  const errorRates = lb ? (has.errorRateServices ?? []) : [];
  const at = (i: number): [number, number] => [(i % 2) * 12, afterAlarms + Math.floor(i / 2) * 6];
  return [
    ...(r.serviceName === undefined ? [] : ecsWidgets(r, r.serviceName)),
    ...(r.rdsInstanceId === undefined ? [] : rdsWidgets(r, r.rdsInstanceId)),
    ...(r.redis === undefined ? [] : redisWidgets(r, r.redis, has.clusterMode === true)),
    ...(r.albArnSuffix === undefined ? [] : albWidgets(r, r.albArnSuffix, has.albP95LatencyMs)),
    ...appWidgets(r, app),
    ...metricAlarmWidgets(r, alarms, below),
    ...latencies.map((a, i) => serviceLatencyWidget(r, a.service, a.ms, ...at(i))),
    ...errorRates.map((service, i) => errorRateWidget(r, service, ...at(latencies.length + i))),
  ];
}
