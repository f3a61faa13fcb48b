/**
 * Secret rotation, one rule for every secret of the platform (docs/decisions.md D170–D173): a Secrets
 * Manager secret either rotates (an `aws_secretsmanager_secret_rotation` names it) or carries the tag
 * `RotationWaiver` whose value says why it does not and how it is rotated by hand. The policy gate's
 * `secrets-rotation` check (Checkov CKV2_AWS_57, Security Hub SecretsManager.1) reads exactly this.
 */

/** AWS's hosted alternating-users rotation function for RDS PostgreSQL (Serverless Application Repository, D170). */
export const POSTGRES_MULTI_USER_ROTATION_APP =
  "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationMultiUser";
/** The Serverless Application Repository prefixes the CloudFormation stacks it deploys, and so their roles' names. */
export const SAR_STACK_PREFIX = "serverlessrepo-";

/** Tag that records why a secret does not rotate automatically. */
export const ROTATION_WAIVER_TAG = "RotationWaiver";

/**
 * Characters a tag value may hold (letters, digits, spaces and `_ . : / = + - @`, at most 256):
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions
 */
export const TAG_VALUE_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/** Why each platform secret that does not rotate automatically does not (the tag's value). */
export const ROTATION_WAIVERS = {
  /** D171: only one-off tasks log in as master; rotated by raising database.masterPasswordVersion. */
  dbMaster: "D171 manual: raise database.masterPasswordVersion - read by one-off tasks only - docs/operations.md",
  /** D172: no hosted rotation function rotates an ElastiCache AUTH token. */
  redisAuth:
    "D172 manual: replace terraform_data.auth_token - AUTH tokens have no hosted rotation function - docs/operations.md",
  /** D173: the value is issued by a third party (an API vendor, Datadog) and put by an operator. */
  operatorValue: "D173 operator-owned: rotate at the issuer then put-secret-value - docs/operations.md",
} as const;

/** The tags of a secret that does not rotate automatically. */
export function rotationWaiverTags(reason: string): Record<string, string> {
  if (!TAG_VALUE_RE.test(reason))
    throw new Error(
      `rotation waiver "${reason}" is not a valid tag value (letters, digits, spaces and _ . : / = + - @, at most 256)`,
    );
  return { [ROTATION_WAIVER_TAG]: reason };
}
