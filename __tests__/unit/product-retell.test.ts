/**
 * Retell AI (seed 003) as a product: host-routed API and web behind one ALB, Fargate with a Spot mix, the guide's
 * alarms, buckets and data topology, staging as a development tier, and the rules of the new config fields (compute
 * hostHeaders and spotMix, monitoring serviceAlarms). Sizes are knobs, not asserted; what every product satisfies
 * (policy gate, budget, address contract, names) is in products.test.ts.
 */
import { ConfigError, parseEnvironmentOf } from "../../environments";
import { withDefaults } from "../../environments/product-spec";
import { RETELL } from "../../environments/retell";
import { spotShare } from "../../tools/cost/estimate";
import type { Mutable } from "../helpers/config";
import { containerDefs, resource, resourcesOf, synthProduct } from "../helpers/synth";
import { buildWorkspace } from "../helpers/workspace-fixture";

/** A Retell environment file over the product's defaults, as a mutable copy (the file leaves shared values to them). */
const merged = (ws: string) => structuredClone(withDefaults(RETELL.defaults, RETELL.environments[ws])) as Mutable;

/** Problems of a changed copy of a Retell environment file ([] when it parses). */
function retellProblems(ws: "staging" | "production", change: (env: Mutable) => void): string[] {
  const env = merged(ws);
  change(env);
  try {
    parseEnvironmentOf(RETELL, env, ws);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

const config = (ws: string) => parseEnvironmentOf(RETELL, RETELL.environments[ws], ws);

const { stacks } = synthProduct(RETELL);
const prod = stacks.production;
const staging = stacks.staging;
const compute = prod.modules.compute;
const alarms = resourcesOf(prod.modules.monitoring, "aws_cloudwatch_metric_alarm");

describe("network (seed 003 §1)", () => {
  test("three AZs with public, private and database subnets in the guide's VPC 10.0.0.0/16", () => {
    const net = prod.root.module.network;
    expect(net.azs).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect([net.public_subnets, net.private_subnets, net.database_subnets].map((s: string[]) => s.length)).toEqual([
      3, 3, 3,
    ]);
    expect(net.vpc_cidr).toBe("10.0.0.0/16");
  });
});

describe("host-based routing (compute hostHeaders)", () => {
  const rules = resourcesOf(compute, "aws_lb_listener_rule");

  test("api.retellai-mvp.com goes to the API's target group", () => {
    expect(rules.api.condition).toEqual([{ host_header: { values: ["api.retellai-mvp.com"] } }]);
    expect(rules.api.action).toEqual([{ type: "forward", target_group_arn: "${aws_lb_target_group.api.arn}" }]);
  });

  test("app.retellai-mvp.com goes to the web app's target group", () => {
    expect(rules.web.condition).toEqual([{ host_header: { values: ["app.retellai-mvp.com"] } }]);
    expect(rules.web.action).toEqual([{ type: "forward", target_group_arn: "${aws_lb_target_group.web.arn}" }]);
  });

  test("the HTTPS listener answers 404 to any other host instead of defaulting to a service", () => {
    expect(resource(compute, "aws_lb_listener", "https").default_action).toEqual([
      {
        type: "fixed-response",
        fixed_response: { content_type: "text/plain", message_body: "Not Found", status_code: "404" },
      },
    ]);
  });

  test("plain HTTP still redirects to HTTPS", () => {
    expect(resource(compute, "aws_lb_listener", "http").default_action[0].type).toBe("redirect");
  });

  test("each service waits for its own rule (ECS needs the target group attached)", () => {
    expect(resource(compute, "aws_ecs_service", "api").depends_on).toContain("aws_lb_listener_rule.api");
    expect(resource(compute, "aws_ecs_service", "web").depends_on).toContain("aws_lb_listener_rule.web");
  });

  test("without a certificate the HTTP listener routes by host and answers 404 to other hosts", () => {
    const input = merged("staging");
    delete input.compute.certificateArn;
    input.exemptions.push({ control: "alb-https", reason: "a test environment without a domain or certificate" });
    const c = buildWorkspace("staging", input, RETELL).modules.compute;
    expect(resource(c, "aws_lb_listener", "http").default_action[0]).toMatchObject({
      type: "fixed-response",
      fixed_response: { status_code: "404" },
    });
    expect(resource(c, "aws_lb_listener_rule", "api").listener_arn).toBe("${aws_lb_listener.http.arn}");
  });

  test("staging routes its own hosts", () => {
    const r = resourcesOf(staging.modules.compute, "aws_lb_listener_rule");
    expect([r.api.condition, r.web.condition]).toEqual([
      [{ host_header: { values: ["api.staging.retellai-mvp.com"] } }],
      [{ host_header: { values: ["staging.retellai-mvp.com"] } }],
    ]);
  });
});

describe("services (seed 003 §2)", () => {
  test("production runs one on-demand task per service, the rest 1 : 3 on Fargate Spot", () => {
    for (const svc of ["api", "web"]) {
      expect(resource(compute, "aws_ecs_service", svc).capacity_provider_strategy).toEqual([
        { capacity_provider: "FARGATE", base: 1, weight: 1 },
        { capacity_provider: "FARGATE_SPOT", weight: 3 },
      ]);
    }
  });

  test("staging runs one on-demand task per service and every other task on Spot", () => {
    expect(resource(staging.modules.compute, "aws_ecs_service", "api").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 1, weight: 0 },
      { capacity_provider: "FARGATE_SPOT", weight: 1 },
    ]);
  });

  test("the estimate puts the base on-demand and splits the rest by weight", () => {
    const mix = { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 };
    expect(spotShare(mix, 5)).toEqual({ spot: 3 });
    expect(spotShare(mix, 1)).toEqual({ spot: 0 });
    expect(spotShare(mix, 0)).toBeUndefined();
  });

  test("the migrations task of the guide (run-task) exists, from the API image", () => {
    expect(resource(compute, "aws_ecs_task_definition", "migrations").family).toBe("${var.name}-migrations");
    expect(containerDefs(compute, "migrations")[0].image).toContain("${aws_ecr_repository.api.repository_url}:");
  });
});

