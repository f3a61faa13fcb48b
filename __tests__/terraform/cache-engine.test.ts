/**
 * cache.engine under real Terraform 1.11 and aws provider 5.100 (offline plans of dev from a crafted
 * state): what a switch between Redis OSS and Valkey plans for the replication group (D99).
 */
import * as fs from "fs";
import * as path from "path";
import { inputs, synthAll } from "../helpers/synth";
import { describeTerraform, terraformOk, workdirFrom } from "../helpers/terraform";
import { planJson, providerSchemas, stateFromPlan } from "../../lib/tools/terraform";

type Shown = { resource_changes: { address: string; change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null } }[] };

/** Dev applied with engine `from`, then planned with engine `to` (the rest of the config unchanged). */
type Engine = { engine: "redis" | "valkey"; engineVersion: "7.0" | "7.1" | "7.2" | "8.0" };
function switchPlan(from: Engine, to: Engine): Shown {
  const before = inputs();
  before.dev.cache = { ...before.dev.cache, ...from };
  const applied = planJson(synthAll(before).stacks.dev.dir, "dev", ["-target=module.cache"]);
  const after = inputs();
  after.dev.cache = { ...after.dev.cache, ...to };
  const dir = workdirFrom(synthAll(after).stacks.dev.dir);
  try {
    terraformOk(dir, ["init", "-input=false"]);
    terraformOk(dir, ["workspace", "new", "dev"]);
    fs.writeFileSync(path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"), JSON.stringify(stateFromPlan(applied, providerSchemas(dir))));
    const targets = ["aws_elasticache_replication_group.redis", "aws_elasticache_parameter_group.redis"].map((a) => `-target=module.cache.${a}`);
    terraformOk(dir, ["plan", "-input=false", "-refresh=false", "-var-file=environments/dev/terraform.tfvars", ...targets, "-out=tfplan-engine"]);
    return JSON.parse(terraformOk(dir, ["show", "-json", "tfplan-engine"]).stdout) as Shown;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeTerraform("cache engine switch under real Terraform", () => {
  const change = (s: Shown, a: string) => s.resource_changes.find((c) => c.address === `module.cache.${a}`)?.change;

  test("redis 7.1 → valkey 7.2 updates the replication group in place and replaces only the parameter group (created first)", () => {
    const s = switchPlan({ engine: "redis", engineVersion: "7.1" }, { engine: "valkey", engineVersion: "7.2" });
    const group = change(s, "aws_elasticache_replication_group.redis");
    expect(group?.actions).toEqual(["update"]);
    expect([group?.before?.engine, group?.after?.engine, group?.after?.engine_version]).toEqual(["redis", "valkey", "7.2"]);
    expect(change(s, "aws_elasticache_parameter_group.redis")?.actions).toEqual(["create", "delete"]);
  }, 600_000);
});
