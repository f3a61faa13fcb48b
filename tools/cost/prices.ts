/**
 * On-demand prices per region, USD, Linux, no free tier, no Savings Plans; the one-year reservations of RDS and
 * ElastiCache as a factor of the on-demand price (`rdsReserved1yFactor`, `elasticacheReserved1yFactor`).
 *
 * Source: the public AWS pricing pages of each service (aws.amazon.com/<service>/pricing) as
 * published in 2025, transcribed on 2026-11-23 without network access from the project's machine —
 * verify against the AWS Pricing Calculator before budgeting. sa-east-1 runs ~1.5–2× us-east-1
 * for Fargate, RDS, ElastiCache and NAT (docs/decisions.md, D5).
 */
export interface PriceTable {
  /** NAT gateway, per hour and per GB processed. */
  readonly natHour: number;
  readonly natGb: number;
  /** EC2 Linux on-demand instance hours by type (the NAT instance). */
  readonly ec2Hour: Readonly<Record<string, number>>;
  /** EBS gp3 per GB-month (the NAT instance's root volume). */
  readonly ebsGp3GbMonth: number;
  /**
   * Public IPv4 address, per hour, in use or idle: the NAT gateways' EIPs, the NAT instance's address, the addresses
   * of an internet-facing ALB (one per AZ it spans) and of tasks with a public IP. AWS charges $0.005 per address-hour
   * in every commercial region since 2024-02-01 (aws.amazon.com/vpc/pricing, "Public IPv4 address"; announced
   * 2023-07-28 on the AWS News Blog, "New – AWS Public IPv4 Address Charge"); transcribed 2026-12-07.
   */
  readonly publicIpv4Hour: number;
  /** Interface endpoint, per AZ-hour. */
  readonly endpointAzHour: number;
  /** ALB per hour and per LCU-hour. */
  readonly albHour: number;
  readonly albLcuHour: number;
  /** Fargate per vCPU-hour and GB-hour (Linux/x86); Spot is this fraction of on-demand. */
  readonly fargateVcpuHour: number;
  readonly fargateGbHour: number;
  readonly fargateSpotFactor: number;
  /** RDS PostgreSQL single-AZ instance hours by class (Multi-AZ doubles). */
  readonly rdsHour: Readonly<Record<string, number>>;
  /** RDS gp3 storage per GB-month (Multi-AZ doubles). */
  readonly rdsGp3GbMonth: number;
  /** ElastiCache node hours by node type (Redis OSS). */
  readonly elasticacheHour: Readonly<Record<string, number>>;
  /**
   * ElastiCache for Valkey node hours as a fraction of the same node type's Redis OSS price: AWS prices
   * node-based Valkey 20% lower (aws.amazon.com/elasticache/pricing, "ElastiCache for Valkey").
   */
  readonly elasticacheValkeyFactor: number;
  readonly kmsKeyMonth: number;
  readonly secretMonth: number;
  readonly alarmMonth: number;
  readonly dashboardMonth: number;
  /** CloudWatch Logs ingestion per GB (vended logs such as flow logs: same first tier). */
  readonly logsIngestGb: number;
  readonly wafAclMonth: number;
  readonly wafRuleMonth: number;
  readonly wafMillionRequests: number;
  /** CloudFront data transfer out per GB (first tier, the region's edge pricing). */
  readonly cloudfrontGb: number;
  /** S3 Standard per GB-month. */
  readonly s3GbMonth: number;
  /** Data transfer out from the region to the internet, per GB (first tier, after the free 100 GB). */
  readonly internetOutGb: number;
  /** Data transfer from this region to another AWS region, per GB (S3 replication, backup replication). */
  readonly interRegionGb: number;
  /** RDS backup storage beyond the free allowance (replicated automated backups), per GB-month. */
  readonly rdsBackupGbMonth: number;
  /** CloudWatch custom metric (each name × dimension-value combination), per month (first 10,000). */
  readonly customMetricMonth: number;
  /**
   * Amazon Data Firehose ingestion (Direct PUT), per GB, first tier (records rounded up to 5 KB; CloudWatch
   * Logs subscription batches are larger). us-east-1 from aws.amazon.com/firehose/pricing; sa-east-1 not
   * transcribed: 1.5 × us-east-1, the ratio of the other services (D5) — verify before budgeting.
   */
  readonly firehoseGb: number;
  /**
   * One-year, no-upfront reserved DB instance (RDS) and reserved node (ElastiCache) as a fraction of the on-demand
   * hour. DERIVED, not looked up (no network on this machine, 2026-12-07): RDS's documented typical discount for a
   * 1-year No Upfront reservation is "up to 30%" (docs.archera.ai, "AWS RDS — commitment brief", data of March 2026;
   * AWS's own page aws.amazon.com/rds/reserved-instances gives no per-term figure), and ElastiCache reserved nodes
   * (aws.amazon.com/elasticache/reserved-cache-nodes) are assumed to get the same 30%. Replace with the offering's
   * price (`aws rds describe-reserved-db-instances-offerings`, `aws elasticache describe-reserved-cache-nodes-offerings`)
   * before buying.
   */
  readonly rdsReserved1yFactor: number;
  readonly elasticacheReserved1yFactor: number;
}

/**
 * Container Insights (standard observability on ECS Fargate): the custom metrics it publishes per cluster, per service
 * and per task definition family, counted from the metric table of CloudWatch's user guide page "Amazon ECS Container
 * Insights metrics" (CPU, memory, network, storage and ephemeral storage, each reserved/utilized or rx/tx, plus the
 * task, service, deployment and task-set counts at their levels; EC2-only metrics left out), and its performance log
 * events (one per task and one per container each minute, about 1 KB each, in
 * `/aws/ecs/containerinsights/<cluster>/performance`). An ASSUMPTION from the documented lists (2026-12-07): verify
 * with the account's `ECS/ContainerInsights` metric count before budgeting. Metrics bill as custom metrics
 * (`customMetricMonth`), prorated by the hours they report (only while tasks run); events as log ingestion.
 */