describe("alarms (seed 003 'Alarms Configurados')", () => {
  test("API CPU above 80% for 10 minutes watches the API service", () => {
    expect(alarms.ecs_cpu_high).toMatchObject({ threshold: 80, period: 300, evaluation_periods: 2 });
    expect(prod.root.module.monitoring.ecs_service_name).toBe("retell-${var.environment}-api");
  });

  test("RDS CPU above 80% for 10 minutes", () => {
    expect(alarms.rds_cpu_high).toMatchObject({
      threshold: 80,
      period: 300,
      evaluation_periods: 2,
      metric_name: "CPUUtilization",
    });
  });

  test("ALB 5xx above 5 in 5 minutes", () => {
    expect(alarms.alb_5xx).toMatchObject({ threshold: 5, evaluation_periods: 1 });
  });

  test("API p95 above 1 s on the API's own target group", () => {
    expect(alarms.api_p95_latency).toMatchObject({
      alarm_name: "${var.alarm_prefix}-api-p95-latency",
      metric_name: "TargetResponseTime",
      extended_statistic: "p95",
      threshold: 1,
      dimensions: { LoadBalancer: "${var.alb_arn_suffix}", TargetGroup: '${var.target_group_arn_suffixes["api"]}' },
    });
    expect(prod.root.module.monitoring.target_group_arn_suffixes).toBe("${module.compute.target_group_arn_suffixes}");
  });

  test("a service CPU alarm names its own ECS service", () => {
    const input = merged("production");
    input.monitoring.serviceAlarms = { web: { cpuPercent: 75 } };
    // Without the error-rate widgets (which read target groups), a CPU alarm alone needs no target group input.
    input.monitoring.dashboard = { errorRateServices: [] };
    const s = buildWorkspace("production", input, RETELL);
    const a = resource(s.modules.monitoring, "aws_cloudwatch_metric_alarm", "web_cpu_high");
    expect(a).toMatchObject({
      threshold: 75,
      period: 300,
      evaluation_periods: 2,
      dimensions: { ClusterName: "${var.ecs_cluster_name}", ServiceName: '${var.ecs_service_names["web"]}' },
    });
    expect(s.root.module.monitoring.ecs_service_names).toBe("${module.compute.ecs_service_names}");
    expect(s.modules.monitoring.variable.target_group_arn_suffixes).toBeUndefined();
  });

  // Seed 003 §6: "Container Insights: Habilitado em produção"; "CloudWatch Logs: 30d retention".
  test("Container Insights is on in production and off in staging", () => {
    expect(prod.root.module.compute.container_insights).toBe(true);
    expect(staging.root.module.compute.container_insights).toBe(false);
  });

  test("logs are kept 30 days", () => {
    expect(resource(compute, "aws_cloudwatch_log_group", "app").retention_in_days).toBe("${var.log_retention_days}");
    expect(prod.root.module.compute.log_retention_days).toBe(30);
    expect(prod.root.module.database).toMatchObject({ log_retention_days: 30 });
  });
});

