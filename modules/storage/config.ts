/** Knobs of the storage module (S3 buckets and their lifecycles). Part of EnvironmentSchema. */
import { z } from "zod";
import type { Controls } from "../../lib/core/controls";
import { all, compare, isTrue, lengthOf, type PresenceTable } from "../../lib/core/rules";

/** Storage classes a lifecycle rule may transition to. */
export const STORAGE_CLASSES = [
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
] as const;
type StorageClass = (typeof STORAGE_CLASSES)[number];

const INFREQUENT: readonly StorageClass[] = ["STANDARD_IA", "ONEZONE_IA"];
const ARCHIVE: readonly StorageClass[] = ["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];
/** S3 keeps objects at least this long in S3 Standard before an IA transition, and in IA before an archive transition. */
export const S3_MIN_DAYS_BEFORE_IA = 30;
export const S3_MIN_DAYS_IN_IA = 30;

export const LifecycleRuleSchema = z
  .object({
    /** Rule id, unique per bucket. */
    id: z.string().regex(/^[a-z0-9-]{1,64}$/, "must be lowercase letters, digits and dashes"),
    /** Key prefix the rule applies to. @default "" (whole bucket) */
    prefix: z.string().default(""),
    /** Transitions, in ascending days. @default [] */
    transitions: z
      .array(z.object({ days: z.number().int().min(0), storageClass: z.enum(STORAGE_CLASSES) }).strict())
      .default([]),
    /** Delete current versions after this many days. @default never */
    expirationDays: z.number().int().min(1).optional(),
    /** Delete noncurrent versions this many days after they become noncurrent (versioned buckets). @default never */
    noncurrentVersionExpirationDays: z.number().int().min(1).optional(),
    /** Noncurrent versions to keep regardless of age. @default none */
    newerNoncurrentVersions: z.number().int().min(1).max(100).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    let iaDay: { day: number; cls: StorageClass } | undefined;
    rule.transitions.forEach((t, i) => {
      const path = ["transitions", i, "days"];
      const prev = rule.transitions[i - 1];
      if (prev && t.days <= prev.days) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `transitions must be in ascending days: day ${t.days} comes after day ${prev.days}`,
        });
      }
      if (INFREQUENT.includes(t.storageClass)) {
        if (t.days < S3_MIN_DAYS_BEFORE_IA) {
          ctx.addIssue({
            code: "custom",
            path,
            message: `S3 cannot move objects to ${t.storageClass} before they are ${S3_MIN_DAYS_BEFORE_IA} days old (got ${t.days}); use ${S3_MIN_DAYS_BEFORE_IA} or more, or INTELLIGENT_TIERING from day 0`,
          });
        }
        iaDay = { day: t.days, cls: t.storageClass };
      }
      if (ARCHIVE.includes(t.storageClass) && iaDay && t.days - iaDay.day < S3_MIN_DAYS_IN_IA) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `S3 needs objects to stay ${S3_MIN_DAYS_IN_IA} days in ${iaDay.cls} (from day ${iaDay.day}) before ${t.storageClass}: use day ${iaDay.day + S3_MIN_DAYS_IN_IA} or later (got ${t.days})`,
        });
      }
    });
    const last = rule.transitions[rule.transitions.length - 1];
    if (rule.expirationDays !== undefined && last && rule.expirationDays <= last.days) {
      ctx.addIssue({
        code: "custom",
        path: ["expirationDays"],
        message: `expiration at day ${rule.expirationDays} must come after the last transition (day ${last.days})`,
      });
    }
  });

export type LifecycleRule = z.output<typeof LifecycleRuleSchema>;

/** One application bucket: `<bucketPrefix>-<env>-<purpose>`, where `purpose` is the key in kebab case (`mlModels` → `ml-models`). */
export const BucketSchema = z
  .object({
    /** What the bucket holds, for outputs and docs. @default "Application data." */
    description: z.string().min(1).default("Application data."),
    /** Keep object versions. @default true */
    versioning: z.boolean().default(true),
    /** Lifecycle rules; every bucket also aborts incomplete multipart uploads after 7 days. @default [] */
    lifecycle: z.array(LifecycleRuleSchema).default([]),
    /** What the application's task role may do: `read` (get, list) or `read-write` (also put, delete). @default "read-write" */
    appAccess: z.enum(["read", "read-write"]).default("read-write"),
    /** CORS for uploads straight from the browser, from `storage.corsOrigins`. @default false */
    browserUploads: z.boolean().default(false),
  })
  .strict();
export type BucketConfig = z.output<typeof BucketSchema>;

/** A bucket key: camelCase letters and digits (`uploads`, `mlModels`). */
export const BUCKET_KEY_RE = /^[a-z][a-zA-Z0-9]{0,30}$/;

export const StorageSchema = z
  .object({
    /** First part of every bucket name, `<bucketPrefix>-<env>-<purpose>` (seed 001: `<prefix>-{env}-exports`). @default "app" */
    bucketPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,30}$/, "must be lowercase letters, digits and dashes")
      .default("app"),
    /** Appended to every bucket name for global uniqueness: `<prefix>-<env>-uploads-<suffix>`. @default none */
    bucketSuffix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,19}$/, "must be up to 20 lowercase letters, digits and dashes")
      .optional(),
    /** S3 server access logs of every bucket to the logs bucket. @default true */
    accessLogging: z.boolean().default(true),
    /** Origins allowed to upload from the browser (CORS on uploads), https only (http://localhost for dev). @default [] */
    corsOrigins: z
      .array(
        z
          .string()
          .regex(
            /^(https:\/\/[a-z0-9.-]+(:\d+)?|http:\/\/localhost(:\d+)?)$/,
            "must be an https:// origin (or http://localhost[:port])",
          ),
      )
      .default([]),
    /**
     * The application's buckets by key (SSE-KMS with the data key, versioned, lifecycles from here), besides the
     * platform's own `logs` bucket. Terraform names: key in snake case (`ml_models`); env var `<KEY>_BUCKET`. @default {}
     */
    buckets: z
      .record(z.string().regex(BUCKET_KEY_RE, "must be a camelCase key such as uploads or mlModels"), BucketSchema)
      .default({}),
  })
  .strict();

export type StorageConfig = z.output<typeof StorageSchema>;
export type BucketKey = string;

/** Names of a bucket key: `mlModels` → purpose `ml-models`, Terraform `ml_models`, container variable `ML_MODELS_BUCKET`. */
export function bucketNames(key: string): { purpose: string; tf: string; env: string } {
  const words = key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
  return { purpose: words.replace(/_/g, "-"), tf: words, env: `${words.toUpperCase()}_BUCKET` };
}

/** Controls of the policy gate this section may switch off in a development-tier environment (lib/core/controls.ts). */
export const STORAGE_CONTROLS: Controls<{ storage: StorageConfig }> = {
  "s3-access-logging": { switch: "storage.accessLogging", isOff: (env) => !env.storage.accessLogging },
};

/**
 * Which of the module's resources exist, over its inputs (D211): the module writes their `count` from this table and
 * the policy gate reads it. Access logs of every bucket follow `enable_access_logging`; the trail bucket's only when
 * there is a trail bucket; CORS only with origins to allow.
 */
export const STORAGE_PRESENCE: PresenceTable = {
  aws_s3_bucket_logging: {
    "*": { when: isTrue("enable_access_logging") },
    cloudtrail: { when: all(isTrue("enable_access_logging"), isTrue("log_cloudtrail_bucket")) },
  },
  aws_s3_bucket_cors_configuration: { "*": { when: compare(lengthOf("cors_origins"), ">", 0) } },
};
