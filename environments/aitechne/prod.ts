/**
 * prod — seed 004 option B ("Para Prod: OPÇÃO B"): a dedicated VPC 10.0.0.0/16 with two public subnets
 * (10.0.1.0/24, 10.0.2.0/24, the guide's), an internet gateway, no NAT and no private subnets; the processor
 * runs with a public IP and a security group with no ingress and HTTPS-only egress.
 */
import type { WorkspaceInput } from "../product-spec";
import { aitechneAlarms, processorTask, type SamStackPlace } from "./product";

/** The account and region of this environment and of its SAM stack: the alarms, the processor's environment and its permissions derive from them. */
// accountId placeholder: the production AWS account; replace before the first apply.
const place: SamStackPlace = { workspace: "prod", region: "us-east-1", accountId: "555555555555" };

export const prod: WorkspaceInput = {
  workspace: place.workspace,
  tier: "production-like",
  region: place.region,
  accountId: place.accountId,
  // The product's production workspace: state in S3 with use_lockfile (D146), the bootstrap's bucket (index.ts).
  state: { bucket: "ai-techne-academy-terraform-state", key: "ai-techne-academy/terraform.tfstate" },
  preventDestroy: true,
  network: {
    mode: "dedicated",
    vpcCidr: "10.0.0.0/16",
    publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"],
    privateSubnets: [],
    flowLogs: { enabled: true, retentionDays: 30 },
  },
  security: {
    secrets: { names: [], recoveryWindowDays: 30 },
    audit: { enabled: true, cloudWatchLogs: true },
    // The account's GitHub OIDC provider comes from retell/production (one per account; D152).
    deploy: {
      githubEnvironments: ["prod"],
      createOidcProvider: false,
    },
  },
  compute: {
    logRetentionDays: 30,
    containerInsights: true,
    tasks: [processorTask(place, { cpu: 2048, memory: 8192 })],
  },
  monitoring: {
    metricAlarms: aitechneAlarms(place),
  },
  // No figure in the guide: about 50 videos a month at ~3 processor hours each (its videos run 3 hours).
  cost: {
    budgetUsd: { min: 0, max: 80 },
    usage: {
      taskHours: 150,
      logsGb: 5,
      s3Gb: 5,
    },
  },
};
