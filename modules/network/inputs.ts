/**
 * The network module's variables (names, descriptions, defaults and validations as the root passes them),
 * returned as typed tokens: the resources read `vars.natMode`, never `var.nat_mode` written in a string.
 */
import { Fn, Op, type IResolvable, type TerraformVariable } from "cdktf";
import type { InputSpec } from "../../lib/core/module-stack";
import { retentionValidation } from "../../lib/core/validations";
import { INTERFACE_ENDPOINTS, NAT_MODES, NETWORK_ALB_INGRESS, type NetworkConfig } from "./config";
import { oneOf, range } from "../../lib/core/rules";
import { NULL, ZERO } from "../../lib/core/tokens";

/** `ModuleStack.input`, bound to the module. */
export type InputFn = (name: string, value: unknown, spec: InputSpec) => TerraformVariable;

/** What the root passes: the `network` section plus the workspace-wide values it needs. */
export interface NetworkInputValues {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly azs: readonly string[];
  readonly settings: NetworkConfig;
  readonly appPort?: number;
  readonly albIngress: (typeof NETWORK_ALB_INGRESS)[number];
  readonly kmsDeletionWindowDays?: number;
  readonly enableNat?: unknown;
}

/** The module's variables as tokens. */
export interface NetworkVars {
  readonly name: string;
  readonly region: string;
  readonly vpcCidr: string;
  readonly azs: string[];
  readonly publicSubnets: string[];
  readonly privateSubnets: string[];
  readonly databaseSubnets: string[];
  readonly natMode: string;
  readonly enableNat: IResolvable;
  readonly natInstanceAmi: string;
  readonly natInstanceType: string;
  readonly interfaceEndpoints: string[];
  readonly enableFlowLogs: IResolvable;
  readonly flowLogRetentionDays: number;
  readonly flowLogTrafficType: string;
  readonly accountId: string;
  readonly kmsDeletionWindowDays: number;
  /** The app port the load balancer reaches; absent without a web service (no load balancer, no variable). */
  readonly appPort?: number;
  readonly albIngress: string;
  readonly cloudfrontPrefixListId: string;
}

/** `length(list) == 0 || length(list) == length(azs)`: one per availability zone, or none. */
function onePerAzOrNone(list: TerraformVariable, azs: TerraformVariable): unknown {
  return Op.or(
    Op.eq(Fn.lengthOf(list.listValue), ZERO),
    Op.eq(Fn.lengthOf(list.listValue), Fn.lengthOf(azs.listValue)),
  );
}

