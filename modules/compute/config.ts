/** Configuration of the compute module (ECS Fargate + ALB): the `compute` section of an environment, its settings and its knobs. */
import { z } from "zod";
import type { Controls } from "../../lib/core/controls";
import { CA_BUNDLE_PATH_RE, DEFAULT_RDS_CA_BUNDLE } from "../database/config";
import {
  defineKnobs,
  knobFields,
  type KnobRule,
  type KnobSet,
  type KnobSpec,
  type ModuleSettings,
} from "../../lib/core/knobs";
import {
  all,
  compare,
  implies,
  join,
  knob,
  lookup,
  matches,
  member,
  oneOf,
  range as within,
  isTrue,
  lit,
  when,
  type PresenceTable,
  type Term,
} from "../../lib/core/rules";
import {
  DATADOG_AGENT_CONTAINER,
  DATADOG_INIT_CONTAINER,
  datadogKnobRules,
  DatadogSchema,
  XRAY_CONTAINER,
  type DatadogConfig,
} from "./datadog-config";

/* --- Knobs ---------------------------------------------------------------------------------------

   The compute module's knobs (lib/core/knobs.ts): the image tag CI/CD rolls (`app_image_tag`, field
   `compute.imageTag`) and, for every service, its size and scaling (`<service>_cpu`, field
   `compute.services[i].cpu` …; seed 000's service `app` gives `app_cpu`, `app_desired_count` …).
 */

/**
 * Fargate's ephemeral storage, in GiB: what a task gets without `ephemeralStorage` (its image, `/tmp` and any
 * scratch volume share it), and the range a task definition may ask for instead
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html).
 */
export const FARGATE_EPHEMERAL_GIB = { included: 20, min: 21, max: 200 } as const;
/** Where every app container may write on its read-only root: its own task volume `tmp`. */
export const TMP_PATH = "/tmp";
/** Paths a scratch volume may not cover: `/tmp` (already writable) and the kernel's filesystems. */
export const SCRATCH_FORBIDDEN_PATHS: readonly string[] = [TMP_PATH, "/proc", "/sys", "/dev"];

/**
 * A writable directory on the task's read-only root: the task volume `scratch` (a Fargate bind mount, ephemeral:
 * it lives and dies with the task, on the task's ephemeral storage) mounted read-write at `path`.
 */
