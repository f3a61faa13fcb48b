/**
 * Atena's prod under real Terraform 1.11 and aws provider 5.100 (offline): the targeted compute plan the
 * guide's pipeline runs, and DATABASE_URL written write-only — a plan that knows the password and the
 * endpoint still shows the URL nowhere (D104).
 *
 * Plan budget (prod): the targeted compute plan with an image tag (shared by the first two tests and the schedule's),
 * one settle plan and the plan after put-parameter; the targeted database plan (shared by the URL's test and the
 * schedule's), one settle plan and the URL's plan.
 */
import * as fs from "fs";
import * as path from "path";
import { loadEnvironments } from "../../environments";
import { databaseStart } from "../../lib/core/schedule";
import { ATENA } from "../../environments/atena";
import {
  initializedWorkdir,
  planJson,
  type PlanJson,
  providerSchemas,
  stateFromPlan,
  terraform,
  terraformOk,
} from "../../tools/terraform";
import { describeTerraform, settleState } from "../helpers/terraform";
import { synthProduct } from "../helpers/synth";

type State = {
  serial: number;
  resources: { module?: string; type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[];
};
type Shown = {
  prior_state?: unknown;
  resource_changes: {
    address: string;
    change: { actions: string[]; after: Record<string, unknown> | null; after_unknown?: Record<string, unknown> };
  }[];
};

const VAR_FILE = "-var-file=environments/prod/terraform.tfvars";
/** The password and host the crafted state holds (stateFromPlan's fake for terraform_data's uuid() input). */
const PASSWORD = "fake-app_password-input";
const HOST = "atena-prod-db.abcdefghijkl.us-east-1.rds.amazonaws.com";

const TAG = "-var=app_image_tag=sha-abc1234";

describeTerraform("Atena prod under real Terraform", () => {
  const stack = synthProduct(ATENA).dir("prod");
  /** The guide's targeted compute plan with a real image's tag: planned once, read by the first two tests. */
  let compute: PlanJson | undefined;
  const computePlan = () => (compute ??= planJson(stack, "prod", ["-target=module.compute", TAG]));
  /** The targeted database plan: planned once, read by the URL's test and the schedule's. */
  let database: PlanJson | undefined;
  const databasePlan = () => (database ??= planJson(stack, "prod", ["-target=module.database"]));

  test("a targeted plan of module.compute creates the guide's cluster, services, log groups and parameters", () => {
    const plan = computePlan() as unknown as {
      resource_changes: { address: string; change: { actions: string[]; after: Record<string, unknown> } }[];
    };
    const after = (a: string) =>
      plan.resource_changes.find((c) => c.address === `module.compute.${a}`)?.change.after ?? {};
    expect(after("aws_ecs_cluster.this").name).toBe("atena-prod-cluster");
    expect([after("aws_ecs_service.api").name, after("aws_ecs_service.workers").name]).toEqual([
      "atena-prod-api",
      "atena-prod-workers",
    ]);
    expect([
      after("aws_cloudwatch_log_group.service_api").name,
      after("aws_cloudwatch_log_group.service_workers").name,
    ]).toEqual(["/ecs/atena-prod-api", "/ecs/atena-prod-workers"]);
    expect(after("aws_ssm_parameter.claude_api_key")).toMatchObject({
      name: "/atena/prod/CLAUDE_API_KEY",
      type: "SecureString",
      value: "CHANGE_ME",
    });
  }, 600_000);

  test("every service runs zero tasks while an operator parameter is CHANGE_ME, and the plan after put-parameter starts them; the container rename updates the service in place (D162)", () => {
    type Plan = {
      variables: Record<string, { value: unknown }>;
      resource_changes: { address: string; change: { actions: string[]; after: Record<string, unknown> | null } }[];
    };
    const targets = (p: Plan) =>
      p.resource_changes.filter((c) => /^module\.compute\.aws_appautoscaling_target\./.test(c.address));
    const minimum = (p: Plan, address: string) => p.variables[`${address.split(".").pop()}_min_capacity`].value;
    // A real image, the environment running: only the placeholders hold the services.
    const first = computePlan() as unknown as Plan;
    expect(targets(first).length).toBeGreaterThan(0);
    for (const t of targets(first))
      expect([t.address, t.change.after?.min_capacity, t.change.after?.max_capacity]).toEqual([t.address, 0, 0]);
    const dir = initializedWorkdir(stack, "prod");
    try {
      // As after the first apply and the operators' `aws ssm put-parameter --overwrite`: the next plan reads their values.
      const state = stateFromPlan(first as never, providerSchemas(dir)) as State;
      // Only compute's resources: the modules it reads are planned as new, so their fakes meet no prevent_destroy.
      state.resources = state.resources.filter((r) => r.module === "module.compute");
      const parameters = state.resources.filter((r) => r.module === "module.compute" && r.type === "aws_ssm_parameter");
      expect(parameters.length).toBeGreaterThan(0);
      for (const r of parameters) for (const i of r.instances) i.attributes.value = "set-by-the-operator";
      // The release before D162 named the API's container `app`: the rename must not replace the service.
      const api = state.resources.find((r) => r.type === "aws_ecs_service" && r.name === "api")?.instances[0]
        .attributes;
      (api?.load_balancer as { container_name: string }[])[0].container_name = "app";
      const file = path.join(dir, "terraform.tfstate.d", "prod", "terraform.tfstate");
      // With the real tag the state was made with: without it the plan would bring back the placeholder, which D136 refuses.
      settleState(
        dir,
        file,
        state as unknown as Parameters<typeof settleState>[2],
        [VAR_FILE, TAG],
        ["module.compute"],
      );
      terraformOk(dir, [
        "plan",
        "-input=false",
        "-refresh=false",
        VAR_FILE,
        TAG,
        "-target=module.compute",
        "-out=tfplan-set",
      ]);
      const next = JSON.parse(terraformOk(dir, ["show", "-json", "tfplan-set"]).stdout) as Plan;
      for (const t of targets(next))
        expect([t.address, t.change.after?.min_capacity]).toEqual([t.address, minimum(next, t.address)]);
      expect(
        next.resource_changes.find((c) => c.address === "module.compute.aws_ecs_service.api")?.change.actions,
      ).toEqual(["update"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  test("DATABASE_URL's value is in neither the plan text nor terraform show -json, though Terraform knows the password and the host", () => {
    const applied = databasePlan();
    const dir = initializedWorkdir(stack, "prod");
    try {
      const state = stateFromPlan(applied, providerSchemas(dir)) as State;
      // As after a first apply, but without the parameter and its version: the next plan creates them from known values.
      state.resources = state.resources.filter(
        (r) => !(r.module === "module.database" && ["database_url", "database_url_version"].includes(r.name)),
      );
      for (const r of state.resources.filter((x) => x.module === "module.database" && x.type === "aws_db_instance")) {
        for (const i of r.instances)
          Object.assign(i.attributes, { address: HOST, port: 5432, endpoint: `${HOST}:5432` });
      }
      // Test copy only: the crafted state's fakes must not stop the plan at prod's prevent_destroy; settleState
      // then copies into the state what the settle plan knows (key ARNs, …), so the instance stays as it is.
      const moduleFile = path.join(dir, "modules", "database", "main.tf.json");
      fs.writeFileSync(
        moduleFile,
        fs.readFileSync(moduleFile, "utf8").replace(/"prevent_destroy": true/g, '"prevent_destroy": false'),
      );
      const file = path.join(dir, "terraform.tfstate.d", "prod", "terraform.tfstate");
      settleState(dir, file, state as unknown as Parameters<typeof settleState>[2], VAR_FILE, [
        "module.database.aws_db_instance.postgres",
      ]);
      const target = "-target=module.database.aws_ssm_parameter.database_url";
      const text = terraformOk(dir, [
        "plan",
        "-input=false",
        "-refresh=false",
        VAR_FILE,
        target,
        "-out=tfplan-url",
      ]).stdout;
      const json = terraformOk(dir, ["show", "-json", "tfplan-url"]).stdout;
      const shown = JSON.parse(json) as Shown;
      const change = shown.resource_changes.find(
        (c) => c.address === "module.database.aws_ssm_parameter.database_url",
      )?.change;

      expect(change?.actions).toEqual(["create"]);
      // Terraform had everything the URL is made of …
      expect(JSON.stringify(shown.prior_state)).toContain(PASSWORD);
      expect(JSON.stringify(shown.prior_state)).toContain(HOST);
      // … and the URL is nowhere: not in the plan text, not in the JSON, and the write-only argument reads null.
      for (const out of [text, json]) {
        expect(out).not.toContain("postgresql://atena_app");
        expect(out).not.toContain(`${PASSWORD}@`);
      }
      expect(change?.after?.value_wo ?? null).toBeNull();
      expect(change?.after?.value ?? null).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);

  test("the working hours plan under real Terraform: each service's start action restores its target's bounds, the database's schedules call RDS through the scheduler's role (D210)", () => {
    type Change = { address: string; change: { actions: string[]; after: Record<string, unknown> | null } };
    const [env] = loadEnvironments(ATENA.environments, ATENA);
    const schedule = env.schedule!;
    const changes = (p: PlanJson) => (p as unknown as { resource_changes: Change[] }).resource_changes;
    const after = (p: PlanJson, address: string) => {
      const c = changes(p).find((x) => x.address === address);
      expect([address, c?.change.actions]).toEqual([address, ["create"]]);
      return c?.change.after ?? {};
    };
    const computeChanges = computePlan();
    const targets = changes(computeChanges).filter((c) =>
      c.address.startsWith("module.compute.aws_appautoscaling_target."),
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      const name = t.address.split(".").pop();
      const action = (id: string) =>
        after(computeChanges, `module.compute.aws_appautoscaling_scheduled_action.${name}_${id}`);
      const bounds = (a: Record<string, unknown>) => (a.scalable_target_action as Record<string, unknown>[])[0];
      expect(bounds(action("stop"))).toMatchObject({ min_capacity: "0", max_capacity: "0" });
      expect(bounds(action("start"))).toMatchObject({
        min_capacity: String(t.change.after?.min_capacity),
        max_capacity: String(t.change.after?.max_capacity),
      });
      expect([action("stop").schedule, action("start").schedule, action("start").timezone]).toEqual([
        schedule.stop,
        schedule.start,
        schedule.timezone,
      ]);
    }
    const db = databasePlan();
    const role = after(db, "module.database.aws_iam_role.schedule");
    expect(JSON.parse(String(role.assume_role_policy)).Statement[0].Principal).toEqual({
      Service: "scheduler.amazonaws.com",
    });
    after(db, "module.database.aws_iam_role_policy.schedule");
    for (const [id, api] of [
      ["stop", "stopDBInstance"],
      ["start", "startDBInstance"],
    ]) {
      const s = after(db, `module.database.aws_scheduler_schedule.${id}`);
      expect(s).toMatchObject({
        // The database starts its lead before the services (D212).
        schedule_expression: id === "stop" ? schedule.stop : databaseStart(schedule),
        schedule_expression_timezone: schedule.timezone,
        state: "ENABLED",
      });
      expect((s.target as Record<string, unknown>[])[0].arn).toBe(`arn:aws:scheduler:::aws-sdk:rds:${api}`);
    }
  }, 600_000);

  test("read replicas set in the tfvars stop the plan at the knob's validation (RDS cannot stop a scheduled instance with one)", () => {
    const dir = initializedWorkdir(stack, "prod");
    try {
      const r = terraform(dir, [
        "plan",
        "-input=false",
        VAR_FILE,
        "-target=module.database",
        "-var=db_replica_count=1",
      ]);
      expect(r.code).not.toBe(0);
      expect(r.text).toMatch(/no read replicas while the database is scheduled/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
