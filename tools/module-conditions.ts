/**
 * When a module input exists only in some configurations: the condition in words (the README's "present"
 * column) and as a predicate over the configuration, which the docs generator and a unit test check against
 * every synthesized configuration (a condition that no longer holds shows as the list of configurations).
 */
import type { EnvironmentConfig, Product } from "../environments";
import { bucketNames } from "../modules/storage/config";

export interface Condition {
  /** The input, or a pattern of inputs (one per service, bucket …; its first group names the instance). */
  readonly inputs: string | RegExp;
  /** Markdown, after "present when". */
  readonly when: string;
  readonly holds: (c: { env: EnvironmentConfig; product: Product }, variable: string) => boolean;
}

/** The instance a pattern's first group names (`api` of `api_cpu`). */
const instance = (inputs: RegExp, variable: string) => inputs.exec(variable)?.[1] ?? "";

const SERVICE_KNOBS = /^(\w+?)_(desired_count|min_capacity|max_capacity)$/;
const SIZE_KNOBS = /^(\w+?)_(cpu|memory)$/;
const BUCKET_INPUTS = /^(\w+)_bucket_(name|arn)$/;
const hasBucket = (env: EnvironmentConfig, tf: string) =>
  Object.keys(env.storage.buckets).some((key) => bucketNames(key).tf === tf);
const webService = (env: EnvironmentConfig) => env.compute.services.some((s) => s.kind === "web");
const SCHEDULE_INPUTS = /^schedule_(stop|start|timezone)$/;
const DB_SCHEDULE_INPUTS = /^(schedule_stop|schedule_start|schedule_timezone|account_id|running)$/;
const vpc = (env: EnvironmentConfig) => env.network.mode !== "default-vpc";

export const PRESENT_WHEN: Record<string, readonly Condition[]> = {
  cache: [
    {
      inputs: "url_parameter_name",
      when: "`compute.parameterStore.redisUrl`",
      holds: ({ env }) => Boolean(env.compute.parameterStore?.redisUrl),
    },
  ],
  compute: [
    {
      inputs: SCHEDULE_INPUTS,
      when: "`schedule` is set (working hours, D210)",
      holds: ({ env }) => env.schedule !== undefined,
    },
    {
      inputs: BUCKET_INPUTS,
      when: "`storage.buckets` has the bucket (`<key>` in snake case)",
      holds: ({ env }, v) => hasBucket(env, instance(BUCKET_INPUTS, v)),
    },
    {
      inputs: /^db_/,
      when: "`database.enabled`",
      holds: ({ env }) => env.database.enabled,
    },
    {
      inputs: /^redis_/,
      when: "`cache.enabled`",
      holds: ({ env }) => env.cache.enabled,
    },
    {
      inputs: "toolbox_image",
      when: "`compute.toolbox.enabled`",
      holds: ({ env }) => env.compute.toolbox.enabled,
    },
    {
      inputs: SERVICE_KNOBS,
      when: "`compute.services` has the service (knob `<service>_…`)",
      holds: ({ env }, v) => env.compute.services.some((s) => s.name === instance(SERVICE_KNOBS, v)),
    },
    {
      inputs: SIZE_KNOBS,
      when: "`compute.services` or `compute.tasks` has the service or task (knob `<name>_…`)",
      holds: ({ env }, v) =>
        [...env.compute.services, ...env.compute.tasks].some((s) => s.name === instance(SIZE_KNOBS, v)),
    },
    {
      inputs: /^(parameter_path|written_parameter_arns)$/,
      when: "`compute.parameterStore`",
      holds: ({ env }) => env.compute.parameterStore !== undefined,
    },
    {
      inputs: /_cache_ttl$/,
      when: "the product declares the app setting (`appSettings` of `environments/<product>/product.ts`)",
      holds: ({ product }, v) => Boolean(product.appSettings && v in product.appSettings.knobs),
    },
  ],
  database: [
    {
      inputs: DB_SCHEDULE_INPUTS,
      when: "`schedule` is set (working hours, D210)",
      holds: ({ env }) => env.schedule !== undefined,
    },
    {
      inputs: /^(rotation_subnet_ids|region|app_rotation_days)$/,
      when: "the application password rotates (`database.appRotation` without `waiver`)",
      holds: ({ env }) => env.database.appRotation.waiver === undefined,
    },
    {
      inputs: "url_parameter_path",
      when: "`compute.parameterStore.databaseUrl`",
      holds: ({ env }) => Boolean(env.compute.parameterStore?.databaseUrl),
    },
  ],
  monitoring: [
    {
      inputs: "ecs_service_name",
      when: "`compute.services` is not empty",
      holds: ({ env }) => env.compute.services.length > 0,
    },
    {
      inputs: /^rds_/,
      when: "`database.enabled`",
      holds: ({ env }) => env.database.enabled,
    },
    {
      inputs: /^redis_/,
      when: "`cache.enabled`",
      holds: ({ env }) => env.cache.enabled,
    },
    {
      inputs: /^(alb_arn_suffix|target_group_arn_suffix)$/,
      when: "a web service (`compute.services[].kind` web)",
      holds: ({ env }) => webService(env),
    },
    {
      inputs: "target_group_arn_suffixes",
      when: "`monitoring.serviceAlarms` has a `p95LatencyMs` or `monitoring.dashboard.errorRateServices` is not empty",
      holds: ({ env }) =>
        Object.values(env.monitoring.serviceAlarms).some((a) => a.p95LatencyMs !== undefined) ||
        env.monitoring.dashboard.errorRateServices.length > 0,
    },
  ],
  network: [
    {
      inputs: "app_port",
      when: "`network.mode` is not `default-vpc` and a web service exists",
      holds: ({ env }) => vpc(env) && webService(env),
    },
    {
      inputs: /./,
      when: "`network.mode` is not `default-vpc` (that mode's module creates the tasks' group only)",
      holds: ({ env }) => vpc(env),
    },
  ],
};
