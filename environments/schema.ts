/**
 * The single source of truth for every knob of the platform.
 *
 * Each environment file (`dev.ts`, `staging.ts`, `production.ts`) is an `EnvironmentInput`;
 * `loadEnvironment()` parses it with this schema before any construct is created, so a bad
 * value fails synthesis with its field path and the rule it broke, and nothing is written.
 * Every field documents its default; a field without a default is required.
 */
import { foreignArnProblem } from "../lib/core/arn";
import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../lib/core/validations";
import { contains, overlaps, parseCidr, type Cidr } from "./cidr";
import { CdnSchema } from "../modules/cdn/config";
import { ComputeSchema, MIGRATIONS_DATABASE_URL, parameterNames, WRITTEN_PARAMETERS } from "../modules/compute/config";
import { CostSchema } from "./cost-schema";
import { drProblems, DrSchema } from "../modules/dr/config";
import { CacheSchema, engineVersionProblem } from "../modules/cache/config";
import { MODULE_DECLARATIONS } from "../modules/declarations";
import { appRotationProblems, DatabaseSchema } from "../modules/database/config";
import { alarmRecipientIssues, MonitoringSchema } from "../modules/monitoring/config";
import { knobProblems, type KnobSet, type RuleContext } from "../lib/core/knobs";
import { CACHE_KNOBS } from "../modules/cache/config";
import { IMAGE_KNOBS, knobsOfService, taskKnobs } from "../modules/compute/config";
import { DATABASE_KNOBS } from "../modules/database/config";
import { SecuritySchema, TERRAFORM_ROLES_NEED_STATE } from "../modules/security/config";
import { StorageSchema } from "../modules/storage/config";
import { EXEMPTION_TIER_RULE, type Exemptible } from "../lib/core/controls";
import {
  databaseStart,
  databaseStartProblem,
  parseCron,
  ScheduleSchema,
  scheduledWeek,
  windowOutsideRunningHours,
} from "../lib/core/schedule";
import {
  ALB_RULE_CONDITION_VALUES,
  CLOUDFRONT_PREFIX_LIST_LOOKUP,
  CLOUDFRONT_PREFIX_LIST_NAME,
  NetworkSchema,
} from "../modules/network/config";

/** The network section's constants, where callers have always found them. */
export * from "../modules/network/config";

/** Strictness of an environment (see `tier`). */
export const TIERS = ["development", "production-like"] as const;
export type Tier = (typeof TIERS)[number];

/** Retention values CloudWatch Logs accepts (days); declared with the validation modules share. */
export { LOG_RETENTION_DAYS };

/** A policy check an environment may switch off: its id and the config switch the module declares. */
export interface ExemptibleControl {
  readonly id: string;
  readonly exemptible: Exemptible<EnvironmentConfig>;
}

/**
 * Policy checks a development-tier environment may fail, each through a named exemption with its
 * reason: the controls each module declares with the config switch that turns it off
 * (`<MODULE>_CONTROLS` in modules/<m>/config.ts, registered in modules/declarations.ts). The schema refuses a switch off without its exemption,
 * an exemption with the switch on, and any of either in a production-like environment. The policy gate
 * reads the same declarations; nothing lists them twice.
 */
export const EXEMPTIBLE_CONTROLS: readonly ExemptibleControl[] = Object.values(MODULE_DECLARATIONS).flatMap((m) =>
  Object.entries(m.controls ?? {}).map(([id, exemptible]) => ({
    id,
    exemptible: exemptible as Exemptible<EnvironmentConfig>,
  })),
);

/** The exemptible controls (all of them unless a test passes its own). */
export function exemptibleChecks(controls: readonly ExemptibleControl[] = EXEMPTIBLE_CONTROLS): ExemptibleControl[] {
  return [...controls];
}

export const StateBackendSchema = z
  .object({
    /** S3 bucket holding the state (created by the bootstrap stack). Required when `state` is set. */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name"),
    /**
     * State object key; each workspace's state lives under `workspaceKeyPrefix/<ws>/key`. A product whose bucket
     * holds other products' state names its own prefix (`<project>/terraform.tfstate`). @default "terraform.tfstate"
     * (the name Terraform gives a state file)
     */
    key: z.string().min(1).default("terraform.tfstate"),
    /** Region of the state bucket. @default the environment's region */
    region: z.string().optional(),
    /** Prefix for non-default workspaces' state objects. @default "workspaces" */
    workspaceKeyPrefix: z.string().min(1).default("workspaces"),
    /** KMS key for the state object. @default AWS-managed SSE */
    kmsKeyId: z.string().optional(),
  })
  .strict();

