/**
 * Retell AI MVP (seed 003) as a product of the platform: its names, buckets and database users, under
 * every Retell environment file (the file wins on every value it sets). The modules stay product-neutral (D94).
 */
import type { Defaults } from "../product-spec";
import type { EnvironmentInput } from "../schema";

/** Dashboards `retell-<env>`, alarms `retell-<env>-…`. */
export const RETELL_SHORT_NAME = "retell";

/** The guide's domain (seed 003, "Ambientes"): `app.<domain>` is the web app, `api.<domain>` the API. */
export const RETELL_DOMAIN = "retellai-mvp.com";
/**
 * Path prefix of the call webhooks (Retell's call events, with their transcripts, often over 8 KB): the WAF lets
 * bodies over 8 KB through there only (security.waf.largeBodyPaths, D161). Seed 003 names no path: this prefix
 * covers `/webhook` and `/webhooks/...`; set it to the URL the Retell dashboard posts to.
 */
export const RETELL_WEBHOOK_PATH = "/webhook";

/** What every Retell environment has unless its file says otherwise. */
export const RETELL_DEFAULTS: Defaults<EnvironmentInput> = {
  project: "retell",
  storage: {
    bucketPrefix: "retell",
    buckets: {
      /** Seed 003 §5 "Recordings: Lifecycle policy (90d → Glacier)"; old versions of a recording go after 30 days. */
      recordings: {
        description: "Call recordings (90 days → Glacier, seed 003).",
        lifecycle: [
          {
            id: "recordings-to-glacier",
            transitions: [{ days: 90, storageClass: "GLACIER" }],
            noncurrentVersionExpirationDays: 30,
          },
        ],
        appAccess: "read-write",
      },
      /** Seed 003 §5 "Backups: Lifecycle policy (90d expiration)". */
      backups: {
        description: "Application backups (expire after 90 days, seed 003).",
        lifecycle: [{ id: "backups-expire", expirationDays: 90, noncurrentVersionExpirationDays: 7 }],
        appAccess: "read-write",
      },
    },
  },
  cache: { purpose: "API sessions, rate limits and call state" },
  database: { databaseName: "retell", masterUsername: "retell_admin", appUsername: "retell_app" },
  // Seed 003 "CloudWatch Dashboards": API Latency P95, API Error Rate, ECS CPU/memory, RDS connections, Redis hit rate.
  monitoring: { appMetrics: { namespace: "retell" }, dashboard: { errorRateServices: ["api"] } },
};
