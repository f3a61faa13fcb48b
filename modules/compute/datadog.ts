/**
 * The Datadog agent as a sidecar of every service's task (compute.datadog, D78–D80).
 *
 * - `datadog-agent`: ECS_FARGATE mode (task metadata endpoint, no host access), DogStatsD on
 *   localhost:8125, traces on localhost:8126 when APM is on, logs off (they reach Datadog from
 *   CloudWatch through Firehose, modules/monitoring/datadog-logs.ts). DD_API_KEY comes from Secrets
 *   Manager by `valueFrom` (JSON key `api_key`, the format Firehose also reads), never a value.
 * - Read-only root filesystem like every service container: Datadog's "Running the Datadog Agent with a
 *   Read-Only Root Filesystem" (https://docs.datadoghq.com/containers/guide/readonly-root-filesystem/) lists
 *   the paths the agent writes: /etc/datadog-agent (configuration; a one-shot `datadog-init` container copies
 *   the image's defaults into the volume first), /opt/datadog-agent/run (runtime state), /var/run/datadog
 *   (APM and DogStatsD sockets), /var/log/datadog (its log) and /tmp (flares). Each is a task volume.
 * - The app container gets the tracer's settings (DD_AGENT_HOST, DD_TRACE_AGENT_PORT, unified service
 *   tags DD_SERVICE/DD_ENV/DD_VERSION = image tag) and starts after the agent (dependsOn START).
 * The agent is not essential: if it dies the app keeps serving and only telemetry stops.
 */
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import type { Construct } from "constructs";
import type { DatadogConfig } from "./datadog-config";
import { DATADOG_AGENT_CONTAINER, DATADOG_INIT_CONTAINER } from "./datadog-config";
import { named } from "../../lib/core/module-stack";
import { rotationWaiverTags, ROTATION_WAIVERS } from "../../lib/constructs/rotation";

export { DATADOG_INIT_CONTAINER };
/** Trace intake of the agent (Datadog's default port). */
export const DATADOG_TRACE_PORT = 8126;
/** JSON key of the API key inside the secret (Firehose's documented format for HTTP endpoint destinations). */
export const DATADOG_SECRET_KEY = "api_key";

/** Task volume → the agent's writable path (Datadog's read-only root filesystem guide). */
export const DATADOG_VOLUMES: Readonly<Record<string, string>> = {
  "dd-config": "/etc/datadog-agent",
  "dd-run": "/opt/datadog-agent/run",
  "dd-sockets": "/var/run/datadog",
  "dd-logs": "/var/log/datadog",
  "dd-tmp": "/tmp",
};
/** Where the init container sees the configuration volume (its own /etc/datadog-agent is the image's). */
const INIT_CONFIG_PATH = "/dd-config";

type Pair = { name: string; value: string };
type LogConfiguration = { logDriver: string; options: Record<string, string> };

export interface DatadogTask {
  /** `datadog-init` and `datadog-agent`, to append to the task's containers. */
  readonly containers: object[];
  /** Task volumes the two containers mount. */
  readonly volumes: { name: string }[];
  /** Variables the app container gets. */
  readonly appEnvironment: Pair[];
  /** The app starts once the agent has started. */
  readonly appDependsOn: { containerName: string; condition: string }[];
}

export interface DatadogTaskProps {
  readonly config: DatadogConfig;
  /** DD_ENV: the workspace. */
  readonly environmentName: string;
  /** DD_SERVICE of the app container. */
  readonly service: string;
  /** DD_VERSION: the image tag the task runs. */
  readonly version: string;
  /** ARN of the API key secret (an expression). */
  readonly secretArn: string;
  /** The awslogs configuration for a stream prefix (the module's log group). */
  readonly logs: (streamPrefix: string) => LogConfiguration;
}