export const ScratchSchema = z
  .object({
    /** Absolute path the container writes to, e.g. `/scratch`; not `/tmp` (already writable) nor inside it. Required. */
    path: z
      .string()
      .regex(
        /^(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/,
        "must be an absolute path such as /scratch (segments of letters, digits, . _ -, not starting with a dot)",
      )
      .refine((path) => !SCRATCH_FORBIDDEN_PATHS.some((f) => path === f || path.startsWith(`${f}/`)), {
        message: `must not be ${SCRATCH_FORBIDDEN_PATHS.join(", ")} or inside one (${TMP_PATH} is already writable)`,
      }),
    /**
     * The task's ephemeral storage, GiB (ECS `ephemeralStorage.sizeInGiB`, Fargate 21–200; billed per GiB-hour above
     * the included 20; `npm run cost` does not price it). @default Fargate's included 20 GiB, shared by the image, /tmp and this volume
     */
    sizeGib: z
      .number()
      .int()
      .min(
        FARGATE_EPHEMERAL_GIB.min,
        `Fargate's ephemeral storage is ${FARGATE_EPHEMERAL_GIB.min}–${FARGATE_EPHEMERAL_GIB.max} GiB when set (${FARGATE_EPHEMERAL_GIB.included} without it)`,
      )
      .max(FARGATE_EPHEMERAL_GIB.max, `Fargate's ephemeral storage is at most ${FARGATE_EPHEMERAL_GIB.max} GiB`)
      .optional(),
  })
  .strict();
export type ScratchConfig = z.output<typeof ScratchSchema>;

/** Valid Fargate task sizes: CPU units → memory (MiB) values. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};
export const FARGATE_CPUS = Object.keys(FARGATE_MEMORY).map(Number);

/** The `app_image_tag` before the first image is pushed: services run zero tasks while it is set (docs/decisions.md D55). */
export const PLACEHOLDER_IMAGE_TAG = "initial";
function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** A Docker image tag (https://docs.docker.com/reference/cli/docker/image/tag/): up to 128 of [A-Za-z0-9_.-], not starting with . or -. */
export const IMAGE_TAG_RE = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

export const IMAGE_KNOBS = defineKnobs(
  {
    app_image_tag: {
      type: "string",
      field: "imageTag",
      default: PLACEHOLDER_IMAGE_TAG,
      description:
        "Deployed image tag of every service; its home is the product's images.json (npm run image -- set <workspace> <tag>), which synth writes here.",
    },
  },
  () => [
    {
      variable: "app_image_tag",
      must: matches("app_image_tag", IMAGE_TAG_RE),
      message: '"{app_image_tag}" is not a Docker image tag',
    },
  ],
);

/** `api-web` → `api_web`: the Terraform prefix of a service's knobs and resources. */
export function serviceVariablePrefix(service: string): string {
  return service.replace(/-/g, "_");
}

/** What every service's knobs are: suffix of the variable → declaration. */
const SERVICE_KNOB_SPECS = {
  desired_count: {
    type: "number",
    integer: true,
    field: "desiredCount",
    description: "Tasks at service creation (autoscaling owns the count afterwards).",
  },
  min_capacity: { type: "number", integer: true, field: "minCapacity", description: "Autoscaling floor." },
  max_capacity: { type: "number", integer: true, field: "maxCapacity", description: "Autoscaling ceiling." },
  cpu: {
    type: "number",
    integer: true,
    field: "cpu",
    description: "Fargate CPU units of the {service} task (1024 = 1 vCPU).",
  },
  memory: { type: "number", integer: true, field: "memory", description: "Fargate memory of the {service} task, MiB." },
} as const satisfies Record<string, KnobSpec>;

/**
 * Size and scaling knobs of one service, named `<service>_<knob>` (`app_cpu`). `extraRules` adds rules on them
 * that depend on the rest of the config (the Datadog fit rule, ./datadog-config.ts). @default none
 */
export function serviceKnobs(service: string, extraRules: (prefix: string) => readonly KnobRule[] = () => []): KnobSet {
  const p = serviceVariablePrefix(service);
  const [desired, min, max, cpu, memory] = Object.keys(SERVICE_KNOB_SPECS).map((k) => `${p}_${k}`);
  const knobs: Record<string, KnobSpec> = {};
  for (const [suffix, spec] of Object.entries(SERVICE_KNOB_SPECS))
    knobs[`${p}_${suffix}`] = { ...spec, description: spec.description.replace("{service}", service) };
  const validMemory = lookup(FARGATE_MEMORY, knob(cpu), []);
  const rules: KnobRule[] = [
    {
      variable: cpu,
      must: oneOf(cpu, FARGATE_CPUS),
      message: `{${cpu}} is not a Fargate CPU value (${FARGATE_CPUS.join(", ")})`,
    },
    {
      variable: memory,
      must: implies(oneOf(cpu, FARGATE_CPUS), member(memory, validMemory)),
      message: `{${memory}} MiB is not a valid Fargate memory for {${cpu}} CPU units (valid: {valid_memory})`,
      extras: { valid_memory: join(", ", validMemory) },
    },
    {
      variable: desired,
      must: all(compare(min, "<=", desired), compare(desired, "<=", max)),
      message: `desired count {${desired}} must lie between ${min} {${min}} and ${max} {${max}}`,
    },
    {
      variable: max,
      must: within(max, { min: 1 }),
      message: `${max} must be at least 1, got {${max}}`,
    },
  ];
  return defineKnobs(knobs, () => [...rules, ...extraRules(p)]);
}

/** A service's knobs within its compute config: with the Datadog fit rule while the agent is on. */
export function knobsOfService(
  compute: { readonly datadog: DatadogConfig; readonly xray: boolean },
  service: string,
): KnobSet {
  return serviceKnobs(service, (prefix) => datadogKnobRules(compute, service, prefix));
}

/** The knob fields every service has (the schema's view: names do not matter, fields do). */
export const SERVICE_KNOB_FIELDS = defineKnobs(SERVICE_KNOB_SPECS);

/** ALB security policies offered: TLS 1.3 + 1.2, or TLS 1.3 only (ELB guide, "Security policies for your Application Load Balancer"). */
export const ALB_TLS_POLICIES = ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06"] as const;
/** Official Redis image on ECR Public: redis-cli built with TLS, a shell, and the Alpine CA bundle. */
export const TOOLBOX_IMAGE = "public.ecr.aws/docker/library/redis:7.2-alpine";

/** A listener rule's host-header value: a lowercase DNS name, optionally a leading `*.` wildcard (ELB matches it case-insensitively). */
export const HOST_HEADER_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Name of the application container of a task definition unless the config names it (seed 000). */
export const DEFAULT_CONTAINER_NAME = "app";
/** Containers the module adds beside the application's: its name must differ from theirs. */
export const SIDECAR_CONTAINERS: readonly string[] = [XRAY_CONTAINER, DATADOG_INIT_CONTAINER, DATADOG_AGENT_CONTAINER];
/**
 * The application container's name (ECS: up to 255 letters, digits, hyphens and underscores). What a RunTask
 * `containerOverrides[].name`, a load balancer's `containerName` and `describe-tasks` queries name, so it follows
 * the guide (seed 002: `api`). Renaming it makes a new task definition revision; the service is updated in place (D162).
 */
export const ContainerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,255}$/, "an ECS container name: 1–255 letters, digits, hyphens and underscores")
  .refine((n) => !SIDECAR_CONTAINERS.includes(n), {
    message: `is the name of a sidecar the module adds (${SIDECAR_CONTAINERS.join(", ")})`,
  });

