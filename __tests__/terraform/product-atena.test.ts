/**
 * Atena (seed 002) under real Terraform 1.11 and aws provider 5.100 (offline), one file for its one workspace (prod):
 * - the runbook suite (__tests__/helpers/product-suite.ts: init, validate and the runbook's plans as typed, the full plan,
 *   the HA edits; it was products.test.ts);
 * - the targeted compute plan the guide's pipeline runs, and DATABASE_URL written write-only — a plan that knows the
 *   password and the endpoint still shows the URL nowhere (D104);
 * - the database's restore and redeploy sections (D198, D199) typed as printed in a second copy holding a crafted state
 *   of every resource (it was restore.test.ts): deletion protection and `prevent_destroy` are on, so plans run with
 *   `-refresh=false`; `npm run synth -- atena` lines rewrite the copy's configuration from the environment the section
 *   asks for (protections lifted, then back); `terraform apply <file>` lines are checked to apply the plan the previous
 *   line wrote; `aws` and `git` lines are not run offline.
 *
 * Plan budget (prod): the suite's; the suite's full plan also gives the database's planned values and the restore copy's
 * crafted state (no plan of their own); the targeted compute plan with an image tag (shared by three tests), one settle
 * plan and the plan after put-parameter; one settle plan and the URL's plan; the refused database plan (replicas with a
 * stop schedule). Restore copy: one settle plan; the refused restore plan; each section's plans once, as printed with
 * `-json` appended (the stream gives addresses and actions; `show -json` only for the plans whose values are read:
 * unprotect, restore, protect, redeploy); one baseline per distinct line without its `-var` on what the copy holds
 * (streamed; the unprotect step's is shared by both sections).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { type EnvironmentInput, loadEnvironments } from "../../environments";
import { databaseStart } from "../../lib/core/schedule";
import { ATENA } from "../../environments/atena";
import { moduleGraph, targetClosure } from "../../tools/rollout";
import {
  initializedWorkdir,
  planJson,
  type PlanJson,
  type PlannedChange,
  providerSchemas,
  showPlan,
  stateFromPlan,
  streamedChanges,
  terraform,
  terraformOk,
} from "../../tools/terraform";
import { command, OperatorWorkspace, planOut, REPO, withoutRefresh } from "../helpers/operator";
import { type ProductContext, productSuite } from "../helpers/product-suite";
import { synthProduct, type Json } from "../helpers/synth";
import { settleState } from "../helpers/terraform";

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

function atenaProd(ctx: ProductContext): void {
  const stack = synthProduct(ATENA).dir("prod");
  /** The guide's targeted compute plan with a real image's tag: planned once, read by the first two tests. */
  let compute: PlanJson | undefined;
  const computePlan = () => (compute ??= planJson(stack, "prod", ["-target=module.compute", TAG]));
  /**
   * The database's planned values: the suite's full plan (a targeted plan of the database plans the same values for
   * its resources and what it reads), read by the URL's test and the schedule's.
   */
  const databasePlan = () => ctx.fullPlan();

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
      // What a targeted plan of the database holds: its module and the modules it reads.
      const graph = moduleGraph(ctx.stack.root);
      const read = new Set(["database", ...targetClosure(graph, "database")].map((m) => `module.${m}`));
      state.resources = state.resources.filter((r) => read.has(String(r.module)));
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
}

const WS = "prod";
const PRIMARY = "module.database.aws_db_instance.postgres";
/** The sections restoreSections types as printed (the start of their titles). */
const RESTORE_SECTION = "Restore the database from a snapshot";
const REDEPLOY_SECTION = "Redeploy the database";
const runbook = fs.readFileSync(path.join(REPO, "docs", "runbooks", "atena", `${WS}.md`), "utf8");

