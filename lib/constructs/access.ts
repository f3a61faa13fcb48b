/**
 * Access wiring between security groups. Every rule is a separate, described
 * `aws_vpc_security_group_{ingress,egress}_rule`, so rules can change without replacing groups.
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { Construct } from "constructs";

/**
 * A security group with no inline rules (rules are separate resources), replaced before it is
 * destroyed so dependent resources never lose their group. Terraform name `aws_security_group.<key>`,
 * Name tag `<name>`. The AWS name is `<name>-` plus a unique suffix (`name_prefix`): group names are
 * unique per VPC, so a fixed name would make every create-before-destroy replacement (a new
 * description or VPC) fail with InvalidGroup.Duplicate.
 */
export function securityGroup(
  scope: Construct,
  key: string,
  name: string,
  description: string,
  vpcId: string,
): SecurityGroup {
  const sg = new SecurityGroup(scope, `${key}_sg`, {
    namePrefix: `${name}-`,
    description,
    vpcId,
    tags: { Name: name },
    lifecycle: { createBeforeDestroy: true },
  });
  sg.overrideLogicalId(key);
  return sg;
}

/** Where a data tier (cache, database) lives and who may reach it. */
export interface DataTierPlacement {
  readonly vpcId: string;
  /** Subnets of its subnet group. */
  readonly subnetIds: string[];
  /** Security group of the application tasks (network module), the only one admitted. */
  readonly appSecurityGroupId: string;
  /** Data key (security module): data at rest and the tier's secrets. */
  readonly dataKmsKeyArn: string;
  /** Logs key (security module): the tier's log groups. */
  readonly logsKmsKeyArn: string;
}

/** A security group as seen by a module: a short name for logical ids and its id (literal or token). */
export interface GroupRef {
  /** Short name used in rule ids: `app` gives `redis_from_app`. */
  readonly name: string;
  readonly id: string;
}

export interface PortRange {
  readonly from: number | string;
  /** @default same as `from` */
  readonly to?: number | string;
}

function range(port: number | string | PortRange): { fromPort: number; toPort: number } {
  const r: PortRange = typeof port === "object" ? port : { from: port };
  // Tokens (`${var.app_port}`) pass through as strings; the provider takes numbers.
  return { fromPort: r.from as number, toPort: (r.to ?? r.from) as number };
}

/**
 * Lets `source` reach `target` on a TCP port: an ingress rule on the target (`<target>_from_<source>`)
 * and, when the source group belongs to the same module, the matching egress rule on the source
 * (`<source>_to_<target>`). Returns the ingress rule.
 */
export function allowFrom(
  scope: Construct,
  target: GroupRef,
  source: GroupRef,
  port: number | string | PortRange,
  description: string,
  options: { egressOnSource?: boolean } = {},
): VpcSecurityGroupIngressRule {
  const ports = range(port);
  const ingress = new VpcSecurityGroupIngressRule(scope, `${target.name}_from_${source.name}`, {
    securityGroupId: target.id,
    referencedSecurityGroupId: source.id,
    ipProtocol: "tcp",
    ...ports,
    description,
  });
  if (options.egressOnSource ?? true) {
    new VpcSecurityGroupEgressRule(scope, `${source.name}_to_${target.name}`, {
      securityGroupId: source.id,
      referencedSecurityGroupId: target.id,
      ipProtocol: "tcp",
      ...ports,
      description,
    });
  }
  return ingress;
}

/** Ingress from an IPv4 block (`<target>_<id>`), e.g. the internet to the ALB on 443. */
export function allowCidrIngress(
  scope: Construct,
  target: GroupRef,
  id: string,
  cidr: string,
  port: number | string | PortRange,
  description: string,
): VpcSecurityGroupIngressRule {
  return new VpcSecurityGroupIngressRule(scope, `${target.name}_${id}`, {
    securityGroupId: target.id,
    cidrIpv4: cidr,
    ipProtocol: "tcp",
    ...range(port),
    description,
  });
}

/** Egress to an IPv4 block (`<source>_<id>`), e.g. tasks to HTTPS APIs through the NAT. */
export function allowCidrEgress(
  scope: Construct,
  source: GroupRef,
  id: string,
  cidr: string,
  port: number | string | PortRange,
  description: string,
): VpcSecurityGroupEgressRule {
  return new VpcSecurityGroupEgressRule(scope, `${source.name}_${id}`, {
    securityGroupId: source.id,
    cidrIpv4: cidr,
    ipProtocol: "tcp",
    ...range(port),
    description,
  });
}