const EnvironmentObject = z
  .object({
    /**
     * Terraform workspace (and directory) this file configures: lowercase letters, digits and dashes,
     * at most 10 characters (resource names are `<project>-<workspace>-…`; production is the longest
     * shipped name). Its name decides nothing: strictness is `tier`. Required.
     */
    workspace: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,8}[a-z0-9]$/,
        "must be 2–10 lowercase letters, digits and dashes, starting with a letter",
      ),
    /**
     * How strict the platform is with this environment. `production-like`: every exemptible control
     * on (no exemptions), the knob rules that keep policy controls on (Redis TLS/AUTH/failover/Multi-AZ,
     * RDS Multi-AZ and 7-day backups) as tfvars validations, secrets with a recovery window, CloudFront
     * not bypassable. `development`: those may be relaxed, each exemption named with its reason. Required.
     */
    tier: z.enum(TIERS),
    /**
     * Whether `environment_running = false` may stop this environment (seed 002: stop it outside working
     * hours); when false, Terraform refuses the plan. @default true in a development tier, false in a
     * production-like one
     */
    stoppable: z.boolean().optional(),
    /**
     * Working hours of a stoppable environment (seed 002 "Liga/Desliga", D210): at `stop` the services scale to zero
     * (Application Auto Scaling scheduled actions) and the RDS primary stops (EventBridge Scheduler), at `start` they
     * come back. What has no stop API keeps running: the NAT gateway, the ALB, ElastiCache. Not with read replicas
     * (RDS cannot stop an instance that has one). Between stop and start a plan shows each service's scaling bounds
     * going back to the configured values, and RDS refuses changes to a stopped instance: apply in working hours.
     * `npm run cost` prices the tasks and the RDS instance at the scheduled hours. @default undefined — no schedule
     */
    schedule: ScheduleSchema.optional(),
    /** Name prefix of every resource: `<project>-<workspace>`; a product's defaults name it. Required. */
    project: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, "must be lowercase letters, digits and dashes"),
    /** AWS region. @default "us-east-1" (the region the seeds' cost tables price) */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region code such as us-east-1 or sa-east-1")
      .default("us-east-1"),
    /** Availability zones, explicit (no lookups at plan time), at least 2 (the ALB needs 2). Required. */
    availabilityZones: z.array(z.string()).min(2, "needs at least 2 availability zones (an ALB spans 2)"),
    /** Extra tags on every resource, besides Project, Environment and ManagedBy. @default {} */
    tags: z.record(z.string(), z.string()).default({}),
    /** Remote state in S3. @default undefined — local state (`terraform.tfstate.d/<ws>/`), no AWS account needed for init */
    state: StateBackendSchema.optional(),
    /**
     * `prevent_destroy` on every stateful resource (KMS keys, buckets, Redis, RDS): Terraform refuses
     * any plan that destroys one. A literal in Terraform, so it is decided at synthesis. @default false
     */
    preventDestroy: z.boolean().default(false),
    /** The 12-digit AWS account this workspace deploys to (key policies, trust policies). Required; never looked up at plan time. */
    accountId: z.string().regex(/^\d{12}$/, "must be the 12-digit AWS account id"),
    network: NetworkSchema,
    security: SecuritySchema,
    /** @default every bucket with the seeds' lifecycles, access logging on */
    storage: StorageSchema.prefault({}),
    cache: CacheSchema,
    database: DatabaseSchema,
    compute: ComputeSchema,
    /** @default off (production turns it on) */
    cdn: CdnSchema.prefault({}),
    /** @default seed thresholds, no e-mail subscriptions */
    monitoring: MonitoringSchema.prefault({}),
    /** @default off: no copies outside the environment's region */
    dr: DrSchema.prefault({}),
    /** Budget and usage assumptions of `npm run cost`. Required. */
    cost: CostSchema,
    /**
     * Security controls this environment switches off to save money, each named (a policy check that
     * declares `exemptible`) with its reason. Only a development-tier environment may have any; a
     * control that is off must be listed, and a listed one must be off. @default []
     */
    exemptions: z
      .array(z.object({ control: z.string(), reason: z.string().min(15, "say why, in a sentence") }).strict())
      .default([]),
  })
  .strict();

export type EnvironmentInput = z.input<typeof EnvironmentObject>;
export type EnvironmentConfig = z.output<typeof EnvironmentObject>;

/**
 * What the schema takes from a product (environments/product-spec.ts, ProductSpec): the rules and sections that
 * differ between products. The product's defaults are merged before parsing (environments/index.ts).
 */
export interface ProductRules {
  /**
   * The workspace that serves the product's users, whatever its tier: like every production-like workspace it
   * must keep its state in S3 (D146). Required.
   */
  readonly productionWorkspace: string;
  /** Config sections with the product's own fields (replacing the modules' sections). @default the modules' */
  readonly sections?: { readonly cache?: z.ZodType; readonly monitoring?: z.ZodType };
  /** App settings that are tfvars knobs, with their fields in the `cache` section; container variables by name. @default none */
  readonly appSettings?: KnobSet;
}

/**
 * The schema with its cross-field rules; `controls` decide which exemptions it accepts (the modules'
 * declarations unless a test says otherwise).
 */
export function environmentSchemaOf(
  product: ProductRules,
  controls: readonly ExemptibleControl[] = EXEMPTIBLE_CONTROLS,
) {
  // The modules' own controls give one schema per product, built once (synth, policy, cost and docs all load).
  if (controls === EXEMPTIBLE_CONTROLS) {
    const cached = SCHEMAS.get(product);
    if (cached) return cached;
    const schema = buildSchema(product, controls);
    SCHEMAS.set(product, schema);
    return schema;
  }
  return buildSchema(product, controls);
}

const SCHEMAS = new WeakMap<ProductRules, ReturnType<typeof buildSchema>>();

function buildSchema(product: ProductRules, exemptible: readonly ExemptibleControl[]) {
  // A product's own fields replace the modules' sections; the config type stays the platform's.
  const object = (product.sections
    ? EnvironmentObject.extend(product.sections)
    : EnvironmentObject) as unknown as typeof EnvironmentObject;
  return object
    .superRefine(checkTopology)
    .superRefine(checkProtection)
    .superRefine((env, ctx) => checkKnobs(env, ctx, product))
    .superRefine(checkServices)
    .superRefine(checkEdge)
    .superRefine((env, ctx) => checkExemptions(env, ctx, exemptible))
    .superRefine(checkDr)
    .superRefine(checkTls)
    .superRefine(checkTerraformRoles)
    .superRefine(checkParameters)
    .superRefine(checkRotation)
    .superRefine(checkWorkloadShape)
    .superRefine(checkHostRouting)
    .superRefine(checkSpotMix)
    .superRefine(checkServiceAlarms)
    .superRefine(checkOwnArns)
    .superRefine(checkAlarmRecipients)
    .superRefine(checkSchedule)
    .superRefine((env, ctx) => checkRemoteState(env, ctx, product));
}

/** The schema of one product's environments (cached per product and check list). */
export type EnvironmentSchemaType = ReturnType<typeof buildSchema>;

