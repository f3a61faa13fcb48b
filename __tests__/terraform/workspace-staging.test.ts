import * as fs from "fs";
import * as path from "path";
import { providerSchemas, stateDependencies, stateFromPlan } from "../../tools/terraform";
import { inputs, synthAll } from "../helpers/synth";
import {
  asShownActions,
  destroyFlowLogKey,
  FLOW_LOG_KEY,
  initializedWorkdir,
  settleState,
  stateInstances,
  streamedPlanOk,
  terraformOk,
  workdirFrom,
} from "../helpers/terraform";
import { type WorkspaceContext, workspaceSuite } from "../helpers/workspace-suite";

type Change = { address: string; actions: string[] };
type State = Parameters<typeof settleState>[2];

const STAGING_VAR_FILE = "-var-file=environments/staging/terraform.tfvars";
const destructive = (c: Change) => c.actions.includes("delete");
const inModule = (m: string) => (c: Change) => c.address.startsWith(`module.${m}.`);
const REDIS_ALARM = /^module\.monitoring\.aws_cloudwatch_metric_alarm\.(redis_|cache_miss)/;

/**
 * Seed 000 §7.3, Redis rollback (it was redis-rollback.test.ts, merged here: its crafted state is this file's full
 * plan), as the runbook does it (docs/operations.md "Removing Redis"), under real Terraform on a crafted state of the whole staging platform whose recorded dependencies are
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
 * Plan budget: the crafted state is the suite's full plan (no plan of its own), then one settle plan, the control plan,
 * the seed's destroy plan, the flow-log key's destroy plan, the step-2, step-3 and re-enable plans (streamed but the
 * settle plan). Production's part is in workspace-production.test.ts.
 */
function redisRollback({ fullPlan }: WorkspaceContext): void {
  let onDir: string;
  let offDir: string;
  let offStack: string;
  let settled: State;
  let control: Change[];
  const stateIn = (dir: string) => path.join(dir, "terraform.tfstate.d", "staging", "terraform.tfstate");
  const plan = (dir: string, name: string, args: string[]): Change[] =>
    asShownActions(streamedPlanOk(dir, ["-input=false", "-refresh=false", STAGING_VAR_FILE, `-out=${name}`, ...args]));

  beforeAll(() => {
    const on = synthAll().stacks.staging;
    const all = inputs();
    all.staging.cache = { ...all.staging.cache, enabled: false };
    offStack = synthAll(all).stacks.staging.dir;
    onDir = initializedWorkdir(on.dir, "staging");
    offDir = initializedWorkdir(offStack, "staging");
    // The state after a full apply of staging with Redis, dependencies included.
    const crafted = stateFromPlan(fullPlan(), providerSchemas(onDir), undefined, {
      dependencies: stateDependencies(on.dir),
    }) as State;
    settled = settleState(onDir, stateIn(onDir), crafted, STAGING_VAR_FILE, ["module.compute", "module.monitoring"]);
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
    expect(streamedPlanOk(onDir, destroyFlowLogKey(STAGING_VAR_FILE)).map((c) => c.address)).toContain(FLOW_LOG_KEY);
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
}

/**
 * Plan budget (staging): the suite's (full plan, four targeted plans streamed, the guard's refused plan, HA edits), the
 * Redis rollback's plans (above), the bootstrap stack's plan (stream; the plan validates it) and the S3 backend's
 * `init -backend=false` and `validate` (no plan: it needs the bucket).
 */
workspaceSuite("staging", (ctx) => {
  describe("seed 000 §7.3: removing Redis while compute keeps running (staging)", () => redisRollback(ctx));

  // `terraform plan` validates the configuration first (no separate `validate`); the stream gives the addresses.
  test("the bootstrap stack validates and plans its state bucket", () => {
    const { outdir } = synthAll();
    const dir = workdirFrom(path.join(outdir, "stacks", "bootstrap"));
    terraformOk(dir, ["init", "-input=false"]);
    const planned = streamedPlanOk(dir, ["-input=false", "-out=tfplan-bootstrap"]).map((c) => c.address);
    expect(planned).toContain("aws_s3_bucket.state");
  });

  test("the S3 backend configuration is accepted by terraform init -backend=false and validate", () => {
    const all = inputs();
    all.staging.state = { bucket: "eduautismo-ia-terraform-state" };
    const dir = workdirFrom(synthAll(all).stacks.staging.dir);
    // The override file switches the copy to a local backend; remove it to check the real S3 block.
    fs.rmSync(path.join(dir, "zz_test_override.tf.json"));
    terraformOk(dir, ["init", "-input=false", "-backend=false"]);
    expect(terraformOk(dir, ["validate", "-json"]).stdout).toContain('"valid": true');
  });
});
