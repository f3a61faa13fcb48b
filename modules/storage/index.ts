/**
 * storage — the platform's S3 buckets (seed 001 §6).
 *
 * Owns: the application's buckets of `storage.buckets` (SSE-KMS with the data key, bucket keys,
 * versioned, lifecycles from config; the product definition in environments/ names them) and `logs` (SSE-S3, which ALB access logs require; receives
 * ALB access logs and the S3 server access logs of every other bucket, the CloudTrail bucket
 * included). Every bucket blocks public access, disables ACLs and refuses plain HTTP.
 *
 * Depends on: security (the data key; the CloudTrail bucket it logs).
 */
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import type { Construct } from "constructs";
import { bucketNames, type BucketKey, type LifecycleRule } from "./config";
import { counted, expr, ModuleStack, named } from "../../lib/core/module-stack";
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

export interface StorageBucketProps {
  readonly versioning: boolean;
  readonly lifecycle: readonly LifecycleRule[];
  /** CORS from `cors_origins` for browser uploads. @default false */
  readonly browserUploads?: boolean;
}

export interface StorageProps {
  /** `<bucketPrefix>-<env>`, e.g. `<prefix>-production` (may be a root token). */
  readonly bucketPrefix: string;
  /** Appended to every bucket name (`-<suffix>`). @default none */
  readonly bucketSuffix?: string;
  readonly region: string;
  readonly accountId: string;
  /** ARN of the security module's data key (SSE-KMS). */
  readonly dataKmsKeyArn: string;
  /** Per-bucket versioning and lifecycle, decided at synthesis. */
  readonly buckets: Record<BucketKey, StorageBucketProps>;
  /** Server access logs of every bucket to the logs bucket. @default true */
  readonly enableAccessLogging?: boolean;
  /** Days objects stay in the logs bucket. @default 90 */
  readonly logRetentionDays?: number;
  /** Browser origins allowed to upload (CORS on uploads). @default [] */
  readonly corsOrigins?: readonly string[];
  /** The security module's trail bucket, to log its access too. @default none */
  readonly cloudtrailBucketId?: string;
  /** Whether a trail bucket exists (a plan-time boolean; the id is only known after apply). @default false */
  readonly hasCloudtrailBucket?: boolean;
  /** `prevent_destroy` on every bucket (decided at synthesis). @default false */
  readonly preventDestroy?: boolean;
}

export class StorageModule extends ModuleStack {
  readonly buckets: Record<BucketKey | "logs", SecureBucket>;