/** What the knob rules of an environment depend on: its name (for messages), its tier's strictness, its schedule. */
export function ruleContext(env: EnvironmentConfig): RuleContext {
  return { label: env.workspace, strict: env.tier === "production-like", scheduled: env.schedule !== undefined };
}

/** Whether `environment_running = false` may stop this environment (`stoppable`, or its tier's default). */
export function isStoppable(env: EnvironmentConfig): boolean {
  return env.stoppable ?? env.tier === "development";
}

type Ctx = z.RefinementCtx;

/** Cross-field rules: AZs belong to the region, one subnet per AZ, subnets inside the VPC and disjoint. */
function checkTopology(env: EnvironmentConfig, ctx: Ctx): void {
  const azs = env.availabilityZones;
  const seen = new Map<string, number>();
  azs.forEach((az, i) => {
    if (!new RegExp(`^${env.region}[a-z]$`).test(az)) {
      ctx.addIssue({
        code: "custom",
        path: ["availabilityZones", i],
        message: `${az} is not an availability zone of region ${env.region}`,
      });
    }
    const first = seen.get(az);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["availabilityZones", i],
        message: `${az} is listed twice (also at availabilityZones[${first}])`,
      });
    } else seen.set(az, i);
  });

  const net = env.network;
  // The default VPC is AWS's: its block and subnets are not ours to check (checkWorkloadShape has that mode's rules).
  if (net.mode === "default-vpc") return;
  if (net.vpcCidr === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["network", "vpcCidr"],
      message: 'required with network.mode "dedicated" (the VPC this module creates)',
    });
    return;
  }
  const vpc = parseCidr(net.vpcCidr);
  if (typeof vpc === "string") {
    ctx.addIssue({ code: "custom", path: ["network", "vpcCidr"], message: vpc });
  } else if (vpc.prefix < 16 || vpc.prefix > 28) {
    ctx.addIssue({
      code: "custom",
      path: ["network", "vpcCidr"],
      message: `${vpc.text}: a VPC block must be between /16 and /28`,
    });
  }

  const tiers = ["publicSubnets", "privateSubnets", "databaseSubnets"] as const;
  const parsed: { tier: string; index: number; cidr: Cidr }[] = [];
  for (const tier of tiers) {
    const list = net[tier];
    // Empty private subnets are the public-tasks shape (D119), whose rules are in checkWorkloadShape.
    const optional = tier !== "privateSubnets" || list.length === 0;
    if (!(optional && list.length === 0) && list.length !== azs.length) {
      const what =
        list.length < azs.length ? "fewer subnets than availability zones" : "more subnets than availability zones";
      ctx.addIssue({
        code: "custom",
        path: ["network", tier],
        message: `${what}: needs one subnet per availability zone (${azs.length}: ${azs.join(", ")}), got ${list.length}`,
      });
    }
    list.forEach((text, index) => {
      const cidr = parseCidr(text);
      const path = ["network", tier, index];
      if (typeof cidr === "string") {
        ctx.addIssue({ code: "custom", path, message: cidr });
        return;
      }
      if (cidr.prefix > 28) {
        ctx.addIssue({ code: "custom", path, message: `${text}: AWS subnets must be /28 or larger` });
      }
      if (typeof vpc !== "string" && !contains(vpc, cidr)) {
        ctx.addIssue({ code: "custom", path, message: `${text} is outside vpcCidr ${vpc.text}` });
      }
      const clash = parsed.find((p) => overlaps(p.cidr, cidr));
      if (clash) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `${text} overlaps ${clash.tier}[${clash.index}] ${clash.cidr.text}`,
        });
      }
      parsed.push({ tier, index, cidr });
    });
  }

  if (net.natMode !== "none" && net.publicSubnets.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["network", "natMode"],
      message: `"${net.natMode}" needs publicSubnets to hold the NAT gateways, got none (use "none" or add one public subnet per AZ)`,
    });
  }
  if (net.natMode === "instance" && env.tier !== "development") {
    ctx.addIssue({
      code: "custom",
      path: ["network", "natMode"],
      message: `"instance" is for a development tier: a ${env.tier} environment keeps managed NAT gateways ("single" or "one-per-az"), D100`,
    });
  }
}

/** Which exemptible controls a config switches off (each check's `exemptible.isOff`). */
export function disabledControls(
  env: EnvironmentConfig,
  exemptible: readonly ExemptibleControl[] = EXEMPTIBLE_CONTROLS,
): string[] {
  return exemptible.filter((c) => (c.exemptible.present?.(env) ?? true) && c.exemptible.isOff(env)).map((c) => c.id);
}

function checkExemptions(env: EnvironmentConfig, ctx: Ctx, exemptible: readonly ExemptibleControl[]): void {
  const offIds = disabledControls(env, exemptible);
  const off = exemptible.filter((c) => offIds.includes(c.id));
  const listed = env.exemptions.map((e) => e.control);
  env.exemptions.forEach((e, i) => {
    if (!exemptible.some((c) => c.id === e.control)) {
      ctx.addIssue({
        code: "custom",
        path: ["exemptions", i, "control"],
        message: `"${e.control}" is not an exemptible policy check (one of ${exemptible.map((c) => c.id).join(", ")})`,
      });
    }
  });
  if (env.tier === "production-like") {
    for (const c of off) {
      ctx.addIssue({
        code: "custom",
        path: ["exemptions"],
        message: `${c.id} is off (${c.exemptible.switch}), but ${EXEMPTION_TIER_RULE}`,
      });
    }
    env.exemptions.forEach((_, i) =>
      ctx.addIssue({ code: "custom", path: ["exemptions", i], message: EXEMPTION_TIER_RULE }),
    );
    return;
  }
  for (const c of off) {
    if (!listed.includes(c.id)) {
      ctx.addIssue({
        code: "custom",
        path: ["exemptions"],
        message: `${c.id} is off (${c.exemptible.switch}): name it in exemptions with the reason (cost) or switch it on`,
      });
    }
  }
  env.exemptions.forEach((e, i) => {
    const c = exemptible.find((x) => x.id === e.control);
    // A control whose resource does not exist (the cache disabled, seed 000 §7.3) keeps its exemption for when it returns.
    if (c && !off.includes(c) && (c.exemptible.present?.(env) ?? true)) {
      ctx.addIssue({
        code: "custom",
        path: ["exemptions", i, "control"],
        message: `${e.control} is exempted but switched on; drop the exemption`,
      });
    }
  });
}

