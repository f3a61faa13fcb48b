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
import { range } from "../../lib/core/rules";
import type { Construct } from "constructs";
import { ModuleStack, named } from "../../lib/core/module-stack";
import { albAlarms, serviceAlarms, type AlbRefs, type ServiceAlarm } from "./alarms-alb";
import { appErrorAlarm, appLatencyAlarms, ecsServiceAlarms } from "./alarms-app";
import { alarmFactory, alarmTopic, metricAlarms, type Alarm } from "./alarms";
import { rdsAlarms, type RdsRefs } from "./alarms-rds";
import { redisAlarms } from "./alarms-redis";
import { appMetricFilters, type AppMetricsProps } from "./app-metrics";
import { DEFAULT_APP_NAMESPACE, MAX_REDIS_NODES_PER_SHARD, type MonitoringConfig } from "./config";
import { dashboardBody } from "./dashboard";
import type { RedisRefs } from "./members";
import { datadogLogs } from "./datadog-logs";
import type { DatadogSite } from "../compute/datadog-config";

export { memberId, memberSuffix, type RedisRefs } from "./members";
export { nodeQueries, overNodes } from "./alarms-redis";
export type { ServiceAlarm } from "./alarms-alb";

/** Namespace of the app's error count, under the app's namespace root (`<ns>/app`). */
export const ERRORS_SUBNAMESPACE = "app";

export interface MonitoringProps {
  /** The environment's `monitoring` section (no knobs): recipients, thresholds, metric and service alarms, dashboard. */
  readonly settings: MonitoringConfig;
  /** Alarm name prefix, e.g. `<product>-prod`. */
  readonly alarmPrefix: string;
  /** Dashboard name, e.g. `<product>-production`. */
  readonly dashboardName: string;
  readonly region: string;
  readonly alarmsKmsKeyArn: string;
  /** `serviceName` is the service the ECS alarms watch; omit it without a service (tasks only: no ECS service alarms or widgets). */
  readonly ecs: {
    readonly clusterName: string;
    readonly serviceName?: string;
    readonly logGroupName: string;
    readonly containerInsights: boolean;
    /** ECS service names by service (compute's output), read by the per-service CPU alarms. */
    readonly serviceNames: unknown;
  };
  /** ALB dimensions, and target group ARN suffixes by service (compute's output); omit without a load balancer. */
  readonly alb?: {
    readonly arnSuffix: string;
    readonly targetGroupArnSuffix: string;
    readonly targetGroupArnSuffixes: unknown;
  };
  /** The database; omit without one (no RDS alarms or widgets). */
  readonly rds?: {
    readonly instanceId: string;
    readonly allocatedStorageGb: number;
    readonly maxConnections: number;
    readonly replicaCount: number;
  };
  /**
   * Redis; omit when the cache is disabled (no Redis alarms). `nodesPerShard` is the group's node count
   * without cluster mode; with cluster mode, `shards` is set and `nodesPerShard` is 1 + replicas per shard.
   */
  readonly redis?: { readonly replicationGroupId: string; readonly nodesPerShard: number; readonly shards?: number };
  /** The app's own metrics from its log lines (app-metrics.ts): filters, p95 alarms, dashboard widgets. @default namespace "app", none */
  readonly appMetrics?: AppMetricsProps;
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

/** The module's variables every part reads, as tokens. */
interface CoreRefs {
  readonly prefix: string;
  readonly dashboardName: string;
  readonly region: string;
  readonly kmsKeyArn: string;
  readonly emails: string[];
  readonly clusterName: string;
  readonly serviceName?: string;
  readonly logGroup: string;
}

/** The per-service alarms and the map variables they (and the error-rate widgets) read. */
interface ServiceRefs {
  readonly alarms: readonly ServiceAlarm[];
  readonly errorRateServices: readonly string[];
  readonly ecsServiceNames?: unknown;
  readonly targetGroupArnSuffixes?: unknown;
}

export class MonitoringModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: MonitoringProps) {
    super(scope, workspace, "monitoring");
    const t = props.settings.thresholds;
    // Inputs in the order of the generated table in ./README.md.
    const core = this.coreInputs(props);
    const rds = props.rds && this.rdsInputs(props.rds);
    const alb = props.alb && this.albInputs(props.alb);
    const redis = props.redis && this.redisInputs(props.redis);
    const appNamespace = this.input("app_metrics_namespace", props.appMetrics?.namespace ?? DEFAULT_APP_NAMESPACE, {
      type: "string",
      description: "Root of the app metric namespaces (<ns>/<sub>).",
    }).stringValue;
    const services = this.serviceInputs(props);

