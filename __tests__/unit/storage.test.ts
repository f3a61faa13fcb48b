import { PlatformApp } from "../../lib/core/app";
import { readStatements, readWriteStatements } from "../../modules/storage/grants";
import { StorageModule } from "../../modules/storage";
import { inputs, resource, resourcesOf, synthAll, tempDir, type Json } from "../helpers/synth";
import { loadEnvironments } from "../../environments";
import { buildWorkspace } from "../helpers/workspace-fixture";
import { estimate } from "../../tools/cost/estimate";
import { problems } from "../helpers/config";

const { stacks } = synthAll();
const st: Json = stacks.production.modules.storage;
const BUCKETS = ["uploads", "exports", "ml_models", "bncc_data", "logs"];
const DATA = ["uploads", "exports", "ml_models", "bncc_data"];

describe("every bucket", () => {
  test("the module holds exactly the five buckets of seed 001 plus logs", () => {
    expect(Object.keys(resourcesOf(st, "aws_s3_bucket")).sort()).toEqual([...BUCKETS].sort());
  });

  test.each(BUCKETS)("%s blocks all public access", (b) => {
    expect(resource(st, "aws_s3_bucket_public_access_block", b)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test.each(BUCKETS)("%s disables ACLs (BucketOwnerEnforced)", (b) => {
    expect(resource(st, "aws_s3_bucket_ownership_controls", b).rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  test.each(BUCKETS)("%s refuses requests without TLS", (b) => {
    const deny = JSON.parse(resource(st, "aws_s3_bucket_policy", b).policy).Statement.find(
      (s: Json) => s.Sid === "DenyInsecureTransport",
    );
    expect(deny).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(deny.Resource).toEqual([`\${aws_s3_bucket.${b}.arn}`, `\${aws_s3_bucket.${b}.arn}/*`]);
  });

  test.each(BUCKETS)("%s aborts incomplete multipart uploads after 7 days", (b) => {
    const rules = resource(st, "aws_s3_bucket_lifecycle_configuration", b).rule;
    expect(rules[0]).toMatchObject({
      status: "Enabled",
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
  });

  test.each(BUCKETS)("%s is versioned", (b) => {
    expect(resource(st, "aws_s3_bucket_versioning", b).versioning_configuration).toEqual({ status: "Enabled" });
  });
});

describe("encryption", () => {
  test.each(DATA)("%s uses SSE-KMS with the data key and bucket keys", (b) => {
    expect(resource(st, "aws_s3_bucket_server_side_encryption_configuration", b).rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: "aws:kms",
          kms_master_key_id: "${var.data_kms_key_arn}",
        },
        bucket_key_enabled: true,
      },
    ]);
  });

  test("the logs bucket uses SSE-S3, which ALB access logs require", () => {
    expect(resource(st, "aws_s3_bucket_server_side_encryption_configuration", "logs").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  test("the data key comes from the security module", () => {
    expect(stacks.production.root.module.storage.data_kms_key_arn).toBe("${module.security.data_kms_key_arn}");
  });
});

describe("logs bucket", () => {
  const policy = JSON.parse(resource(st, "aws_s3_bucket_policy", "logs").policy).Statement as Json[];

  test("admits ALB access logs from the region's Elastic Load Balancing account under alb/AWSLogs/<account>/", () => {
    expect(policy.find((s) => s.Sid === "ElbWritesAccessLogs")).toMatchObject({
      Principal: { AWS: "arn:aws:iam::127311923021:root" },
      Action: "s3:PutObject",
      Resource: "${aws_s3_bucket.logs.arn}/alb/AWSLogs/${var.account_id}/*",
    });
  });

  test("admits S3 server access logs from this account only", () => {
    expect(policy.find((s) => s.Sid === "S3WritesServerAccessLogs")).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "${var.account_id}" } },
    });
  });

  test("expires logs after the configured retention", () => {
    const rule = resource(st, "aws_s3_bucket_lifecycle_configuration", "logs").rule.find(
      (r: Json) => r.id === "expire-logs",
    );
    expect(rule.expiration).toEqual([{ days: "${var.log_retention_days}" }]);
  });

  test("in sa-east-1 the ELB account of sa-east-1 writes the logs", () => {
    const all = inputs();
    all.production.region = "sa-east-1";
    all.production.availabilityZones = ["sa-east-1a", "sa-east-1b", "sa-east-1c"];
    const logs = buildWorkspace("production", all.production).modules.storage;
    expect(resource(logs, "aws_s3_bucket_policy", "logs").policy).toContain("arn:aws:iam::507241528517:root");
  });

  test("a region without a known ELB log account fails synthesis with a pointer to the table", () => {
    const env = loadEnvironments()[0];
    const app = new PlatformApp({ outdir: tempDir("storage-region") });
    expect(
      () =>
        new StorageModule(app, "dev", {
          settings: env.storage,
          logRetentionDays: env.compute.logRetentionDays,
          bucketPrefix: "x",
          region: "ap-south-2",
          accountId: env.accountId,
          dataKmsKeyArn: "arn",
        }),
    ).toThrow(
      "storage: no Elastic Load Balancing log-delivery account known for region ap-south-2; add it to ELB_LOG_ACCOUNTS",
    );
  });
});

describe("lifecycles (seed 001 §6)", () => {
  const rule = (b: string, id: string) =>
    resource(st, "aws_s3_bucket_lifecycle_configuration", b).rule.find((r: Json) => r.id === id);

  test("exports go to Glacier after 30 days and are deleted after 90", () => {
    expect(rule("exports", "archive-then-delete")).toMatchObject({
      transition: [{ days: 30, storage_class: "GLACIER" }],
      expiration: [{ days: 90 }],
    });
  });

  test("uploads age into Standard-IA at 30 days and Glacier Instant Retrieval at 90", () => {
    expect(rule("uploads", "age-out").transition).toEqual([
      { days: 30, storage_class: "STANDARD_IA" },
      { days: 90, storage_class: "GLACIER_IR" },
    ]);
  });

  test("ml-models keep 3 old versions and expire the rest after 90 days", () => {
    expect(rule("ml_models", "old-versions").noncurrent_version_expiration).toEqual([
      { noncurrent_days: 90, newer_noncurrent_versions: 3 },
    ]);
  });
});

describe("access logging and CORS", () => {
  test.each(DATA)("%s logs access to the logs bucket when enabled", (b) => {
    expect(resource(st, "aws_s3_bucket_logging", b)).toMatchObject({
      target_bucket: "${aws_s3_bucket.logs.id}",
      count: "${var.enable_access_logging ? 1 : 0}",
    });
  });

  test("the CloudTrail bucket's access is logged too", () => {
    expect(resource(st, "aws_s3_bucket_logging", "cloudtrail").bucket).toBe("${var.cloudtrail_bucket_id}");
    expect(stacks.production.root.module.storage.cloudtrail_bucket_id).toBe("${module.security.cloudtrail_bucket_id}");
  });

  test("uploads accept browser uploads from the configured origins only", () => {
    const cors = resource(st, "aws_s3_bucket_cors_configuration", "uploads");
    expect(cors.cors_rule[0].allowed_origins).toBe("${var.cors_origins}");
    expect(stacks.production.root.module.storage.cors_origins).toEqual(["https://app.eduautismo-ia.com"]);
  });
});

describe("bucket names", () => {
  test("follow eduautismo-<env>-<purpose>", () => {
    expect(resource(st, "aws_s3_bucket", "exports").bucket).toBe(
      '${join("-", compact([var.bucket_prefix, "exports", var.bucket_suffix]))}',
    );
    expect(stacks.staging.root.module.storage.bucket_prefix).toBe("eduautismo-${var.environment}");
  });

  test("take the configured suffix for global uniqueness", () => {
    const all = inputs();
    all.production.storage = { ...all.production.storage, bucketSuffix: "a1b2" };
    const s = buildWorkspace("production", all.production);
    expect(s.root.module.storage.bucket_suffix).toBe("a1b2");
    expect(s.root.module.security.cloudtrail_bucket_name).toBe("eduautismo-${var.environment}-cloudtrail-a1b2");
  });
});

describe("access helpers", () => {
  const bucket = { label: "Uploads", bucketArn: "arn:aws:s3:::b", kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" };

  test("grantRead allows listing, reading and decrypting only", () => {
    expect(
      readStatements(bucket)
        .flatMap((s) => [s.Action].flat())
        .sort(),
    ).toEqual(["kms:Decrypt", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]);
  });

  test("grantReadWrite adds writes and deletes on objects, never bucket administration", () => {
    const actions = readWriteStatements(bucket).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(["s3:PutObject", "s3:DeleteObject", "kms:GenerateDataKey"]));
    expect(actions.filter((a) => /Bucket(Policy|Acl)|PutBucket|DeleteBucket|\*$/.test(a))).toEqual([]);
  });

  test("object actions target objects and listing targets the bucket", () => {
    for (const s of readWriteStatements(bucket)) {
      const actions = [s.Action].flat();
      if (actions.includes("s3:ListBucket")) expect(s.Resource).toBe("arn:aws:s3:::b");
      if (actions.includes("s3:GetObject")) expect(s.Resource).toBe("arn:aws:s3:::b/*");
    }
  });
});

// Formerly dr.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("disaster recovery (modules/dr)", () => {
  /** Disaster recovery (seed 000 §4.3 "Multi-AZ em múltiplas regiões"): copies in a second region. */
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
          type === "aws_iam_role" ||
          type === "aws_iam_role_policy" ||
          type === "aws_s3_bucket_replication_configuration";
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
});
