/**
 * One passing and one failing fixture per apply-time rule (tools/policy/apply-checks.ts), in the
 * form of policy-fixtures.ts: the `resource` block of module `m`. The passing fixture is the form the
 * platform ships once fixed (e.g. a primary without manage_master_user_password, an origin host name
 * from a variable); the failing one differs in the one thing the rule is about.
 */
import type { Json } from "../../tools/synthesized";

type Resources = Record<string, Record<string, Json>>;
interface Fixture {
  readonly pass: Resources;
  readonly fail: Resources;
}

const ref = (type: string, name: string, attr = "id") => `\${${type}.${name}.${attr}}`;

// RDS ------------------------------------------------------------------------------------------
const primary = (extra: Json = {}) => ({
  identifier: "app-postgres",
  engine: "postgres",
  instance_class: "db.r6g.large",
  backup_retention_period: 7,
  backup_window: "03:00-04:00",
  maintenance_window: "sun:06:00-sun:07:00",
  ...extra,
});
const replicated = (extra: Json = {}) => ({
  aws_db_instance: {
    postgres: primary(extra),
    replica: {
      identifier: "app-postgres-replica-${count.index + 1}",
      replicate_source_db: ref("aws_db_instance", "postgres", "identifier"),
      instance_class: "db.r6g.large",
    },
  },
});

// ECS ------------------------------------------------------------------------------------------
const appContainer = (extra: Json = {}) => ({
  name: "app",
  image: "${aws_ecr_repository.app.repository_url}:v1",
  readonlyRootFilesystem: true,
  portMappings: [{ containerPort: 8000 }],
  ...extra,
});
const taskDef = (defs: Json[], extra: Json = {}) => ({
  container_definitions: JSON.stringify(defs),
  family: "app",
  network_mode: "awsvpc",
  requires_compatibilities: ["FARGATE"],
  cpu: 1024,
  memory: 2048,
  ...extra,
});
const service = (extra: Json = {}) => ({
  aws_ecs_service: {
    app: {
      name: "app",
      task_definition: ref("aws_ecs_task_definition", "app", "arn"),
      enable_execute_command: false,
      load_balancer: [
        { container_name: "app", container_port: 8000, target_group_arn: ref("aws_lb_target_group", "app", "arn") },
      ],
      ...extra,
    },
  },
  aws_lb_target_group: { app: { name_prefix: "app-", port: 8000, protocol: "HTTP", target_type: "ip" } },
});
const ecsApp = (c: Json = appContainer(), svc: Json = {}, extraTd: Json = {}) => ({
  ...service(svc),
  aws_ecr_repository: { app: { name: "app", image_tag_mutability: "IMMUTABLE" } },
  aws_ecs_task_definition: { app: taskDef([c], extraTd) },
});

/** A service with ECS Exec on, a writable task and a task role allowed `actions`; the cluster logs sessions to CloudWatch. */
const execRole = (actions: string[]) => ({
  ...ecsApp(
    appContainer({ readonlyRootFilesystem: false }),
    { enable_execute_command: true, cluster: ref("aws_ecs_cluster", "this", "arn") },
    { task_role_arn: ref("aws_iam_role", "task", "arn") },
  ),
  aws_ecs_cluster: {
    this: {
      name: "app",
      configuration: {
        execute_command_configuration: {
          logging: "OVERRIDE",
          log_configuration: {
            cloud_watch_encryption_enabled: true,
            cloud_watch_log_group_name: ref("aws_cloudwatch_log_group", "exec", "name"),
          },
        },
      },
    },
  },
  aws_iam_role: { task: { name: "app-task", assume_role_policy: "{}" } },
  aws_iam_role_policy: {
    task: {
      role: ref("aws_iam_role", "task"),
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }],
      }),
    },
  },
});

