/**
 * The operator's Terraform: runs the `terraform` found on PATH with the operator's own environment and
 * CLI configuration (whatever ~/.terraformrc or TF_CLI_CONFIG_FILE says). Operator tools
 * (`npm run state`) use this runner; nothing here knows about test-only settings such as
 * TF_PROVIDER_MIRROR — that is tools/terraform.ts's offline runner, for the tests and report scripts.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";

export interface TfResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout + stderr without colours, box characters or line wrapping, for message assertions. */
  readonly text: string;
}

/** Flattens Terraform's output for matching: no ANSI colours, no box-drawing, single spaces. */
export function plainText(output: string): string {
  return (
    output
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*m/g, "")
      .replace(/[│╷╵]/g, "")
      .replace(/\s+/g, " ")
  );
}

/**
 * Runs `terraform <args>` in `dir`. `extraEnv` is added to the caller's environment (the operator
 * runner adds only TF_INPUT=0: a tool must never wait on a prompt).
 */
export function runTerraform(dir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): TfResult {
  // spawn reports a missing working directory as ENOENT too: say which one is missing.
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    const msg = `${dir} is not a directory: nothing to run terraform in`;
    return { code: 2, stdout: "", stderr: msg, text: msg };
  }
  const result = spawnSync("terraform", args, {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TF_INPUT: "0", ...extraEnv },
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
    return { code: 127, stdout: "", stderr: "terraform is not on PATH", text: "terraform is not on PATH" };
  }
  const stdout = result.stdout ?? "";
  const stderr = result.stderr ?? "";
  return { code: result.status ?? -1, stdout, stderr, text: plainText(stdout + "\n" + stderr) };
}

/** runTerraform, throwing with Terraform's own output when it fails. */
export function runTerraformOk(dir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): TfResult {
  const r = runTerraform(dir, args, extraEnv);
  if (r.code !== 0)
    throw new Error(`terraform ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`.trimEnd());
  return r;
}
