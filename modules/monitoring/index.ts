/**
 * monitoring — alarms, dashboard and log metrics (seed 000 §9, seed 001 "Observabilidade").
 *
 * Owns: the alarm topic (KMS-encrypted with the alarms key, which CloudWatch may use) and its
 * e-mail subscriptions, the alarms of seed 000 §9.2 and the issue's list, the `<product>-<env>`
 * dashboard with seed 000 §9.1's metrics, and metric filters on the app log group. Alarms exist only
 * for what exists: no cache → no Redis alarms; no ALB → no ALB alarms.
 * Missing data is chosen per alarm: utilisation and error alarms treat silence as healthy
 * (a stopped dev service is not an incident); "Redis down" treats silence on a replicated group
 * as breaching.
 *
 * Depends on: security (alarms key), compute (cluster, log group, ALB), database and, when enabled, cache; storage for the Datadog copy.
 */
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { Construct } from "constructs";
import { DEFAULT_APP_NAMESPACE, MAX_REDIS_NODES_PER_SHARD, type MetricAlarmConfig, type Thresholds } from "./config";
import { counted, expr, ModuleStack, named } from "../../lib/core/module-stack";
import { appMetricFilters, type AppMetricsProps } from "./app-metrics";
import { dashboardBody } from "./dashboard";
import { memberId, memberSuffix } from "./members";

export { memberId, memberSuffix } from "./members";
import { datadogLogs } from "./datadog-logs";
import type { DatadogSite } from "../compute/datadog-config";

/** Namespace of the app's error count, under the app's namespace root (`<ns>/app`). */
export const ERRORS_SUBNAMESPACE = "app";

export interface MonitoringProps {
  /** Alarm name prefix, e.g. `<product>-prod`. */
  readonly alarmPrefix: string;
  /** Dashboard name, e.g. `<product>-production`. */
  readonly dashboardName: string;
  readonly region: string;
  readonly alarmsKmsKeyArn: string;
  readonly alarmEmails: readonly string[];
  readonly thresholds: Thresholds;
  /** `serviceName` is the service the ECS alarms watch; omit it without a service (tasks only: no ECS service alarms or widgets). */
  readonly ecs: {
    readonly clusterName: string;
    readonly serviceName?: string;
    readonly logGroupName: string;
    readonly containerInsights: boolean;
  };
  /** ALB dimensions; omit without a load balancer. */
  readonly alb?: { readonly arnSuffix: string; readonly targetGroupArnSuffix: string };
  /** The database; omit without one (no RDS alarms or widgets). */
  readonly rds?: {
    readonly instanceId: string;
    readonly allocatedStorageGb: unknown;
    readonly maxConnections: number;
    readonly replicaCount: unknown;
  };
  /** Alarms on any metric (monitoring.metricAlarms), to the alarm topic. @default none */
  readonly metricAlarms?: readonly MetricAlarmConfig[];
  /**
   * Redis; omit when the cache is disabled (no Redis alarms). `nodesPerShard` is the group's node count
   * without cluster mode; with cluster mode, `shards` is set and `nodesPerShard` is 1 + replicas per shard.
   */
  readonly redis?: { readonly replicationGroupId: string; readonly nodesPerShard: unknown; readonly shards?: number };
  /** The app's own metrics from its log lines (app-metrics.ts): filters, p95 alarms, dashboard widgets. @default namespace "app", none */
  readonly appMetrics?: AppMetricsProps;
  /**
   * Alarms on single services (monitoring.serviceAlarms): ECS CPU by service name, p95 response time by the
   * service's target group (a key of `targetGroupArnSuffixes`). @default none
   */
  readonly serviceAlarms?: readonly ServiceAlarm[];
  /** Web services whose error rate (5xx / requests of their target group) gets a dashboard widget (monitoring.dashboard.errorRateServices). @default none */
  readonly errorRateServices?: readonly string[];
  /** Target group ARN suffixes by service (compute's output), needed by `serviceAlarms` latency alarms and error-rate widgets. */
  readonly targetGroupArnSuffixes?: unknown;
  /** ECS service names by service (compute's output), needed by `serviceAlarms` CPU alarms. */
  readonly ecsServiceNames?: unknown;
  /** A copy of the app log group to Datadog through Firehose (compute.datadog.logs, datadog-logs.ts); omit when off. */
  readonly datadog?: {
    readonly streamName: string;
    readonly site: DatadogSite;
    readonly environmentName: string;
    readonly accountId: string;
    readonly secretArn: string;
    readonly dataKmsKeyArn: string;
    readonly logsKmsKeyArn: string;
    readonly logsBucketArn: string;
    readonly errorLogRetentionDays: number;
  };
}

