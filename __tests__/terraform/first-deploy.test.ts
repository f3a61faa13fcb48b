/**
 * The first deploy (seed 000 §5.1, docs/decisions.md D56) and the ECS Exec toolbox (§8.1, D55) under
 * real Terraform, on a dev state that holds network, security, storage, cache and database as if
 * applied (stateFromPlan; `-refresh=false`). The crafted state fakes values only known after an
 * apply, so other modules show drift here: the assertions are about module.compute. The full plans of
 * §5.1 on an empty state (the placeholder tag's warning) are dev's full plan (workspace-dev.test.ts).
 *
 * The same crafted state proves the master password's rotation (database.masterPasswordVersion raised; it was
 * database.test.ts, which planned dev's database again for its state).
 *
 * Plan budget (dev): one targeted plan of the data modules for the crafted state, then four targeted
 * -refresh=false plans of compute (one-off step, placeholder tag, pushed tag, toolbox) and one of the database's
 * password path with the version raised.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { planJson, providerSchemas, stateFromPlan, tempDir } from "../../tools/terraform";
import { inputs, synthAll } from "../helpers/synth";
import {
  changesOf,
  describeTerraform,
  initializedWorkdir,
  plannedValues,
  showPlan,
  streamedPlanOk,
  terraformOk,
} from "../helpers/terraform";

const WS = "dev";
/** Several plans on a shared 2-core machine: generous per-test limits. */
const SLOW = 900_000;
const VAR_FILE = `-var-file=environments/${WS}/terraform.tfvars`;
const DATA_MODULES = ["network", "security", "storage", "cache", "database"];
const ONE_OFF_TARGETS = [
  "module.compute.aws_ecr_repository.app",
  "module.compute.aws_ecs_cluster.this",
  "module.compute.aws_ecs_task_definition.migrations",
];

/** The planned values of the resources a saved plan creates, by address (`terraform show -json`). */
function plannedCompute(dir: string, planFile: string): Map<string, Record<string, unknown>> {
  return plannedValues(showPlan(dir, planFile));
}

