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

/** An AI Techne Academy environment file: the platform's fields; cache and database come from the product's defaults (both disabled). */
export type AitechneInput = Omit<EnvironmentInput, "cache" | "database"> & { readonly cache?: Partial<EnvironmentInput["cache"]>; readonly database?: Partial<EnvironmentInput["database"]> };

/** Dashboard `aitechne-<env>`, alarms `aitechne-<env>-…`. */
export const AITECHNE_SHORT_NAME = "aitechne";

/** The guide's model (seed 004: Claude Sonnet 4 on Bedrock); the throttling alarm's ModelId dimension. */
export const BEDROCK_MODEL_ID = "anthropic.claude-sonnet-4-20250514-v1:0";

/**
 * The guide's alarms (seed 004 "Alarmes Críticos" and "Bedrock Throttling"): more than 3 failed executions
 * of the state machine in 5 minutes, and Bedrock throttling the processor's model. The state machine is
 * the SAM stack's: its ARN is the environment's (the template names the state machine, so it is known
 * before the SAM stack exists).
 */
export function aitechneAlarms(stateMachineArn: string, modelId = BEDROCK_MODEL_ID): NonNullable<NonNullable<EnvironmentInput["monitoring"]>["metricAlarms"]> {
  return [
    {
      name: "high-failure-rate",
      description: "Alert when >3 executions fail in 5 minutes (seed 004, ai-techne-academy-high-failure-rate)",
      namespace: "AWS/States",
      metric: "ExecutionsFailed",
      dimensions: { StateMachineArn: stateMachineArn },
      statistic: "Sum",
      threshold: 3,
      comparison: "GreaterThanThreshold",
      periodSeconds: 300,
      evaluationPeriods: 1,
    },
    {
      name: "bedrock-throttling",
      description: "Bedrock throttled 5 or more invocations of the processor's model in 5 minutes (the circuit breaker opens at 5)",
      namespace: "AWS/Bedrock",
      metric: "InvocationThrottles",
      dimensions: { ModelId: modelId },
      statistic: "Sum",
      threshold: 5,
      comparison: "GreaterThanOrEqualToThreshold",
      periodSeconds: 300,
      evaluationPeriods: 1,
    },
  ];
}

/** The processor task of the guide: a Fargate task the state machine runs (`ProcessWithLLM`), with a public IP. */
export function processorTask(ws: string, size: { cpu: number; memory: number }) {
  return {
    name: "processor",
    // Seed 004 troubleshooting: aws ecs describe-task-definition --task-definition ai-techne-academy-processor-dev
    family: `ai-techne-academy-processor-${ws}`,
    image: "processor",
    ...size,
    assignPublicIp: true,
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
  storage: { bucketPrefix: "ai-techne-academy", buckets: {} },
  security: {
    waf: { enabled: false },
    deploy: { branches: ["main"] },
  },
  // No cache and no database (the workload's state is the SAM stack's DynamoDB table, D121). Their sections'
  // required fields are given so the schema parses; nothing reads them while disabled. allowDestroy: nothing
  // is destroyed, there never was a cache (the rule guards turning an existing one off under preventDestroy).
  cache: { enabled: false, allowDestroy: true, nodeType: "cache.t4g.micro", numCacheNodes: 1, automaticFailover: false, multiAz: false, transitEncryption: true, auth: true },
  database: { enabled: false, instanceClass: "db.t4g.micro", allocatedStorage: 20, multiAz: false, backupRetentionDays: 7 },
  // No EduAutismo MVP flags (the compute section's default app environment): the processor gets its inputs from RunTask.
  compute: { appEnvironment: {} },
  monitoring: { appMetrics: { namespace: "ai-techne-academy" } },
};