/**
 * A service's target on an application metric: the metric's events per minute (its SampleCount: one per log line
 * the metric filter matched) over the service's running tasks (ECS/ContainerInsights RunningTaskCount), the
 * per-task form AWS documents for target tracking with metric math
 * (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking-metric-math.html).
 * A throughput per task halves when the tasks double, as target tracking needs; a latency does not (D193).
 */
export const AppMetricTargetSchema = z
  .object({
    /** The metric's namespace under the app's root (`api` for `<root>/api`), as monitoring.appMetrics publishes it. Required. */
    namespace: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be the sub-namespace the app publishes, such as api"),
    /** The metric's name (`search_latency`), as published. Required. */
    metric: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, "must be a metric name the app publishes"),
    /** Events per running task per minute to hold. Required. */
    perTaskPerMinute: z.number().positive(),
  })
  .strict();
export type AppMetricTarget = z.output<typeof AppMetricTargetSchema>;

/** A metric the app publishes (the product's metric filters): its sub-namespace, name and whether it has dimensions. */
export interface PublishedAppMetric {
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions?: Readonly<Record<string, string>>;
}

/**
 * The rules of `appMetricTarget`, with the metrics the product publishes: the metric must be one of them and have no
 * dimensions (a filter with dimensions publishes no series without them), and the running-task count needs
 * Container Insights. Messages name the field path.
 */
export function appMetricTargetProblems(
  label: string,
  compute: Pick<ComputeConfig, "services" | "containerInsights">,
  published: readonly PublishedAppMetric[],
): string[] {
  const problems: string[] = [];
  compute.services.forEach((s, i) => {
    const t = s.appMetricTarget;
    if (!t) return;
    const path = `${label}.compute.services[${i}].appMetricTarget`;
    const found = published.find((m) => m.namespace === t.namespace && m.metric === t.metric);
    const dimensionless = published.filter((m) => Object.keys(m.dimensions ?? {}).length === 0);
    const choices = dimensionless.map((m) => `${m.namespace}/${m.metric}`).join(", ") || "none";
    if (!found)
      problems.push(
        `${path}: the app publishes no metric ${t.namespace}/${t.metric} (monitoring.appMetrics); published without dimensions: ${choices}`,
      );
    else if (Object.keys(found.dimensions ?? {}).length > 0)
      problems.push(
        `${path}: ${t.namespace}/${t.metric} is published only with dimensions (${Object.keys(found.dimensions ?? {}).join(", ")}), so it has no series to scale on; use one without: ${choices}`,
      );
    if (!compute.containerInsights)
      problems.push(
        `${path}: needs compute.containerInsights = true (the per-task division reads ECS/ContainerInsights RunningTaskCount)`,
      );
  });
  return problems;
}

