/**
 * database — the working-hours schedule of the primary (D210, lib/core/schedule.ts): EventBridge Scheduler stops it at
 * `schedule_stop` and starts it at `schedule_start` through its universal targets (the RDS API, no function), with a
 * role that may stop and start this instance only.
 *
 * - Universal targets: https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html
 *   (`arn:aws:scheduler:::aws-sdk:rds:stopDBInstance`; the input is the SDK request, `DbInstanceIdentifier`).
 * - Execution role trusted by scheduler.amazonaws.com for this account only (aws:SourceAccount, the confused-deputy
 *   guard): https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role
 * - RDS cannot stop an instance with read replicas: a knob rule of a scheduled workspace (config.ts) refuses
 *   `readReplicas` at synthesis and `db_replica_count` at plan, from one declaration.
 * - The start schedule is disabled while `environment_running` is false (a long pause keeps the database stopped); the
 *   stop schedule stays on, so it stops the instance again after RDS starts it by itself at seven days.
 */
import type { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { conditional, Fn, Token, type IResolvable } from "cdktf";
import type { Construct } from "constructs";
import { policyDocument, serviceTrust } from "../../lib/constructs/iam";
import { named } from "../../lib/core/module-stack";

/** Tokens of the schedule's module inputs. */
export interface DatabaseScheduleInputs {
  readonly name: string;
  readonly accountId: string;
  readonly stop: string;
  readonly start: string;
  readonly timezone: string;
  /** `var.running`: the environment's start/stop toggle. */
  readonly running: boolean | IResolvable;
}

/** `aws_iam_role.schedule`, its policy, and `aws_scheduler_schedule.stop` / `.start` on the primary. */
export function primarySchedule(scope: Construct, primary: DbInstance, s: DatabaseScheduleInputs): void {
  const role = named(
    new IamRole(scope, "schedule_role", {
      name: `${s.name}-rds-schedule`,
      description: "Lets EventBridge Scheduler stop and start the database outside working hours",
      assumeRolePolicy: serviceTrust("scheduler.amazonaws.com", { StringEquals: { "aws:SourceAccount": s.accountId } }),
    }),
    "schedule",
  );
  named(
    new IamRolePolicy(scope, "schedule_policy", {
      name: "stop-start-primary",
      role: role.id,
      policy: policyDocument([
        {
          Sid: "StopStartPrimary",
          Effect: "Allow",
          Action: ["rds:StopDBInstance", "rds:StartDBInstance"],
          Resource: primary.arn,
        },
      ]),
    }),
    "schedule",
  );
  const schedule = (id: "stop" | "start", api: string, state: string) =>
    named(
      new SchedulerSchedule(scope, `db_schedule_${id}`, {
        name: `${s.name}-db-${id}`,
        description: `${id === "stop" ? "Stops" : "Starts"} the database (working hours, D210)`,
        scheduleExpression: id === "stop" ? s.stop : s.start,
        scheduleExpressionTimezone: s.timezone,
        // At the minute the expression names, not within a window.
        flexibleTimeWindow: { mode: "OFF" },
        state,
        target: {
          arn: `arn:aws:scheduler:::aws-sdk:rds:${api}`,
          roleArn: role.arn,
          input: Fn.jsonencode({ DbInstanceIdentifier: primary.identifier }),
          // Retried for an hour at most (the default is 24 h): a stop that failed in the evening must never land in
          // the next working day, nor a start in the night.
          retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
        },
      }),
      id,
    );
  schedule("stop", "stopDBInstance", "ENABLED");
  schedule("start", "startDBInstance", Token.asString(conditional(s.running, "ENABLED", "DISABLED")));
}