    const topic = alarmTopic(this, { prefix: core.prefix, kmsKeyArn: core.kmsKeyArn, emails: core.emails });
    const alarm = alarmFactory(this, core.prefix, topic);

    // The app: its ECS service (with one to watch), ERROR lines, the product's metrics from its JSON log lines.
    if (core.serviceName !== undefined)
      ecsServiceAlarms(alarm, t, { ...props.ecs, clusterName: core.clusterName, serviceName: core.serviceName });
    const errorsNamespace = `${props.appMetrics?.namespace ?? DEFAULT_APP_NAMESPACE}/${ERRORS_SUBNAMESPACE}`;
    appErrorAlarm(this, alarm, t, { prefix: core.prefix, logGroup: core.logGroup, namespace: errorsNamespace });
    const filters = props.appMetrics?.filters ?? [];
    appMetricFilters(this, { prefix: core.prefix, logGroup: core.logGroup, namespace: appNamespace, filters });
    appLatencyAlarms(alarm, appNamespace, props.appMetrics?.latencyAlarms ?? []);

    // Data stores, load balancer, any metric, single services: each only when it exists or is configured.
    if (rds) rdsAlarms(alarm, t, rds);
    metricAlarms(this, { prefix: core.prefix, topic, alarms: props.settings.metricAlarms });
    if (redis) redisAlarms(alarm, t, redis, props.redis?.shards !== undefined);
    if (alb) albAlarms(alarm, t, alb);
    serviceAlarms(alarm, services.alarms, { ...services, clusterName: core.clusterName, albArnSuffix: alb?.arnSuffix });
    if (props.datadog) this.datadogShipping(props.datadog, alarm, core);

    const dashboard = named(
      new CloudwatchDashboard(this, "dashboard", {
        dashboardName: core.dashboardName,
        dashboardBody: dashboardBody(
          {
            ...core,
            appNamespace,
            rdsInstanceId: rds?.instanceId,
            redis,
            albArnSuffix: alb?.arnSuffix,
            targetGroupArnSuffix: alb?.targetGroupArnSuffix,
            targetGroupArnSuffixes: services.targetGroupArnSuffixes,
          },
          {
            clusterMode: props.redis?.shards !== undefined,
            appWidgets: props.appMetrics?.widgets,
            metricAlarms: props.settings.metricAlarms,
            errorRateServices: services.errorRateServices,
            albP95LatencyMs: t.albP95LatencyMs,
            serviceAlarms: services.alarms,
          },
        ),
      }),
      "this",
    );