export const ServiceSchema = z
  .object({
    /** Service name: `<project>-<env>-<name>` (seed 000: `<project>-<env>-app`). Required. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be lowercase letters, digits and dashes"),
    /** Name of the application container (./config.ts, ContainerNameSchema). @default "app" */
    containerName: ContainerNameSchema.default(DEFAULT_CONTAINER_NAME),
    /** `web` sits behind the ALB; `worker` has no load balancer (seed 002's BullMQ workers). @default "web" */
    kind: z.enum(["web", "worker"]).default("web"),
    /** ECR repository (one of `compute.images`). @default "app" */
    image: z.string().default("app"),
    /** Size and scaling: the service's knobs (./config.ts, knobs section; `<service>_cpu`, `<service>_memory`, `<service>_desired_count`, `<service>_min_capacity`, `<service>_max_capacity`). Required. */
    ...knobFields(SERVICE_KNOB_FIELDS),
    /** Container port (web services; a worker's is not used). @default 8080 (AWS App Runner's default port: a non-root HTTP port) */
    port: z.number().int().min(1).max(65535).default(8080),
    /** ALB health check path. @default "/health" (seed 000 §6) */
    healthCheckPath: z.string().startsWith("/").default("/health"),
    /** Seconds ECS ignores failing health checks after a task starts. @default 60 */
    healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647).default(60),
    /** Command override. @default the image's */
    command: z.array(z.string()).optional(),
    /** Run on Fargate Spot (interruptible, ~70% cheaper). @default false */
    spot: z.boolean().default(false),
    /** Target-tracking CPU %, seed 000 §9.1. @default 70 */
    cpuTarget: z.number().min(10).max(95).default(70),
    /** Target-tracking memory %, seed 000 §9.1. @default 80 */
    memoryTarget: z.number().min(10).max(95).default(80),
    /** Target-tracking ALB requests per target per minute (web only). @default none */
    requestsPerTarget: z.number().int().positive().optional(),
    /**
     * Target tracking on one of the app's own metrics (seed 001 "Auto-scaling metrics customizadas"), as events per
     * running task per minute (AppMetricTargetSchema). Only a metric the product publishes (monitoring.appMetrics,
     * without dimensions), and only with `compute.containerInsights` (the running-task count). @default none (off)
     */
    appMetricTarget: AppMetricTargetSchema.optional(),
    /** Listener rule paths for web services after the first (the first is the listener default). @default [] */
    pathPatterns: z.array(z.string().startsWith("/")).default([]),
    /** Extra plain environment variables (never secrets). @default {} */
    environment: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).default({}),
    /** Secrets to inject by ARN, from `security.secrets.names`; env var = upper snake case of the name. @default [] */
    secrets: z.array(z.string()).default([]),
    /**
     * SSM parameters to inject by `valueFrom` (`compute.parameterStore`): the env var is the parameter's name
     * (`DATABASE_URL`); a plain variable of the same name is dropped. @default []
     */
    parameters: z.array(z.string()).default([]),
    /**
     * Host names this web service answers (`api.example.com`, or `*.example.com`): its listener rule gets a
     * host-header condition (with `pathPatterns`, both must match). When the first web service has any, it is no
     * longer the listener default: it gets its own rule and a request for any other host gets 404 (D110). At most
     * 5 condition values per rule with `pathPatterns` (ELB quota). @default [] (no host condition)
     */
    hostHeaders: z
      .array(
        z
          .string()
          .max(128, "a host-header value holds at most 128 characters")
          .regex(HOST_HEADER_RE, "must be a lowercase host name such as api.example.com or *.example.com"),
      )
      .default([]),
    /**
     * Fargate and Fargate Spot together (capacity provider strategy): the first `onDemandBase` tasks run on Fargate,
     * the rest split `onDemandWeight` : `spotWeight` between Fargate and Fargate Spot (D111). Not with `spot: true`.
     * @default none (all tasks on one capacity provider, as `spot` says)
     */
    spotMix: z
      .object({
        /** Tasks that always run on on-demand Fargate before any weight applies. @default 1 */
        onDemandBase: z.number().int().min(0).max(100000).default(1),
        /** Relative share of the tasks above the base on on-demand Fargate. @default 1 */
        onDemandWeight: z.number().int().min(0).max(1000).default(1),
        /** Relative share of the tasks above the base on Fargate Spot. @default 1 */
        spotWeight: z.number().int().min(1, "a mix needs some Spot: at least 1 (or drop spotMix)").max(1000).default(1),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A task's knobs: its size (`<task>_cpu`, `<task>_memory`), with the Fargate rules; no count, nothing scales it. */
export function taskKnobs(task: string): KnobSet {
  const all = serviceKnobs(task);
  const p = serviceVariablePrefix(task);
  const keep = [`${p}_cpu`, `${p}_memory`];
  return defineKnobs(Object.fromEntries(keep.map((k) => [k, all.knobs[k]])), (ctx) =>
    all.rules(ctx).filter((r) => keep.includes(r.variable)),
  );
}

/** The knob fields every task has. */
export const TASK_KNOB_FIELDS = defineKnobs({ cpu: SERVICE_KNOB_SPECS.cpu, memory: SERVICE_KNOB_SPECS.memory });

/** An ECS container name: up to 255 letters, digits, underscores and hyphens (ECS ContainerDefinition `name`). */
const arnOf = (what: string, re: RegExp) => z.string().regex(re, `must be ${what}`);
/** An S3 bucket ARN (`arn:aws:s3:::<bucket>`), no key part. */
const S3_BUCKET_ARN = arnOf(
  "an S3 bucket ARN (arn:aws:s3:::<bucket>)",
  /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
);
/** A DynamoDB table ARN. */
const DYNAMODB_TABLE_ARN = arnOf(
  "a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>)",
  /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/,
);
/**
 * A Bedrock model ARN: an inference profile (`arn:aws:bedrock:<region>:<account>:inference-profile/<id>`) or a
 * foundation model (`arn:aws:bedrock:<region or *>::foundation-model/<id>`). A cross-region inference profile needs
 * both: the profile, and the model in every region it routes to
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html).
 */
const BEDROCK_MODEL_ARN = arnOf(
  "a Bedrock inference-profile or foundation-model ARN",
  /^arn:aws[a-z-]*:bedrock:([a-z0-9-]+:\d{12}:(inference-profile|application-inference-profile)\/[A-Za-z0-9.:_-]+|([a-z0-9-]+|\*)::foundation-model\/[A-Za-z0-9.:_-]+)$/,
);

/** What a task may reach that another tool created; each list names resources by ARN. */
export const TaskAccessSchema = z
  .object({
    /** Buckets it reads (s3:GetObject, s3:ListBucket). @default [] */
    s3Read: z.array(S3_BUCKET_ARN).default([]),
    /** Buckets it reads and writes (also s3:PutObject, s3:AbortMultipartUpload). @default [] */
    s3ReadWrite: z.array(S3_BUCKET_ARN).default([]),
    /** Tables (and their indexes) it reads and writes items of (GetItem, PutItem, UpdateItem, Query). @default [] */
    dynamodbTables: z.array(DYNAMODB_TABLE_ARN).default([]),
    /** Models it invokes (bedrock:InvokeModel, InvokeModelWithResponseStream; Converse uses the same actions). @default [] */
    bedrockModels: z.array(BEDROCK_MODEL_ARN).default([]),
  })
  .strict();
export type TaskAccess = z.output<typeof TaskAccessSchema>;

export const TaskSchema = z
  .object({
    /** Task name: family `<project>-<env>-<name>` unless `family` is set; its knobs `<name>_cpu`, `<name>_memory`. Required. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be lowercase letters, digits and dashes"),
    /** Task definition family, when the guide names it (seed 004: `ai-techne-academy-processor-dev`). @default `<project>-<env>-<name>` */
    family: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, "must be letters, digits, dashes and underscores (ECS family)")
      .optional(),
    /** ECR repository (one of `compute.images`). @default "app" */
    image: z.string().default("app"),
    /** Size: the task's knobs `<task>_cpu` and `<task>_memory` (Fargate values). Required. */
    ...knobFields(TASK_KNOB_FIELDS),
    /**
     * Name of the task's application container: what the runner's overrides name (a Step Functions RunTask
     * state's `Overrides.ContainerOverrides[].Name`, seed 004), output as `<task>_container_name`. ECS refuses
     * an override naming a container the task definition does not have (InvalidParameterException).
     * @default "app"
     */
    containerName: ContainerNameSchema.default(DEFAULT_CONTAINER_NAME),
    /** Command override. @default the image's */
    command: z.array(z.string()).optional(),
    /**
     * Plain environment variables of the task (never secrets): what the application reads to find its resources
     * (seed 004's processor: buckets, table, model). A task definition that replaces one of another tool's must
     * carry that one's variables. @default {}
     */
    environment: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).default({}),
    /** Secrets to inject by ARN, from `security.secrets.names`; env var = upper snake case of the name. @default [] */
    secrets: z.array(z.string()).default([]),
    /**
     * What the task may reach that another tool created (seed 004: the SAM stack's buckets, table and Bedrock
     * model), granted to the task role by the inline policy `<task>-access` (D166). @default nothing
     */
    access: TaskAccessSchema.prefault({}),
    /**
     * Whoever runs the task gives it a public IP (`AssignPublicIp: ENABLED`; seed 004 option B, no NAT). The task
     * definition carries the tag `AssignPublicIp = ENABLED` so the policy gate sees it (ecs-no-public-ip, D122).
     * @default false
     */
    assignPublicIp: z.boolean().default(false),
    /**
     * A writable scratch directory besides `/tmp` (the root filesystem is read-only): an ephemeral task volume at
     * `scratch.path`, with the task's ephemeral storage size (ScratchSchema). @default none (only /tmp is writable)
     */
    scratch: ScratchSchema.optional(),
  })
  .strict();

