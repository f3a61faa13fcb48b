/**
 * EduAutismo IA as a product of the platform: what only this product knows, given to the neutral
 * modules as values — its names, its buckets, its database users, its metric namespace
 * (`PRODUCT_DEFAULTS`, under every environment file), and the app's cache TTL settings (seed 000
 * §3.2), knobs an operator may shorten in tfvars during an incident (§8.4), passed to the containers
 * as BNCC_CACHE_TTL and NLP_CACHE_TTL (config fields in the `cache` section: `cache.bnccCacheTtl`).
 */
import { defineKnobs, type KnobRule } from "../../lib/core/knobs";
import { all, compare, range } from "../../lib/core/rules";
import type { z } from "zod";
import { knobFields } from "../../lib/core/knobs";
import { CacheSchema } from "../../modules/cache/config";
import { eduautismoAppMetrics, ProductMonitoringSchema } from "./app-metrics";
import type { Defaults, ProductSpec, WorkspaceInput } from "../product-spec";
import type { EnvironmentInput } from "../schema";

/** Names the product gives its resources: the dashboard `eduautismo-<env>`, alarms `eduautismo-<env>-…`. */
export const PRODUCT = { shortName: "eduautismo" } as const;

const ttlRule = (variable: "bncc_cache_ttl" | "nlp_cache_ttl"): KnobRule<typeof variable> => ({
  variable,
  must: all(compare(variable, ">", 0), range(variable, { integer: true })),
  message: `a TTL must be a positive whole number of seconds, got {${variable}}`,
});

/** App settings that are knobs: each becomes the container variable of its name in upper case. */
export const APP_SETTINGS = defineKnobs(
  {
    bncc_cache_ttl: {
      type: "number",
      field: "bnccCacheTtl",
      default: 3600,
      description: "BNCC_CACHE_TTL for the app, seconds (seed 000 §3.2).",
    },
    nlp_cache_ttl: {
      type: "number",
      field: "nlpCacheTtl",
      default: 1800,
      description: "NLP_CACHE_TTL for the app, seconds (seed 000 §3.2).",
    },
  },
  () => [ttlRule("bncc_cache_ttl"), ttlRule("nlp_cache_ttl")],
);

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

/**
 * What every EduAutismo environment has unless its file says otherwise (seed 001 §6 buckets, seed
 * 000's database users and metric namespace). The modules' own defaults are product-neutral.
 */
export const PRODUCT_DEFAULTS: Defaults<EnvironmentInput> = {
  project: "eduautismo-ia",
  region: "us-east-1",
  security: {
    // The app's secrets (seed 000 §3.2: OpenAI key, JWT signing key); the app service reads both.
    secrets: { names: ["openai-api-key", "jwt-secret-key"] },
    deploy: { githubRepository: "cleybersilva/eduautismo-ia-mvp", branches: ["main"] },
  },
  storage: {
    bucketPrefix: "eduautismo",
    buckets: {
      uploads: {
        description: "Bucket for user uploads.",
        lifecycle: DEFAULT_UPLOADS_LIFECYCLE,
        appAccess: "read-write",
        browserUploads: true,
      },
      /** Seed 001: 30 days → Glacier, 90 days → delete. */
      exports: {
        description: "Bucket for PDF/Excel exports.",
        lifecycle: [
          {
            id: "archive-then-delete",
            transitions: [{ days: 30, storageClass: "GLACIER" }],
            expirationDays: 90,
            noncurrentVersionExpirationDays: 7,
          },
        ],
        appAccess: "read-write",
      },
      /** Seed 001: versioning on; old model versions expire. */
      mlModels: {
        description: "Bucket for trained ML models.",
        lifecycle: [{ id: "old-versions", noncurrentVersionExpirationDays: 90, newerNoncurrentVersions: 3 }],
        appAccess: "read",
      },
      bnccData: {
        description: "Bucket for BNCC reference data.",
        lifecycle: [{ id: "old-versions", noncurrentVersionExpirationDays: 30 }],
        appAccess: "read",
      },
    },
  },
  cache: { purpose: "sessions, BNCC queries, GPT-4o answers" },
  compute: {
    // Seed 000 §3.2: the MVP 3.0 flags, the plain environment of every app container.
    appEnvironment: { ENABLE_MULTIDISCIPLINARY: "true", MAX_DISCIPLINES: "25", MAX_GRADE_LEVELS: "18" },
    // The app's migrations (seed 000 §5.1): Alembic, in the app image.
    migrations: { command: ["alembic", "upgrade", "head"] },
  },
  database: { databaseName: "eduautismo", masterUsername: "eduautismo_admin", appUsername: "eduautismo_app" },
  monitoring: { appMetrics: { namespace: "eduautismo" } },
  /** The irreplaceable buckets (seed 000 §4.3): users' uploads and trained models. */
  dr: { buckets: ["uploads", "mlModels"] },
  // Priced always on unless a workspace's file says otherwise (a stoppable one may price fewer hours).
  cost: { usage: { runningHours: 730 } },
};

/** EduAutismo's `cache` section: the module's fields and the TTL settings. */
const EduautismoCacheSchema = CacheSchema.extend(knobFields(APP_SETTINGS));
const EduautismoMonitoringSchema = ProductMonitoringSchema.prefault({});

/** An EduAutismo environment file: the platform's fields and the product's own (TTLs, BNCC threshold, discipline alarms). */
export type EduautismoInput = Omit<WorkspaceInput, "cache" | "monitoring"> & {
  readonly cache?: Defaults<z.input<typeof EduautismoCacheSchema>>;
  readonly monitoring?: Defaults<z.input<typeof EduautismoMonitoringSchema>>;
};

type EduautismoMonitoring = z.output<typeof ProductMonitoringSchema>;

/** EduAutismo IA (seeds 000, 001) as the platform sees it. */
export const EDUAUTISMO_SPEC: ProductSpec = {
  id: "eduautismo",
  shortName: PRODUCT.shortName,
  productionWorkspace: "production",
  defaults: PRODUCT_DEFAULTS,
  sections: { cache: EduautismoCacheSchema, monitoring: EduautismoMonitoringSchema },
  appSettings: APP_SETTINGS,
  appMetrics: (env) => {
    const m = env.monitoring as EduautismoMonitoring;
    return eduautismoAppMetrics(m.appMetrics, m.thresholds);
  },
};
