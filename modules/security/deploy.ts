/**
 * What the GitHub Actions deploy role may do (seed 002 pipeline): push images to this
 * environment's ECR repositories, register task definitions, roll out services and run one-off
 * tasks (migrations) in this environment's cluster, and pass only this environment's ECS roles.
 * Compute names its resources to match: repositories `<name>-*`, cluster `<name>`, roles `<name>-ecs-*`.
 */
import type { PolicyStatement } from "../../lib/constructs/iam";

export interface DeployContext {
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

export function deployPolicyStatements(ctx: DeployContext): PolicyStatement[] {
  const ecs = `arn:aws:ecs:${ctx.region}:${ctx.account}`;
  return [
    // GetAuthorizationToken, RegisterTaskDefinition and DescribeTaskDefinition have no resource-level permissions.
    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "EcrPush",
      Effect: "Allow",
      Action: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ],
      Resource: `arn:aws:ecr:${ctx.region}:${ctx.account}:repository/${ctx.name}-*`,
    },
    { Sid: "EcsTaskDefinitions", Effect: "Allow", Action: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], Resource: "*" },
    { Sid: "EcsRollOutServices", Effect: "Allow", Action: ["ecs:UpdateService", "ecs:DescribeServices"], Resource: `${ecs}:service/${ctx.name}/*` },
    {
      Sid: "EcsRunMigrations",
      Effect: "Allow",
      Action: "ecs:RunTask",
      Resource: `${ecs}:task-definition/${ctx.name}-*:*`,
      Condition: { ArnEquals: { "ecs:cluster": `${ecs}:cluster/${ctx.name}` } },
    },
    { Sid: "EcsWatchTasks", Effect: "Allow", Action: ["ecs:DescribeTasks", "ecs:ListTasks"], Resource: [`${ecs}:task/${ctx.name}/*`, `${ecs}:container-instance/${ctx.name}/*`] },
    {
      Sid: "PassEcsRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:aws:iam::${ctx.account}:role/${ctx.name}-ecs-*`,
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
  ];
}
