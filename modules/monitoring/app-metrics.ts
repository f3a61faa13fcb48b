/**
 * Application metrics made from the app's own log lines: metric filters on the app log group turn each
 * JSON event into a CloudWatch metric, so the app only logs (no SDK call, no extra permission). Which
 * metrics, alarms and dashboard widgets a product has is the product's (the product definition in
 * environments/); this file holds their shapes and the filters.
 */
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import type { Construct } from "constructs";
import { named } from "../../lib/core/module-stack";
import type { AppMetric } from "./config";

export type { AppMetric, AppMetricsProps, AppWidget, LatencyAlarm } from "./config";

/** `<base>` + `disciplines` → `<base>/disciplines`. */
export function metricNamespace(base: string, m: Pick<AppMetric, "namespace">): string {
  return `${base}/${m.namespace}`;
}

/** One metric filter per app metric on the app log group; names `<prefix>-app-<key>`. */
export function appMetricFilters(
  scope: Construct,
  props: {
    readonly prefix: string;
    readonly logGroup: string;
    readonly namespace: string;
    readonly filters: readonly AppMetric[];
  },
): void {
  for (const m of props.filters) {
    named(
      new CloudwatchLogMetricFilter(scope, `app_metric_${m.key}`, {
        name: `${props.prefix}-app-${m.key.replace(/_/g, "-")}`,
        logGroupName: props.logGroup,
        pattern: m.pattern,
        // A filter with dimensions takes no default value (CloudWatch Logs refuses both together).
        metricTransformation: {
          name: m.metric,
          namespace: metricNamespace(props.namespace, m),
          value: m.value,
          unit: m.unit,
          dimensions: m.dimensions,
        },
      }),
      `app_${m.key}`,
    );
  }
}

/**
 * Whether a JSON log line matches a filter pattern of the form `{ $.a = "x" && $.b = * && $.c = 3 }`
 * (the subset app metrics use), as CloudWatch Logs evaluates it: every term must hold.
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
