/**
 * The flow-log KMS key's prevent_destroy follows the workspace (docs/decisions.md D58): Terraform
 * refuses to plan its destruction in production and plans it in staging, on a state holding each
 * workspace's network as if applied (stateFromPlan; `-refresh=false`).
 */
import * as fs from "fs";
import * as path from "path";
import { planJson, providerSchemas, stateFromPlan } from "../../lib/tools/terraform";
import { synthAll } from "../helpers/synth";
import { describeTerraform, initializedWorkdir, streamedPlanOk, terraform } from "../helpers/terraform";

const SLOW = 900_000;
const KEY = "module.network.aws_kms_key.flow_logs[0]";

function deployedNetwork(ws: string): string {
  const { stacks } = synthAll();
  const plan = planJson(stacks[ws].dir, ws, ["-target=module.network"]);
  const dir = initializedWorkdir(stacks[ws].dir, ws);
  fs.writeFileSync(
    path.join(dir, "terraform.tfstate.d", ws, "terraform.tfstate"),
    JSON.stringify(stateFromPlan(plan, providerSchemas(dir))),
  );
  return dir;
}

const destroyKey = (ws: string) => [
  "plan",
  "-destroy",
  "-input=false",
  "-refresh=false",
  `-var-file=environments/${ws}/terraform.tfvars`,
  `-target=${KEY}`,
  "-out=tfplan-destroy-key",
];

describeTerraform("flow-log key rail under real Terraform", () => {
  test(
    "production refuses a plan that destroys the flow-log key",
    () => {
      const dir = deployedNetwork("production");
      const r = terraform(dir, destroyKey("production"));
      expect(r.code).not.toBe(0);
      expect(r.text).toContain("Instance cannot be destroyed");
      expect(r.text).toContain("aws_kms_key.flow_logs");
    },
    SLOW,
  );

  test(
    "staging plans it (no prevent_destroy outside production)",
    () => {
      const dir = deployedNetwork("staging");
      expect(streamedPlanOk(dir, destroyKey("staging").slice(1)).map((c) => c.address)).toContain(KEY);
    },
    SLOW,
  );
});
