/** Application metrics of seed 001 §4 from the app's JSON log lines (modules/monitoring/app-metrics.ts). */
import { APP_LOG_EVENTS, APP_METRICS } from "../../environments/eduautismo/app-metrics";
import { matchesPattern } from "../../modules/monitoring/app-metrics";
import { synthAll, type Json } from "../helpers/synth";

const { stacks } = synthAll();
const monitoring = (ws = "production") => stacks[ws].modules.monitoring;
const filters = (ws = "production"): Record<string, Json> => monitoring(ws).resource.aws_cloudwatch_log_metric_filter;
const alarms = (ws = "production"): Record<string, Json> => monitoring(ws).resource.aws_cloudwatch_metric_alarm;
const events = Object.values(APP_LOG_EVENTS) as unknown as Record<string, unknown>[];

describe.each(APP_METRICS.map((m) => [m.key, m] as const))("metric %s", (_, m) => {
  test("its filter pattern matches a line of the documented log contract", () => {
    expect(events.filter((e) => matchesPattern(m.pattern, e))).toHaveLength(1);
  });

  test("every dimension and value it reads is a field of the line it matches", () => {
    const line = events.find((e) => matchesPattern(m.pattern, e)) as Record<string, unknown>;
    for (const field of [...Object.values(m.dimensions ?? {}), ...(m.value.startsWith("$.") ? [m.value] : [])])
      expect(line[field.slice(2)]).toBeDefined();
  });

  test("is synthesized as a metric filter on the app log group", () => {
    const f = filters()[`app_${m.key}`];
    expect(f.pattern).toBe(m.pattern);
    expect(f.log_group_name).toBe("${var.app_log_group_name}");
    expect(f.metric_transformation).toMatchObject({
      name: m.metric,
      namespace: `\${var.app_metrics_namespace}/${m.namespace}`,
      value: m.value,
      unit: m.unit,
    });
  });
});

test("the seed's metric names exist: eduautismo/disciplines/requests_per_subject, eduautismo/bncc/searches_per_code, eduautismo/api/p95_latency", () => {
  expect(
    stacks.production.root.module.monitoring.app_metrics_namespace ??
      monitoring().variable.app_metrics_namespace.default,
  ).toBe("eduautismo");
  const names = APP_METRICS.map((m) => `${m.namespace}/${m.metric}`);
  expect(names).toEqual(
    expect.arrayContaining(["disciplines/requests_per_subject", "bncc/searches_per_code", "api/p95_latency"]),
  );
});

test("a line of another event matches no filter of this one (a request is not a BNCC search)", () => {
  expect(
    matchesPattern(
      APP_METRICS.find((m) => m.key === "bncc_searches")!.pattern,
      APP_LOG_EVENTS.request as unknown as Record<string, unknown>,
    ),
  ).toBe(false);
  expect(matchesPattern('{ $.event = "request" && $.subject = * }', { event: "request" })).toBe(false);
});

test("the pattern reader refuses syntax it does not understand instead of guessing", () => {
  expect(() => matchesPattern('{ $.a != "x" }', {})).toThrow("unsupported filter term");
});

test("every app-metric alarm reads a metric a filter produces, in the same namespace", () => {
  const produced = new Set(APP_METRICS.map((m) => `\${var.app_metrics_namespace}/${m.namespace}|${m.metric}`));
  const appAlarms = Object.values(alarms()).filter((a) =>
    String(a.namespace).startsWith("${var.app_metrics_namespace}"),
  );
  expect(appAlarms.length).toBeGreaterThanOrEqual(3);
  for (const a of appAlarms) expect(produced).toContain(`${a.namespace}|${a.metric_name}`);
});

test("app-metric alarms use p95 and treat silence as healthy (no request is not an incident)", () => {
  for (const key of ["api_p95_latency", "bncc_search_p95_latency", "subject_matematica_p95_latency"]) {
    expect(alarms()[key]).toMatchObject({
      extended_statistic: "p95",
      treat_missing_data: "notBreaching",
      threshold: 500,
    });
  }
});

test("a discipline gets its own alarm only when the environment lists it", () => {
  expect(alarms().subject_matematica_p95_latency.dimensions).toEqual({ subject: "matematica" });
  expect(Object.keys(alarms("dev")).filter((k) => k.startsWith("subject_"))).toEqual([]);
});

test("the dashboard draws every discipline and every BNCC code the app logged", () => {
  const body = String(monitoring().resource.aws_cloudwatch_dashboard.this.dashboard_body);
  expect(body).toContain(
    `SEARCH('{\${var.app_metrics_namespace}/disciplines,subject} MetricName=\\"requests_per_subject\\"', 'Sum', 300)`,
  );
  expect(body).toContain(
    `SEARCH('{\${var.app_metrics_namespace}/bncc,code} MetricName=\\"searches_per_code\\"', 'Sum', 300)`,
  );
});
