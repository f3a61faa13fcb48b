/**
 * Names for resources that AWS requires to be unique, that must be replaced create-before-destroy,
 * and that have no `name_prefix` (e.g. ElastiCache parameter groups): the name ends with a digest of
 * every argument whose change forces a replacement, so a replacement always gets a new name and never
 * collides with the group it replaces. The policy gate recomputes the digest from the resource itself
 * (check `unique-name-replacement`).
 */
import { createHash } from "crypto";

/** Eight hex characters of SHA-256 over the replacement-forcing arguments, in order. */
export function replacementDigest(...forcing: readonly string[]): string {
  return createHash("sha256").update(forcing.join("\n")).digest("hex").slice(0, 8);
}

/** Arguments whose change replaces the resource, per type without `name_prefix` (provider schema: ForceNew). */
export const REPLACEMENT_FORCING: Readonly<Record<string, readonly string[]>> = {
  aws_elasticache_parameter_group: ["family", "description"],
};
