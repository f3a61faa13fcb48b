/**
 * dev — the cheapest environment that still runs the whole platform (seed 000 §4.1).
 * Every value here is validated by `schema.ts`; see docs/decisions.md for why each differs from the seeds.
 */
import type { EduautismoInput } from "./product";

export const dev: EduautismoInput = {
  workspace: "dev",
  tier: "development",
  // Placeholder: one AWS account per environment (see docs/decisions.md, D11); replace before the first apply.
  accountId: "111111111111",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  network: {
    vpcCidr: "10.0.0.0/16",
    publicSubnets: ["10.0.0.0/24", "10.0.1.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24"],
    databaseSubnets: ["10.0.20.0/24", "10.0.21.0/24"],
    // One NAT gateway: the app calls external AI APIs, so "none" would need a NAT anyway;
    // a single gateway (~$33/month) is cheaper than four interface endpoints in two AZs.
    // One t4g.nano NAT instance instead of a NAT gateway (docs/costs.md "Levers", D100): the same single-AZ
    // egress for the app's AI API calls, without the gateway's hourly and per-GB charges.
    natMode: "instance",
    interfaceEndpoints: [],
    // Off in dev for cost: see exemptions below.
    flowLogs: { enabled: false },
  },
  security: {
    waf: {
      enabled: false,
      rateLimitPerMinute: 100,
      allowedCountries: ["BR"],
      geoReason: 'seed 001 "Segurança": geo-blocking, Brazil only',
      botControl: false,
    },
    secrets: { recoveryWindowDays: 0 },
    audit: { enabled: true, cloudWatchLogs: false },
    deploy: { githubEnvironments: ["dev"] },
  },
  storage: {
    accessLogging: false,
    corsOrigins: ["http://localhost:3000"],
  },
  cache: {
    // Valkey on Graviton (docs/costs.md "Levers", D99): same 2 vCPU / 0.5 GiB as cache.t3.micro, Redis protocol, 20% below Redis OSS.
    engine: "valkey",
    engineVersion: "7.2",
    nodeType: "cache.t4g.micro",
    numCacheNodes: 1,
    automaticFailover: false,
    multiAz: false,
    // Seed 000 §3.1 turns TLS and AUTH off in dev; we keep both (docs/decisions.md D49): they cost
    // nothing (the AUTH secret ~$0.40/month), and dev then runs the rediss:// + AUTH path production runs.
    transitEncryption: true,
    auth: true,
    // Seed 000 §4.1: dev keeps logs 7 days.
    slowLogRetentionDays: 7,
  },
  database: {
    // Graviton (docs/costs.md "Levers"): db.t4g.micro has db.t3.micro's 2 vCPU / 1 GiB for less.
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    multiAz: false,
    backupRetentionDays: 1,
    maxConnections: 200,
    deletionProtection: false,
    finalSnapshot: false,
    // Seed 000 §4.1: dev keeps logs 7 days.
    logRetentionDays: 7,
  },
  compute: {
    logRetentionDays: 7,
    containerInsights: false,
    // No certificate in dev: the ALB serves plain HTTP (seed 000 §6 curls http://).
    albAccessLogs: false,
    services: [
      {
        name: "app",
        cpu: 512,
        memory: 1024,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 2,
        port: 8000,
        secrets: ["openai-api-key", "jwt-secret-key"],
      },
    ],
  },
  // What dev skips to save money; staging and production keep every control (docs/decisions.md, D15).
  exemptions: [
    { control: "vpc-flow-logs", reason: "CloudWatch ingestion is billed per GB and nobody investigates dev traffic" },
    { control: "s3-access-logging", reason: "log storage and requests for buckets holding only test data" },
    { control: "alb-access-logs", reason: "log storage for a load balancer that only developers call" },
    {
      control: "alb-https",
      reason: "dev has no domain or certificate; developers call the ALB over plain HTTP (seed 000 §6)",
    },
    {
      control: "alb-waf",
      reason: "a web ACL costs about $11/month before requests, for a load balancer only developers call",
    },
    {
      control: "ecs-container-insights",
      reason: "Container Insights metrics are billed per task; dev runs one task nobody watches",
    },
    {
      control: "cloudtrail-cloudwatch-logs",
      reason: "the trail still lands in S3; CloudWatch ingestion of it is billed per GB for alerts nobody gets in dev",
    },
  ],
  // Seed 000 §10: $100–150/month; internetOutGb prices its "Data Transfer: $10" line (110 GB × $0.09).
  // No alarm subscriber (D163): this workspace serves no users.
  monitoring: {
    unsubscribedReason:
      "dev serves no users: developers watch its dashboard while they work (seed 000 sends alarms to devops for production only)",
  },
  cost: {
    budgetUsd: { min: 100, max: 150 },
    usage: { natGb: 20, albLcu: 0.5, logsGb: 5, s3Gb: 10, internetOutGb: 110, appMetricSeries: 10 },
  },
};
