import { problems } from "../helpers/config";
import { containerDefs, documentOf, inputs, resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { buildWorkspace, synthWorkspace } from "../helpers/workspace-fixture";
import { PLACEHOLDER_IMAGE_TAG, TOOLBOX_IMAGE } from "../../modules/compute/config";
import { PLACEHOLDER_TAG_WARNING, TOOLBOX_LIFETIME_SECONDS, TOOLBOX_PURPOSE } from "../../modules/compute";
import { runTaskCommand } from "../../modules/compute/run-task";

const { stacks } = synthAll();
const compute = (ws = "production"): Json => stacks[ws].modules.compute;
const containers = (ws = "production") => containerDefs(compute(ws), "app");
/** Each container's environment (or secrets): name → value (or valueFrom), across the task's containers. */
const pairs = (defs: Json[], key: "environment" | "secrets"): Json[] => defs.flatMap((c) => c[key] ?? []);
const envNames = (defs: Json[]) => pairs(defs, "environment").map((e) => e.name as string);
const secretNames = (defs: Json[]) => pairs(defs, "secrets").map((e) => e.name as string);
const secretsOf = (defs: Json[]) => Object.fromEntries(pairs(defs, "secrets").map((e) => [e.name, e.valueFrom]));
const statements = (type: string, name: string, ws = "production") =>
  JSON.parse(resource(compute(ws), type, name).policy).Statement as Json[];

describe("cluster and registry", () => {
  test("the cluster is named <project>-<env> (seed 000 §5.3) and offers Fargate and Fargate Spot", () => {
    expect(resource(compute(), "aws_ecs_cluster", "this").name).toBe("${var.name}");
    expect(resource(compute(), "aws_ecs_cluster_capacity_providers", "this").capacity_providers).toEqual([
      "FARGATE",
      "FARGATE_SPOT",
    ]);
  });

  test("ECR scans on push, refuses tag overwrites, encrypts with the data key and expires old images", () => {
    expect(resource(compute(), "aws_ecr_repository", "app")).toMatchObject({
      name: "${var.name}-app",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: "${var.data_kms_key_arn}" }],
    });
    const [rule] = documentOf(compute(), "aws_ecr_lifecycle_policy", "app", "policy").rules;
    expect(rule.selection).toMatchObject({ countType: "imageCountMoreThan", countNumber: "${var.keep_images}" });
  });

  // The seed's days per environment (7/30/90, seed 000 §4) are a seed-fidelity test (guide-gaps.test.ts).
  test("logs go to /ecs/<name>, encrypted with the logs key", () => {
    expect(resource(compute(), "aws_cloudwatch_log_group", "app")).toMatchObject({
      name: "/ecs/${var.name}",
      kms_key_id: "${var.logs_kms_key_arn}",
    });
  });
});

