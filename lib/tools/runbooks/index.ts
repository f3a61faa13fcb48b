/**
 * The guides' runbooks, per product id. A product whose guide writes its own runbook from start to end
 * (EduAutismo: seed 000 §5–§8, lib/tools/runbooks/eduautismo.ts) registers it in FULL_RUNBOOKS; the others
 * register the guide's own sections in GUIDE_RUNBOOKS, which the shared frame (lib/tools/product-runbook.ts:
 * first deploy, one-module change, state rollback, stop/start, outputs) places among the platform's.
 */
import type { EnvironmentConfig, Product } from "../../../environments";
import type { GuideRunbook } from "../product-runbook";
import type { SynthesizedStack } from "../synthesized";
import { aitechneRunbook } from "./aitechne";
import { atenaRunbook } from "./atena";
import { eduautismoFirstDeploy, eduautismoRunbookDoc } from "./eduautismo";
import { retellRunbook } from "./retell";

export const GUIDE_RUNBOOKS: Readonly<Record<string, GuideRunbook>> = {
  atena: atenaRunbook,
  retell: retellRunbook,
  aitechne: aitechneRunbook,
};

/** A guide's whole runbook: the document, and its first-deploy section (what `npm run rollout` prints). */
export interface FullRunbook {
  readonly doc: (product: Product, env: EnvironmentConfig, stack: SynthesizedStack) => string;
  readonly firstDeploy: (product: Product, env: EnvironmentConfig, stack: SynthesizedStack) => string[];
}

export const FULL_RUNBOOKS: Readonly<Record<string, FullRunbook>> = {
  eduautismo: { doc: eduautismoRunbookDoc, firstDeploy: eduautismoFirstDeploy },
};
