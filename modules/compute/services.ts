/**
 * The long-running services: when they serve (local `serving`, the first-deploy and parameter checks, the
 * deployed-image guard), and per service its task definition, ECS service and target-tracking autoscaling.
 */
import {
  AppautoscalingPolicy,
  type AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
  type AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification,
} from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import {
  conditional,
  DataResource,
  Fn,
  Op,
  TerraformLocal,
  Token,
  type IResolvable,
  type ITerraformDependable,
} from "cdktf";
import { named, present } from "../../lib/core/module-stack";
import type { Cluster } from "./cluster";
import {
  COMPUTE_PRESENCE,
  PARAMETER_PLACEHOLDER,
  PLACEHOLDER_IMAGE_TAG,
  serviceVariablePrefix as tf,
  type ServiceSettings,
} from "./config";
import {
  DEPLOYED_IMAGE_GUARD,
  PARAMETERS_REPLACED_LOCAL,
  PLACEHOLDER_PARAMETERS_WARNING,
  PLACEHOLDER_TAG_WARNING,
} from "./constants";
import type { ParameterRef } from "./env";
import type { LoadBalancer } from "./load-balancer";
import type { ComputeContext } from "./parts";
import { scheduledScaling, type ScalingBounds } from "./schedule";
import type { appTaskDefinitions } from "./task-definitions";

/**
 * Services serve only once a real image exists (first deploy, D56), while the environment runs, and once operators
 * replaced every CHANGE_ME parameter (desired-count switch, D162): Terraform refreshes each parameter's value before
 * planning (ignore_changes keeps it from writing one back), so the plan after `aws ssm put-parameter` starts them.
 * Returns `local.serving`.
 */
export function servingSwitch(
  ctx: ComputeContext,
  placeholders: Readonly<Record<string, SsmParameter>>,
  addCheck: (name: string, condition: unknown, message: string) => void,
): IResolvable {
  const { scope, vars } = ctx;
  const realImage = Op.neq(vars.imageTag, PLACEHOLDER_IMAGE_TAG);
  const parameters = Object.values(placeholders);
  let serving = Op.and(vars.running, realImage);
  if (parameters.length > 0) {
    const replaced = new TerraformLocal(
      scope,
      PARAMETERS_REPLACED_LOCAL,
      Fn.alltrue(parameters.map((p) => Fn.nonsensitive(Op.neq(p.value, PARAMETER_PLACEHOLDER)))),
    );
    addCheck("parameters_replaced", replaced.asBoolean, PLACEHOLDER_PARAMETERS_WARNING);
    serving = Op.and(serving, replaced.asBoolean);
  }
  const local = new TerraformLocal(scope, "serving", serving);
  addCheck("first_deploy_image", realImage, PLACEHOLDER_TAG_WARNING);
  // Once a real tag is applied, going back to the placeholder would scale every service to zero: a synth
  // from a checkout without the deployed tag (issue 21 item 3, D136). This record of the deployed tag
  // exists only while the tag is real, and cannot be destroyed, so such a plan fails instead.
  present(
    named(
      new DataResource(scope, "deployed_image_guard", {
        input: Token.asAnyMap(vars.imageTag),
        lifecycle: { preventDestroy: true },
      }),
      DEPLOYED_IMAGE_GUARD,
    ),
    COMPUTE_PRESENCE,
  );
  return local.asBoolean;
}

export interface ServiceParts {
  readonly ctx: ComputeContext;
  readonly cluster: Cluster;
  readonly lb?: LoadBalancer;
  readonly taskDefinition: ReturnType<typeof appTaskDefinitions>;
  /** `local.serving`. */
  readonly serving: IResolvable;
  /** A parameter as a container variable, by reference (./index.ts). */
  readonly parameterRef: (name: string, parameter: string) => ParameterRef;
}

/** One service: task definition, ECS service, autoscaling target and policies. */
export function service(
  p: ServiceParts,
  s: ServiceSettings,
): { service: EcsService; taskDefinition: EcsTaskDefinition } {
  const { ctx, cluster, lb } = p;
  const { scope, settings: cfg, vars } = ctx;
  const id = tf(s.name);
  // Size and scaling are the service's knobs (./config.ts, knobs section): `var.<service>_cpu` …
  const knobs = vars.services[s.name];
  const knob = (k: string) => knobs[`${id}_${k}`];
  const family = `${vars.name}-${s.name}`;
  const parameters =
    cfg.parameterStore && vars.parameters && s.parameters.length > 0
      ? s.parameters.map((x) => p.parameterRef(x, x))
      : undefined;
  const web = s.kind === "web";
  const td = p.taskDefinition(
    id,
    family,
    { ...s, port: web ? s.port : undefined, parameters, logGroup: cluster.serviceLogs ? s.name : undefined },
    { cpu: knob("cpu"), memory: knob("memory") },
    true,
  );
  // A service's capacity provider strategy names FARGATE/FARGATE_SPOT, which the cluster accepts only once
  // its capacity-provider association exists; on destroy the association must outlive the service
  // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
  // ECS also needs the target group attached to the load balancer (by a listener or a rule) before the service exists.
  const dependsOn: ITerraformDependable[] = [cluster.capacity, ...(web && lb ? [lb.attachment(s.name)] : [])];
  const ecsService = named(
    new EcsService(scope, `svc_${id}`, {
      name: family,
      cluster: cluster.cluster.arn,
      taskDefinition: td.arn,
      desiredCount: Token.asNumber(conditional(p.serving, knob("desired_count"), 0)),
      // spotMix (D111): an on-demand base, the rest split by weight between Fargate and Fargate Spot.
      capacityProviderStrategy: s.spotMix
        ? [
            { capacityProvider: "FARGATE", base: s.spotMix.onDemandBase, weight: s.spotMix.onDemandWeight },
            { capacityProvider: "FARGATE_SPOT", weight: s.spotMix.spotWeight },
          ]
        : [{ capacityProvider: s.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 }],
      platformVersion: "LATEST",
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      // No ECS Exec into services: it needs a writable root filesystem; operators use the toolbox task (D55).
      enableExecuteCommand: false,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      healthCheckGracePeriodSeconds: web ? s.healthCheckGracePeriodSeconds : undefined,
      networkConfiguration: {
        subnets: vars.privateSubnetIds,
        securityGroups: [vars.appSecurityGroupId],
        assignPublicIp: false,
      },
      loadBalancer:
        web && lb
          ? [{ targetGroupArn: lb.targetGroups[s.name].arn, containerName: s.containerName, containerPort: s.port }]
          : undefined,
      // Autoscaling owns the count after creation.
      lifecycle: { ignoreChanges: ["desired_count"] },
      dependsOn,
    }),
    id,
  );
  scaling(p, s, ecsService, knob);
  return { service: ecsService, taskDefinition: td };
}

