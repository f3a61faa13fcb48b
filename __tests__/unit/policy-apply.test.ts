/**
 * The apply-time rules (tools/policy/apply-checks.ts) beyond their pass/fail fixtures: every rule
 * cites its page, and the fixed forms other parts of the platform ship (one-off tasks reading the
 * master secret, IP rules switched off behind CloudFront, header-checked listeners, per-node alarms)
 * pass, while the variants that still break do not.
 */
import { APPLY_CHECKS } from "../../tools/policy/apply-checks";
import { CHECKS, checkById } from "../../tools/policy/checks";
import { evaluatePolicy } from "../../tools/policy";
import { policyModel } from "../../tools/policy/model";
import { policyDoc } from "../../tools/docs";
import { replacementDigest } from "../../lib/constructs/replacement-name";
import { FIXTURES, fixtureStack, STRICT } from "../helpers/policy-fixtures";
import { productStacks, synthAll } from "../helpers/synth";
import { App, TerraformStack } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { counted, forEachOf } from "../../lib/core/module-stack";
import { MAX_CACHE_NODES, MAX_REPLICAS_PER_SHARD } from "../../modules/cache/config";
import { METRIC_QUERY_MULTIPLIERS } from "../../modules/monitoring/config";
import { PRODUCTS } from "../../environments";
import type { Json } from "../../tools/synthesized";

type Resources = Record<string, Record<string, Json>>;
const run = (id: string, resources: Resources, extra: Parameters<typeof fixtureStack>[2] = {}) =>
  evaluatePolicy(fixtureStack(resources, "production", extra), STRICT, [checkById(id)]).results[0];
const ref = (type: string, name: string, attr = "id") => `\${${type}.${name}.${attr}}`;

describe("apply-time rules", () => {
  test("are registered in the gate, in category apply, each citing at least one AWS or Terraform page", () => {
    expect(APPLY_CHECKS.length).toBeGreaterThanOrEqual(14);
    for (const c of APPLY_CHECKS) {
      expect(CHECKS).toContain(c);
      expect(c.category).toBe("apply");
      expect(c.sources?.length).toBeGreaterThan(0);
      // Datadog's own pages for the Datadog rules (datadog-checks.ts).
      for (const url of c.sources ?? [])
        expect(url).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|developer\.hashicorp\.com|docs\.datadoghq\.com)\//);
    }
  });

  test("docs/policy.md links each rule's pages", () => {
    const doc = policyDoc(synthAll().stacks);
    for (const c of APPLY_CHECKS) for (const url of c.sources ?? []) expect(doc).toContain(`](${url})`);
  });
});

