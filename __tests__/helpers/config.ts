/** Parses a changed copy of a checked-in environment and returns its problems. */
import {
  ConfigError,
  parseEnvironment,
  parseEnvironmentOf,
  type EnvironmentInput,
  type Workspace,
} from "../../environments";
import { withDefaults, type Product } from "../../environments/product-spec";
import { inputs } from "./synth";

export type Mutable = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The problems of the ConfigError `load` throws, or [] when it loads. */
export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

/** Problems of an EduAutismo workspace's input after `change`. */
export function problems(ws: Workspace, change: (env: Mutable) => void): string[] {
  const env: EnvironmentInput = inputs()[ws];
  change(env as Mutable);
  return configProblems(() => parseEnvironment(env, ws));
}

/** Problems of a product's workspace file after `change`, over the product's defaults (a change can reach one). */
export function productProblems(product: Product, ws: string, change: (env: Mutable) => void): string[] {
  const input = structuredClone(withDefaults(product.defaults, product.environments[ws] as EnvironmentInput));
  change(input as Mutable);
  return configProblems(() => parseEnvironmentOf(product, input, ws));
}
