/**
 * The application's buckets of `storage.buckets` (SSE-KMS with the data key, bucket keys, versioning and
 * lifecycles from config), their server access logging into the logs bucket and the CORS of the buckets
 * that take browser uploads.
 */
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import type { Construct } from "constructs";
import { named, present } from "../../lib/core/module-stack";
import { secureBucket, type SecureBucket } from "../../lib/constructs/secure-bucket";
import { bucketNames, STORAGE_PRESENCE, type BucketConfig, type BucketKey } from "./config";
import { S3_ACCESS_LOG_PREFIX } from "./logs";

export interface AppBucketsOptions {
  /** The name of a bucket of this purpose (token). */
  readonly nameOf: (purpose: string) => string;
  /** The data key (token): SSE-KMS. */
  readonly kmsKeyArn: string;
  readonly preventDestroy?: boolean;
}

/** One secure bucket per key of `storage.buckets`: `aws_s3_bucket.<key in snake case>`. */
export function appBuckets(
  scope: Construct,
  buckets: Record<BucketKey, BucketConfig>,
  o: AppBucketsOptions,
): Record<BucketKey, SecureBucket> {
  const out: Record<BucketKey, SecureBucket> = {};
  for (const [key, cfg] of Object.entries(buckets)) {
    const { tf, purpose } = bucketNames(key);
    out[key] = secureBucket(scope, tf, {
      bucket: o.nameOf(purpose),
      kmsKeyArn: o.kmsKeyArn,
      versioning: cfg.versioning,
      lifecycle: cfg.lifecycle,
      preventDestroy: o.preventDestroy,
    });
  }
  return out;
}

export interface AccessLoggingOptions {
  /** The logs bucket's id (token). */
  readonly logsBucketId: string;
  /** The security module's trail bucket (token, null without a trail). */
  readonly cloudtrailBucketId: string;
}

/** S3 server access logs of every application bucket, and of the trail bucket, to `s3-access/<purpose>/` in the logs bucket. */
export function accessLogging(
  scope: Construct,
  buckets: Record<BucketKey, SecureBucket>,
  o: AccessLoggingOptions,
): void {
  for (const [key, b] of Object.entries(buckets)) {
    const { tf, purpose } = bucketNames(key);
    const logging = new S3BucketLoggingA(scope, `${tf}_logging`, {
      bucket: b.attr("id"),
      targetBucket: o.logsBucketId,
      targetPrefix: `${S3_ACCESS_LOG_PREFIX}/${purpose}/`,
    });
    present(named(logging, tf), STORAGE_PRESENCE);
  }
  const trail = new S3BucketLoggingA(scope, "cloudtrail_logging", {
    bucket: o.cloudtrailBucketId,
    targetBucket: o.logsBucketId,
    targetPrefix: `${S3_ACCESS_LOG_PREFIX}/cloudtrail/`,
  });
  present(named(trail, "cloudtrail"), STORAGE_PRESENCE);
}

/** Browser uploads (presigned PUT/POST) need CORS from the app's origins on the buckets that take them. */
export function browserUploadCors(
  scope: Construct,
  buckets: Record<BucketKey, SecureBucket>,
  configs: Record<BucketKey, BucketConfig>,
  corsOrigins: string[],
): void {
  for (const [key, cfg] of Object.entries(configs)) {
    if (!cfg.browserUploads) continue;
    const tf = bucketNames(key).tf;
    const cors = new S3BucketCorsConfiguration(scope, `${tf}_cors`, {
      bucket: buckets[key].attr("id"),
      corsRule: [
        {
          allowedMethods: ["GET", "PUT", "POST", "HEAD"],
          allowedOrigins: corsOrigins,
          allowedHeaders: ["*"],
          exposeHeaders: ["ETag"],
          maxAgeSeconds: 3000,
        },
      ],
    });
    present(named(cors, tf), STORAGE_PRESENCE);
  }
}
