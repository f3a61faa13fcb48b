/**
 * NAT for the private subnets: none, one gateway in the first AZ, one per AZ, or one EC2 NAT instance
 * (development tier, D100), and the private route tables' default routes through it.
 */
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import type { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { conditional, Op, propertyAccess, TerraformLocal } from "cdktf";
import type { Construct } from "constructs";
import { allowCidrEgress, allowCidrIngress, securityGroup } from "../../lib/constructs/access";
import { declaredLocal, iteratorOf, named, present } from "../../lib/core/module-stack";
import { NETWORK_LOCALS, NETWORK_PRESENCE } from "./config";
import type { NetworkVars } from "./inputs";
import { at, type PrivateTier, type PublicTier } from "./subnets";

export interface Nat {
  /** `local.nat_azs`: the AZs with a NAT gateway. */
  readonly azs: TerraformLocal;
  readonly eip: Eip;
  /** `aws_instance.nat` (counted). */
  readonly instance: Instance;
}

/** NAT gateways (one in the first AZ, or one per AZ) and the private tier's routes through them. */
function natGateways(scope: Construct, vars: NetworkVars, pub: PublicTier, priv: PrivateTier) {
  const firstAz = propertyAccess(vars.azs, [0]);
  const onePerAz = Op.eq(vars.natMode, "one-per-az");
  const natAzs = declaredLocal(scope, "nat_azs", NETWORK_LOCALS.nat_azs);
  const perAz = iteratorOf(scope, NETWORK_PRESENCE, "aws_eip", "nat");
  const eip = new Eip(scope, "nat", {
    forEach: perAz,
    domain: "vpc",
    tags: { Name: `${vars.name}-nat-${perAz.key}` },
  });
  const nat = named(
    new NatGateway(scope, "nat_gateway", {
      forEach: perAz,
      allocationId: at(eip, perAz.key, "id"),
      subnetId: at(pub.subnet, perAz.key, "id"),
      tags: { Name: `${vars.name}-nat-${perAz.key}` },
      dependsOn: [pub.igw],
    }),
    "this",
  );
  const routed = iteratorOf(scope, NETWORK_PRESENCE, "aws_route", "private_nat");
  new Route(scope, "private_nat", {
    forEach: routed,
    routeTableId: at(priv.routeTable, routed.key, "id"),
    destinationCidrBlock: "0.0.0.0/0",
    natGatewayId: at(nat, conditional(onePerAz, routed.key, firstAz), "id"),
  });
  return { natAzs, eip };
}

/** The NAT instance's boot script: forward and masquerade the VPC's traffic. */
function natUserData(vpcCidr: string): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "dnf install -y iptables-services",
    "systemctl enable --now iptables",
    "echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf",
    "sysctl -p /etc/sysctl.d/90-nat.conf",
    "IFACE=$(ip route show default | awk '{print $5; exit}')",
    `iptables -t nat -A POSTROUTING -o "$IFACE" -s ${vpcCidr} -j MASQUERADE`,
    "iptables -F FORWARD",
    "iptables-save > /etc/sysconfig/iptables",
    "",
  ].join("\n");
}

/**
 * NAT instance (nat_mode instance, development tier, D100). One Graviton instance in the first public subnet
 * forwards the private subnets' HTTPS to the internet (the app's external AI APIs): source/destination check
 * off, IMDSv2 only, encrypted root volume, no instance profile and no inbound from outside the VPC. Its
 * security group takes HTTPS from the VPC and sends HTTPS out, nothing else (policy sg-no-world-egress).
 */
function natInstance(scope: Construct, vars: NetworkVars, vpc: Vpc, pub: PublicTier, priv: PrivateTier): Instance {
  declaredLocal(scope, "nat_instance", NETWORK_LOCALS.nat_instance);
  const natSg = present(
    securityGroup(
      scope,
      "nat_instance",
      `${vars.name}-nat-instance`,
      "NAT instance: HTTPS from inside the VPC, HTTPS to the internet",
      vpc.id,
    ),
    NETWORK_PRESENCE,
  );
  const natSgRef = { name: "nat_instance", id: at(natSg, 0, "id") };
  const fromVpc = "HTTPS from the private subnets, forwarded to the internet";
  present(allowCidrIngress(scope, natSgRef, "https_from_vpc", vpc.cidrBlock, 443, fromVpc), NETWORK_PRESENCE);
  const out = "HTTPS to the internet (forwarded traffic and OS packages)";
  present(allowCidrEgress(scope, natSgRef, "https_out", "0.0.0.0/0", 443, out), NETWORK_PRESENCE);
  const instance = present(
    named(
      new Instance(scope, "nat_instance_ec2", {
        ami: vars.natInstanceAmi,
        instanceType: vars.natInstanceType,
        subnetId: at(pub.subnet, propertyAccess(vars.azs, [0]), "id"),
        associatePublicIpAddress: true,
        sourceDestCheck: false,
        vpcSecurityGroupIds: [natSgRef.id],
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 8 },
        userDataReplaceOnChange: true,
        userData: natUserData(vars.vpcCidr),
        tags: { Name: `${vars.name}-nat-instance` },
        // The boot script installs packages from the internet: its subnet must already route to the
        // internet gateway (the route and the subnet's association), or `dnf install` fails, `set -e`
        // stops the script and the instance never forwards (no NAT for the private subnets).
        dependsOn: [pub.igw, pub.internetRoute, pub.association],
        // `resolve:ssm:` reads back as the AMI id it resolved to: without this every plan would replace the instance.
        lifecycle: { ignoreChanges: ["ami"] },
      }),
      "nat",
    ),
    NETWORK_PRESENCE,
  );
  const routed = iteratorOf(scope, NETWORK_PRESENCE, "aws_route", "private_nat_instance");
  new Route(scope, "private_nat_instance", {
    forEach: routed,
    routeTableId: at(priv.routeTable, routed.key, "id"),
    destinationCidrBlock: "0.0.0.0/0",
    networkInterfaceId: at(instance, 0, "primary_network_interface_id"),
  });
  return instance;
}

/** NAT gateways or the NAT instance, whichever `nat_mode` asks for. */
export function nat(scope: Construct, vars: NetworkVars, vpc: Vpc, pub: PublicTier, priv: PrivateTier): Nat {
  const { natAzs, eip } = natGateways(scope, vars, pub, priv);
  return { azs: natAzs, eip, instance: natInstance(scope, vars, vpc, pub, priv) };
}
