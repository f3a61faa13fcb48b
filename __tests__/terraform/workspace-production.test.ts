import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, loadEnvironments } from "../../environments";
import { placeholderCheckName, placeholdersOf } from "../../lib/core/placeholders";
import { moduleGraph, targetClosure } from "../../tools/rollout";
import {
  changesOf,
  initializedWorkdir,
  OFFLINE_PROVIDER,
  planResources,
  type PlanJson,
  type PlanResource,
  providerSchemas,
  stateDependencies,
  stateFromPlan,
} from "../../tools/terraform";
import { MAX_CACHE_NODES } from "../../modules/cache/config";
import { originDnsWarning } from "../../modules/cdn";
import { startFakeSts, type FakeSts } from "../helpers/fake-sts";
import { editedTfvars, haLosses, haSnapshot, modulesReading } from "../helpers/ha-invariants";
import { plannedVerdictDifferences } from "../helpers/policy-plan";
import { inputs, synthAll } from "../helpers/synth";
import {
  asShownActions,
  destroyFlowLogKey,
  plannedValues,
  sharedInstanceNames,
  streamedPlanOk,
  terraform,
} from "../helpers/terraform";
import { type WorkspaceContext, workspaceSuite } from "../helpers/workspace-suite";

/**
 * Plan budget (production): the suite's (full plan, four targeted plans, HA edits), the policy gate over the full plan
 * (no plan of its own; it was policy-plan.test.ts), the CDN's targeted plan (stream), one targeted plan of the cache for
 * the HA fixture (the full plan is its smaller count; the targeted one also shows what `-target=module.cache` pulls in,
 * seed 000 §5.2), one targeted plan of the database with `-var=db_apply_immediately=true` (what it pulls in, and the
 * knob reaching every instance), one full plan under another account's credentials (refused), and two refused plans
 * (another environment and stopping production in one; the guard's, which carries the runbook's refused edit).
 * The database's planned values are read from the full plan. Seed 000 §7.3 in production (it was redis-rollback.test.ts):
 * its crafted state is the full plan's network, cache and what they read (no plan of its own), then two plans refused by
 * prevent_destroy and the cache's delete plan (stream).
 */
