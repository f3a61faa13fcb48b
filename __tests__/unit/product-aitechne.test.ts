/**
 * AI Techne Academy (seed 004): the network, cluster and task definition its SAM stack's parameters need.
 * dev is option A (the default VPC, looked up), prod option B (a dedicated VPC with public subnets, no NAT).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, loadEnvironments, type EnvironmentInput, type Product } from "../../environments";
import { AITECHNE } from "../../environments/aitechne";
import { ASSIGN_PUBLIC_IP_TAG } from "../../modules/compute";
import { evaluatePolicy, policyEnvironment, PRODUCT_EXEMPTION_NOTE } from "../../tools/policy";
import { estimate } from "../../tools/cost/estimate";
import { synthesize } from "../../platform";
import type { Mutable } from "../helpers/config";
import { addresses, containerDefs, resource, resourcesOf, synthProduct, tempDir, type Json } from "../helpers/synth";

const { stacks } = synthProduct(AITECHNE);
const envs = Object.fromEntries(loadEnvironments(AITECHNE.environments, AITECHNE).map((e) => [e.workspace, e]));
const dev = stacks.dev;
const prod = stacks.prod;
const moduleAddresses = (s: typeof dev, m: string) => addresses(s).filter((a) => a.startsWith(`module.${m}.`));

/** The problems of a changed copy of one AI Techne Academy environment. */
function problems(ws: "dev" | "prod", change: (env: Mutable) => void, product: Product = AITECHNE): string[] {
  const env = structuredClone(AITECHNE.environments[ws]) as Mutable;
  change(env);
  try {
    loadEnvironments({ [ws]: env as EnvironmentInput }, product);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("the product", () => {
  test("has the guide's two environments: dev on option A, prod on option B", () => {
    expect(Object.keys(AITECHNE.environments)).toEqual(["dev", "prod"]);
    expect([envs.dev.network.mode, envs.prod.network.mode]).toEqual(["default-vpc", "dedicated"]);
  });

  test("has no database, no cache, no CDN and no DR module, nor their outputs", () => {
    for (const s of [dev, prod]) {
      expect(Object.keys(s.root.module).sort()).toEqual(["compute", "monitoring", "network", "security", "storage"]);
      expect(Object.keys(s.root.output).filter((o) => /^(db_|rds_|redis_|cloudfront_|dr_)/.test(o))).toEqual([]);
    }
  });
});

describe("option B (prod): a dedicated VPC with public subnets only", () => {
  const call = prod.root.module.network;
  const net = prod.modules.network;

  test("passes the guide's VPC and public subnets, no private or database subnets, no NAT", () => {
    expect(call.vpc_cidr).toBe("10.0.0.0/16");
    expect(call.public_subnets).toEqual(["10.0.1.0/24", "10.0.2.0/24"]);
    expect(call.private_subnets).toEqual([]);
    expect(call.database_subnets).toEqual([]);
    expect(call.nat_mode).toBe("none");
    expect(call.interface_endpoints).toEqual([]);
  });

  test("the module accepts no private subnets, and its outputs read none", () => {
    expect(net.variable.private_subnets.validation[0].condition).toBe(
      "${((length(var.private_subnets) == 0) || (length(var.private_subnets) == length(var.azs)))}",
    );
    expect(net.output.private_subnet_ids.value).toContain("if contains(keys(local.private_subnets_by_az), az)");
  });

  test("the public subnets route to the internet gateway and give no instance a public IP by themselves", () => {
    expect(resource(net, "aws_internet_gateway", "this").count).toBe("${(length(var.public_subnets) > 0) ? 1 : 0}");
    expect(resource(net, "aws_route", "public_internet").gateway_id).toBe("${aws_internet_gateway.this.0.id}");
    expect(resource(net, "aws_subnet", "public").map_public_ip_on_launch).toBe(false);
  });

  test("the S3 gateway endpoint serves the public route table the tasks use", () => {
    expect(resource(net, "aws_vpc_endpoint", "s3").route_table_ids).toContain("aws_route_table.public[*].id");
  });

  test("the task security group takes no inbound traffic and sends only HTTPS to anywhere", () => {
    const ingress = Object.values(resourcesOf(net, "aws_vpc_security_group_ingress_rule")).filter((r: Json) =>
      String(r.security_group_id).includes("aws_security_group.app."),
    );
    expect(ingress).toEqual([]);
    const egress = Object.values(resourcesOf(net, "aws_vpc_security_group_egress_rule")).filter((r: Json) =>
      String(r.security_group_id).includes("aws_security_group.app."),
    );
    expect(egress).toEqual([
      expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, ip_protocol: "tcp" }),
    ]);
  });
});

