/**
 * network — the VPC every other module lives in.
 *
 * Owns: VPC, public / private / database subnets (one per AZ), internet gateway, NAT gateways,
 * route tables, the S3 gateway endpoint, optional interface endpoints, VPC flow logs (with their
 * own KMS key), the locked-down default security group and the tier security groups `app` and, with a
 * load balancer, `alb`.
 * The app group lives here (not in compute) so the cache and database can admit it without
 * depending on compute — seed 000 §5.2 applies `module.cache` before `module.compute`.
 *
 * Per-AZ resources use `for_each` keyed by AZ name, so adding or removing an AZ never renumbers
 * the others, and the module's resource addresses are the same in every workspace.
 *
 * Parts: inputs.ts (variables as tokens), subnets.ts (VPC, tiers, route tables), nat.ts (gateways or
 * instance), endpoints.ts, flow-logs.ts, security-groups.ts (tier groups); outputs here.
 *
 * Depends on: nothing but root values (it is applied first).
 */
import { Fn, propertyAccess } from "cdktf";
import type { Construct } from "constructs";
import { ModuleStack } from "../../lib/core/module-stack";
import type { NetworkConfig } from "./config";
import { endpoints } from "./endpoints";
import { flowLogs } from "./flow-logs";
import { hcl, NULL } from "../../lib/core/tokens";
import { AZ } from "./hcl";
import { networkInputs, type NetworkVars } from "./inputs";
import { nat } from "./nat";
import { tierGroups } from "./security-groups";
import {
  databaseTier,
  privateTier,
  publicTier,
  subnetsByAz,
  vpcAndDefaultGroup,
  type PrivateTier,
  type Tier,
} from "./subnets";

export interface NetworkProps {
  /** Name prefix for every resource, e.g. `<project>-production` (may be a root token). */
  readonly name: string;
  /** AWS region, for endpoint service names. */
  readonly region: string;
  /** Account id: the policy of the flow log key names it. */
  readonly accountId: string;
  /** Availability zones, in order; subnet lists follow this order. */
  readonly azs: readonly string[];
  /** The environment's `network` section. */
  readonly settings: NetworkConfig;
  /**
   * Port of the web services the load balancer forwards to. Absent without a web service: then there is no
   * load balancer and nothing is opened to it (`alb_ingress` none). @default none
   */
  readonly appPort?: number;
  /** Deletion window of the flow log key, in days. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /** prevent_destroy on the flow log key (each workspace synthesizes its own module files). @default false */
  readonly preventDestroy?: boolean;
  /** NAT gateways exist (false while the environment is stopped: they bill by the hour). @default true */
  readonly enableNat?: unknown;
}

export class NetworkModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: NetworkProps) {
    super(scope, workspace, "network");
    const albIngress = props.appPort === undefined ? "none" : props.settings.albIngress;
    const vars = networkInputs(this.input.bind(this), { ...props, albIngress });
    // No private subnets (seed 004 option B, D119): one-off tasks in the public subnets with public IPs, no NAT.
    const noPrivate = props.settings.privateSubnets.length === 0;

    const byAz = subnetsByAz(this, vars);
    const { vpc, defaultGroup } = vpcAndDefaultGroup(this, vars);
    const pub = publicTier(this, vars, vpc, byAz);
    const priv = privateTier(this, vars, vpc, byAz);
    const natParts = nat(this, vars, vpc, pub, priv);
    const database = databaseTier(this, vars, vpc, byAz);
    endpoints(this, vars, vpc, { pub, priv, databaseRouteTable: database.routeTable, noPrivate });
    const flowLogGroup = flowLogs(this, vars, vpc, props.preventDestroy ?? false);
    const groups = tierGroups(this, vars, vpc, albIngress, noPrivate);

    this.output("vpc_id", vpc.id, "ID of the VPC.");
    this.output("vpc_cidr_block", vpc.cidrBlock, "IPv4 block of the VPC.");
    this.output("azs", vars.azs, "Availability zones, in subnet order.");
    tierOutputs(this.output.bind(this), vars, { pub, priv, database }, noPrivate);
    this.output(
      "nat_public_ips",
      hcl`concat([for az in ${natParts.azs.asList} : ${propertyAccess(natParts.eip, [AZ, "public_ip"])}], ${propertyAccess(natParts.instance, ["*", "public_ip"])})`,
      "Public IPs of the NAT gateways or the NAT instance (allow-list them at external APIs; the instance's changes when it is stopped).",
    );
    if (groups.alb)
      this.output("alb_security_group_id", groups.alb.id, "Security group of the application load balancer.");
    else this.output("alb_security_group_id", NULL, "None: no load balancer (no web service).");
    this.output(
      "app_security_group_id",
      groups.app.id,
      groups.alb
        ? "Security group of the application tasks (ECS)."
        : "Security group of the ECS tasks (no inbound, HTTPS out).",
    );
    this.output("default_security_group_id", defaultGroup.id, "The VPC's default security group, left without rules.");
    this.output(
      "flow_log_group_name",
      Fn.one(propertyAccess(flowLogGroup, ["*", "name"])),
      "Flow log group, or null when flow logs are off.",
    );
  }
}

/** Subnet and route table ids of each tier, in AZ order (a tier may have none). */
function tierOutputs(
  output: (name: string, value: unknown, description: string) => unknown,
  vars: NetworkVars,
  { pub, priv, database }: { pub: Tier; priv: PrivateTier; database: Tier },
  noPrivate: boolean,
): void {
  /** `[for az in var.azs : <resource>[az].id]`, skipping the AZs the tier has no subnet in when it may have none. */
  const inAzOrder = (resource: unknown, tier: Tier, mayBeEmpty: boolean) =>
    mayBeEmpty
      ? hcl`[for az in ${vars.azs} : ${propertyAccess(resource, [AZ, "id"])} if ${Fn.contains(Fn.keys(tier.byAz.asAnyMap), AZ)}]`
      : hcl`[for az in ${vars.azs} : ${propertyAccess(resource, [AZ, "id"])}]`;
  output("public_subnet_ids", inAzOrder(pub.subnet, pub, true), "Public subnet IDs, in AZ order.");
  output(
    "private_subnet_ids",
    inAzOrder(priv.subnet, priv, noPrivate),
    noPrivate ? "Private subnet IDs, in AZ order (empty when there are none)." : "Private subnet IDs, in AZ order.",
  );
  output(
    "database_subnet_ids",
    inAzOrder(database.subnet, database, true),
    "Database subnet IDs, in AZ order (empty when there are none).",
  );
  output(
    "private_route_table_ids",
    inAzOrder(priv.routeTable, priv, noPrivate),
    "Private route table IDs, in AZ order.",
  );
}
