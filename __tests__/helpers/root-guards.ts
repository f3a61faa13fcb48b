/**
 * Structural checks on a synthesized root (`cdk.tf.json`) that no module can make: the account guard (D145).
 */
import type { Json } from "../../tools/synthesized";

/**
 * Every aws provider block of a root (the default and each alias: us-east-1 for CloudFront, the DR region, …)
 * must accept only the workspace's account (`allowed_account_ids = [<accountId>]`), or credentials for another
 * account plan and apply there. https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs#allowed_account_ids
 */
export function providerAccountProblems(root: Json, accountId: string, label: string): string[] {
  const blocks: Json[] = root.provider?.aws ?? [];
  if (blocks.length === 0) return [`${label}: no aws provider block`];
  return blocks.flatMap((p) => {
    const name = p.alias ? `provider "aws" (alias ${p.alias})` : 'provider "aws"';
    const ids = p.allowed_account_ids;
    if (!Array.isArray(ids) || ids.length === 0)
      return [`${label}: ${name} has no allowed_account_ids; it must be ["${accountId}"]`];
    if (ids.length !== 1 || ids[0] !== accountId)
      return [`${label}: ${name} allows ${JSON.stringify(ids)}; it must be ["${accountId}"]`];
    return [];
  });
}
