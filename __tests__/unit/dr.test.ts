/** Disaster recovery (seed 000 §4.3 "Multi-AZ em múltiplas regiões"): copies in a second region. */
import { estimate } from "../../tools/cost/estimate";
import { loadEnvironments } from "../../environments";
import { problems } from "../helpers/config";
import { synthAll, type Json } from "../helpers/synth";

const { stacks } = synthAll();
const dr = stacks.production.modules.dr;
const inputs = stacks.production.root.module.dr;
const res = (type: string, name: string): Json => dr.resource[type][name];

test("only production copies to a second region", () => {
  expect(stacks.dev.modules.dr).toBeUndefined();
  expect(stacks.staging.modules.dr).toBeUndefined();
  expect(inputs.dr_region).toBe("us-east-2");
  expect(inputs.providers).toEqual({ aws: "aws", "aws.us_east_2": "aws.us_east_2" });
});

test("the copies live in the DR region, the replication rules on the source buckets in the primary region", () => {
  for (const [type, byName] of Object.entries<Json>(dr.resource)) {
    for (const [name, body] of Object.entries<Json>(byName)) {
      const primary =
        type === "aws_iam_role" || type === "aws_iam_role_policy" || type === "aws_s3_bucket_replication_configuration";
      expect([`${type}.${name}`, body.provider]).toEqual([`${type}.${name}`, primary ? undefined : "aws.us_east_2"]);
    }
  }
});

test("automated backups of the primary database are replicated, encrypted with the DR key", () => {
  const b = res("aws_db_instance_automated_backups_replication", "postgres");
  expect(b.source_db_instance_arn).toBe(
    "arn:aws:rds:${var.source_region}:${var.account_id}:db:${var.db_instance_identifier}",
  );
  expect(b.kms_key_id).toBe("${aws_kms_key.dr.arn}");
  expect(inputs.db_instance_identifier).toBe("${module.database.db_instance_identifier}");
  expect(inputs.backup_retention_days).toBe(7);
});

test("uploads and ml-models replicate, KMS-encrypted objects and delete markers included", () => {
  for (const b of ["uploads", "ml_models"]) {
    const rule = res("aws_s3_bucket_replication_configuration", b).rule[0];
    expect(rule.source_selection_criteria.sse_kms_encrypted_objects.status).toBe("Enabled");
    expect(rule.delete_marker_replication.status).toBe("Enabled");
    expect(rule.destination.bucket).toBe(`\${aws_s3_bucket.${b}.arn}`);
    expect(rule.destination.encryption_configuration.replica_kms_key_id).toBe("${aws_kms_key.dr.arn}");
    expect(res("aws_s3_bucket_replication_configuration", b).depends_on).toEqual([`aws_s3_bucket_versioning.${b}`]);
  }
  expect(Object.keys(dr.resource.aws_s3_bucket).sort()).toEqual(["logs", "ml_models", "uploads"]);
});

test("replicas are versioned, KMS-encrypted with the DR key and log their access in the DR region", () => {
  for (const b of ["uploads", "ml_models"]) {
    expect(res("aws_s3_bucket_versioning", b).versioning_configuration.status).toBe("Enabled");
    expect(
      res("aws_s3_bucket_server_side_encryption_configuration", b).rule[0].apply_server_side_encryption_by_default
        .kms_master_key_id,
    ).toBe("${aws_kms_key.dr.arn}");
    expect(res("aws_s3_bucket_logging", b).target_bucket).toBe("${aws_s3_bucket.logs.id}");
  }
});

test("the replication role may only decrypt through S3 in the source region and encrypt through S3 in the DR region", () => {
  const doc = JSON.parse(res("aws_iam_role_policy", "replication").policy);
  const sid = (s: string) => doc.Statement.find((x: Json) => x.Sid === s);
  expect(sid("DecryptSourceObjects").Condition.StringEquals["kms:ViaService"]).toBe(
    "s3.${var.source_region}.amazonaws.com",
  );
  expect(sid("EncryptReplicas").Condition.StringEquals["kms:ViaService"]).toBe("s3.${var.dr_region}.amazonaws.com");
  expect(JSON.parse(res("aws_iam_role", "replication").assume_role_policy).Statement[0].Principal).toEqual({
    Service: "s3.amazonaws.com",
  });
});

test("the DR key and buckets refuse to be destroyed in production", () => {
  expect(res("aws_kms_key", "dr").lifecycle.prevent_destroy).toBe(true);
  for (const b of ["logs", "uploads", "ml_models"])
    expect(res("aws_s3_bucket", b).lifecycle.prevent_destroy).toBe(true);
});

test("the root tells operators where the copies are", () => {
  expect(Object.keys(stacks.production.root.output)).toEqual(
    expect.arrayContaining(["dr_region", "dr_backup_replication_arn", "dr_bucket_names", "dr_kms_key_arn"]),
  );
});

test("the estimate prices the replicated backups and bucket copies", () => {
  const env = loadEnvironments().find((e) => e.workspace === "production");
  const lines = estimate(env!, stacks.production).lines.filter((l) => l.module === "dr");
  expect(lines.map((l) => l.item)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/replicated automated backups/),
      expect.stringMatching(/S3 replicas/),
    ]),
  );
});

describe("config rules", () => {
  test.each([
    [
      "no region",
      (e: Json) => (e.dr = { enabled: true }),
      'dev.dr.region: disaster recovery needs the region of the copies, e.g. "us-east-2"',
    ],
    [
      "its own region",
      (e: Json) => (e.dr = { enabled: true, region: "us-east-1" }),
      "dev.dr.region: us-east-1 is the environment's own region; the copies must live in another one",
    ],
    [
      "no backups to replicate",
      (e: Json) => {
        e.dr = { enabled: true, region: "us-east-2" };
        e.database.backupRetentionDays = 0;
      },
      "dev.dr.enabled: replicating automated backups needs automated backups on the source (database.backupRetentionDays > 0)",
    ],
    [
      "an unversioned source bucket",
      (e: Json) => {
        e.dr = { enabled: true, region: "us-east-2", buckets: ["exports"] };
        e.storage = { ...e.storage, buckets: { exports: { versioning: false } } };
      },
      "dev.dr.buckets[0]: S3 replication needs versioning on the source bucket: storage.buckets.exports.versioning is false",
    ],
    [
      "more backup days than RDS keeps",
      (e: Json) => (e.dr = { enabled: true, region: "us-east-2", backupRetentionDays: 36 }),
      "dev.dr.backupRetentionDays: RDS keeps at most 35 days",
    ],
  ])("refuses %s", (_, change, message) => {
    expect(problems("dev", change)).toContain(message);
  });
});