describe("option A (dev): the account's default VPC, looked up", () => {
  const net = dev.modules.network;

  test("creates nothing of the VPC: only the tasks' security group and its HTTPS egress", () => {
    expect(moduleAddresses(dev, "network").filter((a) => !a.includes(".data."))).toEqual([
      "module.network.aws_security_group.app",
      "module.network.aws_vpc_security_group_egress_rule.app_https_out",
    ]);
  });

  test("looks up the default VPC and its default subnets in the environment's zones", () => {
    expect(net.data.aws_vpc.default).toEqual({ default: true });
    const filters = net.data.aws_subnets.default.filter;
    expect(filters).toEqual([
      { name: "vpc-id", values: ["${data.aws_vpc.default.id}"] },
      { name: "default-for-az", values: ["true"] },
      { name: "availability-zone", values: "${var.azs}" },
    ]);
    expect(resource(net, "aws_security_group", "app").vpc_id).toBe("${data.aws_vpc.default.id}");
  });

  test("the tasks' egress rule is HTTPS only", () => {
    expect(resource(net, "aws_vpc_security_group_egress_rule", "app_https_out")).toEqual(
      expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 }),
    );
    expect(resourcesOf(net, "aws_vpc_security_group_ingress_rule")).toEqual({});
  });
});

describe("the SAM parameters' root outputs", () => {
  test("vpc_id and ecs_security_group_id are strings of the network module", () => {
    for (const s of [dev, prod]) {
      expect(s.root.output.vpc_id.value).toBe("${module.network.vpc_id}");
      expect(s.root.output.ecs_security_group_id.value).toBe("${module.network.app_security_group_id}");
    }
  });

  test("public_subnet_ids is one comma-separated string (terraform output -raw), as a SAM subnet list parameter takes it", () => {
    for (const s of [dev, prod])
      expect(s.root.output.public_subnet_ids.value).toBe('${join(",", module.network.public_subnet_ids)}');
  });

  test("the cluster ARN, the processor's task definition ARN and family, and the task roles are outputs", () => {
    for (const s of [dev, prod]) {
      expect(s.root.output.ecs_cluster_arn.value).toBe("${module.compute.ecs_cluster_arn}");
      expect(s.root.output.processor_task_definition_arn.value).toBe("${module.compute.processor_task_definition_arn}");
      expect(s.root.output.processor_task_definition_family.value).toBe(
        "${module.compute.processor_task_definition_family}",
      );
      expect(s.root.output.task_role_arn.value).toBe("${module.compute.task_role_arn}");
      expect(s.root.output.execution_role_arn.value).toBe("${module.compute.execution_role_arn}");
    }
  });
});

