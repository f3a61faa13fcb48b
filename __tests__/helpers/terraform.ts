/**
 * Runs the real Terraform binary on a copy of a synthesized workspace directory, offline.
 *
 * Test-only settings live in an override file the harness drops into the copy
 * (`zz_test_override.tf.json`: provider skip flags and dummy keys, local backend), never in the
 * operator-facing output. Providers come from a filesystem mirror named by TF_PROVIDER_MIRROR
 * (the directory that contains `registry.terraform.io/`).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./synth";

export interface TfResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout + stderr with line wrapping undone, for message assertions. */
  readonly text: string;
}

/** Why the Terraform layer cannot run here, or undefined when it can. */
export function terraformUnavailable(): string | undefined {
  const version = spawnSync("terraform", ["version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return "terraform is not on PATH";
  const mirror = process.env.TF_PROVIDER_MIRROR;
  if (!mirror) return "TF_PROVIDER_MIRROR is not set (the directory holding registry.terraform.io/hashicorp/aws/5.100.0)";
  if (!fs.existsSync(path.join(mirror, "registry.terraform.io", "hashicorp", "aws", "5.100.0"))) {
    return `TF_PROVIDER_MIRROR=${mirror} has no registry.terraform.io/hashicorp/aws/5.100.0`;
  }
  return undefined;
}

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

let cliConfig: string | undefined;
function cliConfigFile(): string {
  if (cliConfig) return cliConfig;
  const mirror = process.env.TF_PROVIDER_MIRROR as string;
  cliConfig = path.join(tempDir("tfrc"), "terraform.rc");
  fs.writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`,
  );
  return cliConfig;
}

export const TEST_PROVIDER_OVERRIDE = {
  provider: {
    aws: {
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      access_key: "AKIATESTTESTTESTTEST",
      secret_key: "test-secret-key-not-real",
    },
  },
  terraform: { backend: { local: { path: "terraform.tfstate" } } },
};

/** Copies a synthesized stack directory and drops the test-only override file into the copy. */
export function workdirFrom(stackDir: string): string {
  const dir = tempDir("tfwork");
  fs.cpSync(stackDir, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "zz_test_override.tf.json"), JSON.stringify(TEST_PROVIDER_OVERRIDE, null, 2));
  return dir;
}

export function terraform(dir: string, args: string[]): TfResult {
  const result = spawnSync("terraform", args, {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfigFile(),
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      NO_COLOR: "1",
    },
  });
  const stdout = result.stdout ?? "";
  const stderr = result.stderr ?? "";
  // eslint-disable-next-line no-control-regex
  const text = (stdout + "\n" + stderr).replace(/\x1b\[[0-9;]*m/g, "").replace(/[│╷╵]/g, "").replace(/\s+/g, " ");
  return { code: result.status ?? -1, stdout, stderr, text };
}

/** Runs Terraform and throws with its output when it fails. */
export function terraformOk(dir: string, args: string[]): TfResult {
  const r = terraform(dir, args);
  if (r.code !== 0) throw new Error(`terraform ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Resource addresses a saved plan would create, update or delete (no-ops excluded). */
export function plannedChanges(dir: string, planFile: string): { address: string; actions: string[] }[] {
  const shown = JSON.parse(terraformOk(dir, ["show", "-json", planFile]).stdout);
  return (shown.resource_changes ?? [])
    .filter((c: { change: { actions: string[] } }) => !(c.change.actions.length === 1 && c.change.actions[0] === "no-op"))
    .map((c: { address: string; change: { actions: string[] } }) => ({ address: c.address, actions: c.change.actions }));
}
