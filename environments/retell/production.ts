/**
 * Retell AI production (seed 003 "Infraestrutura AWS"): three AZs, API 2–10 and web 2–6 tasks on Fargate with
 * Fargate Spot above an on-demand base, host-routed behind one HTTPS ALB, PostgreSQL db.r6g.xlarge Multi-AZ with
 * 30 days of backups, Redis cache.r6g.large × 2 with TLS and encryption at rest, Container Insights.
 */
import type { EnvironmentInput } from "../schema";
import { RETELL_DOMAIN, RETELL_WEBHOOK_PATH } from "./product";

const secrets = ["jwt-secret", "retell-api-key", "twilio-auth-token"];

export const production: EnvironmentInput = {
  workspace: "production",
  tier: "production-like",
  // Terraform refuses any plan that would destroy a key, a bucket, Redis or the database.
  preventDestroy: true,
  region: "us-east-1",
  // Placeholder: one AWS account per environment (D11); replace before the first apply.
  accountId: "555555555555",
  // The product's production workspace: state in S3 with use_lockfile (D146), the bootstrap's bucket (index.ts).
  state: { bucket: "retell-terraform-state", key: "retell/terraform.tfstate" },
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  network: {
    // Seed 003 §1: VPC 10.0.0.0/16, public (ALB), private (ECS) and database subnets in 3 AZs.
    vpcCidr: "10.0.0.0/16",
    publicSubnets: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"],
    natMode: "one-per-az",
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
    // Seed 003 §3 "Criar Secrets": created here as retell/production/<name>; operators put the values (D114).
    secrets: { names: secrets, recoveryWindowDays: 30 },
    audit: { enabled: true, cloudWatchLogs: true, logRetentionDays: 30 },
    // Placeholder: the application's repository (owner/repo); the guide names none.
    deploy: { githubRepository: "example-org/retell-mvp", branches: ["main"], githubEnvironments: ["production"] },
  },
  storage: { accessLogging: true },
  cache: {
    // Seed 003 §4: cache.r6g.large, 2 nodes, encryption at rest and in transit.
    nodeType: "cache.r6g.large",
    numCacheNodes: 2,
    automaticFailover: true,
    multiAz: true,
    transitEncryption: true,
    auth: true,
    snapshotRetentionDays: 7,
    slowLogRetentionDays: 30,
  },
  database: {
    // Seed 003 §3: db.r6g.xlarge Multi-AZ, 30 days of backups.
    instanceClass: "db.r6g.xlarge",
    allocatedStorage: 100,
    maxAllocatedStorage: 500,
    multiAz: true,
    backupRetentionDays: 30,
    maxConnections: 500,
    deletionProtection: true,
    logRetentionDays: 30,
  },
  compute: {
    images: ["api", "web"],
    logRetentionDays: 30,
    // Seed 003 §6: Container Insights in production.
    containerInsights: true,
    albDeletionProtection: true,
    appEnvironment: { NODE_ENV: "production" },
    // Placeholder: an ACM certificate (this region) covering api.retellai-mvp.com and app.retellai-mvp.com; replace before the first apply.
    certificateArn: "arn:aws:acm:us-east-1:555555555555:certificate/00000000-0000-0000-0000-000000000031",
    services: [
      {
        // Seed 003 §2: API 2–10 tasks. First web service: the ECS alarms watch it (API CPU > 80% for 10 minutes).
        name: "api",
        image: "api",
        cpu: 1024,
        memory: 2048,
        desiredCount: 2,
        minCapacity: 2,
        maxCapacity: 10,
        port: 3000,
        hostHeaders: [`api.${RETELL_DOMAIN}`],
        // Seed 003 §2 "Fargate Spot + Fargate": one task always on-demand, the rest 1 : 3 on Spot (D111).
        spotMix: { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 },
        secrets,
      },
      {
        // Seed 003 §2: Web 2–6 tasks.
        name: "web",
        image: "web",
        cpu: 512,
        memory: 1024,
        desiredCount: 2,
        minCapacity: 2,
        maxCapacity: 6,
        port: 3000,
        hostHeaders: [`app.${RETELL_DOMAIN}`],
        spotMix: { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 },
      },
    ],
    // Seed 003 §4.3 "Executar Migrações" (retell-prod-migrations): the API image's migration script.
    migrations: { command: ["npm", "run", "migrate"], image: "api" },
  },
  monitoring: {
    alarmEmails: ["devops@retell-mvp.com"],
    // Seed 003 "Alarms Configurados": API CPU > 80% 10 min (ecs-cpu-high), RDS CPU > 80% 10 min, ALB 5xx > 5 in 5 min
    // (the defaults), API p95 > 1 s (its target group) and the whole ALB's p95 at the same 1 s.
    thresholds: { albP95LatencyMs: 1000 },
    serviceAlarms: { api: { p95LatencyMs: 1000 } },
  },
  // Seed 003 "Custos estimados (produção)": ~$580/month; what the guide's own sizes cost is in docs/products/retell.md (D115).
  cost: {
    budgetUsd: { min: 580, max: 1400 },
    usage: {
      runningHours: 730,
      natGb: 100,
      albLcu: 5,
      logsGb: 30,
      wafMillionRequests: 5,
      s3Gb: 200,
      internetOutGb: 100,
    },
  },
};
