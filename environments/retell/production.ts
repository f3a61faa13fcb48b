/**
 * Retell AI production (seed 003 "Infraestrutura AWS"): three AZs, API 2–10 and web 2–6 tasks on Fargate with
 * Fargate Spot above an on-demand base, host-routed behind one HTTPS ALB, PostgreSQL db.r6g.xlarge Multi-AZ with
 * 30 days of backups, Redis cache.r6g.large × 2 with TLS and encryption at rest, Container Insights.
 * What production shares with staging is in the product's defaults (product.ts).
 */
import type { WorkspaceInput } from "../product-spec";
import { RETELL_DOMAIN, RETELL_SECRETS } from "./product";

export const production: WorkspaceInput = {
  workspace: "production",
  tier: "production-like",
  // Terraform refuses any plan that would destroy a key, a bucket, Redis or the database.
  preventDestroy: true,
  // Placeholder: one AWS account per environment (D11); replace before the first apply.
  accountId: "555555555555",
  // The product's production workspace: state in S3 with use_lockfile (D146), the bootstrap's bucket (index.ts).
  state: { bucket: "retell-terraform-state", key: "retell/terraform.tfstate" },
  network: { natMode: "one-per-az" },
  security: {
    // Seed 003 §3 "Criar Secrets": created here as retell/production/<name>; operators put the values (D114).
    secrets: { recoveryWindowDays: 30 },
    deploy: { githubEnvironments: ["production"] },
  },
  cache: {
    // Seed 003 §4: cache.r6g.large, 2 nodes.
    nodeType: "cache.r6g.large",
    numCacheNodes: 2,
    automaticFailover: true,
    multiAz: true,
    snapshotRetentionDays: 7,
  },
  database: {
    // Seed 003 §3: db.r6g.xlarge Multi-AZ, 30 days of backups.
    instanceClass: "db.r6g.xlarge",
    allocatedStorage: 100,
    maxAllocatedStorage: 500,
    multiAz: true,
    backupRetentionDays: 30,
    maxConnections: 500,
  },
  compute: {
    // Seed 003 §6: Container Insights in production.
    containerInsights: true,
    albDeletionProtection: true,
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
        secrets: RETELL_SECRETS,
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
  },
  // Seed 003 "Alarms Configurados": API p95 > 1 s (its target group); by service, so the workspace's (the services are).
  monitoring: { serviceAlarms: { api: { p95LatencyMs: 1000 } } },
  // Seed 003 "Custos estimados (produção)": ~$580/month; what the guide's own sizes cost is in docs/products/retell.md (D115).
  cost: {
    budgetUsd: { min: 580, max: 1400 },
    usage: { natGb: 100, albLcu: 5, logsGb: 30, wafMillionRequests: 5, s3Gb: 200, internetOutGb: 100 },
  },
};
