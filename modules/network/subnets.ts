/**
 * The VPC, its subnets per tier (public, private, database; one per AZ, keyed by AZ name) and their route
 * tables. NAT routes of the private tier are in nat.ts.
 */
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { propertyAccess, TerraformIterator, TerraformLocal, Token, type TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { named, present } from "../../lib/core/module-stack";
import { NETWORK_PRESENCE } from "./config";
import { hcl } from "../../lib/core/tokens";
import type { NetworkVars } from "./inputs";

/** Each tier's subnet CIDRs keyed by availability zone: `local.<tier>_subnets_by_az`. */
export interface SubnetsByAz {
  readonly public: TerraformLocal;
  readonly private: TerraformLocal;
  readonly database: TerraformLocal;
}

export function subnetsByAz(scope: Construct, vars: NetworkVars): SubnetsByAz {
  const byAz = (tier: string, cidrs: string[]) =>
    new TerraformLocal(scope, `${tier}_subnets_by_az`, hcl`{ for i, cidr in ${cidrs} : ${vars.azs}[i] => cidr }`);
  return {
    public: byAz("public", vars.publicSubnets),
    private: byAz("private", vars.privateSubnets),
    database: byAz("database", vars.databaseSubnets),
  };
}

/** `<resource>[<index>].<attribute>` as a string token. */
export function at(resource: TerraformResource, index: unknown, attribute: string): string {
  return Token.asString(propertyAccess(resource, [index, attribute]));
}

export interface Tier {
  readonly byAz: TerraformLocal;
  readonly subnet: Subnet;
}

/** One subnet per AZ of a tier, `for_each` over its by-AZ local. */
function tierSubnets(
  scope: Construct,
  tier: string,
  byAzLocal: TerraformLocal,
  vpc: Vpc,
  name: string,
  publicIp?: boolean,
) {
  const each = TerraformIterator.fromMap(byAzLocal.asAnyMap);
  return named(
    new Subnet(scope, `${tier}_subnet`, {
      forEach: each,
      vpcId: vpc.id,
      availabilityZone: each.key,
      cidrBlock: each.value,
      ...(publicIp === undefined ? {} : { mapPublicIpOnLaunch: publicIp }),
      tags: { Name: `${name}-${tier}-${each.key}`, Tier: tier },
    }),
    tier,
  );
}

/** The VPC and its default security group, stripped of every rule. */
export function vpcAndDefaultGroup(
  scope: Construct,
  vars: NetworkVars,
): { vpc: Vpc; defaultGroup: DefaultSecurityGroup } {
  const vpc = named(
    new Vpc(scope, "vpc", {
      cidrBlock: vars.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${vars.name}-vpc` },
    }),
    "this",
  );
  const defaultGroup = named(
    new DefaultSecurityGroup(scope, "default_sg", {
      vpcId: vpc.id,
      // No ingress or egress blocks: Terraform removes every rule AWS put in the default group.
      tags: { Name: `${vars.name}-default-deny` },
    }),
    "this",
  );
  return { vpc, defaultGroup };
}

export interface PublicTier extends Tier {
  readonly igw: InternetGateway;
  readonly routeTable: RouteTable;
  readonly internetRoute: Route;
  readonly association: RouteTableAssociation;
}

/** Public tier: internet gateway, subnets, one route table to the internet. */
export function publicTier(scope: Construct, vars: NetworkVars, vpc: Vpc, byAz: SubnetsByAz): PublicTier {
  const igw = present(
    named(new InternetGateway(scope, "igw", { vpcId: vpc.id, tags: { Name: `${vars.name}-igw` } }), "this"),
    NETWORK_PRESENCE,
  );
  const local = byAz.public;
  const subnet = tierSubnets(scope, "public", local, vpc, vars.name, false);
  const routeTable = present(
    named(new RouteTable(scope, "public_rt", { vpcId: vpc.id, tags: { Name: `${vars.name}-public` } }), "public"),
    NETWORK_PRESENCE,
  );
  const internetRoute = present(
    new Route(scope, "public_internet", {
      routeTableId: at(routeTable, 0, "id"),
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: at(igw, 0, "id"),
    }),
    NETWORK_PRESENCE,
  );
  const each = TerraformIterator.fromMap(local.asAnyMap);
  const association = named(
    new RouteTableAssociation(scope, "public_rta", {
      forEach: each,
      subnetId: at(subnet, each.key, "id"),
      routeTableId: at(routeTable, 0, "id"),
    }),
    "public",
  );
  return { byAz: local, subnet, igw, routeTable, internetRoute, association };
}

export interface PrivateTier extends Tier {
  readonly routeTable: RouteTable;
}

/** Private tier: subnets and one route table per AZ (so each AZ can use its own NAT), associated. */
export function privateTier(scope: Construct, vars: NetworkVars, vpc: Vpc, byAz: SubnetsByAz): PrivateTier {
  const local = byAz.private;
  const subnet = tierSubnets(scope, "private", local, vpc, vars.name);
  const each = TerraformIterator.fromMap(local.asAnyMap);
  const routeTable = named(
    new RouteTable(scope, "private_rt", {
      forEach: each,
      vpcId: vpc.id,
      tags: { Name: `${vars.name}-private-${each.key}` },
    }),
    "private",
  );
  named(
    new RouteTableAssociation(scope, "private_rta", {
      forEach: each,
      subnetId: at(subnet, each.key, "id"),
      routeTableId: at(routeTable, each.key, "id"),
    }),
    "private",
  );
  return { byAz: local, subnet, routeTable };
}

/** Database tier: isolated subnets, one route table with no route to the internet. */
export function databaseTier(
  scope: Construct,
  vars: NetworkVars,
  vpc: Vpc,
  byAz: SubnetsByAz,
): Tier & { routeTable: RouteTable } {
  const local = byAz.database;
  const subnet = tierSubnets(scope, "database", local, vpc, vars.name);
  const routeTable = present(
    named(new RouteTable(scope, "database_rt", { vpcId: vpc.id, tags: { Name: `${vars.name}-database` } }), "database"),
    NETWORK_PRESENCE,
  );
  const each = TerraformIterator.fromMap(local.asAnyMap);
  named(
    new RouteTableAssociation(scope, "database_rta", {
      forEach: each,
      subnetId: at(subnet, each.key, "id"),
      routeTableId: at(routeTable, 0, "id"),
    }),
    "database",
  );
  return { byAz: local, subnet, routeTable };
}