describe("task definition of the app", () => {
  test("runs container app from the module's ECR repository at the app_image_tag knob", () => {
    expect(containers()[0]).toMatchObject({
      name: "app",
      image: "${aws_ecr_repository.app.repository_url}:${var.app_image_tag}",
    });
  });

  test("has a read-only root filesystem with a writable /tmp volume, and no privileged mode", () => {
    const [app, ...sidecars] = containers();
    expect(app).toMatchObject({ readonlyRootFilesystem: true, privileged: false });
    expect(app.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    for (const c of sidecars) expect(c.privileged).not.toBe(true);
    expect(resource(compute(), "aws_ecs_task_definition", "app").volume).toEqual([{ name: "tmp" }]);
  });

  test("sizes the task from the app_cpu and app_memory knobs", () => {
    expect(resource(compute(), "aws_ecs_task_definition", "app")).toMatchObject({
      cpu: "${var.app_cpu}",
      memory: "${var.app_memory}",
      network_mode: "awsvpc",
      requires_compatibilities: ["FARGATE"],
    });
  });

  test("carries the MVP 3.0 environment of seed 000 §3.2", () => {
    expect(envNames(containers())).toEqual(
      expect.arrayContaining([
        "REDIS_URL",
        "REDIS_HOST",
        "REDIS_PORT",
        "ENABLE_MULTIDISCIPLINARY",
        "MAX_DISCIPLINES",
        "MAX_GRADE_LEVELS",
        "BNCC_CACHE_TTL",
        "NLP_CACHE_TTL",
      ]),
    );
    const env = Object.fromEntries(pairs(containers(), "environment").map((e) => [e.name, e.value]));
    expect(env.MAX_DISCIPLINES).toBe("25");
    expect(env.BNCC_CACHE_TTL).toBe("${tostring(var.bncc_cache_ttl)}");
  });

  test("puts nothing secret in the plain environment", () => {
    for (const ws of Object.keys(stacks))
      expect(envNames(containers(ws)).filter((n) => /PASSWORD|TOKEN|SECRET|API_KEY|USERNAME/.test(n))).toEqual([]);
  });

  test("reads the database credentials from the application user's secret by JSON key", () => {
    expect(secretsOf(containers())).toMatchObject({
      DB_USERNAME: "${var.db_app_secret_arn}:username::",
      DB_PASSWORD: "${var.db_app_secret_arn}:password::",
    });
    expect(stacks.production.root.module.compute.db_app_secret_arn).toBe("${module.database.db_app_secret_arn}");
  });

  test("never references the master secret, in any workspace", () => {
    for (const ws of Object.keys(stacks)) expect(JSON.stringify(containers(ws))).not.toContain("db_master_secret_arn");
  });

  test("reads the Redis AUTH token from its secret where AUTH is on, and app secrets by ARN", () => {
    expect(secretNames(containers("production"))).toEqual([
      "DB_USERNAME",
      "DB_PASSWORD",
      "REDIS_AUTH_TOKEN",
      "OPENAI_API_KEY",
      "JWT_SECRET_KEY",
    ]);
    expect(secretNames(containers("dev"))).toEqual([
      "DB_USERNAME",
      "DB_PASSWORD",
      "REDIS_AUTH_TOKEN",
      "OPENAI_API_KEY",
      "JWT_SECRET_KEY",
    ]);
  });

  test("production adds the X-Ray daemon sidecar (seed 001)", () => {
    expect(containers("production").map((c) => c.name)).toContain("xray-daemon");
    expect(containers("dev").map((c) => c.name)).not.toContain("xray-daemon");
  });

  test("without a cache the containers get no REDIS_* variables (seed 000 §7.3)", () => {
    const all = inputs();
    all.production.cache = { ...all.production.cache, enabled: false, allowDestroy: true };
    const defs = containerDefs(buildWorkspace("production", all.production).modules.compute, "app");
    expect(envNames(defs).filter((n) => n.startsWith("REDIS"))).toEqual([]);
    expect(secretNames(defs)).not.toContain("REDIS_AUTH_TOKEN");
    expect(envNames(defs)).toContain("BNCC_CACHE_TTL");
  });

  test("the migrations task logs in as master (it owns the schema)", () => {
    const defs = containerDefs(compute(), "migrations");
    expect(secretsOf(defs)).toMatchObject({
      DB_USERNAME: "${var.db_master_secret_arn}:username::",
      DB_PASSWORD: "${var.db_master_secret_arn}:password::",
    });
    expect(JSON.stringify(defs)).not.toContain("db_app_secret_arn");
    expect(stacks.production.root.module.compute.db_master_secret_arn).toBe(
      "${module.database.db_master_user_secret_arn}",
    );
  });

  test("the migrations task runs the same image with the migration command", () => {
    const td = resource(compute(), "aws_ecs_task_definition", "migrations");
    expect(td.family).toBe("${var.name}-migrations");
    const [app] = containerDefs(compute(), "migrations");
    expect(app.command).toEqual(["alembic", "upgrade", "head"]);
    expect(app.image).toBe(containers()[0].image);
  });
});

describe("IAM", () => {
  test("no statement of the task or execution role allows a wildcard action", () => {
    for (const [type, name] of [
      ["aws_iam_role_policy", "execution"],
      ["aws_iam_role_policy", "task"],
    ]) {
      for (const s of statements(type, name)) for (const a of [s.Action].flat()) expect(a).not.toMatch(/^\*$|:\*$/);
    }
  });

  test("Resource * is used only by actions that have no resource-level permissions", () => {
    const star = [...statements("aws_iam_role_policy", "execution"), ...statements("aws_iam_role_policy", "task")]
      .filter((s) => s.Resource === "*")
      .flatMap((s) => [s.Action].flat());
    expect(
      star.every((a) =>
        /^(ecr:GetAuthorizationToken|ssmmessages:|logs:DescribeLogGroups|xray:|cloudwatch:PutMetricData)/.test(a),
      ),
    ).toBe(true);
  });

  test("the app may publish custom metrics only under the eduautismo/ namespaces (seed 001)", () => {
    const put = statements("aws_iam_role_policy", "task").find((s) => s.Sid === "PublishAppMetrics") as Json;
    expect(put).toMatchObject({
      Action: "cloudwatch:PutMetricData",
      Condition: { StringLike: { "cloudwatch:namespace": "eduautismo/*" } },
    });
  });

  test("the execution role reads only the task's secrets", () => {
    const read = statements("aws_iam_role_policy", "execution").find((s) => s.Sid === "ReadTaskSecrets") as Json;
    expect(read.Resource).toEqual([
      "${var.db_app_secret_arn}",
      "${var.db_master_secret_arn}",
      "${var.redis_auth_secret_arn}",
      "${var.secret_arns.openai-api-key}",
      "${var.secret_arns.jwt-secret-key}",
    ]);
  });

  test("the task role reads and writes uploads and exports, and only reads ml-models and bncc-data", () => {
    const s = statements("aws_iam_role_policy", "task");
    const writes = s.filter((x) => [x.Action].flat().includes("s3:PutObject")).map((x) => x.Resource);
    expect(writes).toEqual(["${var.uploads_bucket_arn}/*", "${var.exports_bucket_arn}/*"]);
  });

  test("both roles are named <name>-ecs-*, the only roles the deploy role may pass", () => {
    expect(resource(compute(), "aws_iam_role", "execution").name).toBe("${var.name}-ecs-execution");
    expect(resource(compute(), "aws_iam_role", "task").name).toBe("${var.name}-ecs-task");
  });
});

describe("service", () => {
  const svc = () => resource(compute(), "aws_ecs_service", "app");

  test("is named <name>-app (seed 000 §5.3) and runs in private subnets without public IPs", () => {
    expect(svc()).toMatchObject({
      name: "${var.name}-app",
      network_configuration: {
        subnets: "${var.private_subnet_ids}",
        security_groups: ["${var.app_security_group_id}"],
        assign_public_ip: false,
      },
    });
  });

  test("rolls updates with zero downtime and rolls back failed deployments", () => {
    expect(svc()).toMatchObject({
      deployment_circuit_breaker: { enable: true, rollback: true },
      deployment_minimum_healthy_percent: 100,
      deployment_maximum_percent: 200,
    });
  });

  test("has no ECS Exec (it needs a writable root; operators use the toolbox task) and leaves the count to autoscaling after creation", () => {
    expect(svc()).toMatchObject({
      enable_execute_command: false,
      desired_count: "${local.serving ? var.app_desired_count : 0}",
      lifecycle: { ignore_changes: ["desired_count"] },
    });
  });

  test("scales on CPU 70% and memory 80%, and on requests per target in production", () => {
    const policies = resourcesOf(compute(), "aws_appautoscaling_policy");
    expect(policies.app_cpu.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 70,
      predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
    });
    expect(policies.app_memory.target_tracking_scaling_policy_configuration.target_value).toBe(80);
    expect(policies.app_requests).toBeDefined();
    expect(resourcesOf(compute("dev"), "aws_appautoscaling_policy").app_requests).toBeUndefined();
  });
});

