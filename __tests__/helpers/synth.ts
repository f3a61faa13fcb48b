/** Synthesizes into a temporary directory and reads the result back as plain JSON. */
import * as path from "path";
import {
  EDUAUTISMO,
  ENVIRONMENT_INPUTS,
  loadEnvironments,
  PRODUCTS,
  WORKSPACES,
  workspaceLabel,
  type EnvironmentInput,
  type Product,
  type Workspace,
} from "../../environments";
import { withDefaults } from "../../environments/product-spec";
import { synthesize } from "../../platform";
import { documentLocal } from "../../lib/core/hcl";
import { tempDir } from "../../tools/terraform";

import { readStack, type Json, type SynthesizedStack } from "../../tools/synthesized";
import type { ProductStacks } from "../../tools/product-stacks";

export { addresses, movedBlocks, readStack, type Json, type SynthesizedStack } from "../../tools/synthesized";

export { tempDir };

/** Deep copy of the checked-in environment files over EduAutismo's defaults, for tests that change one value. */
export function inputs(): Record<Workspace, EnvironmentInput> {
  const merged = (ws: Workspace) => withDefaults(EDUAUTISMO.defaults, ENVIRONMENT_INPUTS[ws]) as EnvironmentInput;
  return structuredClone({ dev: merged("dev"), staging: merged("staging"), production: merged("production") });
}

export function synthAll(customInputs?: Record<Workspace, EnvironmentInput>): {
  outdir: string;
  stacks: Record<string, SynthesizedStack>;
} {
  const shared = customInputs ? undefined : process.env.SYNTH_CACHE_DIR;
  const outdir = shared ?? tempDir("synth");
  if (!shared) synthesize({ outdir, inputs: customInputs });
  const stacks: Record<string, SynthesizedStack> = {};
  for (const ws of WORKSPACES) stacks[ws] = readStack(path.join(outdir, "stacks", ws), ws);
  return { outdir, stacks };
}

/**
 * Synthesizes one product (its checked-in environments, or `customInputs`) into a temporary directory (the
 * run's shared synthesis, SYNTH_CACHE_DIR, for the checked-in environments):
 * `dir(ws)` is the workspace directory (`<outdir>/<product outDir>/stacks/<ws>`), `stacks` read back.
 */
export function synthProduct(
  product: Product,
  customInputs?: Readonly<Record<string, EnvironmentInput>>,
): { outdir: string; dir: (ws: string) => string; stacks: Record<string, SynthesizedStack> } {
  const shared = customInputs || !PRODUCTS.includes(product) ? undefined : process.env.SYNTH_CACHE_DIR;
  const outdir = shared ?? tempDir(`synth-${product.id}`);
  if (!shared) synthesize({ outdir, product, inputs: customInputs });
  const dir = (ws: string) => path.join(outdir, product.outDir, "stacks", ws);
  const workspaces = Object.keys(customInputs ?? product.environments);
  const stacks = Object.fromEntries(workspaces.map((ws) => [ws, readStack(dir(ws), ws)]));
  return { outdir, dir, stacks };
}

/** A product's checked-in workspaces synthesized and read back, with their parsed environments (what the report scripts see). */
export function productStacks(product: Product): ProductStacks & { dir: (ws: string) => string } {
  const { stacks, dir } = synthProduct(product);
  return {
    product,
    envs: loadEnvironments(product.environments, product),
    stacks,
    label: (ws) => workspaceLabel(product, ws),
    dir,
  };
}

/** All resources of one type in a module: name → body. */
export function resourcesOf(module: Json, type: string): Record<string, Json> {
  return module.resource?.[type] ?? {};
}

/** The single resource `type.name` of a module; fails loudly when absent. */
export function resource(module: Json, type: string, name: string): Json {
  const r = module.resource?.[type]?.[name];
  if (!r)
    throw new Error(
      `no ${type}.${name} in module (has: ${Object.keys(module.resource?.[type] ?? {}).join(", ") || "none"})`,
    );
  return r;
}

/**
 * A document a module writes as `jsonencode(local.<name>)` (module-stack.ts `jsonDocument`, D213): the local as written,
 * each value a literal or a `${…}` Terraform fills in.
 */
export function documentOf(module: Json, type: string, name: string, argument: string): Json {
  const written = resource(module, type, name)[argument];
  const local = documentLocal(written);
  if (!local || !(local in (module.locals ?? {})))
    throw new Error(`${type}.${name}.${argument} is not jsonencode(local.<name>): ${String(written).slice(0, 80)}`);
  return module.locals[local];
}

/** The container definitions of `aws_ecs_task_definition.<name>`. */
export const containerDefs = (module: Json, name: string): Json[] =>
  documentOf(module, "aws_ecs_task_definition", name, "container_definitions") as Json[];
