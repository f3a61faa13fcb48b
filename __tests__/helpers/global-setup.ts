/**
 * Synthesizes the checked-in environments of every product once per jest run; test files read the result instead of
 * synthesizing again in every worker (SYNTH_CACHE_DIR). Tests with changed inputs still synthesize.
 * Every temporary directory of the run lives under one root (EDU_TMP_ROOT), which the global
 * teardown removes.
 *
 * Newcomer path: when `terraform` is on PATH and TF_PROVIDER_MIRROR is unset, the provider mirror is
 * looked for the way `.ci/run` does (tools/provider-mirror.ts; online, it is filled once from the
 * registry), so a fresh clone's `npm test` runs the Terraform layer. When the layer must be skipped,
 * one loud line says why; with CI=true the layer's tests fail instead (describeTerraform).
 */
import "./no-stack-traces.js"; // first: the synthesis below creates cdktf tokens
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { findProviderMirror } from "../../tools/provider-mirror";
import { tempDir, terraformUnavailable } from "../../tools/terraform";
import { PRODUCTS } from "../../environments";
import { synthesize } from "../../platform";

function registryReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.request(
      { host: "registry.terraform.io", path: "/.well-known/terraform.json", method: "HEAD", timeout: 3000 },
      (res) => resolve((res.statusCode ?? 500) < 500),
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** Whether this run includes the Terraform layer (`npm test`, `npm run test:terraform`, a file under __tests__/terraform). */
function runsTerraformLayer(globalConfig: { selectProjects?: string[]; testPathPattern?: string }): boolean {
  if (globalConfig.selectProjects && globalConfig.selectProjects.length > 0)
    return globalConfig.selectProjects.includes("terraform");
  return !globalConfig.testPathPattern || /terraform/.test(globalConfig.testPathPattern);
}

export default async function globalSetup(
  globalConfig: { selectProjects?: string[]; testPathPattern?: string } = {},
): Promise<void> {
  process.env.EDU_TMP_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), "eduautismo-tests-"));
  // Commands the tests spawn (npm run rollout, npm run synth, …) skip cdktf's stack traces too (no-stack-traces.js).
  const noTraces = `--require ${JSON.stringify(path.join(__dirname, "no-stack-traces.js"))}`;
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, noTraces].filter(Boolean).join(" ");
  const outdir = tempDir("synth-shared");
  // Every product: EduAutismo in <outdir>/stacks, another product in <outdir>/<id>/stacks (synthProduct reads them).
  for (const product of PRODUCTS) synthesize({ outdir, product });
  process.env.SYNTH_CACHE_DIR = outdir;
  if (!runsTerraformLayer(globalConfig)) return;

  let note = "";
  const hasTerraform = !spawnSync("terraform", ["version"], { encoding: "utf8" }).error;
  if (hasTerraform && !process.env.TF_PROVIDER_MIRROR) {
    const repo = path.join(__dirname, "..", "..");
    const search = findProviderMirror({
      repo,
      stackDir: path.join(outdir, "stacks", "dev"),
      online: await registryReachable(),
    });
    if (search.mirror) {
      process.env.TF_PROVIDER_MIRROR = search.mirror;
      console.log(`\nTerraform layer: provider mirror ${search.note}`);
    } else note = `; ${search.note}`;
  }
  const missing = terraformUnavailable();
  if (missing && process.env.CI !== "true") {
    console.warn(
      `\n!!! TERRAFORM LAYER SKIPPED: ${missing}${note} — its tests do not run (CI=true makes this a failure). !!!\n`,
    );
  }
}
