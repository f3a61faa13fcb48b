/**
 * The tier security groups `alb` (only with a load balancer) and `app`. The app group lives here (not in compute) so the cache and
 * database can admit it without depending on compute — seed 000 §5.2 applies `module.cache` before `module.compute`.
 */
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { Construct } from "constructs";
import {
  allowCidrEgress,
  allowCidrIngress,
  allowFrom,
  securityGroup,
  type GroupRef,
} from "../../lib/constructs/access";
import { present } from "../../lib/core/module-stack";
import { NETWORK_PRESENCE } from "./config";
import type { NETWORK_ALB_INGRESS } from "./config";
import type { NetworkVars } from "./inputs";

/** What the tasks' group says it admits: the app port from the load balancer, or nothing without one. */
export const APP_GROUP_DESCRIPTION = {
  behindLoadBalancer: "Application tasks: the app port from the ALB; HTTPS out",
  withoutLoadBalancer: "ECS tasks: no inbound; HTTPS to AWS APIs and external AI APIs",
} as const;

/**
 * The tier groups. `alb` (with its ingress rules) exists only with a load balancer (`albIngress` not "none"); `app`
 * always, admitting the app port from `alb` when there is one and nothing otherwise (one-off tasks, D119).
 */
export function tierGroups(
  scope: Construct,
  vars: NetworkVars,
  vpc: Vpc,
  albIngress: (typeof NETWORK_ALB_INGRESS)[number],
  noPrivate: boolean,
): { alb?: SecurityGroup; app: SecurityGroup } {
  const behindAlb = albIngress !== "none" && vars.appPort !== undefined;
  const appSg = securityGroup(
    scope,
    "app",
    `${vars.name}-app`,
    behindAlb ? APP_GROUP_DESCRIPTION.behindLoadBalancer : APP_GROUP_DESCRIPTION.withoutLoadBalancer,
    vpc.id,
  );
  const app: GroupRef = { name: "app", id: appSg.id };
  const albSg = behindAlb && vars.appPort !== undefined ? albGroup(scope, vars, vpc, app, vars.appPort) : undefined;
  allowCidrEgress(
    scope,
    app,
    "https_out",
    "0.0.0.0/0",
    443,
    noPrivate
      ? "HTTPS to AWS APIs and external AI APIs (through the internet gateway: the tasks have public IPs)"
      : "HTTPS to AWS APIs and external AI APIs (through the NAT gateway)",
  );
  return { alb: albSg, app: appSg };
}

/** The load balancer's group: its ingress by `alb_ingress`, and the app port to the tasks' group. */
function albGroup(scope: Construct, vars: NetworkVars, vpc: Vpc, app: GroupRef, appPort: number): SecurityGroup {
  const albSg = securityGroup(
    scope,
    "alb",
    `${vars.name}-alb`,
    "Application load balancer: HTTP/HTTPS from the internet, to the app tier only",
    vpc.id,
  );
  const alb: GroupRef = { name: "alb", id: albSg.id };
  // alb_ingress "internet": 80 and 443 from anywhere. "cloudfront": 443 from CloudFront's origin-facing servers
  // only. That prefix list weighs 55 of the group's 60 inbound rules, so it gets one rule (443) and nothing else.
  const http = "HTTP from the internet (redirected to HTTPS when a certificate is configured)";
  present(allowCidrIngress(scope, alb, "http_from_internet", "0.0.0.0/0", 80, http), NETWORK_PRESENCE);
  present(
    allowCidrIngress(scope, alb, "https_from_internet", "0.0.0.0/0", 443, "HTTPS from the internet"),
    NETWORK_PRESENCE,
  );
  present(
    new VpcSecurityGroupIngressRule(scope, "alb_https_from_cloudfront", {
      securityGroupId: alb.id,
      prefixListId: vars.cloudfrontPrefixListId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS from CloudFront's origin-facing servers only (managed prefix list)",
    }),
    NETWORK_PRESENCE,
  );
  allowFrom(scope, app, alb, appPort, "Application port from the load balancer");
  return albSg;
}
