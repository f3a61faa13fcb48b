/** Knobs of the storage module (S3 buckets and their lifecycles). Part of EnvironmentSchema. */
import { z } from "zod";

/** Storage classes a lifecycle rule may transition to. */
export const STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
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
    transitions: z.array(z.object({ days: z.number().int().min(0), storageClass: z.enum(STORAGE_CLASSES) }).strict()).default([]),
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
        ctx.addIssue({ code: "custom", path, message: `transitions must be in ascending days: day ${t.days} comes after day ${prev.days}` });
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

const bucket = (defaults: { versioning: boolean; lifecycle: z.input<typeof LifecycleRuleSchema>[] }) =>
  z
    .object({
      /** Keep object versions. */
      versioning: z.boolean().default(defaults.versioning),
      /** Lifecycle rules; every bucket also aborts incomplete multipart uploads after 7 days. */
      lifecycle: z.array(LifecycleRuleSchema).default(defaults.lifecycle.map((r) => LifecycleRuleSchema.parse(r))),
    })
    .strict()
    .default({ versioning: defaults.versioning, lifecycle: defaults.lifecycle.map((r) => LifecycleRuleSchema.parse(r)) });

/**
 * Seed 001 §6 asks uploads "7 days → IA, 30 days → Glacier", which S3 refuses; the default keeps its
 * intent (cheaper storage as uploads age) within S3's rules. See docs/decisions.md.
 */
export const DEFAULT_UPLOADS_LIFECYCLE = [
  {
    id: "age-out",
    transitions: [
      { days: 30, storageClass: "STANDARD_IA" as const },
      { days: 90, storageClass: "GLACIER_IR" as const },
    ],
    noncurrentVersionExpirationDays: 30,
  },
];

export const StorageSchema = z
  .object({
    /** First part of every bucket name, `<bucketPrefix>-<env>-<purpose>` (seed 001: `eduautismo-{env}-exports`). @default "eduautismo" */
    bucketPrefix: z.string().regex(/^[a-z0-9][a-z0-9-]{1,30}$/, "must be lowercase letters, digits and dashes").default("eduautismo"),
    /** Appended to every bucket name for global uniqueness: `eduautismo-<env>-uploads-<suffix>`. @default none */
    bucketSuffix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,19}$/, "must be up to 20 lowercase letters, digits and dashes")
      .optional(),
    /** S3 server access logs of every bucket to the logs bucket. @default true */
    accessLogging: z.boolean().default(true),
    /** Days objects stay in the logs bucket (ALB and S3 access logs). @default 90 */
    logRetentionDays: z.number().int().min(1).default(90),
    /** Origins allowed to upload from the browser (CORS on uploads), https only (http://localhost for dev). @default [] */
    corsOrigins: z
      .array(z.string().regex(/^(https:\/\/[a-z0-9.-]+(:\d+)?|http:\/\/localhost(:\d+)?)$/, "must be an https:// origin (or http://localhost[:port])"))
      .default([]),
    buckets: z
      .object({
        uploads: bucket({ versioning: true, lifecycle: DEFAULT_UPLOADS_LIFECYCLE }),
        /** Seed 001: 30 days → Glacier, 90 days → delete. */
        exports: bucket({
          versioning: true,
          lifecycle: [{ id: "archive-then-delete", transitions: [{ days: 30, storageClass: "GLACIER" }], expirationDays: 90, noncurrentVersionExpirationDays: 7 }],
        }),
        /** Seed 001: versioning on; old model versions expire. */
        mlModels: bucket({ versioning: true, lifecycle: [{ id: "old-versions", noncurrentVersionExpirationDays: 90, newerNoncurrentVersions: 3 }] }),
        /** Static BNCC reference data. */
        bnccData: bucket({ versioning: true, lifecycle: [{ id: "old-versions", noncurrentVersionExpirationDays: 30 }] }),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type StorageConfig = z.output<typeof StorageSchema>;
export type BucketKey = keyof StorageConfig["buckets"];