/** Name of an SSM parameter under the environment's path (`/<project>/<workspace>/<NAME>`): the container variable it becomes. */
export const PARAMETER_NAME = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,63}$/, "must be an environment variable name (upper case letters, digits, underscores)");
/** Value Terraform puts in a parameter an operator sets (`aws ssm put-parameter --overwrite`); never reverted (ignore_changes). */
export const PARAMETER_PLACEHOLDER = "CHANGE_ME";
/** The parameters Terraform writes itself (write-only, D104): name → what it holds. */
export const WRITTEN_PARAMETERS = { databaseUrl: "DATABASE_URL", redisUrl: "REDIS_URL" } as const;
/** The master user's URL, written with DATABASE_URL when a migrations task exists; that task gets it as DATABASE_URL (D105). */
export const MIGRATIONS_DATABASE_URL = "MIGRATIONS_DATABASE_URL";

/**
 * Application settings in SSM Parameter Store (seed 002), SecureString under `/<project>/<workspace>/`,
 * encrypted with the data key; services pick theirs with `services[i].parameters`. @default none (secrets stay in Secrets Manager only)
 */
export const ParameterStoreSchema = z
  .object({
    /** Parameters operators set: created with the value `CHANGE_ME`, `ignore_changes = [value]`. @default [] */
    manual: z.array(PARAMETER_NAME).default([]),
    /** `DATABASE_URL`: the application user's `postgresql://` URL, written write-only by the database module. @default false */
    databaseUrl: z.boolean().default(false),
    /**
     * Path of Amazon RDS's CA bundle in the application image: the URLs verify the server with it
     * (`sslmode=verify-full&sslrootcert=<path>`, modules/database/config.ts postgresTlsQuery, D164). The image must ship it.
     * @default "/etc/ssl/certs/rds-global-bundle.pem"
     */
    databaseCaBundle: z
      .string()
      .regex(CA_BUNDLE_PATH_RE, "an absolute file path of letters, digits, . _ - and /")
      .default(DEFAULT_RDS_CA_BUNDLE),
    /** `REDIS_URL`: the `rediss://` URL with the AUTH token, written write-only by the cache module (needs the cache). @default false */
    redisUrl: z.boolean().default(false),
  })
  .strict();
