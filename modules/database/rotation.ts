/**
 * database — the application password's rotation (D170): AWS's alternating-users function deployed from the
 * Serverless Application Repository into the private subnets, with a security group the database admits, and the
 * schedule. The function calls Secrets Manager over HTTPS (NAT or the interface endpoint) and logs in to PostgreSQL
 * as master (the secret's `masterarn`) to create `<user>_clone` once and to change the inactive user's password.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { ServerlessapplicationrepositoryCloudformationStack } from "@cdktf/provider-aws/lib/serverlessapplicationrepository-cloudformation-stack";
import { Fn } from "cdktf";
import type { Construct } from "constructs";
import { allowCidrEgress, allowFrom, securityGroup } from "../../lib/constructs/access";
import { POSTGRES_MULTI_USER_ROTATION_APP } from "../../lib/constructs/rotation";
import { named } from "../../lib/core/module-stack";
import { POSTGRES_PORT } from "./network";

/**
 * Characters new passwords never contain: the template's default (`/@"'\\`) plus what a URL, a shell or a
 * libpq connection string would need to escape, so an app that builds a DSN from DB_PASSWORD needs no quoting.
 */
export const ROTATION_EXCLUDED_CHARACTERS = "/@\"'\\:;%#?&=+[]{}<>|^`~,$!*()";

/** Tokens of the module's inputs and of its other parts the rotation uses. */
export interface RotationProps {
  /** The function's name, `<name>-db-app-rotation`. */
  readonly functionName: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly region: string;
  readonly days: number;
  readonly dbSg: string;
  readonly dataKey: string;
  readonly logsKey: string;
  readonly logRetentionDays: number;
  readonly appSecretId: string;
  readonly masterSecretArn: string;
}

/** Security group, log group, the function's stack and `aws_secretsmanager_secret_rotation.db_app`. */
export function appRotation(scope: Construct, p: RotationProps): void {
  const fn = p.functionName;
  const sg = securityGroup(
    scope,
    "rotation",
    fn,
    "Rotation function of the application password: PostgreSQL and the Secrets Manager API",
    p.vpcId,
  );
  allowFrom(
    scope,
    { name: "postgres", id: p.dbSg },
    { name: "rotation", id: sg.id },
    POSTGRES_PORT,
    "PostgreSQL from the rotation function",
  );
  allowCidrEgress(
    scope,
    { name: "rotation", id: sg.id },
    "https",
    "0.0.0.0/0",
    443,
    "Secrets Manager API (NAT or interface endpoint)",
  );
  // The function's log group, made here first so it has a retention and the logs key (Lambda would create it
  // unencrypted and kept forever): the template names the function, so the group's name is known.
  const logs = named(
    new CloudwatchLogGroup(scope, "app_rotation_logs", {
      name: `/aws/lambda/${fn}`,
      retentionInDays: p.logRetentionDays,
      kmsKeyId: p.logsKey,
    }),
    "db_app_rotation",
  );
  const stack = named(
    new ServerlessapplicationrepositoryCloudformationStack(scope, "app_rotation_stack", {
      name: fn,
      applicationId: POSTGRES_MULTI_USER_ROTATION_APP,
      // The template creates the function's role (CAPABILITY_IAM) and Secrets Manager's permission to invoke it.
      capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
      parameters: {
        functionName: fn,
        endpoint: `https://secretsmanager.${p.region}.amazonaws.com`,
        vpcSubnetIds: Fn.join(",", p.subnetIds),
        vpcSecurityGroupIds: sg.id,
        kmsKeyArn: p.dataKey,
        masterSecretArn: p.masterSecretArn,
        masterSecretKmsKeyArn: p.dataKey,
        excludeCharacters: ROTATION_EXCLUDED_CHARACTERS,
      },
      dependsOn: [logs],
    }),
    "db_app_rotation",
  );
  named(
    new SecretsmanagerSecretRotation(scope, "app_rotation", {
      secretId: p.appSecretId,
      rotationLambdaArn: stack.outputs.lookup("RotationLambdaARN"),
      rotationRules: { automaticallyAfterDays: p.days },
      // Not at creation: the first deploy creates the application user with db-bootstrap afterwards, and the
      // function clones that user (GRANT <user> TO <user>_clone), so it must exist first.
      rotateImmediately: false,
      dependsOn: [stack],
    }),
    "db_app",
  );
}
