/**
 * The compute module's knobs (lib/core/knobs.ts): the image tag CI/CD rolls (`app_image_tag`, field
 * `compute.imageTag`) and, for every service, its size and scaling (`<service>_cpu`, field
 * `compute.services[i].cpu` …; seed 000's service `app` gives `app_cpu`, `app_desired_count` …).
 */
import { defineKnobs, type KnobRule, type KnobSet, type KnobSpec } from "../../lib/core/knobs";
import { datadogKnobRules, type DatadogConfig } from "./datadog-config";

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

const IMAGE_TAG_RE = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

export const IMAGE_KNOBS = defineKnobs(
  {
    app_image_tag: {
      type: "string",
      field: "imageTag",
      default: PLACEHOLDER_IMAGE_TAG,
      description: "Image tag of the app (CI/CD: -var app_image_tag=<sha> with -target=module.compute).",
    },
  },
  () => [
    {
      variable: "app_image_tag",
      ok: (v) => new RegExp(IMAGE_TAG_RE).test(String(v.app_image_tag)),
      condition: `can(regex("${IMAGE_TAG_RE}", var.app_image_tag))`,
      message: '"{app_image_tag}" is not a Docker image tag',
    },
  ],
);

/** `api-web` → `api_web`: the Terraform prefix of a service's knobs and resources. */
export function serviceVariablePrefix(service: string): string {
  return service.replace(/-/g, "_");
}

const fargateMapHcl = `{ ${Object.entries(FARGATE_MEMORY)
  .map(([cpu, mems]) => `"${cpu}" = [${mems.join(", ")}]`)
  .join(", ")} }`;

/** What every service's knobs are: suffix of the variable → declaration. */
const SERVICE_KNOB_SPECS = {
  desired_count: { type: "number", integer: true, field: "desiredCount", description: "Tasks at service creation (autoscaling owns the count afterwards)." },
  min_capacity: { type: "number", integer: true, field: "minCapacity", description: "Autoscaling floor." },
  max_capacity: { type: "number", integer: true, field: "maxCapacity", description: "Autoscaling ceiling." },
  cpu: { type: "number", integer: true, field: "cpu", description: "Fargate CPU units of the {service} task (1024 = 1 vCPU)." },
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
  for (const [suffix, spec] of Object.entries(SERVICE_KNOB_SPECS)) knobs[`${p}_${suffix}`] = { ...spec, description: spec.description.replace("{service}", service) };
  const rules: KnobRule[] = [
    {
      variable: cpu,
      ok: (v) => FARGATE_CPUS.includes(Number(v[cpu])),
      condition: `contains([${FARGATE_CPUS.join(", ")}], var.${cpu})`,
      message: `{${cpu}} is not a Fargate CPU value (${FARGATE_CPUS.join(", ")})`,
    },
    {
      variable: memory,
      ok: (v) => !FARGATE_CPUS.includes(Number(v[cpu])) || FARGATE_MEMORY[Number(v[cpu])].includes(Number(v[memory])),
      condition: `!contains([${FARGATE_CPUS.join(", ")}], var.${cpu}) || contains(lookup(${fargateMapHcl}, tostring(var.${cpu}), []), var.${memory})`,
      message: `{${memory}} MiB is not a valid Fargate memory for {${cpu}} CPU units (valid: {valid_memory})`,
      extras: {
        valid_memory: {
          synth: (v) => (FARGATE_MEMORY[Number(v[cpu])] ?? []).join(", "),
          hcl: `join(", ", lookup(${fargateMapHcl}, tostring(var.${cpu}), []))`,
        },
      },
    },
    {
      variable: desired,
      ok: (v) => Number(v[min]) <= Number(v[desired]) && Number(v[desired]) <= Number(v[max]),
      condition: `var.${min} <= var.${desired} && var.${desired} <= var.${max}`,
      message: `desired count {${desired}} must lie between ${min} {${min}} and ${max} {${max}}`,
    },
    {
      variable: max,
      ok: (v) => Number(v[max]) >= 1,
      condition: `var.${max} >= 1`,
      message: `${max} must be at least 1, got {${max}}`,
    },
  ];
  return defineKnobs(knobs, () => [...rules, ...extraRules(p)]);
}

/** A service's knobs within its compute config: with the Datadog fit rule while the agent is on. */
export function knobsOfService(compute: { readonly datadog: DatadogConfig; readonly xray: boolean }, service: string): KnobSet {
  return serviceKnobs(service, (prefix) => datadogKnobRules(compute, service, prefix));
}

/** The knob fields every service has (the schema's view: names do not matter, fields do). */
export const SERVICE_KNOB_FIELDS = defineKnobs(SERVICE_KNOB_SPECS);
