/** The primary region's side of bucket replication: S3's replication role and each source bucket's rule. */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { policyDocument, serviceTrust, type PolicyStatement } from "../../lib/constructs/iam";
import { named } from "../../lib/core/module-stack";
import type { DrCopies } from "./dr-region";
import type { DrVars } from "./inputs";

/** What the role may do: read the sources, write the replicas, decrypt and encrypt with the two regions' keys. */
function replicationStatements(vars: DrVars, copies: DrCopies): PolicyStatement[] {
  const sourceArns = vars.buckets.map((b) => b.arn);
  const replicaArns = copies.replicas.map((r) => r.bucket.arn);
  return [
    {
      Sid: "ReadReplicationConfiguration",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
      Resource: sourceArns,
    },
    {
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      Resource: sourceArns.map((a) => `${a}/*`),
    },
    {
      Sid: "WriteReplicas",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      Resource: replicaArns.map((a) => `${a}/*`),
    },
    {
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: vars.sourceDataKmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${vars.sourceRegion}.amazonaws.com` } },
    },
    {
      Sid: "EncryptReplicas",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: copies.key.arn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${vars.drRegion}.amazonaws.com` } },
    },
  ];
}

/** The replication role and one replication rule per source bucket (none without replicated buckets). */
export function replication(scope: Construct, vars: DrVars, copies: DrCopies): void {
  if (vars.buckets.length === 0) return;
  const role = named(
    new IamRole(scope, "replication_role", {
      name: `${vars.name}-s3-replication`,
      description: "S3 replicates the DR buckets to the DR region",
      assumeRolePolicy: serviceTrust("s3.amazonaws.com", { StringEquals: { "aws:SourceAccount": vars.accountId } }),
    }),
    "replication",
  );
  named(
    new IamRolePolicy(scope, "replication_policy", {
      name: "replicate-to-dr",
      role: role.id,
      policy: policyDocument(replicationStatements(vars, copies)),
    }),
    "replication",
  );
  vars.buckets.forEach((b, i) => {
    // The replica must be versioned before S3 accepts the rule.
    const versioning = scope.node.findChild(`${b.key}_versioning`);
    if (!(versioning instanceof TerraformResource)) throw new Error(`dr: no versioning of the ${b.key} replica`);
    named(
      new S3BucketReplicationConfigurationA(scope, `${b.key}_replication`, {
        role: role.arn,
        bucket: b.name,
        rule: [
          {
            id: "to-dr-region",
            status: "Enabled",
            filter: { prefix: "" },
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: copies.replicas[i].bucket.arn,
              encryptionConfiguration: { replicaKmsKeyId: copies.key.arn },
            },
          },
        ],
        dependsOn: [versioning],
      }),
      b.key,
    );
  });
}
