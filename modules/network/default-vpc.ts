/**
 * network, `mode: "default-vpc"` — the account's default VPC instead of a dedicated one (seed 004 option A).
 *
 * Owns: only the tasks' security group (no inbound, HTTPS out) inside the default VPC. The VPC and its
 * default subnets (one per availability zone, public, with a route to the internet gateway) are AWS's
 * and are read at plan time with data sources (`data.aws_vpc.default`, `data.aws_subnets.default`):
 * nothing of the VPC is created, changed or destroyed here (docs/decisions.md D118).
 *
 * Outputs the same names as the dedicated network module, so the modules and root outputs that read
 * `module.network` work unchanged: `private_subnet_ids` and `database_subnet_ids` are empty (the default
 * VPC has none), `alb_security_group_id` is null (no load balancer in this mode).
 *
 * Depends on: nothing but root values; needs AWS credentials at plan time (the data sources).
 */
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import type { Construct } from "constructs";
import { allowCidrEgress, securityGroup } from "../../lib/constructs/access";
import { ModuleStack, named } from "../../lib/core/module-stack";
import { EMPTY_LIST, NULL } from "../../lib/core/tokens";
import { Fn, Op } from "cdktf";

export interface DefaultVpcNetworkProps {
  /** Name prefix, e.g. `<project>-dev`. */
  readonly name: string;
  /** Availability zones whose default subnets the tasks may use, in order. */
  readonly azs: readonly string[];
}

export class DefaultVpcNetworkModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: DefaultVpcNetworkProps) {
    super(scope, workspace, "network");
    const name = this.input("name", props.name, {
      type: "string",
      description: "Name prefix for every resource.",
    }).stringValue;
    const azs = this.input("azs", props.azs, {
      type: "list(string)",
      description: "Availability zones whose default subnets are used.",
    });
    azs.addValidation({
      condition: Op.gte(Fn.lengthOf(azs.listValue), 1),
      errorMessage: "azs needs at least 1 availability zone.",
    });

    const vpc = named(new DataAwsVpc(this, "default_vpc", { default: true }), "default");
    // Default subnets: one per AZ, public (map_public_ip_on_launch), routed to the default internet gateway.
    const subnets = named(
      new DataAwsSubnets(this, "default_subnets", {
        filter: [
          { name: "vpc-id", values: [vpc.id] },
          { name: "default-for-az", values: ["true"] },
          { name: "availability-zone", values: azs.listValue },
        ],
      }),
      "default",
    );

    const appSg = securityGroup(
      this,
      "app",
      `${name}-app`,
      "ECS tasks: no inbound; HTTPS to AWS APIs and external AI APIs",
      vpc.id,
    );
    allowCidrEgress(
      this,
      { name: "app", id: appSg.id },
      "https_out",
      "0.0.0.0/0",
      443,
      "HTTPS to AWS APIs and external AI APIs (through the default internet gateway: the tasks have public IPs)",
    );

    this.output("vpc_id", vpc.id, "ID of the account's default VPC (looked up).");
    this.output("vpc_cidr_block", vpc.cidrBlock, "IPv4 block of the default VPC.");
    this.output("azs", azs.listValue, "Availability zones whose default subnets are used.");
    this.output(
      "public_subnet_ids",
      Fn.sort(subnets.ids),
      "Default subnets of the default VPC in those zones (public; sorted by id).",
    );
    this.output("private_subnet_ids", EMPTY_LIST, "None: the default VPC has no private subnets.");
    this.output("database_subnet_ids", EMPTY_LIST, "None: the default VPC has no database subnets.");
    this.output("app_security_group_id", appSg.id, "Security group of the ECS tasks (no inbound, HTTPS out).");
    this.output("alb_security_group_id", NULL, "None: no load balancer with the default VPC.");
  }
}