export type ParameterStoreConfig = z.output<typeof ParameterStoreSchema>;

/** Every parameter name a config creates. */
export function parameterNames(p: ParameterStoreConfig | undefined): string[] {
  if (!p) return [];
  return [
    ...p.manual,
    ...(p.databaseUrl ? [WRITTEN_PARAMETERS.databaseUrl] : []),
    ...(p.redisUrl ? [WRITTEN_PARAMETERS.redisUrl] : []),
  ];
}

export const ComputeSchema = z
  .object({
    /** ECR repositories, one per image. @default ["app"] */
    images: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/)).default(["app"]),
    /** Image tag deployed: the `app_image_tag` knob (./config.ts, knobs section; CI/CD rolls it with a targeted apply). While it is the placeholder
     * `initial` every service runs zero tasks (first deploy: push the image first). @default "initial" */
    ...knobFields(IMAGE_KNOBS),
    /** Images ECR keeps per repository. @default 30 */
    keepImages: z.number().int().min(1).max(1000).default(30),
    /** Container Insights (billed per metric). @default false */
    containerInsights: z.boolean().default(false),
    /**
     * The workspace's log retention (seed 000 §4: 7 / 30 / 90): /ecs/<name>, and the access logs of the logs bucket
     * (storage, ALB and S3 access logs expire after it too). @default 30
     */
    logRetentionDays: z.number().int().default(30),
    /** ACM certificate for HTTPS on the ALB; without one the ALB serves plain HTTP (dev). @default none */
    certificateArn: z
      .string()
      .regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "must be an ACM certificate ARN")
      .optional(),
    /**
     * Security policy of the HTTPS listener (seed 001: "TLS 1.3"). `ELBSecurityPolicy-TLS13-1-2-2021-06`
     * accepts TLS 1.3 and 1.2; `ELBSecurityPolicy-TLS13-1-3-2021-06` accepts TLS 1.3 only (clients without
     * TLS 1.3 cannot connect; refused behind CloudFront, whose origin protocol setting offers TLSv1.2 at
     * most: docs/decisions.md D76).
     * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
     */
    tlsPolicy: z.enum(ALB_TLS_POLICIES).default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    /** ALB deletion protection. @default false */
    albDeletionProtection: z.boolean().default(false),
    /** ALB access logs to the logs bucket. @default true */
    albAccessLogs: z.boolean().default(true),
    /** X-Ray daemon sidecar (seed 001); reserves 32 CPU units and 256 MiB inside the task. @default false */
    xray: z.boolean().default(false),
    /** CPU architecture of the tasks. @default "X86_64" */
    architecture: z.enum(["X86_64", "ARM64"]).default("X86_64"),
    /** Plain environment of every app container (a product's own settings). @default {} */
    appEnvironment: z.record(z.string(), z.string()).default({}),
    /** Long-running services (ECS services with autoscaling). At least one, unless `tasks` has one (then `[]`). Required. */
    services: z.array(ServiceSchema),
    /**
     * One-off tasks another system starts with RunTask (seed 004: a Step Functions state machine): a task
     * definition each (`<name>-<task>`, or `family`), on the module's cluster, log group and roles; no service,
     * no autoscaling, no load balancer. @default []
     */
    tasks: z.array(TaskSchema).default([]),
    /** One-off migrations task (seeds 002/003 run it with `aws ecs run-task`). @default none */
    migrations: z
      .object({
        command: z.array(z.string()).min(1),
        cpu: z.number().int().default(512),
        memory: z.number().int().default(1024),
        image: z.string().default("app"),
        /** Name of its container, what `describe-tasks` finds its exit code by (seed 002 overrides container `api`). @default "app" */
        containerName: ContainerNameSchema.default(DEFAULT_CONTAINER_NAME),
      })
      .strict()
      .optional(),
    /** On-demand ECS Exec toolbox (seed 000 §8.1, §8.4): task definition `<name>-toolbox`, container `toolbox`, writable root,
     * never a service; started with `terraform output -raw ecs_toolbox_run_task_command`. @default { enabled: true, image: TOOLBOX_IMAGE } */
    toolbox: z
      .object({
        /** Create the toolbox task definition and its role. @default true */
        enabled: z.boolean().default(true),
        /** Image with a shell and redis-cli (TLS). @default "public.ecr.aws/docker/library/redis:7.2-alpine" */
        image: z
          .string()
          .regex(
            /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/,
            "must name an image with a tag or a sha256 digest",
          )
          .refine((i) => !i.endsWith(":latest"), "must pin a tag or digest, not :latest")
          .default(TOOLBOX_IMAGE),
      })
      .strict()
      .default({ enabled: true, image: TOOLBOX_IMAGE }),
    /**
     * Datadog agent sidecar and log shipping, opt-in (./datadog-config.ts, D78–D82). While on, each service's
     * `<service>_cpu`/`<service>_memory` knobs must leave the app half of the task (knob rules). @default { enabled: false }
     */
    datadog: DatadogSchema,
    /** ECS cluster name `<name>-<suffix>` (seed 002: `atena-prod-cluster`). @default none: the cluster is `<name>` */
    clusterNameSuffix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,20}$/, "must be lowercase letters, digits and dashes")
      .optional(),
    /**
     * One log group per service, `/ecs/<name>-<service>` (seed 002: `/ecs/atena-prod-api`); the shared `/ecs/<name>`
     * keeps the one-off tasks (migrations, db-bootstrap, toolbox). @default false: every container logs to `/ecs/<name>`
     */
    logGroupPerService: z.boolean().default(false),
    /** SSM Parameter Store settings (./config.ts, ParameterStoreSchema). @default none */
    parameterStore: ParameterStoreSchema.optional(),
  })
  .strict();

