/** A product's synthesized workspaces beside its parsed environments: what the docs and reports read. */
import type { EnvironmentConfig, Product } from "../environments";
import type { SynthesizedStack } from "./synthesized";

/** One product's synthesized workspaces with their parsed environments; `label(ws)` is how reports name each. */
export interface ProductStacks {
  readonly product: Product;
  readonly envs: EnvironmentConfig[];
  readonly stacks: Record<string, SynthesizedStack>;
  readonly label: (ws: string) => string;
}