describe("the processor: a task definition without a service", () => {
  const c = dev.modules.compute;

  test("has the guide's family on the cluster ai-techne-academy-<env>, and is tagged as launched with a public IP", () => {
    const td = resource(c, "aws_ecs_task_definition", "processor");
    expect(td.family).toBe("ai-techne-academy-processor-dev");
    expect(td.tags).toEqual({ Purpose: "run-task", [ASSIGN_PUBLIC_IP_TAG]: "ENABLED" });
    expect(resource(c, "aws_ecs_cluster", "this").name).toBe("${var.name}");
    expect(dev.root.module.compute.name).toBe("ai-techne-academy-${var.environment}");
  });

  test("has no service, no autoscaling, no load balancer and no db-bootstrap task", () => {
    for (const type of [
      "aws_ecs_service",
      "aws_appautoscaling_target",
      "aws_appautoscaling_policy",
      "aws_lb",
      "aws_lb_listener",
      "aws_lb_target_group",
    ])
      expect(resourcesOf(c, type)).toEqual({});
    expect(Object.keys(resourcesOf(c, "aws_ecs_task_definition"))).toEqual(["processor"]);
  });

  test("gets no database variables or credentials, and its execution role reads no secret", () => {
    const td = JSON.stringify(resource(c, "aws_ecs_task_definition", "processor"));
    expect(td).not.toMatch(/DB_|REDIS_/);
    expect(resource(c, "aws_iam_role_policy", "execution").policy).not.toContain("secretsmanager");
  });

  test("its size is two knobs in tfvars, without a count or scaling knob", () => {
    expect(dev.tfvars).toMatch(/\nprocessor_cpu = \d+\n/);
    expect(dev.tfvars).toMatch(/\nprocessor_memory = \d+\n/);
    expect(dev.tfvars).not.toMatch(/processor_(desired_count|min_capacity|max_capacity)/);
  });
});

describe("starting the processor by hand and pricing it", () => {
  test("its run-task command uses the public subnets and a public IP, like the state machine", () => {
    const cmd = dev.modules.compute.output.processor_run_task_command.value;
    expect(cmd).toContain('subnets=[${join(",", var.public_subnet_ids)}]');
    expect(cmd).toContain("assignPublicIp=ENABLED");
    expect(dev.root.output.processor_run_task_command.value).toBe("${module.compute.processor_run_task_command}");
  });

  test("the cost estimate prices cost.usage.taskHours of its Fargate size and public IPv4", () => {
    for (const ws of ["dev", "prod"]) {
      const { cpu, memory } = envs[ws].compute.tasks.find((t) => t.name === "processor")!;
      const [vcpu, gb] = [cpu / 1024, memory / 1024];
      const line = estimate(envs[ws], stacks[ws]).lines.find((l) => l.item.startsWith("processor:"));
      expect(line?.item).toBe(
        `processor: ${envs[ws].cost.usage.taskHours} task-hour(s) × ${vcpu} vCPU / ${gb} GB + public IPv4`,
      );
      expect(line?.usd).toBeCloseTo(envs[ws].cost.usage.taskHours * (vcpu * 0.04048 + gb * 0.004445 + 0.005), 6);
    }
  });
});