export type ComputeConfig = z.output<typeof ComputeSchema>;
export type ServiceConfig = z.output<typeof ServiceSchema>;
export type TaskConfig = z.output<typeof TaskSchema>;
/** What the module reads of a service: everything but its size and scaling, which are knobs (`var.<service>_cpu` …). */
export type ServiceSettings = ModuleSettings<ServiceConfig, typeof SERVICE_KNOB_FIELDS.knobs>;
/** What the module reads of a task: everything but its size knobs. */
export type TaskSettings = ModuleSettings<TaskConfig, typeof TASK_KNOB_FIELDS.knobs>;
/** What the module reads of its config section: no knob field (image tag, sizes, scaling), at any depth. */
export type ComputeSettings = Omit<ModuleSettings<ComputeConfig, typeof IMAGE_KNOBS.knobs>, "services" | "tasks"> & {
  readonly services: readonly ServiceSettings[];
  readonly tasks: readonly TaskSettings[];
};

/** The db-bootstrap task's family suffix and container name. */
export const DB_BOOTSTRAP = "db-bootstrap";

/**
 * The application container's name in a task definition of the compute module, by its key (`db_bootstrap`,
 * `migrations`, a service's or a task's Terraform name): what an exit-code check or a RunTask override names
 * (a sidecar such as the X-Ray daemon may be listed first in `describe-tasks`). Throws for an unknown key.
 */