/** The bash lines of the runbook section whose title starts with `title`. */
function sectionLines(title: string): string[] {
  const section = runbook.split(/^(?=## )/m).find((s) => s.startsWith(`## ${title}`));
  if (!section) throw new Error(`docs/runbooks/atena/${WS}.md has no section "${title}"`);
  return [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1].split("\n").filter((l) => l.trim()));
}

type Change = { address: string; change: { actions: string[]; after: Json | null; replace_paths?: string[][] } };
/**
 * A plan a section's line made: its changes from the `plan -json` stream (one action per change: `replace` is a delete
 * and a create), and `terraform show -json` of its file, run only when a test reads planned values.
 */
interface Planned {
  readonly changes: PlannedChange[];
  readonly shown: () => PlanJson;
}
const changes = (plan: PlanJson) => (plan.resource_changes ?? []) as unknown as Change[];
const changeOf = (plan: PlanJson, address: string) => changes(plan).find((c) => c.address === address)?.change;
const withAction = (p: Planned, ...actions: string[]) =>
  p.changes.filter((c) => actions.includes(c.actions[0])).map((c) => c.address);
const deleted = (p: Planned) => withAction(p, "delete", "replace");
const created = (p: Planned) => withAction(p, "create", "replace");
/** Addresses `out` deletes that its baseline (the same plan without the runbook's -var) does not. */
function newDeletes(plans: Map<string, Planned>, out: string): string[] {
  const base = new Set(deleted(plans.get(`${out}-base`) as Planned));
  return deleted(plans.get(out) as Planned).filter((a) => !base.has(a));
}

function restoreSections(ctx: ProductContext): void {
  const input = ATENA.environments[WS] as EnvironmentInput;
  const lifted = {
    ...input,
    preventDestroy: false,
    database: { ...input.database, deletionProtection: false },
  } as EnvironmentInput;
  const protectedStack = synthProduct(ATENA).stacks[WS];
  const liftedStack = synthProduct(ATENA, { [WS]: lifted }).stacks[WS];
  let op: OperatorWorkspace;
  /** The full plan's crafted state: every resource of the workspace "deployed". */
  let deployed: Json;

  beforeAll(() => {
    op = new OperatorWorkspace(protectedStack, process.env.TF_PROVIDER_MIRROR as string);
    op.ok("terraform init -input=false");
    op.ok(`terraform workspace new ${WS}`);
    // The suite's full plan (an empty state's: the same as this copy's would be).
    const crafted = stateFromPlan(ctx.fullPlan(), providerSchemas(op.dir)) as Json;
    // Security group rules stay out: a crafted rule makes provider 5.100 fail its plan ("requires replacement ... for a
    // non-existent attribute path"); every plan below then creates them, which no assertion reads.
    crafted.resources = crafted.resources.filter(
      (r: Json) => !/^aws_vpc_security_group_(ingress|egress)_rule$/.test(r.type),
    );
    // What the instance's apply records, which the connection URLs and the secrets are written from.
    Object.assign(primaryOf(crafted), { address: HOST, port: 5432, endpoint: `${HOST}:5432` });
    // The crafted state gets the values its placeholders let a plan compute (key ARNs, VPC ids), as an apply would have
    // recorded them: planned once without any prevent_destroy, in this copy only, so a fake's drift cannot stop the plan.
    op.resynthesized(liftedStack);
    for (const m of fs.readdirSync(path.join(op.dir, "modules"))) {
      const file = path.join(op.dir, "modules", m, "main.tf.json");
      fs.writeFileSync(
        file,
        fs.readFileSync(file, "utf8").replace(/"prevent_destroy": true/g, '"prevent_destroy": false'),
      );
    }
    const stateFile = path.join(op.dir, "terraform.tfstate.d", WS, "terraform.tfstate");
    deployed = settleState(
      op.dir,
      stateFile,
      crafted as Parameters<typeof settleState>[2],
      `-var-file=environments/${WS}/terraform.tfvars`,
      [],
    ) as unknown as Json;
    op.resynthesized(protectedStack);
  }, 600_000);
  afterAll(() => op?.remove());

  /** What the copy holds (the pushed state, the configuration synthesized): a baseline plan is shared between equal ones. */
  let holds = { state: "", config: "protected" };
  /** Baseline plans (a line without its -var), by what the copy held and the line: each distinct one planned once. */
  const baselines = new Map<string, PlannedChange[]>();

  /** Pushes the crafted state, edited by `edit` (what an apply would have recorded). */
  function push(edit: (state: Json) => void = () => undefined): void {
    const state = JSON.parse(JSON.stringify(deployed));
    edit(state);
    holds = { ...holds, state: createHash("sha256").update(JSON.stringify(state.resources)).digest("hex") };
    const current = op.ok("terraform state pull").stdout.trim();
    state.serial = (current ? (JSON.parse(current).serial as number) : 0) + 1;
    fs.writeFileSync(path.join(op.dir, "crafted.tfstate"), JSON.stringify(state));
    op.ok("terraform state push crafted.tfstate");
  }
  function primaryOf(state: Json): Json {
    return state.resources.find(
      (r: Json) => r.module === "module.database" && r.type === "aws_db_instance" && r.name === "postgres",
    ).instances[0].attributes;
  }

  /**
   * Runs a section's lines in order: synth lines rewrite the copy (the first from the lifted environment, the next from
   * the checked-in one), plans run without refresh, applies name the previous plan's file. `before` runs ahead of a line.
   */
  function runSection(
    title: string,
    before: (line: string, plans: Map<string, Planned>) => void = () => undefined,
  ): Map<string, Planned> {
    const plans = new Map<string, Planned>();
    let synths = 0;
    let lastOut: string | undefined;
    for (const printed of sectionLines(title)) {
      const line = command(printed);
      before(line, plans);
      if (line === "npm run synth -- atena") {
        const lifting = synths++ === 0;
        op.resynthesized(lifting ? liftedStack : protectedStack);
        holds = { ...holds, config: lifting ? "lifted" : "protected" };
      } else if (/^terraform apply /.test(line)) expect(line).toBe(`terraform apply ${lastOut}`);
      else if (/^terraform plan /.test(line)) {
        // `-json` appended: the stream of the same plan gives addresses and actions; values are shown when read.
        const out = planOut(line) as string;
        let shown: PlanJson | undefined;
        plans.set(out, {
          changes: streamedChanges(op.ok(`${withoutRefresh(line)} -json`).stdout),
          shown: () => (shown ??= showPlan(op.dir, out)),
        });
        lastOut = out;
        // The same plan without the section's -var: what the crafted state's placeholders alone change (the baseline).
        if (/ -var=/.test(line)) {
          const baseLine = withoutRefresh(line.replace(/ -var=\S+/g, "").replace(/-out=\S+/, `-out=${out}-base`));
          const key = JSON.stringify([holds, baseLine.replace(/-out=\S+/, "")]);
          if (!baselines.has(key)) baselines.set(key, streamedChanges(op.ok(`${baseLine} -json`).stdout));
          plans.set(`${out}-base`, {
            changes: baselines.get(key) as PlannedChange[],
            shown: () => {
              throw new Error("a baseline is read for addresses and actions only");
            },
          });
        }
      } else if (/^terraform output /.test(line))
        expect(Object.keys(protectedStack.root.output)).toContain(line.split(" ").pop());
      else expect(line).toMatch(/(^|[\s($])(aws|git) |\beval\b/);
    }
    return plans;
  }

  test("with the protections on, the restore plan stops at prevent_destroy: the lifting step is needed", () => {
    push();
    const restore = sectionLines(RESTORE_SECTION).find((l) => l.includes("-out=tfplan-restore"));
    const r = op.run(withoutRefresh(command(restore as string)));
    expect(r.code).toBe(1);
    expect(r.text).toContain("Instance cannot be destroyed");
  }, 600_000);

  test("restore: the primary is replaced by the snapshot at its identifier, nothing else is deleted, and clearing the knob afterwards replaces nothing", () => {
    push();
    const snapshot = /-var=db_snapshot_identifier=(\S+)/.exec(sectionLines(RESTORE_SECTION).join("\n"))?.[1] as string;
    let synths = 0;
    const plans = runSection(RESTORE_SECTION, (line) => {
      // Step 5 starts from what the restore's apply records: the instance created from the snapshot, unprotected.
      if (line === "npm run synth -- atena" && synths++ === 1)
        push((s) => Object.assign(primaryOf(s), { snapshot_identifier: snapshot, deletion_protection: false }));
    });
    const unprotect = plans.get("tfplan-unprotect")?.shown() as PlanJson;
    expect(changeOf(unprotect, PRIMARY)?.actions).toEqual(["update"]);
    expect(changeOf(unprotect, PRIMARY)?.after).toMatchObject({
      deletion_protection: false,
      final_snapshot_identifier: "atena-prod-db-before-restore",
    });
    expect(newDeletes(plans, "tfplan-unprotect")).toEqual([]);
    const restore = plans.get("tfplan-restore")?.shown() as PlanJson;
    const primary = changeOf(restore, PRIMARY);
    expect(primary?.actions).toEqual(["delete", "create"]);
    expect(primary?.replace_paths).toContainEqual(["snapshot_identifier"]);
    expect(primary?.after).toMatchObject({ snapshot_identifier: snapshot, identifier: "atena-prod-db" });
    expect(plans.get("tfplan-restore-base")?.changes.find((c) => c.address === PRIMARY)?.actions).toEqual(["update"]);
    expect(
      newDeletes(plans, "tfplan-restore").filter((a) => !a.startsWith("module.database.aws_db_instance.")),
    ).toEqual([]);
    const protect = plans.get("tfplan-protect")?.shown() as PlanJson;
    expect(changeOf(protect, PRIMARY)?.actions).toEqual(["update"]);
    expect(changeOf(protect, PRIMARY)?.after).toMatchObject({
      deletion_protection: true,
      snapshot_identifier: snapshot,
    });
  }, 900_000);

  test("redeploy: the destroy keeps keys, buckets, repositories, secrets and the network, and the apply creates the primary from the named final snapshot", () => {
    push();
    let destroyed: string[] = [];
    const lines = sectionLines(REDEPLOY_SECTION);
    const final = /-var=db_final_snapshot_identifier=(\S+)/.exec(lines.join("\n"))?.[1] as string;
    let synths = 0;
    const plans = runSection(REDEPLOY_SECTION, (line, planned) => {
      // What the destroy's apply leaves, and then what the redeploy's apply records.
      if (line.includes("-out=tfplan-redeploy")) {
        destroyed = deleted(planned.get("tfplan-destroy") as Planned);
        const gone = new Set(destroyed.map((a) => a.replace(/\[[^\]]*\]$/, "")));
        push((s) => {
          s.resources = s.resources.filter(
            (r: Json) => !gone.has(`${r.module ? r.module + "." : ""}${r.type}.${r.name}`),
          );
        });
      }
      if (line === "npm run synth -- atena" && synths++ === 1)
        push((s) => Object.assign(primaryOf(s), { snapshot_identifier: final, deletion_protection: false }));
    });
    expect(changeOf(plans.get("tfplan-unprotect")?.shown() as PlanJson, PRIMARY)?.after).toMatchObject({
      final_snapshot_identifier: final,
      deletion_protection: false,
    });
    expect(destroyed).toContain(PRIMARY);
    const kept = /^module\.(security|storage|network)\.|aws_ecr_repository|aws_secretsmanager_secret\.|aws_kms_key/;
    expect(destroyed.filter((a) => kept.test(a))).toEqual([]);
    const redeploy = plans.get("tfplan-redeploy") as Planned;
    expect(changeOf(redeploy.shown(), PRIMARY)?.actions).toEqual(["create"]);
    expect(changeOf(redeploy.shown(), PRIMARY)?.after).toMatchObject({
      snapshot_identifier: final,
      identifier: "atena-prod-db",
    });
    expect(newDeletes(plans, "tfplan-redeploy")).toEqual([]);
    // Only what the destroy deleted is created again (besides what the baseline creates from the crafted state).
    const baseCreated = created(plans.get("tfplan-redeploy-base") as Planned);
    expect(created(redeploy).filter((a) => !destroyed.includes(a) && !baseCreated.includes(a))).toEqual([]);
    const protect = plans.get("tfplan-protect") as Planned;
    expect(protect.changes.find((c) => c.address === PRIMARY)?.actions).toEqual(["update"]);
  }, 900_000);
}

productSuite(
  ATENA,
  "prod",
  (ctx) => {
    describe("Atena prod: compute, DATABASE_URL, the working hours", () => atenaProd(ctx));
    describe("Atena prod: the database restore and redeploy sections, typed as printed", () => restoreSections(ctx));
  },
  { typedElsewhere: [RESTORE_SECTION, REDEPLOY_SECTION] },
);
