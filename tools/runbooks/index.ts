/**
 * The products' runbook specs, per product id: each fills the one generator's shared frame
 * (tools/runbooks/frame.ts) with its guide's sections and section choices as data. A product not listed here
 * gets the frame alone (`PLATFORM_RUNBOOK`).
 */
import type { EnvironmentConfig, Product } from "../../environments";
import type { RunbookSpec } from "../product-runbook";
import type { SynthesizedStack } from "../synthesized";
import { aitechneRunbook } from "./aitechne";
import { atenaRunbook } from "./atena";
import { eduautismoRunbook } from "./eduautismo";
import { firstDeployLines, PLATFORM_RUNBOOK, productRunbookDoc } from "./frame";
import { retellRunbook } from "./retell";

export { FRAME, firstDeployLines, guideFrame, PLATFORM_RUNBOOK, productRunbookDoc } from "./frame";

export const GUIDE_RUNBOOKS: Readonly<Record<string, RunbookSpec>> = {
  eduautismo: eduautismoRunbook,
  atena: atenaRunbook,
  retell: retellRunbook,
  aitechne: aitechneRunbook,
};

/** A product's runbook spec: its guide's, else the frame alone. */
export function runbookSpec(product: Pick<Product, "id">): RunbookSpec {
  return GUIDE_RUNBOOKS[product.id] ?? PLATFORM_RUNBOOK;
}

/** A product's workspace runbook (docs/runbooks/<outDir>/<ws>.md). */
export function workspaceRunbook(product: Product, env: EnvironmentConfig, stack: SynthesizedStack): string {
  return productRunbookDoc(product, env, stack, runbookSpec(product));
}

/** The markdown of a workspace's first-deploy section: what `npm run rollout` prints (the runbook's own section). */
export function firstDeployMarkdown(product: Product, env: EnvironmentConfig, stack: SynthesizedStack): string[] {
  return firstDeployLines(product, env, stack, runbookSpec(product));
}
