/** Configuration of the monitoring module (seed 000 §9, seed 001 "Observabilidade"): the `monitoring` section of an environment. */
import { z } from "zod";
import { compare, knob, times, type PresenceTable } from "../../lib/core/rules";
import { MAX_CACHE_NODES, MAX_REPLICAS_PER_SHARD } from "../cache/config";

/**
 * CloudWatch's hard limit: PutMetricAlarm's `Metrics` holds at most 10 MetricDataQuery items, metrics and
 * expressions together (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
 * "Array Members: Maximum number of 10 items"; https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html).
 * Terraform's plan does not know it: a metric-math alarm with 11 queries plans and fails at apply.
 */
export const MAX_METRIC_QUERIES_PER_ALARM = 10;
/** Nodes of one shard of a watched Redis group (the whole group without cluster mode), at the cache schema's maxima. */
export const MAX_REDIS_NODES_PER_SHARD = Math.max(MAX_CACHE_NODES, MAX_REPLICAS_PER_SHARD + 1);
/**
 * The monitoring module's variables that multiply an alarm's metric queries (`dynamic "metric_query"` over
 * `range(var.<name>)`), with the schema maximum each can reach. The policy gate counts every metric-math
 * alarm's queries at these maxima (apply-checks.ts `metric-math-alarm-limit`); a dynamic block over anything
 * else cannot be bounded and fails the gate.
 */
export const METRIC_QUERY_MULTIPLIERS: Readonly<Record<string, number>> = {
  redis_nodes_per_shard: MAX_REDIS_NODES_PER_SHARD,
};

export const ThresholdsSchema = z
  .object({
    /** ECS service CPU %, 10 minutes. @default 80 */
    ecsCpuPercent: z.number().min(1).max(100).default(80),
    /** ECS service memory %, 10 minutes. @default 80 */
    ecsMemoryPercent: z.number().min(1).max(100).default(80),
    /** RDS CPU %. @default 80 */
    rdsCpuPercent: z.number().min(1).max(100).default(80),
    /** Free storage below this % of the allocated storage. @default 10 */
    rdsFreeStoragePercent: z.number().min(1).max(90).default(10),
    /** Connections above this % of max_connections. @default 80 */
    rdsConnectionsPercent: z.number().min(1).max(100).default(80),
    /** Read replica lag, seconds. @default 60 */
    rdsReplicaLagSeconds: z.number().positive().default(60),
    /** Redis memory % (seed 000 §8.4). @default 80 */
    redisMemoryPercent: z.number().min(1).max(100).default(80),
    /** Redis engine CPU %. @default 90 */
    redisEngineCpuPercent: z.number().min(1).max(100).default(90),
    /** Evicted keys per 5 minutes. @default 100 */
    redisEvictions: z.number().int().min(0).default(100),
    /** Replication lag that means "Redis down" (seed 000 §9.2). @default 1000 */
    redisReplicationLag: z.number().positive().default(1000),
    /** Cache hit rate % below which the cache is missing too much (seed 000 §9.2: 70). @default 70 */
    cacheHitRatePercent: z.number().min(1).max(100).default(70),
    /** ALB 5xx responses per 5 minutes (ELB + targets). @default 5 */
    alb5xxPer5Minutes: z.number().int().min(0).default(5),
    /** Target p95 latency, ms (seed 001: P95 < 500 ms). @default 500 */
    albP95LatencyMs: z.number().positive().default(500),
    /** ERROR lines in the app log per 5 minutes. @default 10 */
    appErrorsPer5Minutes: z.number().int().min(0).default(10),
    /** p95 of the app's request durations, ms (seed 001: P95 < 500 ms). @default 500 */
    apiP95LatencyMs: z.number().positive().default(500),
  })
  .strict();

/**
 * Application metrics made from the app's JSON log lines (which ones is the product's: see the product definition in
 * environments/app-metrics.ts and docs/operations.md, "Application metrics").
 */
/** The app's namespace root when the product names none. */
export const DEFAULT_APP_NAMESPACE = "app";

export const AppMetricsSchema = z
  .object({
    /** Root of the app's namespaces (`<namespace>/<sub>`); the task role may publish only under it. @default "app" */
    namespace: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be letters, digits, dots, dashes or underscores")
      .default(DEFAULT_APP_NAMESPACE),
  })
  .strict();