/** Rules that keep production-like environments recoverable. */
function checkProtection(env: EnvironmentConfig, ctx: Ctx): void {
  // prevent_destroy is part of the cache module block, which enabled: false removes: the config is the only rail left.
  if (env.preventDestroy && !env.cache.enabled && !env.cache.allowDestroy) {
    ctx.addIssue({
      code: "custom",
      path: ["cache", "enabled"],
      message:
        "false destroys the Redis replication group and its AUTH secret, and prevent_destroy leaves together with the cache module block; confirm with cache.allowDestroy: true (seed 000 §7.3 rollback, docs/operations.md)",
    });
  }
  if (env.cache.enabled && env.cache.allowDestroy) {
    ctx.addIssue({
      code: "custom",
      path: ["cache", "allowDestroy"],
      message:
        "only confirms disabling the cache (enabled: false); remove it once Redis is enabled again, so the next removal is deliberate too",
    });
  }
  if (env.tier === "production-like" && env.security.secrets.recoveryWindowDays === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["security", "secrets", "recoveryWindowDays"],
      message: "only a development-tier environment may delete secrets without a recovery window; use 7–30 days",
    });
  }
}

/** TLS 1.3-only on the ALB cannot sit behind CloudFront: CloudFront's origin protocols offer TLSv1.2 at most (D76). */
function checkTls(env: EnvironmentConfig, ctx: Ctx): void {
  if (env.cdn.enabled && env.compute.tlsPolicy === "ELBSecurityPolicy-TLS13-1-3-2021-06") {
    ctx.addIssue({
      code: "custom",
      path: ["compute", "tlsPolicy"],
      message:
        "TLS 1.3-only cannot be the ALB's policy behind CloudFront: CloudFront's origin protocol setting offers TLSv1.2 at most; keep ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
  }
}

/** Disaster-recovery rules (modules/dr/config.ts). */
function checkDr(env: EnvironmentConfig, ctx: Ctx): void {
  for (const [path, message] of drProblems(env)) ctx.addIssue({ code: "custom", path, message });
}

/** Every knob set's rules (lib/core/knobs.ts), with the same text Terraform prints at plan. */
function checkKnobs(env: EnvironmentConfig, ctx: Ctx, product: ProductRules): void {
  const rules = ruleContext(env);
  const sets: { path: (string | number)[]; problems: { field: string; message: string }[] }[] = [
    { path: ["cache"], problems: product.appSettings ? knobProblems(product.appSettings, env.cache, rules) : [] },
    { path: ["cache"], problems: env.cache.enabled ? knobProblems(CACHE_KNOBS, env.cache, rules) : [] },
    { path: ["database"], problems: env.database.enabled ? knobProblems(DATABASE_KNOBS, env.database, rules) : [] },
    { path: ["compute"], problems: knobProblems(IMAGE_KNOBS, env.compute, rules) },
    ...env.compute.services.map((s, i) => ({
      path: ["compute", "services", i],
      problems: knobProblems(knobsOfService(env.compute, s.name), s, rules),
    })),
    ...env.compute.tasks.map((t, i) => ({
      path: ["compute", "tasks", i],
      problems: knobProblems(taskKnobs(t.name), t, rules),
    })),
  ];
  for (const { path, problems } of sets) {
    for (const p of problems) ctx.addIssue({ code: "custom", path: [...path, p.field], message: p.message });
  }
  if (!isStoppable(env) && env.cost.usage.runningHours < 730) {
    ctx.addIssue({
      code: "custom",
      path: ["cost", "usage", "runningHours"],
      message: `${env.workspace} cannot be stopped (stoppable is false): price it at 730 hours, got ${env.cost.usage.runningHours}`,
    });
  }
  const engineProblem = engineVersionProblem(env.cache);
  if (engineProblem) ctx.addIssue({ code: "custom", path: ["cache", "engineVersion"], message: engineProblem });
  const cm = env.cache.clusterMode;
  if (env.cache.enabled && cm.enabled && !env.cache.automaticFailover) {
    ctx.addIssue({
      code: "custom",
      path: ["cache", "clusterMode", "enabled"],
      message: "cluster mode needs automatic failover",
    });
  }
  const db = env.database;
  if (db.maxAllocatedStorage !== undefined && db.maxAllocatedStorage < db.allocatedStorage) {
    ctx.addIssue({
      code: "custom",
      path: ["database", "maxAllocatedStorage"],
      message: `the autoscaling ceiling (${db.maxAllocatedStorage} GB) is below allocatedStorage (${db.allocatedStorage} GB)`,
    });
  }
}

/** Services: valid Fargate sizes, sane scaling, known images and secrets, one listener rule per extra web service. */
function checkServices(env: EnvironmentConfig, ctx: Ctx): void {
  const c = env.compute;
  const seen = new Set<string>();
  const webServices = c.services.filter((s) => s.kind === "web");
  c.services.forEach((s, i) => {
    const path = ["compute", "services", i];
    if (seen.has(s.name))
      ctx.addIssue({ code: "custom", path: [...path, "name"], message: `service "${s.name}" is declared twice` });
    seen.add(s.name);
    // Size and scaling are the service's knobs, checked with the knob rules (checkKnobs).
    if (!c.images.includes(s.image)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "image"],
        message: `"${s.image}" is not one of compute.images (${c.images.join(", ")})`,
      });
    }
    s.secrets.forEach((name, j) => {
      if (!env.security.secrets.names.includes(name)) {
        ctx.addIssue({
          code: "custom",
          path: [...path, "secrets", j],
          message: `"${name}" is not declared in security.secrets.names`,
        });
      }
    });
    if (s.kind === "worker" && (s.pathPatterns.length > 0 || s.requestsPerTarget !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "kind"],
        message: "a worker has no load balancer: drop pathPatterns and requestsPerTarget",
      });
    }
    if (s.kind === "web" && webServices.indexOf(s) > 0 && s.pathPatterns.length === 0 && s.hostHeaders.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "pathPatterns"],
        message: `web service "${s.name}" has no listener rule: give it pathPatterns or hostHeaders (only the first web service, "${webServices[0].name}", is the listener default)`,
      });
    }
  });
  // The migrations task's size: the Fargate rules of a task's knobs (modules/compute/config.ts), not restated here.
  if (c.migrations) {
    for (const p of knobProblems(taskKnobs("migrations"), c.migrations, ruleContext(env)))
      ctx.addIssue({ code: "custom", path: ["compute", "migrations", p.field], message: p.message });
  }
  // The network opens one port from the load balancer to the tasks: every web service listens on it.
  c.services.forEach((s, i) => {
    if (s.kind === "web" && webServices[0] && s.port !== webServices[0].port) {
      ctx.addIssue({
        code: "custom",
        path: ["compute", "services", i, "port"],
        message: `web services share the load balancer's one port to the tasks: use ${webServices[0].port} (the port of "${webServices[0].name}"), got ${s.port}`,
      });
    }
  });
  if (env.cdn.enabled && webServices.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["cdn", "enabled"],
      message: "CloudFront needs a web service behind the ALB",
    });
  }
}

