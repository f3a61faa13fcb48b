/**
 * compute.datadog (D78–D82): off by default and invisible in the checked-in workspaces; on, every
 * service task carries the agent sidecar with its API key by reference and read-only root, the app is
 * pointed at it, a copy of the app log group goes to Datadog through an encrypted Firehose stream,
 * nothing new is opened on the network, and the policy and cost gates see it.
 */
import {
  DATADOG_AGENT_IMAGE,
  DATADOG_FIREHOSE_LOG_URLS,
  DATADOG_SITES,
  datadogKnobRules,
} from "../../modules/compute/datadog-config";
import { loadEnvironments, type EnvironmentConfig } from "../../environments";
import { synthMessage } from "../../lib/core/knobs";
import { holds } from "../../lib/core/rules";
import { estimate } from "../../tools/cost/estimate";
import { evaluatePolicy } from "../../tools/policy";
import { containers as parsedContainers } from "../../tools/policy/containers";
import { policyModel } from "../../tools/policy/model";
import { DATADOG_VOLUMES } from "../../modules/compute/datadog";
import { problems, type Mutable } from "../helpers/config";
import { containerDefs, resource, resourcesOf, synthAll, type Json, type SynthesizedStack } from "../helpers/synth";
import { synthWorkspace } from "../helpers/workspace-fixture";

type Container = {
  name: string;
  image?: string;
  essential?: boolean;
  cpu?: number;
  memoryReservation?: number;
  readonlyRootFilesystem?: boolean;
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  mountPoints?: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
  dependsOn?: { containerName: string; condition: string }[];
  entryPoint?: string[];
  command?: string[];
};

/** Production built alone with `change` applied to its input, and its parsed config. */
function variant(change: (production: Mutable) => void) {
  let input: Mutable;
  const production = synthWorkspace("production", (p) => {
    change(p);
    input = p;
  });
  return {
    stacks: { production } as Record<string, SynthesizedStack>,
    envs: { production: loadEnvironments({ production: input })[0] } as Record<string, EnvironmentConfig>,
  };
}
const withDatadog = (dd: Json = {}, more: (p: Mutable) => void = () => undefined) =>
  variant((p) => {
    p.compute.datadog = { enabled: true, ...dd };
    p.cost.usage.datadogLogGb = 30;
    more(p);
  });

const checkedIn = synthAll().stacks;
const on = withDatadog();
const prod = on.stacks.production;

/** The task definition `name` of compute, its containers parsed (references resolved where the tfvars know them). */
function taskContainers(stack: SynthesizedStack, name = "app"): Container[] {
  const td = policyModel(stack).resources.find(
    (r) => r.module === "compute" && r.type === "aws_ecs_task_definition" && r.name === name,
  );
  if (!td) throw new Error(`no task definition ${name}`);
  return parsedContainers(td) as unknown as Container[];
}
const byName = (cs: Container[], name: string) => cs.find((c) => c.name === name) as Container;
const env = (c: Container) => Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value]));
const monitoring = (s: SynthesizedStack = prod) => s.modules.monitoring;
const statements = (m: Json, name: string) =>
  JSON.parse(resource(m, "aws_iam_role_policy", name).policy).Statement as Json[];

