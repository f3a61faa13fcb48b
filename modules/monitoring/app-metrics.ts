/**
 * Application metrics of seed 001 §4 ("Métricas Customizadas": `eduautismo/disciplines/requests_per_subject`,
 * `eduautismo/bncc/searches_per_code`, `eduautismo/api/p95_latency`), made from the app's own log lines:
 * metric filters on the app log group turn each JSON event into a CloudWatch metric, so the app only
 * logs (no SDK call, no extra permission). The contract the app must follow is APP_LOG_EVENTS: one JSON
 * object per line on stdout, with the fields each filter reads.
 */
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import type { Construct } from "constructs";
import { named } from "../../lib/core/module-stack";

/** A metric made from app log lines. `namespace` is relative to the app's namespace (`eduautismo`). */
export interface AppMetric {
  /** Terraform name of the filter. */
  readonly key: string;
  /** CloudWatch Logs filter pattern (JSON). */
  readonly pattern: string;
  readonly namespace: "disciplines" | "bncc" | "api";
  readonly metric: string;
  /** `1` to count lines, or `$.field` for a value. */
  readonly value: string;
  readonly unit: "Count" | "Milliseconds";
  /** Dimension → `$.field`. */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** The log lines the app writes (documentation and tests: every filter matches one of them). */
export const APP_LOG_EVENTS = {
  request: { event: "request", subject: "matematica", grade_level: "fundamental_1_1ano", path: "/api/v1/activities", status: 200, duration_ms: 137 },
  bncc_search: { event: "bncc_search", bncc_code: "EF01MA01", results: 4, duration_ms: 42 },
} as const;

export const APP_METRICS: readonly AppMetric[] = [
  { key: "requests_per_subject", pattern: '{ $.event = "request" && $.subject = * }', namespace: "disciplines", metric: "requests_per_subject", value: "1", unit: "Count", dimensions: { subject: "$.subject" } },
  { key: "latency_per_subject", pattern: '{ $.event = "request" && $.subject = * && $.duration_ms = * }', namespace: "disciplines", metric: "latency_per_subject", value: "$.duration_ms", unit: "Milliseconds", dimensions: { subject: "$.subject" } },
  { key: "api_latency", pattern: '{ $.event = "request" && $.duration_ms = * }', namespace: "api", metric: "p95_latency", value: "$.duration_ms", unit: "Milliseconds" },
  { key: "bncc_searches", pattern: '{ $.event = "bncc_search" && $.bncc_code = * }', namespace: "bncc", metric: "searches_per_code", value: "1", unit: "Count", dimensions: { code: "$.bncc_code" } },
  { key: "bncc_search_latency", pattern: '{ $.event = "bncc_search" && $.duration_ms = * }', namespace: "bncc", metric: "search_latency", value: "$.duration_ms", unit: "Milliseconds" },
];

/** `eduautismo` + `disciplines` → `eduautismo/disciplines`. */
export function metricNamespace(base: string, m: Pick<AppMetric, "namespace">): string {
  return `${base}/${m.namespace}`;
}

/** One metric filter per APP_METRICS entry on the app log group; names `<prefix>-app-<key>`. */
export function appMetricFilters(scope: Construct, props: { readonly prefix: string; readonly logGroup: string; readonly namespace: string }): void {
  for (const m of APP_METRICS) {
    named(
      new CloudwatchLogMetricFilter(scope, `app_metric_${m.key}`, {
        name: `${props.prefix}-app-${m.key.replace(/_/g, "-")}`,
        logGroupName: props.logGroup,
        pattern: m.pattern,
        // A filter with dimensions takes no default value (CloudWatch Logs refuses both together).
        metricTransformation: { name: m.metric, namespace: metricNamespace(props.namespace, m), value: m.value, unit: m.unit, dimensions: m.dimensions },
      }),
      `app_${m.key}`,
    );
  }
}

/**
 * Whether a JSON log line matches a filter pattern of the form `{ $.a = "x" && $.b = * && $.c = 3 }`
 * (the subset APP_METRICS uses), as CloudWatch Logs evaluates it: every term must hold.
 */
export function matchesPattern(pattern: string, line: Record<string, unknown>): boolean {
  const body = /^\{\s*(.*?)\s*\}$/.exec(pattern)?.[1];
  if (body === undefined) throw new Error(`not a JSON filter pattern: ${pattern}`);
  return body.split("&&").every((term) => {
    const m = /^\s*\$\.([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\*|"[^"]*"|-?\d+(?:\.\d+)?)\s*$/.exec(term);
    if (!m) throw new Error(`unsupported filter term: ${term}`);
    const [, field, expected] = m;
    const actual = line[field];
    if (expected === "*") return actual !== undefined && actual !== null;
    if (expected.startsWith('"')) return actual === expected.slice(1, -1);
    return Number(actual) === Number(expected);
  });
}