describe("ecs-no-rds-managed-secret", () => {
  test("a one-off task definition no service runs may read the master secret (migrations, db bootstrap)", () => {
    const fail = FIXTURES["ecs-no-rds-managed-secret"].fail;
    const { aws_ecs_service: _service, ...oneOff } = fail;
    expect(run("ecs-no-rds-managed-secret", oneOff).status).toBe("n/a");
  });

  test("a literal ARN of an RDS-managed secret (rds!db-…) counts as the master secret", () => {
    const r = FIXTURES["ecs-no-rds-managed-secret"].pass;
    const td = JSON.parse(JSON.stringify(r.aws_ecs_task_definition));
    td.app.container_definitions = JSON.stringify([
      {
        name: "app",
        image: "x:1",
        secrets: [
          { name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:1:secret:rds!db-1234-abcd:password::" },
        ],
      },
    ]);
    expect(run("ecs-no-rds-managed-secret", { ...r, aws_ecs_task_definition: td }).status).toBe("failed");
  });
});

describe("cloudfront-origin-certificate-name", () => {
  test("the load balancer's DNS name passes when every behaviour forwards the viewer's Host header (AllViewer)", () => {
    const fail = FIXTURES["cloudfront-origin-certificate-name"].fail;
    const d = JSON.parse(JSON.stringify(fail.aws_cloudfront_distribution));
    d.d.default_cache_behavior.origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3";
    expect(run("cloudfront-origin-certificate-name", { ...fail, aws_cloudfront_distribution: d }).status).toBe(
      "passed",
    );
  });

  test("an http-only origin is not this rule's concern", () => {
    const fail = FIXTURES["cloudfront-origin-certificate-name"].fail;
    const d = JSON.parse(JSON.stringify(fail.aws_cloudfront_distribution));
    d.d.origin[0].custom_origin_config.origin_protocol_policy = "http-only";
    expect(run("cloudfront-origin-certificate-name", { ...fail, aws_cloudfront_distribution: d }).status).toBe(
      "passed",
    );
  });
});

describe("alb-cloudfront-origin-restricted", () => {
  const open = FIXTURES["alb-cloudfront-origin-restricted"].fail;
  const headerChecked = (condition: Json[]) => ({
    ...open,
    aws_lb_listener: {
      https: {
        load_balancer_arn: ref("aws_lb", "this", "arn"),
        port: 443,
        protocol: "HTTPS",
        default_action: [
          { type: "fixed-response", fixed_response: { status_code: "403", content_type: "text/plain" } },
        ],
      },
    },
    aws_lb_listener_rule: {
      app: {
        listener_arn: ref("aws_lb_listener", "https", "arn"),
        priority: 50000,
        action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group", "app", "arn") }],
        condition,
      },
    },
  });

  test("open to the internet passes when the listener answers 403 and forwards only requests with the origin header", () => {
    expect(
      run(
        "alb-cloudfront-origin-restricted",
        headerChecked([
          {
            http_header: {
              http_header_name: "X-Origin-Verify",
              values: ["${sensitive(terraform_data.origin_verify.output)}"],
            },
          },
        ]),
      ).status,
    ).toBe("passed");
  });

  test("a forwarding rule without an http_header condition fails", () => {
    expect(run("alb-cloudfront-origin-restricted", headerChecked([{ path_pattern: { values: ["/*"] } }])).status).toBe(
      "failed",
    );
  });

  test("a load balancer that is not a CloudFront origin is not looked at", () => {
    const { aws_cloudfront_distribution: _d, aws_wafv2_web_acl: _w, ...noCdn } = open;
    expect(run("alb-cloudfront-origin-restricted", noCdn).status).toBe("n/a");
  });
});

describe("waf-regional-behind-cloudfront", () => {
  const fail = FIXTURES["waf-regional-behind-cloudfront"].fail;

  /** The failing fixture with its regional ACL's dynamic IP rules created `forEach` times. */
  const ipRules = (forEach: number[]) => {
    const acls = structuredClone(fail.aws_wafv2_web_acl);
    for (const spec of acls.alb.dynamic.rule) spec.for_each = forEach;
    return { ...fail, aws_wafv2_web_acl: acls };
  };

  test("IP rules in a dynamic block switched off (for_each empty) pass: the fixed regional ACL behind CloudFront", () => {
    expect(run("waf-regional-behind-cloudfront", ipRules([])).status).toBe("passed");
  });

  test("the same block switched on fails", () => {
    expect(run("waf-regional-behind-cloudfront", ipRules([1])).status).toBe("failed");
  });

  test("a geo match without forwarded_ip_config and the IP reputation group fail", () => {
    const pass = FIXTURES["waf-regional-behind-cloudfront"].pass;
    const acl = (rule: Json) => ({
      ...pass,
      aws_wafv2_web_acl: { ...pass.aws_wafv2_web_acl, alb: { name: "alb", scope: "REGIONAL", rule: [rule] } },
    });
    expect(
      run(
        "waf-regional-behind-cloudfront",
        acl({
          name: "geo",
          statement: [{ not_statement: [{ statement: [{ geo_match_statement: [{ country_codes: ["BR"] }] }] }] }],
        }),
      ).status,
    ).toBe("failed");
    expect(
      run(
        "waf-regional-behind-cloudfront",
        acl({
          name: "rep",
          statement: [
            { managed_rule_group_statement: [{ name: "AWSManagedRulesAmazonIpReputationList", vendor_name: "AWS" }] },
          ],
        }),
      ).status,
    ).toBe("failed");
  });
});

describe("ecs-exec-writable-root", () => {
  test("a toolbox task definition (Purpose ecs-exec-toolbox) with a read-only root fails", () => {
    const pass = FIXTURES["ecs-exec-writable-root"].pass;
    const td = JSON.parse(JSON.stringify(pass.aws_ecs_task_definition));
    td.toolbox.container_definitions = JSON.stringify([
      { name: "toolbox", image: "busybox:1", readonlyRootFilesystem: true },
    ]);
    expect(run("ecs-exec-writable-root", { ...pass, aws_ecs_task_definition: td }).status).toBe("failed");
  });
});

describe("elasticache-alarm-any-primary", () => {
  const group = {
    aws_elasticache_replication_group: FIXTURES["elasticache-alarm-any-primary"].pass.aws_elasticache_replication_group,
  };
  const alarm = (extra: Json) => ({
    ...group,
    aws_cloudwatch_metric_alarm: {
      a: {
        alarm_name: "a",
        threshold: 1,
        evaluation_periods: 1,
        comparison_operator: "GreaterThanThreshold",
        ...extra,
      },
    },
  });

  test('a node pinned by format("%s-002", …) fails like a literal node id', () => {
    const r = run(
      "elasticache-alarm-any-primary",
      alarm({
        namespace: "AWS/ElastiCache",
        metric_name: "ReplicationLag",
        dimensions: { CacheClusterId: '${format("%s-002", var.group_id)}' },
        treat_missing_data: "breaching",
      }),
    );
    expect(r.status).toBe("failed");
  });

  test("one alarm per node on a role-independent metric passes", () => {
    const r = run(
      "elasticache-alarm-any-primary",
      alarm({
        namespace: "AWS/ElastiCache",
        metric_name: "DatabaseMemoryUsagePercentage",
        dimensions: { CacheClusterId: '${format("%s-%03d", var.group_id, count.index + 1)}' },
      }),
    );
    expect(r.status).toBe("passed");
  });

  test("ReplicationLag per node with missing data breaching fails: the primary publishes none", () => {
    const r = run(
      "elasticache-alarm-any-primary",
      alarm({
        namespace: "AWS/ElastiCache",
        metric_name: "ReplicationLag",
        dimensions: { CacheClusterId: '${format("%s-%03d", var.group_id, count.index + 1)}' },
        treat_missing_data: "breaching",
      }),
    );
    expect(r.status).toBe("failed");
  });
});

describe("unique-name-replacement", () => {
  test("a fixed name without create_before_destroy passes (destroy, then create)", () => {
    expect(run("unique-name-replacement", { aws_lb_target_group: { app: { name: "app", port: 80 } } }).status).toBe(
      "passed",
    );
  });
});

describe("the model", () => {
  test("a dynamic block whose for_each is empty is not in the workspace; a non-empty one is", () => {
    const model = (forEach: number[]) =>
      policyModel(
        fixtureStack({
          aws_wafv2_web_acl: {
            a: { scope: "REGIONAL", dynamic: { rule: [{ for_each: forEach, content: { name: "r" } }] } },
          },
        }),
      ).resources[0].dynamic;
    expect(model([])).toEqual({});
    expect(model([1])).toEqual({ rule: [{ name: "r" }] });
  });
});

describe("rds-backup-maintenance-windows", () => {
  test("a backup window under 30 minutes fails", () => {
    const r = run("rds-backup-maintenance-windows", {
      aws_db_instance: {
        db: { identifier: "db", backup_window: "03:00-03:20", maintenance_window: "sun:06:00-sun:07:00" },
      },
    });
    expect(r.failures[0].problem).toMatch(/shorter than 30 minutes/);
  });
});

describe("secret-name-reusable", () => {
  test("a switchable secret whose name ends in an apply-time suffix passes", () => {
    const r = run("secret-name-reusable", {
      aws_secretsmanager_secret: {
        auth: {
          name: "app/redis-auth-${terraform_data.suffix.output}",
          recovery_window_in_days: 30,
          count: "${var.auth ? 1 : 0}",
        },
      },
    });
    expect(r.status).toBe("passed");
  });

  test("secrets made per key of a map (for_each) are not a switch", () => {
    const r = run("secret-name-reusable", {
      aws_secretsmanager_secret: {
        app: { name: "app/${each.key}", recovery_window_in_days: 30, for_each: "${toset(var.names)}" },
      },
    });
    expect(r.status).toBe("passed");
  });
});

describe("ecr-immutable-fixed-tags", () => {
  test("a moving tag the repository excludes from immutability passes", () => {
    const fail = FIXTURES["ecr-immutable-fixed-tags"].fail;
    const repo = {
      app: {
        name: "app",
        image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION",
        image_tag_mutability_exclusion_filter: [{ filter: "lat*", filter_type: "WILDCARD" }],
      },
    };
    expect(run("ecr-immutable-fixed-tags", { ...fail, aws_ecr_repository: repo }).status).toBe("passed");
  });
});

test("unique-name-replacement accepts a type without name_prefix whose name ends with the digest of its replacement-forcing arguments", () => {
  const check = CHECKS.filter((c) => c.id === "unique-name-replacement");
  const group = (name: string) => ({
    aws_elasticache_parameter_group: {
      p: { name, family: "redis7", description: "d", lifecycle: { create_before_destroy: true } },
    },
  });
  expect(
    evaluatePolicy(fixtureStack(group(`g-redis7-${replacementDigest("redis7", "d")}`)), STRICT, check).results[0]
      .status,
  ).toBe("passed");
  expect(
    evaluatePolicy(fixtureStack(group(`g-redis7-${replacementDigest("redis7", "other")}`)), STRICT, check).results[0]
      .status,
  ).toBe("failed");
});

test("rds-backup-maintenance-windows reads a backup window that crosses midnight (it used to loop forever)", () => {
  const check = CHECKS.filter((c) => c.id === "rds-backup-maintenance-windows");
  const db = (backup: string, maintenance: string) => ({
    aws_db_instance: { db: { backup_window: backup, maintenance_window: maintenance } },
  });
  expect(evaluatePolicy(fixtureStack(db("23:30-00:30", "sun:06:00-sun:07:00")), STRICT, check).results[0].status).toBe(
    "passed",
  );
  expect(evaluatePolicy(fixtureStack(db("23:30-00:30", "mon:00:00-mon:01:00")), STRICT, check).results[0].status).toBe(
    "failed",
  );
});

describe("datadog-api-key-by-reference", () => {
  const pass = FIXTURES["datadog-api-key-by-reference"].pass;
  const withAgent = (agent: Json) => {
    const td = JSON.parse(JSON.stringify(pass.aws_ecs_task_definition));
    const defs = JSON.parse(td.app.container_definitions);
    td.app.container_definitions = JSON.stringify([defs[0], { ...defs[1], ...agent }]);
    return { ...pass, aws_ecs_task_definition: td };
  };

  test("a FireLens log option carrying the key as a value fails (Datadog's output plugin takes it through secretOptions)", () => {
    const r = run(
      "datadog-api-key-by-reference",
      withAgent({
        logConfiguration: { logDriver: "awsfirelens", options: { Name: "datadog", apikey: "0123456789abcdef" } },
      }),
    );
    expect(r.status).toBe("failed");
    expect(r.failures[0].problem).toContain("datadog-agent log option apikey");
  });

  test("any credential-named variable in an environment fails, not only DD_API_KEY (DD_APP_KEY)", () => {
    expect(
      run("datadog-api-key-by-reference", withAgent({ environment: [{ name: "DD_APP_KEY", value: "x" }] })).status,
    ).toBe("failed");
  });

  test("a Firehose HTTP endpoint with an access_key value fails; the Secrets Manager integration passes", () => {
    const fh = FIXTURES["firehose-http-endpoint-secure"].pass as Resources;
    expect(run("datadog-api-key-by-reference", fh).status).toBe("passed");
    const leaked = JSON.parse(JSON.stringify(fh));
    leaked.aws_kinesis_firehose_delivery_stream.datadog_logs.http_endpoint_configuration.access_key =
      "0123456789abcdef";
    expect(run("datadog-api-key-by-reference", leaked).status).toBe("failed");
  });
});

describe("firehose-http-endpoint-secure", () => {
  const pass = FIXTURES["firehose-http-endpoint-secure"].pass;
  const changed = (edit: (s: Json) => void) => {
    const copy = JSON.parse(JSON.stringify(pass));
    edit(copy.aws_kinesis_firehose_delivery_stream.datadog_logs);
    return copy;
  };

  test("a stream without server-side encryption fails", () => {
    expect(
      run(
        "firehose-http-endpoint-secure",
        changed((s) => delete s.server_side_encryption),
      ).status,
    ).toBe("failed");
  });

  test("encryption on a stream fed by a Kinesis data stream fails (Firehose refuses it)", () => {
    const r = run(
      "firehose-http-endpoint-secure",
      changed(
        (s) =>
          (s.kinesis_source_configuration = {
            kinesis_stream_arn: "arn:aws:kinesis:us-east-1:1:stream/x",
            role_arn: "r",
          }),
      ),
    );
    expect(r.failures[0].problem).toContain("Kinesis data stream");
  });

  test("a backup of failed records without a KMS key fails", () => {
    expect(
      run(
        "firehose-http-endpoint-secure",
        changed((s) => delete s.http_endpoint_configuration.s3_configuration.kms_key_arn),
      ).status,
    ).toBe("failed");
  });

  test("a stream to S3 (not an HTTP endpoint) is not this rule's concern", () => {
    const s3 = {
      aws_kinesis_firehose_delivery_stream: {
        s: {
          name: "s",
          destination: "extended_s3",
          extended_s3_configuration: { bucket_arn: "arn:aws:s3:::b", role_arn: "r" },
        },
      },
    };
    expect(run("firehose-http-endpoint-secure", s3).status).toBe("n/a");
  });
});

describe("fargate-task-size with the Datadog sidecar", () => {
  test("an agent and an X-Ray daemon reserving more than the task fails", () => {
    const agent = {
      name: "datadog-agent",
      image: "public.ecr.aws/datadog/agent:7.72.1",
      cpu: 1000,
      memoryReservation: 256,
      readonlyRootFilesystem: true,
    };
    const xray = {
      name: "xray-daemon",
      image: "public.ecr.aws/xray/aws-xray-daemon:3.3.14",
      cpu: 32,
      memoryReservation: 256,
      readonlyRootFilesystem: true,
    };
    const base = FIXTURES["fargate-task-size"].pass;
    const td = JSON.parse(JSON.stringify(base.aws_ecs_task_definition));
    td.app.container_definitions = JSON.stringify([...JSON.parse(td.app.container_definitions), xray, agent]);
    const r = run("fargate-task-size", { ...base, aws_ecs_task_definition: td });
    expect(r.status).toBe("failed");
    expect(r.failures[0].problem).toBe("containers reserve 1032 CPU units of the task's 1024");
  });
});

describe("counted-names-vary (D130)", () => {
  const alarm = (extra: Json) => ({
    aws_cloudwatch_metric_alarm: {
      a: { alarm_name: "app-redis-memory-high", metric_name: "DatabaseMemoryUsagePercentage", ...extra },
    },
  });

  test("a switch (cond ? 1 : 0, or a local defined that way) may keep a fixed name: it has at most one instance", () => {
    expect(run("counted-names-vary", alarm({ count: "${var.on ? 1 : 0}" })).status).toBe("n/a");
    expect(
      run("counted-names-vary", alarm({ count: "${local.one}" }), { locals: { one: "${var.on && var.x ? 1 : 0}" } })
        .status,
    ).toBe("n/a");
    expect(run("counted-names-vary", alarm({ count: "${local.many}" }), { locals: { many: "${var.n}" } }).status).toBe(
      "failed",
    );
  });

  test("for_each needs each.key or each.value in the name; count.index does not count there", () => {
    expect(
      run("counted-names-vary", alarm({ for_each: "${toset(var.services)}", alarm_name: "app-${each.key}-cpu" }))
        .status,
    ).toBe("passed");
    expect(
      run("counted-names-vary", alarm({ for_each: "${toset(var.services)}", alarm_name: "app-${count.index}-cpu" }))
        .status,
    ).toBe("failed");
  });

  test("arguments that name another resource (metric_name, parameter_group_name, a logging bucket) are not identity arguments", () => {
    const replica = {
      aws_db_instance: {
        replica: {
          count: "${var.n}",
          identifier: "db-replica-${count.index + 1}",
          parameter_group_name: "${aws_db_parameter_group.p.name}",
        },
      },
    };
    expect(run("counted-names-vary", replica).status).toBe("passed");
    expect(run("counted-names-vary", alarm({ count: "${var.n}", alarm_name: "a-${count.index}" })).status).toBe(
      "passed",
    );
    expect(
      run("counted-names-vary", {
        aws_s3_bucket_logging: {
          l: { for_each: "${var.buckets}", bucket: "${aws_s3_bucket.logs.id}", target_prefix: "${each.key}/" },
        },
      }).status,
    ).toBe("passed");
  });

  test("counted() refuses, at synthesis, an alarm whose count may exceed one and whose name does not vary", () => {
    const stack = new TerraformStack(new App(), "t");
    const make = (id: string, alarmName: string) =>
      new CloudwatchMetricAlarm(stack, id, {
        alarmName,
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 1,
      });
    expect(() => counted(make("fixed", "app-redis-memory-high"), "var.redis_nodes_per_shard")).toThrow(
      /alarm_name = "app-redis-memory-high" is the same for every instance of its count: vary it with count.index/,
    );
    expect(() =>
      counted(make("varied", "app-redis-memory-high-${count.index + 1}"), "var.redis_nodes_per_shard"),
    ).not.toThrow();
    expect(() => counted(make("switch", "app-redis-down"), "var.redis_nodes_per_shard > 1 ? 1 : 0")).not.toThrow();
    expect(() => forEachOf(make("each", "app-cpu"), "toset(var.services)")).toThrow(
      /vary it with each.key or each.value/,
    );
  });
});

describe("metric-math-alarm-limit (D131)", () => {
  const math = (forEach: unknown) => ({
    aws_cloudwatch_metric_alarm: {
      m: {
        alarm_name: "m",
        metric_query: [{ id: "e", expression: "MAX([a1])", return_data: true }],
        dynamic: { metric_query: [{ for_each: forEach, content: { id: "a${metric_query.value}" } }] },
      },
    },
  });

  test("a dynamic metric_query over a variable without a declared schema maximum fails: it cannot be bounded", () => {
    expect(run("metric-math-alarm-limit", math("${range(var.anything)}")).failures[0].problem).toMatch(
      /has no known maximum/,
    );
  });

  test("a literal list counts its length; 9 metrics and an expression are the most an alarm may send", () => {
    expect(run("metric-math-alarm-limit", math(Array.from({ length: 9 }, (_, i) => i))).status).toBe("passed");
    expect(run("metric-math-alarm-limit", math(Array.from({ length: 10 }, (_, i) => i))).failures[0].problem).toMatch(
      /up to 11 metric queries.*at most 10/,
    );
  });

  test("the monitoring module's node multiplier is the cache schema's largest shard (6 nodes), not today's node counts", () => {
    expect(METRIC_QUERY_MULTIPLIERS.redis_nodes_per_shard).toBe(Math.max(MAX_CACHE_NODES, MAX_REPLICAS_PER_SHARD + 1));
  });
});

test("every workspace of every product passes both structural rules: names vary under count/for_each, metric math fits at the schema maxima", () => {
  const failed: string[] = [];
  const looked = { "counted-names-vary": 0, "metric-math-alarm-limit": 0 } as Record<string, number>;
  for (const product of PRODUCTS) {
    const set = productStacks(product);
    for (const [ws, stack] of Object.entries(set.stacks)) {
      const r = evaluatePolicy(stack, STRICT, [checkById("counted-names-vary"), checkById("metric-math-alarm-limit")]);
      for (const x of r.results) for (const f of x.failures) failed.push(`${set.label(ws)} ${f.address}: ${f.problem}`);
      for (const x of r.results) looked[x.check.id] += x.evaluated;
    }
  }
  expect(failed).toEqual([]);
  expect(Object.values(looked).every((n) => n > 0)).toBe(true);
});
