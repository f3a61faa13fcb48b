/**
 * compute — ECS Fargate services behind an ALB (seed 000 §2–3, §5.2–5.3, seed 001 `modules/compute`).
 *
 * Owns: the cluster `<name>` (Fargate and Fargate Spot), one ECR repository per image, the log
 * group `/ecs/<name>`, the execution and task roles, one task definition + service + autoscaling per
 * configured service (web services get a target group and a listener rule), the migrations task
 * definition, the ECS Exec toolbox task definition and its role, the ALB with its listeners and WAF
 * association. Services are a list, so the same module expresses an API + workers (seed 002) or
 * API + web (seed 003). Without cache inputs the containers get no REDIS_* variables (seed 000 §7.3).
 * Services keep a read-only root and no ECS Exec; operators exec into the toolbox (D55). While
 * `app_image_tag` is the placeholder `initial` every service runs zero tasks (D56).
 *
 * Depends on: network, security, storage (buckets, ALB log prefix), database (endpoint, secrets) and, when enabled, cache.
 */
import type { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { Construct } from "constructs";
import type { KnobSet, KnobSpec, KnobTokens } from "../../lib/core/knobs";
import { ModuleStack } from "../../lib/core/module-stack";
import { clusterAndRegistries } from "./cluster";
import type { ComputeSettings, IMAGE_KNOBS } from "./config";
import type { ParameterRef } from "./env";
import { declareInputs } from "./inputs";
import { loadBalancer } from "./load-balancer";
import { dbBootstrap, migrationsTask, runTaskTask, toolboxTask } from "./one-off-tasks";
import { computeOutputs, loadBalancerOutputs } from "./outputs";
import type { ComputeContext, ModuleApi } from "./parts";
import { roles as taskRoles, type DatadogNames } from "./roles";
import { service, servingSwitch } from "./services";
import { appTaskDefinitions } from "./task-definitions";

export * from "./constants";
export type { DatadogNames } from "./roles";

/** The cache's outputs the containers get (REDIS_* variables, the AUTH secret). */
export interface RedisInputs {
  readonly url: string;
  readonly host: string;
  readonly port: unknown;
  /** The AUTH secret's ARN; omit when AUTH is off. */
  readonly authSecretArn?: string;
}

export interface BucketRef {
  readonly name: string;
  readonly arn: string;
}

export interface ComputeProps {
  /** Name prefix: cluster `<name>`, services `<name>-<service>`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly appSecurityGroupId: string;
  readonly albSecurityGroupId: string;
  readonly dataKmsKeyArn: string;
  readonly logsKmsKeyArn: string;
  readonly logsBucketName: string;
  readonly albLogPrefix: string;
  /**
   * The application's buckets by key (`mlModels`): module inputs `<key_snake>_bucket_name`/`_arn`, container
   * variable `<KEY_SNAKE>_BUCKET`, and task-role access (`read` or `read-write`).
   */
  readonly buckets: Readonly<Record<string, BucketRef & { readonly access: "read" | "read-write" }>>;
  /** CloudWatch namespace root the app publishes its own metrics under (`<namespace>/*`). */
  readonly metricNamespace: string;
  /** Application secret ARNs by name (security module). */
  readonly secretArns: unknown;
  /** Database: the app user's and the master's secrets (db-bootstrap image: the engine major's postgres client). Omit without a database: no DB_* variables, no db-bootstrap task. */
  readonly db?: {
    readonly appSecretArn: string;
    readonly masterSecretArn: string;
    readonly bootstrapImage: string;
    readonly address: string;
    readonly port: unknown;
    readonly name: string;
  };
  /** Cache connection; omit when the cache is disabled (no REDIS_* variables). */
  readonly redis?: RedisInputs;
  /** Associate the security module's web ACL. @default false */
  readonly enableWaf?: boolean;
  readonly webAclArn?: string;
  /** Root variables of the compute knobs (./config.ts, knobs section): the image tag and each service's size and scaling, by service name. */
  readonly knobs: {
    readonly image: KnobTokens<typeof IMAGE_KNOBS.knobs>;
    readonly services: Readonly<Record<string, KnobTokens<Record<string, KnobSpec>>>>;
    /** Each task's size knobs (`<task>_cpu`, `<task>_memory`), by task name. @default none */
    readonly tasks?: Readonly<Record<string, KnobTokens<Record<string, KnobSpec>>>>;
  };
  /**
   * A product's app settings that are knobs: each is a module input and the container variable of its
   * name in upper case (`bncc_cache_ttl` → `BNCC_CACHE_TTL`). @default none
   */
  readonly appSettings?: { readonly set: KnobSet; readonly tokens: KnobTokens<Record<string, KnobSpec>> };
  /**
   * The environment's `compute` section without its knob fields (./config.ts documents each setting and its
   * default): services, tasks, images, certificate, sidecars. The module reads what it needs, so a new setting is
   * a change of this folder only; sizes, scaling and the image tag reach it as knob tokens (`knobs`).
   */
  readonly settings: ComputeSettings;
  readonly environmentName: string;
  /** Whether the environment runs (false scales every service to zero). @default true */
  readonly running?: unknown;
  /**
   * Only CloudFront reaches the ALB (network.albIngress "cloudfront"): the HTTPS listener answers 403 unless
   * the request carries CloudFront's secret origin header. Needs a certificate. @default false
   */
  readonly originVerify?: boolean;
  /**
   * Path of the environment's SSM parameters (`/<project>/<workspace>/`), when `compute.parameterStore` is set:
   * the module creates the operators' placeholders and lets the execution role read the path (D104). @default none
   */
  readonly parameterPath?: string;
  /** ARNs of the parameters other modules write (DATABASE_URL, MIGRATIONS_DATABASE_URL, REDIS_URL), by name: task definitions wait for them. @default none */
  readonly writtenParameterArns?: Readonly<Record<string, string>>;
  /** Names for the Datadog sidecar (compute.datadog.enabled): its API key secret and the DD_SERVICE prefix. */
  readonly datadog?: DatadogNames;
}

export class ComputeModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: ComputeProps) {
    super(scope, workspace, "compute");
    const api: ModuleApi = {
      scope: this,
      input: (name, value, spec) => this.input(name, value, spec),
      output: (name, value, description, sensitive) => this.output(name, value, description, sensitive),
      knobInputs: (set, tokens) => this.knobInputs(set, tokens),
    };
    const ctx: ComputeContext = {
      api,
      scope: this,
      settings: props.settings,
      vars: declareInputs(api, props),
      environmentName: props.environmentName,
      metricNamespace: props.metricNamespace,
    };
    const { settings: cfg, vars } = ctx;
    const cluster = clusterAndRegistries(ctx);
    const roles = taskRoles(ctx, cluster, props.datadog);
    const lb = loadBalancer(ctx, props.originVerify ?? false);
    // A parameter by reference: the task definition then depends on the parameter existing (ECS reads it at task start).
    const parameterRef = (name: string, parameter: string): ParameterRef => ({
      name,
      parameter,
      valueFrom: roles.placeholders[parameter]?.arn ?? vars.parameters?.written[parameter],
    });
    const serving = servingSwitch(ctx, roles.placeholders, (name, condition, message) =>
      this.addOverride(`check.${name}`, { assert: [{ condition, error_message: message }] }),
    );
    const taskDefinition = appTaskDefinitions(ctx, cluster, roles, props.datadog);
    const parts = { ctx, cluster, lb, roles, taskDefinition, serving, parameterRef };
    const services = cfg.services.map((s) => [s.name, service(parts, s)] as const);
    const oneOff = {
      migrations: migrationsTask(parts),
      "db-bootstrap": dbBootstrap(parts),
      ...Object.fromEntries(cfg.tasks.map((t) => [t.name, runTaskTask(parts, t)])),
    };
    const toolbox = toolboxTask(parts);
    const taskDefinitions: Record<string, EcsTaskDefinition> = {};
    for (const [name, td] of [...services.map(([n, s]) => [n, s.taskDefinition] as const), ...Object.entries(oneOff)])
      if (td) taskDefinitions[name] = td;
    const ecsServices = Object.fromEntries(services.map(([name, s]) => [name, s.service]));
    computeOutputs(ctx, cluster, roles, {
      services: ecsServices,
      taskDefinitions,
      migrations: oneOff.migrations,
      toolbox,
    });
    if (lb) loadBalancerOutputs(ctx, lb);
  }
}