describe("compute.datadog config", () => {
  test("is off by default, with Datadog's US1 site, a pinned agent 7 image, 128 CPU units / 256 MiB, APM and logs on", () => {
    for (const e of loadEnvironments()) {
      expect(e.compute.datadog).toEqual({
        enabled: false,
        site: "datadoghq.com",
        image: DATADOG_AGENT_IMAGE,
        cpu: 128,
        memory: 256,
        apm: true,
        logs: true,
      });
    }
    expect(DATADOG_AGENT_IMAGE).toMatch(/^public\.ecr\.aws\/datadog\/agent:7\.\d+\.\d+$/);
  });

  test("every Datadog site has a Firehose log intake over https", () => {
    for (const site of DATADOG_SITES)
      expect(DATADOG_FIREHOSE_LOG_URLS[site]).toMatch(
        new RegExp(`^https://aws-kinesis-http-intake\\.logs\\.${site.replace(/\./g, "\\.")}/`),
      );
  });

  test("a site Datadog does not run is refused", () => {
    expect(problems("production", (e) => (e.compute.datadog = { enabled: true, site: "datadoghq.br" }))).toEqual([
      expect.stringMatching(/^production\.compute\.datadog\.site: /),
    ]);
  });

  test("an agent image on :latest or the moving :7 tag is refused", () => {
    expect(
      problems("production", (e) => (e.compute.datadog = { image: "public.ecr.aws/datadog/agent:latest" })),
    ).toEqual(["production.compute.datadog.image: must pin a version, not :latest or :7"]);
    expect(problems("production", (e) => (e.compute.datadog = { image: "public.ecr.aws/datadog/agent:7" }))).toEqual([
      "production.compute.datadog.image: must pin a version, not :latest or :7",
    ]);
  });

  test("an agent whose CPU, with the X-Ray daemon's, leaves the app less than half of the task is refused, on the service's size (the knob the plan checks too)", () => {
    expect(problems("production", (e) => (e.compute.datadog = { enabled: true, cpu: 512 }))).toEqual([
      "production.compute.services[0].cpu: service app: a task of 1024 CPU units is too small: the Datadog agent and the X-Ray daemon reserve 544 CPU units and the app container keeps at least half of the task (at least 1088 CPU units); raise the task size or lower compute.datadog.cpu",
    ]);
  });

  test("an agent whose memory leaves the app less than half of the task is refused", () => {
    expect(problems("dev", (e) => (e.compute.datadog = { enabled: true, memory: 768 }))).toEqual([
      "dev.compute.services[0].memory: service app: a task of 1024 MiB is too small: the Datadog agent reserves 768 MiB and the app container keeps at least half of the task (at least 1536 MiB); raise the task size or lower compute.datadog.memory",
    ]);
  });

  test("every service is checked, workers included", () => {
    const p = problems("staging", (e) => {
      e.compute.datadog = { enabled: true };
      e.compute.xray = true;
      e.compute.services.push({
        name: "worker",
        kind: "worker",
        cpu: 256,
        memory: 512,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 1,
      });
    });
    expect(p).toEqual([
      expect.stringMatching(/^staging\.compute\.services\[1\]\.cpu: service worker: a task of 256 CPU units/),
      expect.stringMatching(/^staging\.compute\.services\[1\]\.memory: service worker: a task of 512 MiB/),
    ]);
  });

  test("the fit rule is not checked while Datadog is off", () => {
    expect(problems("production", (e) => (e.compute.datadog = { enabled: false, cpu: 4096 }))).toEqual([]);
  });

  test("app_cpu and app_memory get the fit rule as knob rules only while Datadog is on, with the same sentence", () => {
    const production = on.envs.production;
    expect(datadogKnobRules(loadEnvironments().find((e) => e.workspace === "production")!.compute)).toEqual([]);
    const [cpu, memory] = datadogKnobRules(production.compute);
    expect(holds(cpu.must, { app_cpu: 512 })).toBe(true);
    expect(holds(cpu.must, { app_cpu: 256 })).toBe(false);
    expect(holds(memory.must, { app_memory: 1024 })).toBe(true);
    expect(holds(memory.must, { app_memory: 512 })).toBe(false);
    expect(synthMessage(cpu, { app_cpu: 256 })).toBe(
      "service app: a task of 256 CPU units is too small: the Datadog agent and the X-Ray daemon reserve 160 CPU units and the app container keeps at least half of the task (at least 320 CPU units); raise the task size or lower compute.datadog.cpu",
    );
    const validations = prod.root.variable.app_cpu.validation as Json[];
    expect(validations.map((v) => v.condition)).toContain("${var.app_cpu >= 320}");
  });
});

describe("off by default", () => {
  test("the checked-in workspaces have no Datadog container, secret, Firehose stream, input or output", () => {
    for (const s of Object.values(checkedIn)) {
      const text = JSON.stringify(s.root) + JSON.stringify(s.modules);
      expect(text).not.toMatch(/datadog/i);
    }
  });
});

