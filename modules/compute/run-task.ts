/**
 * One-off tasks started by an operator (docs/decisions.md D55, D56). The module outputs the whole
 * `aws ecs run-task` line, resolved to this workspace's cluster, subnets and security group, so
 * `TASK=$(eval "$(terraform output -raw <output>)")` starts the task and keeps its ARN.
 */
import { Fn } from "cdktf";

export interface RunTaskOptions {
  /** The cluster's name (a token of the module's cluster). */
  readonly cluster: string;
  /** The task definition's family (the latest ACTIVE revision runs). */
  readonly family: string;
  /** The subnet ids (private subnets; public ones with `publicIp`). */
  readonly subnets: string[];
  /** The security group id (the app security group: Redis and PostgreSQL admit it). */
  readonly securityGroup: string;
  /** Adds `--enable-execute-command` (ECS Exec). @default false */
  readonly exec?: boolean;
  /** `assignPublicIp=ENABLED` (a task in public subnets without NAT, seed 004). @default false (DISABLED) */
  readonly publicIp?: boolean;
}

/** The single-line command as a Terraform template string (names.md: run-task command form). */
export function runTaskCommand(o: RunTaskOptions): string {
  return [
    "aws ecs run-task",
    `--cluster ${o.cluster}`,
    `--task-definition ${o.family}`,
    "--launch-type FARGATE",
    ...(o.exec ? ["--enable-execute-command"] : []),
    `--network-configuration 'awsvpcConfiguration={subnets=[${Fn.join(",", o.subnets)}],securityGroups=[${o.securityGroup}],assignPublicIp=${o.publicIp ? "ENABLED" : "DISABLED"}}'`,
    "--query 'tasks[0].taskArn' --output text",
  ].join(" ");
}
