/**
 * EduAutismo's application metrics (seed 001 §4, "Métricas Customizadas": `eduautismo/disciplines/requests_per_subject`,
 * `eduautismo/bncc/searches_per_code`, `eduautismo/api/p95_latency`): the log lines the app writes, the metric
 * filters that read them, the p95 alarms and the dashboard widgets, given to the neutral monitoring module.
 * The contract the app must follow is APP_LOG_EVENTS: one JSON object per line on stdout, with the fields each
 * filter reads (docs/operations.md, "Application metrics").
 */
import { z } from "zod";
import {
  AppMetricsSchema,
  MonitoringSchema,
  ThresholdsSchema,
  type AppMetric,
  type AppMetricsProps,
} from "../../modules/monitoring/config";

/** The `monitoring` section with EduAutismo's fields: a BNCC search threshold and per-discipline alarms. */
export const ProductMonitoringSchema = MonitoringSchema.extend({
  thresholds: ThresholdsSchema.extend({
    /** p95 of BNCC search durations, ms. @default 500 */
    bnccSearchP95LatencyMs: z.number().positive().default(500),
  }).prefault({}),
  appMetrics: AppMetricsSchema.extend({
    /**
     * Disciplines (the `subject` value the app logs) that get their own p95 latency alarm (at
     * `thresholds.apiP95LatencyMs`); every discipline is on the dashboard either way. Each alarm costs $0.10/month. @default []
     */
    disciplineAlarms: z
      .array(
        z.string().regex(/^[a-z0-9_-]{1,40}$/, "must be the subject as the app logs it (lowercase, digits, _ or -)"),
      )
      .default([]),
  }).prefault({}),
});

/** The log lines the app writes (documentation and tests: every filter matches one of them). */
export const APP_LOG_EVENTS = {
  request: {
    event: "request",
    subject: "matematica",
    grade_level: "fundamental_1_1ano",
    path: "/api/v1/activities",
    status: 200,
    duration_ms: 137,
  },
  bncc_search: { event: "bncc_search", bncc_code: "EF01MA01", results: 4, duration_ms: 42 },
} as const;

export const APP_METRICS: readonly AppMetric[] = [
  {
    key: "requests_per_subject",
    pattern: '{ $.event = "request" && $.subject = * }',
    namespace: "disciplines",
    metric: "requests_per_subject",
    value: "1",
    unit: "Count",
    dimensions: { subject: "$.subject" },
  },
  {
    key: "latency_per_subject",
    pattern: '{ $.event = "request" && $.subject = * && $.duration_ms = * }',
    namespace: "disciplines",
    metric: "latency_per_subject",
    value: "$.duration_ms",
    unit: "Milliseconds",
    dimensions: { subject: "$.subject" },
  },
  {
    key: "api_latency",
    pattern: '{ $.event = "request" && $.duration_ms = * }',
    namespace: "api",
    metric: "p95_latency",
    value: "$.duration_ms",
    unit: "Milliseconds",
  },
  {
    key: "bncc_searches",
    pattern: '{ $.event = "bncc_search" && $.bncc_code = * }',
    namespace: "bncc",
    metric: "searches_per_code",
    value: "1",
    unit: "Count",
    dimensions: { code: "$.bncc_code" },
  },
  {
    key: "bncc_search_latency",
    pattern: '{ $.event = "bncc_search" && $.duration_ms = * }',
    namespace: "bncc",
    metric: "search_latency",
    value: "$.duration_ms",
    unit: "Milliseconds",
  },
];

/** EduAutismo's app metrics for an environment: alarms at its thresholds, one per alarmed discipline. */
export function eduautismoAppMetrics(
  cfg: { readonly namespace: string; readonly disciplineAlarms: readonly string[] },
  t: { readonly apiP95LatencyMs: number; readonly bnccSearchP95LatencyMs: number },
): AppMetricsProps {
  return {
    namespace: cfg.namespace,
    filters: APP_METRICS,
    latencyAlarms: [
      {
        suffix: "api-p95-latency",
        description: `p95 of request durations above ${t.apiP95LatencyMs} ms for 15 minutes (seed 001: P95 < 500 ms)`,
        namespace: "api",
        metric: "p95_latency",
        thresholdMs: t.apiP95LatencyMs,
      },
      {
        suffix: "bncc-search-p95-latency",
        description: `p95 of BNCC search durations above ${t.bnccSearchP95LatencyMs} ms for 15 minutes`,
        namespace: "bncc",
        metric: "search_latency",
        thresholdMs: t.bnccSearchP95LatencyMs,
      },
      ...cfg.disciplineAlarms.map((subject) => ({
        suffix: `subject-${subject.replace(/_/g, "-")}-p95-latency`,
        description: `p95 of ${subject} request durations above ${t.apiP95LatencyMs} ms for 15 minutes`,
        namespace: "disciplines",
        metric: "latency_per_subject",
        thresholdMs: t.apiP95LatencyMs,
        dimensions: { subject },
      })),
    ],
    // Seed 001 §4's multidisciplinary dashboard: every discipline and every BNCC code the app logged.
    widgets: [
      {
        title: "Requests per discipline",
        search: `SEARCH('{{ns}/disciplines,subject} MetricName="requests_per_subject"', 'Sum', 300)`,
      },
      {
        title: "p95 latency per discipline (ms)",
        search: `SEARCH('{{ns}/disciplines,subject} MetricName="latency_per_subject"', 'p95', 300)`,
      },
      {
        title: "BNCC searches per code",
        search: `SEARCH('{{ns}/bncc,code} MetricName="searches_per_code"', 'Sum', 300)`,
      },
      {
        title: "API p95 latency (target < 500 ms)",
        series: [
          { namespace: "api", metric: "p95_latency", stat: "p95" },
          { namespace: "bncc", metric: "search_latency", stat: "p95", label: "BNCC search p95" },
        ],
      },
    ],
  };
}
