/** Reading ECS container definitions for the policy checks (checks.ts, apply-checks.ts). */
import type { PolicyResource } from "./model";

/** Container definitions of a task definition, parsed; undefined when they cannot be read. */
export function containers(r: PolicyResource): Record<string, unknown>[] | undefined {
  const v = r.config.container_definitions;
  if (typeof v !== "string") return undefined;
  try {
    const parsed = JSON.parse(v);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