/** CloudFront in front of the ALB: an origin name the ALB certificate covers, the ALB closed to everyone else, WAF rules where they see clients. */
function checkEdge(env: EnvironmentConfig, ctx: Ctx): void {
  const net = env.network;
  const cdn = env.cdn;
  const albHttps = env.compute.certificateArn !== undefined;
  const hasWeb = env.compute.services.some((s) => s.kind === "web");
  if (net.albIngress === "cloudfront") {
    if (!cdn.enabled) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "albIngress"],
        message: '"cloudfront" needs cdn.enabled: without a distribution nothing could reach the ALB',
      });
    }
    if (!albHttps) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "albIngress"],
        message:
          '"cloudfront" needs HTTPS on the ALB (compute.certificateArn): CloudFront reaches it on 443 only, and the secret origin header must not cross the internet in clear text',
      });
    }
    if (!net.cloudfrontPrefixListId) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "cloudfrontPrefixListId"],
        message: `required with albIngress "cloudfront": the id of ${CLOUDFRONT_PREFIX_LIST_NAME} in ${env.region} (${CLOUDFRONT_PREFIX_LIST_LOOKUP})`,
      });
    }
    // A listener rule holds at most 5 condition values (ELB quota, not adjustable); the origin header takes one.
    env.compute.services.forEach((svc, i) => {
      if (svc.kind === "web" && svc.pathPatterns.length > ALB_RULE_CONDITION_VALUES - 1) {
        ctx.addIssue({
          code: "custom",
          path: ["compute", "services", i, "pathPatterns"],
          message: `at most ${ALB_RULE_CONDITION_VALUES - 1} with albIngress "cloudfront": a listener rule holds ${ALB_RULE_CONDITION_VALUES} condition values and the origin header takes one, got ${svc.pathPatterns.length}`,
        });
      }
    });
  } else if (net.cloudfrontPrefixListId) {
    ctx.addIssue({
      code: "custom",
      path: ["network", "cloudfrontPrefixListId"],
      message: 'only used with albIngress "cloudfront"; drop it or set albIngress',
    });
  }
  if (cdn.enabled && hasWeb && env.tier === "production-like" && net.albIngress !== "cloudfront") {
    ctx.addIssue({
      code: "custom",
      path: ["network", "albIngress"],
      message: `CloudFront fronts the ALB in ${env.workspace}, a production-like environment, so this must be "cloudfront": with "internet" anyone can reach the ALB directly and bypass CloudFront and its WAF`,
    });
  }
  if (cdn.enabled && hasWeb && albHttps && !cdn.originDomainName) {
    ctx.addIssue({
      code: "custom",
      path: ["cdn", "originDomainName"],
      message:
        "required when CloudFront fronts an HTTPS ALB: a host name the ALB certificate covers, e.g. origin.eduautismo-ia.com (CloudFront answers 502 when no name on the origin's certificate matches the origin domain name, and no certificate can cover *.elb.amazonaws.com)",
    });
  }
  if (cdn.originDomainName && !(cdn.enabled && albHttps)) {
    ctx.addIssue({
      code: "custom",
      path: ["cdn", "originDomainName"],
      message: "only used when CloudFront fronts an HTTPS ALB (cdn.enabled and compute.certificateArn)",
    });
  }
  if (cdn.originRoute53ZoneId && !cdn.originDomainName) {
    ctx.addIssue({
      code: "custom",
      path: ["cdn", "originRoute53ZoneId"],
      message: "needs cdn.originDomainName, the record to create in that zone",
    });
  }
  if (cdn.enabled && env.security.waf.enabled && !cdn.waf) {
    ctx.addIssue({
      code: "custom",
      path: ["cdn", "waf"],
      message:
        "must stay on: behind CloudFront the regional WAF leaves its IP-keyed rules (rate per IP, geo, IP reputation) to the CloudFront web ACL, the only one that sees viewer IPs",
    });
  }
}

