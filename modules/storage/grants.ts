/**
 * Least-privilege access to a bucket for a role, as IAM statements. The compute module calls
 * these with the bucket and key ARNs it receives as module variables.
 */
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../../lib/constructs/iam";

export interface BucketAccess {
  /** Short name for statement ids, e.g. `Uploads`. */
  readonly label: string;
  readonly bucketArn: string;
  /** KMS key encrypting the bucket (SSE-KMS); omit for SSE-S3. */
  readonly kmsKeyArn?: string;
}

export function readStatements(b: BucketAccess): PolicyStatement[] {
  return [
    { Sid: `List${b.label}`, Effect: "Allow", Action: "s3:ListBucket", Resource: b.bucketArn },
    {
      Sid: `Read${b.label}`,
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `${b.bucketArn}/*`,
    },
    ...(b.kmsKeyArn
      ? [{ Sid: `Decrypt${b.label}`, Effect: "Allow" as const, Action: "kms:Decrypt", Resource: b.kmsKeyArn }]
      : []),
  ];
}

export function readWriteStatements(b: BucketAccess): PolicyStatement[] {
  return [
    {
      Sid: `List${b.label}`,
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
      Resource: b.bucketArn,
    },
    {
      Sid: `ReadWrite${b.label}`,
      Effect: "Allow",
      Action: [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
      ],
      Resource: `${b.bucketArn}/*`,
    },
    ...(b.kmsKeyArn
      ? [
          {
            Sid: `Encrypt${b.label}`,
            Effect: "Allow" as const,
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: b.kmsKeyArn,
          },
        ]
      : []),
  ];
}

/** Attaches read access to `role` as an inline policy named `<id>`. */
export function grantRead(scope: Construct, id: string, role: string, bucket: BucketAccess): IamRolePolicy {
  return new IamRolePolicy(scope, id, { role, name: id, policy: policyDocument(readStatements(bucket)) });
}

/** Attaches read-write access to `role` as an inline policy named `<id>`. */
export function grantReadWrite(scope: Construct, id: string, role: string, bucket: BucketAccess): IamRolePolicy {
  return new IamRolePolicy(scope, id, { role, name: id, policy: policyDocument(readWriteStatements(bucket)) });
}