/** Statistics a metric alarm may use. */
export const ALARM_STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;
/** Comparisons a metric alarm may use against its static threshold. */
export const ALARM_COMPARISONS = [
  "GreaterThanThreshold",
  "GreaterThanOrEqualToThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] as const;

/**
 * One alarm on any CloudWatch metric, to the alarm topic (seed 004: Step Functions ExecutionsFailed, Bedrock
 * InvocationThrottles). Alarm name `<alarmPrefix>-<name>`, address `aws_cloudwatch_metric_alarm.metric_<name_snake>`.
 */
export const MetricAlarmSchema = z
  .object({
    /** Alarm name suffix: `<alarmPrefix>-<name>`. Required. */
    name: z.string().regex(/^[a-z][a-z0-9-]{1,60}$/, "must be lowercase letters, digits and dashes"),
    /** What the alarm means, for whoever gets the e-mail. Required. */
    description: z.string().min(10, "say what the alarm means"),
    /** CloudWatch namespace (`AWS/States`, `AWS/Bedrock`). Required. */
    namespace: z.string().regex(/^[A-Za-z0-9/_.#:-]{1,255}$/, "must be a CloudWatch namespace such as AWS/States"),
    /** Metric name (`ExecutionsFailed`). Required. */
    metric: z.string().min(1).max(255),
    /** Dimensions, name → value (`StateMachineArn`, `ModelId`). @default {} */
    dimensions: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** @default "Sum" */
    statistic: z.enum(ALARM_STATISTICS).default("Sum"),
    /** Static threshold. Required. */
    threshold: z.number(),
    /** @default "GreaterThanThreshold" */
    comparison: z.enum(ALARM_COMPARISONS).default("GreaterThanThreshold"),
    /** Period in seconds: 10, 30 or a multiple of 60. @default 300 */
    periodSeconds: z
      .number()
      .int()
      .refine((p) => p === 10 || p === 30 || (p >= 60 && p % 60 === 0), "must be 10, 30 or a multiple of 60 seconds")
      .default(300),
    /** Periods evaluated. @default 1 */
    evaluationPeriods: z.number().int().min(1).default(1),
    /**
     * How a period without data counts: `notBreaching` (silence is healthy: a metric published only when something
     * happens), `breaching` (silence is the incident: a heartbeat), `ignore` or `missing`. Required: no default
     * suits every metric, and CloudWatch's own default (`missing`) leaves an event-driven alarm in INSUFFICIENT_DATA
     * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data).
     */
    treatMissingData: z.enum(["notBreaching", "breaching", "ignore", "missing"], {
      error:
        "say how missing data is treated: notBreaching, breaching, ignore or missing (CloudWatch's default, missing, leaves an event-driven alarm in INSUFFICIENT_DATA)",
    }),
  })
  .strict();
export type MetricAlarmConfig = z.output<typeof MetricAlarmSchema>;

/** One service's own alarms (`monitoring.serviceAlarms.<service>`); each is off unless its threshold is set. */
export const ServiceAlarmsSchema = z
  .object({
    /** ECS CPU % of the service, average over 10 minutes. @default none (no alarm) */
    cpuPercent: z.number().min(1).max(100).optional(),
    /** p95 response time of the service's target group, ms, over 10 minutes (web services). @default none (no alarm) */
    p95LatencyMs: z.number().positive().optional(),
  })
  .strict();

export const MonitoringSchema = z
  .object({
    /** Prefix of alarm names: `<prefix>-redis-down` (seed 000 §9.2 uses `<product>-prod`). @default `<product>-<env>` */
    alarmPrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,40}$/)
      .optional(),
    /**
     * E-mail addresses subscribed to the alarm topic (each confirms by e-mail). At least one, whatever the tier,
     * unless `unsubscribedReason` says why nobody needs this workspace's alarms (`alarmRecipientIssues`, D163). @default []
     */
    alarmEmails: z.array(z.string().email()).default([]),
    /** Why this workspace may ship alarms nobody receives (it serves no users), in a sentence. Only with no `alarmEmails`. @default none */
    unsubscribedReason: z.string().min(15, "say why nobody needs these alarms, in a sentence").optional(),
    thresholds: ThresholdsSchema.prefault({}),
    /**
     * Application metrics made from the app's JSON log lines (seed 001 §4; contract in
     * modules/monitoring/app-metrics.ts and docs/operations.md, "Application metrics").
     */
    appMetrics: AppMetricsSchema.prefault({}),
    /**
     * Alarms on any CloudWatch metric, each to the alarm topic (e-mail subscriptions: `alarmEmails`); names unique.
     * @default []
     */
    metricAlarms: z
      .array(MetricAlarmSchema)
      .default([])
      .superRefine((alarms, ctx) => {
        alarms.forEach((a, i) => {
          if (alarms.findIndex((b) => b.name === a.name) !== i)
            ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${a.name}" is listed twice` });
        });
      }),
    /**
     * Alarms on one service, by service name (`api`), besides the ones on the watched service (the first web
     * service): `<prefix>-<service>-cpu-high` (ECS CPU, 10 minutes) and, for a web service,
     * `<prefix>-<service>-p95-latency` (its target group's p95 response time, 10 minutes). @default {} (none)
     */
    serviceAlarms: z.record(z.string(), ServiceAlarmsSchema).default({}),
    /** Dashboard widgets beyond seed 000 §9.1's. */
    dashboard: z
      .object({
        /**
         * Web services (`api`) whose error rate gets a widget: 5xx responses of the service's target group over its
         * requests, % (seed 003 "Métricas Principais: API Error Rate"). @default [] (none)
         */
        errorRateServices: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** Why alarms need a subscriber (D163): an SNS topic without subscriptions delivers to nobody. */
export const ALARMS_NEED_RECIPIENTS =
  "nobody receives this workspace's alarms: an SNS topic delivers only to its subscriptions " +
  "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html). " +
  "List at least one address, or say in monitoring.unsubscribedReason why this workspace serves no users";

/**
 * The alarm-recipients rule, for any tier (a development-tier workspace can serve users: seed 002's `prod`):
 * issues as [field path under `monitoring`, message]. The environment schema reports them.
 */
export function alarmRecipientIssues(m: {
  readonly alarmEmails: readonly string[];
  readonly unsubscribedReason?: string;
}): [string, string][] {
  if (m.alarmEmails.length === 0 && m.unsubscribedReason === undefined)
    return [["alarmEmails", ALARMS_NEED_RECIPIENTS]];
  if (m.alarmEmails.length > 0 && m.unsubscribedReason !== undefined)
    return [["unsubscribedReason", "alarmEmails has subscribers: drop unsubscribedReason"]];
  return [];
}

/* --- What a product gives the monitoring module about its app (the product definition builds these) --- */

/** A metric made from app log lines. `namespace` is relative to the app's namespace (`<ns>/<namespace>`). */
export interface AppMetric {
  /** Terraform name of the filter. */
  readonly key: string;
  /** CloudWatch Logs filter pattern (JSON). */
  readonly pattern: string;
  readonly namespace: string;
  readonly metric: string;
  /** `1` to count lines, or `$.field` for a value. */
  readonly value: string;
  readonly unit: "Count" | "Milliseconds";
  /** Dimension → `$.field`. */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** p95 of a metric above a threshold for 15 minutes; missing data is healthy (no requests is quiet, not an incident). */
export interface LatencyAlarm {
  /** Alarm name suffix: `<prefix>-<suffix>`. */
  readonly suffix: string;
  readonly description: string;
  /** Relative namespace and metric name, as in AppMetric. */
  readonly namespace: string;
  readonly metric: string;
  readonly thresholdMs: number;
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** A dashboard widget over app metrics: a CloudWatch SEARCH (`{ns}` is the app's namespace) or listed series. */
export type AppWidget =
  | { readonly title: string; readonly search: string }
  | {
      readonly title: string;
      readonly series: readonly {
        readonly namespace: string;
        readonly metric: string;
        readonly stat: string;
        readonly label?: string;
      }[];
    };

/** What a product gives the monitoring module about its app. */
export interface AppMetricsProps {
  /** Root of the app's namespaces (`<namespace>/<sub>`). */
  readonly namespace: string;
  readonly filters: readonly AppMetric[];
  readonly latencyAlarms: readonly LatencyAlarm[];
  readonly widgets: readonly AppWidget[];
}

export type MonitoringConfig = z.output<typeof MonitoringSchema>;
export type Thresholds = z.output<typeof ThresholdsSchema>;

/** One alarm per Redis member; down and failover alarms only with replicas in a shard (roles move inside it). */
const PER_MEMBER = { count: times("redis_shard_count", "redis_nodes_per_shard"), text: true };
const WITH_REPLICAS = { when: compare("redis_nodes_per_shard", ">", 1), text: true };

/**
 * Which of the module's resources exist, over its inputs (D211): per-member Redis alarms, per-shard ones with
 * replicas, one replica-lag alarm per read replica, one e-mail subscription per address.
 */
export const MONITORING_PRESENCE: PresenceTable = {
  aws_cloudwatch_metric_alarm: {
    redis_memory_high: PER_MEMBER,
    redis_engine_cpu_high: PER_MEMBER,
    redis_evictions: PER_MEMBER,
    cache_miss_high: PER_MEMBER,
    redis_down: WITH_REPLICAS,
    redis_failover: WITH_REPLICAS,
    rds_replica_lag: { count: knob("rds_replica_count") },
  },
  aws_sns_topic_subscription: { email: { each: knob("alarm_emails") } },
};
