/**
 * The `bootstrap` stack (`cdktf.out/stacks/bootstrap/`): the versioned, encrypted, TLS-only state
 * bucket with `prevent_destroy`, and an optional DynamoDB lock table. Its own state stays local
 * (it creates the bucket everything else stores state in).
 */
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { BootstrapConfig } from "../environments/bootstrap";
import { named } from "../lib/core/module-stack";
import { addPlaceholderChecks, placeholdersOf } from "../lib/core/placeholders";
import type { PolicyStatement } from "../lib/constructs/iam";
import { BUCKET_ARN, secureBucket } from "../lib/constructs/secure-bucket";
import { AWS_PROVIDER_VERSION, TERRAFORM_REQUIRED_VERSION } from "../lib/core/versions";

/** The lock table is named after the product's state bucket (the bucket name is the product's). */
export function lockTableName(config: Pick<BootstrapConfig, "bucket">): string {
  return `${config.bucket}-locks`;
}

/** A workspace that keeps its state in the bucket: its account and where its objects live. */
export interface StateUser {
  readonly workspace: string;
  readonly accountId: string;
  /** Its prefixes in the bucket: the S3 backend's objects (state and `.tflock`), the pipeline's state backups. */
  readonly objectPrefixes: readonly string[];
}

export interface BootstrapOptions {
  /** Workspaces whose state is in this bucket. @default none */
  readonly users?: readonly StateUser[];
  /** Where the bootstrap config lives (the product's registration, `<sourceDir>/index.ts`), for the placeholder warnings. */
  readonly sourceFile: string;
}

/**
 * A workspace of another account reaches the bucket through its policy (cross-account access needs both the
 * bucket policy and the caller's IAM policy): listing, and its own objects only.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
 */
export function crossAccountStatements(config: BootstrapConfig, users: readonly StateUser[]): PolicyStatement[] {
  return users
    .filter((u) => u.accountId !== config.accountId)
    .flatMap((u) => [
      {
        Sid: `StateList${u.workspace.replace(/[^A-Za-z0-9]/g, "")}`,
        Effect: "Allow" as const,
        Principal: { AWS: `arn:aws:iam::${u.accountId}:root` },
        Action: "s3:ListBucket",
        Resource: BUCKET_ARN,
      },
      {
        Sid: `StateObjects${u.workspace.replace(/[^A-Za-z0-9]/g, "")}`,
        Effect: "Allow" as const,
        Principal: { AWS: `arn:aws:iam::${u.accountId}:root` },
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: u.objectPrefixes.map((p) => `${BUCKET_ARN}/${p}*`),
      },
    ]);
}

export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, config: BootstrapConfig, options: BootstrapOptions) {
    super(scope, "bootstrap");
    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
    addPlaceholderChecks(this, placeholdersOf(config), "bootstrap", options.sourceFile);
    new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: [config.accountId],
      defaultTags: [{ tags: { Project: "eduautismo-ia", Environment: "shared", ManagedBy: "cdktf" } }],
    });
    this.addOverride("terraform.required_providers.aws", { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION });
    new LocalBackend(this, { path: "terraform.tfstate" });

    const state = secureBucket(this, "state", {
      bucket: config.bucket,
      // SSE-S3: the bucket must be readable before any KMS key of the platform exists.
      versioning: true,
      preventDestroy: true,
      lifecycle: [{ id: "keep-old-state-versions", noncurrentVersionExpirationDays: config.noncurrentVersionDays }],
      policyStatements: crossAccountStatements(config, options.users ?? []),
    });
    named(
      new TerraformOutput(this, "output_state_bucket", {
        value: state.attr("bucket"),
        description: "Set environments/<ws>.ts state.bucket to this.",
      }),
      "state_bucket",
    );

    if (config.lockTable) {
      const table = named(
        new DynamodbTable(this, "lock_table", {
          name: lockTableName(config),
          billingMode: "PAY_PER_REQUEST",
          hashKey: "LockID",
          attribute: [{ name: "LockID", type: "S" }],
          serverSideEncryption: { enabled: true },
          pointInTimeRecovery: { enabled: true },
          deletionProtectionEnabled: true,
          lifecycle: { preventDestroy: true },
        }),
        "locks",
      );
      named(
        new TerraformOutput(this, "output_lock_table", {
          value: table.name,
          description: "DynamoDB lock table (only for Terraform < 1.10).",
        }),
        "lock_table",
      );
    }
  }
}