describe("load balancer", () => {
  test("is internet-facing in the public subnets and drops invalid headers", () => {
    expect(resource(compute(), "aws_lb", "this")).toMatchObject({
      internal: false,
      subnets: "${var.public_subnet_ids}",
      drop_invalid_header_fields: true,
    });
  });

  test("health-checks /health on ip targets", () => {
    expect(resource(compute(), "aws_lb_target_group", "app")).toMatchObject({
      target_type: "ip",
      health_check: { path: "/health", matcher: "200" },
    });
  });

  test("with a certificate, HTTP redirects to HTTPS and HTTPS uses a TLS 1.2/1.3 policy", () => {
    expect(resource(compute(), "aws_lb_listener", "http").default_action[0]).toMatchObject({
      type: "redirect",
      redirect: { protocol: "HTTPS", port: "443" },
    });
    expect(resource(compute(), "aws_lb_listener", "https")).toMatchObject({
      protocol: "HTTPS",
      ssl_policy: "${var.tls_policy}",
      certificate_arn: "${var.certificate_arn}",
    });
    expect(stacks.production.root.module.compute.tls_policy).toMatch(/^ELBSecurityPolicy-TLS13-1-2-/);
  });

  test("without a certificate (dev), HTTP forwards to the app", () => {
    expect(resource(compute("dev"), "aws_lb_listener", "http").default_action[0]).toMatchObject({
      type: "forward",
      target_group_arn: "${aws_lb_target_group.app.arn}",
    });
    expect(resourcesOf(compute("dev"), "aws_lb_listener").https).toBeUndefined();
  });

  test("is protected by the regional web ACL when WAF is on", () => {
    expect(resource(compute(), "aws_wafv2_web_acl_association", "this")).toMatchObject({
      count: "${var.enable_waf ? 1 : 0}",
      web_acl_arn: "${var.web_acl_arn}",
    });
    expect(stacks.production.root.module.compute.enable_waf).toBe(true);
  });
});