/** Target tracking on CPU and memory, and on ALB requests per target and an app metric per task when configured. */
function scaling(
  p: ServiceParts,
  s: ServiceSettings,
  ecsService: EcsService,
  knob: (k: string) => string | number | boolean,
): void {
  const { scope } = p.ctx;
  const id = tf(s.name);
  const bounds: ScalingBounds = {
    min: conditional(p.serving, knob("min_capacity"), 0),
    max: conditional(p.serving, knob("max_capacity"), 0),
  };
  const target = named(
    new AppautoscalingTarget(scope, `scaling_${id}`, {
      serviceNamespace: "ecs",
      resourceId: `service/${p.cluster.cluster.name}/${ecsService.name}`,
      scalableDimension: "ecs:service:DesiredCount",
      // Stopped, or no image yet: autoscaling holds the service at zero (desired_count is autoscaling's after creation).
      minCapacity: Token.asNumber(bounds.min),
      maxCapacity: Token.asNumber(bounds.max),
    }),
    id,
  );
  // Working hours (D210): the start action restores these same bounds.
  scheduledScaling(p.ctx, target, { id, name: s.name }, bounds);
  type Metric = AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration;
  const policy = (
    suffix: string,
    value: number,
    metric: Pick<Metric, "predefinedMetricSpecification" | "customizedMetricSpecification">,
  ) =>
    named(
      new AppautoscalingPolicy(scope, `scaling_${id}_${suffix}`, {
        name: `${p.ctx.vars.name}-${s.name}-${suffix.replace(/_/g, "-")}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        resourceId: target.resourceId,
        scalableDimension: target.scalableDimension,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: value,
          ...metric,
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
        },
      }),
      `${id}_${suffix}`,
    );
  const predefined = (type: string, resourceLabel?: string) => ({
    predefinedMetricSpecification: { predefinedMetricType: type, resourceLabel },
  });
  policy("cpu", s.cpuTarget, predefined("ECSServiceAverageCPUUtilization"));
  policy("memory", s.memoryTarget, predefined("ECSServiceAverageMemoryUtilization"));
  if (s.kind === "web" && s.requestsPerTarget !== undefined && p.lb) {
    const label = `${p.lb.alb.arnSuffix}/${p.lb.targetGroups[s.name].arnSuffix}`;
    policy("requests", s.requestsPerTarget, predefined("ALBRequestCountPerTarget", label));
  }
  const t = s.appMetricTarget;
  if (t) {
    const service = { cluster: p.cluster.cluster.name, service: ecsService.name };
    policy("app_metric", t.perTaskPerMinute, {
      customizedMetricSpecification: appMetricPerTask(`${p.ctx.metricNamespace}/${t.namespace}`, t.metric, service),
    });
  }
}

/**
 * An app metric's events per running task per minute, as target-tracking metric math: SampleCount of the metric
 * (one sample per matched log line; a minute without any is 0) over the service's RunningTaskCount (Container
 * Insights). AWS's documented per-task form (the SQS backlog per task example, D193).
 */
export function appMetricPerTask(
  namespace: string,
  metricName: string,
  where: { cluster: string; service: string },
): AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification {
  return {
    metrics: [
      {
        id: "events",
        metricStat: { metric: { namespace, metricName }, stat: "SampleCount" },
        returnData: false,
      },
      {
        id: "tasks",
        metricStat: {
          metric: {
            namespace: "ECS/ContainerInsights",
            metricName: "RunningTaskCount",
            dimensions: [
              { name: "ClusterName", value: where.cluster },
              { name: "ServiceName", value: where.service },
            ],
          },
          stat: "Average",
        },
        returnData: false,
      },
      {
        id: "per_task",
        expression: "FILL(events, 0) / tasks",
        label: `${metricName} events per task per minute`,
        returnData: true,
      },
    ],
  };
}