export function datadogTask(p: DatadogTaskProps): DatadogTask {
  const dd = p.config;
  const mounts = Object.entries(DATADOG_VOLUMES).map(([sourceVolume, containerPath]) => ({
    sourceVolume,
    containerPath,
    readOnly: false,
  }));
  const init = {
    name: DATADOG_INIT_CONTAINER,
    image: dd.image,
    essential: false,
    // A plain shell, not the image's entrypoint: copy the default configuration into the volume and exit.
    entryPoint: ["/bin/sh", "-c"],
    command: [`cp -R /etc/datadog-agent/. ${INIT_CONFIG_PATH}/`],
    readonlyRootFilesystem: true,
    privileged: false,
    mountPoints: [{ sourceVolume: "dd-config", containerPath: INIT_CONFIG_PATH, readOnly: false }],
    logConfiguration: p.logs(DATADOG_INIT_CONTAINER),
  };
  const agentEnv: Record<string, string> = {
    ECS_FARGATE: "true",
    DD_SITE: dd.site,
    DD_ENV: p.environmentName,
    DD_APM_ENABLED: String(dd.apm),
    DD_DOGSTATSD_NON_LOCAL_TRAFFIC: "true",
    // Logs reach Datadog from CloudWatch (Firehose); the agent collects none itself.
    DD_LOGS_ENABLED: "false",
    DD_PROCESS_AGENT_ENABLED: "false",
  };
  const agent = {
    name: DATADOG_AGENT_CONTAINER,
    image: dd.image,
    essential: false,
    cpu: dd.cpu,
    memoryReservation: dd.memory,
    readonlyRootFilesystem: true,
    privileged: false,
    environment: sorted(agentEnv),
    secrets: [{ name: "DD_API_KEY", valueFrom: `${p.secretArn}:${DATADOG_SECRET_KEY}::` }],
    mountPoints: mounts,
    dependsOn: [{ containerName: DATADOG_INIT_CONTAINER, condition: "SUCCESS" }],
    logConfiguration: p.logs(DATADOG_AGENT_CONTAINER),
  };
  const appEnv: Record<string, string> = {
    DD_AGENT_HOST: "localhost",
    DD_TRACE_AGENT_PORT: String(DATADOG_TRACE_PORT),
    DD_SERVICE: p.service,
    DD_ENV: p.environmentName,
    DD_VERSION: p.version,
    DD_TRACE_ENABLED: String(dd.apm),
  };
  // Trace ids in the log lines let Datadog join a shipped log line to its trace.
  if (dd.apm && dd.logs) appEnv.DD_LOGS_INJECTION = "true";
  return {
    containers: [init, agent],
    volumes: Object.keys(DATADOG_VOLUMES).map((name) => ({ name })),
    appEnvironment: sorted(appEnv),
    appDependsOn: [{ containerName: DATADOG_AGENT_CONTAINER, condition: "START" }],
  };
}

function sorted(env: Record<string, string>): Pair[] {
  return Object.entries(env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

/**
 * The API key secret `<project>/<env>/datadog-api-key`, encrypted with the data key; its value
 * (`{"api_key": "<key>"}`) is put by an operator. It exists only while Datadog is on, so it is deleted
 * without a recovery window (D80): a window would keep the name taken and block turning Datadog back on
 * for up to 30 days, and the key's master copy lives in Datadog (Organization Settings → API Keys).
 */
export function datadogApiKeySecret(
  scope: Construct,
  props: { readonly name: string; readonly kmsKeyId: string },
): SecretsmanagerSecret {
  return named(
    new SecretsmanagerSecret(scope, "datadog_api_key", {
      name: props.name,
      description:
        'Datadog API key as JSON {"api_key": "..."}: the agent sidecar (ECS secrets) and Firehose (log shipping) read it',
      kmsKeyId: props.kmsKeyId,
      recoveryWindowInDays: 0,
      // Issued by Datadog (D173): rotated there, then put here by an operator.
      tags: rotationWaiverTags(ROTATION_WAIVERS.operatorValue),
    }),
    "datadog_api_key",
  );
}
