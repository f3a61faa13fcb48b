import { MAX_METRIC_QUERIES_PER_ALARM } from "../../modules/monitoring/config";
import { metricQueryBound } from "../../tools/policy/structure-checks";
import { inputs, resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { buildWorkspace } from "../helpers/workspace-fixture";
import { APP_LOG_EVENTS, APP_METRICS } from "../../environments/eduautismo/app-metrics";
import { matchesPattern } from "../../modules/monitoring/app-metrics";

const { stacks } = synthAll();
const mon = (ws = "production"): Json => stacks[ws].modules.monitoring;
const alarms = (ws = "production") => resourcesOf(mon(ws), "aws_cloudwatch_metric_alarm");

// The HCL the module writes for member ids and node lists (modules/monitoring/members.ts, alarms-redis.ts).
const memberSuffix = (i: string, clusterMode: boolean) =>
  clusterMode
    ? `format("%04d-%03d", floor((${i}) / var.redis_nodes_per_shard) + 1, (${i}) % var.redis_nodes_per_shard + 1)`
    : `format("%03d", ${i} + 1)`;
const memberId = (i: string, clusterMode: boolean) =>
  `format("%s-%s", var.redis_replication_group_id, ${memberSuffix(i, clusterMode)})`;
const overNodes = (fn: string, term: string) =>
  `${fn}([\${join(", ", [for i in range(var.redis_nodes_per_shard) : format(${JSON.stringify(term)}, i + 1)])}])`;

test("seed 000 §9.2's alarms keep their names in production (the hit-rate alarm gains its node's number)", () => {
  expect(stacks.production.root.module.monitoring.alarm_prefix).toBe("eduautismo-prod");
  expect(alarms().redis_down.alarm_name).toBe("${var.alarm_prefix}-redis-down");
  expect(alarms().cache_miss_high.alarm_name).toMatch(
    /^\$\{var\.alarm_prefix\}-cache-miss-high-\$\{.*count\.index.*\}$/,
  );
});

test("every workspace alarms on ECS, RDS, ALB and app errors", () => {
  for (const ws of ["dev", "staging", "production"]) {
    expect(Object.keys(alarms(ws))).toEqual(
      expect.arrayContaining([
        "ecs_cpu_high",
        "ecs_memory_high",
        "rds_cpu_high",
        "rds_free_storage_low",
        "rds_connections_high",
        "rds_replica_lag",
        "alb_5xx",
        "alb_p95_latency",
        "alb_unhealthy_hosts",
        "app_errors",
      ]),
    );
  }
});

test("ECS CPU alarms above 80% for 10 minutes", () => {
  expect(alarms().ecs_cpu_high).toMatchObject({
    metric_name: "CPUUtilization",
    threshold: 80,
    period: 300,
    evaluation_periods: 2,
    comparison_operator: "GreaterThanThreshold",
  });
});

describe("one alarm per Redis node and per read replica (D130: one name for all was one alarm)", () => {
  const perNode = ["redis_memory_high", "redis_engine_cpu_high", "redis_evictions", "cache_miss_high"];

  test("each per-node alarm covers every member of the group and is named and dimensioned after its node", () => {
    for (const ws of ["staging", "production"]) {
      for (const name of perNode) {
        const a = alarms(ws)[name];
        expect([name, a.count]).toEqual([name, "${var.redis_shard_count * var.redis_nodes_per_shard}"]);
        expect(a.alarm_name).toContain("count.index");
        const dims = [a.dimensions, ...(a.metric_query ?? []).map((q: Json) => q.metric?.dimensions)].filter(Boolean);
        expect(dims.length).toBeGreaterThan(0);
        // The name's suffix is the member id's suffix: alarm `…-memory-high-002` watches node `<group>-002`.
        for (const d of dims) expect(d.CacheClusterId).toBe(`\${${memberId("count.index", false)}}`);
        expect(a.alarm_name).toBe(
          `\${var.alarm_prefix}-${name.replace(/_/g, "-")}-\${${memberSuffix("count.index", false)}}`,
        );
      }
    }
  });

  test("each replica-lag alarm is named after its replica", () => {
    const a = alarms().rds_replica_lag;
    expect(a.alarm_name).toContain("${count.index + 1}");
    expect(a.dimensions.DBInstanceIdentifier).toBe("${var.rds_instance_id}-replica-${(count.index + 1)}");
  });

  test("the hit-rate alarm computes one node's hit rate from its CacheHits and CacheMisses: 3 queries at any node count", () => {
    const a = alarms().cache_miss_high;
    expect(a).toMatchObject({
      threshold: 70,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "notBreaching",
    });
    expect(a.metric_query[0].expression).toBe("IF(hits + misses > 0, 100 * hits / (hits + misses), 100)");
    expect(a.metric_query.slice(1).map((q: Json) => q.metric.metric_name)).toEqual(["CacheHits", "CacheMisses"]);
    expect(a.dynamic).toBeUndefined();
    expect(metricQueryBound(a).max).toBeLessThanOrEqual(MAX_METRIC_QUERIES_PER_ALARM);
  });

  test("every metric-math alarm fits CloudWatch's 10 queries at the cache schema's largest shard", () => {
    for (const ws of ["dev", "staging", "production"]) {
      for (const [name, a] of Object.entries(alarms(ws)).filter(([, x]) => x.metric_query || x.dynamic)) {
        const b = metricQueryBound(a);
        expect([ws, name, b.unbounded, b.max <= MAX_METRIC_QUERIES_PER_ALARM]).toEqual([ws, name, undefined, true]);
      }
    }
  });
});

describe("cluster mode: the alarms follow ElastiCache's member ids <group>-000S-00N", () => {
  const all = inputs();
  all.production.cache = { ...all.production.cache, clusterMode: { enabled: true, shards: 3, replicasPerShard: 2 } };
  const on = buildWorkspace("production", all.production);
  const a = resourcesOf(on.modules.monitoring, "aws_cloudwatch_metric_alarm");

  test("the module gets the shards and the nodes of a shard (1 + replicas), not the node-count knob", () => {
    expect(on.root.module.monitoring).toMatchObject({ redis_shard_count: 3, redis_nodes_per_shard: 3 });
  });

  test("per-node alarms name and watch <group>-<shard %04d>-<node %03d> over every shard", () => {
    expect(a.redis_memory_high.dimensions.CacheClusterId).toBe(`\${${memberId("count.index", true)}}`);
    expect(memberSuffix("count.index", true)).toBe(
      'format("%04d-%03d", floor((count.index) / var.redis_nodes_per_shard) + 1, (count.index) % var.redis_nodes_per_shard + 1)',
    );
    expect(a.redis_memory_high.alarm_name).toContain(memberSuffix("count.index", true));
  });

  test("Redis down and failover are one alarm per shard, over that shard's nodes, each with its own name", () => {
    for (const name of ["redis_down", "redis_failover"]) {
      expect(a[name].count).toBe("${var.redis_nodes_per_shard > 1 ? var.redis_shard_count : 0}");
      expect(a[name].alarm_name).toContain('format("%04d", count.index + 1)');
      expect(a[name].dynamic.metric_query[0].content.metric.dimensions.CacheClusterId).toBe(
        '${format("%s-%04d-%03d", var.redis_replication_group_id, count.index + 1, metric_query.value + 1)}',
      );
    }
  });

  test("the dashboard draws every member by its cluster-mode id", () => {
    expect(resource(on.modules.monitoring, "aws_cloudwatch_dashboard", "this").dashboard_body).toContain(
      memberId("i", true),
    );
  });
});

/** Every CacheClusterId an alarm or the dashboard names, outside the per-node dynamic blocks. */
const pinnedNodes = (value: unknown) => JSON.stringify(value).match(/%s-0\d\d|-00[1-6]\b/g) ?? [];

describe("Redis alarms survive a failover (roles move between nodes)", () => {
  const roleDependent = ["redis_down", "redis_failover"];

  test("no role-dependent alarm or dashboard widget names a fixed node", () => {
    for (const ws of ["staging", "production"]) {
      for (const name of roleDependent) expect([name, pinnedNodes(alarms(ws)[name])]).toEqual([name, []]);
      expect(pinnedNodes(resource(mon(ws), "aws_cloudwatch_dashboard", "this").dashboard_body)).toEqual([]);
    }
  });

  test("their metrics come from every node <group>-001 … <group>-00N of the nodes-per-shard input", () => {
    for (const name of roleDependent) {
      for (const q of alarms()[name].dynamic.metric_query) {
        expect(q.for_each).toBe("${range(var.redis_nodes_per_shard)}");
        expect(q.content.metric.dimensions).toEqual({
          CacheClusterId: '${format("%s-%03d", var.redis_replication_group_id, metric_query.value + 1)}',
        });
      }
    }
    expect(resource(mon(), "aws_cloudwatch_dashboard", "this").dashboard_body).toContain(memberId("i", false));
  });

  test("Redis down keeps seed 000 §9.2's metric: the highest ReplicationLag of any node, silence breaching", () => {
    const a = alarms().redis_down;
    expect(a).toMatchObject({
      threshold: 1000,
      treat_missing_data: "breaching",
      count: "${var.redis_nodes_per_shard > 1 ? 1 : 0}",
    });
    expect(a.metric_query).toEqual([
      expect.objectContaining({ id: "lag", expression: overNodes("MAX", "lag%d"), return_data: true }),
    ]);
    expect(a.dynamic.metric_query[0].content.metric).toMatchObject({ metric_name: "ReplicationLag", stat: "Maximum" });
    expect(a.metric_name).toBeUndefined();
    expect(a.dimensions).toBeUndefined();
  });

  test("the node-list expression names lag1 … lagN", () => {
    expect(overNodes("MAX", "lag%d")).toBe(
      'MAX([${join(", ", [for i in range(var.redis_nodes_per_shard) : format("lag%d", i + 1)])}])',
    );
  });
});

describe("a failover notifies the alarm topic", () => {
  test("the redis-failover alarm fires when IsMaster changes on any node and notifies the topic", () => {
    const a = alarms().redis_failover;
    expect(a).toMatchObject({
      alarm_name: "${var.alarm_prefix}-redis-failover",
      alarm_actions: ["${aws_sns_topic.alarms.arn}"],
      ok_actions: ["${aws_sns_topic.alarms.arn}"],
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
      evaluation_periods: 1,
      treat_missing_data: "notBreaching",
      count: "${var.redis_nodes_per_shard > 1 ? 1 : 0}",
    });
    expect(a.metric_query[0].expression).toBe(overNodes("MAX", "ABS(DIFF(primary%d))"));
    expect(a.dynamic.metric_query[0].content.metric).toMatchObject({
      namespace: "AWS/ElastiCache",
      metric_name: "IsMaster",
      period: 60,
    });
  });

  test("exists in every workspace with a cache", () => {
    for (const ws of ["dev", "staging", "production"]) expect(alarms(ws).redis_failover).toBeDefined();
  });
});

test("p95 target latency alarms above 500 ms (seed 001)", () => {
  expect(alarms().alb_p95_latency).toMatchObject({
    extended_statistic: "p95",
    threshold: 0.5,
    metric_name: "TargetResponseTime",
  });
});

test("ALB 5xx counts the balancer's and the targets' errors together, more than 5 in 5 minutes", () => {
  expect(alarms().alb_5xx).toMatchObject({ threshold: 5 });
  expect(alarms().alb_5xx.metric_query[0].expression).toBe("FILL(elb, 0) + FILL(target, 0)");
});

test("every alarm chooses how to treat missing data and notifies the topic on alarm and recovery", () => {
  for (const a of Object.values(alarms())) {
    expect(["missing", "notBreaching", "breaching"]).toContain(a.treat_missing_data);
    expect(a.alarm_actions).toEqual(["${aws_sns_topic.alarms.arn}"]);
    expect(a.ok_actions).toEqual(["${aws_sns_topic.alarms.arn}"]);
  }
});

test("running-below-desired needs Container Insights: present in staging and production, absent in dev", () => {
  expect(alarms("production").ecs_running_below_desired).toBeDefined();
  expect(alarms("dev").ecs_running_below_desired).toBeUndefined();
});

test("the alarm topic is encrypted with the alarms key and mails the configured addresses", () => {
  expect(resource(mon(), "aws_sns_topic", "alarms").kms_master_key_id).toBe("${var.alarms_kms_key_arn}");
  expect(stacks.production.root.module.monitoring.alarms_kms_key_arn).toBe("${module.security.alarms_kms_key_arn}");
  expect(resource(mon(), "aws_sns_topic_subscription", "email")).toMatchObject({
    protocol: "email",
    for_each: "${toset(var.alarm_emails)}",
  });
});

test("the dashboard eduautismo-<env> shows seed 000 §9.1's metrics", () => {
  expect(stacks.staging.root.module.monitoring.dashboard_name).toBe("eduautismo-${var.environment}");
  const body = resource(mon(), "aws_cloudwatch_dashboard", "this").dashboard_body as string;
  for (const m of [
    "CPUUtilization",
    "RunningTaskCount",
    "CacheHits",
    "CacheMisses",
    "EngineCPUUtilization",
    "DatabaseMemoryUsagePercentage",
    "DatabaseConnections",
    "ReadLatency",
    "FreeStorageSpace",
    "TargetResponseTime",
    "HealthyHostCount",
    "RequestCount",
  ]) {
    expect(body).toContain(`"${m}"`);
  }
});

test("ERROR lines in the app log become a metric in the eduautismo/ namespace", () => {
  expect(resource(mon(), "aws_cloudwatch_log_metric_filter", "app_errors")).toMatchObject({
    pattern: "ERROR",
    log_group_name: "${var.app_log_group_name}",
    metric_transformation: { namespace: "eduautismo/app", name: "ErrorCount" },
  });
});

test("with the cache disabled there is no Redis alarm and no Redis widget", () => {
  const all = inputs();
  all.production.cache = { ...all.production.cache, enabled: false, allowDestroy: true };
  const m = buildWorkspace("production", all.production).modules.monitoring;
  expect(Object.keys(resourcesOf(m, "aws_cloudwatch_metric_alarm")).filter((a) => /redis|cache/.test(a))).toEqual([]);
  expect(resource(m, "aws_cloudwatch_dashboard", "this").dashboard_body).not.toContain("ElastiCache");
});

// Formerly app-metrics.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("application metrics (modules/monitoring/app-metrics.ts)", () => {
  /** Application metrics of seed 001 §4 from the app's JSON log lines (modules/monitoring/app-metrics.ts). */
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
});
