/** database — the Enhanced Monitoring role, present while `monitoring_interval` is above 0. */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { conditional, Op, propertyAccess, Token } from "cdktf";
import type { Construct } from "constructs";
import { serviceTrust } from "../../lib/constructs/iam";
import { named, present } from "../../lib/core/module-stack";
import { ZERO } from "../../lib/core/tokens";
import { DATABASE_PRESENCE } from "./config";

/**
 * `aws_iam_role.rds_monitoring` and its policy attachment, counted by `monitoring_interval > 0`. Returns the role's
 * ARN for the instances: the role's, or null with monitoring off.
 */
export function monitoringRole(scope: Construct, p: { readonly name: string; readonly interval: number }): string {
  const on = Op.gt(p.interval, ZERO);
  const role = named(
    new IamRole(scope, "monitoring_role", {
      name: `${p.name}-rds-monitoring`,
      description: "Lets RDS Enhanced Monitoring publish OS metrics",
      assumeRolePolicy: serviceTrust("monitoring.rds.amazonaws.com"),
    }),
    "rds_monitoring",
  );
  present(role, DATABASE_PRESENCE);
  const attachment = named(
    new IamRolePolicyAttachment(scope, "monitoring_policy", {
      role: Token.asString(propertyAccess(role, [0, "name"])),
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    }),
    "rds_monitoring",
  );
  present(attachment, DATABASE_PRESENCE);
  return Token.asString(conditional(on, propertyAccess(role, [0, "arn"]), null));
}
