/**
 * Seed 000 §7.3, Redis rollback, as the runbook does it (docs/operations.md "Removing Redis"), under
 * real Terraform on a crafted state of the whole staging platform whose recorded dependencies are
 * what a real apply records (stateDependencies): destroy follows them.
 *
 *   1. environments/eduautismo/staging.ts: cache.enabled = false, then npm run synth
 *   2. terraform plan -target=module.compute -target=module.monitoring   (compute loses REDIS_*)
 *   3. terraform plan -target=module.cache                               (deletes the orphaned cache)
 *   and back: cache.enabled = true, npm run synth, plan -target=module.cache creates it again.
 *
 * The crafted state holds placeholders for values only a real apply knows; some resources show
 * drift because of them in any plan. Each assertion is therefore made against a control plan of the
 * unchanged configuration on the same state: what the rollback adds is what is asserted.
 *
 * The same crafted states prove the flow-log KMS key's rail (D58; it was flow-log-key-rail.test.ts, which crafted
 * each workspace's network again): its prevent_destroy follows the workspace.
 *
 * Plan budget: staging — the full plan for the crafted state, one settle plan, the control plan, the seed's destroy
 * plan, the flow-log key's destroy plan (stream), the step-2, step-3 and re-enable plans; production — one targeted
 * plan of the cache and the network for the crafted state, and three plans that meet prevent_destroy or delete the cache.
 */
import * as path from "path";
import * as fs from "fs";
import { inputs, synthAll } from "../helpers/synth";
import {
  describeTerraform,
  initializedWorkdir,
  settleState,
  stateInstances,
  streamedPlanOk,
  terraform,
} from "../helpers/terraform";
import { planJson, providerSchemas, stateDependencies, stateFromPlan } from "../../tools/terraform";

type Change = { address: string; actions: string[] };
type State = Parameters<typeof settleState>[2];

const VAR_FILE = "-var-file=environments/staging/terraform.tfvars";
const destructive = (c: Change) => c.actions.includes("delete");
const inModule = (m: string) => (c: Change) => c.address.startsWith(`module.${m}.`);
const REDIS_ALARM = /^module\.monitoring\.aws_cloudwatch_metric_alarm\.(redis_|cache_miss)/;
/**
 * Only addresses and actions are asserted, so every plan here is read from the `plan -json` stream, which names one
 * action per change: a replacement (`replace`) is a delete and a create, as `terraform show -json` lists it.
 */
const actionsOf = (changes: Change[]): Change[] =>
  changes.map((c) => (c.actions.join() === "replace" ? { ...c, actions: ["delete", "create"] } : c));
/** The VPC flow logs' KMS key (D58). */
const FLOW_LOG_KEY = "module.network.aws_kms_key.flow_logs[0]";
const destroyFlowLogKey = (varFile: string) => [
  "-destroy",
  "-input=false",
  "-refresh=false",
  varFile,
  `-target=${FLOW_LOG_KEY}`,
  "-out=tfplan-destroy-key",
];

