/** Configuration of the network module (VPC, subnets, NAT, endpoints, flow logs): the `network` section of an environment. */
import { z } from "zod";
import {
  all,
  any,
  compare,
  EMPTY_LIST_TERM,
  EMPTY_MAP_TERM,
  isTrue,
  itemAt,
  items,
  knob,
  lengthOf,
  lit,
  local,
  member,
  not,
  when,
  type PresenceTable,
  type Term,
} from "../../lib/core/rules";
import type { Controls } from "../../lib/core/controls";
import { LOG_RETENTION_DAYS } from "../../lib/core/validations";

export const retentionDays = z
  .number()
  .int()
  .superRefine((v, ctx) => {
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(v)) {
      ctx.addIssue({
        code: "custom",
        message: `${v} is not a CloudWatch Logs retention value (one of ${LOG_RETENTION_DAYS.join(", ")})`,
      });
    }
  });

/** Interface (PrivateLink) endpoints the network module knows how to create. */
export const INTERFACE_ENDPOINTS = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "secretsmanager",
  "ssm",
  "ssmmessages",
  "sts",
  "kms",
] as const;

/** Where the network comes from: created here, or the account's default VPC (looked up, nothing created). */
export const NETWORK_MODES = ["dedicated", "default-vpc"] as const;

/**
 * How the root outputs `public_subnet_ids` and `private_subnet_ids` are shaped: a Terraform list, or one
 * comma-separated string (what a CloudFormation/SAM `List<AWS::EC2::Subnet::Id>` parameter takes, D120).
 */
export const SUBNET_ID_OUTPUTS = ["list", "comma-separated"] as const;

/** How private subnets reach the internet. */
export const NAT_MODES = ["none", "single", "one-per-az", "instance"] as const;
/** Graviton sizes a NAT instance may take (arm64 AMI): the smallest carry a development tier's egress. */
/** Amazon Linux 2023 arm64, resolved by EC2 at launch from AWS's public SSM parameter. */
export const NAT_INSTANCE_DEFAULT_AMI =
  "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
export const NAT_INSTANCE_TYPES = ["t4g.nano", "t4g.micro", "t4g.small"] as const;

/** Who may open connections to the ALB: anyone (`internet`) or CloudFront's origin-facing servers only. */
export const ALB_INGRESS = ["internet", "cloudfront"] as const;
/** What the network module may be told: one of ALB_INGRESS, or `none` when there is no load balancer (workers only). */
export const NETWORK_ALB_INGRESS = [...ALB_INGRESS, "none"] as const;

/** Name of the AWS-managed prefix list of CloudFront's origin-facing servers (IPv4). */
export const CLOUDFRONT_PREFIX_LIST_NAME = "com.amazonaws.global.cloudfront.origin-facing";
/**
 * Weight of that prefix list against the security-group rules quota: a rule that references it counts
 * as 55 rules (AWS VPC user guide, "AWS-managed prefix list weight"); the default quota is 60 inbound rules.
 */
export const CLOUDFRONT_PREFIX_LIST_WEIGHT = 55;
/** Condition values per ALB listener rule (ELB quota "Condition Values per Rule", not adjustable). */
export const ALB_RULE_CONDITION_VALUES = 5;
/** Default quota of inbound (and, separately, outbound) rules per security group. */
export const SG_RULES_QUOTA = 60;
/** The operator's look-up of the prefix list id (it differs per region). */
export const CLOUDFRONT_PREFIX_LIST_LOOKUP = `aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=${CLOUDFRONT_PREFIX_LIST_NAME} --query 'PrefixLists[0].PrefixListId' --output text`;

