/** Test-side Terraform helpers; the runner itself lives in lib/terraform.ts. */
import { terraformUnavailable } from "../../lib/terraform";

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
