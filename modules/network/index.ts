/**
 * network — the VPC every other module lives in.
 *
 * Owns: VPC, public / private / database subnets (one per AZ), internet gateway, NAT gateways,
 * route tables, the S3 gateway endpoint, optional interface endpoints, VPC flow logs (with their
 * own KMS key), the locked-down default security group and the tier security groups `alb` and `app`.
 * The app group lives here (not in compute) so the cache and database can admit it without
 * depending on compute — seed 000 §5.2 applies `module.cache` before `module.compute`.
 *
 * Per-AZ resources use `for_each` keyed by AZ name, so adding or removing an AZ never renumbers
 * the others, and the module's resource addresses are the same in every workspace.
 *
 * Depends on: nothing but root values (it is applied first).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformLocal } from "cdktf";
import type { Construct } from "constructs";
import {
  allowCidrEgress,
  allowCidrIngress,
  allowFrom,
  securityGroup,
  type GroupRef,
} from "../../lib/constructs/access";
import { hclExpression } from "../../lib/core/hcl";
import { counted, expr, forEachOf, ModuleStack, named } from "../../lib/core/module-stack";
import { retentionValidation } from "../../lib/core/validations";
import { INTERFACE_ENDPOINTS, NAT_INSTANCE_DEFAULT_AMI, NAT_MODES, NETWORK_ALB_INGRESS } from "./config";
import { logsKey } from "../security/kms";

export interface NetworkProps {
  /** Name prefix for every resource, e.g. `<project>-production` (may be a root token). */
  readonly name: string;
  /** AWS region, for endpoint service names. */
  readonly region: string;
  /** VPC IPv4 block. */
  readonly vpcCidr: string;
  /** Availability zones, in order; subnet lists follow this order. */
  readonly azs: readonly string[];
  /** Public subnets, one per AZ. @default [] (no internet gateway, no ALB subnets) */
  readonly publicSubnets?: readonly string[];
  /** Private subnets, one per AZ. */
  readonly privateSubnets: readonly string[];
  /** Isolated database subnets, one per AZ. @default [] */
  readonly databaseSubnets?: readonly string[];
  /** `none`, `single`, `one-per-az` or `instance`. @default "single" */
  readonly natMode?: (typeof NAT_MODES)[number];
  /** AMI and type of the NAT instance (`natMode: "instance"`). */
  readonly natInstance?: { readonly ami: string; readonly instanceType: string };
  /** Interface endpoints in the private subnets. @default [] */
  readonly interfaceEndpoints?: readonly string[];
  /** VPC flow logs to CloudWatch Logs. @default false */
  readonly enableFlowLogs?: boolean;
  /** Flow log retention in days. @default 30 */
  readonly flowLogRetentionDays?: number;
  /** Account id: the policy of the flow log key names it. */
  readonly accountId: string;
  /** Deletion window of the flow log key, in days. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /** prevent_destroy on the flow log key (each workspace synthesizes its own module files). @default false */
  readonly preventDestroy?: boolean;
  /** `ACCEPT`, `REJECT` or `ALL`. @default "ALL" */
  readonly flowLogTrafficType?: string;
  /** Port the application listens on (ALB → app). @default 8000 */
  readonly appPort?: number;
  /** NAT gateways exist (false while the environment is stopped: they bill by the hour). @default true */
  readonly enableNat?: unknown;
  /** `internet` (80/443 from anywhere) or `cloudfront` (443 from CloudFront's origin-facing prefix list only). @default "internet" */
  readonly albIngress?: (typeof NETWORK_ALB_INGRESS)[number];
  /** Id of `com.amazonaws.global.cloudfront.origin-facing` in this region; required with `cloudfront`. @default none */
  readonly cloudfrontPrefixListId?: string;
}

export class NetworkModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: NetworkProps) {
    super(scope, workspace, "network");