export const NetworkSchema = z
  .object({
    /**
     * Where the workload's network comes from: `dedicated` (this module creates the VPC and its subnets) or
     * `default-vpc` (the account's default VPC and its default subnets, looked up with data sources at plan time;
     * nothing of the VPC is created, only the tasks' security group: seed 004 option A, docs/decisions.md D118).
     * @default "dedicated"
     */
    mode: z.enum(NETWORK_MODES).default("dedicated").describe("dedicated | default-vpc"),
    /** VPC IPv4 block, /16 to /28. Required with mode `dedicated`; absent with `default-vpc`. Seeds 002–004 use 10.0.0.0/16. */
    vpcCidr: z.string().optional().describe("VPC IPv4 CIDR block, /16 to /28"),
    /**
     * Public subnets, one per availability zone, in the order of `availabilityZones`.
     * They hold the ALB and the NAT gateways. May be empty only with `natMode: "none"`.
     * @default []
     */
    publicSubnets: z.array(z.string()).default([]).describe("public subnet CIDRs, one per AZ (ALB, NAT)"),
    /**
     * Private subnets, one per availability zone (ECS tasks, Redis). May be empty only for a deployment whose
     * ECS work is one-off tasks in the public subnets with public IPs and no NAT (`natMode: "none"`, no cache,
     * no database, no services, no interface endpoints: seed 004 option B, D119).
     * @default []
     */
    privateSubnets: z.array(z.string()).default([]).describe("private subnet CIDRs, one per AZ (ECS tasks, cache)"),
    /**
     * Isolated database subnets, one per availability zone, with no route to the internet.
     * @default [] — databases then use the private subnets
     */
    databaseSubnets: z.array(z.string()).default([]).describe("isolated database subnet CIDRs, one per AZ, or none"),
    /**
     * NAT for private subnet egress: `none` (no internet from private subnets),
     * `single` (one gateway, in the first AZ), `one-per-az` (survives the loss of an AZ), or `instance`
     * (one EC2 NAT instance in the first AZ, `natInstance`; development tier only: no managed redundancy,
     * its OS is ours to patch — docs/decisions.md D100).
     * @default "single"
     */
    natMode: z.enum(NAT_MODES).default("single").describe("none | single | one-per-az | instance"),
    /** The NAT instance of `natMode: "instance"` (ignored otherwise). */
    natInstance: z
      .object({
        /**
         * The instance's image: an arm64 AMI id (`ami-…`) or `resolve:ssm:<parameter>`, which EC2 resolves when it
         * launches the instance (no lookup at plan time). Terraform ignores later changes of it (the resolved id
         * reads back different): a new image takes `terraform apply -replace='module.network.aws_instance.nat[0]'`.
         * @default "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" (Amazon Linux 2023, arm64)
         */
        ami: z
          .string()
          .regex(
            /^(ami-[0-9a-f]{8,17}|resolve:ssm:\/[A-Za-z0-9_./-]+)$/,
            "must be an AMI id like ami-0123456789abcdef0 or resolve:ssm:/<parameter>",
          )
          .default(NAT_INSTANCE_DEFAULT_AMI),
        /** Graviton instance type. @default "t4g.nano" */
        instanceType: z.enum(NAT_INSTANCE_TYPES).default("t4g.nano"),
      })
      .strict()
      .prefault({}),
    /**
     * Interface endpoints to create in the private subnets (each costs per AZ-hour).
     * @default []
     */
    interfaceEndpoints: z
      .array(z.enum(INTERFACE_ENDPOINTS))
      .default([])
      .describe("PrivateLink endpoints: ecr.api, ecr.dkr, logs, secretsmanager, ssm, ssmmessages, sts, kms"),
    flowLogs: z
      .object({
        /** VPC flow logs to CloudWatch Logs. @default false */
        enabled: z.boolean().default(false),
        /** Retention of the flow log group, a CloudWatch Logs value. @default 30 */
        retentionDays: retentionDays.default(30),
        /** ACCEPT, REJECT or ALL traffic. @default "ALL" */
        trafficType: z.enum(["ACCEPT", "REJECT", "ALL"]).default("ALL"),
      })
      .default({ enabled: false, retentionDays: 30, trafficType: "ALL" })
      .describe("VPC flow logs"),
    /**
     * Who may reach the ALB. Ignored without a web service: then nothing is opened (no load balancer). `internet`: 80 and 443 from 0.0.0.0/0. `cloudfront`: 443 only from CloudFront's
     * origin-facing managed prefix list (`cloudfrontPrefixListId`), and the HTTPS listener answers 403 unless
     * the request carries the secret origin header CloudFront adds (docs/decisions.md, D51). Needs `cdn.enabled`
     * and `compute.certificateArn`; a production-like environment with CloudFront must use it.
     * @default "internet"
     */
    albIngress: z.enum(ALB_INGRESS).default("internet").describe("internet | cloudfront"),
    /**
     * Id of the managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in this workspace's region
     * (the id differs per region; config, because a data source would need AWS credentials at every plan).
     * Look it up with:
     * `aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing --query 'PrefixLists[0].PrefixListId' --output text`
     * The rule that references it counts as 55 of the group's 60 inbound rules, so the ALB group holds nothing else.
     * Required with `albIngress: "cloudfront"`. @default none
     */
    cloudfrontPrefixListId: z
      .string()
      .regex(/^pl-[0-9a-f]{8,17}$/, "must be a managed prefix list id such as pl-3b927c52")
      .optional(),
    /**
     * Shape of the root outputs `public_subnet_ids` and `private_subnet_ids`: `list` (a Terraform list,
     * `terraform output -json`) or `comma-separated` (one string, `terraform output -raw`, what
     * `sam deploy --parameter-overrides` takes for a subnet list parameter, D120).
     * @default "list"
     */
    subnetIdsOutput: z.enum(SUBNET_ID_OUTPUTS).default("list").describe("list | comma-separated"),
  })
  .strict();