describeTerraform("seed 000 §7.3: removing Redis while compute keeps running (staging)", () => {
  let onDir: string;
  let offDir: string;
  let offStack: string;
  let settled: State;
  let control: Change[];
  const stateIn = (dir: string) => path.join(dir, "terraform.tfstate.d", "staging", "terraform.tfstate");
  const plan = (dir: string, name: string, args: string[]): Change[] =>
    actionsOf(streamedPlanOk(dir, ["-input=false", "-refresh=false", VAR_FILE, `-out=${name}`, ...args]));

  beforeAll(() => {
    const on = synthAll().stacks.staging;
    const all = inputs();
    all.staging.cache = { ...all.staging.cache, enabled: false };
    offStack = synthAll(all).stacks.staging.dir;
    onDir = initializedWorkdir(on.dir, "staging");
    offDir = initializedWorkdir(offStack, "staging");
    // The state after a full apply of staging with Redis, dependencies included.
    const crafted = stateFromPlan(planJson(on.dir, "staging"), providerSchemas(onDir), undefined, {
      dependencies: stateDependencies(on.dir),
    }) as State;
    settled = settleState(onDir, stateIn(onDir), crafted, VAR_FILE, ["module.compute", "module.monitoring"]);
    control = plan(onDir, "tfplan-control", ["-target=module.compute", "-target=module.monitoring"]);
  });

  test("the seed's `terraform destroy -target=module.cache` would also destroy the ECS service (why the runbook does not use it)", () => {
    const changes = plan(onDir, "tfplan-seed-destroy", ["-destroy", "-target=module.cache"]);
    expect(changes.filter(destructive).map((c) => c.address)).toEqual(
      expect.arrayContaining([
        "module.compute.aws_ecs_service.app",
        "module.cache.aws_elasticache_replication_group.redis",
      ]),
    );
  });

  test("the flow-log key has no prevent_destroy outside production: staging plans its destruction (D58)", () => {
    expect(streamedPlanOk(onDir, destroyFlowLogKey(VAR_FILE)).map((c) => c.address)).toContain(FLOW_LOG_KEY);
  });

  describe("step 2, with cache.enabled = false: plan -target=module.compute -target=module.monitoring", () => {
    let changes: Change[];
    beforeAll(() => {
      fs.writeFileSync(stateIn(offDir), JSON.stringify(settled));
      changes = plan(offDir, "tfplan-ecs", ["-target=module.compute", "-target=module.monitoring"]);
    });

    test("leaves the cache alone", () => {
      expect(changes.filter(inModule("cache"))).toEqual([]);
    });

    test("updates the ECS service in place: it never stops", () => {
      expect(changes.find((c) => c.address === "module.compute.aws_ecs_service.app")?.actions).toEqual(["update"]);
    });

    test("deletes or replaces no compute resource beyond what the unchanged configuration also plans on this state", () => {
      const baseline = new Set(control.filter(destructive).map((c) => c.address));
      expect(
        changes
          .filter(inModule("compute"))
          .filter(destructive)
          .filter((c) => !baseline.has(c.address)),
      ).toEqual([]);
    });

    test("registers a new revision of the app's task definition, the one without REDIS_* variables", () => {
      expect(changes.find((c) => c.address === "module.compute.aws_ecs_task_definition.app")?.actions).toContain(
        "create",
      );
      expect(fs.readFileSync(path.join(offStack, "modules", "compute", "main.tf.json"), "utf8")).not.toMatch(
        /REDIS_|redis_/,
      );
    });

    test("deletes only the Redis alarms in monitoring", () => {
      const deleted = changes
        .filter(inModule("monitoring"))
        .filter(destructive)
        .map((c) => c.address);
      expect(deleted.length).toBeGreaterThan(0);
      expect(deleted.filter((a) => !REDIS_ALARM.test(a))).toEqual([]);
    });
  });

  describe("step 3, after step 2 was applied: plan -target=module.cache", () => {
    let changes: Change[];
    let afterStep2: State;
    beforeAll(() => {
      // Step 2 applied: compute and monitoring record the dependencies of the configuration without
      // Redis, and the Redis alarms are gone.
      const deps = stateDependencies(offStack);
      afterStep2 = structuredClone(settled);
      afterStep2.resources = afterStep2.resources.filter((r) => !REDIS_ALARM.test(`${r.module}.${r.type}.${r.name}`));
      for (const r of afterStep2.resources) {
        if (r.module !== "module.compute" && r.module !== "module.monitoring") continue;
        for (const inst of r.instances) inst.dependencies = deps.get(`${r.module}.${r.type}.${r.name}`) ?? [];
      }
      fs.writeFileSync(stateIn(offDir), JSON.stringify(afterStep2));
      changes = plan(offDir, "tfplan-cache", ["-target=module.cache"]);
    });

    test("-target=module.cache still selects the orphaned cache resources once the module block is gone", () => {
      expect(changes.map((c) => c.address)).toEqual(
        expect.arrayContaining([
          "module.cache.aws_elasticache_replication_group.redis",
          "module.cache.aws_secretsmanager_secret.redis_auth[0]",
          "module.cache.aws_security_group.redis",
          "module.cache.terraform_data.auth_token",
        ]),
      );
    });

    test("deletes module.cache and nothing else", () => {
      expect(changes.filter((c) => !inModule("cache")(c))).toEqual([]);
      expect(new Set(changes.flatMap((c) => c.actions))).toEqual(new Set(["delete"]));
    });

    test("and re-enabling Redis afterwards plans a clean create of the whole module", () => {
      const gone = structuredClone(afterStep2);
      gone.resources = gone.resources.filter((r) => r.module !== "module.cache");
      fs.writeFileSync(stateIn(onDir), JSON.stringify(gone));
      const back = plan(onDir, "tfplan-cache-back", ["-target=module.cache"]);
      const cache = back.filter(inModule("cache"));
      expect(cache.map((c) => c.address)).toEqual(
        expect.arrayContaining([
          "module.cache.aws_elasticache_replication_group.redis",
          "module.cache.aws_secretsmanager_secret.redis_auth[0]",
        ]),
      );
      expect(new Set(cache.flatMap((c) => c.actions))).toEqual(new Set(["create"]));
      expect(back.filter(destructive)).toEqual([]);
      expect([...stateInstances(gone).keys()].filter((a) => a.startsWith("module.cache."))).toEqual([]);
    });
  });
});

