/**
 * storage — the platform's S3 buckets (seed 001 §6).
 *
 * Owns: the application's buckets of `storage.buckets` (SSE-KMS with the data key, bucket keys,
 * versioned, lifecycles from config; the product definition in environments/ names them) and `logs` (SSE-S3, which ALB access logs require; receives
 * ALB access logs and the S3 server access logs of every other bucket, the CloudTrail bucket
 * included). Every bucket blocks public access, disables ACLs and refuses plain HTTP.
 * Parts: ./logs.ts (the logs bucket and its delivery policy), ./buckets.ts (application buckets, access
 * logging, CORS), ./grants.ts (IAM statements for the buckets' readers and writers).
 *
 * Depends on: security (the data key; the CloudTrail bucket it logs).
 */
import { dependable, Fn } from "cdktf";
import { range } from "../../lib/core/rules";
import type { Construct } from "constructs";
import { bucketNames, type BucketKey, type StorageConfig } from "./config";
import { ModuleStack } from "../../lib/core/module-stack";
import type { SecureBucket } from "../../lib/constructs/secure-bucket";
import { accessLogging, appBuckets, browserUploadCors } from "./buckets";
import { ALB_LOG_PREFIX, CDN_LOG_PREFIX, elbLogAccount, logsBucket } from "./logs";
export { ALB_LOG_PREFIX, CDN_LOG_PREFIX, CDN_LOG_SOURCE_REGION, ELB_LOG_ACCOUNTS, S3_ACCESS_LOG_PREFIX } from "./logs";

export interface StorageProps {
  /**
   * The environment's `storage` section (./config.ts documents each setting and its default): suffix,
   * access logging, CORS origins, the application's buckets.
   */
  readonly settings: StorageConfig;
  /**
   * Days objects stay in the logs bucket (ALB, CloudFront and S3 access logs): the workspace's log retention, the
   * value its log groups keep (seed 000 §4: 7 / 30 / 90 days), so access logs and log groups expire together.
   */
  readonly logRetentionDays: number;
  /** `<bucketPrefix>-<env>`, e.g. `<prefix>-production` (may be a root token). */
  readonly bucketPrefix: string;
  readonly region: string;
  readonly accountId: string;
  /** ARN of the security module's data key (SSE-KMS). */
  readonly dataKmsKeyArn: string;
  /** The security module's trail bucket, to log its access too. @default none */
  readonly cloudtrailBucketId?: string;
  /** Whether a trail bucket exists (a plan-time boolean; the id is only known after apply). @default false */
  readonly hasCloudtrailBucket?: boolean;
  /** `prevent_destroy` on every bucket (decided at synthesis). @default false */
  readonly preventDestroy?: boolean;
}

/** The module's variables as tokens. */
interface StorageInputs {
  readonly bucketPrefix: string;
  readonly bucketSuffix: string;
  readonly account: string;
  readonly dataKey: string;
  readonly logRetentionDays: number;
  readonly corsOrigins: string[];
  readonly cloudtrailBucketId: string;
}

export class StorageModule extends ModuleStack {
  readonly buckets: Record<BucketKey | "logs", SecureBucket>;

  constructor(scope: Construct, workspace: string, props: StorageProps) {
    super(scope, workspace, "storage");
    const elbAccount = elbLogAccount(props.region);
    const v = this.declareInputs(props);
    const nameOf = (purpose: string) => Fn.join("-", Fn.compact([v.bucketPrefix, purpose, v.bucketSuffix]));

    const logs = logsBucket(this, {
      bucket: nameOf("logs"),
      elbAccount,
      account: v.account,
      retentionDays: v.logRetentionDays,
      preventDestroy: props.preventDestroy,
    });
    const buckets = appBuckets(this, props.settings.buckets, {
      nameOf,
      kmsKeyArn: v.dataKey,
      preventDestroy: props.preventDestroy,
    });
    accessLogging(this, buckets, {
      logsBucketId: logs.attr("id"),
      cloudtrailBucketId: v.cloudtrailBucketId,
    });
    browserUploadCors(this, buckets, props.settings.buckets, v.corsOrigins);
    this.buckets = { logs, ...buckets };
    this.declareOutputs(this.buckets, logs);
  }

  private declareInputs(props: StorageProps): StorageInputs {
    const s = props.settings;
    const bucketPrefix = this.input("bucket_prefix", props.bucketPrefix, {
      type: "string",
      description: "First part of every bucket name (`<prefix>-<env>`).",
    }).stringValue;
    const bucketSuffix = this.input("bucket_suffix", s.bucketSuffix ?? "", {
      type: "string",
      description: "Suffix for global uniqueness; empty for none.",
    }).stringValue;
    const account = this.input("account_id", props.accountId, {
      type: "string",
      description: "AWS account id (log delivery conditions).",
    }).stringValue;
    const dataKey = this.input("data_kms_key_arn", props.dataKmsKeyArn, {
      type: "string",
      description: "KMS key for SSE-KMS on data buckets.",
    }).stringValue;
    // Read by the presence of the access-log resources (STORAGE_PRESENCE).
    this.input("enable_access_logging", s.accessLogging, {
      type: "bool",
      description: "S3 server access logs of every bucket to the logs bucket.",
    });
    const retention = this.input("log_retention_days", props.logRetentionDays, {
      type: "number",
      description: "Days objects stay in the logs bucket (the workspace's log retention).",
      validations: [
        { condition: range("log_retention_days", { min: 1 }), errorMessage: "log_retention_days must be at least 1." },
      ],
    });
    const corsOrigins = this.input("cors_origins", s.corsOrigins, {
      type: "list(string)",
      description: "Origins allowed to upload from the browser.",
    }).listValue;
    const cloudtrailBucketId = this.input("cloudtrail_bucket_id", props.cloudtrailBucketId ?? null, {
      type: "string",
      description: "Trail bucket to log, or null.",
      nullable: true,
    }).stringValue;
    this.input("log_cloudtrail_bucket", props.hasCloudtrailBucket ?? false, {
      type: "bool",
      description: "Whether cloudtrail_bucket_id is set (known at plan time).",
    });
    return {
      bucketPrefix,
      bucketSuffix,
      account,
      dataKey,
      logRetentionDays: retention.numberValue,
      corsOrigins,
      cloudtrailBucketId,
    };
  }

  private declareOutputs(buckets: Record<BucketKey | "logs", SecureBucket>, logs: SecureBucket): void {
    for (const [key, b] of Object.entries(buckets)) {
      const { tf, purpose } = bucketNames(key);
      // Known once the bucket's versioning is set, so a replication rule on it (dr) waits for it: S3
      // refuses a replication configuration on a source bucket without versioning
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html).
      this.output(
        `${tf}_bucket_name`,
        b.attr("bucket"),
        `Name of the ${purpose} bucket (after its versioning is set).`,
      ).addOverride("depends_on", [dependable(b.versioning)]);
      this.output(`${tf}_bucket_arn`, b.attr("arn"), `ARN of the ${purpose} bucket.`);
    }
    this.output("alb_log_prefix", ALB_LOG_PREFIX, "Prefix for ALB access logs in the logs bucket.");
    // Known only once the policy admitting the delivery exists, so the cdn module's delivery waits for it.
    this.output(
      "cdn_log_destination_arn",
      `${logs.attr("arn")}/${CDN_LOG_PREFIX}`,
      "Where CloudFront delivers access logs (after the bucket policy that admits it).",
    ).addOverride("depends_on", [dependable(logs.policy)]);
  }
}