workspaceSuite("production", (ctx) => {
  const { dir, plan, fullPlan, shownPlan } = ctx;
  /** Production as configured (environments/eduautismo/production.ts), validated. */
  const env = () => {
    const found = loadEnvironments(EDUAUTISMO.environments, EDUAUTISMO).find((e) => e.workspace === "production");
    if (!found) throw new Error("no production environment");
    return found;
  };

  // The policy gate against Terraform's own evaluation (issue 23 item 3; it was policy-plan.test.ts, which planned
  // production again): the model built from `terraform show -json` of the full plan (tools/policy/planned.ts; count,
  // for_each and every argument decided by Terraform) must give the offline gate's verdicts for every check whose input
  // Terraform resolves at plan. Production is the EduAutismo workspace that calls every module.
  test("every check of switches, sizes, counts and tiers gives on Terraform's planned values the offline gate's verdict", () => {
    expect(plannedVerdictDifferences(synthAll().stacks.production, env(), EDUAUTISMO, fullPlan())).toEqual([]);
  });
  describe("seed 000 §7.3 in production: prevent_destroy, and the deliberate config step that lifts it", () =>
    redisRollbackProduction(ctx));
  const created = () => (fullPlan().resource_changes ?? []).map((c) => c.address);
  const root = () => synthAll().stacks.production.root;
  /** The modules a plan touches, and what `npm run rollout` announces a target pulls in. */
  const modulesOf = (p: PlanJson) => [...new Set(changesOf(p).map((c) => c.address.split(".")[1]))].sort();
  const closure = (m: string) => [m, ...targetClosure(moduleGraph(root()), m)].sort();

  test("the full plan creates the NAT gateways the NAT mode asks for (one per AZ or one), the flow log and every interface endpoint configured", () => {
    const changes = created();
    const n = (prefix: string) => changes.filter((a) => a.startsWith(prefix)).length;
    const { network, availabilityZones } = env();
    const nats: Record<string, number> = { "one-per-az": availabilityZones.length, single: 1 };
    expect({
      nat: n("module.network.aws_nat_gateway.this["),
      flowLogs: n("module.network.aws_flow_log.this"),
      endpoints: n("module.network.aws_vpc_endpoint.interface["),
    }).toEqual({
      nat: nats[network.natMode] ?? 0,
      flowLogs: network.flowLogs.enabled ? 1 : 0,
      endpoints: network.interfaceEndpoints.length,
    });
  });

  test("the full plan opens the ALB to CloudFront's prefix list only, and forwards only with the origin header", () => {
    const changes = created();
    expect(changes.filter((a) => a.startsWith("module.network.aws_vpc_security_group_ingress_rule.alb_"))).toEqual([
      "module.network.aws_vpc_security_group_ingress_rule.alb_https_from_cloudfront[0]",
    ]);
    expect(changes).toEqual(
      expect.arrayContaining([
        "module.compute.terraform_data.origin_verify",
        "module.compute.aws_lb_listener_rule.app",
      ]),
    );
  });

  test("the full plan warns that the origin's DNS record is the operator's (no Route 53 zone configured)", () => {
    const check = (fullPlan().checks ?? []).find((c) => c.address.name === "cdn_origin_dns_record");
    expect(check?.status).toBe("fail");
    expect(JSON.stringify(check?.instances)).toContain(originDnsWarning(env().cdn.originDomainName as string));
  });

  test("every instance of a counted resource in the full plan has its own name: one alarm per Redis node and per replica (D130)", () => {
    const alarms = [...plannedValues(fullPlan())].filter(([a]) =>
      a.startsWith("module.monitoring.aws_cloudwatch_metric_alarm."),
    );
    expect(alarms.filter(([a]) => a.includes("redis_memory_high[")).length).toBeGreaterThan(1);
    expect(new Set(alarms.map(([, v]) => v.alarm_name)).size).toBe(alarms.length);
    expect(sharedInstanceNames(fullPlan())).toEqual([]);
  });

  test("the full plan warns on every example value of the environment (D145), and only on those", () => {
    const expected = placeholdersOf(env()).map(placeholderCheckName).sort();
    expect(expected.length).toBeGreaterThan(0);
    const checks = (fullPlan().checks ?? []).filter((c) => c.address.name.startsWith("placeholder_"));
    // "fail" for each: Terraform's RE2 reads the same shape the synthesis matched.
    expect(checks.map((c) => [c.address.name, c.status]).sort()).toEqual(expected.map((n) => [n, "fail"]));
  });

  describe("credentials of another account (D145)", () => {
    let sts: FakeSts;
    beforeAll(async () => {
      sts = await startFakeSts("999999999999");
    });
    afterAll(() => sts?.stop());

    test("without the test harness's account override, every provider (aliases too) refuses another account's credentials", () => {
      // The harness nulls allowed_account_ids (offline the provider cannot tell the account). Here the provider asks a
      // local STS who the credentials are, as it asks AWS, and gets account 999999999999.
      const work = initializedWorkdir(synthAll().stacks.production.dir, "production");
      const root = JSON.parse(fs.readFileSync(path.join(work, "cdk.tf.json"), "utf8"));
      const { allowed_account_ids: _nulled, ...offline } = OFFLINE_PROVIDER;
      const asked = { ...offline, skip_requesting_account_id: false, endpoints: [{ sts: sts.endpoint }] };
      const providers = root.provider.aws.map((p: { alias?: string }) =>
        p.alias ? { alias: p.alias, ...asked } : asked,
      );
      fs.writeFileSync(
        path.join(work, "zz_test_override.tf.json"),
        JSON.stringify({
          provider: { aws: providers },
          terraform: { backend: { local: { path: "terraform.tfstate" } } },
        }),
      );
      // Targeted at the modules handed an aliased provider (they use the default one too): every configuration is
      // configured, without planning the rest of production.
      const targets = Object.entries<{ providers?: object }>(root.module)
        .filter(([, m]) => m.providers)
        .map(([name]) => `-target=module.${name}`);
      const r = terraform(work, [
        "plan",
        "-input=false",
        "-var-file=environments/production/terraform.tfvars",
        ...targets,
      ]);
      expect(r.code).not.toBe(0);
      const refused = [...r.text.matchAll(/AWS account ID not allowed: 999999999999/g)].length;
      expect(refused).toBe(root.provider.aws.length);
      for (const p of root.provider.aws.filter((x: { alias?: string }) => x.alias))
        expect(r.text).toContain(`provider["registry.terraform.io/hashicorp/aws"].${p.alias}`);
    });
  });

  /**
   * One refused plan for two rules that read disjoint variables (Terraform reports every failing validation of a plan):
   * an edited tfvars pointing the directory at another environment, and stopping production. Targeted at the modules
   * that read the switch: its validation runs in every plan of them (and last in a full plan).
   */
  let refusedRun: { code: number; text: string } | undefined;
  const refused = () => {
    if (refusedRun) return refusedRun;
    const targets = modulesReading(synthAll().stacks.production, ["environment_running"]).map(
      (m) => `-target=module.${m}`,
    );
    expect(targets.length).toBeGreaterThan(0);
    return (refusedRun = terraform(dir(), [
      "plan",
      "-input=false",
      "-var-file=environments/production/terraform.tfvars",
      "-var=environment=dev",
      "-var=environment_running=false",
      ...targets,
    ]));
  };

  test("an edited tfvars cannot point the directory at another environment", () => {
    const r = refused();
    expect(r.code).not.toBe(0);
    expect(r.text).toContain(
      'This directory was synthesized for the "production" workspace; environment must be "production".',
    );
  });

  /**
   * A targeted plan of the cache with a group one node larger than production's (within the schema's maximum), and the
   * same one node smaller, so the smaller count still passes the failover validation and only the HA check can catch
   * it, whatever production's count is today. The smaller one is production's own count unless that is the maximum:
   * then the full plan plans it already (a targeted plan of a module plans the same values for it).
   */
  let fixture: { nodes: number; base: PlanJson; edited: PlanJson } | undefined;
  const cacheFixture = () => {
    if (fixture) return fixture;
    const file = path.join(dir(), "environments", "production", "terraform.tfvars");
    const original = fs.readFileSync(file, "utf8");
    const configured = Number(/^redis_num_cache_nodes = (\d+)/m.exec(original)?.[1]);
    const nodes = Math.min(configured + 1, MAX_CACHE_NODES);
    const withNodes = (n: number) => editedTfvars(original, { redis_num_cache_nodes: String(n) });
    try {
      fs.writeFileSync(file, withNodes(nodes));
      const base = shownPlan("tfplan-ha-fixture-base", "-target=module.cache");
      // Before D140 the §8.3 fix printed staging's count (2) here.
      let edited: PlanJson;
      if (nodes - 1 === configured) edited = fullPlan();
      else {
        fs.writeFileSync(file, withNodes(nodes - 1));
        edited = shownPlan("tfplan-ha-fixture", "-target=module.cache");
      }
      fixture = { nodes, base, edited };
    } finally {
      fs.writeFileSync(file, original);
    }
    return fixture;
  };

  test("the runbook-edit HA check catches an edit copied from a smaller workspace: one node fewer than production's is a lost node", () => {
    const { nodes, base, edited } = cacheFixture();
    const losses = haLosses(haSnapshot(base), haSnapshot(edited), ["cache"]);
    expect(losses).toEqual([`module.cache.aws_elasticache_replication_group.redis nodes: ${nodes} → ${nodes - 1}`]);
  });

  test("seed 000 §5.2: plan -target=module.cache touches only the cache and what npm run rollout says it reads", () => {
    const modules = modulesOf(cacheFixture().base);
    expect(modules).toEqual(closure("cache"));
    expect(modules).toContain("network");
  });

  test("plan -target=module.cdn creates the distribution and its WAF through the us-east-1 alias", () => {
    const cdn = plan("tfplan-cdn", "-target=module.cdn")
      .map((c) => c.address)
      .filter((a) => a.startsWith("module.cdn."));
    expect(cdn).toEqual(
      expect.arrayContaining(["module.cdn.aws_cloudfront_distribution.this", "module.cdn.aws_wafv2_web_acl.this[0]"]),
    );
  });

  describe("the database (write-only passwords, replicas, names, db_apply_immediately)", () => {
    const at = (p: PlanJson, address: string): PlanResource => {
      const r = planResources(p).find((x) => x.address === address);
      if (!r) throw new Error(`${address} is not in the plan`);
      return r;
    };
    const instances = (p: PlanJson) =>
      planResources(p).filter((r) => r.type === "aws_db_instance" && r.address.startsWith("module.database."));
    let urgentPlan: PlanJson | undefined;
    const urgent = () =>
      (urgentPlan ??= shownPlan("tfplan-db-urgent", "-target=module.database", "-var=db_apply_immediately=true"));

    test("plan -target=module.database touches only the database and what npm run rollout says it reads", () => {
      expect(modulesOf(urgent())).toEqual(closure("database"));
    });

    test("production plans a primary and the configured read replicas, none with manage_master_user_password", () => {
      const replicas = env().database.readReplicas;
      expect(
        instances(fullPlan())
          .map((r) => r.address)
          .sort(),
      ).toEqual([
        "module.database.aws_db_instance.postgres",
        ...Array.from({ length: replicas }, (_, i) => `module.database.aws_db_instance.replica[${i}]`),
      ]);
      for (const r of instances(fullPlan())) expect(r.values.manage_master_user_password ?? false).toBe(false);
    });

    test("the primary gets the password write-only: version 1 in the plan, the value nowhere", () => {
      const primary = at(fullPlan(), "module.database.aws_db_instance.postgres");
      expect(primary.values).toMatchObject({ password_wo_version: 1, username: env().database.masterUsername });
      expect(primary.values.password_wo ?? null).toBeNull();
      expect(primary.values.password ?? null).toBeNull();
    });

    test("the replicas replicate the primary and set no password of their own", () => {
      const primary = at(fullPlan(), "module.database.aws_db_instance.postgres").values.identifier;
      const replicas = instances(fullPlan()).filter((r) => r.address.includes(".replica["));
      expect(replicas.length).toBeGreaterThan(0);
      for (const r of replicas) {
        expect(r.values.replicate_source_db).toBe(primary);
        expect(r.values.password_wo_version ?? null).toBeNull();
      }
    });

    test("the two secrets are <name>/production/db-master and db-app", () => {
      const names = planResources(fullPlan())
        .filter((r) => r.type === "aws_secretsmanager_secret" && r.address.startsWith("module.database."))
        .map((r) => String(r.values.name))
        .sort();
      expect(names.map((n) => n.replace(/^[a-z0-9-]+\/production\//, "<name>/production/"))).toEqual([
        "<name>/production/db-app",
        "<name>/production/db-master",
      ]);
    });

    test("the application password's rotation plans: AWS's multi-user function in the private subnets, and a 30-day-or-configured schedule not run at creation", () => {
      const stack = at(
        fullPlan(),
        "module.database.aws_serverlessapplicationrepository_cloudformation_stack.db_app_rotation",
      );
      expect(stack.values.application_id).toMatch(/SecretsManagerRDSPostgreSQLRotationMultiUser$/);
      // parameters are known only after apply (the group's id, the master secret's ARN); the stack's name is known now.
      expect(stack.values.name).toBe("eduautismo-ia-production-db-app-rotation");
      expect(stack.values.capabilities).toEqual(
        expect.arrayContaining(["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]),
      );
      const rotation = at(fullPlan(), "module.database.aws_secretsmanager_secret_rotation.db_app");
      expect(rotation.values.rotate_immediately).toBe(false);
      const days = (rotation.values.rotation_rules as { automatically_after_days: number }[])[0]
        .automatically_after_days;
      expect(days).toBeGreaterThanOrEqual(1);
      expect(
        at(fullPlan(), "module.database.aws_vpc_security_group_ingress_rule.postgres_from_rotation").values.from_port,
      ).toBe(5432);
    });

    test("the parameter group is named by prefix, so a replacement never collides with the old name", () => {
      const group = at(fullPlan(), "module.database.aws_db_parameter_group.postgres").values;
      const primary = at(fullPlan(), "module.database.aws_db_instance.postgres").values.identifier;
      expect(group.name ?? null).toBeNull();
      expect(group.name_prefix).toBe(`${primary}${String(group.family).replace(/^postgres/, "")}-`);
    });

    test("db_apply_immediately defaults to false and -var=db_apply_immediately=true reaches the primary and every replica", () => {
      const all = (p: PlanJson, value: boolean) => instances(p).map(() => value);
      expect(instances(fullPlan()).map((r) => r.values.apply_immediately)).toEqual(all(fullPlan(), false));
      expect(instances(urgent()).map((r) => r.values.apply_immediately)).toEqual(all(fullPlan(), true));
    });
  });

  test("production cannot be stopped", () => {
    const r = refused();
    expect(r.code).not.toBe(0);
    expect(r.text).toContain("production cannot be stopped: environment_running must stay true");
  });
});

function redisRollbackProduction({ fullPlan }: WorkspaceContext): void {
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
    // The full plan's resources of those modules: a targeted plan of them plans the same values.
    const graph = moduleGraph(on.root);
    const applied = new Set(["network", "cache"].flatMap((m) => [m, ...targetClosure(graph, m)]));
    const state = stateFromPlan(fullPlan(), providerSchemas(onDir), undefined, {
      dependencies: stateDependencies(on.dir),
    }) as { resources: { module?: string }[] };
    state.resources = state.resources.filter((r) => applied.has(String(r.module).replace(/^module\./, "")));
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
    const changes = asShownActions(
      streamedPlanOk(offDir, ["-input=false", "-refresh=false", VAR, "-target=module.cache", "-out=tfplan-no-cache"]),
    );
    expect(changes.map((c) => c.address)).toContain("module.cache.aws_elasticache_replication_group.redis");
    expect(changes.filter((c) => !c.address.startsWith("module.cache."))).toEqual([]);
    expect(new Set(changes.flatMap((c) => c.actions))).toEqual(new Set(["delete"]));
  });
}
