/**
 * The audit trail (seed 000): a multi-region CloudTrail (`aws_cloudtrail.this`, created when `enable_cloudtrail`)
 * with log file validation, encrypted with the audit key, into a dedicated bucket (`aws_s3_bucket.cloudtrail`),
 * and optionally delivered to CloudWatch Logs (`/aws/cloudtrail/<name>`, role `<name>-cloudtrail-logs`, D57).
 */
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { conditional, Fn, propertyAccess, Token } from "cdktf";
import { policyDocument, serviceTrust, type PolicyStatement } from "../../lib/constructs/iam";
import { BUCKET_ARN, secureBucket } from "../../lib/constructs/secure-bucket";
import { named, present } from "../../lib/core/module-stack";
import { SECURITY_PRESENCE } from "./config";
import { retentionValidation } from "../../lib/core/validations";
import { type SecurityPart } from "./context";
import { firstOf } from "../../lib/core/tokens";
import type { KmsPurpose } from "./kms";

/** The trail's inputs, as tokens. */
function trailInputs(part: SecurityPart, bucketName: string) {
  const { input } = part;
  const audit = part.settings.audit;
  return {
    enabled: input("enable_cloudtrail", audit.enabled, {
      type: "bool",
      description: "Multi-region CloudTrail with its own bucket.",
    }).booleanValue,
    bucketName: input("cloudtrail_bucket_name", bucketName, {
      type: "string",
      description: "Name of the trail's bucket.",
    }).stringValue,
    retentionDays: input("cloudtrail_retention_days", audit.retentionDays, {
      type: "number",
      description: "Days trail files stay in S3.",
    }).numberValue,
    cloudwatchLogs: input("cloudtrail_cloudwatch_logs", audit.cloudWatchLogs, {
      type: "bool",
      description: "Also deliver the trail to CloudWatch Logs.",
    }).booleanValue,
    logRetentionDays: input("cloudtrail_log_retention_days", audit.logRetentionDays, {
      type: "number",
      description: "Retention of the trail's CloudWatch log group.",
      validations: [retentionValidation("cloudtrail_log_retention_days")],
    }).numberValue,
  };
}

/** What CloudTrail may do on its bucket: check the ACL and write its files, for this trail only. */
function bucketStatements(trailArn: string, account: string): PolicyStatement[] {
  return [
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: BUCKET_ARN,
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${BUCKET_ARN}/AWSLogs/${account}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
    },
  ];
}

/** The CloudWatch Logs copy: log group, the role CloudTrail delivers with, and its policy (counted by `count`). */
function trailLogs(part: SecurityPart, logsKey: KmsKey, retentionInDays: number) {
  const { scope, name, account } = part;
  const group = present(
    named(
      new CloudwatchLogGroup(scope, "cloudtrail_logs", {
        name: `/aws/cloudtrail/${name}`,
        retentionInDays,
        kmsKeyId: logsKey.arn,
      }),
      "cloudtrail",
    ),
    SECURITY_PRESENCE,
  );
  const role = present(
    named(
      new IamRole(scope, "cloudtrail_logs_role", {
        name: `${name}-cloudtrail-logs`,
        description: "Lets CloudTrail deliver to its CloudWatch log group",
        // AWS's documented form: no aws:SourceArn / aws:SourceAccount condition, which CloudTrail's delivery
        // to CloudWatch Logs does not support (docs/decisions.md D57).
        assumeRolePolicy: serviceTrust("cloudtrail.amazonaws.com"),
      }),
      "cloudtrail",
    ),
    SECURITY_PRESENCE,
  );
  const groupArn = firstOf(group, "arn");
  present(
    named(
      new IamRolePolicy(scope, "cloudtrail_logs_policy", {
        name: "deliver-to-cloudwatch-logs",
        role: firstOf(role, "id"),
        policy: policyDocument([
          {
            Sid: "WriteTrailLogStreams",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            // CloudTrail names its streams <account>_CloudTrail_<region>, one per region of a multi-region trail.
            Resource: `${groupArn}:log-stream:${account}_CloudTrail_*`,
          },
        ]),
      }),
      "cloudtrail",
    ),
    SECURITY_PRESENCE,
  );
  return { groupArn, roleArn: firstOf(role, "arn") };
}

/** The trail, its bucket and its CloudWatch Logs copy, with outputs `cloudtrail_bucket_id` and `cloudtrail_arn`. */
export function auditTrail(part: SecurityPart, keys: Record<KmsPurpose, KmsKey>, bucketName: string): void {
  const { scope, name, region, account } = part;
  const t = trailInputs(part, bucketName);
  const trailArn = `arn:aws:cloudtrail:${region}:${account}:trail/${name}-trail`;
  const bucket = secureBucket(scope, "cloudtrail", {
    bucket: t.bucketName,
    kmsKeyArn: keys.audit.arn,
    versioning: true,
    presence: SECURITY_PRESENCE,
    preventDestroy: part.preventDestroy,
    lifecycle: [{ id: "expire-trail-files", expirationDays: t.retentionDays, noncurrentVersionExpirationDays: 30 }],
    policyStatements: bucketStatements(trailArn, account),
  });
  const logs = trailLogs(part, keys.logs, t.logRetentionDays);
  // CloudTrail checks the bucket policy when the trail is created: secureBucket's `aws_s3_bucket_policy.cloudtrail`.
  const bucketPolicy = scope.node.findChild("cloudtrail_policy") as S3BucketPolicy;
  const trail = present(
    named(
      new Cloudtrail(scope, "trail", {
        name: `${name}-trail`,
        s3BucketName: bucket.attr("id"),
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        kmsKeyId: keys.audit.arn,
        cloudWatchLogsGroupArn: Token.asString(conditional(t.cloudwatchLogs, `${logs.groupArn}:*`, null)),
        cloudWatchLogsRoleArn: Token.asString(conditional(t.cloudwatchLogs, logs.roleArn, null)),
        dependsOn: [bucketPolicy],
      }),
      "this",
    ),
    SECURITY_PRESENCE,
  );
  part.output(
    "cloudtrail_bucket_id",
    Fn.one(propertyAccess(bucket.bucket, ["*", "id"])),
    "Bucket receiving the trail, or null.",
  );
  part.output("cloudtrail_arn", Fn.one(propertyAccess(trail, ["*", "arn"])), "The trail, or null.");
}
