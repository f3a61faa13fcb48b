/**
 * Task definitions no service runs: the migrations task, db-bootstrap (./db-bootstrap.ts), the tasks another
 * system starts with RunTask (compute.tasks, D123) and the ECS Exec toolbox (seed 000 §8.1, §8.4).
 */
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { named } from "../../lib/core/module-stack";
import type { Cluster } from "./cluster";
import { MIGRATIONS_DATABASE_URL, serviceVariablePrefix as tf, WRITTEN_PARAMETERS, type TaskSettings } from "./config";
import { ASSIGN_PUBLIC_IP_TAG, TOOLBOX_LIFETIME_SECONDS, TOOLBOX_PURPOSE } from "./constants";
import { dbBootstrapTask } from "./db-bootstrap";
import { awsLogs, toolboxEnvironment, toolboxSecrets, type ParameterRef } from "./env";
import { containerDefinitions, type ComputeContext } from "./parts";
import type { Roles } from "./roles";
import { runTaskCommand, type RunTaskOptions } from "./run-task";
import { taskAccessPolicy } from "./task-access";
import type { appTaskDefinitions } from "./task-definitions";

export interface OneOffParts {
  readonly ctx: ComputeContext;
  readonly cluster: Cluster;
  readonly roles: Roles;
  readonly taskDefinition: ReturnType<typeof appTaskDefinitions>;
  readonly parameterRef: (name: string, parameter: string) => ParameterRef;
}

/** The run-task line of a family on the module's cluster, private subnets and app security group unless told. */
export function runTaskLine(
  ctx: ComputeContext,
  cluster: Cluster,
  family: string,
  options: Partial<RunTaskOptions> = {},
): string {
  const { vars } = ctx;
  return runTaskCommand({
    cluster: cluster.cluster.name,
    subnets: vars.privateSubnetIds,
    securityGroup: vars.appSecurityGroupId,
    family,
    ...options,
  });
}

/** Migrations own the schema: they log in as master; with Parameter Store they get the first service's parameters, their DATABASE_URL the master's (D105). */
export function migrationsTask(p: OneOffParts): EcsTaskDefinition | undefined {
  const { settings: cfg, vars } = p.ctx;
  const m = cfg.migrations;
  if (!m) return undefined;
  const first = cfg.services[0];
  const parameters =
    cfg.parameterStore && vars.parameters && first.parameters.length > 0
      ? first.parameters.map((x) =>
          p.parameterRef(x, x === WRITTEN_PARAMETERS.databaseUrl ? MIGRATIONS_DATABASE_URL : x),
        )
      : undefined;
  return p.taskDefinition(
    "migrations",
    `${vars.name}-migrations`,
    {
      name: "migrations",
      containerName: m.containerName,
      image: m.image,
      command: m.command,
      secrets: first.secrets,
      environment: {},
      dbLogin: "master",
      parameters,
    },
    { cpu: String(m.cpu), memory: String(m.memory) },
  );
}

/** One-off: creates/updates the application's database user (./db-bootstrap.ts); only with a database. */
export function dbBootstrap(p: OneOffParts): EcsTaskDefinition | undefined {
  const { settings: cfg, vars } = p.ctx;
  if (!vars.db) return undefined;
  const td = dbBootstrapTask(p.ctx.scope, {
    name: vars.name,
    executionRoleArn: p.roles.execRole.arn,
    architecture: cfg.architecture,
    db: vars.db,
    logs: awsLogs(p.cluster.logGroup.name, vars.region),
  });
  p.ctx.api.output(
    "db_bootstrap_run_task_command",
    runTaskLine(p.ctx, p.cluster, td.family),
    "aws ecs run-task for the db-bootstrap task (private subnets, app security group, no public IP); prints the task ARN.",
  );
  return td;
}

/** A task of compute.tasks: a task definition, no service; another system starts it with RunTask (D123). */
export function runTaskTask(p: OneOffParts, t: TaskSettings): EcsTaskDefinition {
  const { api, vars } = p.ctx;
  const id = tf(t.name);
  const knobs = vars.tasks[t.name];
  const td = p.taskDefinition(
    id,
    t.family ?? `${vars.name}-${t.name}`,
    { ...t, port: undefined },
    { cpu: knobs[`${id}_cpu`], memory: knobs[`${id}_memory`] },
  );
  // How the task is launched is the caller's (RunTask's networkConfiguration); the tag states it for the policy gate.
  td.tags = { Purpose: "run-task", ...(t.assignPublicIp ? { [ASSIGN_PUBLIC_IP_TAG]: "ENABLED" } : {}) };
  // The family's ARN without `:<revision>`: RunTask then runs the latest ACTIVE revision, so a new image or size
  // (a new revision; Terraform deregisters the old one) needs nothing redeployed by whoever holds the ARN (D167).
  api.output(
    `${id}_task_definition_arn`,
    td.arnWithoutRevision,
    `ARN of the ${t.name} task definition without its revision (RunTask runs the latest ACTIVE revision).`,
  );
  api.output(
    `${id}_container_name`,
    t.containerName,
    `Name of the ${t.name} task's container (what a runner's container overrides name).`,
  );
  taskAccessPolicy(p.ctx.scope, { task: t, id, role: p.roles.taskRole.id });
  api.output(`${id}_task_definition_family`, td.family, `Family of the ${t.name} task definition.`);
  // Started by hand (troubleshooting, a test run): where the runner would start it, with the same public IP choice.
  api.output(
    `${id}_run_task_command`,
    runTaskLine(p.ctx, p.cluster, td.family, t.assignPublicIp ? { subnets: vars.publicSubnetIds, publicIp: true } : {}),
    `aws ecs run-task line that starts the ${t.name} task by hand; prints the task ARN.`,
  );
  return td;
}

/**
 * The ECS Exec toolbox: a task definition no service uses; run-task starts it with --enable-execute-command, it
 * sleeps for TOOLBOX_LIFETIME_SECONDS and stops itself. Its root is writable (ECS Exec needs that); the services' stays read-only.
 */
export function toolboxTask(p: OneOffParts): EcsTaskDefinition | undefined {
  const { scope, settings: cfg, vars } = p.ctx;
  const role = p.roles.toolboxRole;
  if (!role || vars.toolboxImage === undefined) return undefined;
  const toolbox = {
    name: "toolbox",
    image: vars.toolboxImage,
    essential: true,
    command: ["sleep", String(TOOLBOX_LIFETIME_SECONDS)],
    readonlyRootFilesystem: false,
    privileged: false,
    environment: toolboxEnvironment(vars),
    secrets: toolboxSecrets(vars),
    linuxParameters: { initProcessEnabled: true },
    logConfiguration: awsLogs(p.cluster.logGroup.name, vars.region)("toolbox"),
  };
  return named(
    new EcsTaskDefinition(scope, "td_toolbox", {
      family: `${vars.name}-toolbox`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      executionRoleArn: p.roles.execRole.arn,
      taskRoleArn: role.arn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: cfg.architecture },
      containerDefinitions: containerDefinitions(scope, "toolbox", [toolbox]),
      tags: { Purpose: TOOLBOX_PURPOSE },
    }),
    "toolbox",
  );
}
