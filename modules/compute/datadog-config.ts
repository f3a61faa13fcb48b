/**
 * `compute.datadog`: Datadog as an opt-in per environment (seed 001, Objectives §4 and phase 4;
 * docs/decisions.md D78–D82). Off by default: dev, staging and production synthesize nothing of it
 * until their config says `enabled: true`.
 */
import { z } from "zod";
import type { KnobRule } from "../../lib/core/knobs";
import { range } from "../../lib/core/rules";

/**
 * Datadog sites (https://docs.datadoghq.com/getting_started/site/): US1, US3, US5, EU1, AP1, AP2, US1-FED.
 * An API key belongs to one site; the agent and the log intake must use that site.
 */
export const DATADOG_SITES = [
  "datadoghq.com",
  "us3.datadoghq.com",
  "us5.datadoghq.com",
  "datadoghq.eu",
  "ap1.datadoghq.com",
  "ap2.datadoghq.com",
  "ddog-gov.com",
] as const;
export type DatadogSite = (typeof DATADOG_SITES)[number];

/**
 * Datadog's Amazon Data Firehose log intake per site, as Datadog lists them for the Firehose
 * destination ("Send AWS Services Logs with the Datadog Amazon Data Firehose Destination",
 * https://docs.datadoghq.com/logs/guide/send-aws-services-logs-with-the-datadog-kinesis-firehose-destination/,
 * read 2026-11-30): US1, EU1 and US1-FED take `/v1/input`, the newer sites the v2 logs API with the
 * Firehose protocol parameter.
 */
export const DATADOG_FIREHOSE_LOG_URLS: Readonly<Record<DatadogSite, string>> = {
  "datadoghq.com": "https://aws-kinesis-http-intake.logs.datadoghq.com/v1/input",
  "us3.datadoghq.com":
    "https://aws-kinesis-http-intake.logs.us3.datadoghq.com/api/v2/logs?dd-protocol=aws-kinesis-firehose",
  "us5.datadoghq.com":
    "https://aws-kinesis-http-intake.logs.us5.datadoghq.com/api/v2/logs?dd-protocol=aws-kinesis-firehose",
  "datadoghq.eu": "https://aws-kinesis-http-intake.logs.datadoghq.eu/v1/input",
  "ap1.datadoghq.com":
    "https://aws-kinesis-http-intake.logs.ap1.datadoghq.com/api/v2/logs?dd-protocol=aws-kinesis-firehose",
  "ap2.datadoghq.com":
    "https://aws-kinesis-http-intake.logs.ap2.datadoghq.com/api/v2/logs?dd-protocol=aws-kinesis-firehose",
  "ddog-gov.com": "https://aws-kinesis-http-intake.logs.ddog-gov.com/v1/input",
};

/** The Datadog Agent 7 on ECR Public, pinned (a task pulls it at every start; `latest` would move under running services). */
/** Name of the agent container in every task definition (the cost estimate finds the agent by it). */
export const DATADOG_AGENT_CONTAINER = "datadog-agent";
export const DATADOG_AGENT_IMAGE = "public.ecr.aws/datadog/agent:7.72.1";
/** Name of the Datadog init container (copies the tracer into the shared volume). */
export const DATADOG_INIT_CONTAINER = "datadog-init";
/** Name of the X-Ray daemon sidecar. */
export const XRAY_CONTAINER = "xray-daemon";
/** What the X-Ray daemon sidecar reserves (modules/compute/index.ts), counted when both sidecars share a task. */
export const XRAY_RESERVATION = { cpu: 32, memory: 256 } as const;
/** The app container keeps at least this share of the task's CPU and memory once the sidecars are reserved (D79). */
export const APP_MIN_SHARE = 0.5;

const IMAGE_RE = /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/;

