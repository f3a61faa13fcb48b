/** Knobs of the compute (ECS Fargate + ALB) and cdn (CloudFront) modules. Part of EnvironmentSchema. */
import { z } from "zod";
import { knobFields } from "../../lib/core/knobs";
import { DatadogSchema } from "./datadog-config";
import { IMAGE_KNOBS, SERVICE_KNOB_FIELDS } from "./knobs";

export { FARGATE_CPUS, FARGATE_MEMORY, PLACEHOLDER_IMAGE_TAG } from "./knobs";

/** ALB security policies offered: TLS 1.3 + 1.2, or TLS 1.3 only (ELB guide, "Security policies for your Application Load Balancer"). */
export const ALB_TLS_POLICIES = ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06"] as const;
/** Official Redis image on ECR Public: redis-cli built with TLS, a shell, and the Alpine CA bundle. */
export const TOOLBOX_IMAGE = "public.ecr.aws/docker/library/redis:7.2-alpine";

export const ServiceSchema = z
  .object({
    /** Service name: `<project>-<env>-<name>` (seed 000: `<project>-<env>-app`). Required. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "must be lowercase letters, digits and dashes"),
    /** `web` sits behind the ALB; `worker` has no load balancer (seed 002's BullMQ workers). @default "web" */
    kind: z.enum(["web", "worker"]).default("web"),
    /** ECR repository (one of `compute.images`). @default "app" */
    image: z.string().default("app"),
    /** Size and scaling: the service's knobs (./knobs.ts; `<service>_cpu`, `<service>_memory`, `<service>_desired_count`, `<service>_min_capacity`, `<service>_max_capacity`). Required. */
    ...knobFields(SERVICE_KNOB_FIELDS),
    /** Container port (web services). @default 8000 */
    port: z.number().int().min(1).max(65535).default(8000),
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
    /** Listener rule paths for web services after the first (the first is the listener default). @default [] */
    pathPatterns: z.array(z.string().startsWith("/")).default([]),
    /** Extra plain environment variables (never secrets). @default {} */
    environment: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).default({}),
    /** Secrets to inject by ARN, from `security.secrets.names`; env var = upper snake case of the name. @default [] */
    secrets: z.array(z.string()).default([]),
  })
  .strict();

export const ComputeSchema = z
  .object({
    /** ECR repositories, one per image. @default ["app"] */
    images: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/)).default(["app"]),
    /** Image tag deployed: the `app_image_tag` knob (./knobs.ts; CI/CD rolls it with a targeted apply). While it is the placeholder
     * `initial` every service runs zero tasks (first deploy: push the image first). @default "initial" */
    ...knobFields(IMAGE_KNOBS),
    /** Images ECR keeps per repository. @default 30 */
    keepImages: z.number().int().min(1).max(1000).default(30),
    /** Container Insights (billed per metric). @default false */
    containerInsights: z.boolean().default(false),
    /** Retention of /ecs/<name> (seed 000 §4: 7 / 30 / 90). @default 30 */
    logRetentionDays: z.number().int().default(30),
    /** ACM certificate for HTTPS on the ALB; without one the ALB serves plain HTTP (dev). @default none */
    certificateArn: z.string().regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "must be an ACM certificate ARN").optional(),
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
    /** Plain environment of every app container (seed 000 §3.2). @default the MVP 3.0 flags */
    appEnvironment: z
      .record(z.string(), z.string())
      .default({ ENABLE_MULTIDISCIPLINARY: "true", MAX_DISCIPLINES: "25", MAX_GRADE_LEVELS: "18" }),
    services: z.array(ServiceSchema).min(1, "needs at least one service"),
    /** One-off migrations task (seeds 002/003 run it with `aws ecs run-task`). @default none */
    migrations: z
      .object({ command: z.array(z.string()).min(1), cpu: z.number().int().default(512), memory: z.number().int().default(1024), image: z.string().default("app") })
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
          .regex(/^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/, "must name an image with a tag or a sha256 digest")
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
  })
  .strict();

export type ComputeConfig = z.output<typeof ComputeSchema>;
export type ServiceConfig = z.output<typeof ServiceSchema>;
