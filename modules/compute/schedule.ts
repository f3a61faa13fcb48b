/**
 * compute — the working hours of a service (D210, lib/core/schedule.ts): two Application Auto Scaling scheduled actions
 * on its scalable target. At `schedule_stop` minimum and maximum go to 0 (the service scales in to zero tasks); at
 * `schedule_start` they go back to the very expressions the scalable target holds (`local.serving ? var.<service>_min_capacity : 0`,
 * the same for the maximum), so during working hours Terraform sees the values it wrote.
 * https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html
 */
import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import type { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Token, type IResolvable } from "cdktf";
import { named } from "../../lib/core/module-stack";
import type { ComputeContext } from "./parts";

/** The scalable target's bounds while the service serves: the expressions its `min_capacity` and `max_capacity` hold. */
export interface ScalingBounds {
  readonly min: IResolvable;
  readonly max: IResolvable;
}

/** `aws_appautoscaling_scheduled_action.<service>_stop` and `.<service>_start` on a service's scalable target. */
export function scheduledScaling(
  ctx: ComputeContext,
  target: AppautoscalingTarget,
  service: { readonly id: string; readonly name: string },
  bounds: ScalingBounds,
): void {
  const schedule = ctx.vars.schedule;
  if (!schedule) return;
  const action = (id: "stop" | "start", expression: string, min: string, max: string) =>
    named(
      new AppautoscalingScheduledAction(ctx.scope, `scaling_${service.id}_${id}`, {
        name: `${ctx.vars.name}-${service.name}-${id}`,
        serviceNamespace: target.serviceNamespace,
        resourceId: target.resourceId,
        scalableDimension: target.scalableDimension,
        schedule: expression,
        timezone: schedule.timezone,
        scalableTargetAction: { minCapacity: min, maxCapacity: max },
      }),
      `${service.id}_${id}`,
    );
  action("stop", schedule.stop, "0", "0");
  action("start", schedule.start, Token.asString(bounds.min), Token.asString(bounds.max));
}
