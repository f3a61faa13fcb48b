/**
 * An S3 bucket with the platform's defaults: all four public access blocks, ACLs disabled
 * (BucketOwnerEnforced), default encryption (SSE-KMS with bucket keys, or SSE-S3 where AWS
 * requires it), TLS-only policy, versioning as asked, lifecycle rules plus abort of incomplete
 * multipart uploads. Every resource is named after the bucket's key: `aws_s3_bucket.uploads`,
 * `aws_s3_bucket_policy.uploads`, …
 */
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { dependable, propertyAccess, Token, type TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { denyInsecureTransport, policyDocument, type PolicyStatement } from "./iam";
import { named, onProvider, present } from "../core/module-stack";
import type { PresenceTable } from "../core/rules";

/** A lifecycle rule; day counts may be literals or tokens (a number token, or an expression string). */
export interface BucketLifecycleRule {
  readonly id: string;
  /** @default "" (whole bucket) */
  readonly prefix?: string;
  /** @default [] */
  readonly transitions?: readonly { readonly days: number | string; readonly storageClass: string }[];
  readonly expirationDays?: number | string;
  readonly noncurrentVersionExpirationDays?: number | string;
  readonly newerNoncurrentVersions?: number;
}

/** Days after which incomplete multipart uploads are aborted, on every bucket. */
export const ABORT_MULTIPART_DAYS = 7;

export interface SecureBucketOptions {
  /** Bucket name (literal or expression). */
  readonly bucket: string;
  /** KMS key ARN for SSE-KMS; omit for SSE-S3 (AES256), which ALB access logs require. */
  readonly kmsKeyArn?: string;
  /** @default false */
  readonly versioning?: boolean;
  /** @default [] — only the abort-multipart rule */
  readonly lifecycle?: readonly BucketLifecycleRule[];
  /** Statements added to the TLS-only bucket policy (log delivery, CloudTrail). They may use `BUCKET_ARN`. @default [] */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Whether the bucket exists: its module's presence table (D211), which names every resource of the bucket. @default none (always created) */
  readonly presence?: PresenceTable;
  /** `prevent_destroy` on the bucket. @default false */
  readonly preventDestroy?: boolean;
  /** Aliased aws provider (`aws.<alias>`) for every resource of the bucket, e.g. another region's. @default the module's default provider */
  readonly providerAlias?: string;
}

export interface SecureBucket {
  readonly key: string;
  readonly bucket: S3Bucket;
  /** `aws_s3_bucket_versioning.<key>`: outputs that must wait for versioning depend on it. */
  readonly versioning: S3BucketVersioningA;
  /** `aws_s3_bucket_policy.<key>`: outputs that must wait for the policy depend on it. */
  readonly policy: S3BucketPolicy;
  /** A token of `aws_s3_bucket.<key>.<attr>` (instance `0` when counted). */
  attr(attribute: "arn" | "id" | "bucket" | "bucket_regional_domain_name"): string;
}

/** Placeholder for the bucket's own ARN inside `policyStatements`. */
export const BUCKET_ARN = "__BUCKET_ARN__";

export function secureBucket(scope: Construct, key: string, options: SecureBucketOptions): SecureBucket {
  const presence = options.presence;
  const own = <T extends TerraformResource>(r: T): T => {
    named(r, key);
    if (presence !== undefined) present(r, presence);
    if (options.providerAlias) onProvider(r, options.providerAlias);
    return r;
  };

  // force_destroy stays false: S3 refuses to delete a bucket that still holds objects.
  const bucket = own(
    new S3Bucket(scope, `${key}_bucket`, {
      bucket: options.bucket,
      forceDestroy: false,
      lifecycle: { preventDestroy: options.preventDestroy ?? false },
    }),
  );
  const attr = (a: string) => Token.asString(propertyAccess(bucket, presence !== undefined ? [0, a] : [a]));
  const id = attr("id");
  const publicAccessBlock = own(
    new S3BucketPublicAccessBlock(scope, `${key}_public_access_block`, {
      bucket: id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
  );
  own(
    new S3BucketOwnershipControls(scope, `${key}_ownership`, {
      bucket: id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    }),
  );
  own(
    new S3BucketServerSideEncryptionConfigurationA(scope, `${key}_encryption`, {
      bucket: id,
      rule: [
        options.kmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: options.kmsKeyArn },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    }),
  );
  const versioning = own(
    new S3BucketVersioningA(scope, `${key}_versioning`, {
      bucket: id,
      // "Disabled" is only valid for a bucket that never had versioning; switching off later means "Suspended".
      versioningConfiguration: { status: options.versioning ? "Enabled" : "Disabled" },
    }),
  );
  own(
    new S3BucketLifecycleConfiguration(scope, `${key}_lifecycle`, {
      bucket: id,
      rule: [
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_MULTIPART_DAYS }],
        },
        ...(options.lifecycle ?? []).map((r) => ({
          id: r.id,
          status: "Enabled",
          filter: [{ prefix: r.prefix ?? "" }],
          transition: (r.transitions ?? []).map((t) => ({ days: t.days as number, storageClass: t.storageClass })),
          expiration: r.expirationDays !== undefined ? [{ days: r.expirationDays as number }] : undefined,
          noncurrentVersionExpiration:
            r.noncurrentVersionExpirationDays !== undefined
              ? [
                  {
                    noncurrentDays: r.noncurrentVersionExpirationDays as number,
                    newerNoncurrentVersions: r.newerNoncurrentVersions,
                  },
                ]
              : undefined,
        })),
      ],
    }),
  );
  const arn = attr("arn");
  const statements = [denyInsecureTransport(arn), ...(options.policyStatements ?? [])];
  const policy = policyDocument(statements).split(BUCKET_ARN).join(arn);
  // The policy waits for the public access block, or S3 may reject it as public while the block is pending.
  const bucketPolicy = own(new S3BucketPolicy(scope, `${key}_policy`, { bucket: id, policy }));
  bucketPolicy.addOverride("depends_on", [dependable(publicAccessBlock)]);
  return { key, bucket, versioning, policy: bucketPolicy, attr: (a) => attr(a) };
}