// Edge: ALB behind CloudFront ------------------------------------------------------------------
const albSg = (rules: Json) => ({
  aws_security_group: { alb: { name_prefix: "alb-", vpc_id: "vpc-1" } },
  aws_vpc_security_group_ingress_rule: rules,
});
const PREFIX_443 = {
  https_from_cloudfront: {
    security_group_id: ref("aws_security_group", "alb"),
    prefix_list_id: "pl-3b927c52",
    ip_protocol: "tcp",
    from_port: 443,
    to_port: 443,
  },
};
const WORLD_443 = {
  https: {
    security_group_id: ref("aws_security_group", "alb"),
    cidr_ipv4: "0.0.0.0/0",
    ip_protocol: "tcp",
    from_port: 443,
    to_port: 443,
  },
};
const alb = (extra: Resources = {}) => ({
  aws_lb: {
    this: {
      name: "app",
      load_balancer_type: "application",
      internal: false,
      security_groups: [ref("aws_security_group", "alb")],
    },
  },
  aws_lb_listener: {
    https: {
      load_balancer_arn: ref("aws_lb", "this", "arn"),
      port: 443,
      protocol: "HTTPS",
      default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group", "app", "arn") }],
    },
  },
  ...extra,
});
const cdn = (originExtra: Json = {}, behaviour: Json = {}) => ({
  aws_cloudfront_distribution: {
    d: {
      web_acl_id: ref("aws_wafv2_web_acl", "cdn", "arn"),
      origin: [
        {
          origin_id: "alb",
          domain_name: "origin.example.com",
          custom_origin_config: { origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] },
          ...originExtra,
        },
      ],
      default_cache_behavior: {
        target_origin_id: "alb",
        viewer_protocol_policy: "redirect-to-https",
        origin_request_policy_id: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        ...behaviour,
      },
    },
  },
  aws_wafv2_web_acl: { cdn: { name: "cdn", scope: "CLOUDFRONT", rule: [] } },
});
const regionalAcl = (rules: Json[]) => ({
  ...cdn(),
  ...alb(),
  ...albSg(PREFIX_443),
  aws_wafv2_web_acl: {
    cdn: { name: "cdn", scope: "CLOUDFRONT", rule: [] },
    alb: { name: "alb", scope: "REGIONAL", rule: rules },
  },
  aws_wafv2_web_acl_association: {
    alb: { resource_arn: ref("aws_lb", "this", "arn"), web_acl_arn: ref("aws_wafv2_web_acl", "alb", "arn") },
  },
});
const rateRule = (key: string, extra: Json = {}) => ({
  name: "rate",
  priority: 1,
  action: [{ block: [{}] }],
  statement: [{ rate_based_statement: [{ limit: 100, aggregate_key_type: key, ...extra }] }],
});

// ElastiCache ----------------------------------------------------------------------------------
const group = (extra: Json = {}) => ({
  replication_group_id: "app-redis",
  num_cache_clusters: 3,
  automatic_failover_enabled: true,
  multi_az_enabled: true,
  transit_encryption_enabled: true,
  auth_token: "${terraform_data.token.output}",
  snapshot_window: "03:00-04:00",
  maintenance_window: "sun:05:00-sun:06:00",
  ...extra,
});
const cacheMetric = (id: string, metric: string, node: string) => ({
  id,
  metric: {
    namespace: "AWS/ElastiCache",
    metric_name: metric,
    dimensions: { CacheClusterId: node },
    period: 300,
    stat: "Sum",
  },
});
const alarm = (extra: Json) => ({
  aws_elasticache_replication_group: { redis: group() },
  aws_cloudwatch_metric_alarm: {
    a: {
      alarm_name: "redis",
      comparison_operator: "GreaterThanThreshold",
      evaluation_periods: 2,
      threshold: 1,
      ...extra,
    },
  },
});
/** A per-node Redis alarm (count = nodes) named `name`. */
const nodeAlarm = (name: string) => ({
  alarm_name: name,
  count: "${var.redis_nodes_per_shard}",
  namespace: "AWS/ElastiCache",
  metric_name: "DatabaseMemoryUsagePercentage",
  dimensions: { CacheClusterId: '${format("%s-%03d", var.group, count.index + 1)}' },
  statistic: "Average",
  period: 300,
  evaluation_periods: 2,
  threshold: 80,
  comparison_operator: "GreaterThanThreshold",
});
/** A metric-math alarm: `expressions` expressions, and one metric per node for each name of `perNode`. */
const mathAlarm = (expressions: number, perNode: string[]) => ({
  alarm_name: "app-math",
  comparison_operator: "GreaterThanThreshold",
  evaluation_periods: 1,
  threshold: 1,
  metric_query: Array.from({ length: expressions }, (_, i) => ({ id: `e${i}`, expression: "1", return_data: i === 0 })),
  dynamic: {
    metric_query: perNode.map((p) => ({
      for_each: "${range(var.redis_nodes_per_shard)}",
      content: cacheMetric(
        `${p}\${metric_query.value + 1}`,
        "CacheHits",
        '${format("%s-%03d", var.group, metric_query.value + 1)}',
      ),
    })),
  },
});

