/**
 * Which Terraform modules a workspace root calls, declared once from the typed config: the composition builds a
 * module exactly when its presence rule holds (composition/modules.ts), and the tools that describe a workspace
 * without synthesizing it (the architecture diagram, the cost estimate) read the same rules.
 */
import type { EnvironmentConfig } from "./schema";

/** The modules of a workspace root, in the order the composition builds them (platform.ts). */
export const MODULE_NAMES = [
  "network",
  "security",
  "storage",
  "cache",
  "database",
  "dr",
  "compute",
  "cdn",
  "monitoring",
] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

/** When each module is built: cache and database when enabled, dr when enabled with a region and a database, cdn when enabled. */
export const MODULE_PRESENCE: Record<ModuleName, (env: EnvironmentConfig) => boolean> = {
  network: () => true,
  security: () => true,
  storage: () => true,
  cache: (env) => env.cache.enabled,
  database: (env) => env.database.enabled,
  dr: (env) => env.dr.enabled && Boolean(env.dr.region) && env.database.enabled,
  compute: () => true,
  cdn: (env) => env.cdn.enabled,
  monitoring: () => true,
};

/** The modules the composition builds for a config, in build order. */
export function builtModules(env: EnvironmentConfig): ModuleName[] {
  return MODULE_NAMES.filter((m) => MODULE_PRESENCE[m](env));
}