/** VPC block, zones and the subnets of each tier. */
function subnetInputs(input: InputFn, v: NetworkInputValues) {
  const s = v.settings;
  const name = input("name", v.name, { type: "string", description: "Name prefix for every resource." });
  const region = input("region", v.region, { type: "string", description: "AWS region (endpoint service names)." });
  const vpcCidr = input("vpc_cidr", s.vpcCidr ?? "", { type: "string", description: "VPC IPv4 CIDR block." });
  vpcCidr.addValidation({
    condition: Fn.can(Fn.cidrnetmask(vpcCidr.stringValue)),
    errorMessage: "vpc_cidr must be an IPv4 CIDR block such as 10.0.0.0/16.",
  });
  const azs = input("azs", v.azs, {
    type: "list(string)",
    description: "Availability zones, in order. Subnet lists follow this order.",
  });
  azs.addValidation({
    condition: Op.gte(Fn.lengthOf(azs.listValue), 2),
    errorMessage: "azs needs at least 2 availability zones (an ALB spans 2).",
  });
  azs.addValidation({
    condition: Op.eq(Fn.lengthOf(Fn.distinct(azs.listValue)), Fn.lengthOf(azs.listValue)),
    errorMessage: "azs lists an availability zone twice.",
  });
  const publicSubnets = input("public_subnets", s.publicSubnets, {
    type: "list(string)",
    description: "Public subnet CIDRs, one per AZ (ALB, NAT gateways). Empty for none.",
  });
  publicSubnets.addValidation({
    condition: onePerAzOrNone(publicSubnets, azs),
    errorMessage: "public_subnets needs one subnet per availability zone, or none.",
  });
  const privateSubnets = input("private_subnets", s.privateSubnets, {
    type: "list(string)",
    description: "Private subnet CIDRs, one per AZ (ECS tasks, cache).",
  });
  // No private subnets (seed 004 option B, D119): one-off tasks in the public subnets with public IPs, no NAT.
  privateSubnets.addValidation(
    s.privateSubnets.length === 0
      ? {
          condition: onePerAzOrNone(privateSubnets, azs),
          errorMessage: "private_subnets needs one subnet per availability zone, or none.",
        }
      : {
          condition: Op.eq(Fn.lengthOf(privateSubnets.listValue), Fn.lengthOf(azs.listValue)),
          errorMessage: "private_subnets needs one subnet per availability zone.",
        },
  );
  const databaseSubnets = input("database_subnets", s.databaseSubnets, {
    type: "list(string)",
    description: "Isolated database subnet CIDRs, one per AZ (no internet route). Empty for none.",
  });
  databaseSubnets.addValidation({
    condition: onePerAzOrNone(databaseSubnets, azs),
    errorMessage: "database_subnets needs one subnet per availability zone, or none.",
  });
  return {
    name: name.stringValue,
    region: region.stringValue,
    vpcCidr: vpcCidr.stringValue,
    azs: azs.listValue,
    publicSubnets: publicSubnets.listValue,
    privateSubnets: privateSubnets.listValue,
    databaseSubnets: databaseSubnets.listValue,
  };
}

/** NAT's mode. */
function natModeInput(input: InputFn, v: NetworkInputValues, publicSubnets: string[]): string {
  const natMode = input("nat_mode", v.settings.natMode, {
    type: "string",
    description:
      "NAT: none, single (gateway in the first AZ), one-per-az (gateways) or instance (EC2 NAT instance in the first AZ).",
    validations: [
      { condition: oneOf("nat_mode", NAT_MODES), errorMessage: `nat_mode must be one of ${NAT_MODES.join(", ")}.` },
    ],
  });
  natMode.addValidation({
    condition: Op.or(Op.eq(natMode.stringValue, "none"), Op.gt(Fn.lengthOf(publicSubnets), ZERO)),
    errorMessage: `nat_mode "${natMode.stringValue}" needs public_subnets to hold the NAT gateways, got none (use "none" or add one public subnet per AZ).`,
  });
  return natMode.stringValue;
}

/** Whether NAT runs (false while the environment is stopped), and the NAT instance. */
function natInstanceInputs(input: InputFn, v: NetworkInputValues) {
  return {
    enableNat: input("enable_nat", v.enableNat, {
      type: "bool",
      description: "NAT gateways exist (false while the environment is stopped).",
    }).booleanValue,
    natInstanceAmi: input("nat_instance_ami", v.settings.natInstance.ami, {
      type: "string",
      description: "Image of the NAT instance (nat_mode instance): an arm64 AMI id or resolve:ssm:<parameter>.",
    }).stringValue,
    natInstanceType: input("nat_instance_type", v.settings.natInstance.instanceType, {
      type: "string",
      description: "Instance type of the NAT instance (nat_mode instance).",
    }).stringValue,
  };
}

