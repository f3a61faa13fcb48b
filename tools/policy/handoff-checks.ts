/**
 * Apply-time rules on what a workspace hands to another tool or watches of another tool's (seed 004: the SAM
 * stack runs our task definition and we alarm on its state machine), read structurally from the synthesized
 * JSON (outputs and module inputs as written) and from the resolved resources (model.ts). Registered with the
 * other apply rules (apply-checks.ts). Each names the AWS page it comes from.
 */
import type { Check, Finding } from "./check";
import { containers } from "./containers";
import type { PolicyModel } from "./model";
import { blocks, isSet, of, perResource, refersTo, text } from "./values";
import { stackParts, type Json } from "../synthesized";
import { arnsIn } from "../../lib/core/arn";

const meta = { category: "apply", upstream: [], scope: "all" } as const;

/** Every output of every module the root calls (and the root's own), with its address and value as written. */
function outputsOf(m: PolicyModel): { address: string; module: string; name: string; value: unknown }[] {
  return (m.stack ? stackParts(m.stack) : []).flatMap(({ tf, module, prefix }) =>
    Object.entries<Json>(tf.output ?? {}).map(([name, o]) => ({
      address: `${prefix}output.${name}`,
      module,
      name,
      value: o?.value,
    })),
  );
}

/** The workspace's account as the root passes it to its modules (`account_id = "<12 digits>"`); undefined when none or several. */
function workspaceAccount(m: PolicyModel): string | undefined {
  const ids = new Set(
    Object.values<Json>(m.stack?.root.module ?? {})
      .map((b) => b?.account_id)
      .filter((v): v is string => typeof v === "string" && /^\d{12}$/.test(v)),
  );
  return ids.size === 1 ? [...ids][0] : undefined;
}

/** `aws_ecs_task_definition.<name>.arn` (with its revision), not `.arn_without_revision`. */
const PINNED_TD_ARN = /\baws_ecs_task_definition\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\.arn\b(?!_)/;

export const HANDOFF_CHECKS: readonly Check[] = [
  perResource(
    {
      ...meta,
      id: "alarm-missing-data-explicit",
      title: "Every metric alarm says how missing data is treated (treat_missing_data)",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data",
      ],
    },
    ["aws_cloudwatch_metric_alarm"],
    (r) =>
      isSet(r.config.treat_missing_data)
        ? undefined
        : "treat_missing_data is not set: CloudWatch then treats a period without data as missing, and an alarm on a metric published only when something happens sits in INSUFFICIENT_DATA instead of OK or ALARM",
  ),
  {
    ...meta,
    id: "alarm-own-account",
    title: "ARNs in alarm dimensions and actions name the workspace's own account",
    severity: "high",
    sources: [
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html",
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html",
    ],
    evaluate: (m): Finding[] => {
      const account = workspaceAccount(m);
      if (!account) return [];
      return of(m, "aws_cloudwatch_metric_alarm").map((r) => {
        const written = JSON.stringify([
          r.config.dimensions ?? null,
          r.config.alarm_actions ?? null,
          r.config.ok_actions ?? null,
          blocks(r.config.metric_query).map((q) => q.metric ?? null),
        ]);
        const foreign = arnsIn(written).find((a) => a.account && a.account !== account);
        return {
          address: r.address,
          problem: foreign
            ? `names account ${foreign.account} in an ARN, not this workspace's ${account}: its metrics never reach this account's CloudWatch, so the alarm watches an empty series`
            : undefined,
        };
      });
    },
  },
  {
    ...meta,
    id: "task-definition-arn-revision-free",
    title: "A task definition ARN handed out (an output) is the family's, without :<revision>",
    severity: "high",
    sources: [
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html",
      "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deregister-task-definition-v2.html",
    ],
    evaluate: (m): Finding[] =>
      outputsOf(m)
        .filter((o) => /\baws_ecs_task_definition\./.test(JSON.stringify(o.value ?? "")))
        .map((o) => {
          const pinned = PINNED_TD_ARN.exec(JSON.stringify(o.value));
          return {
            address: o.address,
            problem: pinned
              ? `hands out aws_ecs_task_definition.${pinned[1]}.arn, which pins a revision: the next image or size change registers a new one and deregisters it, and whoever holds the ARN fails until redeployed; use arn_without_revision (RunTask runs the latest ACTIVE revision)`
              : undefined,
          };
        }),
  },
  {
    ...meta,
    id: "ecs-container-names-exist",
    title:
      "Every container name handed to another tool (a service's load balancer, a *_container_name output) is a container of its task definition",
    severity: "critical",
    sources: [
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerOverride.html",
      "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html",
    ],
    evaluate: (m): Finding[] => {
      const tds = of(m, "aws_ecs_task_definition");
      const namesOf = (module: string, pick: (td: (typeof tds)[number]) => boolean) => {
        const td = tds.find((t) => t.module === module && pick(t));
        return td && (containers(td) ?? []).map((c) => String(c.name));
      };
      const services = of(m, "aws_ecs_service").flatMap((svc) =>
        blocks(svc.config.load_balancer).map((lb) => {
          const names = namesOf(svc.module, (t) => refersTo(svc.config.task_definition, t));
          const name = text(lb.container_name);
          return {
            address: svc.address,
            problem:
              names && name !== undefined && !names.includes(name)
                ? `load_balancer names container "${name}", its task definition has ${names.join(", ")}: CreateService fails`
                : undefined,
          };
        }),
      );
      const outputs = outputsOf(m)
        .filter((o) => o.module && o.name.endsWith("_container_name"))
        .map((o) => {
          const task = o.name.slice(0, -"_container_name".length);
          const names = namesOf(o.module, (t) => t.name === task);
          if (!names)
            return {
              address: o.address,
              problem: `names a container of aws_ecs_task_definition.${task}, which this module does not create`,
            };
          return {
            address: o.address,
            problem:
              typeof o.value === "string" && !names.includes(o.value)
                ? `hands out container "${o.value}", the task definition has ${names.join(", ")}: RunTask with an override naming it fails`
                : undefined,
          };
        });
      return [...services, ...outputs];
    },
  },
];