// Storage --------------------------------------------------------------------------------------
const logBucket = (algorithm: string) => ({
  aws_lb: {
    this: {
      name: "app",
      load_balancer_type: "application",
      access_logs: { bucket: ref("aws_s3_bucket", "logs", "bucket"), enabled: true, prefix: "alb" },
    },
  },
  aws_s3_bucket: { logs: { bucket: "app-logs" } },
  aws_s3_bucket_server_side_encryption_configuration: {
    logs: {
      bucket: ref("aws_s3_bucket", "logs"),
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: algorithm } }],
    },
  },
});

// Datadog ---------------------------------------------------------------------------------------
const ddAgent = (extra: Json = {}) => ({
  name: "datadog-agent",
  image: "public.ecr.aws/datadog/agent:7.72.1",
  essential: false,
  cpu: 128,
  memoryReservation: 256,
  readonlyRootFilesystem: true,
  environment: [
    { name: "ECS_FARGATE", value: "true" },
    { name: "DD_SITE", value: "datadoghq.com" },
  ],
  secrets: [{ name: "DD_API_KEY", valueFrom: "${aws_secretsmanager_secret.datadog_api_key.arn}:api_key::" }],
  ...extra,
});
const ddTask = (agent: Json) => ({ ...ecsApp(), aws_ecs_task_definition: { app: taskDef([appContainer(), agent]) } });
const firehose = (http: Json = {}, extra: Json = {}) => ({
  aws_kinesis_firehose_delivery_stream: {
    datadog_logs: {
      name: "app-datadog-logs",
      destination: "http_endpoint",
      server_side_encryption: { enabled: true, key_type: "AWS_OWNED_CMK" },
      http_endpoint_configuration: {
        url: "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input",
        role_arn: ref("aws_iam_role", "firehose", "arn"),
        s3_backup_mode: "FailedDataOnly",
        secrets_manager_configuration: {
          enabled: true,
          secret_arn: ref("aws_secretsmanager_secret", "datadog_api_key", "arn"),
          role_arn: ref("aws_iam_role", "firehose", "arn"),
        },
        s3_configuration: {
          role_arn: ref("aws_iam_role", "firehose", "arn"),
          bucket_arn: "arn:aws:s3:::app-logs",
          kms_key_arn: ref("aws_kms_key", "data", "arn"),
        },
        ...http,
      },
      ...extra,
    },
  },
});

/** Fixtures of the ordering rules (tools/policy/ordering.ts): the same resources, with and without the edge. */
const ecsService = (dependsOn: string[]) => ({
  aws_ecs_cluster_capacity_providers: { this: { cluster_name: "c", capacity_providers: ["FARGATE"] } },
  aws_ecs_service: {
    app: {
      name: "app",
      cluster: "c",
      capacity_provider_strategy: [{ capacity_provider: "FARGATE", weight: 1 }],
      depends_on: dependsOn,
    },
  },
});
const natInstance = (dependsOn: string[]) => ({
  aws_route: {
    public_internet: {
      route_table_id: "rt",
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: "${aws_internet_gateway.this[0].id}",
    },
  },
  aws_route_table_association: { public: { subnet_id: "s", route_table_id: "rt" } },
  aws_instance: {
    nat: { ami: "ami-1", user_data: "#!/bin/bash\ndnf install -y iptables-services", depends_on: dependsOn },
  },
});
const replication = (dependsOn: string[]) => ({
  aws_s3_bucket: { src: { bucket: "src" }, dst: { bucket: "dst" } },
  aws_s3_bucket_versioning: { src: { bucket: "${aws_s3_bucket.src.id}" }, dst: { bucket: "${aws_s3_bucket.dst.id}" } },
  aws_s3_bucket_replication_configuration: {
    src: { bucket: "${aws_s3_bucket.src.id}", role: "r", rule: [], depends_on: dependsOn },
  },
});

