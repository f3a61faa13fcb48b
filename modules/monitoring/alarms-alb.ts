/**
 * Alarms on the load balancer (5xx, p95 response time, unhealthy targets) and on single services
 * (monitoring.serviceAlarms: ECS CPU by service name, p95 response time by the service's target group).
 */
import { propertyAccess, Token } from "cdktf";
import type { Alarm } from "./alarms";
import type { Thresholds } from "./config";

/** `map["key"]` of a map variable, as a string token. */
export function entry(map: unknown, key: string): string {
  return Token.asString(propertyAccess(map, [JSON.stringify(key)]));
}

/**
 * A p95 response-time alarm's threshold, from its one setting in ms: the alarm's threshold (TargetResponseTime is
 * in seconds) and the words the alarm and the dashboard's widget both show.
 */
export function p95Threshold(ms: number): { readonly seconds: number; readonly words: string } {
  return { seconds: ms / 1000, words: `above ${ms} ms` };
}

/** ALB dimensions, as tokens of the module's variables. */
export interface AlbRefs {
  readonly arnSuffix: string;
  readonly targetGroupArnSuffix: string;
}

export function albAlarms(alarm: Alarm, t: Thresholds, alb: AlbRefs): void {
  const lb = { LoadBalancer: alb.arnSuffix };
  const elb5xx = (id: string, metricName: string) => ({
    id,
    metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: lb, period: 300, stat: "Sum" },
  });
  alarm({
    suffix: "alb-5xx",
    alarmDescription: `More than ${t.alb5xxPer5Minutes} 5xx responses (ALB and targets) in 5 minutes`,
    evaluationPeriods: 1,
    threshold: t.alb5xxPer5Minutes,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    metricQuery: [
      { id: "errors", expression: "FILL(elb, 0) + FILL(target, 0)", label: "5xx", returnData: true },
      elb5xx("elb", "HTTPCode_ELB_5XX_Count"),
      elb5xx("target", "HTTPCode_Target_5XX_Count"),
    ],
  });
  alarm({
    suffix: "alb-p95-latency",
    alarmDescription: `Target p95 response time ${p95Threshold(t.albP95LatencyMs).words} (seed 001 success metric)`,
    namespace: "AWS/ApplicationELB",
    metricName: "TargetResponseTime",
    dimensions: lb,
    extendedStatistic: "p95",
    period: 300,
    evaluationPeriods: 2,
    threshold: p95Threshold(t.albP95LatencyMs).seconds,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  });
  alarm({
    suffix: "alb-unhealthy-hosts",
    alarmDescription: "Unhealthy targets behind the ALB for 3 minutes",
    namespace: "AWS/ApplicationELB",
    metricName: "UnHealthyHostCount",
    dimensions: { ...lb, TargetGroup: alb.targetGroupArnSuffix },
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 3,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  });
}

/** One service's own alarms: `<prefix>-<service>-cpu-high` and `<prefix>-<service>-p95-latency`, each when its threshold is set. */
export interface ServiceAlarm {
  /** Service key in the config (`api`): alarm names and the lookups of its ECS service and target group. */
  readonly service: string;
  readonly cpuPercent?: number;
  readonly p95LatencyMs?: number;
}

/**
 * Per-service alarms: CPU by the service's ECS service name (`ecsServiceNames[service]`), p95 latency by its
 * target group (`targetGroupArnSuffixes[service]`, only with a load balancer).
 */
export function serviceAlarms(
  alarm: Alarm,
  alarms: readonly ServiceAlarm[],
  p: {
    readonly clusterName: string;
    /** Map tokens (module variables); absent when no alarm needs them. */
    readonly ecsServiceNames?: unknown;
    readonly targetGroupArnSuffixes?: unknown;
    readonly albArnSuffix?: string;
  },
): void {
  for (const a of alarms) {
    if (a.cpuPercent !== undefined) {
      alarm({
        suffix: `${a.service}-cpu-high`,
        alarmDescription: `ECS service ${a.service} CPU above ${a.cpuPercent}% for 10 minutes`,
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        dimensions: { ClusterName: p.clusterName, ServiceName: entry(p.ecsServiceNames, a.service) },
        statistic: "Average",
        period: 300,
        evaluationPeriods: 2,
        threshold: a.cpuPercent,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }
    if (a.p95LatencyMs !== undefined && p.albArnSuffix !== undefined) {
      alarm({
        suffix: `${a.service}-p95-latency`,
        alarmDescription: `${a.service} p95 response time ${p95Threshold(a.p95LatencyMs).words} for 10 minutes (its target group)`,
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: { LoadBalancer: p.albArnSuffix, TargetGroup: entry(p.targetGroupArnSuffixes, a.service) },
        extendedStatistic: "p95",
        period: 300,
        evaluationPeriods: 2,
        threshold: p95Threshold(a.p95LatencyMs).seconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }
  }
}
