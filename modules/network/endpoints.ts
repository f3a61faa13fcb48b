/** VPC endpoints: the S3 gateway endpoint (free) always; interface endpoints on demand, in the private subnets. */
import type { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import type { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Fn, propertyAccess, Token } from "cdktf";
import type { Construct } from "constructs";
import { allowCidrIngress, securityGroup } from "../../lib/constructs/access";
import { iteratorOf, present } from "../../lib/core/module-stack";
import { NETWORK_PRESENCE } from "./config";
import type { NetworkVars } from "./inputs";
import { at, type PrivateTier, type PublicTier } from "./subnets";

/** `[*].id` of every instance of a route table (`values(…)` first when it is keyed by AZ). */
function ids(table: RouteTable, keyed: boolean): unknown {
  return propertyAccess(keyed ? Fn.values(table.fqn) : table, ["*", "id"]);
}

export function endpoints(
  scope: Construct,
  vars: NetworkVars,
  vpc: Vpc,
  tiers: { pub: PublicTier; priv: PrivateTier; databaseRouteTable: RouteTable; noPrivate: boolean },
): void {
  const routeTables = [ids(tiers.priv.routeTable, true), ids(tiers.databaseRouteTable, false)];
  new VpcEndpoint(scope, "s3", {
    vpcId: vpc.id,
    serviceName: `com.amazonaws.${vars.region}.s3`,
    vpcEndpointType: "Gateway",
    // Without private subnets the tasks sit in the public ones: S3 traffic takes the endpoint from there.
    routeTableIds: Token.asList(
      Fn.concat(tiers.noPrivate ? [...routeTables, ids(tiers.pub.routeTable, false)] : routeTables),
    ),
    tags: { Name: `${vars.name}-s3` },
  });

  const group = present(
    securityGroup(
      scope,
      "endpoints",
      `${vars.name}-endpoints`,
      "Interface VPC endpoints: HTTPS from inside the VPC only",
      vpc.id,
    ),
    NETWORK_PRESENCE,
  );
  const groupId = at(group, 0, "id");
  const fromVpc = "HTTPS from the VPC to the interface endpoints";
  present(
    allowCidrIngress(scope, { name: "endpoints", id: groupId }, "https_from_vpc", vpc.cidrBlock, 443, fromVpc),
    NETWORK_PRESENCE,
  );
  const service = iteratorOf(scope, NETWORK_PRESENCE, "aws_vpc_endpoint", "interface");
  new VpcEndpoint(scope, "interface", {
    forEach: service,
    vpcId: vpc.id,
    serviceName: `com.amazonaws.${vars.region}.${service.key}`,
    vpcEndpointType: "Interface",
    privateDnsEnabled: true,
    subnetIds: Token.asList(propertyAccess(Fn.values(tiers.priv.subnet.fqn), ["*", "id"])),
    securityGroupIds: [groupId],
    tags: { Name: `${vars.name}-${service.key}` },
  });
}