export const APPLY_FIXTURES: Record<string, Fixture> = {
  "order-ecs-service-capacity-providers": {
    pass: ecsService(["aws_ecs_cluster_capacity_providers.this"]),
    fail: ecsService([]),
  },
  "order-instance-boot-egress": {
    pass: natInstance(["aws_route.public_internet", "aws_route_table_association.public"]),
    fail: natInstance(["aws_route_table_association.public"]),
  },
  "order-replication-after-versioning": {
    pass: replication(["aws_s3_bucket_versioning.src", "aws_s3_bucket_versioning.dst"]),
    fail: replication(["aws_s3_bucket_versioning.dst"]),
  },
  "datadog-api-key-by-reference": {
    pass: ddTask(ddAgent()),
    fail: ddTask(
      ddAgent({
        environment: [
          { name: "ECS_FARGATE", value: "true" },
          { name: "DD_API_KEY", value: "0123456789abcdef0123456789abcdef" },
        ],
        secrets: [],
      }),
    ),
  },
  "firehose-http-endpoint-secure": {
    pass: firehose(),
    fail: firehose({ url: "http://aws-kinesis-http-intake.logs.datadoghq.com/v1/input" }),
  },
  "rds-replica-source-password": { pass: replicated(), fail: replicated({ manage_master_user_password: true }) },
  "rds-replica-source-backups": { pass: replicated(), fail: replicated({ backup_retention_period: 0 }) },
  "ecs-no-rds-managed-secret": {
    pass: ecsApp(
      appContainer({
        secrets: [{ name: "DB_PASSWORD", valueFrom: "${aws_secretsmanager_secret.db_app.arn}:password::" }],
      }),
    ),
    fail: ecsApp(
      appContainer({
        secrets: [
          { name: "DB_PASSWORD", valueFrom: "${aws_db_instance.postgres.master_user_secret[0].secret_arn}:password::" },
        ],
      }),
    ),
  },
  "cloudfront-origin-certificate-name": { pass: cdn(), fail: cdn({ domain_name: "${aws_lb.this.dns_name}" }) },
  "alb-cloudfront-origin-restricted": {
    pass: { ...cdn(), ...alb(), ...albSg(PREFIX_443) },
    fail: { ...cdn(), ...alb(), ...albSg(WORLD_443) },
  },
  "waf-regional-behind-cloudfront": {
    pass: regionalAcl([
      rateRule("FORWARDED_IP", {
        forwarded_ip_config: [{ header_name: "X-Forwarded-For", fallback_behavior: "MATCH" }],
      }),
      {
        name: "common",
        priority: 2,
        statement: [{ managed_rule_group_statement: [{ name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" }] }],
      },
    ]),
    fail: {
      ...regionalAcl([]),
      aws_wafv2_web_acl: {
        cdn: { name: "cdn", scope: "CLOUDFRONT", rule: [] },
        alb: {
          name: "alb",
          scope: "REGIONAL",
          rule: [],
          dynamic: { rule: [{ for_each: "${var.ip_rules ? [1] : []}", content: rateRule("IP") }] },
        },
      },
    },
  },
  "ecs-exec-writable-root": {
    pass: {
      ...ecsApp(appContainer(), { enable_execute_command: false }),
      aws_ecs_task_definition: {
        app: taskDef([appContainer()]),
        toolbox: taskDef([{ name: "toolbox", image: "busybox:1", readonlyRootFilesystem: false }], {
          tags: { Purpose: "ecs-exec-toolbox" },
        }),
      },
    },
    fail: ecsApp(appContainer(), { enable_execute_command: true }),
  },
  "ecs-exec-permissions": {
    pass: execRole([
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
      "logs:DescribeLogGroups",
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]),
    fail: execRole(["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "logs:*"]),
  },
  "counted-names-vary": {
    pass: {
      aws_cloudwatch_metric_alarm: {
        mem: nodeAlarm('${var.alarm_prefix}-redis-memory-high-${format("%03d", count.index + 1)}'),
      },
      aws_security_group: { nat: { name_prefix: "nat-", count: "${var.on ? 1 : 0}" } },
    },
    fail: { aws_cloudwatch_metric_alarm: { mem: nodeAlarm("${var.alarm_prefix}-redis-memory-high") } },
  },
  "metric-math-alarm-limit": {
    pass: { aws_cloudwatch_metric_alarm: { down: mathAlarm(1, ["lag"]) } },
    // The old cache_miss_high: 3 expressions + CacheHits and CacheMisses of every node (12 at 6 nodes).
    fail: { aws_cloudwatch_metric_alarm: { miss: mathAlarm(3, ["hits", "misses"]) } },
  },
  "elasticache-alarm-any-primary": {
    pass: alarm({
      treat_missing_data: "notBreaching",
      metric_query: [
        { id: "hits", expression: "h1 + h2 + h3", return_data: true },
        cacheMetric("h1", "CacheHits", "app-redis-001"),
        cacheMetric("h2", "CacheHits", "app-redis-002"),
        cacheMetric("h3", "CacheHits", "app-redis-003"),
      ],
    }),
    fail: alarm({
      namespace: "AWS/ElastiCache",
      metric_name: "ReplicationLag",
      dimensions: { CacheClusterId: "app-redis-002" },
      statistic: "Maximum",
      period: 60,
      treat_missing_data: "breaching",
    }),
  },
  "unique-name-replacement": {
    pass: {
      aws_security_group: { app: { name_prefix: "app-", vpc_id: "vpc-1", lifecycle: { create_before_destroy: true } } },
      aws_db_parameter_group: { p: { name: "app-postgres15", family: "postgres15" } },
    },
    fail: { aws_security_group: { app: { name: "app", vpc_id: "vpc-1", lifecycle: { create_before_destroy: true } } } },
  },
  "alb-name-limits": {
    pass: {
      aws_lb: { this: { name: "eduautismo-ia-production" } },
      aws_lb_target_group: { app: { name_prefix: "app-" } },
    },
    fail: {
      aws_lb: { this: { name: "eduautismo-ia-production" } },
      aws_lb_target_group: { app: { name: "eduautismo-ia-production-app-blue" } },
    },
  },
  "elasticache-id-limits": {
    pass: {
      aws_elasticache_replication_group: { redis: group({ replication_group_id: "eduautismo-ia-production-redis" }) },
    },
    fail: {
      aws_elasticache_replication_group: {
        redis: group({ replication_group_id: "eduautismo-ia-production-redis-sessions-cache" }),
      },
    },
  },
  "rds-name-limits": {
    pass: replicated(),
    fail: { aws_db_instance: { postgres: primary({ identifier: "app--postgres" }) } },
  },
  "iam-name-limits": {
    pass: { aws_iam_role: { r: { name: "eduautismo-ia-production-ecs-execution", assume_role_policy: "{}" } } },
    fail: {
      aws_iam_role: {
        r: { name: "eduautismo-ia-production-ecs-task-execution-role-for-the-application", assume_role_policy: "{}" },
      },
    },
  },
  "s3-bucket-name-rules": {
    pass: { aws_s3_bucket: { b: { bucket: "eduautismo-production-logs" } } },
    fail: { aws_s3_bucket: { b: { bucket: "EduAutismo_Production_Logs" } } },
  },
  "waf-log-destination-name": {
    pass: {
      aws_cloudwatch_log_group: { waf: { name: "aws-waf-logs-app" } },
      aws_wafv2_web_acl_logging_configuration: {
        a: {
          resource_arn: ref("aws_wafv2_web_acl", "a", "arn"),
          log_destination_configs: [ref("aws_cloudwatch_log_group", "waf", "arn")],
        },
      },
    },
    fail: {
      aws_cloudwatch_log_group: { waf: { name: "/waf/app" } },
      aws_wafv2_web_acl_logging_configuration: {
        a: {
          resource_arn: ref("aws_wafv2_web_acl", "a", "arn"),
          log_destination_configs: [ref("aws_cloudwatch_log_group", "waf", "arn")],
        },
      },
    },
  },
  "secrets-recovery-window": {
    pass: {
      aws_secretsmanager_secret: {
        a: { name: "a", recovery_window_in_days: 0 },
        b: { name: "b", recovery_window_in_days: 30 },
      },
    },
    fail: { aws_secretsmanager_secret: { a: { name: "a", recovery_window_in_days: 3 } } },
  },
  "secret-name-reusable": {
    pass: {
      aws_secretsmanager_secret: {
        auth: { name: "app/redis-auth", recovery_window_in_days: 0, count: "${var.auth ? 1 : 0}" },
        app: { name: "app/openai-api-key", recovery_window_in_days: 30 },
      },
    },
    fail: {
      aws_secretsmanager_secret: {
        auth: { name: "app/redis-auth", recovery_window_in_days: 30, count: "${var.auth ? 1 : 0}" },
      },
    },
  },
  "elasticache-auth-needs-tls": {
    pass: { aws_elasticache_replication_group: { redis: group() } },
    fail: { aws_elasticache_replication_group: { redis: group({ transit_encryption_enabled: false }) } },
  },
  "elasticache-failover-consistent": {
    pass: {
      aws_elasticache_replication_group: {
        redis: group(),
        dev: group({
          replication_group_id: "dev-redis",
          num_cache_clusters: 1,
          automatic_failover_enabled: false,
          multi_az_enabled: false,
        }),
      },
    },
    fail: { aws_elasticache_replication_group: { redis: group({ automatic_failover_enabled: false }) } },
  },
  "alb-log-bucket-sse-s3": { pass: logBucket("AES256"), fail: logBucket("aws:kms") },
  "fargate-task-size": { pass: ecsApp(), fail: ecsApp(appContainer(), {}, { cpu: 1024, memory: 1024 }) },
  "ecr-immutable-fixed-tags": {
    pass: ecsApp(),
    fail: ecsApp(appContainer({ image: "${aws_ecr_repository.app.repository_url}:latest" })),
  },
  "sg-rules-quota": {
    pass: albSg(PREFIX_443),
    fail: albSg({
      ...PREFIX_443,
      http_from_cloudfront: { ...PREFIX_443.https_from_cloudfront, from_port: 80, to_port: 80 },
    }),
  },
  "cloudfront-alias-certificate": {
    pass: cdn(),
    fail: {
      ...cdn(),
      aws_cloudfront_distribution: {
        d: {
          ...cdn().aws_cloudfront_distribution.d,
          aliases: ["app.example.com"],
          viewer_certificate: {
            acm_certificate_arn: "arn:aws:acm:sa-east-1:111111111111:certificate/abc",
            ssl_support_method: "sni-only",
          },
        },
      },
    },
  },
  "waf-acl-scope": {
    pass: regionalAcl([]),
    fail: {
      ...regionalAcl([]),
      aws_wafv2_web_acl_association: {
        alb: { resource_arn: ref("aws_lb", "this", "arn"), web_acl_arn: ref("aws_wafv2_web_acl", "cdn", "arn") },
      },
    },
  },
  "rds-backup-maintenance-windows": {
    pass: { aws_db_instance: { postgres: primary() } },
    fail: { aws_db_instance: { postgres: primary({ backup_window: "06:30-07:30" }) } },
  },
  "rds-performance-insights-retention": {
    pass: {
      aws_db_instance: {
        postgres: primary({ performance_insights_enabled: true, performance_insights_retention_period: 93 }),
      },
    },
    fail: {
      aws_db_instance: {
        postgres: primary({ performance_insights_enabled: true, performance_insights_retention_period: 30 }),
      },
    },
  },
  "log-retention-values": {
    pass: { aws_cloudwatch_log_group: { g: { name: "/ecs/app", retention_in_days: 90 } } },
    fail: { aws_cloudwatch_log_group: { g: { name: "/ecs/app", retention_in_days: 45 } } },
  },
  "ecs-service-load-balancer": {
    pass: ecsApp(),
    fail: ecsApp(appContainer({ portMappings: [{ containerPort: 8080 }] })),
  },
};
