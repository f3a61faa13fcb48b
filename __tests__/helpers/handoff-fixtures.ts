/**
 * Passing and failing fixtures of the hand-off rules (tools/policy/handoff-checks.ts): what another tool
 * receives from a workspace (a task definition ARN, a container name) and what a workspace watches of another
 * tool's (alarm dimensions), each in module `m` of a fixture stack.
 */
import type { Json } from "../../tools/synthesized";
import type { Fixture } from "./policy-fixtures";

const alarm = (extra: Json = {}) => ({
  aws_cloudwatch_metric_alarm: {
    a: { alarm_name: "x-failures", namespace: "AWS/States", metric_name: "ExecutionsFailed", ...extra },
  },
});
const stateMachine = (account: string) => ({
  StateMachineArn: `arn:aws:states:us-east-1:${account}:stateMachine:workflow`,
});
const taskDefinition = (container: string) => ({
  aws_ecs_task_definition: {
    t: { family: "f", container_definitions: JSON.stringify([{ name: container, image: "repo:1", essential: true }]) },
  },
});

export const HANDOFF_FIXTURES: Record<string, Fixture> = {
  "alarm-missing-data-explicit": { pass: alarm({ treat_missing_data: "notBreaching" }), fail: alarm() },
  "alarm-own-account": {
    pass: alarm({ treat_missing_data: "notBreaching", dimensions: stateMachine("111111111111") }),
    fail: alarm({ treat_missing_data: "notBreaching", dimensions: stateMachine("222222222222") }),
    extra: { pass: { inputs: { account_id: "111111111111" } }, fail: { inputs: { account_id: "111111111111" } } },
  },
  "task-definition-arn-revision-free": {
    pass: taskDefinition("app"),
    fail: taskDefinition("app"),
    extra: {
      pass: { outputs: { t_task_definition_arn: { value: "${aws_ecs_task_definition.t.arn_without_revision}" } } },
      fail: { outputs: { t_task_definition_arn: { value: "${aws_ecs_task_definition.t.arn}" } } },
    },
  },
  "ecs-container-names-exist": {
    pass: taskDefinition("processor"),
    fail: taskDefinition("app"),
    extra: {
      pass: { outputs: { t_container_name: { value: "processor" } } },
      fail: { outputs: { t_container_name: { value: "processor" } } },
    },
  },
};