    const name = this.input("name", props.name, {
      type: "string",
      description: "Name prefix for every resource.",
    }).stringValue;
    const region = this.input("region", props.region, {
      type: "string",
      description: "AWS region (endpoint service names).",
    }).stringValue;
    this.input("vpc_cidr", props.vpcCidr, {
      type: "string",
      description: "VPC IPv4 CIDR block.",
      validations: [
        {
          condition: "can(cidrnetmask(var.vpc_cidr))",
          errorMessage: "vpc_cidr must be an IPv4 CIDR block such as 10.0.0.0/16.",
        },
      ],
    });
    this.input("azs", props.azs, {
      type: "list(string)",
      description: "Availability zones, in order. Subnet lists follow this order.",
      validations: [
        {
          condition: "length(var.azs) >= 2",
          errorMessage: "azs needs at least 2 availability zones (an ALB spans 2).",
        },
        {
          condition: "length(distinct(var.azs)) == length(var.azs)",
          errorMessage: "azs lists an availability zone twice.",
        },
      ],
    });
    this.input("public_subnets", props.publicSubnets, {
      type: "list(string)",
      description: "Public subnet CIDRs, one per AZ (ALB, NAT gateways). Empty for none.",
      default: [],
      validations: [
        {
          condition: "length(var.public_subnets) == 0 || length(var.public_subnets) == length(var.azs)",
          errorMessage: "public_subnets needs one subnet per availability zone, or none.",
        },
      ],
    });
    // No private subnets (seed 004 option B, D119): one-off tasks in the public subnets with public IPs, no NAT.
    const noPrivate = props.privateSubnets.length === 0;
    this.input("private_subnets", props.privateSubnets, {
      type: "list(string)",
      description: "Private subnet CIDRs, one per AZ (ECS tasks, cache).",
      validations: [
        noPrivate
          ? {
              condition: "length(var.private_subnets) == 0 || length(var.private_subnets) == length(var.azs)",
              errorMessage: "private_subnets needs one subnet per availability zone, or none.",
            }
          : {
              condition: "length(var.private_subnets) == length(var.azs)",
              errorMessage: "private_subnets needs one subnet per availability zone.",
            },
      ],
    });
    this.input("database_subnets", props.databaseSubnets, {
      type: "list(string)",
      description: "Isolated database subnet CIDRs, one per AZ (no internet route). Empty for none.",
      default: [],
      validations: [
        {
          condition: "length(var.database_subnets) == 0 || length(var.database_subnets) == length(var.azs)",
          errorMessage: "database_subnets needs one subnet per availability zone, or none.",
        },
      ],
    });
    this.input("nat_mode", props.natMode, {
      type: "string",
      description:
        "NAT: none, single (gateway in the first AZ), one-per-az (gateways) or instance (EC2 NAT instance in the first AZ).",
      default: "single",
      validations: [
        {
          condition: `contains(${hclExpression(NAT_MODES)}, var.nat_mode)`,
          errorMessage: `nat_mode must be one of ${NAT_MODES.join(", ")}.`,
        },
        {
          condition: 'var.nat_mode == "none" || length(var.public_subnets) > 0',
          errorMessage:
            'nat_mode "${var.nat_mode}" needs public_subnets to hold the NAT gateways, got none (use "none" or add one public subnet per AZ).',
        },
      ],
    });
    this.input("interface_endpoints", props.interfaceEndpoints, {
      type: "list(string)",
      description: `Interface endpoints to create in the private subnets: ${INTERFACE_ENDPOINTS.join(", ")}.`,
      default: [],
      validations: [
        {
          condition: `length(setsubtract(var.interface_endpoints, ${hclExpression(INTERFACE_ENDPOINTS)})) == 0`,
          errorMessage: `interface_endpoints may only contain ${INTERFACE_ENDPOINTS.join(", ")}.`,
        },
      ],
    });
    this.input("enable_flow_logs", props.enableFlowLogs, {
      type: "bool",
      description: "VPC flow logs to CloudWatch Logs.",
      default: false,
    });
    const retention = this.input("flow_log_retention_days", props.flowLogRetentionDays, {
      type: "number",
      description: "Retention of the flow log group, in days.",
      default: 30,
      validations: [retentionValidation("flow_log_retention_days")],
    }).numberValue;
    const account = this.input("account_id", props.accountId, {
      type: "string",
      description: "AWS account id (policy of the flow log key).",
    }).stringValue;
    const deletionWindow = this.input("kms_deletion_window_days", props.kmsDeletionWindowDays, {
      type: "number",
      description: "Deletion window of the flow log key, in days.",
      default: 30,
    }).numberValue;
    const trafficType = this.input("flow_log_traffic_type", props.flowLogTrafficType, {
      type: "string",
      description: "Traffic the flow logs capture: ACCEPT, REJECT or ALL.",
      default: "ALL",
      validations: [
        {
          condition: 'contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)',
          errorMessage: "flow_log_traffic_type must be ACCEPT, REJECT or ALL.",
        },
      ],
    }).stringValue;
    const appPort = this.input("app_port", props.appPort, {
      type: "number",
      description: "Port the application containers listen on.",
      default: 8000,
      validations: [
        {
          condition: "var.app_port >= 1 && var.app_port <= 65535",
          errorMessage: "app_port must be a TCP port (1-65535).",
        },
      ],
    }).numberValue;