describe("agent sidecar", () => {
  const cs = taskContainers(prod);
  const agent = byName(cs, "datadog-agent");
  const init = byName(cs, "datadog-init");
  const app = byName(cs, "app");

  test("runs in Fargate mode for the configured site and workspace, APM on, DogStatsD open to the task's other containers", () => {
    expect(env(agent)).toMatchObject({
      ECS_FARGATE: "true",
      DD_SITE: "datadoghq.com",
      DD_ENV: "production",
      DD_APM_ENABLED: "true",
      DD_DOGSTATSD_NON_LOCAL_TRAFFIC: "true",
      DD_LOGS_ENABLED: "false",
    });
    expect(agent.image).toBe(DATADOG_AGENT_IMAGE);
  });

  test("reads DD_API_KEY from the platform's secret by valueFrom (JSON key api_key), never from its environment", () => {
    expect(agent.secrets).toEqual([
      { name: "DD_API_KEY", valueFrom: "${aws_secretsmanager_secret.datadog_api_key.arn}:api_key::" },
    ]);
    for (const c of cs) expect((c.environment ?? []).map((e) => e.name)).not.toContain("DD_API_KEY");
  });

  test("reserves its CPU and memory inside the task, and is not essential (the app outlives it)", () => {
    expect(agent).toMatchObject({ cpu: 128, memoryReservation: 256, essential: false });
    expect(resource(prod.modules.compute, "aws_ecs_task_definition", "app")).toMatchObject({
      cpu: "${var.app_cpu}",
      memory: "${var.app_memory}",
    });
  });

  test("keeps a read-only root, writing only to task volumes at the paths Datadog's read-only guide lists", () => {
    expect(agent.readonlyRootFilesystem).toBe(true);
    expect(init.readonlyRootFilesystem).toBe(true);
    expect(agent.mountPoints).toEqual(
      Object.entries(DATADOG_VOLUMES).map(([sourceVolume, containerPath]) => ({
        sourceVolume,
        containerPath,
        readOnly: false,
      })),
    );
    expect(Object.values(DATADOG_VOLUMES).sort()).toEqual([
      "/etc/datadog-agent",
      "/opt/datadog-agent/run",
      "/tmp",
      "/var/log/datadog",
      "/var/run/datadog",
    ]);
    const volumes = resource(prod.modules.compute, "aws_ecs_task_definition", "app").volume as Json[];
    expect(volumes.map((v) => v.name)).toEqual(["tmp", ...Object.keys(DATADOG_VOLUMES)]);
  });

  test("starts once an init container has copied the image's default configuration into the config volume", () => {
    expect(init).toMatchObject({
      image: DATADOG_AGENT_IMAGE,
      essential: false,
      entryPoint: ["/bin/sh", "-c"],
      command: ["cp -R /etc/datadog-agent/. /dd-config/"],
    });
    expect(init.mountPoints).toEqual([{ sourceVolume: "dd-config", containerPath: "/dd-config", readOnly: false }]);
    expect(agent.dependsOn).toEqual([{ containerName: "datadog-init", condition: "SUCCESS" }]);
  });

  test("the app is pointed at the agent with unified service tags and starts after it", () => {
    expect(env(app)).toMatchObject({
      DD_AGENT_HOST: "localhost",
      DD_TRACE_AGENT_PORT: "8126",
      DD_SERVICE: "eduautismo-ia-app",
      DD_ENV: "production",
      DD_TRACE_ENABLED: "true",
      DD_LOGS_INJECTION: "true",
    });
    expect(env(containerDefs(prod.modules.compute, "app")[0] as Container).DD_VERSION).toBe("${var.app_image_tag}");
    expect(app.dependsOn).toEqual([{ containerName: "datadog-agent", condition: "START" }]);
  });

  test("one-off tasks (migrations, db bootstrap) run without the agent", () => {
    for (const name of ["migrations", "db_bootstrap"])
      expect(taskContainers(prod, name).map((c) => c.name)).not.toContain("datadog-agent");
  });

  test("every service gets its own agent, workers included", () => {
    const w = variant((p) => {
      p.compute.datadog = { enabled: true };
      p.compute.services.push({
        name: "worker",
        kind: "worker",
        cpu: 512,
        memory: 1024,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 2,
      });
    });
    expect(taskContainers(w.stacks.production, "worker").map((c) => c.name)).toEqual([
      "app",
      "xray-daemon",
      "datadog-init",
      "datadog-agent",
    ]);
    expect(env(byName(taskContainers(w.stacks.production, "worker"), "app")).DD_SERVICE).toBe("eduautismo-ia-worker");
  });

  test("with APM off the agent takes no traces and the app's tracer is off", () => {
    const off = taskContainers(withDatadog({ apm: false }).stacks.production);
    expect(env(byName(off, "datadog-agent")).DD_APM_ENABLED).toBe("false");
    expect(env(byName(off, "app"))).toMatchObject({ DD_TRACE_ENABLED: "false" });
    expect(env(byName(off, "app")).DD_LOGS_INJECTION).toBeUndefined();
  });
});

