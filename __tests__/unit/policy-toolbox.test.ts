/**
 * ecs-read-only-root and the ECS Exec toolbox (docs/decisions.md D55): only a task definition tagged
 * Purpose = ecs-exec-toolbox that no aws_ecs_service runs may have a writable root.
 */
import { CHECKS } from "../../tools/policy/checks";
import { evaluatePolicy } from "../../tools/policy";
import type { Json } from "../../tools/synthesized";
import { fixtureStack, STRICT } from "../helpers/policy-fixtures";

const check = CHECKS.find((c) => c.id === "ecs-read-only-root");
if (!check) throw new Error("ecs-read-only-root is missing");

const container = (name: string, readonly: boolean) => ({
  name,
  image: "x:1",
  readonlyRootFilesystem: readonly,
  privileged: false,
  logConfiguration: { logDriver: "awslogs" },
});
const taskDef = (name: string, readonly: boolean, tags?: Json) => ({
  container_definitions: JSON.stringify([container(name, readonly)]),
  execution_role_arn: "${aws_iam_role.execution.arn}",
  task_role_arn: "${aws_iam_role.task.arn}",
  ...(tags ? { tags } : {}),
});
const service = (td: string) => ({ name: "svc", task_definition: `\${aws_ecs_task_definition.${td}.arn}` });
const TAG = { Purpose: "ecs-exec-toolbox" };

const TOOLBOX_FIXTURES: Record<
  string,
  { resources: Record<string, Record<string, Json>>; status: "passed" | "failed" }
> = {
  "a tagged toolbox no service runs": {
    resources: { aws_ecs_task_definition: { toolbox: taskDef("toolbox", false, TAG) } },
    status: "passed",
  },
  "a tagged toolbox next to a read-only service": {
    resources: {
      aws_ecs_task_definition: { toolbox: taskDef("toolbox", false, TAG), app: taskDef("app", true) },
      aws_ecs_service: { app: service("app") },
    },
    status: "passed",
  },
  "a tagged toolbox that a service runs": {
    resources: {
      aws_ecs_task_definition: { toolbox: taskDef("toolbox", false, TAG) },
      aws_ecs_service: { app: service("toolbox") },
    },
    status: "failed",
  },
  "a writable task definition without the tag": {
    resources: { aws_ecs_task_definition: { shell: taskDef("shell", false) } },
    status: "failed",
  },
  "a writable task definition with another Purpose": {
    resources: { aws_ecs_task_definition: { shell: taskDef("shell", false, { Purpose: "debug" }) } },
    status: "failed",
  },
};

const statusOf = (resources: Record<string, Record<string, Json>>) => {
  const findings = evaluatePolicy(fixtureStack(resources), STRICT, [check]).results[0];
  return findings.status;
};

describe("ecs-read-only-root and the toolbox", () => {
  for (const [name, f] of Object.entries(TOOLBOX_FIXTURES)) {
    test(`${f.status === "passed" ? "accepts" : "fails"} ${name}`, () => {
      expect(statusOf(f.resources)).toBe(f.status);
    });
  }

  test("names the service-run toolbox in its finding", () => {
    const r = evaluatePolicy(fixtureStack(TOOLBOX_FIXTURES["a tagged toolbox that a service runs"].resources), STRICT, [
      check,
    ]).results[0];
    expect(JSON.stringify(r)).toContain("an ECS service runs this toolbox task definition");
  });
});