describe("data (seed 003 §3–§5)", () => {
  test("recordings move to Glacier after 90 days", () => {
    const lc = resource(prod.modules.storage, "aws_s3_bucket_lifecycle_configuration", "recordings");
    expect(JSON.stringify(lc.rule)).toContain('"transition":[{"days":90,"storage_class":"GLACIER"}]');
  });

  test("backups expire after 90 days", () => {
    const lc = resource(prod.modules.storage, "aws_s3_bucket_lifecycle_configuration", "backups");
    expect(JSON.stringify(lc.rule)).toContain('"expiration":[{"days":90}]');
  });

  // Seed 003 §3: production Multi-AZ with 30 days of backups, staging Single-AZ with 7. Instance classes are knobs
  // (db_instance_class) an operator may change; the guide's classes are in docs/products/retell.md.
  test("production PostgreSQL is Multi-AZ with 30 days of backups; staging is Single-AZ with 7", () => {
    expect(config("production").database).toMatchObject({ multiAz: true, backupRetentionDays: 30 });
    expect(config("staging").database).toMatchObject({ multiAz: false, backupRetentionDays: 7 });
  });

  // Seed 003 §4: production 2 nodes, staging 1, encrypted at rest and in transit. Node types are knobs (redis_node_type).
  test("production Redis is a primary and a replica with failover; staging one node; both encrypted at rest and in transit", () => {
    expect(config("production").cache).toMatchObject({ numCacheNodes: 2, automaticFailover: true });
    expect(config("staging").cache).toMatchObject({ numCacheNodes: 1 });
    for (const s of [prod, staging]) {
      const g = resource(s.modules.cache, "aws_elasticache_replication_group", "redis");
      expect(g.at_rest_encryption_enabled).toBe("true");
    }
    expect([config("production").cache.transitEncryption, config("staging").cache.transitEncryption]).toEqual([
      true,
      true,
    ]);
  });
});

describe("tier: the guide's cheaper staging is a development tier", () => {
  test("staging is accepted as a development tier", () => {
    expect(retellProblems("staging", () => undefined)).toEqual([]);
  });

  test("the same staging as production-like is refused, each field named", () => {
    expect(retellProblems("staging", (e) => (e.tier = "production-like"))).toEqual([
      "staging.cache.automaticFailover: staging keeps Redis automatic failover on: redis_automatic_failover_enabled must be true (policy check elasticache-multi-az)",
      "staging.cache.multiAz: staging keeps Redis Multi-AZ on: redis_multi_az_enabled must be true (policy check elasticache-multi-az)",
      "staging.database.multiAz: staging needs Multi-AZ (db_multi_az = true)",
      "staging.exemptions: ecs-container-insights is off (compute.containerInsights), but a production-like environment keeps every control; only a development-tier environment may be exempted",
      "staging.exemptions[0]: a production-like environment keeps every control; only a development-tier environment may be exempted",
      expect.stringMatching(/^staging\.state: a production-like workspace keeps its state in S3 with use_lockfile/),
    ]);
  });
});

