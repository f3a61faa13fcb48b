/** production — three AZs, no single point of failure in the network (seed 000 §4.3, seed 003 §1). */
import type { EnvironmentInput } from "./schema";

export const production: EnvironmentInput = {
  workspace: "production",
  region: "us-east-1",
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
  },
};