    this.output("alarm_topic_arn", topic.arn, "SNS topic every alarm notifies.");
    this.output("dashboard_name", dashboard.dashboardName, "CloudWatch dashboard.");
  }

  /** Names, region, the topic's key and subscribers, the ECS cluster and watched service, the app log group. */
  private coreInputs(props: MonitoringProps): CoreRefs {
    const str = (name: string, value: unknown, description: string) =>
      this.input(name, value, { type: "string", description }).stringValue;
    return {
      prefix: str("alarm_prefix", props.alarmPrefix, "Prefix of alarm names."),
      dashboardName: str("dashboard_name", props.dashboardName, "Dashboard name."),
      region: str("region", props.region, "AWS region (dashboard widgets)."),
      kmsKeyArn: str("alarms_kms_key_arn", props.alarmsKmsKeyArn, "KMS key of the topic (CloudWatch may use it)."),
      emails: this.input("alarm_emails", props.settings.alarmEmails, {
        type: "list(string)",
        description: "E-mail subscriptions of the alarm topic.",
      }).listValue,
      clusterName: str("ecs_cluster_name", props.ecs.clusterName, "ECS cluster."),
      serviceName:
        props.ecs.serviceName === undefined
          ? undefined
          : str("ecs_service_name", props.ecs.serviceName, "ECS service watched."),
      logGroup: str("app_log_group_name", props.ecs.logGroupName, "App log group (metric filters)."),
    };
  }

  private rdsInputs(rds: NonNullable<MonitoringProps["rds"]>): RdsRefs {
    return {
      instanceId: this.input("rds_instance_id", rds.instanceId, {
        type: "string",
        description: "Primary RDS instance.",
      }).stringValue,
      allocatedStorageGb: this.input("rds_allocated_storage_gb", rds.allocatedStorageGb, {
        type: "number",
        description: "Allocated storage (free-storage threshold).",
      }).numberValue,
      replicaCount: this.input("rds_replica_count", rds.replicaCount ?? 0, {
        type: "number",
        description: "Read replicas (replica lag alarms).",
      }).numberValue,
      maxConnections: rds.maxConnections,
    };
  }

  private albInputs(alb: NonNullable<MonitoringProps["alb"]>): AlbRefs {
    return {
      arnSuffix: this.input("alb_arn_suffix", alb.arnSuffix, { type: "string", description: "ALB ARN suffix." })
        .stringValue,
      targetGroupArnSuffix: this.input("target_group_arn_suffix", alb.targetGroupArnSuffix, {
        type: "string",
        description: "Target group ARN suffix of the app.",
      }).stringValue,
    };
  }

  /** The group's id, nodes per shard and shards (the member ids of the Redis alarms and widgets: members.ts). */
  private redisInputs(redis: NonNullable<MonitoringProps["redis"]>): RedisRefs {
    const groupId = this.input("redis_replication_group_id", redis.replicationGroupId, {
      type: "string",
      description: "Redis replication group.",
    }).stringValue;
    const nodes = this.input("redis_nodes_per_shard", redis.nodesPerShard, {
      type: "number",
      description:
        "Nodes per shard: the whole group (<group>-001 …) without cluster mode, 1 + replicas per shard (<group>-0001-001 …) with it.",
      validations: [
        {
          condition: range("redis_nodes_per_shard", { min: 1, max: MAX_REDIS_NODES_PER_SHARD }),
          errorMessage: `A shard has 1 to ${MAX_REDIS_NODES_PER_SHARD} nodes (the per-node metric queries are sized for that).`,
        },
      ],
    });
    const shardCount = this.input("redis_shard_count", redis.shards ?? 1, {
      type: "number",
      description: "Shards (node groups): 1 without cluster mode.",
    }).numberValue;
    return { groupId, nodesPerShard: nodes.numberValue, shardCount };
  }

  /** monitoring.serviceAlarms and dashboard.errorRateServices, with the map variables only they read. */
  private serviceInputs(props: MonitoringProps): ServiceRefs {
    const alarms = Object.entries(props.settings.serviceAlarms).map(([service, a]) => ({
      service,
      cpuPercent: a.cpuPercent,
      p95LatencyMs: a.p95LatencyMs,
    }));
    const errorRateServices = props.settings.dashboard.errorRateServices;
    const ecsServiceNames = alarms.some((a) => a.cpuPercent !== undefined)
      ? this.input("ecs_service_names", props.ecs.serviceNames, {
          type: "map(string)",
          description: "ECS service names by service (per-service CPU alarms).",
        }).value
      : undefined;
    const targetGroupArnSuffixes =
      alarms.some((a) => a.p95LatencyMs !== undefined) || errorRateServices.length > 0
        ? this.input("target_group_arn_suffixes", props.alb?.targetGroupArnSuffixes, {
            type: "map(string)",
            description: "Target group ARN suffixes by service (per-service latency alarms, error-rate widgets).",
          }).value
        : undefined;
    return { alarms, errorRateServices, ecsServiceNames, targetGroupArnSuffixes };
  }

  /** Datadog log shipping (only when compute.datadog.logs), and the alarm on its deliveries. */
  private datadogShipping(dd: NonNullable<MonitoringProps["datadog"]>, alarm: Alarm, core: CoreRefs): void {
    const str = (name: string, value: unknown, description: string) =>
      this.input(name, value, { type: "string", description }).stringValue;
    const { stream } = datadogLogs(this, {
      streamName: str("datadog_stream_name", dd.streamName, "Firehose stream that ships the app log group to Datadog."),
      site: dd.site,
      environmentName: dd.environmentName,
      region: core.region,
      accountId: str("account_id", dd.accountId, "AWS account id (ARNs, trust conditions)."),
      logGroupName: core.logGroup,
      secretArn: str("datadog_api_key_secret_arn", dd.secretArn, "Datadog API key secret (JSON key api_key)."),
      dataKmsKeyArn: str(
        "data_kms_key_arn",
        dd.dataKmsKeyArn,
        "Data key: the API key secret and the failed-record backups.",
      ),
      logsKmsKeyArn: str("logs_kms_key_arn", dd.logsKmsKeyArn, "Logs key: the Firehose error log group."),
      logsBucketArn: str("logs_bucket_arn", dd.logsBucketArn, "Logs bucket: records Datadog did not accept."),
      errorLogRetentionDays: this.input("datadog_error_log_retention_days", dd.errorLogRetentionDays, {
        type: "number",
        description: "Retention of the Firehose error log group.",
      }).numberValue,
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
}