  constructor(scope: Construct, workspace: string, props: StorageProps) {
    super(scope, workspace, "storage");
    const elbAccount = ELB_LOG_ACCOUNTS[props.region];
    if (!elbAccount) {
      throw new Error(
        `storage: no Elastic Load Balancing log-delivery account known for region ${props.region}; add it to ELB_LOG_ACCOUNTS`,
      );
    }

    this.input("bucket_prefix", props.bucketPrefix, {
      type: "string",
      description: "First part of every bucket name (`<prefix>-<env>`).",
    });
    this.input("bucket_suffix", props.bucketSuffix ?? "", {
      type: "string",
      description: "Suffix for global uniqueness; empty for none.",
      default: "",
    });
    const account = this.input("account_id", props.accountId, {
      type: "string",
      description: "AWS account id (log delivery conditions).",
    }).stringValue;
    const dataKey = this.input("data_kms_key_arn", props.dataKmsKeyArn, {
      type: "string",
      description: "KMS key for SSE-KMS on data buckets.",
    }).stringValue;
    this.input("enable_access_logging", props.enableAccessLogging, {
      type: "bool",
      description: "S3 server access logs of every bucket to the logs bucket.",
      default: true,
    });
    const logRetention = this.input("log_retention_days", props.logRetentionDays, {
      type: "number",
      description: "Days objects stay in the logs bucket.",
      default: 90,
      validations: [
        { condition: "var.log_retention_days >= 1", errorMessage: "log_retention_days must be at least 1." },
      ],
    }).numberValue;
    this.input("cors_origins", props.corsOrigins, {
      type: "list(string)",
      description: "Origins allowed to upload from the browser.",
      default: [],
    });
    this.input("cloudtrail_bucket_id", props.cloudtrailBucketId ?? null, {
      type: "string",
      description: "Trail bucket to log, or null.",
      default: null,
      nullable: true,
    });
    this.input("log_cloudtrail_bucket", props.hasCloudtrailBucket ?? false, {
      type: "bool",
      description: "Whether cloudtrail_bucket_id is set (known at plan time).",
      default: false,
    });

    const nameOf = (purpose: string) =>
      expr(`join("-", compact([var.bucket_prefix, "${purpose}", var.bucket_suffix]))`);

    const logs = secureBucket(this, "logs", {
      bucket: nameOf("logs"),
      preventDestroy: props.preventDestroy,
      versioning: true,
      lifecycle: [{ id: "expire-logs", expirationDays: logRetention, noncurrentVersionExpirationDays: 7 }],
      policyStatements: [
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
            ArnLike: { "aws:SourceArn": `arn:aws:logs:${CDN_LOG_SOURCE_REGION}:${account}:*` },
          },
        },
        {
          Sid: "CloudFrontLogDeliveryAclCheck",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: ["s3:GetBucketAcl", "s3:ListBucket"],
          Resource: BUCKET_ARN,
          Condition: {
            StringEquals: { "aws:SourceAccount": account },
            ArnLike: { "aws:SourceArn": `arn:aws:logs:${CDN_LOG_SOURCE_REGION}:${account}:*` },
          },
        },
        {
          Sid: "S3WritesServerAccessLogs",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${BUCKET_ARN}/${S3_ACCESS_LOG_PREFIX}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    });

    const buckets = { logs } as Record<BucketKey | "logs", SecureBucket>;
    for (const [key, cfg] of Object.entries(props.buckets)) {
      const b = { key, ...bucketNames(key) };
      buckets[b.key] = secureBucket(this, b.tf, {
        bucket: nameOf(b.purpose),
        kmsKeyArn: dataKey,
        versioning: cfg.versioning,
        lifecycle: cfg.lifecycle,
        preventDestroy: props.preventDestroy,
      });
      const logging = named(
        new S3BucketLoggingA(this, `${b.tf}_logging`, {
          bucket: buckets[b.key].attr("id"),
          targetBucket: logs.attr("id"),
          targetPrefix: `${S3_ACCESS_LOG_PREFIX}/${b.purpose}/`,
        }),
        b.tf,
      );
      counted(logging, "var.enable_access_logging ? 1 : 0");
    }
    const trailLogging = named(
      new S3BucketLoggingA(this, "cloudtrail_logging", {
        bucket: expr("var.cloudtrail_bucket_id"),
        targetBucket: logs.attr("id"),
        targetPrefix: `${S3_ACCESS_LOG_PREFIX}/cloudtrail/`,
      }),
      "cloudtrail",
    );
    counted(trailLogging, "var.enable_access_logging && var.log_cloudtrail_bucket ? 1 : 0");
    this.buckets = buckets;

    // Browser uploads (presigned PUT/POST) need CORS from the app's origins on the buckets that take them.
    for (const [key, cfg] of Object.entries(props.buckets)) {
      if (!cfg.browserUploads) continue;
      const tf = bucketNames(key).tf;
      const cors = named(
        new S3BucketCorsConfiguration(this, `${tf}_cors`, {
          bucket: buckets[key].attr("id"),
          corsRule: [
            {
              allowedMethods: ["GET", "PUT", "POST", "HEAD"],
              allowedOrigins: expr("var.cors_origins") as unknown as string[],
              allowedHeaders: ["*"],
              exposeHeaders: ["ETag"],
              maxAgeSeconds: 3000,
            },
          ],
        }),
        tf,
      );
      counted(cors, "length(var.cors_origins) > 0 ? 1 : 0");
    }

    for (const [key, b] of Object.entries(buckets)) {
      const { tf, purpose } = bucketNames(key);
      // Known once the bucket's versioning is set, so a replication rule on it (dr) waits for it: S3
      // refuses a replication configuration on a source bucket without versioning
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html).
      this.output(
        `${tf}_bucket_name`,
        b.attr("bucket"),
        `Name of the ${purpose} bucket (after its versioning is set).`,
      ).addOverride("depends_on", [`aws_s3_bucket_versioning.${tf}`]);
      this.output(`${tf}_bucket_arn`, b.attr("arn"), `ARN of the ${purpose} bucket.`);
    }
    this.output("alb_log_prefix", ALB_LOG_PREFIX, "Prefix for ALB access logs in the logs bucket.");
    // Known only once the policy admitting the delivery exists, so the cdn module's delivery waits for it.
    this.output(
      "cdn_log_destination_arn",
      `${logs.attr("arn")}/${CDN_LOG_PREFIX}`,
      "Where CloudFront delivers access logs (after the bucket policy that admits it).",
    ).addOverride("depends_on", ["aws_s3_bucket_policy.logs"]);
  }
}