/** A config that failed validation: one line per broken rule, each `<workspace>.<path>: <rule>`. */
/** Where a product's configuration problems come from: the product, the folder of its files and its workspaces. */
export interface ConfigSource {
  readonly id: string;
  /** `environments/<id>`: a workspace's file is `<sourceDir>/<ws>.ts`, the product's registration `<sourceDir>/index.ts`. */
  readonly sourceDir?: string;
  readonly workspaces: readonly string[];
}

/**
 * A configuration that cannot be synthesized. `problems` are the bare `<path>: <rule>` lines; the message is
 * formatConfigProblems's, the one text every command prints (synth, policy, addresses, docs, cost, rollout).
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source?: ConfigSource,
  ) {
    super(formatConfigProblems(problems, source));
    this.name = "ConfigError";
  }
}

/**
 * The text of a configuration error: one problem a line, led by the product and the file to edit when the
 * source is known (`atena (environments/atena/prod.ts): prod.cache.numCacheNodes: …`), so a problem in
 * another product's file than the one being worked on says where it is.
 */
export function formatConfigProblems(problems: readonly string[], source?: ConfigSource): string {
  return `Invalid environment configuration:\n  ${problems.map((p) => problemOrigin(p, source) + p).join("\n  ")}`;
}

/** `<product> (<file>): ` for a problem whose path starts with a workspace (or the product's id), else `<product>: `. */
function problemOrigin(problem: string, source?: ConfigSource): string {
  if (!source) return "";
  const head = /^[^.:[\s]+/.exec(problem)?.[0];
  if (source.sourceDir && head && source.workspaces.includes(head))
    return `${source.id} (${source.sourceDir}/${head}.ts): `;
  if (source.sourceDir && head === source.id) return `${source.id} (${source.sourceDir}/index.ts): `;
  return `${source.id}: `;
}

/** `network.privateSubnets[2]` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, "");
}

/**
 * Where users are served, the state lives in S3 with `use_lockfile` (D146): a local state is one operator's disk,
 * lost with it, and two operators' applies do not lock each other out. Every production-like workspace, and the
 * product's production workspace whatever its tier. Terraform: https://developer.hashicorp.com/terraform/language/backend/s3
 * (`use_lockfile`: S3-native state locking, Terraform >= 1.10).
 */
export function remoteStateProblem(
  env: { readonly workspace: string; readonly tier: string; readonly state?: unknown },
  product: Pick<ProductRules, "productionWorkspace">,
): string | undefined {
  if (env.state) return undefined;
  const why =
    env.tier === "production-like"
      ? "a production-like workspace"
      : `the product's production workspace (productionWorkspace "${product.productionWorkspace}")`;
  if (env.tier !== "production-like" && env.workspace !== product.productionWorkspace) return undefined;
  return `${why} keeps its state in S3 with use_lockfile, not in a local file: set state: { bucket: <the product's bootstrap bucket> }, then run terraform init -migrate-state once in its directory (https://developer.hashicorp.com/terraform/language/backend/s3)`;
}

function checkRemoteState(env: EnvironmentConfig, ctx: Ctx, product: ProductRules): void {
  const problem = remoteStateProblem(env, product);
  if (problem) ctx.addIssue({ code: "custom", path: ["state"], message: problem });
}

/** The pipeline's Terraform roles are granted the workspace's state object in S3 (D97); a local state has none. */
function checkTerraformRoles(env: EnvironmentConfig, ctx: Ctx): void {
  if (env.security.deploy.terraformRoles.enabled && !env.state) {
    ctx.addIssue({
      code: "custom",
      path: ["security", "deploy", "terraformRoles", "enabled"],
      message: TERRAFORM_ROLES_NEED_STATE,
    });
  }
}

/**
 * ARNs the environment's data writes (alarm dimensions, a task's grants) name its own account; an alarm's also its
 * region (lib/core/arn.ts: a metric of another account or region never reaches this CloudWatch).
 */
function checkOwnArns(env: EnvironmentConfig, ctx: Ctx): void {
  env.monitoring.metricAlarms.forEach((a, i) => {
    for (const [dim, value] of Object.entries(a.dimensions)) {
      const problem = foreignArnProblem(value, env, true);
      if (problem)
        ctx.addIssue({ code: "custom", path: ["monitoring", "metricAlarms", i, "dimensions", dim], message: problem });
    }
  });
  env.compute.tasks.forEach((t, i) => {
    for (const [list, arns] of Object.entries(t.access)) {
      arns.forEach((arn: string, j: number) => {
        const problem = foreignArnProblem(arn, env);
        if (problem)
          ctx.addIssue({ code: "custom", path: ["compute", "tasks", i, "access", list, j], message: problem });
      });
    }
  });
}

/**
 * The shapes a workload without the usual tiers may take (seed 004, D118–D121): the default VPC, no private
 * subnets (one-off tasks with public IPs, no NAT), no database, tasks without services. Each rule names
 * what the missing piece would have held.
 */
function checkWorkloadShape(env: EnvironmentConfig, ctx: Ctx): void {
  const net = env.network;
  const c = env.compute;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  const runsServices = c.services.length > 0;
  if (!runsServices && c.tasks.length === 0) issue(["compute", "services"], "needs at least one service");
  const names = new Map<string, string>(c.services.map((s) => [s.name, "service"]));
  c.tasks.forEach((t, i) => {
    if (names.has(t.name))
      issue(
        ["compute", "tasks", i, "name"],
        `"${t.name}" is also a ${names.get(t.name)} name (their knobs <name>_cpu … would clash)`,
      );
    names.set(t.name, "task");
    if (!c.images.includes(t.image))
      issue(["compute", "tasks", i, "image"], `"${t.image}" is not one of compute.images (${c.images.join(", ")})`);
    t.secrets.forEach((name, j) => {
      if (!env.security.secrets.names.includes(name))
        issue(["compute", "tasks", i, "secrets", j], `"${name}" is not declared in security.secrets.names`);
    });
  });
  if (c.migrations && !env.database.enabled)
    issue(["compute", "migrations"], "migrations run against the database: needs database.enabled");
  if (c.migrations && !runsServices)
    issue(["compute", "migrations"], "takes its secrets from the first service: needs a service");
  if (env.dr.enabled && !env.database.enabled)
    issue(["dr", "enabled"], "copies the database's backups to the DR region: needs database.enabled");
  if (env.compute.parameterStore?.databaseUrl && !env.database.enabled)
    issue(
      ["compute", "parameterStore", "databaseUrl"],
      "needs the database (database.enabled): DATABASE_URL is written by the database module",
    );

  const noPrivateTier = (what: string) => {
    if (net.natMode !== "none")
      issue(["network", "natMode"], `must be "none" ${what}: a NAT gateway serves private subnets`);
    if (net.interfaceEndpoints.length > 0)
      issue(
        ["network", "interfaceEndpoints"],
        `must be empty ${what}: interface endpoints live in the private subnets`,
      );
    if (env.cache.enabled) issue(["cache", "enabled"], `must be false ${what}: Redis lives in the private subnets`);
    if (env.database.enabled)
      issue(["database", "enabled"], `must be false ${what}: the database lives in private or database subnets`);
    if (runsServices)
      issue(["compute", "services"], `must be empty ${what}: services run in the private subnets; use compute.tasks`);
    c.tasks.forEach((t, i) => {
      if (!t.assignPublicIp)
        issue(
          ["compute", "tasks", i, "assignPublicIp"],
          `must be true ${what}: without NAT a task reaches ECR and the AWS APIs only through a public IP`,
        );
    });
  };
  if (net.mode === "default-vpc") {
    const where = 'with network.mode "default-vpc"';
    if (net.vpcCidr !== undefined)
      issue(["network", "vpcCidr"], `not used ${where} (the default VPC's block is AWS's); drop it`);
    for (const tier of ["publicSubnets", "privateSubnets", "databaseSubnets"] as const) {
      if (net[tier].length > 0)
        issue(["network", tier], `not used ${where} (its default subnets are looked up); drop it`);
    }
    if (net.flowLogs.enabled)
      issue(["network", "flowLogs", "enabled"], `must be false ${where}: the default VPC is not managed here`);
    noPrivateTier(where);
  } else if (net.privateSubnets.length === 0) {
    const where = "without privateSubnets";
    if (net.publicSubnets.length === 0)
      issue(["network", "publicSubnets"], `needs one subnet per availability zone ${where}: the tasks run there`);
    noPrivateTier(where);
  }
}

/** Automatic rotation of the application user's password (D170): the database module's rules. */
function checkRotation(env: EnvironmentConfig, ctx: Ctx): void {
  const problems = appRotationProblems({
    database: env.database,
    network: {
      mode: env.network.mode,
      natMode: env.network.natMode,
      interfaceEndpoints: env.network.interfaceEndpoints,
    },
    copiesAppPassword: env.compute.parameterStore?.databaseUrl === true,
  });
  for (const [path, message] of problems) ctx.addIssue({ code: "custom", path, message });
}

/** SSM parameters (compute.parameterStore, D104): services inject only parameters that exist, and Terraform's own names stay its own. */
function checkParameters(env: EnvironmentConfig, ctx: Ctx): void {
  const store = env.compute.parameterStore;
  const names = parameterNames(store);
  const written: string[] = [...Object.values(WRITTEN_PARAMETERS), MIGRATIONS_DATABASE_URL];
  store?.manual.forEach((n, i) => {
    if (written.includes(n)) {
      ctx.addIssue({
        code: "custom",
        path: ["compute", "parameterStore", "manual", i],
        message: `${n} is written by Terraform (parameterStore.databaseUrl / redisUrl), not by an operator`,
      });
    } else if (store.manual.indexOf(n) !== i) {
      ctx.addIssue({
        code: "custom",
        path: ["compute", "parameterStore", "manual", i],
        message: `${n} is listed twice`,
      });
    }
  });
  if (store?.redisUrl && !env.cache.enabled) {
    ctx.addIssue({
      code: "custom",
      path: ["compute", "parameterStore", "redisUrl"],
      message: "needs the cache (cache.enabled): REDIS_URL is written by the cache module",
    });
  }
  env.compute.services.forEach((svc, i) => {
    svc.parameters.forEach((p, j) => {
      if (!names.includes(p)) {
        const known = names.length ? `(${names.join(", ")})` : "(none: set compute.parameterStore)";
        ctx.addIssue({
          code: "custom",
          path: ["compute", "services", i, "parameters", j],
          message: `"${p}" is not a parameter of compute.parameterStore ${known}`,
        });
      } else if (svc.secrets.some((sec) => sec.replace(/-/g, "_").toUpperCase() === p)) {
        ctx.addIssue({
          code: "custom",
          path: ["compute", "services", i, "parameters", j],
          message: `${p} is also injected from secrets; keep one source`,
        });
      }
    });
  });
}

/**
 * Host-based routing (`compute.services[i].hostHeaders`, D110): web services only, not behind CloudFront (it sends
 * the origin's name as Host), within the listener rule's 5 condition values, one service per host.
 */
function checkHostRouting(env: EnvironmentConfig, ctx: Ctx): void {
  const owner = new Map<string, { name: string; paths: boolean }>();
  env.compute.services.forEach((s, i) => {
    if (s.hostHeaders.length === 0) return;
    const path = ["compute", "services", i, "hostHeaders"];
    if (s.kind === "worker") {
      ctx.addIssue({ code: "custom", path, message: "a worker has no load balancer: drop hostHeaders" });
      return;
    }
    if (env.network.albIngress === "cloudfront") {
      ctx.addIssue({
        code: "custom",
        path,
        message:
          "cannot route by host behind CloudFront (albIngress \"cloudfront\"): CloudFront sends the origin's name (cdn.originDomainName) as Host, never the viewer's; route by pathPatterns",
      });
    }
    const values = s.pathPatterns.length + s.hostHeaders.length;
    if (values > ALB_RULE_CONDITION_VALUES) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `a listener rule holds at most ${ALB_RULE_CONDITION_VALUES} condition values (ELB quota): pathPatterns (${s.pathPatterns.length}) + hostHeaders (${s.hostHeaders.length}) = ${values}`,
      });
    }
    s.hostHeaders.forEach((host, j) => {
      const seen = s.hostHeaders.indexOf(host);
      if (seen !== j) {
        ctx.addIssue({
          code: "custom",
          path: [...path, j],
          message: `${host} is listed twice (also at hostHeaders[${seen}])`,
        });
        return;
      }
      const other = owner.get(host);
      // Two services may share a host only when paths tell them apart.
      if (other && !(other.paths && s.pathPatterns.length > 0)) {
        ctx.addIssue({
          code: "custom",
          path: [...path, j],
          message: `${host} already routes to web service "${other.name}": give both services pathPatterns, or one host to one service`,
        });
      } else if (!other) owner.set(host, { name: s.name, paths: s.pathPatterns.length > 0 });
    });
  });
}