describe("alarms", () => {
  const m = prod.modules.monitoring;

  test("the guide's Step Functions alarm: more than 3 ExecutionsFailed in 5 minutes, per state machine, to the alarm topic", () => {
    expect(resource(m, "aws_cloudwatch_metric_alarm", "metric_high_failure_rate")).toEqual(
      expect.objectContaining({
        alarm_name: "${var.alarm_prefix}-high-failure-rate",
        namespace: "AWS/States",
        metric_name: "ExecutionsFailed",
        dimensions: {
          StateMachineArn: `arn:aws:states:${envs.prod.region}:${envs.prod.accountId}:stateMachine:ai-techne-academy-workflow-prod`,
        },
        statistic: "Sum",
        period: 300,
        evaluation_periods: 1,
        threshold: 3,
        comparison_operator: "GreaterThanThreshold",
        alarm_actions: ["${aws_sns_topic.alarms.arn}"],
      }),
    );
  });

  test("Bedrock throttling watches the model id the processor calls (the ModelId its invocations are published under)", () => {
    for (const ws of ["dev", "prod"]) {
      const alarm = resource(stacks[ws].modules.monitoring, "aws_cloudwatch_metric_alarm", "metric_bedrock_throttling");
      expect(alarm).toEqual(
        expect.objectContaining({
          namespace: "AWS/Bedrock",
          metric_name: "InvocationThrottles",
          comparison_operator: "GreaterThanOrEqualToThreshold",
          threshold: 5,
        }),
      );
      const processor = envs[ws].compute.tasks.find((t) => t.name === "processor")!;
      expect(alarm.dimensions.ModelId).toBe(processor.environment.BEDROCK_MODEL_ID);
      // The model is invoked through an inference profile: the task may invoke the profile the alarm watches.
      expect(
        processor.access.bedrockModels.some((arn) => arn.endsWith(`:inference-profile/${alarm.dimensions.ModelId}`)),
      ).toBe(true);
    }
  });

  test("the Step Functions alarm watches the state machine of the environment's own account and region", () => {
    for (const ws of ["dev", "prod"]) {
      const arn = resource(stacks[ws].modules.monitoring, "aws_cloudwatch_metric_alarm", "metric_high_failure_rate")
        .dimensions.StateMachineArn;
      expect(arn.split(":").slice(3, 5)).toEqual([envs[ws].region, envs[ws].accountId]);
    }
  });

  test("both say how missing data is treated", () => {
    for (const ws of ["dev", "prod"]) {
      for (const name of ["metric_high_failure_rate", "metric_bedrock_throttling"])
        expect(
          resource(stacks[ws].modules.monitoring, "aws_cloudwatch_metric_alarm", name).treat_missing_data,
        ).toBeDefined();
    }
  });

  test("the alarm topic e-mails the guide's address; no ECS service or RDS alarm watches what does not exist", () => {
    expect(prod.root.module.monitoring.alarm_emails).toEqual(["devops@techne.com.br"]);
    expect(Object.keys(resourcesOf(m, "aws_cloudwatch_metric_alarm")).sort()).toEqual([
      "app_errors",
      "metric_bedrock_throttling",
      "metric_high_failure_rate",
    ]);
    expect(m.variable.ecs_service_name).toBeUndefined();
    expect(m.variable.rds_instance_id).toBeUndefined();
  });
});

describe("policy: the product-level exemption", () => {
  test("ecs-no-public-ip is exempted by the product, with its reason (seed 004 runs the processor with a public IP)", () => {
    for (const ws of ["dev", "prod"]) {
      const r = evaluatePolicy(stacks[ws], policyEnvironment(envs[ws], AITECHNE));
      const publicIp = r.results.find((x) => x.check.id === "ecs-no-public-ip");
      expect(publicIp?.status).toBe("exempted");
      expect(publicIp?.note).toMatch(
        new RegExp(`^${PRODUCT_EXEMPTION_NOTE.replace(/[()]/g, "\\$&")}: seed 004 runs the processor`),
      );
    }
  });

  test("holds in a production-like environment, where an environment's own exemption is refused", () => {
    expect(envs.prod.tier).toBe("production-like");
    expect(
      evaluatePolicy(prod, {
        tier: "production-like",
        exemptions: [{ control: "ecs-no-public-ip", reason: "an environment cannot decide this" }],
        productExemptions: [],
      }).counts.failed,
    ).toBe(1);
  });

  test("without it, the public-IP task fails ecs-no-public-ip", () => {
    const r = evaluatePolicy(prod, { tier: "production-like", exemptions: [], productExemptions: [] });
    expect(r.results.find((x) => x.check.id === "ecs-no-public-ip")?.failures).toEqual([
      expect.objectContaining({ address: "module.compute.aws_ecs_task_definition.processor" }),
    ]);
  });

  test("the checks of what the product lacks (load balancer, WAF, NAT instance, database, cache, CDN) do not apply", () => {
    const r = evaluatePolicy(prod, policyEnvironment(envs.prod, AITECHNE));
    const na = r.results.filter((x) => x.status === "n/a").map((x) => x.check.id);
    expect(na).toEqual(
      expect.arrayContaining([
        "alb-https",
        "alb-waf",
        "alb-access-logs",
        "ec2-imdsv2",
        "rds-multi-az",
        "elasticache-auth",
        "cloudfront-waf",
        "sg-no-public-ingress",
      ]),
    );
  });

  test("a product exemption must name an existing check, once, with a reason", () => {
    const bad: Product = {
      ...AITECHNE,
      policyExemptions: [
        { control: "no-such-check", reason: "because the guide says so" },
        { control: "ecs-no-public-ip", reason: "short" },
      ],
    };
    expect(problems("prod", () => undefined, bad)).toEqual([
      'aitechne.policyExemptions[0].control: "no-such-check" is not a policy check (tools/policy/checks.ts)',
      "aitechne.policyExemptions[1].reason: say why, in a sentence",
    ]);
    const twice: Product = {
      ...AITECHNE,
      policyExemptions: [...AITECHNE.policyExemptions!, ...AITECHNE.policyExemptions!],
    };
    expect(problems("prod", () => undefined, twice)).toEqual([
      'aitechne.policyExemptions[1].control: "ecs-no-public-ip" is listed twice',
    ]);
  });
});

