/**
 * Operator tests: every section of docs/runbooks/dev.md, typed as the operator types it (see
 * __tests__/helpers/operator.ts for the environment: only terraform, node and npm on PATH, an
 * ordinary ~/.terraformrc, no TF_PROVIDER_MIRROR). The command lines come from the committed
 * runbook, so an edit that breaks a command fails here.
 *
 * Offline, nothing can be applied: `terraform apply <planfile>` lines are checked to apply the plan
 * file the previous plan wrote, and `aws`/`docker`/`curl` lines are checked for the names they use
 * (cluster, service, family, replication group, outputs) against the synthesized configuration. Where
 * a section needs a deployed workspace, the test pushes a crafted state (stateFromPlan) with
 * `terraform state push`, and its plans get `-refresh=false` (the only change to a printed command).
 * The sections share one initialised workspace and run in order.
 *
 * Plan budget (dev): each section's plans once, as printed (§5.1's targeted plans with `-json` appended: the first
 * deploy's order is read from the stream, so workspace-dev.test.ts does not plan the same targets again), plus one
 * full `-refresh=false` plan (`show -json`) from which the crafted states are made. §7.3's plans are read from their
 * streams (addresses and actions); `show -json` only where values are read (§5.1's compute plan, §7.1, §8.4).
 */
import * as fs from "fs";
import * as path from "path";
import {
  plannedValues,
  planVariables,
  providerSchemas,
  showPlan,
  stateFromPlan,
  streamedChanges,
  terraformOk,
  type PlanJson,
} from "../../tools/terraform";
import { moduleGraph, targetClosure } from "../../tools/rollout";
import { withTfvarsImageTag } from "../../tools/image";
import {
  bashLines,
  classify,
  command,
  OperatorWorkspace,
  planOut,
  REPO,
  runbookSection,
  withoutRefresh,
  type Block,
} from "../helpers/operator";
import { inputs, synthAll, type Json } from "../helpers/synth";
import { describeTerraform } from "../helpers/terraform";

const WS = "dev";
const runbook = fs.readFileSync(path.join(REPO, "docs", "runbooks", `${WS}.md`), "utf8");

