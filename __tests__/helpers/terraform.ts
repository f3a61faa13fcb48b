/** Test-side Terraform helpers; the runner itself lives in lib/terraform.ts. */
import { planJson, providerSchemas, stateFromPlan, terraformOk, terraformUnavailable, workdirFrom } from "../../lib/terraform";
import { synthAll } from "./synth";

export { plannedChanges, terraform, terraformOk, terraformUnavailable, workdirFrom, type TfResult } from "../../lib/terraform";

/**
 * `describe` for the Terraform layer: runs when Terraform and the mirror are present; with CI=true
 * their absence fails the suite instead of skipping it.
 */
export function describeTerraform(name: string, fn: () => void): void {
  const missing = terraformUnavailable();
  if (!missing) return describe(name, fn);
  if (process.env.CI === "true") {
    describe(name, () => {
      test("Terraform and the provider mirror are available (required when CI=true)", () => {
        throw new Error(`Terraform layer cannot run: ${missing}`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${missing})`, fn);
}

/**
 * An initialised copy of dev with workspace `dev` selected, and a crafted state of its network as
 * if it had been applied (see stateFromPlan). The caller writes or pushes the state.
 */
export function deployedDevNetwork(): { dir: string; state: { resources: { module?: string; type: string; name: string }[] } } {
  const { stacks } = synthAll();
  const plan = planJson(stacks.dev.dir, "dev", ["-target=module.network"]);
  const dir = workdirFrom(stacks.dev.dir);
  terraformOk(dir, ["init", "-input=false"]);
  terraformOk(dir, ["workspace", "new", "dev"]);
  return { dir, state: stateFromPlan(plan, providerSchemas(dir)) as { resources: { module?: string; type: string; name: string }[] } };
}
