/**
 * Retell AI staging (seed 003): the guide's deliberately cheaper staging — PostgreSQL db.t3.large Single-AZ with 7
 * days of backups, Redis cache.t3.medium with one node — so it is a development tier (D112): the production-like
 * rules (Multi-AZ database and Redis, failover) do not apply, and what it switches off is named in `exemptions`.
 * What staging shares with production is in the product's defaults (product.ts).
 */
import type { WorkspaceInput } from "../product-spec";
import { RETELL_DOMAIN, RETELL_SECRETS } from "./product";

export const staging: WorkspaceInput = {
  workspace: "staging",
  tier: "development",
  // Placeholder: one AWS account per environment (D11); replace before the first apply.
  accountId: "444444444444",
  network: {
    // One NAT gateway: staging tolerates losing egress with one AZ.
    natMode: "single",
  },
  security: {
    secrets: { recoveryWindowDays: 7 },
    // The account's GitHub OIDC provider comes from atena/prod (one per account; D152).
    deploy: { githubEnvironments: ["staging"], createOidcProvider: false },
  },
  cache: {
    // Seed 003 §4: cache.t3.medium, 1 node (no replica, so no failover).
    nodeType: "cache.t3.medium",
    numCacheNodes: 1,
    automaticFailover: false,
    multiAz: false,
  },
  database: {
    // Seed 003 §3: db.t3.large Single-AZ, 7 days of backups.
    instanceClass: "db.t3.large",
    allocatedStorage: 50,
    multiAz: false,
    backupRetentionDays: 7,
    maxConnections: 300,
  },
  compute: {
    // Seed 003 §6: Container Insights only in production (exemption below).
    containerInsights: false,
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
        secrets: RETELL_SECRETS,
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
  },
  // Seed 003 "Alarms Configurados": API p95 > 1 s (its target group); by service, so the workspace's (the services are).
  monitoring: { serviceAlarms: { api: { p95LatencyMs: 1000 } } },
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
    usage: { natGb: 30, albLcu: 1, logsGb: 10, s3Gb: 30, internetOutGb: 20 },
  },
};
