/**
 * AI Techne Academy (seed 004) as a product of the platform: what every one of its environments has.
 *
 * The guide's workload is a SAM application (Step Functions, Lambda, DynamoDB, S3) that starts an ECS
 * Fargate task, `processor`, with RunTask. The SAM stack stays out of this repository; this product
 * provides what its parameters need: the network (option A, the default VPC, or option B, a dedicated VPC
 * with public subnets and no NAT), the tasks' security group, the ECS cluster and the processor's task
 * definition (no service), the alarm topic with the guide's alarms. No database and no cache: the
 * workload's state is the SAM stack's DynamoDB table (docs/products/aitechne.md, D118–D125).
 */
import type { Defaults, ProductPolicyExemption } from "../product-spec";
import type { EnvironmentInput } from "../schema";

/** Dashboard `aitechne-<env>`, alarms `aitechne-<env>-…`. */
export const AITECHNE_SHORT_NAME = "aitechne";

/** Where an environment's SAM stack lives: its workspace, region and account (the environment file's own fields). */
export interface SamStackPlace {
  readonly workspace: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The model the processor calls (seed 004: Claude Sonnet 4 on Bedrock) through the US cross-region inference
 * profile: the id the application passes as `modelId`, so the id Bedrock's metrics carry in their `ModelId`
 * dimension (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring.html). The bare model id
 * (`anthropic.claude-sonnet-4-…`) is not invocable on demand for this model; its series would stay empty.
 */
export const BEDROCK_INFERENCE_PROFILE_ID = "us.anthropic.claude-sonnet-4-20250514-v1:0";
/** The foundation model behind the profile. */
export const BEDROCK_FOUNDATION_MODEL_ID = "anthropic.claude-sonnet-4-20250514-v1:0";
/**
 * Regions the US profile routes requests to: invoking through a cross-region profile needs the profile and the
 * foundation model in each of them (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html).
 */
export const BEDROCK_PROFILE_REGIONS = ["us-east-1", "us-east-2", "us-west-2"] as const;

/**
 * What the guide's SAM template names, per environment (seed 004: `s3://ai-techne-academy-input-dev-<account-id>`,
 * `ai-techne-academy-output-dev-<account-id>`, table `ai-techne-academy-tracking-dev`; the state machine
 * `ai-techne-academy-workflow-<env>`): derived from the environment's own account and region, never written twice.
 */
export function samResources(p: SamStackPlace) {
  return {
    stateMachineArn: `arn:aws:states:${p.region}:${p.accountId}:stateMachine:ai-techne-academy-workflow-${p.workspace}`,
    inputBucket: `ai-techne-academy-input-${p.workspace}-${p.accountId}`,
    outputBucket: `ai-techne-academy-output-${p.workspace}-${p.accountId}`,
    trackingTable: `ai-techne-academy-tracking-${p.workspace}`,
  };
}

/**
 * The guide's alarms (seed 004 "Alarmes Críticos" and "Bedrock Throttling"): more than 3 failed executions
 * of the state machine in 5 minutes, and Bedrock throttling the processor's model. The state machine is
 * the SAM stack's, in the environment's account and region (a metric of another account or region never
 * reaches this account's CloudWatch: the alarm would watch an empty series).
 *
 * Missing data is `notBreaching` for both (D168): Step Functions publishes `ExecutionsFailed` only for periods
 * with executions and Bedrock `InvocationThrottles` only for periods with invocations, so silence means nothing
 * ran; an alarm that treated it as breaching would fire every quiet night, one that kept `missing` would sit in
 * INSUFFICIENT_DATA most of the day. A state machine that never runs is not these alarms' to catch.
 */
export function aitechneAlarms(
  p: SamStackPlace,
): NonNullable<NonNullable<EnvironmentInput["monitoring"]>["metricAlarms"]> {
  return [
    {
      name: "high-failure-rate",
      description: "Alert when >3 executions fail in 5 minutes (seed 004, ai-techne-academy-high-failure-rate)",
      namespace: "AWS/States",
      metric: "ExecutionsFailed",
      dimensions: { StateMachineArn: samResources(p).stateMachineArn },
      statistic: "Sum",
      threshold: 3,
      comparison: "GreaterThanThreshold",
      periodSeconds: 300,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
    {
      name: "bedrock-throttling",
      description:
        "Bedrock throttled 5 or more invocations of the processor's model in 5 minutes (the circuit breaker opens at 5)",
      namespace: "AWS/Bedrock",
      metric: "InvocationThrottles",
      dimensions: { ModelId: BEDROCK_INFERENCE_PROFILE_ID },
      statistic: "Sum",
      threshold: 5,
      comparison: "GreaterThanOrEqualToThreshold",
      periodSeconds: 300,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    },
  ];
}

/**
 * The processor task of the guide: a Fargate task the state machine runs (`ProcessWithLLM`), with a public IP.
 * It replaces the task definition the guide's SAM template declared, so it carries what that one did: the
 * container name the workflow's overrides use, the environment the processor reads, and the permissions its
 * task role had (the template's checklist: docs/products/aitechne.md, "Migrating the guide's template").
 */
export function processorTask(p: SamStackPlace, size: { cpu: number; memory: number }) {
  const r = samResources(p);
  return {
    name: "processor",
    // Seed 004 troubleshooting: aws ecs describe-task-definition --task-definition ai-techne-academy-processor-dev
    family: `ai-techne-academy-processor-${p.workspace}`,
    image: "processor",
    // The workflow's RunTask overrides name this container (ContainerOverrides[].Name = ${ProcessorContainerName}).
    containerName: "processor",
    ...size,
    assignPublicIp: true,
    // The processor writes its documents before uploading them: a writable scratch directory besides /tmp on its
    // read-only root (an ephemeral task volume, on Fargate's included 20 GiB; docs/products/aitechne.md).
    scratch: { path: "/scratch" },
    // The processor's configuration (names the application reads; the state machine adds per-execution values,
    // the input key and execution id, through its container overrides).
    environment: {
      INPUT_BUCKET: r.inputBucket,
      OUTPUT_BUCKET: r.outputBucket,
      TRACKING_TABLE: r.trackingTable,
      BEDROCK_MODEL_ID: BEDROCK_INFERENCE_PROFILE_ID,
    },
    access: {
      s3Read: [`arn:aws:s3:::${r.inputBucket}`],
      s3ReadWrite: [`arn:aws:s3:::${r.outputBucket}`],
      dynamodbTables: [`arn:aws:dynamodb:${p.region}:${p.accountId}:table/${r.trackingTable}`],
      bedrockModels: [
        `arn:aws:bedrock:${p.region}:${p.accountId}:inference-profile/${BEDROCK_INFERENCE_PROFILE_ID}`,
        ...BEDROCK_PROFILE_REGIONS.map(
          (region) => `arn:aws:bedrock:${region}::foundation-model/${BEDROCK_FOUNDATION_MODEL_ID}`,
        ),
      ],
    },
  };
}

/**
 * Policy checks the guide deliberately does not meet (D122): the processor runs with a public IP in a public
 * subnet instead of behind a NAT gateway ("sem custos de NAT", ~$32/month), in every environment.
 */
export const AITECHNE_POLICY_EXEMPTIONS: readonly ProductPolicyExemption[] = [
  {
    control: "ecs-no-public-ip",
    reason:
      "seed 004 runs the processor task with AssignPublicIp ENABLED in public subnets and no NAT gateway (option A and option B): it takes no inbound traffic (its security group has no ingress rule) and sends only HTTPS",
  },
];

/** What every AI Techne Academy environment has unless its file says otherwise. */
export const AITECHNE_DEFAULTS: Defaults<EnvironmentInput> = {
  project: "ai-techne-academy",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  // The SAM parameters take the subnets as one comma-separated string (D120).
  network: { natMode: "none", subnetIdsOutput: "comma-separated" },
  storage: { bucketPrefix: "ai-techne-academy", buckets: {} },
  security: {
    // No WAF (no load balancer); the rate limit is still an input of the root (module variables have no defaults).
    waf: { enabled: false, rateLimitPerMinute: 100 },
    deploy: { githubRepository: "example-org/ai-techne-academy-batch", branches: ["main"] },
  },
  // No cache and no database (the workload's state is the SAM stack's DynamoDB table, D121). Their sections'
  // required fields are given so the schema parses; nothing reads them while disabled. allowDestroy: nothing
  // is destroyed, there never was a cache (the rule guards turning an existing one off under preventDestroy).
  cache: {
    enabled: false,
    allowDestroy: true,
    nodeType: "cache.t4g.micro",
    numCacheNodes: 1,
    automaticFailover: false,
    multiAz: false,
    transitEncryption: true,
    auth: true,
  },
  database: {
    enabled: false,
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    multiAz: false,
    backupRetentionDays: 7,
  },
  // The processor gets its inputs from RunTask (no app environment); no web service, no toolbox.
  compute: { images: ["processor"], toolbox: { enabled: false }, services: [] },
  monitoring: { alarmEmails: ["devops@techne.com.br"], appMetrics: { namespace: "ai-techne-academy" } },
  // No NAT, no load balancer, no WAF, no CDN: only the processor's hours, logs and S3 vary by workspace.
  cost: { usage: { runningHours: 730, natGb: 0, albLcu: 0, wafMillionRequests: 0, cdnGb: 0 } },
};
