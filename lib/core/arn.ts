/**
 * ARNs written in an environment's data (alarm dimensions, a task's resource grants): the account and region
 * they name must be the environment's own. An ARN of another account in an alarm dimension watches a series this
 * account's CloudWatch never receives (metrics are per account and region:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html), and in a grant it
 * points a permission at a resource this workspace's stack does not own.
 */

/** `arn:<partition>:<service>:<region>:<account>:<resource>` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
const ARN = /arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9*-]*):(\d{12})?:/g;

export interface ArnPlace {
  readonly accountId: string;
  readonly region: string;
}

/** Every ARN in a text, with the region and account it names ("" when it names none: S3, foundation models). */
export function arnsIn(text: string): { service: string; region: string; account: string }[] {
  return [...text.matchAll(ARN)].map((m) => ({ service: m[1], region: m[2], account: m[3] ?? "" }));
}

/** Why an ARN names another account (and, with `sameRegion`, another region) than the environment's; undefined when it does not. */
export function foreignArnProblem(text: string, place: ArnPlace, sameRegion = false): string | undefined {
  for (const a of arnsIn(text)) {
    if (a.account && a.account !== place.accountId)
      return `names account ${a.account}, not this environment's accountId ${place.accountId}: derive it from the environment (a resource of another account is not this workspace's)`;
    if (sameRegion && a.region && a.region !== place.region)
      return `names region ${a.region}, not this environment's region ${place.region}: CloudWatch metrics stay in their region`;
  }
  return undefined;
}
