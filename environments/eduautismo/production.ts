/** production — three AZs, no single point of failure in the network (seed 000 §4.3, seed 003 §1). */
import type { EduautismoInput } from "./product";

export const production: EduautismoInput = {
  workspace: "production",
  tier: "production-like",
  // Terraform refuses any plan that would destroy a key, a bucket, Redis or the database.
  preventDestroy: true,
  // Placeholder: one AWS account per environment (see docs/decisions.md, D11); replace before the first apply.
  accountId: "333333333333",
  // Production-like: state in S3 with use_lockfile (D146), the bootstrap's bucket (environments/bootstrap.ts).
  state: { bucket: "eduautismo-ia-terraform-state", key: "eduautismo-ia/terraform.tfstate" },
  availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  network: {
    vpcCidr: "10.0.0.0/16",
    publicSubnets: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"],
    databaseSubnets: ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"],
    natMode: "one-per-az",
    // Image pulls, logs and secrets stay on the AWS network and off the NAT data charge.
    interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs", "secretsmanager"],
    flowLogs: { enabled: true, retentionDays: 90, trafficType: "ALL" },
    // Only CloudFront reaches the ALB (443 from its origin-facing prefix list + a secret origin header): D51.
    albIngress: "cloudfront",
    // com.amazonaws.global.cloudfront.origin-facing in us-east-1; confirm with the look-up in environments/schema.ts.
    cloudfrontPrefixListId: "pl-3b927c52",
  },
  security: {
    waf: {
      enabled: true,
      rateLimitPerMinute: 100,
      allowedCountries: ["BR"],
      geoReason: 'seed 001 "Segurança": geo-blocking, Brazil only',
      botControl: false,
    },
    secrets: { recoveryWindowDays: 30 },
    audit: { enabled: true, cloudWatchLogs: true },
    deploy: { githubEnvironments: ["production"] },
  },
  storage: {
    accessLogging: true,
    corsOrigins: ["https://app.eduautismo-ia.com"],
  },
  cache: {
    // cache.r6g.large over seed 000's cache.r5.large: same memory, newer Graviton, cheaper per hour (docs/decisions.md).
    nodeType: "cache.r6g.large",
    // Valkey (docs/costs.md "Levers", D99): the same nodes 20% cheaper; an in-place upgrade of the group.
    engine: "valkey",
    engineVersion: "7.2",
    numCacheNodes: 3,
    automaticFailover: true,
    multiAz: true,
    transitEncryption: true,
    auth: true,
    snapshotRetentionDays: 7,
    slowLogRetentionDays: 90,
  },
  database: {
    // Seed 001 sizing with seed 000's budget: see docs/decisions.md.
    instanceClass: "db.r6g.large",
    allocatedStorage: 200,
    maxAllocatedStorage: 1000,
    multiAz: true,
    // Seed 000 §4.3 ("Backup diário por 30 dias") over seed 001 (7 days): D41.
    backupRetentionDays: 30,
    readReplicas: 2,
    maxConnections: 500,
    effectiveCacheSizeGb: 4,
    deletionProtection: true,
    logRetentionDays: 90,
  },
  compute: {
    logRetentionDays: 90,
    containerInsights: true,
    xray: true,
    albDeletionProtection: true,
    // Placeholder: the production certificate's ARN (ACM, this region); replace before the first apply.
    // It must cover cdn.originDomainName (origin.eduautismo-ia.com), the name CloudFront checks it against (D50).
    certificateArn: "arn:aws:acm:us-east-1:333333333333:certificate/00000000-0000-0000-0000-000000000003",
    // Seed 000 §3.2 (1 vCPU / 2 GB, 3–10 tasks) over seed 001 (2 vCPU / 4 GB, 5–20): see docs/decisions.md.
    services: [
      {
        name: "app",
        cpu: 1024,
        memory: 2048,
        desiredCount: 3,
        minCapacity: 3,
        maxCapacity: 10,
        port: 8000,
        requestsPerTarget: 1000,
        // Seed 001 "Auto-scaling metrics customizadas": BNCC searches per task per minute, from the app's own metric
        // (eduautismo/bncc search_latency, one sample per search); a starting value to tune from the dashboard (D193).
        appMetricTarget: { namespace: "bncc", metric: "search_latency", perTaskPerMinute: 600 },
        secrets: ["openai-api-key", "jwt-secret-key"],
      },
    ],
  },
  cdn: {
    enabled: true,
    priceClass: "PriceClass_All",
    waf: true,
    // Placeholder: an ACM certificate in us-east-1 covering the aliases; replace before the first apply.
    // Without one CloudFront serves *.cloudfront.net and accepts TLS 1.0 (policy check cloudfront-tls).
    certificateArn: "arn:aws:acm:us-east-1:333333333333:certificate/00000000-0000-0000-0000-000000000004",
    aliases: ["app.eduautismo-ia.com"],
    // CloudFront reaches the ALB by this name over HTTPS: compute.certificateArn must cover it (D50). No Route 53
    // zone configured, so the DNS record origin → ALB is an operator step (docs/runbooks/production.md).
    originDomainName: "origin.eduautismo-ia.com",
  },
  // Seed 000 §4.3 "Multi-AZ em múltiplas regiões": backups and the irreplaceable buckets copied to a
  // second region (docs/decisions.md, D75; restore procedure in docs/operations.md).
  dr: { enabled: true, region: "us-east-2", backupRetentionDays: 7, buckets: ["uploads", "mlModels"] },
  // Seed 000 §9.2's alarm names: eduautismo-prod-redis-down, eduautismo-prod-cache-miss-high (one per node: -001 …, D131).
  // Per-discipline latency alarm for the subject seed 000 §6.2 tests (every discipline is on the dashboard).
  monitoring: {
    alarmPrefix: "eduautismo-prod",
    alarmEmails: ["devops@eduautismo-ia.com"],
    appMetrics: { disciplineAlarms: ["matematica"] },
  },
  // Seed 000 §10 says $1,450–2,000; seed 001 allows up to $2,500 (docs/decisions.md, D33).
  // Viewers are served through CloudFront (cdnGb); internetOutGb is what leaves without it (NAT egress to AI APIs).
  cost: {
    budgetUsd: { min: 1450, max: 2500 },
    usage: {
      natGb: 200,
      albLcu: 10,
      logsGb: 60,
      wafMillionRequests: 10,
      cdnGb: 500,
      s3Gb: 200,
      internetOutGb: 50,
      drReplicaGb: 100,
      appMetricSeries: 152,
    },
  },
};