export function containerNameOf(compute: ComputeConfig, taskDefinition: string): string {
  const tf = (name: string) => name.replace(/-/g, "_");
  if (taskDefinition === tf(DB_BOOTSTRAP)) return DB_BOOTSTRAP;
  if (taskDefinition === "migrations" && compute.migrations) return compute.migrations.containerName;
  const owner = [...compute.services, ...compute.tasks].find((x) => tf(x.name) === taskDefinition);
  if (!owner) throw new Error(`compute: no task definition "${taskDefinition}" in this configuration`);
  return owner.containerName;
}

/** Whether the environment has a load balancer (a web service): the ALB controls protect nothing without one (D124). */
export const hasLoadBalancer = (env: { compute: Pick<ComputeConfig, "services"> }): boolean =>
  env.compute.services.some((s) => s.kind === "web");

/** Controls of the policy gate this section may switch off in a development-tier environment (lib/core/controls.ts). */
export const COMPUTE_CONTROLS: Controls<{ compute: ComputeConfig }> = {
  "alb-https": {
    switch: "compute.certificateArn",
    isOff: (env) => !env.compute.certificateArn,
    present: hasLoadBalancer,
  },
  "alb-access-logs": {
    switch: "compute.albAccessLogs",
    isOff: (env) => !env.compute.albAccessLogs,
    present: hasLoadBalancer,
  },
  "ecs-container-insights": { switch: "compute.containerInsights", isOff: (env) => !env.compute.containerInsights },
};

/**
 * Which of the module's resources exist, over its inputs (D211): the ALB's web ACL association with the WAF on; the
 * record of the deployed tag once the tag is not the placeholder (D136).
 */
export const COMPUTE_PRESENCE: PresenceTable = {
  aws_wafv2_web_acl_association: { this: { when: isTrue("enable_waf") } },
  terraform_data: { deployed_image: { when: compare("app_image_tag", "!=", lit(PLACEHOLDER_IMAGE_TAG)) } },
};

/**
 * The module's locals that the policy gate reads by their declaration (D211, D213): the cluster's Container Insights
 * setting, `enabled` or `disabled`.
 */
export const COMPUTE_LOCALS: Readonly<Record<string, Term>> = {
  container_insights_setting: when(isTrue("container_insights"), lit("enabled"), lit("disabled")),
};
