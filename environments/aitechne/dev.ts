/**
 * dev — seed 004 option A ("Para Dev: OPÇÃO A"): the account's default VPC and its default (public) subnets,
 * looked up at plan time; only the processor's security group is created in it. No NAT, no database, no cache.
 */
import type { WorkspaceInput } from "../product-spec";
import { aitechneAlarms, processorTask, type SamStackPlace } from "./product";

/** The account and region of this environment and of its SAM stack: the alarms, the processor's environment and its permissions derive from them. */
// accountId placeholder: the AWS account of the guide's dev stack; replace before the first apply.
const place: SamStackPlace = { workspace: "dev", region: "us-east-1", accountId: "444444444444" };

export const dev: WorkspaceInput = {
  workspace: place.workspace,
  tier: "development",
  // Nothing runs between the state machine's tasks and there is no NAT: environment_running = false would stop nothing.
  stoppable: false,
  region: place.region,
  accountId: place.accountId,
  network: {
    mode: "default-vpc",
  },
  security: {
    secrets: { names: [], recoveryWindowDays: 0 },
    // The trail stays (an account without one has no audit record); its CloudWatch copy is off in dev.
    audit: { enabled: true, cloudWatchLogs: false },
    // The account's GitHub OIDC provider comes from atena/prod (one per account; D152).
    deploy: {
      githubEnvironments: ["dev"],
      createOidcProvider: false,
    },
  },
  compute: {
    logRetentionDays: 7,
    containerInsights: false,
    // 3-hour videos: 2 vCPU / 8 GiB for transcript processing and the LLM calls (seed 004 "ProcessWithLLM").
    tasks: [processorTask(place, { cpu: 2048, memory: 8192 })],
  },
  monitoring: {
    metricAlarms: aitechneAlarms(place),
  },
  exemptions: [
    {
      control: "ecs-container-insights",
      reason: "Container Insights metrics are billed per task; dev runs a handful of test videos",
    },
    {
      control: "cloudtrail-cloudwatch-logs",
      reason: "the trail still lands in S3; CloudWatch ingestion of it is billed per GB for alerts nobody gets in dev",
    },
  ],
  // No figure in the guide: a handful of test videos, about 20 processor hours a month.
  cost: {
    budgetUsd: { min: 0, max: 40 },
    usage: {
      taskHours: 20,
      logsGb: 2,
      s3Gb: 1,
    },
  },
};