describeTerraform("seed 000 §7.3 in production: prevent_destroy, and the deliberate config step that lifts it", () => {
  const VAR = "-var-file=environments/production/terraform.tfvars";
  let onDir: string;
  let offDir: string;

  beforeAll(() => {
    const on = synthAll().stacks.production;
    const all = inputs();
    all.production.cache = { ...all.production.cache, enabled: false, allowDestroy: true };
    const off = synthAll(all).stacks.production;
    onDir = initializedWorkdir(on.dir, "production");
    offDir = initializedWorkdir(off.dir, "production");
    // Production's network and cache as applied by seed 000 §5.1–5.2 (with what the cache reads from security).
    const state = stateFromPlan(
      planJson(on.dir, "production", ["-target=module.network", "-target=module.cache"]),
      providerSchemas(onDir),
      undefined,
      { dependencies: stateDependencies(on.dir) },
    );
    for (const dir of [onDir, offDir])
      fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "production", "terraform.tfstate"), JSON.stringify(state));
  });

  test("with the cache enabled, prevent_destroy refuses to destroy the replication group", () => {
    const r = terraform(onDir, ["plan", "-input=false", "-refresh=false", VAR, "-destroy", "-target=module.cache"]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain("Instance cannot be destroyed");
    expect(r.text).toContain("module.cache.aws_elasticache_replication_group.redis");
  });

  test("the flow-log key's prevent_destroy refuses a plan that destroys it (D58)", () => {
    const r = terraform(onDir, ["plan", ...destroyFlowLogKey(VAR)]);
    expect(r.code).not.toBe(0);
    expect(r.text).toContain("Instance cannot be destroyed");
    expect(r.text).toContain("aws_kms_key.flow_logs");
  });

  test("with enabled: false and allowDestroy: true, plan -target=module.cache deletes the cache and nothing else", () => {
    const changes = actionsOf(
      streamedPlanOk(offDir, ["-input=false", "-refresh=false", VAR, "-target=module.cache", "-out=tfplan-no-cache"]),
    );
    expect(changes.map((c) => c.address)).toContain("module.cache.aws_elasticache_replication_group.redis");
    expect(changes.filter((c) => !c.address.startsWith("module.cache."))).toEqual([]);
    expect(new Set(changes.flatMap((c) => c.actions))).toEqual(new Set(["delete"]));
  });
});
