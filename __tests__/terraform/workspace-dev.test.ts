import * as fs from "fs";
import * as path from "path";
import { loadEnvironments } from "../../environments";
import { PLACEHOLDER_TAG_WARNING } from "../../modules/compute";
import { type PlanJson, providerSchemas, stateFromPlan, tempDir } from "../../tools/terraform";
import { inputs, synthAll } from "../helpers/synth";
import {
  changesOf,
  initializedWorkdir,
  plannedValues,
  showPlan,
  streamedPlanOk,
  terraform,
  terraformOk,
} from "../helpers/terraform";
import { bashSync } from "../helpers/operator";
import { type WorkspaceContext, workspaceSuite } from "../helpers/workspace-suite";

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

/**
 * The first deploy (seed 000 §5.1, docs/decisions.md D56) and the ECS Exec toolbox (§8.1, D55) on a dev state that holds
 * network, security, storage, cache and database as if applied (stateFromPlan of the suite's full plan, those modules'
 * resources only: a targeted plan of them plans the same values; `-refresh=false`). The crafted state fakes values only
 * known after an apply, so other modules show drift here: the assertions are about module.compute. The same crafted
 * state proves the master password's rotation (database.masterPasswordVersion raised).
 */
function firstDeploy({ fullPlan }: WorkspaceContext): void {
  let dir: string;
  let statePath: string;
  let crafted: { resources: { module?: string }[] };

  beforeAll(() => {
    const { stacks } = synthAll();
    dir = initializedWorkdir(stacks[WS].dir, WS);
    statePath = path.join(dir, "terraform.tfstate.d", WS, "terraform.tfstate");
    crafted = stateFromPlan(fullPlan(), providerSchemas(dir)) as typeof crafted;
    crafted.resources = crafted.resources.filter((r) => DATA_MODULES.some((m) => r.module === `module.${m}`));
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

  // The full plan of §5.1 (empty state, the placeholder tag) plans compute's values as a targeted plan on the deployed
  // data modules does: values come from the configuration.
  test("module.compute with the placeholder tag creates every service at zero tasks, held at zero by autoscaling", () => {
    const planned = plannedValues(fullPlan());
    expect(planned.get("module.compute.aws_ecs_service.app")).toMatchObject({
      desired_count: 0,
      enable_execute_command: false,
    });
    expect(planned.get("module.compute.aws_appautoscaling_target.app")).toMatchObject({
      min_capacity: 0,
      max_capacity: 0,
    });
  });

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
      const app = loadEnvironments()
        .find((e) => e.workspace === "dev")!
        .compute.services.find((svc) => svc.name === "app")!;
      expect(planned.get("module.compute.aws_ecs_service.app")).toMatchObject({
        desired_count: app.desiredCount,
      });
      expect(planned.get("module.compute.aws_appautoscaling_target.app")).toMatchObject({
        min_capacity: app.minCapacity,
        max_capacity: app.maxCapacity,
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

      // A fake `aws` that records its arguments, one per line, and prints a task ARN: a shell function, which bash
      // runs before any `aws` on PATH.
      const argsFile = path.join(tempDir("fake-aws"), "args");
      const fakeAws = `aws() { printf '%s\\n' "$@" > "${argsFile}"; echo arn:aws:ecs:us-east-1:111111111111:task/c/0123; }`;
      const run = (output: string) => {
        const r = bashSync(
          ["-c", `${fakeAws}\nTASK=$(eval "$(terraform output -raw ${output})") && echo "TASK=$TASK"`],
          {
            cwd: render,
            encoding: "utf8",
            env: { ...process.env, TF_IN_AUTOMATION: "1", NO_COLOR: "1" },
          },
        );
        const task = r.stdout.trim();
        expect({ task, stderr: task ? "" : `${r.status}: ${r.stderr}` }).toEqual({
          task: "TASK=arn:aws:ecs:us-east-1:111111111111:task/c/0123",
          stderr: "",
        });
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
}

type Instance = { index_key?: unknown; attributes: Record<string, unknown> };
type State = { resources: { module?: string; type: string; name: string; instances: Instance[] }[] };

/**
 * The deployed dev network: the suite's full plan's network resources as a crafted state (a targeted plan of the network
 * plans the same values), in an initialised copy; each suite gets its own copy of the directory and state.
 */
function deployedCopy(fullPlan: () => PlanJson): { dir: string; state: State } {
  const dir = initializedWorkdir(synthAll().stacks[WS].dir, WS);
  const state = stateFromPlan(fullPlan(), providerSchemas(dir)) as State;
  state.resources = state.resources.filter((r) => r.module === "module.network");
  return { dir, state };
}

// The crafted state fakes values only an apply knows; targeting the VPC alone keeps the rest out.
const VPC_TARGETS = ["-target=module.network.aws_vpc.this", "-target=module.network.aws_vpc.main"];

function renaming({ fullPlan }: WorkspaceContext): void {
  let dir = "";
  let moduleFile = "";
  let original = "";

  beforeAll(() => {
    const copy = deployedCopy(fullPlan);
    dir = copy.dir;
    // The state of a workspace deployed when the VPC was still called aws_vpc.main.
    const state = copy.state;
    for (const r of state.resources)
      if (r.module === "module.network" && r.type === "aws_vpc" && r.name === "this") r.name = "main";
    fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"), JSON.stringify(state));
    moduleFile = path.join(dir, "modules", "network", "main.tf.json");
    original = fs.readFileSync(moduleFile, "utf8");
  });

  test("without a moved block, the plan destroys the old VPC and creates a new one", () => {
    const changes = streamedPlanOk(dir, [
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...VPC_TARGETS,
    ]);
    expect(changes.filter((c) => /^module\.network\.aws_vpc\.(main|this)$/.test(c.address))).toEqual(
      expect.arrayContaining([
        { address: "module.network.aws_vpc.main", actions: ["delete"] },
        { address: "module.network.aws_vpc.this", actions: ["create"] },
      ]),
    );
  });

  test("with a moved block, the plan moves the state entry and destroys nothing", () => {
    const json = JSON.parse(original);
    json.moved = [{ from: "aws_vpc.main", to: "aws_vpc.this" }];
    fs.writeFileSync(moduleFile, JSON.stringify(json));
    try {
      const vpc = streamedPlanOk(dir, [
        "-input=false",
        "-refresh=false",
        "-var-file=environments/dev/terraform.tfvars",
        ...VPC_TARGETS,
      ]).find((c) => c.address === "module.network.aws_vpc.this");
      expect(vpc?.previousAddress).toBe("module.network.aws_vpc.main");
      expect(vpc?.actions).not.toContain("delete");
      expect(vpc?.actions).not.toContain("create");
      expect(vpc?.actions).not.toContain("replace");
    } finally {
      fs.writeFileSync(moduleFile, original);
    }
  });
}

const RULES = ["alb_http_from_internet", "alb_https_from_internet"];

function albRules({ fullPlan }: WorkspaceContext): void {
  let dir = "";

  beforeAll(() => {
    const copy = deployedCopy(fullPlan);
    dir = copy.dir;
    const state = copy.state;
    const find = (type: string, name: string) =>
      state.resources.find((r) => r.module === "module.network" && r.type === type && r.name === name)!.instances[0];
    // The crafted state leaves apply-time references empty; fill the ones these rules depend on, as an apply would.
    const sg = find("aws_security_group", "alb");
    sg.attributes.vpc_id = find("aws_vpc", "this").attributes.id;
    for (const r of state.resources) {
      if (r.module === "module.network" && r.type === "aws_vpc_security_group_ingress_rule" && RULES.includes(r.name)) {
        for (const i of r.instances) {
          delete i.index_key;
          i.attributes.security_group_id = sg.attributes.id;
        }
      }
    }
    fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"), JSON.stringify(state));
  });

  test("the plan moves them to [0] and neither destroys nor creates them", () => {
    const targets = RULES.map((r) => `-target=module.network.aws_vpc_security_group_ingress_rule.${r}`);
    const changes = streamedPlanOk(dir, [
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...targets,
    ]);
    for (const rule of RULES) {
      const change = changes.find((c) => c.address === `module.network.aws_vpc_security_group_ingress_rule.${rule}[0]`);
      expect(change?.previousAddress).toBe(`module.network.aws_vpc_security_group_ingress_rule.${rule}`);
      expect(change?.actions).not.toContain("delete");
      expect(change?.actions).not.toContain("create");
      expect(change?.actions).not.toContain("replace");
    }
  });
}

/**
 * Dev under real Terraform: the workspace suite, the first deploy and the ECS Exec toolbox on a crafted state of the data
 * modules, and refactor safety against a state holding old addresses (first-deploy.test.ts and refactor.test.ts, merged
 * here: their crafted states come from this file's full plan).
 *
 * Plan budget (dev): the suite's (full plan, HA edits; the seed's targeted plans are §5.1's, typed as printed and
 * checked target by target in operator-runbook.test.ts), one full plan with a pushed image's tag and
 * the environment stopped (read by the image-warning and the stop tests), and two plans the workspace guard refuses.
 * First deploy: no plan for its state (the full plan's data modules), three targeted -refresh=false plans of compute
 * (one-off step streamed, pushed tag, toolbox; the placeholder tag's values are the full plan's) and one of the
 * database's password path with the version raised. Refactor: no plan for its state (the full plan's network), three
 * targeted -refresh=false plans read from the `plan -json` stream (a move is a change with a `previous_resource`).
 * The runbook's own sections (docs/runbooks/dev.md) are typed in operator-runbook.test.ts.
 */
workspaceSuite(
  "dev",
  (ctx) => {
    const { dir, fullPlan, fullPlanText, shownPlan } = ctx;
    /** One full plan with a pushed image's tag, the environment stopped (two variables, two independent effects). */
    let stopped: PlanJson | undefined;
    const stoppedWithTag = () =>
      (stopped ??= shownPlan("tfplan-stopped", "-var=environment_running=false", "-var=app_image_tag=v1.0.0"));

    test("the workspace guard refuses the default workspace too", () => {
      terraformOk(dir(), ["workspace", "select", "default"]);
      const r = terraform(dir(), [
        "plan",
        "-input=false",
        "-var-file=environments/dev/terraform.tfvars",
        "-target=module.network",
      ]);
      terraformOk(dir(), ["workspace", "select", "dev"]);
      expect(r.code).not.toBe(0);
      expect(r.text).toContain('selected Terraform workspace is "default"');
    });

    test("a full plan creates one NAT instance (no NAT gateway, D100), no flow logs and no interface endpoints", () => {
      const changes = (fullPlan().resource_changes ?? []).map((c) => c.address);
      const n = (prefix: string) => changes.filter((a) => a.startsWith(prefix)).length;
      expect({
        gateways: n("module.network.aws_nat_gateway.this["),
        nat: n("module.network.aws_instance.nat["),
        flowLogs: n("module.network.aws_flow_log.this"),
        endpoints: n("module.network.aws_vpc_endpoint.interface["),
      }).toEqual({
        gateways: 0,
        nat: 1,
        flowLogs: 0,
        endpoints: 0,
      });
    });

    // The first deploy's full plans (seed 000 §5.1) on an empty state.
    test("the full plan with the placeholder tag warns with the first-deploy steps, and does not fail", () => {
      expect(fullPlanText()).toContain("Warning: Check block assertion failed");
      expect(fullPlanText()).toContain("in check.first_deploy_image");
      expect(fullPlanText()).toContain(PLACEHOLDER_TAG_WARNING.replace(/\s+/g, " "));
    });

    test("a full plan with a pushed image's tag passes the first-deploy image check (no warning)", () => {
      const image = (stoppedWithTag().checks ?? []).find((c) => c.address.name === "first_deploy_image");
      // The example values' warnings (D145) stay until they are replaced; the image's is gone.
      expect(image?.status).toBe("pass");
    });

    test("environment_running = false plans no NAT gateway or instance and services held at zero", () => {
      const plan = stoppedWithTag();
      const changes = (plan.resource_changes ?? []).filter((c) => c.change.actions.join() !== "no-op");
      expect(
        changes.filter(
          (c) =>
            c.address.startsWith("module.network.aws_nat_gateway.") ||
            c.address.startsWith("module.network.aws_instance."),
        ),
      ).toEqual([]);
      expect(plannedValues(plan).get("module.compute.aws_appautoscaling_target.app")).toMatchObject({
        min_capacity: 0,
        max_capacity: 0,
      });
    });

    describe("first deploy and the ECS Exec toolbox (dev)", () => firstDeploy(ctx));
    describe("renaming a resource", () => renaming(ctx));
    describe("ALB internet rules applied before albIngress existed", () => albRules(ctx));
  },
  { runbookTypedElsewhere: true },
);
