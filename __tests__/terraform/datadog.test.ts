/**
 * Datadog switched on (compute.datadog.enabled) in production, under real Terraform: a plan of compute and monitoring
 * (which validates the root and every module first) creates the agent sidecar, the API key secret and the log
 * pipeline, the targeted first step of docs/operations.md plans the secret alone, and a tfvars task
 * too small for the sidecars fails the plan with the synth-time sentence.
 *
 * Plan budget (production, Datadog on): one `init`, the plan of compute and monitoring (show -json), the secret's targeted plan (stream),
 * and one refused compute plan.
 */
import * as fs from "fs";
import * as path from "path";
import { datadogKnobRules } from "../../modules/compute/datadog-config";
import { loadEnvironments } from "../../environments";
import { synthMessage } from "../../lib/core/knobs";
import { inputs, synthAll } from "../helpers/synth";
import {
  changesOf,
  describeTerraform,
  plannedValues,
  showPlan,
  streamedPlanOk,
  terraform,
  terraformOk,
  workdirFrom,
} from "../helpers/terraform";

const VARS = "-var-file=environments/production/terraform.tfvars";

describeTerraform("Datadog on in production under real Terraform", () => {
  const custom = inputs();
  custom.production.compute.datadog = { enabled: true };
  let dir = "";

  beforeAll(() => {
    dir = workdirFrom(synthAll(custom).stacks.production.dir);
    terraformOk(dir, ["init", "-input=false"]);
    terraformOk(dir, ["workspace", "new", "production"]);
  });

  test("a plan validates and creates the API key secret, the sidecar's task definition and the log pipeline", () => {
    const expected = [
      "module.compute.aws_secretsmanager_secret.datadog_api_key",
      "module.compute.aws_ecs_task_definition.app",
      "module.monitoring.aws_kinesis_firehose_delivery_stream.datadog_logs",
      "module.monitoring.aws_cloudwatch_log_subscription_filter.datadog",
      "module.monitoring.aws_iam_role.datadog_firehose",
      "module.monitoring.aws_iam_role.datadog_subscription",
      "module.monitoring.aws_cloudwatch_metric_alarm.datadog_log_delivery",
    ];
    // Targeted at the modules of those resources (and what they read): a plan validates the root and every module
    // before it plans, targeted or not, and a targeted plan of a module plans the same values for it.
    const targets = [...new Set(expected.map((a) => a.split(".").slice(0, 2).join(".")))].map((m) => `-target=${m}`);
    terraformOk(dir, ["plan", "-input=false", VARS, ...targets, "-out=tfplan-all"]);
    const plan = showPlan(dir, "tfplan-all");
    const created = changesOf(plan)
      .filter((c) => c.actions.includes("create"))
      .map((c) => c.address);
    expect(created).toEqual(expect.arrayContaining(expected));
    // Container definitions are known only at apply (repository URL, secret ARN); the stream's settings are known now.
    const stream = plannedValues(plan).get(
      "module.monitoring.aws_kinesis_firehose_delivery_stream.datadog_logs",
    ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(stream.http_endpoint_configuration[0].url).toBe(
      "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input",
    );
    expect(stream.http_endpoint_configuration[0].secrets_manager_configuration[0].enabled).toBe(true);
    expect(stream.server_side_encryption[0]).toMatchObject({ enabled: true, key_type: "AWS_OWNED_CMK" });
  });

  test("the first step of turning Datadog on plans the API key secret alone", () => {
    const changes = streamedPlanOk(dir, [
      "-input=false",
      VARS,
      "-target=module.compute.aws_secretsmanager_secret.datadog_api_key",
      "-out=tfplan-secret",
    ]);
    expect(changes.filter((c) => c.address.startsWith("module.compute."))).toEqual([
      { address: "module.compute.aws_secretsmanager_secret.datadog_api_key", actions: ["create"] },
    ]);
  });

  test("an app_cpu too small for the agent and the X-Ray daemon fails the plan with the synth-time sentence", () => {
    const file = path.join(dir, "environments", "production", "terraform.tfvars");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(
      file,
      original.replace(/^app_cpu = .*$/m, "app_cpu = 256").replace(/^app_memory = .*$/m, "app_memory = 512"),
    );
    try {
      const r = terraform(dir, ["plan", "-input=false", VARS, "-target=module.compute"]);
      expect(r.code).not.toBe(0);
      const env = loadEnvironments(custom).find((e) => e.workspace === "production");
      const [cpuRule] = datadogKnobRules(env!.compute);
      expect(r.text.replace(/\s+/g, " ")).toContain(synthMessage(cpuRule, { app_cpu: 256 }));
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
