/**
 * The platform's `logs` bucket (SSE-S3, which ALB access logs require): ALB access logs, CloudFront's access logs
 * and the S3 server access logs of every other bucket, with the bucket policy that admits each delivery.
 */
import type { Construct } from "constructs";
import type { PolicyStatement } from "../../lib/constructs/iam";
import { BUCKET_ARN, secureBucket, type SecureBucket } from "../../lib/constructs/secure-bucket";

/** Prefixes inside the logs bucket. */
export const ALB_LOG_PREFIX = "alb";
export const CDN_LOG_PREFIX = "cloudfront";
export const S3_ACCESS_LOG_PREFIX = "s3-access";
/** CloudFront's log delivery (CloudWatch Logs vended logs, V2) runs in us-east-1, whatever the bucket's region. */
export const CDN_LOG_SOURCE_REGION = "us-east-1";

/**
 * Accounts Elastic Load Balancing writes access logs from, for regions that predate the
 * `logdelivery.elasticloadbalancing.amazonaws.com` principal (AWS ELB user guide, "Enable access logs").
 */
export const ELB_LOG_ACCOUNTS: Record<string, string> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "sa-east-1": "507241528517",
  "eu-west-1": "156460612806",
  "eu-central-1": "054676820928",
};

/** The ELB log-delivery account of a region; throws for a region the table lacks. */
export function elbLogAccount(region: string): string {
  const account = ELB_LOG_ACCOUNTS[region];
  if (!account) {
    throw new Error(
      `storage: no Elastic Load Balancing log-delivery account known for region ${region}; add it to ELB_LOG_ACCOUNTS`,
    );
  }
  return account;
}

export interface LogsBucketOptions {
  /** Bucket name (token). */
  readonly bucket: string;
  /** The ELB log-delivery account of the region (elbLogAccount). */
  readonly elbAccount: string;
  /** AWS account id (token): log delivery conditions. */
  readonly account: string;
  /** Days objects stay (token). */
  readonly retentionDays: number;
  readonly preventDestroy?: boolean;
}

/** Who may write into the logs bucket: ELB, CloudFront's vended-log delivery, S3 server access logging. */
export function logDeliveryStatements(elbAccount: string, account: string): PolicyStatement[] {
  const cdnSource = { "aws:SourceArn": `arn:aws:logs:${CDN_LOG_SOURCE_REGION}:${account}:*` };
  return [
    {
      Sid: "ElbWritesAccessLogs",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${elbAccount}:root` },
      Action: "s3:PutObject",
      Resource: `${BUCKET_ARN}/${ALB_LOG_PREFIX}/AWSLogs/${account}/*`,
    },
    // CloudFront standard logging (v2) = CloudWatch Logs vended-log delivery to S3. Its documented bucket
    // policy has both statements below ("Logs sent to Amazon S3", CloudWatch Logs user guide). Terraform owns
    // this policy, so they must be here: AWS's own append at delivery creation would be reverted at the next
    // apply. SSE-S3 needs nothing more (SSE-KMS would need the key policy too); no ACLs (BucketOwnerEnforced
    // accepts the bucket-owner-full-control ACL the delivery sends).
    {
      Sid: "CloudFrontDeliversAccessLogs",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${BUCKET_ARN}/${CDN_LOG_PREFIX}/*`,
      Condition: {
        StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": account },
        ArnLike: cdnSource,
      },
    },
    {
      Sid: "CloudFrontLogDeliveryAclCheck",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: BUCKET_ARN,
      Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: cdnSource },
    },
    {
      Sid: "S3WritesServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${BUCKET_ARN}/${S3_ACCESS_LOG_PREFIX}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": account } },
    },
  ];
}

/** `aws_s3_bucket.logs` and its companions (versioned, expiring after the retention). */
export function logsBucket(scope: Construct, o: LogsBucketOptions): SecureBucket {
  return secureBucket(scope, "logs", {
    bucket: o.bucket,
    preventDestroy: o.preventDestroy,
    versioning: true,
    lifecycle: [{ id: "expire-logs", expirationDays: o.retentionDays, noncurrentVersionExpirationDays: 7 }],
    policyStatements: logDeliveryStatements(o.elbAccount, o.account),
  });
}
