/**
 * The generated blocks inside hand-written operator pages (`npm run docs`): each product page's architecture diagrams
 * (./diagram.ts) and docs/costs.md's comparison with seed 000 §10 (./cost/seed.ts). Each block sits between its own
 * markers; the prose around it is kept.
 */
import { seedComparisonDocs } from "./cost/seed";
import { diagramDocs } from "./diagram";
import type { ProductStacks } from "./product-stacks";

export function pageDocs(sets: readonly ProductStacks[], read: (file: string) => string): Record<string, string> {
  return { ...diagramDocs(sets, read), ...seedComparisonDocs(sets, read) };
}
