/** staging — production's shape at a smaller size (seed 000 §4.2). */
import type { EduautismoInput } from "./product";

export const staging: EduautismoInput = {
  workspace: "staging",
  tier: "production-like",
  // Seed 002: staging is stopped outside working hours (environment_running = false); production never is.
  stoppable: true,
  // Placeholder: one AWS account per environment (see docs/decisions.md, D11); replace before the first apply.
  accountId: "222222222222",
  // Production-like: state in S3 with use_lockfile, never on one operator's disk (D146). The bucket is the
  // bootstrap's (environments/bootstrap.ts), in the production account; its policy grants this account its own objects.
  state: { bucket: "eduautismo-ia-terraform-state", key: "eduautismo-ia/terraform.tfstate" },
  availabilityZones: ["us-east-1a", "us-east-1b"],
  network: {
    vpcCidr: "10.0.0.0/16",
    publicSubnets: ["10.0.0.0/24", "10.0.1.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24"],
    databaseSubnets: ["10.0.20.0/24", "10.0.21.0/24"],
    natMode: "single",
    interfaceEndpoints: [],
    flowLogs: { enabled: true, retentionDays: 30, trafficType: "ALL" },
  },
  security: {
    // On like production: staging passes every policy check (docs/decisions.md, D34).
    // Seed 000 §4.2: staging keeps logs 30 days (WAF and the CloudWatch copy of CloudTrail; the S3 trail stays 365).
    waf: {
      enabled: true,
      rateLimitPerMinute: 100,
      allowedCountries: ["BR"],
      geoReason: 'seed 001 "Segurança": geo-blocking, Brazil only',
      botControl: false,
      logRetentionDays: 30,
    },
    secrets: { recoveryWindowDays: 7 },
    audit: { enabled: true, cloudWatchLogs: true, logRetentionDays: 30 },
    deploy: { githubEnvironments: ["staging"] },
  },
  storage: {
    accessLogging: true,
    corsOrigins: ["https://staging.eduautismo-ia.com"],
  },
  cache: {
    // Valkey on Graviton (docs/costs.md "Levers", D99): same 2 vCPU / 1.37 GiB as cache.t3.small.
    engine: "valkey",
    engineVersion: "7.2",
    nodeType: "cache.t4g.small",
    numCacheNodes: 2,
    automaticFailover: true,
    multiAz: true,
    transitEncryption: true,
    auth: true,
  },
  database: {
    // Graviton (docs/costs.md "Levers"): db.t4g.small has db.t3.small's 2 vCPU / 2 GiB for less.
    instanceClass: "db.t4g.small",
    allocatedStorage: 50,
    // Seed 000 §4.2 (staging simulates production, Multi-AZ on) over seed 001 (off): see docs/decisions.md.
    multiAz: true,
    // Seed 000 §4.2 says 3 days; 7 is the policy minimum and costs nothing (backup storage up to the DB size is free): D34.
    backupRetentionDays: 7,
    maxConnections: 300,
    deletionProtection: true,
  },
  compute: {
    logRetentionDays: 30,
    containerInsights: true,
    albDeletionProtection: true,
    // Placeholder: the staging certificate's ARN (ACM, this region); replace before the first apply.
    certificateArn: "arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000002",
    // Seed 000 §3.2 (0.5 vCPU / 1 GB) over seed 001 (1 vCPU / 2 GB): see docs/decisions.md.
    services: [
      {
        name: "app",
        cpu: 512,
        memory: 1024,
        desiredCount: 2,
        minCapacity: 2,
        maxCapacity: 5,
        port: 8000,
        secrets: ["openai-api-key", "jwt-secret-key"],
      },
    ],
  },
  // Seed 000 §10: $300–400/month; internetOutGb prices its "Data Transfer: $30" line (330 GB × $0.09).
  // No alarm subscriber (D163): this workspace serves no users.
  monitoring: {
    unsubscribedReason:
      "staging serves no users: it runs pre-release tests, whose results are read on its dashboard (seed 000 sends alarms to devops for production only)",
  },
  cost: {
    budgetUsd: { min: 300, max: 400 },
    usage: { natGb: 50, albLcu: 1, logsGb: 15, s3Gb: 30, internetOutGb: 330, appMetricSeries: 60 },
  },
};