export const CONTAINER_INSIGHTS = {
  clusterMetrics: 12,
  serviceMetrics: 15,
  familyMetrics: 10,
  /** A task event and one container event (the app container; each sidecar adds one). */
  eventsPerTaskMinute: 2,
  eventKb: 1,
} as const;

/**
 * Share of the database's storage that changes a day: each day an automated backup keeps after the first full one adds
 * this much backup storage. RDS gives backup storage up to the region's provisioned storage for free
 * (aws.amazon.com/rds/postgresql/pricing, "Backup storage"); what lies beyond is billed at `rdsBackupGbMonth`.
 * An ASSUMPTION (1%/day, a typical OLTP change rate); the real figure is CloudWatch's `TotalBackupStorageBilled`.
 */
export const RDS_BACKUP_DAILY_CHANGE = 0.01;

export const PRICES: Readonly<Record<string, PriceTable>> = {
  "us-east-1": {
    natHour: 0.045,
    natGb: 0.045,
    ec2Hour: { "t4g.nano": 0.0042, "t4g.micro": 0.0084, "t4g.small": 0.0168 },
    ebsGp3GbMonth: 0.08,
    publicIpv4Hour: 0.005,
    endpointAzHour: 0.01,
    albHour: 0.0225,
    albLcuHour: 0.008,
    fargateVcpuHour: 0.04048,
    fargateGbHour: 0.004445,
    fargateSpotFactor: 0.3,
    rdsHour: {
      "db.t3.micro": 0.018,
      "db.t3.small": 0.036,
      "db.t3.medium": 0.072,
      "db.t3.large": 0.145,
      "db.t4g.micro": 0.016,
      "db.t4g.small": 0.032,
      "db.r5.large": 0.25,
      "db.r6g.large": 0.225,
      "db.r6g.xlarge": 0.45,
      "db.m6g.large": 0.168,
    },
    rdsGp3GbMonth: 0.115,
    elasticacheHour: {
      "cache.t3.micro": 0.017,
      "cache.t3.small": 0.034,
      "cache.t3.medium": 0.068,
      "cache.t4g.micro": 0.016,
      "cache.t4g.small": 0.032,
      "cache.t4g.medium": 0.065,
      "cache.r5.large": 0.216,
      "cache.r7g.large": 0.219,
      "cache.r6g.large": 0.206,
      "cache.r6g.xlarge": 0.411,
      "cache.m6g.large": 0.149,
    },
    elasticacheValkeyFactor: 0.8,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
    alarmMonth: 0.1,
    dashboardMonth: 3,
    logsIngestGb: 0.5,
    wafAclMonth: 5,
    wafRuleMonth: 1,
    wafMillionRequests: 0.6,
    cloudfrontGb: 0.085,
    s3GbMonth: 0.023,
    internetOutGb: 0.09,
    interRegionGb: 0.02,
    rdsBackupGbMonth: 0.095,
    customMetricMonth: 0.3,
    firehoseGb: 0.029,
    rdsReserved1yFactor: 0.7,
    elasticacheReserved1yFactor: 0.7,
  },
  "sa-east-1": {
    natHour: 0.093,
    natGb: 0.093,
    ec2Hour: { "t4g.nano": 0.0067, "t4g.micro": 0.0134, "t4g.small": 0.0268 },
    ebsGp3GbMonth: 0.152,
    publicIpv4Hour: 0.005,
    endpointAzHour: 0.0175,
    albHour: 0.034,
    albLcuHour: 0.011,
    fargateVcpuHour: 0.0696,
    fargateGbHour: 0.0076,
    fargateSpotFactor: 0.3,
    rdsHour: {
      "db.t3.micro": 0.035,
      "db.t3.small": 0.07,
      "db.t3.medium": 0.14,
      // Not transcribed: 2 × db.t3.medium, the size ratio of the family's other prices (retell/staging's class).
      "db.t3.large": 0.28,
      "db.t4g.micro": 0.032,
      "db.t4g.small": 0.063,
      "db.r5.large": 0.43,
      "db.r6g.large": 0.39,
      "db.r6g.xlarge": 0.78,
      "db.m6g.large": 0.29,
    },
    rdsGp3GbMonth: 0.219,
    elasticacheHour: {
      "cache.t3.micro": 0.028,
      "cache.t3.small": 0.056,
      "cache.t3.medium": 0.112,
      "cache.t4g.micro": 0.026,
      "cache.t4g.small": 0.052,
      "cache.t4g.medium": 0.104,
      "cache.r5.large": 0.353,
      "cache.r7g.large": 0.358,
      "cache.r6g.large": 0.337,
      "cache.r6g.xlarge": 0.674,
      "cache.m6g.large": 0.245,
    },
    elasticacheValkeyFactor: 0.8,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
    alarmMonth: 0.1,
    dashboardMonth: 3,
    logsIngestGb: 0.75,
    wafAclMonth: 5,
    wafRuleMonth: 1,
    wafMillionRequests: 0.6,
    cloudfrontGb: 0.11,
    s3GbMonth: 0.0405,
    internetOutGb: 0.15,
    interRegionGb: 0.138,
    rdsBackupGbMonth: 0.19,
    customMetricMonth: 0.3,
    firehoseGb: 0.0435,
    rdsReserved1yFactor: 0.7,
    elasticacheReserved1yFactor: 0.7,
  },
};

/** Hours in a month for monthly estimates (730 = 8,760 / 12). */
export const HOURS_PER_MONTH = 730;
