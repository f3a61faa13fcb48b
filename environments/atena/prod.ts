/**
 * prod — Atena's one environment (seed 002 §10): two AZs, one NAT gateway, API + BullMQ workers on
 * Fargate, PostgreSQL 16 and Redis 7.1 on the smallest Graviton classes, stopped outside working hours.
 * Why each choice differs from the guide, or why the tier is `development`: docs/decisions.md D102–D109.
 */
import type { WorkspaceInput } from "../product-spec";

/** The services' settings from Parameter Store (seed 002, "Secrets gerenciados"). */
const PARAMETERS = ["DATABASE_URL", "REDIS_URL", "CLAUDE_API_KEY", "ADMIN_TOKEN", "TELEGRAM_BOT_TOKEN"];

export const prod: WorkspaceInput = {
  workspace: "prod",
  // Development tier (D102): the guide's system is single-AZ by design and stopped 16 h a day, so the
  // production-like resilience checks (Multi-AZ database and Redis) do not apply; every security control stays on.
  tier: "development",
  // The guide stops it outside working hours (environment_running = false, D32).
  stoppable: true,
  // Its note "Considere automatizar o stop com um schedule" (D210): the services and the database run the seed's
  // "8 h/day" as working hours on weekdays, 09:00-17:00 in Sao Paulo; the NAT, the ALB and Redis keep running.
  // For a long pause, the stop plan (environment_running = false) also removes the NAT.
  schedule: { stop: "cron(0 17 ? * MON-FRI *)", start: "cron(0 9 ? * MON-FRI *)", timezone: "America/Sao_Paulo" },
  // Its data is the product's: Terraform refuses any plan that destroys a key, a bucket, Redis or the database.
  preventDestroy: true,
  region: "us-east-1",
  // Placeholder: Atena's AWS account; replace before the first apply.
  accountId: "444444444444",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  // Seed 002 step 1–2: the state in S3 (bootstrap stack `cdktf.out/atena/stacks/bootstrap`), locked with use_lockfile (D106).
  state: { bucket: "atena-terraform-state-444444444444", key: "atena/terraform.tfstate" },
  network: {
    vpcCidr: "10.0.0.0/16",
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.20.0/24"],
    // No database tier: RDS and Redis share the private subnets with the tasks, as in the guide's diagram.
    databaseSubnets: [],
    natMode: "single",
    interfaceEndpoints: [],
    flowLogs: { enabled: true, retentionDays: 30, trafficType: "REJECT" },
  },
  security: {
    // No geo rule (D160): seed 002 asks for none, and its clients are not in one country (GitHub runners, Telegram's
    // webhook senders, the pipeline's /health checks).
    waf: { enabled: true, rateLimitPerMinute: 100, allowedCountries: [], botControl: false },
    // Atena's secrets are SSM parameters (compute.parameterStore), not Secrets Manager secrets.
    secrets: { names: [], recoveryWindowDays: 7 },
    audit: { enabled: true, cloudWatchLogs: true, logRetentionDays: 30 },
    // Placeholder: Atena's repository (seed 002 "Configurar GitHub Actions"); replace before the first apply.
    deploy: { githubRepository: "example-org/atena", branches: ["main"], githubEnvironments: ["prod"] },
  },
  storage: { accessLogging: true },
  cache: {
    nodeType: "cache.t4g.micro",
    engine: "redis",
    engineVersion: "7.1",
    numCacheNodes: 1,
    automaticFailover: false,
    multiAz: false,
    transitEncryption: true,
    auth: true,
    // BullMQ jobs must not be evicted (BullMQ's documented requirement).
    maxmemoryPolicy: "noeviction",
    snapshotRetentionDays: 1,
    slowLogRetentionDays: 30,
  },
  database: {
    engineVersion: "16",
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    multiAz: false,
    // Seed 002 "Disaster Recovery": 7 days and a final snapshot. Its window, 03:00–04:00 UTC, is midnight in São Paulo,
    // when the schedule has the database stopped and RDS takes no automated backup (D210): 12:00–12:30 there instead.
    backupRetentionDays: 7,
    backupWindow: "15:00-15:30",
    finalSnapshot: true,
    deletionProtection: true,
    maxConnections: 100,
    logRetentionDays: 30,
  },
  compute: {
    images: ["api", "workers"],
    logRetentionDays: 30,
    containerInsights: true,
    albAccessLogs: true,
    architecture: "X86_64",
    // Placeholder: an ACM certificate for Atena's domain (seed 002: ALB on 443); replace before the first apply.
    certificateArn: "arn:aws:acm:us-east-1:444444444444:certificate/00000000-0000-0000-0000-000000000002",
    appEnvironment: { NODE_ENV: "production" },
    services: [
      // Containers named as the guide's task definitions name them (its migrations override: "name": "api").
      {
        name: "api",
        kind: "web",
        image: "api",
        containerName: "api",
        port: 3000,
        healthCheckPath: "/health",
        cpu: 256,
        memory: 512,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 2,
        parameters: [...PARAMETERS],
      },
      {
        name: "workers",
        kind: "worker",
        image: "workers",
        containerName: "workers",
        cpu: 256,
        memory: 512,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 2,
        parameters: [...PARAMETERS],
      },
    ],
    // Seed 002 "Migrations manuais": node packages/database/dist/migrate.js, as the master user (D105).
    migrations: {
      command: ["node", "packages/database/dist/migrate.js"],
      image: "api",
      containerName: "api",
      cpu: 256,
      memory: 512,
    },
  },
  // prod serves Atena's users, so its alarms need a recipient (D163). Placeholder: seed 002 names no address;
  // replace it with the on-call address before the first apply (each address confirms the subscription by e-mail).
  monitoring: { alarmPrefix: "atena-prod", alarmEmails: ["atena-alarms@example.com"] },
  // Seed 002 "Estimativa de Custos": ~$101 always on, ~$38 at 8 h/day, ~$8 stopped (D108 compares ours).
  cost: {
    budgetUsd: { min: 38, max: 160 },
    usage: { runningHours: 730, natGb: 10, albLcu: 0.2, logsGb: 3, s3Gb: 2, internetOutGb: 5, wafMillionRequests: 0.5 },
    scenarios: [
      { name: "always on", runningHours: 730 },
      { name: "8 h/day", runningHours: 243 },
      { name: "stopped", runningHours: 0 },
    ],
  },
};