describe("services as a list (seeds 002, 003)", () => {
  const all = inputs();
  all.production.compute = {
    ...all.production.compute,
    services: [
      ...all.production.compute.services,
      {
        name: "web",
        cpu: 256,
        memory: 512,
        desiredCount: 2,
        minCapacity: 2,
        maxCapacity: 6,
        port: 8000,
        pathPatterns: ["/app/*"],
        spot: true,
      },
      {
        name: "worker",
        kind: "worker",
        cpu: 512,
        memory: 1024,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 3,
        command: ["node", "worker.js"],
      },
    ],
  };
  const production = buildWorkspace("production", all.production);
  const c = production.modules.compute;

  test("a second web service gets its own target group and a listener rule", () => {
    expect(resource(c, "aws_lb_target_group", "web").port).toBe(8000);
    expect(resource(c, "aws_lb_listener_rule", "web").condition).toEqual([
      { path_pattern: { values: ["/app/*"] } },
      {
        http_header: {
          http_header_name: "X-Origin-Verify",
          values: ["${sensitive(terraform_data.origin_verify.output)}"],
        },
      },
    ]);
  });

  test("a web service on another port than the first is refused: the network opens the load balancer one port to the tasks", () => {
    expect(
      problems("production", (e) =>
        e.compute.services.push({
          name: "web",
          cpu: 256,
          memory: 512,
          desiredCount: 2,
          minCapacity: 2,
          maxCapacity: 6,
          port: 3000,
          pathPatterns: ["/app/*"],
        }),
      ),
    ).toContain(
      'production.compute.services[1].port: web services share the load balancer\'s one port to the tasks: use 8000 (the port of "app"), got 3000',
    );
  });

  test("the network's port from the load balancer is the web services' port (one value)", () => {
    expect(production.root.module.network.app_port).toBe(8000);
  });

  test("workers and extra web services log in as the application user, never as master", () => {
    for (const name of ["web", "worker"]) {
      const defs = containerDefs(c, name);
      expect(secretsOf(defs).DB_PASSWORD).toBe("${var.db_app_secret_arn}:password::");
      expect(JSON.stringify(defs)).not.toContain("db_master_secret_arn");
    }
  });

  test("a worker has no target group and no load balancer block", () => {
    expect(resourcesOf(c, "aws_lb_target_group").worker).toBeUndefined();
    expect(resource(c, "aws_ecs_service", "worker").load_balancer).toBeUndefined();
  });

  test("Spot is chosen per service", () => {
    expect(resource(c, "aws_ecs_service", "web").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE_SPOT", weight: 1 },
    ]);
    expect(resource(c, "aws_ecs_service", "app").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", weight: 1 },
    ]);
  });
});