describe("API key secret", () => {
  const compute = prod.modules.compute;

  test("is <project>/<env>/datadog-api-key, encrypted with the data key, deleted without a recovery window (D80)", () => {
    expect(resource(compute, "aws_secretsmanager_secret", "datadog_api_key")).toMatchObject({
      name: "${var.datadog_api_key_secret_name}",
      kms_key_id: "${var.data_kms_key_arn}",
      recovery_window_in_days: 0,
    });
    expect(prod.root.module.compute.datadog_api_key_secret_name).toBe(
      "eduautismo-ia/${var.environment}/datadog-api-key",
    );
  });

  test("has no value in the configuration: operators put it", () => {
    expect(resourcesOf(compute, "aws_secretsmanager_secret_version")).toEqual({});
  });

  test("the execution role may read it (and decrypt it only through Secrets Manager)", () => {
    const st = JSON.parse(resource(compute, "aws_iam_role_policy", "execution").policy).Statement as Json[];
    expect(st.find((s) => s.Sid === "ReadTaskSecrets")?.Resource).toContain(
      "${aws_secretsmanager_secret.datadog_api_key.arn}",
    );
  });

  test("its ARN is a root output", () => {
    expect(prod.root.output.datadog_api_key_secret_arn.value).toBe("${module.compute.datadog_api_key_secret_arn}");
  });
});

describe("log shipping", () => {
  const m = monitoring();
  const stream = resource(m, "aws_kinesis_firehose_delivery_stream", "datadog_logs");
  const http = stream.http_endpoint_configuration;

  test("the app log group stays in CloudWatch (awslogs) and gets a subscription filter to the Firehose stream", () => {
    const app = byName(taskContainers(prod), "app") as Json;
    expect(app.logConfiguration.logDriver).toBe("awslogs");
    expect(resource(m, "aws_cloudwatch_log_subscription_filter", "datadog")).toMatchObject({
      log_group_name: "${var.app_log_group_name}",
      filter_pattern: "",
      destination_arn: "${aws_kinesis_firehose_delivery_stream.datadog_logs.arn}",
      role_arn: "${aws_iam_role.datadog_subscription.arn}",
    });
    // D77's metric filters keep reading the same group.
    for (const f of Object.values(resourcesOf(m, "aws_cloudwatch_log_metric_filter")))
      expect(f.log_group_name).toBe("${var.app_log_group_name}");
  });

  test("Firehose posts to Datadog's intake for the site, over https, gzip, tagged with the workspace", () => {
    expect(http).toMatchObject({
      url: "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input",
      request_configuration: { content_encoding: "GZIP", common_attributes: [{ name: "env", value: "production" }] },
    });
    const eu = resource(
      monitoring(withDatadog({ site: "datadoghq.eu" }).stacks.production),
      "aws_kinesis_firehose_delivery_stream",
      "datadog_logs",
    );
    expect(eu.http_endpoint_configuration.url).toBe("https://aws-kinesis-http-intake.logs.datadoghq.eu/v1/input");
  });

  test("the API key comes from the secret through Firehose's Secrets Manager integration; no access_key", () => {
    expect(http.secrets_manager_configuration).toEqual({
      enabled: true,
      secret_arn: "${var.datadog_api_key_secret_arn}",
      role_arn: "${aws_iam_role.datadog_firehose.arn}",
    });
    expect(http.access_key).toBeUndefined();
    expect(prod.root.module.monitoring.datadog_api_key_secret_arn).toBe("${module.compute.datadog_api_key_secret_arn}");
  });

  test("the stream is encrypted at rest and failed records go to the logs bucket encrypted with the data key", () => {
    expect(stream.server_side_encryption).toEqual({ enabled: true, key_type: "AWS_OWNED_CMK" });
    expect(http.s3_backup_mode).toBe("FailedDataOnly");
    expect(http.s3_configuration).toMatchObject({
      bucket_arn: "${var.logs_bucket_arn}",
      prefix: "datadog-failed/",
      kms_key_arn: "${var.data_kms_key_arn}",
    });
    expect(prod.root.module.monitoring.logs_bucket_arn).toBe("${module.storage.logs_bucket_arn}");
  });

  test("CloudWatch Logs may only put records into this one stream", () => {
    expect(JSON.parse(resource(m, "aws_iam_role", "datadog_subscription").assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringLike: { "aws:SourceArn": "arn:aws:logs:${var.region}:${var.account_id}:*" } },
      },
    ]);
    expect(statements(m, "datadog_subscription")).toEqual([
      {
        Sid: "PutRecords",
        Effect: "Allow",
        Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
        Resource: "arn:aws:firehose:${var.region}:${var.account_id}:deliverystream/${var.datadog_stream_name}",
      },
    ]);
  });

  test("Firehose may only write its backup prefix, read the one secret and write its error log", () => {
    const st = statements(m, "datadog_firehose");
    expect(st.find((s) => s.Sid === "BackupObjects")?.Resource).toBe("${var.logs_bucket_arn}/datadog-failed/*");
    expect(st.find((s) => s.Sid === "ReadApiKey")).toMatchObject({
      Action: "secretsmanager:GetSecretValue",
      Resource: "${var.datadog_api_key_secret_arn}",
    });
    for (const s of st.filter((x) => String(x.Action).includes("kms:")))
      expect(s.Condition.StringEquals["kms:ViaService"]).toMatch(
        /^(s3|secretsmanager)\.\$\{var\.region\}\.amazonaws\.com$/,
      );
    expect(
      JSON.parse(resource(m, "aws_iam_role", "datadog_firehose").assume_role_policy).Statement[0].Principal,
    ).toEqual({ Service: "firehose.amazonaws.com" });
  });

  test("failed deliveries raise an alarm on the alarm topic", () => {
    expect(resource(m, "aws_cloudwatch_metric_alarm", "datadog_log_delivery")).toMatchObject({
      namespace: "AWS/Firehose",
      metric_name: "DeliveryToHttpEndpoint.Success",
      comparison_operator: "LessThanThreshold",
      alarm_actions: ["${aws_sns_topic.alarms.arn}"],
    });
  });

  test("with logs off nothing is shipped (the agent sidecar stays)", () => {
    const off = withDatadog({ logs: false }).stacks.production;
    expect(resourcesOf(monitoring(off), "aws_kinesis_firehose_delivery_stream")).toEqual({});
    expect(resourcesOf(monitoring(off), "aws_cloudwatch_log_subscription_filter")).toEqual({});
    expect(taskContainers(off).map((c) => c.name)).toContain("datadog-agent");
  });
});

