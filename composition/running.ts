/**
 * The rule of the start/stop toggle (seed 002, D32): an environment that may not stop (`stoppable`,
 * by default false in a production-like tier, D91) refuses `environment_running = false` at plan.
 *
 * Terraform sees a comparison of two literals, the form the first three workspaces shipped with
 * (their output stays byte-identical): the environment's name against the name the message guards,
 * which is the environment itself when it may not stop (always equal: the plan must keep it running)
 * and another name when it may (never equal: the rule never fires).
 */
import { isStoppable, type EnvironmentConfig } from "../environments";

/** The name in the message of a rule that never fires (what dev and staging have always printed). */
const NEVER_GUARDED = "production";

export function runningValidation(env: EnvironmentConfig): { condition: string; errorMessage: string } {
  const ws = env.workspace;
  const guarded = !isStoppable(env) ? ws : ws !== NEVER_GUARDED ? NEVER_GUARDED : "";
  return {
    condition: `var.environment_running || ${JSON.stringify(ws)} != ${JSON.stringify(guarded)}`,
    errorMessage: `${guarded || ws} cannot be stopped: environment_running must stay true`,
  };
}