describe("compute rules at synthesis", () => {
  test("an invalid Fargate pair lists the valid memory values for that CPU", () => {
    expect(problems("production", (e) => (e.compute.services[0].memory = 3000))).toContain(
      "production.compute.services[0].memory: 3000 MiB is not a valid Fargate memory for 1024 CPU units (valid: 2048, 3072, 4096, 5120, 6144, 7168, 8192)",
    );
  });

  test("a second web service without a listener rule is an error", () => {
    expect(
      problems("dev", (e) =>
        e.compute.services.push({
          name: "web",
          cpu: 256,
          memory: 512,
          desiredCount: 1,
          minCapacity: 1,
          maxCapacity: 1,
        }),
      ),
    ).toContain(
      'dev.compute.services[1].pathPatterns: web service "web" has no listener rule: give it pathPatterns or hostHeaders (only the first web service, "app", is the listener default)',
    );
  });

  test("a service may only inject declared secrets", () => {
    expect(problems("staging", (e) => e.compute.services[0].secrets.push("stripe-key"))).toContain(
      'staging.compute.services[0].secrets[2]: "stripe-key" is not declared in security.secrets.names',
    );
  });

  test("a worker cannot have listener paths", () => {
    expect(
      problems("dev", (e) =>
        e.compute.services.push({
          name: "jobs",
          kind: "worker",
          cpu: 256,
          memory: 512,
          desiredCount: 1,
          minCapacity: 1,
          maxCapacity: 1,
          pathPatterns: ["/x"],
        }),
      ),
    ).toContain("dev.compute.services[1].kind: a worker has no load balancer: drop pathPatterns and requestsPerTarget");
  });
});

test("the root exports the names the runbooks read", () => {
  expect(Object.keys(stacks.production.root.output)).toEqual(
    expect.arrayContaining([
      "ecs_cluster_name",
      "ecs_service_names",
      "alb_dns_name",
      "alb_arn_suffix",
      "target_group_arn_suffixes",
      "ecr_repository_urls",
      "task_definition_families",
    ]),
  );
});

