/**
 * The guides' own runbook commands, per product id, with each workspace's names (read by
 * lib/tools/product-runbook.ts). EduAutismo's runbook is lib/tools/docs.ts.
 */
import type { GuideRunbook } from "../product-runbook";
import { aitechneRunbook } from "./aitechne";
import { atenaRunbook } from "./atena";
import { retellRunbook } from "./retell";

export const GUIDE_RUNBOOKS: Readonly<Record<string, GuideRunbook>> = {
  atena: atenaRunbook,
  retell: retellRunbook,
  aitechne: aitechneRunbook,
};
