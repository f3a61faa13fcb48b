/**
 * cache.engine under real Terraform 1.11 and aws provider 5.100 (offline plans of dev from a crafted
 * state): what a switch between Redis OSS and Valkey plans for the replication group (D99).
 */
import * as fs from "fs";
import * as path from "path";
import { inputs, synthAll } from "../helpers/synth";
import { describeTerraform, settleState, terraformOk, workdirFrom } from "../helpers/terraform";
import { planJson, providerSchemas, stateFromPlan } from "../../tools/terraform";

type Shown = {
  resource_changes: {
    address: string;
    change: {
      actions: string[];
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      replace_paths?: unknown[][];
    };
  }[];
};
type State = { resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[] };

/** Dev applied with engine `from`, then planned with engine `to` (the rest of the config unchanged). */
type Engine = { engine: "redis" | "valkey"; engineVersion: "7.0" | "7.1" | "7.2" | "8.0" };
function switchPlan(from: Engine, to: Engine, outsideTerraform: (state: State) => void = () => undefined): Shown {
  const before = inputs();
  before.dev.cache = { ...before.dev.cache, ...from };
  const applied = planJson(synthAll(before).stacks.dev.dir, "dev", ["-target=module.cache"]);
  const after = inputs();
  after.dev.cache = { ...after.dev.cache, ...to };
  const dir = workdirFrom(synthAll(after).stacks.dev.dir);
  try {
    terraformOk(dir, ["init", "-input=false"]);
    terraformOk(dir, ["workspace", "new", "dev"]);
    const file = path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate");
    const targets = ["aws_elasticache_replication_group.redis", "aws_elasticache_parameter_group.redis"].map(
      (a) => `module.cache.${a}`,
    );
    // The crafted state's placeholders for values known only after apply (the KMS key ARN, security
    // group names) are settled first, so the plan shows what the engine change does, not their drift.
    const state = settleState(
      dir,
      file,
      stateFromPlan(applied, providerSchemas(dir)) as Parameters<typeof settleState>[2],
      "-var-file=environments/dev/terraform.tfvars",
      targets,
    ) as unknown as State;
    // What AWS returns for a group in a VPC (the crafted state leaves this computed attribute empty).
    for (const r of state.resources.filter((x) => x.type === "aws_elasticache_replication_group"))
      for (const i of r.instances) i.attributes.security_group_names = [];
    outsideTerraform(state);
    fs.writeFileSync(file, JSON.stringify(state));
    terraformOk(dir, [
      "plan",
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...targets.map((t) => `-target=${t}`),
      "-out=tfplan-engine",
    ]);
    return JSON.parse(terraformOk(dir, ["show", "-json", "tfplan-engine"]).stdout) as Shown;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeTerraform("cache engine switch under real Terraform", () => {
  const change = (s: Shown, a: string) => s.resource_changes.find((c) => c.address === `module.cache.${a}`)?.change;

  // Measured with provider 5.100: `engine` is not a replacement path; redis → valkey is planned as an
  // in-place update of the group (AWS's in-place upgrade, D99), with the parameter group of the new
  // family created before the old one is deleted.
  test("redis 7.1 → valkey 7.2 updates the replication group in place and swaps the parameter group (created first)", () => {
    const s = switchPlan({ engine: "redis", engineVersion: "7.1" }, { engine: "valkey", engineVersion: "7.2" });
    const group = change(s, "aws_elasticache_replication_group.redis");
    expect(group?.actions).toEqual(["update"]);
    expect([
      group?.before?.engine,
      group?.after?.engine,
      group?.before?.engine_version,
      group?.after?.engine_version,
    ]).toEqual(["redis", "valkey", "7.1", "7.2"]);
    expect(String(group?.after?.parameter_group_name)).toMatch(/^eduautismo-ia-dev-valkey7-/);
    expect(change(s, "aws_elasticache_parameter_group.redis")?.actions).toEqual(["create", "delete"]);
  }, 600_000);
});