describeTerraform(`operator runbook docs/runbooks/${WS}.md, typed in cdktf.out/stacks/${WS}`, () => {
  const { stacks } = synthAll();
  const stack = stacks[WS];
  const outputs = Object.keys(stack.root.output ?? {});
  const name = String(stack.root.module.compute.name).replace("${var.environment}", WS);
  /** AWS names a runbook line may use, from the synthesized configuration. */
  const names: Record<string, string[]> = {
    cluster: [name],
    service: [`${name}-app`],
    family: Object.keys(stack.modules.compute.resource.aws_ecs_task_definition).map(
      (t) => `${name}-${t.replace(/_/g, "-")}`,
    ),
    group: [
      String(stack.modules.cache?.resource?.aws_elasticache_replication_group?.redis?.replication_group_id).replace(
        "${var.name}",
        `${name}`,
      ),
    ],
  };
  let op: OperatorWorkspace;
  let fullPlan: PlanJson | undefined;
  let schemas: ReturnType<typeof providerSchemas> | undefined;
  /** Whether the workspace holds a (crafted) state, so plans must not refresh. */
  let deployed = false;

  beforeAll(() => {
    op = new OperatorWorkspace(stack, process.env.TF_PROVIDER_MIRROR as string);
  });
  afterAll(() => op?.remove());

  /** The names an AWS/docker/curl line uses are this workspace's; its terraform outputs exist. */
  function checkCloudLine(line: string): void {
    const c = command(line);
    for (const m of c.matchAll(/--(cluster|services?|task-definition|family-prefix|replication-group-id) (\S+)/g)) {
      const value = m[2].replace(/^"|"$/g, "");
      if (value.startsWith("$")) continue;
      const kind =
        m[1] === "cluster"
          ? "cluster"
          : m[1].startsWith("service")
            ? "service"
            : m[1] === "replication-group-id"
              ? "group"
              : "family";
      const bare = value.replace(/:<PREVIOUS_REVISION>$/, "");
      if (!names[kind].includes(bare))
        throw new Error(`${line}\nuses ${kind} "${bare}"; this workspace has: ${names[kind].join(", ")}`);
    }
  }

  function checkOutputsExist(line: string): void {
    for (const m of command(line).matchAll(/terraform output (?:-raw |-json )?([a-z0-9_]+)/g)) {
      if (!outputs.includes(m[1])) throw new Error(`${line}\nreads output "${m[1]}", which the root does not have`);
    }
  }

  /**
   * Runs a section's blocks in order: bash lines are run (or checked, see above), hcl blocks edit the
   * tfvars. `onLine` may replace a line before it runs (placeholders) and sees each result.
   */
  type Results = Map<string, ReturnType<OperatorWorkspace["run"]>>;
  function runSection(
    marker: string,
    onLine: (line: string, results: Results) => string = (l) => l,
  ): { results: Results; blocks: Block[] } {
    const section = runbookSection(runbook, marker);
    const results: Results = new Map();
    let lastPlanOut: string | undefined;
    for (const block of section.blocks) {
      if (block.lang === "hcl") op.editTfvars(block);
      if (block.lang !== "bash") continue;
      for (const printed of block.lines) {
        checkOutputsExist(printed);
        const kind = classify(printed);
        if (kind === "cd") expect(command(printed)).toBe(`cd cdktf.out/stacks/${WS}`);
        else if (kind === "cloud") checkCloudLine(printed);
        else if (kind === "image") {
          const [label, tag] = command(printed).split(/\s+/).slice(5);
          expect(label).toBe(WS);
          fs.writeFileSync(op.tfvarsFile, withTfvarsImageTag(fs.readFileSync(op.tfvarsFile, "utf8"), tag));
        } else if (kind === "apply") {
          expect({ printed, applies: command(printed).replace("terraform apply ", "") }).toEqual({
            printed,
            applies: lastPlanOut,
          });
          expect(fs.existsSync(path.join(op.dir, lastPlanOut as string))).toBe(true);
        } else if (kind === "run") {
          const line = onLine(deployed ? withoutRefresh(printed) : printed, results);
          const r = op.run(line);
          results.set(printed, r);
          if (r.code !== 0) throw new Error(`"${line}" exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
          if (/^terraform plan /.test(printed)) lastPlanOut = planOut(printed);
        }
      }
    }
    return { results, blocks: section.blocks };
  }

  /** The plan JSON of a plan file in the workspace (`terraform show -json`, run with the test runner). */
  const show = (file: string): PlanJson => showPlan(op.dir, file);
  /** A plan file's root variables and planned resource values. */
  const variables = (file: string) => planVariables(show(file));
  const after = (file: string, address: string) => plannedValues(show(file)).get(address);

  /** Pushes a crafted state of `addresses` (from the full plan), with the full plan's outputs, as the operator would. */
  function pushState(keep: (address: string) => boolean): void {
    if (!fullPlan) {
      terraformOk(op.dir, [
        "plan",
        "-input=false",
        "-refresh=false",
        `-var-file=environments/${WS}/terraform.tfvars`,
        "-out=tfplan-full",
      ]);
      fullPlan = show("tfplan-full");
      schemas = providerSchemas(op.dir); // schema versions and computed attributes, as an apply would record them
    }
    const state = stateFromPlan(fullPlan, schemas as ReturnType<typeof providerSchemas>) as Json;
    state.resources = state.resources.filter((r: Json) => keep(`${r.module ? r.module + "." : ""}${r.type}.${r.name}`));
    state.outputs = craftedOutputs(fullPlan as Json);
    const current = op.ok("terraform state pull").stdout.trim();
    state.serial = (current ? (JSON.parse(current).serial as number) : 0) + 1;
    fs.writeFileSync(path.join(op.dir, "crafted.tfstate"), JSON.stringify(state));
    op.ok("terraform state push crafted.tfstate");
    deployed = true;
  }

  test("§5.1 first deploy: init, workspace, validate and every targeted plan run as printed, each touching only its target and what npm run rollout says it reads", () => {
    // The plan lines get `-json` (Terraform's machine-readable stream of the same plan): what each plans is read from it.
    const { results } = runSection("§5.1", (l) => (/^terraform plan /.test(l) ? `${l} -json` : l));
    const plans = [...results.keys()].filter((l) => l.startsWith("terraform plan "));
    expect(plans.length).toBeGreaterThanOrEqual(5);
    const graph = moduleGraph(stack.root);
    for (const line of plans) {
      const changes = streamedChanges(results.get(line)?.stdout ?? "").map((c) => c.address);
      const targets = [...new Set([...command(line).matchAll(/-target=module\.([a-z_]+)/g)].map((t) => t[1]))];
      const allowed = targets.flatMap((m) => [m, ...targetClosure(graph, m)]);
      for (const m of targets)
        expect({ line, plans: changes.some((a) => a.startsWith(`module.${m}.`)) }).toEqual({ line, plans: true });
      expect({ line, outside: changes.filter((a) => !allowed.some((m) => a.startsWith(`module.${m}.`))) }).toEqual({
        line,
        outside: [],
      });
    }
    const compute = plans.find((l) => / -target=module\.compute -/.test(l)) as string;
    expect(variables(planOut(compute) as string).app_image_tag).toBe("3.0.0"); // the tag set before the services
    const rollout = results.get(`npm run rollout -- ${WS}`)?.stdout ?? "";
    for (const m of ["network", "security", "storage", "cache", "database", "monitoring"]) {
      const printed = rollout.split("\n").find((l) => l.includes(`-target=module.${m} `));
      expect(plans).toContain(printed);
    }
  });

  test("npm run state -- backup refuses the default workspace and an empty state, saying what to do", () => {
    op.ok("terraform workspace select default");
    const inDefault = op.run("npm run state -- backup");
    op.ok(`terraform workspace select ${WS}`);
    expect(inDefault.code).toBe(1);
    expect(inDefault.text).toContain(
      `the selected Terraform workspace is "default", but this directory holds the "${WS}" configuration. Select it first: terraform workspace select ${WS}`,
    );
    const empty = op.run("npm run state -- backup");
    expect(empty.code).toBe(1);
    expect(empty.text).toContain(`workspace "${WS}" has no state yet: nothing to back up`);
  });

  test("§5.2 incremental cache rollout: the backup comes after workspace select and saves the workspace's state", () => {
    const lines = bashLines(runbookSection(runbook, "§5.2")).map(command);
    expect(lines.indexOf("npm run state -- backup")).toBeGreaterThan(lines.indexOf(`terraform workspace select ${WS}`));
    pushState((a) => a === "module.network.aws_vpc.this");
    const serial = JSON.parse(op.ok("terraform state pull").stdout).serial;
    const { results } = runSection("§5.2");
    expect(
      results.get(
        bashLines(runbookSection(runbook, "§5.2")).find((l) => l.startsWith("npm run state -- backup")) as string,
      )?.stdout ?? "",
    ).toMatch(
      new RegExp(`saved state-backups/${WS}/\\d{8}T\\d{6}Z-serial${serial}\\.tfstate: serial ${serial}, 1 resources`),
    );
    const cachePlan = [...results.entries()].find(([l]) => l.includes("-target=module.cache"))?.[1].text ?? "";
    expect(cachePlan).toContain("# module.cache.aws_elasticache_replication_group.redis will be created");
    expect(cachePlan).not.toContain("# module.network.aws_vpc.this will be created");
  });

  test("§6 post-deploy checks: every terraform output the section prints exists and prints", () => {
    const { results } = runSection("§6");
    expect(results.get("terraform output vpc_id")?.stdout.trim()).toBe('"fake-vpc_id"');
    expect(results.size).toBeGreaterThanOrEqual(5);
  });

  test("§7.1 application rollback: the previous tag goes back through tfvars and a compute plan; aws lines name this workspace's service", () => {
    const { results } = runSection("§7.1");
    const plan = [...results.keys()].find((l) => l.includes("-target=module.compute")) as string;
    expect(variables(planOut(plan) as string).app_image_tag).toBe("2.9.0");
    expect(runbookSection(runbook, "§7.1").text).toContain(`--task-definition ${name}-app:<PREVIOUS_REVISION>`);
  });

  test("§7.2 state rollback: backup, a bad change, list, restore, plan — and the plain-Terraform equivalent", () => {
    op.ok("npm run state -- backup");
    op.ok("terraform state pull > terraform.tfstate.backup"); // seed 000 §5.2 step 1, for the plain-Terraform path
    op.ok("terraform state rm module.network.aws_vpc.this"); // the change to roll back
    const lines = bashLines(runbookSection(runbook, "§7.2"));
    const restoreLine = lines.find((l) => l.startsWith("npm run state -- restore")) as string;
    const pushLine = lines.find((l) => l.startsWith("terraform state push")) as string;
    const { results } = runSection("§7.2", (line, done) => {
      if (line === restoreLine) {
        // The placeholder is the newest file `npm run state -- list` printed (newest first).
        const newest = (done.get("npm run state -- list")?.stdout ?? "")
          .split("\n")
          .find((l) => l.startsWith(`state-backups/${WS}/`))
          ?.split(/\s+/)[0];
        expect(newest).toBeDefined();
        return line.replace(/state-backups\/\S+<backup>\.tfstate/, newest as string);
      }
      // The plain-Terraform path starts from the bad state again.
      if (line === "terraform state pull > terraform.tfstate.before-restore")
        op.ok("terraform state rm module.network.aws_vpc.this");
      return line;
    });
    expect(results.get(restoreLine)?.stdout).toContain("  + module.network.aws_vpc.this");
    const plan = [...results.entries()].find(([l]) => l.startsWith("terraform plan "))?.[1].text ?? "";
    expect(plan).not.toContain("# module.network.aws_vpc.this will be created");
    expect(results.get("terraform state list")?.stdout).toContain("module.network.aws_vpc.this");
    expect(results.get(pushLine)?.code).toBe(0);
    expect(op.ok("terraform state list").stdout).toContain("module.network.aws_vpc.this");
    expect(runbookSection(runbook, "§7.2").text).not.toMatch(/apply -auto-approve\n|^cp terraform\.tfstate\.backup/m);
  });

  test("§8.1 Redis connection failed: the outputs it reads exist, its aws lines name this workspace, the cache re-apply plans", () => {
    const { results } = runSection("§8.1");
    expect(results.get("terraform output redis_endpoint")?.code).toBe(0);
    expect([...results.keys()].some((l) => l.includes("-target=module.cache"))).toBe(true);
  });

  test("§8.3 failover with one node: the printed edit stops the plan with the printed message; the printed fix plans", () => {
    const section = runbookSection(runbook, "§8.3");
    const [broken, fix] = section.blocks.filter((b) => b.lang === "hcl");
    const [failing, fixed] = section.blocks.filter((b) => b.lang === "bash");
    const message = section.blocks.find((b) => b.lang === "text") as Block;
    op.editTfvars(broken);
    const r = op.run(withoutRefresh(failing.lines[0]));
    expect(r.code).toBe(1);
    for (const l of message.lines) expect(r.text).toContain(l);
    op.editTfvars(fix);
    op.ok(withoutRefresh(fixed.lines[0]));
  });

  test("§8.4 high Redis memory: a bigger node through tfvars and a cache plan; TTLs are tfvars knobs, the seed's ECS variable only warns", () => {
    const section = runbookSection(runbook, "§8.4");
    const size = /redis_node_type = "([^"]+)"/.exec(section.text)?.[1];
    // The seed's edit, next to the printed ones: Terraform only warns about it.
    fs.appendFileSync(op.tfvarsFile, '\nBNCC_CACHE_TTL = "1800"\n');
    const { results } = runSection("§8.4");
    const cachePlan = [...results.keys()].find((l) => l.includes("-target=module.cache")) as string;
    const computePlan = [...results.keys()].find((l) => l.includes("-target=module.compute")) as string;
    const redis = after(planOut(cachePlan) as string, "module.cache.aws_elasticache_replication_group.redis");
    expect((redis as Json).node_type).toBe(size);
    if ("redis_apply_immediately" in stack.root.variable) expect((redis as Json).apply_immediately).toBe(true);
    expect(results.get(computePlan)?.text).toContain("Warning: Value for undeclared variable");
    const vars = variables(planOut(computePlan) as string);
    expect([vars.bncc_cache_ttl, vars.nlp_cache_ttl]).toEqual([1800, 900]);
  });

  test("§7.3 Redis rollback: after cache.enabled = false and a synth, compute plans without Redis, then only module.cache is destroyed", () => {
    pushState((a) => a === "module.network.aws_vpc.this" || a.startsWith("module.cache."));
    const inState = op
      .ok("terraform state list")
      .stdout.split("\n")
      .filter((a) => a.startsWith("module.cache."));
    expect(inState.length).toBeGreaterThan(3);
    // Step 1 of the section, done the way the runbook says: the environment file, then npm run synth.
    const off = inputs();
    off[WS].cache = { ...off[WS].cache, enabled: false };
    op.resynthesized(synthAll(off).stacks[WS]);
    // Addresses and actions suffice: the plan lines get `-json` (the stream of the same plan; after the line's comment
    // is dropped), as in §5.1.
    const { results } = runSection("§7.3", (l) => (/^terraform plan /.test(l) ? `${command(l)} -json` : l));
    const [appPlan, fullPlanLine] = [...results.keys()].filter((l) => l.startsWith("terraform plan "));
    const app = streamedChanges(results.get(appPlan)?.stdout ?? "");
    expect(app.filter((c) => c.address.startsWith("module.cache."))).toEqual([]);
    expect(app.map((c) => c.address)).toContain("module.compute.aws_ecs_task_definition.app");
    const all = streamedChanges(results.get(fullPlanLine)?.stdout ?? "");
    // The stream names one action per change: a replacement is "replace", never "delete".
    const deleted = all.filter((c) => c.actions.includes("delete"));
    expect(deleted.map((c) => c.address).sort()).toEqual(inState.sort());
    expect(all.filter((c) => c.address.startsWith("module.cache.") && !c.actions.includes("delete"))).toEqual([]);
  });
});

/** Root outputs for a crafted state: the full plan's known values, fakes where only an apply knows them. */
function craftedOutputs(plan: Json): Json {
  const out: Json = {};
  const fill = (after: unknown, unknown: unknown, label: string): unknown => {
    if (unknown === true) return `fake-${label}`;
    if (Array.isArray(unknown)) return unknown.map((u, i) => fill((after as unknown[] | undefined)?.[i], u, label));
    if (unknown && typeof unknown === "object") {
      const keys = new Set([...Object.keys(unknown), ...Object.keys((after as object) ?? {})]);
      return Object.fromEntries([...keys].map((k) => [k, fill((after as Json)?.[k], (unknown as Json)[k], k)]));
    }
    return after ?? null;
  };
  for (const [o, change] of Object.entries<Json>(plan.output_changes ?? {})) {
    const value = fill(change.after, change.after_unknown, o);
    out[o] = { value, type: ctyType(value), ...(change.after_sensitive === true ? { sensitive: true } : {}) };
  }
  return out;
}

function ctyType(v: unknown): unknown {
  if (typeof v === "string" || v === null) return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return ["tuple", v.map(ctyType)];
  return ["object", Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, ctyType(x)]))];
}
