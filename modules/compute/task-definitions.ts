/**
 * Task definitions of the application's image (services, compute.tasks, migrations): the app container with
 * its environment and secrets (./env.ts), the X-Ray daemon and the Datadog agent as sidecars, and the ECS task
 * definition that holds them.
 */
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Token } from "cdktf";
import { named } from "../../lib/core/module-stack";
import type { Cluster } from "./cluster";
import { DEFAULT_CONTAINER_NAME, TMP_PATH, type ScratchConfig, type ServiceSettings } from "./config";
import { XRAY_IMAGE } from "./constants";
import { datadogTask, type DatadogTask } from "./datadog";
import { XRAY_CONTAINER, XRAY_RESERVATION } from "./datadog-config";
import { awsLogs, containerEnvironment, containerSecrets, type DbLogin, type ParameterRef } from "./env";
import { containerDefinitions, type ComputeContext } from "./parts";
import type { DatadogNames, Roles } from "./roles";

/** What a task definition of the app image is made of. */
export type AppTask = Pick<ServiceSettings, "name" | "image" | "command" | "secrets" | "environment"> & {
  readonly containerName?: string;
  readonly port?: number;
  readonly dbLogin?: DbLogin;
  readonly parameters?: ParameterRef[];
  /** The service's own log group (`logGroupPerService`). @default the module's `/ecs/<name>` */
  readonly logGroup?: string;
  /** A writable scratch volume besides /tmp, and the task's ephemeral storage (compute.tasks[].scratch). @default none */
  readonly scratch?: ScratchConfig;
};

/** The task volume of compute.tasks[].scratch. */
export const SCRATCH_VOLUME = "scratch";

/** The app container's writable mounts: `/tmp` always, the scratch volume when the task has one. */
function writableMounts(scratch: ScratchConfig | undefined) {
  return [
    { sourceVolume: "tmp", containerPath: TMP_PATH, readOnly: false },
    ...(scratch ? [{ sourceVolume: SCRATCH_VOLUME, containerPath: scratch.path, readOnly: false }] : []),
  ];
}

/** A task's size: knob tokens (`var.<service>_cpu`) or the config's numbers (migrations). */
export interface TaskSize {
  readonly cpu: number | string | boolean;
  readonly memory: number | string | boolean;
}

/** Builds the module's app task definitions: `td(id, family, task, size, service)` → `aws_ecs_task_definition.<id>`. */
export function appTaskDefinitions(ctx: ComputeContext, cluster: Cluster, roles: Roles, datadog?: DatadogNames) {
  const { scope, settings: cfg, vars } = ctx;
  const appLogs = awsLogs(cluster.logGroup.name, vars.region);
  // Services get the Datadog agent sidecar; one-off tasks (migrations) do not.
  const sidecar = (svc: AppTask): DatadogTask | undefined =>
    roles.ddSecret && datadog
      ? datadogTask({
          config: cfg.datadog,
          environmentName: ctx.environmentName,
          service: `${datadog.servicePrefix}-${svc.name}`,
          version: vars.imageTag,
          secretArn: roles.ddSecret.arn,
          logs: appLogs,
        })
      : undefined;
  const appContainer = (svc: AppTask, dd: DatadogTask | undefined) => {
    const environment = containerEnvironment({ ...vars, environmentName: ctx.environmentName }, cfg, svc);
    const group = svc.logGroup ? cluster.serviceLogs?.[svc.logGroup] : undefined;
    return {
      name: svc.containerName ?? DEFAULT_CONTAINER_NAME,
      image: `${cluster.repositories[svc.image].repositoryUrl}:${vars.imageTag}`,
      essential: true,
      command: svc.command,
      portMappings: svc.port !== undefined ? [{ containerPort: svc.port, protocol: "tcp" }] : [],
      readonlyRootFilesystem: true,
      privileged: false,
      environment: dd
        ? [...environment, ...dd.appEnvironment].sort((a, b) => a.name.localeCompare(b.name))
        : environment,
      secrets: containerSecrets(vars, svc, svc.dbLogin),
      mountPoints: writableMounts(svc.scratch),
      linuxParameters: { initProcessEnabled: true },
      logConfiguration: (group ? awsLogs(group.name, vars.region) : appLogs)(svc.name),
      ...(dd ? { dependsOn: dd.appDependsOn } : {}),
    };
  };
  const xray = {
    name: XRAY_CONTAINER,
    image: XRAY_IMAGE,
    essential: false,
    cpu: XRAY_RESERVATION.cpu,
    memoryReservation: XRAY_RESERVATION.memory,
    portMappings: [{ containerPort: 2000, protocol: "udp" }],
    readonlyRootFilesystem: true,
    privileged: false,
    logConfiguration: appLogs("xray"),
  };
  return (id: string, family: string, svc: AppTask, size: TaskSize, service = false): EcsTaskDefinition => {
    const dd = service ? sidecar(svc) : undefined;
    const containers: object[] = [appContainer(svc, dd), ...(cfg.xray ? [xray] : []), ...(dd ? dd.containers : [])];
    return named(
      new EcsTaskDefinition(scope, `td_${id}`, {
        family,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: Token.asString(size.cpu),
        memory: Token.asString(size.memory),
        executionRoleArn: roles.execRole.arn,
        taskRoleArn: roles.taskRole.arn,
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: cfg.architecture },
        volume: [{ name: "tmp" }, ...(svc.scratch ? [{ name: SCRATCH_VOLUME }] : []), ...(dd ? dd.volumes : [])],
        ...(svc.scratch?.sizeGib !== undefined && { ephemeralStorage: { sizeInGib: svc.scratch.sizeGib } }),
        containerDefinitions: containerDefinitions(scope, id, containers),
      }),
      id,
    );
  };
}