describe("the hand-off to the SAM stack", () => {
  test("the task definition ARN handed over has no revision (RunTask runs the latest ACTIVE one), for every task", () => {
    for (const ws of ["dev", "prod"]) {
      for (const t of envs[ws].compute.tasks)
        expect(stacks[ws].modules.compute.output[`${t.name}_task_definition_arn`].value).toBe(
          `\${aws_ecs_task_definition.${t.name}.arn_without_revision}`,
        );
    }
  });

  test("the container name handed over is the task definition's container", () => {
    for (const ws of ["dev", "prod"]) {
      for (const t of envs[ws].compute.tasks) {
        const handed = stacks[ws].modules.compute.output[`${t.name}_container_name`].value;
        expect(containerDefs(stacks[ws].modules.compute, t.name).map((c) => c.name)).toContain(handed);
        expect(stacks[ws].root.output[`${t.name}_container_name`].value).toBe(
          `\${module.compute.${t.name}_container_name}`,
        );
      }
    }
  });

  test("the processor's environment reaches its container, and its task role may reach every resource that environment names", () => {
    for (const ws of ["dev", "prod"]) {
      const processor = envs[ws].compute.tasks.find((t) => t.name === "processor")!;
      const [defs] = containerDefs(stacks[ws].modules.compute, "processor");
      const policy = resource(stacks[ws].modules.compute, "aws_iam_role_policy", "task_access_processor");
      expect(policy.role).toBe("${aws_iam_role.task.id}");
      for (const [name, value] of Object.entries(processor.environment)) {
        expect(defs.environment).toContainEqual({ name, value });
        if (name !== "BEDROCK_MODEL_ID") expect(policy.policy).toContain(value);
      }
    }
  });

  test("the runbook's SAM deploy works from a fresh checkout: outputs read in the workspace, sam build before sam deploy, an artifacts bucket, outputs that exist", () => {
    for (const ws of ["dev", "prod"]) {
      const doc = fs.readFileSync(path.join("docs", "runbooks", "aitechne", `${ws}.md`), "utf8");
      const block = [...doc.matchAll(/^```bash\n([\s\S]*?)^```$/gm)]
        .map((m) => m[1])
        .find((b) => b.includes("sam deploy"))!;
      const lines = block.split("\n").filter(Boolean);
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      const cd = at(/^cd "\$SAM_APP_DIR"/);
      expect(cd).toBeGreaterThan(0);
      // terraform output works only in the workspace directory: every read happens before the cd.
      lines.forEach((l, i) => {
        if (/terraform output/.test(l)) expect(i).toBeLessThan(cd);
      });
      expect(at(/^sam build /)).toBeGreaterThan(cd);
      const deploy = lines[at(/^sam deploy /)];
      expect(at(/^sam deploy /)).toBeGreaterThan(at(/^sam build /));
      expect(deploy).toMatch(/ --(resolve-s3|s3-bucket [^ ]+|guided)( |$)/);
      // Without --template-file, sam deploy takes what sam build wrote; a source template would skip the build.
      expect(deploy).not.toContain("--template-file");
      for (const [, output] of block.matchAll(/terraform output -raw ([a-z0-9_]+)/g))
        expect(Object.keys(stacks[ws].root.output)).toContain(output);
      for (const [, variable] of deploy.matchAll(/=\$([A-Z_]+)"/g))
        expect(block).toMatch(new RegExp(`^${variable}=\\$\\(terraform output -raw [a-z0-9_]+\\)$`, "m"));
    }
  });
});

describe("config rules (error paths)", () => {
  test("default-vpc refuses a VPC block, subnets and flow logs of its own", () => {
    expect(
      problems("dev", (e) => {
        e.network.vpcCidr = "10.0.0.0/16";
        e.network.publicSubnets = ["10.0.1.0/24", "10.0.2.0/24"];
        e.network.flowLogs = { enabled: true };
      }),
    ).toEqual([
      "dev.network.vpcCidr: not used with network.mode \"default-vpc\" (the default VPC's block is AWS's); drop it",
      'dev.network.publicSubnets: not used with network.mode "default-vpc" (its default subnets are looked up); drop it',
      'dev.network.flowLogs.enabled: must be false with network.mode "default-vpc": the default VPC is not managed here',
    ]);
  });

  test("default-vpc refuses services, a NAT and a database (they need private subnets)", () => {
    expect(
      problems("dev", (e) => {
        e.network.natMode = "single";
        e.database = { enabled: true };
        e.compute.services = [
          {
            name: "api",
            kind: "worker",
            image: "processor",
            cpu: 256,
            memory: 512,
            desiredCount: 1,
            minCapacity: 1,
            maxCapacity: 1,
          },
        ];
      }),
    ).toEqual([
      'dev.network.natMode: must be "none" with network.mode "default-vpc": a NAT gateway serves private subnets',
      'dev.database.enabled: must be false with network.mode "default-vpc": the database lives in private or database subnets',
      'dev.compute.services: must be empty with network.mode "default-vpc": services run in the private subnets; use compute.tasks',
    ]);
  });

  test("without private subnets, a NAT or interface endpoints are refused, and tasks must get a public IP", () => {
    expect(
      problems("prod", (e) => {
        e.network.natMode = "single";
        e.network.interfaceEndpoints = ["logs"];
        e.compute.tasks[0].assignPublicIp = false;
      }),
    ).toEqual([
      'prod.network.natMode: must be "none" without privateSubnets: a NAT gateway serves private subnets',
      "prod.network.interfaceEndpoints: must be empty without privateSubnets: interface endpoints live in the private subnets",
      "prod.compute.tasks[0].assignPublicIp: must be true without privateSubnets: without NAT a task reaches ECR and the AWS APIs only through a public IP",
    ]);
  });

  test("a dedicated VPC needs its block, and public subnets when it has no private ones", () => {
    expect(problems("prod", (e) => delete e.network.vpcCidr)).toEqual([
      'prod.network.vpcCidr: required with network.mode "dedicated" (the VPC this module creates)',
    ]);
    expect(problems("prod", (e) => (e.network.publicSubnets = []))).toEqual([
      "prod.network.publicSubnets: needs one subnet per availability zone without privateSubnets: the tasks run there",
    ]);
  });

  test("a workload needs a service or a task; a task's name, image and size are checked", () => {
    expect(problems("prod", (e) => (e.compute.tasks = []))).toEqual([
      "prod.compute.services: needs at least one service",
    ]);
    expect(
      problems("prod", (e) => Object.assign(e.compute.tasks[0], { image: "app", cpu: 2048, memory: 1024 })),
    ).toEqual([
      "prod.compute.tasks[0].memory: 1024 MiB is not a valid Fargate memory for 2048 CPU units (valid: 4096, 5120, 6144, 7168, 8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384)",
      'prod.compute.tasks[0].image: "app" is not one of compute.images (processor)',
    ]);
    expect(problems("prod", (e) => e.compute.tasks.push({ ...e.compute.tasks[0] }))).toEqual([
      'prod.compute.tasks[1].name: "processor" is also a task name (their knobs <name>_cpu … would clash)',
    ]);
  });

  test("metric alarms: unique names, a CloudWatch period", () => {
    expect(
      problems("prod", (e) => {
        e.monitoring.metricAlarms[1].name = "high-failure-rate";
        e.monitoring.metricAlarms[0].periodSeconds = 45;
      }),
    ).toEqual([
      "prod.monitoring.metricAlarms[0].periodSeconds: must be 10, 30 or a multiple of 60 seconds",
      'prod.monitoring.metricAlarms[1].name: "high-failure-rate" is listed twice',
    ]);
  });

  test("a metric alarm must say how missing data is treated", () => {
    expect(problems("prod", (e) => delete e.monitoring.metricAlarms[0].treatMissingData)).toEqual([
      "prod.monitoring.metricAlarms[0].treatMissingData: say how missing data is treated: notBreaching, breaching, ignore or missing (CloudWatch's default, missing, leaves an event-driven alarm in INSUFFICIENT_DATA)",
    ]);
  });

  test("an alarm dimension or a task grant naming another account (or, for an alarm, another region) is refused", () => {
    expect(
      problems("prod", (e) => {
        e.monitoring.metricAlarms[0].dimensions.StateMachineArn =
          "arn:aws:states:us-east-1:123456789012:stateMachine:ai-techne-academy-workflow-prod";
        e.monitoring.metricAlarms[1].dimensions.ModelId =
          "arn:aws:bedrock:us-west-2:555555555555:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0";
        e.compute.tasks[0].access.dynamodbTables = [
          "arn:aws:dynamodb:us-east-1:123456789012:table/ai-techne-academy-tracking-prod",
        ];
      }),
    ).toEqual([
      "prod.monitoring.metricAlarms[0].dimensions.StateMachineArn: names account 123456789012, not this environment's accountId 555555555555: derive it from the environment (a resource of another account is not this workspace's)",
      "prod.monitoring.metricAlarms[1].dimensions.ModelId: names region us-west-2, not this environment's region us-east-1: CloudWatch metrics stay in their region",
      "prod.compute.tasks[0].access.dynamodbTables[0]: names account 123456789012, not this environment's accountId 555555555555: derive it from the environment (a resource of another account is not this workspace's)",
    ]);
  });

  test("a task's container name and grants are checked (ECS container name, resource ARNs)", () => {
    expect(
      problems("prod", (e) => {
        e.compute.tasks[0].containerName = "my processor";
        e.compute.tasks[0].access.s3Read = ["ai-techne-academy-input-prod"];
      }),
    ).toEqual([
      "prod.compute.tasks[0].containerName: an ECS container name: 1–255 letters, digits, hyphens and underscores",
      "prod.compute.tasks[0].access.s3Read[0]: must be an S3 bucket ARN (arn:aws:s3:::<bucket>)",
    ]);
  });

  test("a disabled database refuses migrations and DR, which need it", () => {
    expect(
      problems("prod", (e) => {
        e.compute.migrations = { command: ["migrate"], image: "processor" };
      }),
    ).toEqual([
      "prod.compute.migrations: migrations run against the database: needs database.enabled",
      "prod.compute.migrations: takes its secrets from the first service: needs a service",
    ]);
  });
});

// `npm run synth -- aitechne` from a fresh checkout (cdktf.out absent) is spawned in cli-output.test.ts.
describe("synthesis of a workspace with its own tfvars edits", () => {
  test("a bad config writes nothing", () => {
    const outdir = tempDir("aitechne-bad");
    const env = structuredClone(AITECHNE.environments.prod) as Mutable;
    env.network.natMode = "single";
    expect(() => synthesize({ outdir, product: AITECHNE, inputs: { prod: env } })).toThrow(ConfigError);
  });
});