    this.input("alb_ingress", props.albIngress, {
      type: "string",
      description:
        "Who reaches the ALB: internet (80/443 from anywhere), cloudfront (443 from CloudFront's origin-facing prefix list only) or none (no load balancer: nothing opened).",
      default: "internet",
      validations: [
        {
          condition: `contains(${hclExpression(NETWORK_ALB_INGRESS)}, var.alb_ingress)`,
          errorMessage: `alb_ingress must be one of ${NETWORK_ALB_INGRESS.join(", ")}.`,
        },
        {
          condition: 'var.alb_ingress != "cloudfront" || var.cloudfront_prefix_list_id != null',
          errorMessage:
            'alb_ingress "cloudfront" needs cloudfront_prefix_list_id (the id of com.amazonaws.global.cloudfront.origin-facing in this region).',
        },
      ],
    });
    this.input("cloudfront_prefix_list_id", props.cloudfrontPrefixListId ?? null, {
      type: "string",
      description:
        "Managed prefix list com.amazonaws.global.cloudfront.origin-facing of this region (alb_ingress cloudfront), or null.",
      default: null,
      nullable: true,
    });

    const byAz = (list: string) => `{ for i, cidr in var.${list} : var.azs[i] => cidr }`;
    new TerraformLocal(this, "public_subnets_by_az", expr(byAz("public_subnets")));
    new TerraformLocal(this, "private_subnets_by_az", expr(byAz("private_subnets")));
    new TerraformLocal(this, "database_subnets_by_az", expr(byAz("database_subnets")));
    this.input("enable_nat", props.enableNat, {
      type: "bool",
      description: "NAT gateways exist (false while the environment is stopped).",
      default: true,
    });
    new TerraformLocal(
      this,
      "nat_azs",
      expr(
        '!var.enable_nat ? [] : (var.nat_mode == "one-per-az" ? var.azs : (var.nat_mode == "single" ? [var.azs[0]] : []))',
      ),
    );
    this.input("nat_instance_ami", props.natInstance?.ami ?? NAT_INSTANCE_DEFAULT_AMI, {
      type: "string",
      description: "Image of the NAT instance (nat_mode instance): an arm64 AMI id or resolve:ssm:<parameter>.",
      default: NAT_INSTANCE_DEFAULT_AMI,
    });
    this.input("nat_instance_type", props.natInstance?.instanceType ?? "t4g.nano", {
      type: "string",
      description: "Instance type of the NAT instance (nat_mode instance).",
      default: "t4g.nano",
    });
    new TerraformLocal(this, "nat_instance", expr('var.enable_nat && var.nat_mode == "instance" ? 1 : 0'));

    // --- VPC and the default security group, stripped of every rule ---------------------------
    const vpc = named(
      new Vpc(this, "vpc", {
        cidrBlock: expr("var.vpc_cidr"),
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { Name: `${name}-vpc` },
      }),
      "this",
    );
    named(
      new DefaultSecurityGroup(this, "default_sg", {
        vpcId: vpc.id,
        // No ingress or egress blocks: Terraform removes every rule AWS put in the default group.
        tags: { Name: `${name}-default-deny` },
      }),
      "this",
    );

