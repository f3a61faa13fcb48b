/**
 * Retell AI staging (seed 003): the guide's deliberately cheaper staging — PostgreSQL db.t3.large Single-AZ with 7
 * days of backups, Redis cache.t3.medium with one node — so it is a development tier (D112): the production-like
 * rules (Multi-AZ database and Redis, failover) do not apply, and what it switches off is named in `exemptions`.
 */
import type { EnvironmentInput } from "../schema";
import { RETELL_DOMAIN, RETELL_WEBHOOK_PATH } from "./product";

const secrets = ["jwt-secret", "retell-api-key", "twilio-auth-token"];

export const staging: EnvironmentInput = {
  workspace: "staging",
  tier: "development",
  region: "us-east-1",
  // Placeholder: one AWS account per environment (D11); replace before the first apply.
  accountId: "444444444444",
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  network: {
    vpcCidr: "10.0.0.0/16",
    publicSubnets: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"],
    // One NAT gateway: staging tolerates losing egress with one AZ.
    natMode: "single",
    interfaceEndpoints: [],
    flowLogs: { enabled: true, retentionDays: 30, trafficType: "ALL" },
  },
  security: {
    waf: {
      enabled: true,
      rateLimitPerMinute: 1000,
      allowedCountries: [],
      botControl: false,
      logRetentionDays: 30,
      largeBodyPaths: [RETELL_WEBHOOK_PATH],
    },
    secrets: { names: secrets, recoveryWindowDays: 7 },
    audit: { enabled: true, cloudWatchLogs: true, logRetentionDays: 30 },
    // The account's GitHub OIDC provider comes from atena/prod (one per account; D152).
    deploy: {
      githubRepository: "example-org/retell-mvp",
      branches: ["main"],
      githubEnvironments: ["staging"],
      createOidcProvider: false,
    },
  },
  storage: { accessLogging: true },
  cache: {
    // Seed 003 §4: cache.t3.medium, 1 node (no replica, so no failover), encrypted at rest and in transit.
    nodeType: "cache.t3.medium",
    numCacheNodes: 1,
    automaticFailover: false,
    multiAz: false,
    transitEncryption: true,
    auth: true,
    slowLogRetentionDays: 30,
  },
  database: {
    // Seed 003 §3: db.t3.large Single-AZ, 7 days of backups.
    instanceClass: "db.t3.large",
    allocatedStorage: 50,
    multiAz: false,
    backupRetentionDays: 7,
    maxConnections: 300,
    deletionProtection: true,
    logRetentionDays: 30,
  },
  compute: {
    images: ["api", "web"],
    logRetentionDays: 30,
    // Seed 003 §6: Container Insights only in production (exemption below).
    containerInsights: false,
    appEnvironment: { NODE_ENV: "production" },
    // Placeholder: an ACM certificate covering staging.retellai-mvp.com and api.staging.retellai-mvp.com.
    certificateArn: "arn:aws:acm:us-east-1:444444444444:certificate/00000000-0000-0000-0000-000000000030",
    services: [
      {
        name: "api",
        image: "api",
        cpu: 512,
        memory: 1024,
        desiredCount: 2,
        // Seed 003 §2: the API scales 2–10 tasks, in staging too (D161): same floor, so the idle bill is unchanged.
        minCapacity: 2,
        maxCapacity: 10,
        port: 3000,
        // The guide's staging URL is staging.<domain> (the web app); its API is api.staging.<domain> (D110).
        hostHeaders: [`api.staging.${RETELL_DOMAIN}`],
        spotMix: { onDemandBase: 1, onDemandWeight: 0, spotWeight: 1 },
        secrets,
      },
      {
        name: "web",
        image: "web",
        cpu: 256,
        memory: 512,
        desiredCount: 2,
        // Seed 003 §2: the web app scales 2–6 tasks (D161).
        minCapacity: 2,
        maxCapacity: 6,
        port: 3000,
        hostHeaders: [`staging.${RETELL_DOMAIN}`],
        spotMix: { onDemandBase: 1, onDemandWeight: 0, spotWeight: 1 },
      },
    ],
    migrations: { command: ["npm", "run", "migrate"], image: "api" },
  },
  monitoring: {
    alarmEmails: ["devops@retell-mvp.com"],
    thresholds: { albP95LatencyMs: 1000 },
    serviceAlarms: { api: { p95LatencyMs: 1000 } },
  },
  // What staging switches off, from the guide; everything else keeps production's controls.
  exemptions: [
    {
      control: "ecs-container-insights",
      reason:
        "seed 003 §6 enables Container Insights in production only; staging runs integration tests nobody watches per task",
    },
  ],
  // The guide prices production only; staging is priced by our estimator (docs/products/retell.md, D115).
  cost: {
    budgetUsd: { min: 0, max: 350 },
    usage: { runningHours: 730, natGb: 30, albLcu: 1, logsGb: 10, s3Gb: 30, internetOutGb: 20 },
  },
};
