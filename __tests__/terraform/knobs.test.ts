/**
 * The runbook knobs under real Terraform: every rule fails at plan with the synth-time text when an
 * operator breaks it in tfvars, and seed 000 §5.2's targeted cache rollout plans only the cache.
 */
import * as fs from "fs";
import * as path from "path";
import { WORKSPACES } from "../../environments";
import { moduleGraph, targetClosure } from "../../lib/tools/rollout";
import { KNOB_CASES, knobBatches } from "../helpers/knob-cases";
import { synthAll } from "../helpers/synth";
import { describeTerraform, initializedWorkdir, streamedPlanOk, terraform, terraformOk } from "../helpers/terraform";

/** Rewrites `name = value` lines of a tfvars file. */
function editTfvars(file: string, values: Record<string, string>): void {
  let text = fs.readFileSync(file, "utf8");
  for (const [name, value] of Object.entries(values)) {
    const re = new RegExp(`^${name} = .*$`, "m");
    if (!re.test(text)) throw new Error(`${name} is not in ${file}`);
    text = text.replace(re, `${name} = ${value}`);
  }
  fs.writeFileSync(file, text);
}

describeTerraform("runbook knobs under real Terraform", () => {
  const { stacks } = synthAll();
  const dirs: Record<string, string> = {};

  beforeAll(() => {
    for (const ws of WORKSPACES) {
      dirs[ws] = initializedWorkdir(stacks[ws].dir, ws);
    }
  });

  const batches = knobBatches();

  test("every knob rule is covered by exactly one batch", () => {
    expect(
      batches
        .flat()
        .map((c) => c.rule)
        .sort(),
    ).toEqual(KNOB_CASES.map((c) => c.rule).sort());
  });

  test.each(batches.map((b) => [b.map((c) => c.rule).join("; "), b] as const))(
    "an edited tfvars breaking [%s] fails the plan with each synth-time message",
    (_rules, batch) => {
      const ws = batch[0].ws;
      const dir = dirs[ws];
      const file = path.join(dir, "environments", ws, "terraform.tfvars");
      const original = fs.readFileSync(file, "utf8");
      editTfvars(file, Object.assign({}, ...batch.map((c) => c.tfvars)));
      try {
        const r = terraform(dir, ["plan", "-input=false", `-var-file=environments/${ws}/terraform.tfvars`]);
        expect(r.code).not.toBe(0);
        for (const c of batch) expect(r.text).toContain(c.message);
      } finally {
        fs.writeFileSync(file, original);
      }
    },
  );

  test("seed 000 §8.3: dev's one-node, no-failover tfvars plan cleanly", () => {
    const group = streamedPlanOk(dirs.dev, [
      "-input=false",
      "-var-file=environments/dev/terraform.tfvars",
      "-target=module.cache",
      "-out=tfplan-cache",
    ]).find((c) => c.address === "module.cache.aws_elasticache_replication_group.redis");
    expect(group?.actions).toEqual(["create"]);
  });

  test("seed 000 §5.2: state backup, then plan -target=module.cache touches only the cache and what it reads", () => {
    const dir = dirs.production;
    const backup = terraformOk(dir, ["state", "pull"]);
    fs.writeFileSync(path.join(dir, "terraform.tfstate.backup"), backup.stdout);
    terraformOk(dir, ["workspace", "select", "production"]);
    const changes = streamedPlanOk(dir, [
      "-input=false",
      "-var-file=environments/production/terraform.tfvars",
      "-target=module.cache",
      "-out=tfplan-cache",
    ]);
    const modules = new Set(changes.map((c) => c.address.split(".")[1]));
    expect([...modules].sort()).toEqual(["cache", "network", "security"]);
    // What `npm run rollout -- production cache` announces is what Terraform really pulls in.
    expect([...modules].sort()).toEqual(
      ["cache", ...targetClosure(moduleGraph(stacks.production.root), "cache")].sort(),
    );
  });

  test("plan -target=module.database touches only the database and what it reads", () => {
    const dir = dirs.production;
    const changes = streamedPlanOk(dir, [
      "-input=false",
      "-var-file=environments/production/terraform.tfvars",
      "-target=module.database",
      "-out=tfplan-database",
    ]).map((c) => c.address);
    expect([...new Set(changes.map((a) => a.split(".")[1]))].sort()).toEqual(
      ["database", ...targetClosure(moduleGraph(stacks.production.root), "database")].sort(),
    );
    expect(changes.filter((a) => a.startsWith("module.database.aws_db_instance.replica["))).toHaveLength(2);
  });
});
