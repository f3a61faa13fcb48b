import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../environments";
import { pipelineReadyWorkspace } from "../helpers/workspace-fixture";
import { synthesize } from "../../platform";
import { inputs, resource, synthAll, tempDir, type Json } from "../helpers/synth";

const { outdir } = synthAll();
const boot: Json = readStackRoot(outdir);

function readStackRoot(dir: string): Json {
  // The bootstrap stack has no modules or tfvars: read its root only.
  return JSON.parse(fs.readFileSync(path.join(dir, "stacks", "bootstrap", "cdk.tf.json"), "utf8"));
}

test("the state bucket is versioned, so every earlier state can be restored", () => {
  expect(resource(boot, "aws_s3_bucket_versioning", "state").versioning_configuration).toEqual({ status: "Enabled" });
});

test("old state versions are kept 90 days, then expire", () => {
  const rule = resource(boot, "aws_s3_bucket_lifecycle_configuration", "state").rule.find(
    (r: Json) => r.id === "keep-old-state-versions",
  );
  expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
});

test("the state bucket is encrypted, private, TLS-only and cannot be destroyed by a plan", () => {
  expect(resource(boot, "aws_s3_bucket", "state").lifecycle).toEqual({ prevent_destroy: true });
  expect(
    resource(boot, "aws_s3_bucket_server_side_encryption_configuration", "state").rule[0]
      .apply_server_side_encryption_by_default.sse_algorithm,
  ).toBe("AES256");
  expect(resource(boot, "aws_s3_bucket_public_access_block", "state").restrict_public_buckets).toBe(true);
  expect(resource(boot, "aws_s3_bucket_policy", "state").policy).toContain("aws:SecureTransport");
});

test("its own state stays local (it creates the bucket everything else uses)", () => {
  expect(boot.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
});

test("no DynamoDB lock table unless asked (use_lockfile locks in S3)", () => {
  expect(boot.resource.aws_dynamodb_table).toBeUndefined();
  const out = tempDir("boot-lock");
  // No workspaces (inputs: {}): the bootstrap stack alone, which is what the lock table belongs to.
  synthesize({
    outdir: out,
    inputs: {},
    bootstrap: { accountId: "333333333333", bucket: "eduautismo-ia-terraform-state", lockTable: true },
  });
  const table = resource(readStackRoot(out), "aws_dynamodb_table", "locks");
  expect(table).toMatchObject({
    hash_key: "LockID",
    billing_mode: "PAY_PER_REQUEST",
    deletion_protection_enabled: true,
    lifecycle: { prevent_destroy: true },
  });
});

test("workspaces with remote state point at the bootstrap bucket, with S3-native locking", () => {
  const production = pipelineReadyWorkspace("production");
  expect(production.root.terraform.backend.s3).toMatchObject({
    bucket: "eduautismo-ia-terraform-state",
    use_lockfile: true,
  });
});

test("a workspace pointing at another bucket is rejected", () => {
  const all = inputs();
  all.staging.state = { bucket: "somewhere-else" };
  expect(() => synthesize({ outdir: tempDir("boot-bad"), inputs: all })).toThrow(ConfigError);
  try {
    synthesize({ outdir: tempDir("boot-bad2"), inputs: all });
  } catch (e) {
    expect((e as ConfigError).problems).toEqual([
      'staging.state.bucket: "somewhere-else" is not the bootstrap state bucket "eduautismo-ia-terraform-state" (environments/eduautismo/index.ts)',
    ]);
  }
});