/**
 * A `dynamic "metric_query"` block: one metric query per node of one shard, ids `<prefix>1` … `<prefix>N`
 * (N = var.redis_nodes_per_shard): `<group>-001` … `<group>-00N`, or in cluster mode the nodes
 * `<group>-000S-001` … of shard S = count.index + 1 (one alarm per shard).
 */
export function nodeQueries(
  prefix: string,
  metricName: string,
  stat: string,
  period: number,
  clusterMode = false,
): Record<string, unknown> {
  const id = clusterMode
    ? 'format("%s-%04d-%03d", var.redis_replication_group_id, count.index + 1, metric_query.value + 1)'
    : 'format("%s-%03d", var.redis_replication_group_id, metric_query.value + 1)';
  return {
    for_each: "${range(var.redis_nodes_per_shard)}",
    content: {
      id: `${prefix}\${metric_query.value + 1}`,
      return_data: false,
      metric: {
        namespace: "AWS/ElastiCache",
        metric_name: metricName,
        dimensions: { CacheClusterId: `\${${id}}` },
        period,
        stat,
      },
    },
  };
}

/** Metric math over every node of a shard: `MAX([lag1, lag2, …])`; `term` has `%d` where the node number goes. */
export function overNodes(fn: string, term: string): string {
  return `${fn}([\${join(", ", [for i in range(var.redis_nodes_per_shard) : format(${JSON.stringify(term)}, i + 1)])}])`;
}

/** One service's own alarms: `<prefix>-<service>-cpu-high` and `<prefix>-<service>-p95-latency`, each when its threshold is set. */
export interface ServiceAlarm {
  /** Service key in the config (`api`): alarm names and the lookups of its ECS service and target group. */
  readonly service: string;
  readonly cpuPercent?: number;
  readonly p95LatencyMs?: number;
}

/** An alarm: `<prefix>-<suffix>`, or `<prefix>-<suffix>-<instance>` for one of several (`instance` an HCL template part with count.index, D130). */
type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, "alarmActions" | "okActions" | "alarmName"> & {
  readonly suffix: string;
  readonly instance?: string;
};

export class MonitoringModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: MonitoringProps) {
    super(scope, workspace, "monitoring");
    const t = props.thresholds;
    const prefix = this.input("alarm_prefix", props.alarmPrefix, {
      type: "string",
      description: "Prefix of alarm names.",
    }).stringValue;
    this.input("dashboard_name", props.dashboardName, { type: "string", description: "Dashboard name." });
    this.input("region", props.region, { type: "string", description: "AWS region (dashboard widgets)." });
    const key = this.input("alarms_kms_key_arn", props.alarmsKmsKeyArn, {
      type: "string",
      description: "KMS key of the topic (CloudWatch may use it).",
    }).stringValue;
    this.input("alarm_emails", props.alarmEmails, {
      type: "list(string)",
      description: "E-mail subscriptions of the alarm topic.",
      default: [],
    });
    this.input("ecs_cluster_name", props.ecs.clusterName, { type: "string", description: "ECS cluster." });
    if (props.ecs.serviceName !== undefined)
      this.input("ecs_service_name", props.ecs.serviceName, { type: "string", description: "ECS service watched." });
    const logGroup = this.input("app_log_group_name", props.ecs.logGroupName, {
      type: "string",
      description: "App log group (metric filters).",
    }).stringValue;
    const rds = props.rds;
    if (rds) {
      this.input("rds_instance_id", rds.instanceId, { type: "string", description: "Primary RDS instance." });
      this.input("rds_allocated_storage_gb", rds.allocatedStorageGb, {
        type: "number",
        description: "Allocated storage (free-storage threshold).",
      });
      this.input("rds_replica_count", rds.replicaCount, {
        type: "number",
        description: "Read replicas (replica lag alarms).",
        default: 0,
      });
    }
    if (props.alb) {
      this.input("alb_arn_suffix", props.alb.arnSuffix, { type: "string", description: "ALB ARN suffix." });
      this.input("target_group_arn_suffix", props.alb.targetGroupArnSuffix, {
        type: "string",
        description: "Target group ARN suffix of the app.",
      });
    }
    if (props.redis) {
      this.input("redis_replication_group_id", props.redis.replicationGroupId, {
        type: "string",
        description: "Redis replication group.",
      });
      this.input("redis_nodes_per_shard", props.redis.nodesPerShard, {
        type: "number",
        description:
          "Nodes per shard: the whole group (<group>-001 …) without cluster mode, 1 + replicas per shard (<group>-0001-001 …) with it.",
        validations: [
          {
            condition: `var.redis_nodes_per_shard >= 1 && var.redis_nodes_per_shard <= ${MAX_REDIS_NODES_PER_SHARD}`,
            errorMessage: `A shard has 1 to ${MAX_REDIS_NODES_PER_SHARD} nodes (the per-node metric queries are sized for that).`,
          },
        ],
      });
      this.input("redis_shard_count", props.redis.shards, {
        type: "number",
        description: "Shards (node groups): 1 without cluster mode.",
        default: 1,
      });
    }