export type NetworkConfig = z.output<typeof NetworkSchema>;

/** Controls of the policy gate this section may switch off in a development-tier environment (lib/core/controls.ts). */
export const NETWORK_CONTROLS: Controls<{ network: NetworkConfig }> = {
  "vpc-flow-logs": {
    switch: "network.flowLogs.enabled",
    isOff: (env) => !env.network.flowLogs.enabled,
    present: (env) => env.network.mode !== "default-vpc",
  },
};

const FLOW_LOGS_ON = { when: isTrue("enable_flow_logs") };

const NAT_MODE = (mode: string) => compare("nat_mode", "==", lit(mode));

/**
 * The module's switch locals (D211), written from here (module-stack.ts `declaredLocal`) and read by the policy gate:
 * the AZs that get a NAT gateway; 1 when the NAT is an EC2 instance (D100).
 */
export const NETWORK_LOCALS: Readonly<Record<string, Term>> = {
  nat_azs: when(
    not(isTrue("enable_nat")),
    EMPTY_LIST_TERM,
    when(NAT_MODE("one-per-az"), knob("azs"), when(NAT_MODE("single"), items(itemAt("azs", 0)), EMPTY_LIST_TERM)),
  ),
  nat_instance: when(all(isTrue("enable_nat"), NAT_MODE("instance")), 1, 0),
};
const NAT_GATEWAYS = { each: local("nat_azs") };
const NAT_INSTANCE = { count: local("nat_instance") };
const PRIVATE_SUBNETS = local("private_subnets_by_az");

const PUBLIC = { when: compare(lengthOf("public_subnets"), ">", 0) };
const ENDPOINTS = { when: compare(lengthOf("interface_endpoints"), ">", 0) };
const FROM_INTERNET = { when: compare("alb_ingress", "==", lit("internet")) };

/**
 * Which of the module's resources exist, over its inputs (D211): the flow log, its key, group and role with flow logs
 * on; the internet gateway and public routing with public subnets; the database route table with database subnets;
 * the ALB's inbound rules after `alb_ingress`; the endpoints' group with interface endpoints.
 */
export const NETWORK_PRESENCE: PresenceTable = {
  aws_internet_gateway: { this: PUBLIC },
  aws_route_table: { public: PUBLIC, database: { when: compare(lengthOf("database_subnets"), ">", 0) } },
  aws_route: {
    public_internet: PUBLIC,
    private_nat: {
      each: when(
        any(member("nat_mode", { kind: "list", values: ["none", "instance"] }), not(isTrue("enable_nat"))),
        EMPTY_MAP_TERM,
        PRIVATE_SUBNETS,
      ),
      map: true,
    },
    private_nat_instance: {
      each: when(compare(local("nat_instance"), "==", 1), PRIVATE_SUBNETS, EMPTY_MAP_TERM),
      map: true,
    },
  },
  aws_eip: { nat: NAT_GATEWAYS },
  aws_nat_gateway: { this: NAT_GATEWAYS },
  aws_instance: { nat: NAT_INSTANCE },
  aws_vpc_endpoint: { interface: { each: knob("interface_endpoints") } },
  aws_security_group: { endpoints: ENDPOINTS, nat_instance: NAT_INSTANCE },
  aws_vpc_security_group_ingress_rule: {
    alb_http_from_internet: FROM_INTERNET,
    alb_https_from_internet: FROM_INTERNET,
    alb_https_from_cloudfront: { when: compare("alb_ingress", "==", lit("cloudfront")) },
    endpoints_https_from_vpc: ENDPOINTS,
    nat_instance_https_from_vpc: NAT_INSTANCE,
  },
  aws_vpc_security_group_egress_rule: { nat_instance_https_out: NAT_INSTANCE },
  aws_flow_log: { this: FLOW_LOGS_ON },
  aws_kms_key: { flow_logs: FLOW_LOGS_ON },
  aws_cloudwatch_log_group: { flow_logs: FLOW_LOGS_ON },
  aws_iam_role: { flow_logs: FLOW_LOGS_ON },
  aws_iam_role_policy: { flow_logs: FLOW_LOGS_ON },
};
