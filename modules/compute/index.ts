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
import { ModuleStack } from "../../lib/core/module-stack";
import { clusterAndRegistries } from "./cluster";
import type { ParameterRef } from "./env";
import { declareInputs } from "./inputs";
import { loadBalancer } from "./load-balancer";
import { dbBootstrap, migrationsTask, runTaskTask, toolboxTask } from "./one-off-tasks";
import { computeOutputs, loadBalancerOutputs } from "./outputs";
import type { ComputeContext, ModuleApi } from "./parts";
import type { ComputeProps } from "./props";
import { roles as taskRoles } from "./roles";
import { service, servingSwitch } from "./services";
import { appTaskDefinitions } from "./task-definitions";

export * from "./constants";
export type { DatadogNames } from "./roles";
export type { BucketRef, ComputeProps, RedisInputs } from "./props";

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
