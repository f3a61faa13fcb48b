/**
 * The ECS Exec toolbox (seed 000 §8.1, §8.4; docs/decisions.md D55) and the first deploy with the
 * placeholder image tag (seed 000 §5.1; D56), as synthesized.
 */
import { PLACEHOLDER_IMAGE_TAG, TOOLBOX_IMAGE } from "../../modules/compute/config";
import { PLACEHOLDER_TAG_WARNING, TOOLBOX_LIFETIME_SECONDS, TOOLBOX_PURPOSE } from "../../modules/compute";
import { runTaskCommand } from "../../modules/compute/run-task";
import { problems } from "../helpers/config";
import { resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { synthWorkspace } from "../helpers/workspace-fixture";

const { stacks } = synthAll();
const compute = (ws = "production"): Json => stacks[ws].modules.compute;
const toolbox = (ws = "production") => resource(compute(ws), "aws_ecs_task_definition", "toolbox");
const defs = (ws = "production") => toolbox(ws).container_definitions as string;
const statements = (name: string, ws = "production") =>
  JSON.parse(resource(compute(ws), "aws_iam_role_policy", name).policy).Statement as Json[];
const actions = (name: string, ws = "production") => statements(name, ws).flatMap((s) => [s.Action].flat());

describe("the toolbox task definition", () => {
  test("is family <name>-toolbox with one container named toolbox", () => {
    expect(toolbox().family).toBe("${var.name}-toolbox");
    expect(defs()).toMatch(/^\$\{jsonencode\(\[\{"name" = "toolbox", /);
    expect(defs().match(/"essential" = /g)).toHaveLength(1);
  });

  test("has a writable root filesystem, which ECS Exec needs, and no privileged mode", () => {
    expect(defs()).toContain('"readonlyRootFilesystem" = false');
    expect(defs()).toContain('"privileged" = false');
    expect(defs()).toContain('"linuxParameters" = {"initProcessEnabled" = true}');
  });

  test("sleeps for a bounded time so a forgotten task stops itself", () => {
    expect(TOOLBOX_LIFETIME_SECONDS).toBeLessThanOrEqual(3600);
    expect(defs()).toContain(`"command" = ["sleep", "${TOOLBOX_LIFETIME_SECONDS}"]`);
  });

  test("runs the official Redis image from ECR Public by default (redis-cli with TLS and a shell)", () => {
    expect(TOOLBOX_IMAGE).toMatch(/^public\.ecr\.aws\/docker\/library\/redis:[0-9.]+-alpine$/);
    expect(defs()).toContain('"image" = var.toolbox_image');
    expect(stacks.production.root.module.compute.toolbox_image).toBe(TOOLBOX_IMAGE);
  });

  test("is tagged Purpose = ecs-exec-toolbox", () => {
    expect(toolbox().tags).toEqual({ Purpose: TOOLBOX_PURPOSE });
    expect(TOOLBOX_PURPOSE).toBe("ecs-exec-toolbox");
  });

  test("gets REDIS_HOST and REDIS_PORT, and the AUTH token as REDISCLI_AUTH where AUTH is on", () => {
    expect(defs()).toContain(
      '"environment" = [{"name" = "REDIS_HOST", "value" = var.redis_host}, {"name" = "REDIS_PORT", "value" = tostring(var.redis_port)}]',
    );
    expect(defs()).toContain(
      '"secrets" = [{"name" = "REDISCLI_AUTH", "valueFrom" = "${var.redis_auth_secret_arn}:token::"}]',
    );
  });

  test("gets no secret where Redis AUTH is off", () => {
    const dev = synthWorkspace("dev", (e) => {
      e.cache.auth = false;
      e.exemptions = [
        ...(e.exemptions ?? []),
        { control: "elasticache-auth", reason: "a test of the toolbox without AUTH" },
      ];
    });
    const d = resource(dev.modules.compute, "aws_ecs_task_definition", "toolbox").container_definitions;
    expect(d).toContain('"secrets" = []');
    expect(d).toContain('"name" = "REDIS_HOST"');
  });

  test("gets neither Redis variables nor secrets without a cache", () => {
    const production = synthWorkspace("production", (e) =>
      Object.assign(e.cache, { enabled: false, allowDestroy: true }),
    );
    const d = resource(production.modules.compute, "aws_ecs_task_definition", "toolbox").container_definitions;
    expect(d).toContain('"environment" = []');
    expect(d).toContain('"secrets" = []');
  });

  test("carries no application secret and no database credential", () => {
    expect(defs()).not.toMatch(/OPENAI|JWT|DB_PASSWORD|DB_USERNAME/);
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
      expect(actions("task", ws).filter((a) => a.startsWith("ssmmessages:") || a === "logs:DescribeLogGroups")).toEqual(
        [],
      );
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
    expect(resource(c, "aws_ecs_service", "jobs").desired_count).toBe("${local.serving ? var.jobs_desired_count : 0}");
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