describe("start/stop toggle (seed 002)", () => {
  test("every workspace's tfvars has environment_running = true", () => {
    for (const s of Object.values(stacks)) expect(s.tfvars).toContain("\nenvironment_running = true\n");
  });

  test("stopping holds every service at zero through autoscaling", () => {
    expect(resource(compute(), "aws_appautoscaling_target", "app")).toMatchObject({
      min_capacity: "${local.serving ? var.app_min_capacity : 0}",
      max_capacity: "${local.serving ? var.app_max_capacity : 0}",
    });
    expect(compute().locals.serving).toMatch(/^\$\{\(var\.running && /);
    expect(stacks.dev.root.module.compute.running).toBe("${var.environment_running}");
  });

  test("stopping removes the NAT gateways, which bill by the hour", () => {
    expect(stacks.dev.root.module.network.enable_nat).toBe("${var.environment_running}");
    expect(stacks.dev.modules.network.locals.nat_azs).toMatch(/^\$\{!var\.enable_nat \? \[\] :/);
  });
});

// Formerly toolbox.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the ECS Exec toolbox", () => {
  /**
   * The ECS Exec toolbox (seed 000 §8.1, §8.4; docs/decisions.md D55) and the first deploy with the
   * placeholder image tag (seed 000 §5.1; D56), as synthesized.
   */
  const compute = (ws = "production"): Json => stacks[ws].modules.compute;
  const toolbox = (ws = "production") => resource(compute(ws), "aws_ecs_task_definition", "toolbox");
  const defs = (ws = "production") => containerDefs(compute(ws), "toolbox");
  const statements = (name: string, ws = "production") =>
    JSON.parse(resource(compute(ws), "aws_iam_role_policy", name).policy).Statement as Json[];
  const actions = (name: string, ws = "production") => statements(name, ws).flatMap((s) => [s.Action].flat());

  describe("the toolbox task definition", () => {
    test("is family <name>-toolbox with one container named toolbox", () => {
      expect(toolbox().family).toBe("${var.name}-toolbox");
      expect(defs().map((c) => c.name)).toEqual(["toolbox"]);
    });

    test("has a writable root filesystem, which ECS Exec needs, and no privileged mode", () => {
      expect(defs()[0]).toMatchObject({
        readonlyRootFilesystem: false,
        privileged: false,
        linuxParameters: { initProcessEnabled: true },
      });
    });

    test("sleeps for a bounded time so a forgotten task stops itself", () => {
      expect(TOOLBOX_LIFETIME_SECONDS).toBeLessThanOrEqual(3600);
      expect(defs()[0].command).toEqual(["sleep", String(TOOLBOX_LIFETIME_SECONDS)]);
    });

    test("runs the official Redis image from ECR Public by default (redis-cli with TLS and a shell)", () => {
      expect(TOOLBOX_IMAGE).toMatch(/^public\.ecr\.aws\/docker\/library\/redis:[0-9.]+-alpine$/);
      expect(defs()[0].image).toBe("${var.toolbox_image}");
      expect(stacks.production.root.module.compute.toolbox_image).toBe(TOOLBOX_IMAGE);
    });

    test("is tagged Purpose = ecs-exec-toolbox", () => {
      expect(toolbox().tags).toEqual({ Purpose: TOOLBOX_PURPOSE });
      expect(TOOLBOX_PURPOSE).toBe("ecs-exec-toolbox");
    });

    test("gets REDIS_HOST and REDIS_PORT, and the AUTH token as REDISCLI_AUTH where AUTH is on", () => {
      expect(defs()[0].environment).toEqual([
        { name: "REDIS_HOST", value: "${var.redis_host}" },
        { name: "REDIS_PORT", value: "${tostring(var.redis_port)}" },
      ]);
      expect(defs()[0].secrets).toEqual([{ name: "REDISCLI_AUTH", valueFrom: "${var.redis_auth_secret_arn}:token::" }]);
    });

    test("gets no secret where Redis AUTH is off", () => {
      const dev = synthWorkspace("dev", (e) => {
        e.cache.auth = false;
        e.exemptions = [
          ...(e.exemptions ?? []),
          { control: "elasticache-auth", reason: "a test of the toolbox without AUTH" },
        ];
      });
      const [d] = containerDefs(dev.modules.compute, "toolbox");
      expect(d.secrets).toEqual([]);
      expect(envNames([d])).toContain("REDIS_HOST");
    });

    test("gets neither Redis variables nor secrets without a cache", () => {
      const production = synthWorkspace("production", (e) =>
        Object.assign(e.cache, { enabled: false, allowDestroy: true }),
      );
      const [d] = containerDefs(production.modules.compute, "toolbox");
      expect(d.environment).toEqual([]);
      expect(d.secrets).toEqual([]);
    });

    test("carries no application secret and no database credential", () => {
      expect(JSON.stringify(defs())).not.toMatch(/OPENAI|JWT|DB_PASSWORD|DB_USERNAME/);
    });

    test("is never attached to a service", () => {
      for (const ws of Object.keys(stacks)) {
        for (const svc of Object.values(resourcesOf(compute(ws), "aws_ecs_service")))
          expect(svc.task_definition).not.toContain("toolbox");
      }
    });
  });

  describe("the toolbox role", () => {
    test("is <name>-ecs-toolbox (a name the deploy role may pass) and is the toolbox's task role", () => {
      expect(resource(compute(), "aws_iam_role", "toolbox").name).toBe("${var.name}-ecs-toolbox");
      expect(toolbox().task_role_arn).toBe("${aws_iam_role.toolbox.arn}");
    });

    test("may open the SSM session channels and write the exec session logs, nothing else", () => {
      expect(actions("toolbox").sort()).toEqual(
        [
          "logs:CreateLogStream",
          "logs:DescribeLogGroups",
          "logs:DescribeLogStreams",
          "logs:PutLogEvents",
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ].sort(),
      );
      const logs = statements("toolbox").find((s) => s.Sid === "EcsExecLogs") as Json;
      expect(logs.Resource).toBe("${aws_cloudwatch_log_group.exec.arn}:*");
    });

    test("the app's task role lost the ssmmessages and exec log permissions", () => {
      for (const ws of Object.keys(stacks)) {
        expect(
          actions("task", ws).filter((a) => a.startsWith("ssmmessages:") || a === "logs:DescribeLogGroups"),
        ).toEqual([]);
        expect(JSON.stringify(statements("task", ws))).not.toContain("aws_cloudwatch_log_group.exec");
      }
    });

    test("every service has ECS Exec off", () => {
      for (const ws of Object.keys(stacks)) {
        for (const svc of Object.values(resourcesOf(compute(ws), "aws_ecs_service")))
          expect(svc.enable_execute_command).toBe(false);
      }
    });
  });

  describe("run-task commands", () => {
    const expected = (family: string, exec: boolean) =>
      `aws ecs run-task --cluster \${aws_ecs_cluster.this.name} --task-definition \${aws_ecs_task_definition.${family}.family} --launch-type FARGATE ${exec ? "--enable-execute-command " : ""}` +
      `--network-configuration 'awsvpcConfiguration={subnets=[\${join(",", var.private_subnet_ids)}],securityGroups=[\${var.app_security_group_id}],assignPublicIp=DISABLED}' --query 'tasks[0].taskArn' --output text`;

    test("the toolbox's starts it with ECS Exec on, in the private subnets with the app security group", () => {
      expect(compute().output.ecs_toolbox_run_task_command.value).toBe(expected("toolbox", true));
    });

    test("the migrations task's has no ECS Exec", () => {
      expect(compute().output.migrations_run_task_command.value).toBe(expected("migrations", false));
    });

    test("both are root outputs in every workspace", () => {
      for (const ws of Object.keys(stacks)) {
        expect(stacks[ws].root.output.ecs_toolbox_run_task_command.value).toBe(
          "${module.compute.ecs_toolbox_run_task_command}",
        );
        expect(stacks[ws].root.output.migrations_run_task_command.value).toBe(
          "${module.compute.migrations_run_task_command}",
        );
      }
    });

    test("the command is a single line with no public IP", () => {
      const line = runTaskCommand({ cluster: "c", family: "f", subnets: ["s"], securityGroup: "g" });
      expect(line).not.toContain("\n");
      expect(line).toContain("assignPublicIp=DISABLED");
      expect(line).not.toContain("--enable-execute-command");
    });
  });

  describe("toolbox disabled", () => {
    const s = synthWorkspace("staging", (e) => (e.compute.toolbox = { enabled: false }));

    test("creates no toolbox task definition, role or output", () => {
      expect(resourcesOf(s.modules.compute, "aws_ecs_task_definition").toolbox).toBeUndefined();
      expect(resourcesOf(s.modules.compute, "aws_iam_role").toolbox).toBeUndefined();
      expect(s.root.output.ecs_toolbox_run_task_command).toBeUndefined();
      expect(s.modules.compute.variable.toolbox_image).toBeUndefined();
    });
  });

  describe("toolbox rules at synthesis", () => {
    test("the image must pin a tag or digest, not :latest", () => {
      expect(
        problems("dev", (e) => (e.compute.toolbox = { image: "public.ecr.aws/docker/library/redis:latest" })),
      ).toContain("dev.compute.toolbox.image: must pin a tag or digest, not :latest");
    });

    test("an image without a tag or digest is an error", () => {
      expect(
        problems("production", (e) => (e.compute.toolbox = { image: "public.ecr.aws/docker/library/redis" })),
      ).toContain("production.compute.toolbox.image: must name an image with a tag or a sha256 digest");
    });

    test("a digest-pinned image is accepted", () => {
      expect(
        problems(
          "staging",
          (e) => (e.compute.toolbox = { image: `public.ecr.aws/docker/library/redis@sha256:${"a".repeat(64)}` }),
        ),
      ).toEqual([]);
    });
  });

  describe("first deploy: no tasks until a real image exists", () => {
    test("services serve only while running and app_image_tag is not the placeholder", () => {
      expect(compute().locals.serving).toBe(`\${(var.running && (var.app_image_tag != "${PLACEHOLDER_IMAGE_TAG}"))}`);
    });

    test("each service is created with zero tasks and autoscaling holds it at zero", () => {
      expect(resource(compute(), "aws_ecs_service", "app").desired_count).toBe(
        "${local.serving ? var.app_desired_count : 0}",
      );
      expect(resource(compute(), "aws_appautoscaling_target", "app")).toMatchObject({
        min_capacity: "${local.serving ? var.app_min_capacity : 0}",
        max_capacity: "${local.serving ? var.app_max_capacity : 0}",
      });
    });

    test("a worker service follows the same rule with its own counts (its own knobs, valued from its config)", () => {
      const dev = synthWorkspace("dev", (e) =>
        e.compute.services.push({
          name: "jobs",
          kind: "worker",
          cpu: 256,
          memory: 512,
          desiredCount: 1,
          minCapacity: 1,
          maxCapacity: 3,
        }),
      );
      const c = dev.modules.compute;
      expect(resource(c, "aws_ecs_service", "jobs").desired_count).toBe(
        "${local.serving ? var.jobs_desired_count : 0}",
      );
      expect(resource(c, "aws_appautoscaling_target", "jobs")).toMatchObject({
        min_capacity: "${local.serving ? var.jobs_min_capacity : 0}",
        max_capacity: "${local.serving ? var.jobs_max_capacity : 0}",
      });
      expect(dev.tfvars).toContain("\njobs_desired_count = 1\n");
      expect(dev.tfvars).toContain("\njobs_max_capacity = 3\n");
    });

    test("a Terraform check warns while the tag is the placeholder and says what to do", () => {
      expect(compute().check.first_deploy_image.assert).toEqual([
        { condition: `\${(var.app_image_tag != "${PLACEHOLDER_IMAGE_TAG}")}`, error_message: PLACEHOLDER_TAG_WARNING },
      ]);
      for (const step of [
        "app_secret_arns",
        "ecr_repository_urls",
        "app_image_tag",
        "terraform.tfvars",
        "migrations",
        "module.compute",
      ])
        expect(PLACEHOLDER_TAG_WARNING).toContain(step);
    });

    test("the root exports the app secret ARNs by name", () => {
      expect(stacks.production.root.output.app_secret_arns.value).toBe("${module.security.secret_arns}");
    });
  });
});
