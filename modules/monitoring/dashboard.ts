/** The `<product>-<env>` dashboard: seed 000 §9.1's metrics and the app's own, as an HCL expression for jsonencode(). */
import { hclExpression } from "../../lib/core/hcl";
import type { AppWidget } from "./app-metrics";
import type { MetricAlarmConfig } from "./config";
import { memberId } from "./members";

type Metric = (string | { stat?: string; label?: string })[];

function widget(title: string, metrics: Metric[] | string, x: number, y: number, stat = "Average") {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: "${var.region}", stat, period: 300, view: "timeSeries", metrics },
  };
}

/**
 * One line per metric and node (`<group>-001` … `<group>-00N`, cluster mode `<group>-0001-001` …): roles move
 * at a failover, so no widget follows a single node.
 */
function everyNode(metrics: [string, string?][], clusterMode: boolean): string {
  const lists = metrics.map(
    ([metric, stat]) =>
      `[for i in range(var.redis_shard_count * var.redis_nodes_per_shard) : ["AWS/ElastiCache", ${JSON.stringify(metric)}, "CacheClusterId", ${memberId("i", clusterMode)}${stat ? `, { stat = ${JSON.stringify(stat)} }` : ""}]]`,
  );
  return `\${concat(${lists.join(", ")})}`;
}

/** A widget drawing every series a CloudWatch SEARCH finds (one line per dimension value). */
function searchWidget(title: string, search: string, x: number, y: number) {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title,
      region: "${var.region}",
      period: 300,
      view: "timeSeries",
      metrics: [[{ expression: search, id: "e1" }]],
    },
  };
}

export function dashboardBody(has: {
  alb: boolean;
  redis: boolean;
  /** The Redis group runs in cluster mode (member ids `<group>-000S-00N`). @default false */
  clusterMode?: boolean;
  appWidgets?: readonly AppWidget[];
  /** An ECS service to draw. @default true */
  service?: boolean;
  /** A database to draw. @default true */
  rds?: boolean;
  /** The metric alarms' metrics (monitoring.metricAlarms), one widget each after the app's. @default none */
  metricAlarms?: readonly MetricAlarmConfig[];
  /** Web services whose error rate (target 5xx / requests, %) gets a widget, after the metric alarms'. @default none */
  errorRateServices?: readonly string[];
}): string {
  const ecs = ["ClusterName", "${var.ecs_cluster_name}", "ServiceName", "${var.ecs_service_name}"];
  const rds = ["DBInstanceIdentifier", "${var.rds_instance_id}"];
  const lb = ["LoadBalancer", "${var.alb_arn_suffix}"];
  const widgets: object[] = [];
  if (has.service !== false) {
    widgets.push(
      widget(
        "ECS CPU and memory (targets: < 70% / < 80%)",
        [
          ["AWS/ECS", "CPUUtilization", ...ecs],
          ["AWS/ECS", "MemoryUtilization", ...ecs],
        ],
        0,
        0,
      ),
      widget(
        "ECS tasks: running vs desired",
        [
          ["ECS/ContainerInsights", "RunningTaskCount", ...ecs],
          ["ECS/ContainerInsights", "DesiredTaskCount", ...ecs],
        ],
        12,
        0,
      ),
    );
  }
  if (has.rds !== false) {
    widgets.push(
      widget("RDS connections", [["AWS/RDS", "DatabaseConnections", ...rds]], 0, 6),
      widget(
        "RDS read / write latency",
        [
          ["AWS/RDS", "ReadLatency", ...rds],
          ["AWS/RDS", "WriteLatency", ...rds],
        ],
        12,
        6,
      ),
      widget("RDS free storage", [["AWS/RDS", "FreeStorageSpace", ...rds, { stat: "Minimum" }]], 0, 12),
    );
  }
  if (has.redis) {
    widgets.push(
      widget(
        "Redis hits / misses, every node",
        everyNode(
          [
            ["CacheHits", "Sum"],
            ["CacheMisses", "Sum"],
          ],
          has.clusterMode === true,
        ),
        12,
        12,
      ),
      widget(
        "Redis engine CPU and memory, every node",
        everyNode([["EngineCPUUtilization"], ["DatabaseMemoryUsagePercentage"]], has.clusterMode === true),
        0,
        18,
      ),
      widget(
        "Redis network, every node",
        everyNode(
          [
            ["NetworkBytesIn", "Sum"],
            ["NetworkBytesOut", "Sum"],
          ],
          has.clusterMode === true,
        ),
        12,
        18,
      ),
    );
  }
  if (has.alb) {
    widgets.push(
      widget(
        "ALB response time p95 (target < 500 ms)",
        [["AWS/ApplicationELB", "TargetResponseTime", ...lb, { stat: "p95" }]],
        0,
        24,
      ),
      widget("ALB requests", [["AWS/ApplicationELB", "RequestCount", ...lb, { stat: "Sum" }]], 12, 24),
      widget(
        "ALB healthy hosts",
        [["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", "${var.target_group_arn_suffix}", ...lb]],
        0,
        30,
      ),
    );
  }
  // The app's own widgets, two per row below the platform's.
  const ns = "${var.app_metrics_namespace}";
  (has.appWidgets ?? []).forEach((w, i) => {
    const [x, y] = [(i % 2) * 12, 36 + Math.floor(i / 2) * 6];
    widgets.push(
      "search" in w
        ? searchWidget(w.title, w.search.replace(/\{ns\}/g, ns), x, y)
        : widget(
            w.title,
            w.series.map((m) => [
              `${ns}/${m.namespace}`,
              m.metric,
              m.label ? { stat: m.stat, label: m.label } : { stat: m.stat },
            ]),
            x,
            y,
          ),
    );
  });
  // The metric alarms' metrics, two per row below the app's widgets.
  const below = 36 + Math.ceil((has.appWidgets ?? []).length / 2) * 6;
  (has.metricAlarms ?? []).forEach((a, i) => {
    const dims = Object.entries(a.dimensions).flat();
    widgets.push(
      widget(
        `${a.description} (${a.namespace} ${a.metric})`,
        [[a.namespace, a.metric, ...dims, { stat: a.statistic }]],
        (i % 2) * 12,
        below + Math.floor(i / 2) * 6,
        a.statistic,
      ),
    );
  });
  // Error rate per listed web service: 5xx of its target group over its requests, % (0 without requests).
  const afterAlarms = below + Math.ceil((has.metricAlarms ?? []).length / 2) * 6;
  (has.errorRateServices ?? []).forEach((service, i) =>
    widgets.push(errorRateWidget(service, (i % 2) * 12, afterAlarms + Math.floor(i / 2) * 6)),
  );
  return hclExpression({ widgets });
}

/** `<service> error rate`: 100 × HTTPCode_Target_5XX_Count / RequestCount of the service's target group. */
function errorRateWidget(service: string, x: number, y: number) {
  const dims = [
    "TargetGroup",
    `\${var.target_group_arn_suffixes[${JSON.stringify(service)}]}`,
    "LoadBalancer",
    "${var.alb_arn_suffix}",
  ];
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title: `${service} error rate (5xx / requests, %)`,
      region: "${var.region}",
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
