/**
 * Apply-time rules read from the synthesized JSON as written (no HCL evaluation), registered with the other
 * apply rules (apply-checks.ts):
 * - `counted-names-vary`: a resource that may have several instances (count, for_each) varies every identity
 *   argument with the instance key (lib/core/counted-names.ts, D130);
 * - `metric-math-alarm-limit`: a metric-math alarm's queries, counted at the schema maxima of every setting that
 *   multiplies them, fit CloudWatch's 10 (modules/monitoring/config.ts, D131);
 * - `order-*`: creation order AWS needs but no reference implies (ordering.ts).
 */
import { countedNameFindings } from "../../lib/core/counted-names";
import { MAX_METRIC_QUERIES_PER_ALARM, METRIC_QUERY_MULTIPLIERS } from "../../modules/monitoring/config";
import { stackParts, type Json } from "../synthesized";
import type { Check, Finding } from "./check";
import { ORDERING_RULES } from "./ordering";

const meta = { category: "apply", upstream: [], scope: "all" } as const;

const asList = (v: unknown): Json[] => (Array.isArray(v) ? v : v && typeof v === "object" ? [v as Json] : []);

/**
 * The most metric queries an alarm can send: its `metric_query` blocks plus, per `dynamic "metric_query"`, its
 * for_each at the maximum: a literal list's length, or `range(var.<x>)` with `<x>` a declared multiplier
 * (METRIC_QUERY_MULTIPLIERS). `unbounded` names a for_each it cannot bound.
 */
export function metricQueryBound(
  alarm: Json,
  maxima: Readonly<Record<string, number>> = METRIC_QUERY_MULTIPLIERS,
): { max: number; unbounded?: string } {
  let max = asList(alarm.metric_query).length;
  for (const spec of asList(alarm.dynamic).flatMap((d) => asList(d.metric_query))) {
    const fe = spec.for_each;
    if (Array.isArray(fe)) {
      max += fe.length;
      continue;
    }
    const v = typeof fe === "string" ? /^\$\{range\(var\.([A-Za-z0-9_]+)\)\}$/.exec(fe) : null;
    if (!v || maxima[v[1]] === undefined) return { max, unbounded: JSON.stringify(fe) };
    max += maxima[v[1]];
  }
  return { max };
}

export const STRUCTURE_CHECKS: readonly Check[] = [
  {
    ...meta,
    id: "counted-names-vary",
    title:
      "A resource with several instances (count, for_each) gives each its own name: identity arguments vary with count.index / each.key",
    severity: "high",
    sources: [
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
      "https://developer.hashicorp.com/terraform/language/meta-arguments/count",
    ],
    evaluate: (m): Finding[] =>
      m.stack ? stackParts(m.stack).flatMap(({ tf, prefix }) => countedNameFindings(tf, prefix)) : [],
  },
  {
    ...meta,
    id: "metric-math-alarm-limit",
    title: `A metric-math alarm sends at most ${MAX_METRIC_QUERIES_PER_ALARM} metric queries (metrics and expressions) at the schema maxima of every setting that multiplies them`,
    severity: "high",
    sources: [
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html",
    ],
    evaluate: (m): Finding[] =>
      (m.stack ? stackParts(m.stack) : []).flatMap(({ tf, prefix }) =>
        Object.entries<Json>(tf.resource?.aws_cloudwatch_metric_alarm ?? {})
          .filter(([, a]) => a.metric_query !== undefined || a.dynamic?.metric_query !== undefined)
          .map(([name, a]) => {
            const { max, unbounded } = metricQueryBound(a);
            const problem = unbounded
              ? `a dynamic metric_query over ${unbounded} has no known maximum: use range(var.<x>) with <x> in METRIC_QUERY_MULTIPLIERS (modules/monitoring/config.ts)`
              : max > MAX_METRIC_QUERIES_PER_ALARM
                ? `up to ${max} metric queries at the schema maxima; PutMetricAlarm accepts at most ${MAX_METRIC_QUERIES_PER_ALARM} (the plan passes, the apply fails)`
                : undefined;
            return { address: `${prefix}aws_cloudwatch_metric_alarm.${name}`, problem };
          }),
      ),
  },
  ...ORDERING_RULES.map((rule): Check => ({
    ...meta,
    id: rule.id,
    title: rule.title,
    severity: "high",
    sources: rule.sources,
    evaluate: (m) => (m.stack ? rule.check(m.stack) : []),
  })),
];