/** Interface endpoints and flow logs (with their key). */
function endpointAndFlowLogInputs(input: InputFn, v: NetworkInputValues) {
  const endpoints = input("interface_endpoints", v.settings.interfaceEndpoints, {
    type: "list(string)",
    description: `Interface endpoints to create in the private subnets: ${INTERFACE_ENDPOINTS.join(", ")}.`,
  });
  endpoints.addValidation({
    condition: Op.eq(Fn.lengthOf(Fn.setsubtract(endpoints.listValue, [...INTERFACE_ENDPOINTS])), ZERO),
    errorMessage: `interface_endpoints may only contain ${INTERFACE_ENDPOINTS.join(", ")}.`,
  });
  const flowLogs = {
    interfaceEndpoints: endpoints.listValue,
    enableFlowLogs: input("enable_flow_logs", v.settings.flowLogs.enabled, {
      type: "bool",
      description: "VPC flow logs to CloudWatch Logs.",
    }).booleanValue,
    flowLogRetentionDays: input("flow_log_retention_days", v.settings.flowLogs.retentionDays, {
      type: "number",
      description: "Retention of the flow log group, in days.",
      validations: [retentionValidation("flow_log_retention_days")],
    }).numberValue,
    accountId: input("account_id", v.accountId, {
      type: "string",
      description: "AWS account id (policy of the flow log key).",
    }).stringValue,
    kmsDeletionWindowDays: input("kms_deletion_window_days", v.kmsDeletionWindowDays, {
      type: "number",
      description: "Deletion window of the flow log key, in days.",
    }).numberValue,
  };
  const trafficType = input("flow_log_traffic_type", v.settings.flowLogs.trafficType, {
    type: "string",
    description: "Traffic the flow logs capture: ACCEPT, REJECT or ALL.",
    validations: [
      {
        condition: oneOf("flow_log_traffic_type", ["ACCEPT", "REJECT", "ALL"]),
        errorMessage: "flow_log_traffic_type must be ACCEPT, REJECT or ALL.",
      },
    ],
  });
  return { ...flowLogs, flowLogTrafficType: trafficType.stringValue };
}

/** The app port the load balancer reaches, declared only where there is a web service. */
function appPortInput(input: InputFn, port: number | undefined): number | undefined {
  if (port === undefined) return undefined;
  const appPort = input("app_port", port, {
    type: "number",
    description: "Port the application containers listen on.",
    validations: [
      { condition: range("app_port", { min: 1, max: 65535 }), errorMessage: "app_port must be a TCP port (1-65535)." },
    ],
  });
  return appPort.numberValue;
}

/** The load balancer's side: the app port and who may reach it. */
function albInputs(input: InputFn, v: NetworkInputValues) {
  const appPort = appPortInput(input, v.appPort);
  const albIngress = input("alb_ingress", v.albIngress, {
    type: "string",
    description:
      "Who reaches the ALB: internet (80/443 from anywhere), cloudfront (443 from CloudFront's origin-facing prefix list only) or none (no load balancer: nothing opened).",
    validations: [
      {
        condition: oneOf("alb_ingress", NETWORK_ALB_INGRESS),
        errorMessage: `alb_ingress must be one of ${NETWORK_ALB_INGRESS.join(", ")}.`,
      },
    ],
  });
  const prefixList = input("cloudfront_prefix_list_id", v.settings.cloudfrontPrefixListId ?? null, {
    type: "string",
    description:
      "Managed prefix list com.amazonaws.global.cloudfront.origin-facing of this region (alb_ingress cloudfront), or null.",
    nullable: true,
  });
  albIngress.addValidation({
    condition: Op.or(Op.neq(albIngress.stringValue, "cloudfront"), Op.neq(prefixList.stringValue, NULL)),
    errorMessage:
      'alb_ingress "cloudfront" needs cloudfront_prefix_list_id (the id of com.amazonaws.global.cloudfront.origin-facing in this region).',
  });
  return {
    appPort,
    albIngress: albIngress.stringValue,
    cloudfrontPrefixListId: prefixList.stringValue,
  };
}

/** Declares every variable of the module, in the order of its variables block, and returns their tokens. */
export function networkInputs(input: InputFn, values: NetworkInputValues): NetworkVars {
  const subnets = subnetInputs(input, values);
  const natMode = natModeInput(input, values, subnets.publicSubnets);
  const endpointsAndFlowLogs = endpointAndFlowLogInputs(input, values);
  const alb = albInputs(input, values);
  return { ...subnets, natMode, ...endpointsAndFlowLogs, ...alb, ...natInstanceInputs(input, values) };
}
