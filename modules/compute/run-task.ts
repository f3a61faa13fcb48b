/**
 * One-off tasks started by an operator (docs/decisions.md D55, D56). The module outputs the whole
 * `aws ecs run-task` line, resolved to this workspace's cluster, subnets and security group, so
 * `TASK=$(eval "$(terraform output -raw <output>)")` starts the task and keeps its ARN.
 */

export interface RunTaskOptions {
  /** HCL of the cluster name. @default "aws_ecs_cluster.this.name" (the compute module's cluster) */
  readonly cluster?: string;
  /** HCL of the task definition family (the latest ACTIVE revision runs). */
  readonly family: string;
  /** HCL of the subnet id list. @default "var.private_subnet_ids" */
  readonly subnets?: string;
  /** HCL of the security group id. @default "var.app_security_group_id" (Redis and PostgreSQL admit it) */
  readonly securityGroup?: string;
  /** Adds `--enable-execute-command` (ECS Exec). @default false */
  readonly exec?: boolean;
  /** `assignPublicIp=ENABLED` (a task in public subnets without NAT, seed 004). @default false (DISABLED) */
  readonly publicIp?: boolean;
}

/** The single-line command as a Terraform template string (names.md: run-task command form). */
export function runTaskCommand(options: RunTaskOptions): string {
  const o = {
    cluster: "aws_ecs_cluster.this.name",
    subnets: "var.private_subnet_ids",
    securityGroup: "var.app_security_group_id",
    ...options,
  };
  return [
    "aws ecs run-task",
    `--cluster \${${o.cluster}}`,
    `--task-definition \${${o.family}}`,
    "--launch-type FARGATE",
    ...(o.exec ? ["--enable-execute-command"] : []),
    `--network-configuration 'awsvpcConfiguration={subnets=[\${join(",", ${o.subnets})}],securityGroups=[\${${o.securityGroup}}],assignPublicIp=${o.publicIp ? "ENABLED" : "DISABLED"}}'`,
    "--query 'tasks[0].taskArn' --output text",
  ].join(" ");
}