    // --- Public tier: IGW, subnets, one route table -------------------------------------------
    const igw = named(new InternetGateway(this, "igw", { vpcId: vpc.id, tags: { Name: `${name}-igw` } }), "this");
    counted(igw, "length(var.public_subnets) > 0 ? 1 : 0");

    const publicSubnet = named(
      new Subnet(this, "public_subnet", {
        vpcId: vpc.id,
        availabilityZone: expr("each.key"),
        cidrBlock: expr("each.value"),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-\${each.key}`, Tier: "public" },
      }),
      "public",
    );
    forEachOf(publicSubnet, "local.public_subnets_by_az");

    const publicRt = named(
      new RouteTable(this, "public_rt", { vpcId: vpc.id, tags: { Name: `${name}-public` } }),
      "public",
    );
    counted(publicRt, "length(var.public_subnets) > 0 ? 1 : 0");
    const internetRoute = new Route(this, "public_internet", {
      routeTableId: expr("aws_route_table.public[0].id"),
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: expr("aws_internet_gateway.this[0].id"),
    });
    counted(internetRoute, "length(var.public_subnets) > 0 ? 1 : 0");
    const publicAssoc = named(
      new RouteTableAssociation(this, "public_rta", {
        subnetId: expr("aws_subnet.public[each.key].id"),
        routeTableId: expr("aws_route_table.public[0].id"),
      }),
      "public",
    );
    forEachOf(publicAssoc, "local.public_subnets_by_az");

    // --- NAT: none, one in the first AZ, or one per AZ ---------------------------------------
    const eip = new Eip(this, "nat", { domain: "vpc", tags: { Name: `${name}-nat-\${each.key}` } });
    forEachOf(eip, "toset(local.nat_azs)");
    const nat = named(
      new NatGateway(this, "nat_gateway", {
        allocationId: expr("aws_eip.nat[each.key].id"),
        subnetId: expr("aws_subnet.public[each.key].id"),
        tags: { Name: `${name}-nat-\${each.key}` },
        dependsOn: [igw],
      }),
      "this",
    );
    forEachOf(nat, "toset(local.nat_azs)");

    // --- Private tier: one route table per AZ so each AZ can use its own NAT -----------------
    const privateSubnet = named(
      new Subnet(this, "private_subnet", {
        vpcId: vpc.id,
        availabilityZone: expr("each.key"),
        cidrBlock: expr("each.value"),
        tags: { Name: `${name}-private-\${each.key}`, Tier: "private" },
      }),
      "private",
    );
    forEachOf(privateSubnet, "local.private_subnets_by_az");
    const privateRt = named(
      new RouteTable(this, "private_rt", { vpcId: vpc.id, tags: { Name: `${name}-private-\${each.key}` } }),
      "private",
    );
    forEachOf(privateRt, "local.private_subnets_by_az");
    const natRoute = new Route(this, "private_nat", {
      routeTableId: expr("aws_route_table.private[each.key].id"),
      destinationCidrBlock: "0.0.0.0/0",
      natGatewayId: expr('aws_nat_gateway.this[var.nat_mode == "one-per-az" ? each.key : var.azs[0]].id'),
    });
    forEachOf(
      natRoute,
      'contains(["none", "instance"], var.nat_mode) || !var.enable_nat ? {} : local.private_subnets_by_az',
    );

    // --- NAT instance (nat_mode instance, development tier, D100) -----------------------------
    // One Graviton instance in the first public subnet forwards the private subnets' HTTPS to the
    // internet (the app's external AI APIs): source/destination check off, IMDSv2 only, encrypted root
    // volume, no instance profile and no inbound from outside the VPC. Its security group takes HTTPS
    // from the VPC and sends HTTPS out, nothing else (policy sg-no-world-egress).
    const natSg = securityGroup(
      this,
      "nat_instance",
      `${name}-nat-instance`,
      "NAT instance: HTTPS from inside the VPC, HTTPS to the internet",
      vpc.id,
    );
    counted(natSg, "local.nat_instance");
    const natSgRef = { name: "nat_instance", id: expr("aws_security_group.nat_instance[0].id") };
    counted(
      allowCidrIngress(
        this,
        natSgRef,
        "https_from_vpc",
        vpc.cidrBlock,
        443,
        "HTTPS from the private subnets, forwarded to the internet",
      ),
      "local.nat_instance",
    );
    counted(
      allowCidrEgress(
        this,
        natSgRef,
        "https_out",
        "0.0.0.0/0",
        443,
        "HTTPS to the internet (forwarded traffic and OS packages)",
      ),
      "local.nat_instance",
    );
    const natInstance = named(
      new Instance(this, "nat_instance_ec2", {
        ami: expr("var.nat_instance_ami"),
        instanceType: expr("var.nat_instance_type"),
        subnetId: expr("aws_subnet.public[var.azs[0]].id"),
        associatePublicIpAddress: true,
        sourceDestCheck: false,
        vpcSecurityGroupIds: [expr("aws_security_group.nat_instance[0].id")],
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8 },
        userDataReplaceOnChange: true,
        userData: [
          "#!/bin/bash",
          "set -euo pipefail",
          "dnf install -y iptables-services",
          "systemctl enable --now iptables",
          "echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf",
          "sysctl -p /etc/sysctl.d/90-nat.conf",
          "IFACE=$(ip route show default | awk '{print $5; exit}')",
          'iptables -t nat -A POSTROUTING -o "$IFACE" -s ${var.vpc_cidr} -j MASQUERADE',
          "iptables -F FORWARD",
          "iptables-save > /etc/sysconfig/iptables",
          "",
        ].join("\n"),
        tags: { Name: `${name}-nat-instance` },
        // The boot script installs packages from the internet: its subnet must already route to the
        // internet gateway (the route and the subnet's association), or `dnf install` fails, `set -e`
        // stops the script and the instance never forwards (no NAT for the private subnets).
        dependsOn: [igw, internetRoute, publicAssoc],
        // `resolve:ssm:` reads back as the AMI id it resolved to: without this every plan would replace the instance.
        lifecycle: { ignoreChanges: ["ami"] },
      }),
      "nat",
    );
    counted(natInstance, "local.nat_instance");
    const natInstanceRoute = new Route(this, "private_nat_instance", {
      routeTableId: expr("aws_route_table.private[each.key].id"),
      destinationCidrBlock: "0.0.0.0/0",
      networkInterfaceId: expr("aws_instance.nat[0].primary_network_interface_id"),
    });
    forEachOf(natInstanceRoute, "local.nat_instance == 1 ? local.private_subnets_by_az : {}");
    const privateAssoc = named(
      new RouteTableAssociation(this, "private_rta", {
        subnetId: expr("aws_subnet.private[each.key].id"),
        routeTableId: expr("aws_route_table.private[each.key].id"),
      }),
      "private",
    );
    forEachOf(privateAssoc, "local.private_subnets_by_az");

    // --- Database tier: isolated, no route to the internet ------------------------------------
    const dbSubnet = named(
      new Subnet(this, "database_subnet", {
        vpcId: vpc.id,
        availabilityZone: expr("each.key"),
        cidrBlock: expr("each.value"),
        tags: { Name: `${name}-database-\${each.key}`, Tier: "database" },
      }),
      "database",
    );
    forEachOf(dbSubnet, "local.database_subnets_by_az");
    const dbRt = named(
      new RouteTable(this, "database_rt", { vpcId: vpc.id, tags: { Name: `${name}-database` } }),
      "database",
    );
    counted(dbRt, "length(var.database_subnets) > 0 ? 1 : 0");
    const dbAssoc = named(
      new RouteTableAssociation(this, "database_rta", {
        subnetId: expr("aws_subnet.database[each.key].id"),
        routeTableId: expr("aws_route_table.database[0].id"),
      }),
      "database",
    );
    forEachOf(dbAssoc, "local.database_subnets_by_az");

    // --- Endpoints: S3 gateway (free) always; interface endpoints on demand ---------------------
    new VpcEndpoint(this, "s3", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      // Without private subnets the tasks sit in the public ones: S3 traffic takes the endpoint from there.
      routeTableIds: expr(
        noPrivate
          ? "concat(values(aws_route_table.private)[*].id, aws_route_table.database[*].id, aws_route_table.public[*].id)"
          : "concat(values(aws_route_table.private)[*].id, aws_route_table.database[*].id)",
      ) as unknown as string[],
      tags: { Name: `${name}-s3` },
    });

    const endpointsSg = securityGroup(
      this,
      "endpoints",
      `${name}-endpoints`,
      "Interface VPC endpoints: HTTPS from inside the VPC only",
      vpc.id,
    );
    counted(endpointsSg, "length(var.interface_endpoints) > 0 ? 1 : 0");
    const endpointsIngress = allowCidrIngress(
      this,
      { name: "endpoints", id: expr("aws_security_group.endpoints[0].id") },
      "https_from_vpc",
      vpc.cidrBlock,
      443,
      "HTTPS from the VPC to the interface endpoints",
    );
    counted(endpointsIngress, "length(var.interface_endpoints) > 0 ? 1 : 0");
    const interfaceEndpoint = new VpcEndpoint(this, "interface", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${region}.\${each.key}`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: expr("values(aws_subnet.private)[*].id") as unknown as string[],
      securityGroupIds: [expr("aws_security_group.endpoints[0].id")],
      tags: { Name: `${name}-\${each.key}` },
    });
    forEachOf(interfaceEndpoint, "toset(var.interface_endpoints)");

    // --- Flow logs -----------------------------------------------------------------------------
    // The flow log group gets a key of its own: the security module's keys would make network
    // depend on security, and DESIGN.md §3 deploys network first (docs/decisions.md, D9).
    logsKey(this, "flow_logs", {
      description: `VPC flow logs key of ${name}`,
      context: { account, region, name },
      deletionWindowInDays: deletionWindow,
      count: "var.enable_flow_logs ? 1 : 0",
      preventDestroy: props.preventDestroy ?? false,
    });
    const flowLogGroup = named(
      new CloudwatchLogGroup(this, "flow_logs_group", {
        name: `/vpc/${name}/flow-logs`,
        retentionInDays: retention,
        kmsKeyId: expr("aws_kms_key.flow_logs[0].arn"),
      }),
      "flow_logs",
    );
    counted(flowLogGroup, "var.enable_flow_logs ? 1 : 0");
    const flowRole = named(
      new IamRole(this, "flow_logs_role", {
        name: `${name}-vpc-flow-logs`,
        description: "Lets VPC Flow Logs write to its CloudWatch log group",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      }),
      "flow_logs",
    );
    counted(flowRole, "var.enable_flow_logs ? 1 : 0");
    const flowPolicy = named(
      new IamRolePolicy(this, "flow_logs_policy", {
        name: "write-flow-logs",
        role: expr("aws_iam_role.flow_logs[0].id"),
        policy: expr(
          'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", ' +
            'Action = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], ' +
            'Resource = ["${aws_cloudwatch_log_group.flow_logs[0].arn}:*"] }] })',
        ),
      }),
      "flow_logs",
    );
    counted(flowPolicy, "var.enable_flow_logs ? 1 : 0");
    const flowLog = named(
      new FlowLog(this, "flow_log", {
        vpcId: vpc.id,
        trafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: expr("aws_cloudwatch_log_group.flow_logs[0].arn"),
        iamRoleArn: expr("aws_iam_role.flow_logs[0].arn"),
        maxAggregationInterval: 60,
        tags: { Name: `${name}-flow-logs` },
      }),
      "this",
    );
    counted(flowLog, "var.enable_flow_logs ? 1 : 0");

    // --- Tier security groups --------------------------------------------------------------------
    const albSg = securityGroup(
      this,
      "alb",
      `${name}-alb`,
      "Application load balancer: HTTP/HTTPS from the internet, to the app tier only",
      vpc.id,
    );
    const appSg = securityGroup(
      this,
      "app",
      `${name}-app`,
      "Application tasks: the app port from the ALB; HTTPS out",
      vpc.id,
    );
    const alb: GroupRef = { name: "alb", id: albSg.id };
    const app: GroupRef = { name: "app", id: appSg.id };
    // alb_ingress "internet": 80 and 443 from anywhere. "cloudfront": 443 from CloudFront's origin-facing servers
    // only. That prefix list weighs 55 of the group's 60 inbound rules, so it gets one rule (443) and nothing else.
    const fromInternet = 'var.alb_ingress == "internet" ? 1 : 0';
    counted(
      allowCidrIngress(
        this,
        alb,
        "http_from_internet",
        "0.0.0.0/0",
        80,
        "HTTP from the internet (redirected to HTTPS when a certificate is configured)",
      ),
      fromInternet,
    );
    counted(
      allowCidrIngress(this, alb, "https_from_internet", "0.0.0.0/0", 443, "HTTPS from the internet"),
      fromInternet,
    );
    counted(
      new VpcSecurityGroupIngressRule(this, "alb_https_from_cloudfront", {
        securityGroupId: alb.id,
        prefixListId: expr("var.cloudfront_prefix_list_id"),
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS from CloudFront's origin-facing servers only (managed prefix list)",
      }),
      'var.alb_ingress == "cloudfront" ? 1 : 0',
    );
    // One-off tasks without a load balancer or private subnets (D119) take no inbound traffic at all.
    if (!(noPrivate && props.albIngress === "none"))
      allowFrom(this, app, alb, appPort, "Application port from the load balancer");
    allowCidrEgress(
      this,
      app,
      "https_out",
      "0.0.0.0/0",
      443,
      noPrivate
        ? "HTTPS to AWS APIs and external AI APIs (through the internet gateway: the tasks have public IPs)"
        : "HTTPS to AWS APIs and external AI APIs (through the NAT gateway)",
    );

    // --- Outputs -----------------------------------------------------------------------------------
    this.output("vpc_id", vpc.id, "ID of the VPC.");
    this.output("vpc_cidr_block", vpc.cidrBlock, "IPv4 block of the VPC.");
    this.output("azs", expr("var.azs"), "Availability zones, in subnet order.");
    this.output(
      "public_subnet_ids",
      expr("[for az in var.azs : aws_subnet.public[az].id if contains(keys(local.public_subnets_by_az), az)]"),
      "Public subnet IDs, in AZ order.",
    );
    this.output(
      "private_subnet_ids",
      expr(
        noPrivate
          ? "[for az in var.azs : aws_subnet.private[az].id if contains(keys(local.private_subnets_by_az), az)]"
          : "[for az in var.azs : aws_subnet.private[az].id]",
      ),
      noPrivate ? "Private subnet IDs, in AZ order (empty when there are none)." : "Private subnet IDs, in AZ order.",
    );
    this.output(
      "database_subnet_ids",
      expr("[for az in var.azs : aws_subnet.database[az].id if contains(keys(local.database_subnets_by_az), az)]"),
      "Database subnet IDs, in AZ order (empty when there are none).",
    );
    this.output(
      "private_route_table_ids",
      expr(
        noPrivate
          ? "[for az in var.azs : aws_route_table.private[az].id if contains(keys(local.private_subnets_by_az), az)]"
          : "[for az in var.azs : aws_route_table.private[az].id]",
      ),
      "Private route table IDs, in AZ order.",
    );
    this.output(
      "nat_public_ips",
      expr("concat([for az in local.nat_azs : aws_eip.nat[az].public_ip], aws_instance.nat[*].public_ip)"),
      "Public IPs of the NAT gateways or the NAT instance (allow-list them at external APIs; the instance's changes when it is stopped).",
    );
    this.output("alb_security_group_id", albSg.id, "Security group of the application load balancer.");
    this.output("app_security_group_id", appSg.id, "Security group of the application tasks (ECS).");
    this.output(
      "default_security_group_id",
      expr("aws_default_security_group.this.id"),
      "The VPC's default security group, left without rules.",
    );
    this.output(
      "flow_log_group_name",
      expr("one(aws_cloudwatch_log_group.flow_logs[*].name)"),
      "Flow log group, or null when flow logs are off.",
    );
  }
}
