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

/** The application's secrets (seed 003 §3 "Criar Secrets"): created as retell/<ws>/<name>; operators put the values (D114). */
export const RETELL_SECRETS = ["jwt-secret", "retell-api-key", "twilio-auth-token"];

/** What every Retell environment has unless its file says otherwise (staging and production share these). */
export const RETELL_DEFAULTS: Defaults<EnvironmentInput> = {
  project: "retell",
  region: "us-east-1",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  network: {
    // Seed 003 §1: VPC 10.0.0.0/16, public (ALB), private (ECS) and database subnets in 3 AZs.
    vpcCidr: "10.0.0.0/16",
    publicSubnets: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"],
    interfaceEndpoints: [],
    // Seed 003 §6: CloudWatch Logs 30 days.
    flowLogs: { enabled: true, retentionDays: 30, trafficType: "ALL" },
  },
  security: {
    // The guide names no WAF; the production gate requires one on an internet-facing ALB (alb-waf). Callers are
    // worldwide (no geo rule); 1,000 requests per IP per minute leaves room for telephony webhooks (D113).
    waf: {
      enabled: true,
      rateLimitPerMinute: 1000,
      allowedCountries: [],
      botControl: false,
      logRetentionDays: 30,
      largeBodyPaths: [RETELL_WEBHOOK_PATH],
    },
    secrets: { names: RETELL_SECRETS },
    audit: { enabled: true, cloudWatchLogs: true, logRetentionDays: 30 },
    // Placeholder: the application's repository (owner/repo); the guide names none.
    deploy: { githubRepository: "example-org/retell-mvp", branches: ["main"] },
  },
  storage: {
    accessLogging: true,
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
  // Seed 003 §4: encrypted at rest and in transit.
  cache: {
    purpose: "API sessions, rate limits and call state",
    transitEncryption: true,
    auth: true,
    slowLogRetentionDays: 30,
  },
  database: {
    databaseName: "retell",
    masterUsername: "retell_admin",
    appUsername: "retell_app",
    deletionProtection: true,
    logRetentionDays: 30,
  },
  compute: {
    images: ["api", "web"],
    logRetentionDays: 30,
    appEnvironment: { NODE_ENV: "production" },
    // Seed 003 §4.3 "Executar Migrações" (retell-prod-migrations): the API image's migration script.
    migrations: { command: ["npm", "run", "migrate"], image: "api" },
  },
  monitoring: {
    alarmEmails: ["devops@retell-mvp.com"],
    // Seed 003 "Alarms Configurados": API CPU > 80% 10 min (ecs-cpu-high), RDS CPU > 80% 10 min, ALB 5xx > 5 in 5 min
    // (the defaults), API p95 > 1 s (its target group, the workspace's serviceAlarms) and the whole ALB's p95 at 1 s.
    thresholds: { albP95LatencyMs: 1000 },
    appMetrics: { namespace: "retell" },
    // Seed 003 "CloudWatch Dashboards": API Latency P95, API Error Rate, ECS CPU/memory, RDS connections, Redis hit rate.
    dashboard: { errorRateServices: ["api"] },
  },
  cost: { usage: { runningHours: 730 } },
};