/** Fargate + Fargate Spot (`compute.services[i].spotMix`, D111): instead of `spot`, never with it, and with some on-demand capacity. */
function checkSpotMix(env: EnvironmentConfig, ctx: Ctx): void {
  env.compute.services.forEach((s, i) => {
    if (!s.spotMix) return;
    const path = ["compute", "services", i, "spotMix"];
    if (s.spot) {
      ctx.addIssue({
        code: "custom",
        path,
        message:
          "choose spot: true (every task on Fargate Spot) or spotMix (an on-demand base, the rest split by weight), not both",
      });
    }
    if (s.spotMix.onDemandBase === 0 && s.spotMix.onDemandWeight === 0) {
      ctx.addIssue({
        code: "custom",
        path,
        message:
          "puts no task on on-demand Fargate (onDemandBase and onDemandWeight are 0): use spot: true, or give the mix an on-demand base",
      });
    }
  });
}

/** Per-service alarms (`monitoring.serviceAlarms`): a configured service, and a latency alarm only where a target group measures it. */
function checkServiceAlarms(env: EnvironmentConfig, ctx: Ctx): void {
  const services = env.compute.services;
  for (const [name, alarms] of Object.entries(env.monitoring.serviceAlarms)) {
    const svc = services.find((s) => s.name === name);
    if (!svc) {
      ctx.addIssue({
        code: "custom",
        path: ["monitoring", "serviceAlarms", name],
        message: `no service "${name}" in compute.services (${services.map((s) => s.name).join(", ")})`,
      });
    } else if (svc.kind === "worker" && alarms.p95LatencyMs !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["monitoring", "serviceAlarms", name, "p95LatencyMs"],
        message: `"${name}" is a worker: no load balancer measures its response time`,
      });
    }
  }
  env.monitoring.dashboard.errorRateServices.forEach((name, i) => {
    const svc = services.find((s) => s.name === name);
    if (svc?.kind !== "web") {
      const why = svc
        ? `"${name}" is a worker: no target group counts its requests and 5xx responses`
        : `no service "${name}" in compute.services (${services.map((s) => s.name).join(", ")})`;
      ctx.addIssue({ code: "custom", path: ["monitoring", "dashboard", "errorRateServices", i], message: why });
    }
  });
}