describe("rules of the new fields", () => {
  test("a worker cannot route by host", () => {
    expect(
      retellProblems("production", (e) =>
        e.compute.services.push({
          name: "jobs",
          kind: "worker",
          image: "api",
          cpu: 256,
          memory: 512,
          desiredCount: 1,
          minCapacity: 1,
          maxCapacity: 1,
          hostHeaders: ["jobs.retellai-mvp.com"],
        }),
      ),
    ).toContain("production.compute.services[2].hostHeaders: a worker has no load balancer: drop hostHeaders");
  });

  test("host routing is refused behind CloudFront", () => {
    expect(retellProblems("production", (e) => (e.network.albIngress = "cloudfront"))).toContain(
      "production.compute.services[0].hostHeaders: cannot route by host behind CloudFront (albIngress \"cloudfront\"): CloudFront sends the origin's name (cdn.originDomainName) as Host, never the viewer's; route by pathPatterns",
    );
  });

  test("path patterns and host names together hold at most 5 condition values", () => {
    expect(
      retellProblems("production", (e) => {
        e.compute.services[1].pathPatterns = ["/a/*", "/b/*", "/c/*", "/d/*"];
        e.compute.services[1].hostHeaders = ["app.retellai-mvp.com", "www.retellai-mvp.com"];
      }),
    ).toContain(
      "production.compute.services[1].hostHeaders: a listener rule holds at most 5 condition values (ELB quota): pathPatterns (4) + hostHeaders (2) = 6",
    );
  });

  test("one host goes to one service unless paths tell them apart", () => {
    expect(
      retellProblems("production", (e) => (e.compute.services[1].hostHeaders = ["api.retellai-mvp.com"])),
    ).toContain(
      'production.compute.services[1].hostHeaders[0]: api.retellai-mvp.com already routes to web service "api": give both services pathPatterns, or one host to one service',
    );
  });

  test("a host listed twice in one service is refused", () => {
    expect(
      retellProblems(
        "production",
        (e) => (e.compute.services[1].hostHeaders = ["app.retellai-mvp.com", "app.retellai-mvp.com"]),
      ),
    ).toContain(
      "production.compute.services[1].hostHeaders[1]: app.retellai-mvp.com is listed twice (also at hostHeaders[0])",
    );
  });

  test("a host header must be a lowercase host name", () => {
    expect(
      retellProblems("production", (e) => (e.compute.services[0].hostHeaders = ["API.retellai-mvp.com"])),
    ).toContain(
      "production.compute.services[0].hostHeaders[0]: must be a lowercase host name such as api.example.com or *.example.com",
    );
  });

  test("a wildcard host is accepted", () => {
    expect(retellProblems("production", (e) => (e.compute.services[1].hostHeaders = ["*.retellai-mvp.com"]))).toEqual(
      [],
    );
  });

  test("a second web service with a host and no path has its listener rule", () => {
    expect(retellProblems("production", (e) => (e.compute.services[0].hostHeaders = []))).toEqual([]);
  });

  test("spotMix and spot: true are refused together", () => {
    expect(retellProblems("production", (e) => (e.compute.services[0].spot = true))).toContain(
      "production.compute.services[0].spotMix: choose spot: true (every task on Fargate Spot) or spotMix (an on-demand base, the rest split by weight), not both",
    );
  });

  test("a mix without any on-demand task is refused", () => {
    expect(
      retellProblems(
        "production",
        (e) => (e.compute.services[0].spotMix = { onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 }),
      ),
    ).toContain(
      "production.compute.services[0].spotMix: puts no task on on-demand Fargate (onDemandBase and onDemandWeight are 0): use spot: true, or give the mix an on-demand base",
    );
  });

  test("a mix needs some Spot weight", () => {
    expect(
      retellProblems("production", (e) => (e.compute.services[0].spotMix = { onDemandBase: 1, spotWeight: 0 })),
    ).toContain(
      "production.compute.services[0].spotMix.spotWeight: a mix needs some Spot: at least 1 (or drop spotMix)",
    );
  });

  test("a service alarm names a configured service", () => {
    expect(
      retellProblems("production", (e) => (e.monitoring.serviceAlarms = { worker: { cpuPercent: 80 } })),
    ).toContain('production.monitoring.serviceAlarms.worker: no service "worker" in compute.services (api, web)');
  });

  test("a latency alarm needs a web service", () => {
    expect(
      retellProblems("production", (e) => {
        e.compute.services.push({
          name: "jobs",
          kind: "worker",
          image: "api",
          cpu: 256,
          memory: 512,
          desiredCount: 1,
          minCapacity: 1,
          maxCapacity: 1,
        });
        e.monitoring.serviceAlarms = { jobs: { p95LatencyMs: 500 } };
      }),
    ).toContain(
      'production.monitoring.serviceAlarms.jobs.p95LatencyMs: "jobs" is a worker: no load balancer measures its response time',
    );
  });

  test("an error-rate widget names a web service: a worker has no target group counting its requests", () => {
    const problems = retellProblems("production", (e) => {
      e.compute.services.push({
        name: "jobs",
        kind: "worker",
        image: "api",
        cpu: 256,
        memory: 512,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 1,
      });
      e.monitoring.dashboard = { errorRateServices: ["jobs", "nope"] };
    });
    expect(problems).toContain(
      'production.monitoring.dashboard.errorRateServices[0]: "jobs" is a worker: no target group counts its requests and 5xx responses',
    );
    expect(problems).toContain(
      'production.monitoring.dashboard.errorRateServices[1]: no service "nope" in compute.services (api, web, jobs)',
    );
  });
});

test('every Retell dashboard has the guide\'s API error rate: 5xx over requests of the api target group (seed 003 "Métricas Principais")', () => {
  for (const ws of Object.keys(stacks)) {
    const body = resource(stacks[ws].modules.monitoring, "aws_cloudwatch_dashboard", "this").dashboard_body as string;
    const start = body.indexOf("api error rate (5xx / requests, %)");
    expect([ws, start]).not.toEqual([ws, -1]);
    const widget = body.slice(start, body.indexOf("type", start));
    for (const part of [
      '"HTTPCode_Target_5XX_Count"',
      '"RequestCount"',
      'var.target_group_arn_suffixes["api"]',
      "100 * FILL(errors, 0) / requests",
    ])
      expect([ws, part, widget.includes(part)]).toEqual([ws, part, true]);
    expect(stacks[ws].root.module.monitoring.target_group_arn_suffixes).toBeDefined();
  }
});
