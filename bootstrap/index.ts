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
import { secureBucket } from "../lib/constructs/secure-bucket";
import { AWS_PROVIDER_VERSION, TERRAFORM_REQUIRED_VERSION } from "../lib/core/versions";

export const LOCK_TABLE = "eduautismo-ia-terraform-locks";

export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, config: BootstrapConfig) {
    super(scope, "bootstrap");
    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
    new AwsProvider(this, "aws", { region: config.region, defaultTags: [{ tags: { Project: "eduautismo-ia", Environment: "shared", ManagedBy: "cdktf" } }] });
    this.addOverride("terraform.required_providers.aws", { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION });
    new LocalBackend(this, { path: "terraform.tfstate" });

    const state = secureBucket(this, "state", {
      bucket: config.bucket,
      // SSE-S3: the bucket must be readable before any KMS key of the platform exists.
      versioning: true,
      preventDestroy: true,
      lifecycle: [{ id: "keep-old-state-versions", noncurrentVersionExpirationDays: config.noncurrentVersionDays }],
    });
    named(new TerraformOutput(this, "output_state_bucket", { value: state.attr("bucket"), description: "Set environments/<ws>.ts state.bucket to this." }), "state_bucket");

    if (config.lockTable) {
      const table = named(
        new DynamodbTable(this, "lock_table", {
          name: LOCK_TABLE,
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
      named(new TerraformOutput(this, "output_lock_table", { value: table.name, description: "DynamoDB lock table (only for Terraform < 1.10)." }), "lock_table");
    }
  }
}