/** Alarms somebody receives (modules/monitoring/config.ts, alarmRecipientIssues), in every tier. */
function checkAlarmRecipients(env: EnvironmentConfig, ctx: Ctx): void {
  for (const [field, message] of alarmRecipientIssues(env.monitoring))
    ctx.addIssue({ code: "custom", path: ["monitoring", field], message });
}

/**
 * The working-hours schedule (D210): only where the environment may stop, a week with both a stop and a start, and
 * nothing RDS cannot stop, and backups taken while the database runs. "Stopping an Amazon RDS DB instance temporarily", limitations: a DB instance that has a
 * read replica, or is one, cannot be stopped; a stopped instance starts by itself after seven days
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_StopInstance.html).
 */
function checkSchedule(env: EnvironmentConfig, ctx: Ctx): void {
  const schedule = env.schedule;
  if (!schedule) return;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (!isStoppable(env))
    issue(
      ["schedule"],
      `${env.workspace} cannot be stopped (stoppable is false): a schedule stops its services and database every day`,
    );
  // No read replicas: a knob rule of the database (modules/database/config.ts, under `ctx.scheduled`), so the same
  // declaration refuses the config here and the tfvars at plan.
  const stoppedAt = env.database.enabled && windowOutsideRunningHours(schedule, env.database.backupWindow);
  if (stoppedAt)
    issue(
      ["database", "backupWindow"],
      `must fall inside the scheduled running hours: RDS takes automated backups only while the instance is available (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html); ${env.database.backupWindow} UTC is ${stoppedAt}, when the schedule has the database stopped`,
    );
  // A weekly schedule that starts at least once a week never leaves the database stopped the 7 days after which RDS
  // starts it by itself; what is left to check is the pair (a single expression's problem is its own field's).
  const week = scheduledWeek(schedule);
  if (
    typeof week === "string" &&
    typeof parseCron(schedule.stop) !== "string" &&
    typeof parseCron(schedule.start) !== "string"
  )
    issue(["schedule"], week);
  // The database's own pair: its start, moved earlier, must not meet the stop either.
  if (typeof week !== "string" && env.database.enabled && !databaseStartProblem(schedule)) {
    const dbWeek = scheduledWeek({ stop: schedule.stop, start: databaseStart(schedule) });
    if (typeof dbWeek === "string") issue(["schedule", "databaseLeadMinutes"], `the database's start: ${dbWeek}`);
  }
}