export const DatadogSchema = z
  .object({
    /**
     * Datadog for this environment: an agent sidecar (metrics, APM) in every service's task and a copy of
     * the app log group shipped to Datadog through Firehose. The API key is the secret
     * `<project>/<env>/datadog-api-key` (JSON `{"api_key": "..."}`), put by an operator (docs/operations.md).
     * @default false
     */
    enabled: z.boolean().default(false),
    /** Datadog site of the organisation (its API key works only there). @default "datadoghq.com" */
    site: z.enum(DATADOG_SITES).default("datadoghq.com"),
    /** Agent image, pinned by tag or digest. @default "public.ecr.aws/datadog/agent:7.72.1" */
    image: z
      .string()
      .regex(IMAGE_RE, "must name an image with a tag or a sha256 digest")
      .refine((i) => !i.endsWith(":latest") && !/:7$/.test(i), "must pin a version, not :latest or :7")
      .default(DATADOG_AGENT_IMAGE),
    /** CPU units reserved for the agent inside each task (the task size does not grow). @default 128 */
    cpu: z.number().int().min(32).max(4096).default(128),
    /** Memory reserved for the agent inside each task, MiB (soft reservation). @default 256 */
    memory: z.number().int().min(128).max(8192).default(256),
    /** Traces: the agent accepts them on localhost:8126 and the app's tracer is pointed there. @default true */
    apm: z.boolean().default(true),
    /** A copy of the app log group goes to Datadog (subscription filter → Firehose); CloudWatch keeps the original. @default true */
    logs: z.boolean().default(true),
  })
  .strict()
  .prefault({});

export type DatadogConfig = z.output<typeof DatadogSchema>;

/** What the sidecars of a task reserve: the agent, plus the X-Ray daemon when it runs too (`names` ends with the verb). */
export function sidecarReservation(
  dd: Pick<DatadogConfig, "cpu" | "memory">,
  xray: boolean,
): { cpu: number; memory: number; names: string } {
  return {
    cpu: dd.cpu + (xray ? XRAY_RESERVATION.cpu : 0),
    memory: dd.memory + (xray ? XRAY_RESERVATION.memory : 0),
    names: xray ? "the Datadog agent and the X-Ray daemon reserve" : "the Datadog agent reserves",
  };
}

/** The smallest task value that leaves the app container its share once `reserved` is taken. */
export const minimumTask = (reserved: number) => Math.ceil(reserved / (1 - APP_MIN_SHARE));

/** The sentence of the fit rule, for one dimension; `{value}` is the task's CPU or memory. */
export function fitMessage(
  what: "cpu" | "memory",
  value: string,
  dd: Pick<DatadogConfig, "cpu" | "memory">,
  xray: boolean,
): string {
  const s = sidecarReservation(dd, xray);
  const reserved = what === "cpu" ? `${s.cpu} CPU units` : `${s.memory} MiB`;
  const unit = what === "cpu" ? "CPU units" : "MiB";
  return `a task of ${value} ${unit} is too small: ${s.names} ${reserved} and the app container keeps at least half of the task (at least ${minimumTask(what === "cpu" ? s.cpu : s.memory)} ${unit}); raise the task size or lower compute.datadog.${what}`;
}

/**
 * The fit rule on one service's size knobs (`<prefix>_cpu`, `<prefix>_memory`), declared only while Datadog is
 * on: checked at synth on `compute.services[i]` and, as their validation blocks, at plan when an operator shrinks
 * the task in tfvars.
 */
export function datadogKnobRules(
  compute: { datadog: DatadogConfig; xray: boolean },
  service = "app",
  prefix = "app",
): KnobRule[] {
  const dd = compute.datadog;
  if (!dd.enabled) return [];
  const s = sidecarReservation(dd, compute.xray);
  const [cpu, memory] = [`${prefix}_cpu`, `${prefix}_memory`];
  return [
    {
      variable: cpu,
      must: range(cpu, { min: minimumTask(s.cpu) }),
      message: `service ${service}: ${fitMessage("cpu", `{${cpu}}`, dd, compute.xray)}`,
    },
    {
      variable: memory,
      must: range(memory, { min: minimumTask(s.memory) }),
      message: `service ${service}: ${fitMessage("memory", `{${memory}}`, dd, compute.xray)}`,
    },
  ];
}
