/** Parses a changed copy of a checked-in environment and returns its problems. */
import { ConfigError, parseEnvironment, type EnvironmentInput, type Workspace } from "../../environments";
import { inputs } from "./synth";

export type Mutable = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export function problems(ws: Workspace, change: (env: Mutable) => void): string[] {
  const env: EnvironmentInput = inputs()[ws];
  change(env as Mutable);
  try {
    parseEnvironment(env, ws);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}