describe("egress", () => {
  test("turning Datadog on opens nothing: the network module and every security group rule are unchanged", () => {
    expect(JSON.stringify(prod.modules.network)).toBe(JSON.stringify(checkedIn.production.modules.network));
    for (const [name, mod] of Object.entries(prod.modules)) {
      for (const type of [
        "aws_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc_security_group_ingress_rule",
      ]) {
        expect([name, resourcesOf(mod, type)]).toEqual([name, resourcesOf(checkedIn.production.modules[name], type)]);
      }
    }
  });

  test("the agent publishes no port: the app reaches it on localhost inside the task", () => {
    expect(byName(taskContainers(prod), "datadog-agent")).not.toHaveProperty("portMappings");
  });
});

describe("gates", () => {
  test("production with Datadog on passes every policy check, each one applying (but the NAT instance's, a development-tier resource, D100)", () => {
    const r = evaluatePolicy(prod, on.envs.production);
    // The rule of the opt-in Terraform roles (D98) applies only where they are on (terraform-roles.test.ts);
    // the NAT instance's EC2 checks only where it exists (dev, D100); the URL rule only where URLs are written (D164).
    expect(
      r.results
        .filter((x) => x.status !== "passed" && !x.check.id.startsWith("ec2-"))
        .map((x) => `${x.check.id}: ${x.status}`),
    ).toEqual(["iam-oidc-role-writer-pinned: n/a", "postgres-url-verifies-server: n/a"]);
  });

  test("npm run cost shows a datadog line only when it is on: tasks × list prices, Firehose and Datadog log ingestion", () => {
    expect(
      estimate(
        loadEnvironments().find((e) => e.workspace === "production")!,
        checkedIn.production,
      ).lines.filter((l) => l.module === "datadog"),
    ).toEqual([]);
    const lines = estimate(on.envs.production, prod).lines.filter((l) => l.module === "datadog");
    expect(lines.map((l) => [l.item, Number(l.usd.toFixed(2))])).toEqual([
      ["API key secret", 0.4],
      ["Datadog infrastructure: 3 Fargate task(s) × $1.2", 3.6],
      ["Datadog APM: 3 Fargate task(s) × $2.4", 7.2],
      ["Firehose: 30 GB of app logs ingested", 0.87],
      ["Datadog log ingestion: 30 GB × $0.1", 3],
    ]);
  });

  test("the cost follows the config: no APM line with APM off, the contract's prices when set", () => {
    // The APM-off build of the test above; the contract's price is a cost setting, which changes nothing synthesized.
    const v = withDatadog({ apm: false });
    const config = v.envs.production;
    const priced = {
      ...config,
      cost: { ...config.cost, datadogPrices: { ...config.cost.datadogPrices, fargateTaskMonth: 1 } },
    };
    const lines = estimate(priced, v.stacks.production).lines.filter((l) => l.module === "datadog");
    expect(lines.map((l) => l.item)).toEqual([
      "API key secret",
      "Datadog infrastructure: 3 Fargate task(s) × $1",
      "Firehose: 30 GB of app logs ingested",
      "Datadog log ingestion: 30 GB × $0.1",
    ]);
  });
});