describeTerraform("first deploy and the ECS Exec toolbox under real Terraform (dev)", () => {
  let dir: string;
  let statePath: string;
  let crafted: object;

  beforeAll(() => {
    const { stacks } = synthAll();
    const plan = planJson(
      stacks[WS].dir,
      WS,
      DATA_MODULES.map((m) => `-target=module.${m}`),
    );
    dir = initializedWorkdir(stacks[WS].dir, WS);
    statePath = path.join(dir, "terraform.tfstate.d", WS, "terraform.tfstate");
    crafted = stateFromPlan(plan, providerSchemas(dir));
    fs.writeFileSync(statePath, JSON.stringify(crafted));
  }, SLOW);

  test(
    "step 2: -target on the registry, the cluster and the migrations task definition plans only those and their dependencies in compute",
    () => {
      const changes = streamedPlanOk(dir, [
        "-input=false",
        "-refresh=false",
        VAR_FILE,
        ...ONE_OFF_TARGETS.map((t) => `-target=${t}`),
        "-out=tfplan-one-off",
      ]);
      const compute = changes
        .filter((c) => c.address.startsWith("module.compute."))
        .map((c) => c.address)
        .sort();
      expect(compute).toEqual(
        [
          ...ONE_OFF_TARGETS,
          // what they reference: the task's roles and log group, the cluster's exec log group
          "module.compute.aws_cloudwatch_log_group.app",
          "module.compute.aws_cloudwatch_log_group.exec",
          "module.compute.aws_iam_role.execution",
          "module.compute.aws_iam_role.task",
        ].sort(),
      );
      expect(changes.filter((c) => /^module\.(monitoring|cdn)\./.test(c.address))).toEqual([]);
    },
    SLOW,
  );

  test(
    "module.compute with the placeholder tag creates every service at zero tasks, held at zero by autoscaling",
    () => {
      terraformOk(dir, [
        "plan",
        "-input=false",
        "-refresh=false",
        VAR_FILE,
        "-target=module.compute",
        "-out=tfplan-placeholder",
      ]);
      const planned = plannedCompute(dir, "tfplan-placeholder");
      expect(planned.get("module.compute.aws_ecs_service.app")).toMatchObject({
        desired_count: 0,
        enable_execute_command: false,
      });
      expect(planned.get("module.compute.aws_appautoscaling_target.app")).toMatchObject({
        min_capacity: 0,
        max_capacity: 0,
      });
    },
    SLOW,
  );

  test(
    "module.compute with a pushed image's tag creates the service at its configured counts",
    () => {
      terraformOk(dir, [
        "plan",
        "-input=false",
        "-refresh=false",
        VAR_FILE,
        "-var=app_image_tag=v1.0.0",
        "-target=module.compute",
        "-out=tfplan-image",
      ]);
      const planned = plannedCompute(dir, "tfplan-image");
      expect(planned.get("module.compute.aws_ecs_service.app")).toMatchObject({
        desired_count: 1,
      });
      expect(planned.get("module.compute.aws_appautoscaling_target.app")).toMatchObject({
        min_capacity: 1,
        max_capacity: 2,
      });
    },
    SLOW,
  );

  test(
    "the toolbox task definition plans on its own, with its role and never a service",
    () => {
      terraformOk(dir, [
        "plan",
        "-input=false",
        "-refresh=false",
        VAR_FILE,
        "-target=module.compute.aws_ecs_task_definition.toolbox",
        "-out=tfplan-toolbox",
      ]);
      const plan = showPlan(dir, "tfplan-toolbox");
      const compute = changesOf(plan)
        .filter((c) => c.address.startsWith("module.compute."))
        .map((c) => c.address);
      expect(compute).toEqual(
        expect.arrayContaining([
          "module.compute.aws_ecs_task_definition.toolbox",
          "module.compute.aws_iam_role.toolbox",
        ]),
      );
      expect(compute.filter((a) => a.includes("aws_ecs_service") || a.includes("aws_iam_role_policy.task"))).toEqual(
        [],
      );
      const td = plannedValues(plan).get("module.compute.aws_ecs_task_definition.toolbox") as Record<string, unknown>;
      expect(td).toMatchObject({
        family: "eduautismo-ia-dev-toolbox",
        cpu: "256",
        memory: "512",
        tags: { Purpose: "ecs-exec-toolbox" },
      });
    },
    SLOW,
  );

  // A crafted state fakes values only known after apply, so unrelated attributes drift; what matters is the
  // password's path (dev: no prevent_destroy).
  test(
    "rotation: raising database.masterPasswordVersion makes a new password and sends its new version to the primary",
    () => {
      const bumped = inputs();
      bumped[WS].database = { ...bumped[WS].database, masterPasswordVersion: 2 };
      const rotated = initializedWorkdir(synthAll(bumped).stacks[WS].dir, WS);
      fs.writeFileSync(path.join(rotated, "terraform.tfstate.d", WS, "terraform.tfstate"), JSON.stringify(crafted));
      const targets = [
        "terraform_data.master_password",
        "terraform_data.app_password",
        "aws_db_instance.postgres",
        "aws_secretsmanager_secret_version.db_master",
      ].map((a) => `-target=module.database.${a}`);
      terraformOk(rotated, ["plan", "-input=false", "-refresh=false", VAR_FILE, ...targets, "-out=tfplan-rotate"]);
      const shown = showPlan(rotated, "tfplan-rotate");
      const change = (address: string) =>
        (shown.resource_changes ?? []).find((c) => c.address === address)?.change as
          | { actions: string[]; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null }
          | undefined;
      expect(change("module.database.terraform_data.master_password")?.actions.sort()).toEqual(["create", "delete"]);
      expect(change("module.database.terraform_data.app_password")?.actions).toEqual(["no-op"]);
      const primary = change("module.database.aws_db_instance.postgres");
      expect([primary?.before?.password_wo_version, primary?.after?.password_wo_version]).toEqual([1, 2]);
      // The secret gets the new value (the provider replaces the version or updates it in place).
      expect(change("module.database.aws_secretsmanager_secret_version.db_master")?.actions).not.toEqual(["no-op"]);
      fs.rmSync(rotated, { recursive: true, force: true });
    },
    SLOW,
  );

  test(
    'TASK=$(eval "$(terraform output -raw <output>)") runs aws ecs run-task with the words of names.md',
    () => {
      // The module's own output templates, rendered by Terraform with this workspace's names and fake ids,
      // then read back with `terraform output -raw` and eval'd as the runbook does.
      const compute = synthAll().stacks[WS].modules.compute;
      const render = tempDir("run-task-output");
      const subst = (v: string) =>
        v
          .replace(/aws_ecs_cluster\.this\.name/g, "var.cluster")
          .replace(/aws_ecs_task_definition\.(\w+)\.family/g, "var.family_$1");
      fs.writeFileSync(
        path.join(render, "main.tf.json"),
        JSON.stringify({
          variable: {
            cluster: { default: "eduautismo-ia-dev" },
            family_toolbox: { default: "eduautismo-ia-dev-toolbox" },
            family_migrations: { default: "eduautismo-ia-dev-migrations" },
            private_subnet_ids: { default: ["subnet-0a", "subnet-0b"] },
            app_security_group_id: { default: "sg-0app" },
          },
          output: {
            ecs_toolbox_run_task_command: { value: subst(compute.output.ecs_toolbox_run_task_command.value) },
            migrations_run_task_command: { value: subst(compute.output.migrations_run_task_command.value) },
          },
        }),
      );
      terraformOk(render, ["init", "-input=false"]);
      terraformOk(render, ["apply", "-input=false", "-auto-approve"]);

      // A fake `aws` that records its arguments, one per line, and prints a task ARN.
      const bin = tempDir("fake-aws");
      const argsFile = path.join(bin, "args");
      fs.writeFileSync(
        path.join(bin, "aws"),
        `#!/bin/sh\nprintf '%s\\n' "$@" > "${argsFile}"\necho arn:aws:ecs:us-east-1:111111111111:task/c/0123\n`,
        { mode: 0o755 },
      );
      const run = (output: string) => {
        const r = spawnSync("bash", ["-c", `TASK=$(eval "$(terraform output -raw ${output})") && echo "TASK=$TASK"`], {
          cwd: render,
          encoding: "utf8",
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TF_IN_AUTOMATION: "1", NO_COLOR: "1" },
        });
        expect(r.stdout.trim()).toBe("TASK=arn:aws:ecs:us-east-1:111111111111:task/c/0123");
        return fs.readFileSync(argsFile, "utf8").trim().split("\n");
      };
      const network =
        "awsvpcConfiguration={subnets=[subnet-0a,subnet-0b],securityGroups=[sg-0app],assignPublicIp=DISABLED}";
      expect(run("ecs_toolbox_run_task_command")).toEqual([
        "ecs",
        "run-task",
        "--cluster",
        "eduautismo-ia-dev",
        "--task-definition",
        "eduautismo-ia-dev-toolbox",
        "--launch-type",
        "FARGATE",
        "--enable-execute-command",
        "--network-configuration",
        network,
        "--query",
        "tasks[0].taskArn",
        "--output",
        "text",
      ]);
      expect(run("migrations_run_task_command")).toEqual([
        "ecs",
        "run-task",
        "--cluster",
        "eduautismo-ia-dev",
        "--task-definition",
        "eduautismo-ia-dev-migrations",
        "--launch-type",
        "FARGATE",
        "--network-configuration",
        network,
        "--query",
        "tasks[0].taskArn",
        "--output",
        "text",
      ]);
    },
    SLOW,
  );
});
