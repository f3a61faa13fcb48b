/**
 * The DR region's pieces (provider alias `aws.<dr_region>`): the data key, the logs bucket of the replicas'
 * server access logs, one replica bucket per replicated bucket, and the replicated automated backups.
 */
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { policyDocument } from "../../lib/constructs/iam";
import { BUCKET_ARN, secureBucket, type SecureBucket } from "../../lib/constructs/secure-bucket";
import { named, onProvider } from "../../lib/core/module-stack";
import { hcl } from "../../lib/core/tokens";
import { keyPolicy } from "../security/kms";
import type { DrVars } from "./inputs";

/** Prefix of the replicas' server access logs inside the DR logs bucket. */
export const DR_ACCESS_LOG_PREFIX = "s3-access";

export interface DrCopies {
  readonly key: KmsKey;
  /** Replica bucket of each replicated bucket, in the order of `vars.buckets`. */
  readonly replicas: readonly SecureBucket[];
  readonly backups: DbInstanceAutomatedBackupsReplication;
}

export function drRegionCopies(scope: Construct, alias: string, vars: DrVars, preventDestroy?: boolean): DrCopies {
  const inDr = <T extends TerraformResource>(r: T): T => onProvider(r, alias);
  const key = inDr(
    named(
      new KmsKey(scope, "dr_key", {
        description: `DR copies (backups, bucket replicas) of ${vars.name}`,
        enableKeyRotation: true,
        deletionWindowInDays: vars.kmsDeletionWindowDays,
        policy: policyDocument(keyPolicy("data", { account: vars.accountId, region: vars.drRegion, name: vars.name })),
        lifecycle: { preventDestroy: preventDestroy ?? false },
      }),
      "dr",
    ),
  );

  // S3 server access logs only go to an SSE-S3 bucket in the same region.
  const logs = secureBucket(scope, "logs", {
    providerAlias: alias,
    bucket: vars.logsBucketName,
    versioning: true,
    preventDestroy,
    lifecycle: [{ id: "expire-logs", expirationDays: 90, noncurrentVersionExpirationDays: 7 }],
    policyStatements: [
      {
        Sid: "S3WritesServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${BUCKET_ARN}/${DR_ACCESS_LOG_PREFIX}/*`,
        Condition: { StringEquals: { "aws:SourceAccount": vars.accountId } },
      },
    ],
  });

  const replicas = vars.buckets.map((b) => {
    const replica = secureBucket(scope, b.key, {
      providerAlias: alias,
      // `"<source>-dr"` as an HCL template inside the expression, as the module has always written it.
      bucket: hcl`"\${${b.name}}-dr"`,
      kmsKeyArn: key.arn,
      versioning: true,
      preventDestroy,
      lifecycle: [{ id: "old-versions", noncurrentVersionExpirationDays: 30 }],
    });
    inDr(
      named(
        new S3BucketLoggingA(scope, `${b.key}_logging`, {
          bucket: replica.bucket.id,
          targetBucket: logs.bucket.id,
          targetPrefix: `${DR_ACCESS_LOG_PREFIX}/${b.key}/`,
        }),
        b.key,
      ),
    );
    return replica;
  });

  const backups = inDr(
    named(
      new DbInstanceAutomatedBackupsReplication(scope, "db_backups", {
        sourceDbInstanceArn: `arn:aws:rds:${vars.sourceRegion}:${vars.accountId}:db:${vars.dbInstanceIdentifier}`,
        retentionPeriod: vars.backupRetentionDays,
        kmsKeyId: key.arn,
      }),
      "postgres",
    ),
  );
  return { key, replicas, backups };
}