    const topic = named(
      new SnsTopic(this, "alarms_topic", { name: `${prefix}-alarms`, kmsMasterKeyId: key }),
      "alarms",
    );
    named(
      new SnsTopicSubscription(this, "alarm_email", {
        topicArn: topic.arn,
        protocol: "email",
        endpoint: expr("each.value"),
      }),
      "email",
    ).addOverride("for_each", expr("toset(var.alarm_emails)"));

    const alarm = ({ suffix, instance, ...config }: AlarmSpec) =>
      named(
        new CloudwatchMetricAlarm(this, `alarm_${suffix.replace(/-/g, "_")}`, {
          ...config,
          alarmName: `${prefix}-${suffix}${instance === undefined ? "" : `-${instance}`}`,
          alarmActions: [topic.arn],
          okActions: [topic.arn],
        }),
        suffix.replace(/-/g, "_"),
      );
    const ecsDims = { ClusterName: "${var.ecs_cluster_name}", ServiceName: "${var.ecs_service_name}" };

    // --- ECS (with a service to watch) ---------------------------------------------------------------
    if (props.ecs.serviceName !== undefined) {
      alarm({
        suffix: "ecs-cpu-high",
        alarmDescription: `ECS service CPU above ${t.ecsCpuPercent}% for 10 minutes`,
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        dimensions: ecsDims,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 2,
        threshold: t.ecsCpuPercent,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
      alarm({
        suffix: "ecs-memory-high",
        alarmDescription: `ECS service memory above ${t.ecsMemoryPercent}% for 10 minutes`,
        namespace: "AWS/ECS",
        metricName: "MemoryUtilization",
        dimensions: ecsDims,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 2,
        threshold: t.ecsMemoryPercent,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
      if (props.ecs.containerInsights) {
        // Task counts come from Container Insights.
        alarm({
          suffix: "ecs-running-below-desired",
          alarmDescription: "Fewer running tasks than desired for 5 minutes (tasks crashing or not starting)",
          evaluationPeriods: 5,
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "breaching",
          metricQuery: [
            { id: "missing", expression: "desired - running", label: "Desired minus running", returnData: true },
            {
              id: "desired",
              metric: {
                namespace: "ECS/ContainerInsights",
                metricName: "DesiredTaskCount",
                dimensions: ecsDims,
                period: 60,
                stat: "Average",
              },
            },
            {
              id: "running",
              metric: {
                namespace: "ECS/ContainerInsights",
                metricName: "RunningTaskCount",
                dimensions: ecsDims,
                period: 60,
                stat: "Average",
              },
            },
          ],
        });
      }
    }
    const errorsNamespace = `${props.appMetrics?.namespace ?? DEFAULT_APP_NAMESPACE}/${ERRORS_SUBNAMESPACE}`;
    named(
      new CloudwatchLogMetricFilter(this, "errors_filter", {
        name: `${prefix}-app-errors`,
        logGroupName: logGroup,
        pattern: "ERROR",
        metricTransformation: { name: "ErrorCount", namespace: errorsNamespace, value: "1", defaultValue: "0" },
      }),
      "app_errors",
    );
    alarm({
      suffix: "app-errors",
      alarmDescription: `More than ${t.appErrorsPer5Minutes} ERROR lines in the app log in 5 minutes`,
      namespace: errorsNamespace,
      metricName: "ErrorCount",
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: t.appErrorsPer5Minutes,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });

    // --- Application metrics from the app's JSON log lines (the product's: app-metrics.ts) ------------
    // Missing data is healthy: no request (or no request for one dimension value) is quiet, not an incident.
    const appNs = this.input("app_metrics_namespace", props.appMetrics?.namespace, {
      type: "string",
      description: "Root of the app metric namespaces (<ns>/<sub>).",
      default: DEFAULT_APP_NAMESPACE,
    }).stringValue;
    appMetricFilters(this, { prefix, logGroup, namespace: appNs, filters: props.appMetrics?.filters ?? [] });
    for (const a of props.appMetrics?.latencyAlarms ?? []) {
      alarm({
        suffix: a.suffix,
        alarmDescription: a.description,
        namespace: `${appNs}/${a.namespace}`,
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

    // --- RDS (with a database) ----------------------------------------------------------------------
    if (rds) {
      const rdsDims = { DBInstanceIdentifier: "${var.rds_instance_id}" };
      alarm({
        suffix: "rds-cpu-high",
        alarmDescription: `RDS CPU above ${t.rdsCpuPercent}% for 10 minutes`,
        namespace: "AWS/RDS",
        metricName: "CPUUtilization",
        dimensions: rdsDims,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 2,
        threshold: t.rdsCpuPercent,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
      });
      alarm({
        suffix: "rds-free-storage-low",
        alarmDescription: `RDS free storage below ${t.rdsFreeStoragePercent}% of the allocated storage`,
        namespace: "AWS/RDS",
        metricName: "FreeStorageSpace",
        dimensions: rdsDims,
        statistic: "Minimum",
        period: 300,
        evaluationPeriods: 1,
        threshold: expr(
          `var.rds_allocated_storage_gb * 1000000000 * ${t.rdsFreeStoragePercent / 100}`,
        ) as unknown as number,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "missing",
      });
      alarm({
        suffix: "rds-connections-high",
        alarmDescription: `RDS connections above ${t.rdsConnectionsPercent}% of max_connections (${rds.maxConnections})`,
        namespace: "AWS/RDS",
        metricName: "DatabaseConnections",
        dimensions: rdsDims,
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 2,
        threshold: Math.floor((rds.maxConnections * t.rdsConnectionsPercent) / 100),
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
      });
      // One alarm per replica, named after it (`-replica-1` …): one name for all would be one alarm (D130).
      const replicaLag = alarm({
        suffix: "rds-replica-lag",
        instance: "${count.index + 1}",
        alarmDescription: `Read replica \${var.rds_instance_id}-replica-\${count.index + 1} more than ${t.rdsReplicaLagSeconds}s behind`,
        namespace: "AWS/RDS",
        metricName: "ReplicaLag",
        dimensions: { DBInstanceIdentifier: "${var.rds_instance_id}-replica-${count.index + 1}" },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        threshold: t.rdsReplicaLagSeconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
      });
      counted(replicaLag, "var.rds_replica_count");
    }

    // --- Alarms on any metric (monitoring.metricAlarms; seed 004: Step Functions, Bedrock) --------------
    for (const a of props.metricAlarms ?? []) {
      const id = `metric_${a.name.replace(/-/g, "_")}`;
      named(
        new CloudwatchMetricAlarm(this, `alarm_${id}`, {
          alarmName: `${prefix}-${a.name}`,
          alarmDescription: a.description,
          namespace: a.namespace,
          metricName: a.metric,
          dimensions: Object.keys(a.dimensions).length > 0 ? a.dimensions : undefined,
          statistic: a.statistic,
          period: a.periodSeconds,
          evaluationPeriods: a.evaluationPeriods,
          threshold: a.threshold,
          comparisonOperator: a.comparison,
          treatMissingData: a.treatMissingData,
          alarmActions: [topic.arn],
          okActions: [topic.arn],
        }),
        id,
      );
    }

    // --- Redis (only with a cache) ----------------------------------------------------------------
    if (props.redis) this.redisAlarms(t, alarm, props.redis.shards !== undefined);

    // --- ALB (only with a load balancer) ----------------------------------------------------------------
    if (props.alb) {
      const lb = { LoadBalancer: "${var.alb_arn_suffix}" };
      alarm({
        suffix: "alb-5xx",
        alarmDescription: `More than ${t.alb5xxPer5Minutes} 5xx responses (ALB and targets) in 5 minutes`,
        evaluationPeriods: 1,
        threshold: t.alb5xxPer5Minutes,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        metricQuery: [
          { id: "errors", expression: "FILL(elb, 0) + FILL(target, 0)", label: "5xx", returnData: true },
          {
            id: "elb",
            metric: {
              namespace: "AWS/ApplicationELB",
              metricName: "HTTPCode_ELB_5XX_Count",
              dimensions: lb,
              period: 300,
              stat: "Sum",
            },
          },
          {
            id: "target",
            metric: {
              namespace: "AWS/ApplicationELB",
              metricName: "HTTPCode_Target_5XX_Count",
              dimensions: lb,
              period: 300,
              stat: "Sum",
            },
          },
        ],
      });
      alarm({
        suffix: "alb-p95-latency",
        alarmDescription: `Target p95 response time above ${t.albP95LatencyMs} ms (seed 001 success metric)`,
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: lb,
        extendedStatistic: "p95",
        period: 300,
        evaluationPeriods: 2,
        threshold: t.albP95LatencyMs / 1000,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
      alarm({
        suffix: "alb-unhealthy-hosts",
        alarmDescription: "Unhealthy targets behind the ALB for 3 minutes",
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: { ...lb, TargetGroup: "${var.target_group_arn_suffix}" },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }

    // --- Per-service alarms (monitoring.serviceAlarms; none unless configured) -----------------------------
    const serviceAlarms = props.serviceAlarms ?? [];
    if (serviceAlarms.some((a) => a.cpuPercent !== undefined)) {
      this.input("ecs_service_names", props.ecsServiceNames, {
        type: "map(string)",
        description: "ECS service names by service (per-service CPU alarms).",
      });
    }
    if (serviceAlarms.some((a) => a.p95LatencyMs !== undefined) || (props.errorRateServices ?? []).length > 0) {
      this.input("target_group_arn_suffixes", props.targetGroupArnSuffixes, {
        type: "map(string)",
        description: "Target group ARN suffixes by service (per-service latency alarms, error-rate widgets).",
      });
    }
    for (const a of serviceAlarms) {
      if (a.cpuPercent !== undefined) {
        alarm({
          suffix: `${a.service}-cpu-high`,
          alarmDescription: `ECS service ${a.service} CPU above ${a.cpuPercent}% for 10 minutes`,
          namespace: "AWS/ECS",
          metricName: "CPUUtilization",
          dimensions: {
            ClusterName: "${var.ecs_cluster_name}",
            ServiceName: `\${var.ecs_service_names["${a.service}"]}`,
          },
          statistic: "Average",
          period: 300,
          evaluationPeriods: 2,
          threshold: a.cpuPercent,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
        });
      }
      if (a.p95LatencyMs !== undefined && props.alb) {
        alarm({
          suffix: `${a.service}-p95-latency`,
          alarmDescription: `${a.service} p95 response time above ${a.p95LatencyMs} ms for 10 minutes (its target group)`,
          namespace: "AWS/ApplicationELB",
          metricName: "TargetResponseTime",
          dimensions: {
            LoadBalancer: "${var.alb_arn_suffix}",
            TargetGroup: `\${var.target_group_arn_suffixes["${a.service}"]}`,
          },
          extendedStatistic: "p95",
          period: 300,
          evaluationPeriods: 2,
          threshold: a.p95LatencyMs / 1000,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
        });
      }
    }

    // --- Datadog log shipping (only when compute.datadog.logs) -----------------------------------------
    const dd = props.datadog;
    if (dd) {
      const v = (name: string, value: unknown, type: string, description: string) =>
        this.input(name, value, { type, description });
      const streamName = v(
        "datadog_stream_name",
        dd.streamName,
        "string",
        "Firehose stream that ships the app log group to Datadog.",
      ).stringValue;
      const { stream } = datadogLogs(this, {
        streamName,
        site: dd.site,
        environmentName: dd.environmentName,
        region: "${var.region}",
        accountId: v("account_id", dd.accountId, "string", "AWS account id (ARNs, trust conditions).").stringValue,
        logGroupName: logGroup,
        secretArn: v("datadog_api_key_secret_arn", dd.secretArn, "string", "Datadog API key secret (JSON key api_key).")
          .stringValue,
        dataKmsKeyArn: v(
          "data_kms_key_arn",
          dd.dataKmsKeyArn,
          "string",
          "Data key: the API key secret and the failed-record backups.",
        ).stringValue,
        logsKmsKeyArn: v("logs_kms_key_arn", dd.logsKmsKeyArn, "string", "Logs key: the Firehose error log group.")
          .stringValue,
        logsBucketArn: v("logs_bucket_arn", dd.logsBucketArn, "string", "Logs bucket: records Datadog did not accept.")
          .stringValue,
        errorLogRetentionDays: v(
          "datadog_error_log_retention_days",
          dd.errorLogRetentionDays,
          "number",
          "Retention of the Firehose error log group.",
        ).numberValue,
      });
      alarm({
        suffix: "datadog-log-delivery",
        alarmDescription:
          "Datadog refuses or misses app log batches for 15 minutes (wrong API key or site: see the Firehose error log)",
        namespace: "AWS/Firehose",
        metricName: "DeliveryToHttpEndpoint.Success",
        dimensions: { DeliveryStreamName: stream.name },
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        threshold: 0.9,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "notBreaching",
      });
    }

    named(
      new CloudwatchDashboard(this, "dashboard", {
        dashboardName: expr("var.dashboard_name"),
        dashboardBody: expr(
          `jsonencode(${dashboardBody({ alb: Boolean(props.alb), redis: Boolean(props.redis), clusterMode: props.redis?.shards !== undefined, appWidgets: props.appMetrics?.widgets, ...(props.ecs.serviceName === undefined ? { service: false } : {}), ...(rds ? {} : { rds: false }), ...(props.metricAlarms?.length ? { metricAlarms: props.metricAlarms } : {}), ...(props.alb && props.errorRateServices?.length ? { errorRateServices: props.errorRateServices } : {}) })})`,
        ),
      }),
      "this",
    );

    this.output("alarm_topic_arn", topic.arn, "SNS topic every alarm notifies.");
    this.output("dashboard_name", expr("aws_cloudwatch_dashboard.this.dashboard_name"), "CloudWatch dashboard.");
  }

  /**
   * The Redis alarms. Per node (memory, engine CPU, evictions, hit rate): one alarm per member, named and
   * dimensioned after it (`<prefix>-redis-memory-high-001`, cluster mode `-0002-001`; D130). Per shard
   * (down, failover: roles move inside a shard, D47): one metric-math alarm over the shard's nodes, 1 + nodes
   * queries, at most 1 + MAX_REDIS_NODES_PER_SHARD (7) of CloudWatch's 10 (D131).
   */
  private redisAlarms(t: Thresholds, alarm: (spec: AlarmSpec) => CloudwatchMetricAlarm, clusterMode: boolean): void {
    const node = { CacheClusterId: `\${${memberId("count.index", clusterMode)}}` };
    const nodeInstance = `\${${memberSuffix("count.index", clusterMode)}}`;
    const perNode = (spec: Omit<AlarmSpec, "instance">) =>
      counted(alarm({ ...spec, instance: nodeInstance }), "var.redis_shard_count * var.redis_nodes_per_shard");
    // Without cluster mode the group is one shard and the alarm keeps seed 000 §9.2's name; with it, one per shard.
    const perShard = (spec: Omit<AlarmSpec, "instance">) =>
      clusterMode
        ? counted(
            alarm({ ...spec, instance: '${format("%04d", count.index + 1)}' }),
            "var.redis_nodes_per_shard > 1 ? var.redis_shard_count : 0",
          )
        : counted(alarm(spec), "var.redis_nodes_per_shard > 1 ? 1 : 0");
    const onNode = `on node \${${memberId("count.index", clusterMode)}}`;
    perNode({
      suffix: "redis-memory-high",
      alarmDescription: `Redis memory above ${t.redisMemoryPercent}% ${onNode} (seed 000 §8.4)`,
      namespace: "AWS/ElastiCache",
      metricName: "DatabaseMemoryUsagePercentage",
      dimensions: node,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 2,
      threshold: t.redisMemoryPercent,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "missing",
    });
    perNode({
      suffix: "redis-engine-cpu-high",
      alarmDescription: `Redis engine CPU above ${t.redisEngineCpuPercent}% ${onNode}`,
      namespace: "AWS/ElastiCache",
      metricName: "EngineCPUUtilization",
      dimensions: node,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 2,
      threshold: t.redisEngineCpuPercent,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "missing",
    });
    perNode({
      suffix: "redis-evictions",
      alarmDescription: `More than ${t.redisEvictions} keys evicted in 5 minutes ${onNode} (memory pressure)`,
      namespace: "AWS/ElastiCache",
      metricName: "Evictions",
      dimensions: node,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: t.redisEvictions,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    // Hit rate per node: 3 queries whatever the node count (a group-wide sum took 2 per node + 3, over
    // CloudWatch's 10 from 4 nodes on, D131). A node serving no reads has no hits or misses and reads 100%.
    perNode({
      suffix: "cache-miss-high",
      alarmDescription: `Cache hit rate below ${t.cacheHitRatePercent}% ${onNode} (seed 000 §9.2)`,
      evaluationPeriods: 2,
      threshold: t.cacheHitRatePercent,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "notBreaching",
      metricQuery: [
        {
          id: "hitrate",
          expression: "IF(hits + misses > 0, 100 * hits / (hits + misses), 100)",
          label: "Cache hit rate %",
          returnData: true,
        },
        {
          id: "hits",
          metric: { namespace: "AWS/ElastiCache", metricName: "CacheHits", dimensions: node, period: 300, stat: "Sum" },
        },
        {
          id: "misses",
          metric: {
            namespace: "AWS/ElastiCache",
            metricName: "CacheMisses",
            dimensions: node,
            period: 300,
            stat: "Sum",
          },
        },
      ],
    });
    // Roles move: after a failover `-002` may be the primary (no ReplicationLag) and `-001` a
    // replica. Role-dependent metrics are therefore read from every node of the shard and combined
    // with metric math, so no alarm names a node (docs/decisions.md D47).
    const shard = clusterMode ? ' of shard ${format("%04d", count.index + 1)}' : "";
    perShard({
      suffix: "redis-down",
      alarmDescription: `Redis${shard} unavailable: the highest replication lag of any node above ${t.redisReplicationLag}s, or no node reporting replication at all (seed 000 §9.2)`,
      evaluationPeriods: 2,
      threshold: t.redisReplicationLag,
      comparisonOperator: "GreaterThanThreshold",
      // No node reporting lag (group gone, or no replica left) is as bad as one far behind.
      treatMissingData: "breaching",
      metricQuery: [
        {
          id: "lag",
          expression: overNodes("MAX", "lag%d"),
          label: "Highest replication lag of any node (s)",
          returnData: true,
        },
      ],
    }).addOverride("dynamic", { metric_query: [nodeQueries("lag", "ReplicationLag", "Maximum", 60, clusterMode)] });
    // A failover notifies on its own: IsMaster (1 on the primary, 0 on replicas) changes on some
    // node whenever the primary role moves. ElastiCache's SNS events cannot reach this topic (it is
    // KMS-encrypted, which ElastiCache notifications do not support) and its EventBridge events do
    // not include failovers (D47).
    perShard({
      suffix: "redis-failover",
      alarmDescription: `The Redis primary role${shard} moved to another node (failover or node replacement): check the app reconnected and the group is healthy`,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      metricQuery: [
        {
          id: "moved",
          expression: overNodes("MAX", "ABS(DIFF(primary%d))"),
          label: "Nodes whose role changed",
          returnData: true,
        },
      ],
    }).addOverride("dynamic", { metric_query: [nodeQueries("primary", "IsMaster", "Maximum", 60, clusterMode)] });
  }
}
