/** database — where the instances live: the DB subnet group and the security group admitting the app tasks. */
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { Construct } from "constructs";
import { allowFrom, securityGroup } from "../../lib/constructs/access";
import { named } from "../../lib/core/module-stack";

export const POSTGRES_PORT = 5432;

/** `aws_security_group.postgres` (5432 from the app group only) and `aws_db_subnet_group.postgres`. */
export function databaseNetwork(
  scope: Construct,
  p: { readonly name: string; readonly vpcId: string; readonly appSg: string; readonly subnetIds: string[] },
): { sg: SecurityGroup; subnets: DbSubnetGroup } {
  const sg = securityGroup(
    scope,
    "postgres",
    `${p.name}-postgres`,
    "RDS PostgreSQL: 5432 from the application tasks only",
    p.vpcId,
  );
  allowFrom(
    scope,
    { name: "postgres", id: sg.id },
    { name: "app", id: p.appSg },
    POSTGRES_PORT,
    "PostgreSQL from the application tasks",
  );
  const subnets = named(
    new DbSubnetGroup(scope, "db_subnets", {
      name: `${p.name}-postgres`,
      description: "Database subnets of the PostgreSQL instances",
      subnetIds: p.subnetIds,
    }),
    "postgres",
  );
  return { sg, subnets };
}
