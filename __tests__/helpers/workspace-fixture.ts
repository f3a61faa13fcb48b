/**
 * One workspace built alone from a changed copy of its input, for module tests that check how a module
 * reacts to a setting. synthAll(customInputs) synthesizes every workspace plus the state bootstrap;
 * a module's behaviour needs only the workspace under test (a third of the work, no bootstrap stack).
 *
 * The whole product is still validated (loadEnvironments), so a change a rule refuses throws the same
 * ConfigError as `npm run synth`; only the chosen workspace is built and written.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
  ConfigError,
  EDUAUTISMO,
  loadEnvironments,
  WORKSPACES,
  type Product,
  type Workspace,
} from "../../environments";
import { withDeployedImages } from "../../environments/deployed-images";
import { withDefaults } from "../../environments/product-spec";
import { buildPlatform } from "../../platform";
import { PlatformApp } from "../../lib/core/app";
import { readStack, tempDir, type SynthesizedStack } from "./synth";
import type { Mutable } from "./config";

/** A deep copy of a product's checked-in input of `ws` (over its defaults). */
export function workspaceInput(ws: string, product: Product = EDUAUTISMO): Mutable {
  const raw = product.environments[ws];
  if (!raw) throw new Error(`${product.id} has no workspace ${ws}`);
  return structuredClone(withDefaults(product.defaults, raw));
}

/**
 * Synthesizes workspace `ws` of `product` alone, after `change` edits a copy of its input, and reads it back
 * (`root`, `modules.<m>`, `tfvars`, `dir`). Throws ConfigError when a rule refuses the change.
 */
export function synthWorkspace(
  ws: Workspace | string,
  change: (env: Mutable) => void = () => undefined,
  product: Product = EDUAUTISMO,
): SynthesizedStack {
  const input = workspaceInput(ws, product);
  change(input);
  return buildWorkspace(ws, input, product);
}

/**
 * Synthesizes workspace `ws` of `product` alone from a whole input (e.g. one workspace of `inputs()` after a test
 * changed it) and reads it back. Throws ConfigError when a rule refuses it.
 *
 * Within a jest run the result is shared by input: test files that build the same variant (production without a
 * cache is built by four files) read the first one's directory (`<run root>/ws-shared/<hash>`). Callers must not
 * change the directory.
 */
export function buildWorkspace(
  ws: Workspace | string,
  input: Mutable,
  product: Product = EDUAUTISMO,
): SynthesizedStack {
  const deployed = withDeployedImages(product, { [ws]: input }, product.images);
  if (deployed.problems.length > 0) throw new ConfigError(deployed.problems);
  const [env] = loadEnvironments(deployed.inputs, product);
  const key = createHash("sha256")
    .update(JSON.stringify([product.id, ws, deployed.inputs[ws]]))
    .digest("hex")
    .slice(0, 16);
  const shared = process.env.EDU_TMP_ROOT && path.join(process.env.EDU_TMP_ROOT, "ws-shared", key);
  if (shared && fs.existsSync(shared)) return readStack(path.join(shared, "stacks", ws), ws);
  const outdir = tempDir(`ws-${product.id}-${ws}`);
  const app = new PlatformApp({ outdir });
  buildPlatform(app, env, product);
  app.synth();
  if (!shared) return readStack(path.join(outdir, "stacks", ws), ws);
  fs.mkdirSync(path.dirname(shared), { recursive: true });
  try {
    fs.renameSync(outdir, shared);
  } catch {
    // Another worker published the same variant first: read theirs (the same input, the same output).
  }
  return readStack(path.join(shared, "stacks", ws), ws);
}

/** EduAutismo's workspace `ws` as the pipeline needs it: remote state in the bootstrap bucket, the Terraform roles on (D97). */
export function pipelineReadyWorkspace(ws: Workspace): SynthesizedStack {
  return synthWorkspace(ws, (e) => {
    e.state = { bucket: "eduautismo-ia-terraform-state", key: "eduautismo-ia/terraform.tfstate" };
    e.security.deploy = { ...e.security.deploy, terraformRoles: { enabled: true } };
  });
}

/** Every EduAutismo workspace as the pipeline needs it, each built once per jest run (buildWorkspace shares them). */
export function pipelineReadyStacks(): Record<string, SynthesizedStack> {
  return Object.fromEntries(WORKSPACES.map((ws) => [ws, pipelineReadyWorkspace(ws)]));
}
