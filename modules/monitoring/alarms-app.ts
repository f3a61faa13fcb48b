/**
 * Alarms on the app: its ECS service (CPU, memory, running below desired), ERROR lines of its log
 * group, and the product's p95 latency alarms on metrics from its JSON log lines (app-metrics.ts).
 * Utilisation and error alarms treat silence as healthy (a stopped dev service is not an incident).
 */
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import type { Construct } from "constructs";
import { named } from "../../lib/core/module-stack";
import type { Alarm } from "./alarms";
import type { AppMetricsProps } from "./app-metrics";
import type { Thresholds } from "./config";

/** The watched ECS service: CPU and memory, and with Container Insights the running-below-desired task count. */
export function ecsServiceAlarms(
  alarm: Alarm,
  t: Thresholds,
  p: { readonly clusterName: string; readonly serviceName: string; readonly containerInsights: boolean },
): void {
  const dimensions = { ClusterName: p.clusterName, ServiceName: p.serviceName };
  const utilisation = (suffix: string, what: string, metricName: string, percent: number) =>
    alarm({
      suffix,
      alarmDescription: `ECS service ${what} above ${percent}% for 10 minutes`,
      namespace: "AWS/ECS",
      metricName,
      dimensions,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 2,
      threshold: percent,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
  utilisation("ecs-cpu-high", "CPU", "CPUUtilization", t.ecsCpuPercent);
  utilisation("ecs-memory-high", "memory", "MemoryUtilization", t.ecsMemoryPercent);
  if (!p.containerInsights) return;
  // Task counts come from Container Insights.
  const taskCount = (id: string, metricName: string) => ({
    id,
    metric: { namespace: "ECS/ContainerInsights", metricName, dimensions, period: 60, stat: "Average" },
  });
  alarm({
    suffix: "ecs-running-below-desired",
    alarmDescription: "Fewer running tasks than desired for 5 minutes (tasks crashing or not starting)",
    evaluationPeriods: 5,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "breaching",
    metricQuery: [
      { id: "missing", expression: "desired - running", label: "Desired minus running", returnData: true },
      taskCount("desired", "DesiredTaskCount"),
      taskCount("running", "RunningTaskCount"),
    ],
  });
}

/** `<prefix>-app-errors`: a metric filter counting ERROR lines of the app log group, and its alarm. */
export function appErrorAlarm(
  scope: Construct,
  alarm: Alarm,
  t: Thresholds,
  p: { readonly prefix: string; readonly logGroup: string; readonly namespace: string },
): void {
  named(
    new CloudwatchLogMetricFilter(scope, "errors_filter", {
      name: `${p.prefix}-app-errors`,
      logGroupName: p.logGroup,
      pattern: "ERROR",
      metricTransformation: { name: "ErrorCount", namespace: p.namespace, value: "1", defaultValue: "0" },
    }),
    "app_errors",
  );
  alarm({
    suffix: "app-errors",
    alarmDescription: `More than ${t.appErrorsPer5Minutes} ERROR lines in the app log in 5 minutes`,
    namespace: p.namespace,
    metricName: "ErrorCount",
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    threshold: t.appErrorsPer5Minutes,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  });
}

/**
 * The product's p95 alarms on its app metrics (`<appNamespace>/<sub>`). Missing data is healthy: no request
 * (or no request for one dimension value) is quiet, not an incident.
 */
export function appLatencyAlarms(
  alarm: Alarm,
  appNamespace: string,
  latencyAlarms: AppMetricsProps["latencyAlarms"],
): void {
  for (const a of latencyAlarms) {
    alarm({
      suffix: a.suffix,
      alarmDescription: a.description,
      namespace: `${appNamespace}/${a.namespace}`,
      metricName: a.metric,
      dimensions: a.dimensions,
      extendedStatistic: "p95",
      period: 300,
      evaluationPeriods: 3,
      threshold: a.thresholdMs,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
  }
}
