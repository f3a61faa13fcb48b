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
  /** The ECS cluster's name when it is not `<name>` (compute.clusterNameSuffix: `<name>-<suffix>`). @default name */
  readonly clusterName?: string;
}

export function deployPolicyStatements(ctx: DeployContext): PolicyStatement[] {
  const ecs = `arn:aws:ecs:${ctx.region}:${ctx.account}`;
  const cluster = ctx.clusterName ?? ctx.name;
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
    {
      Sid: "EcsTaskDefinitions",
      Effect: "Allow",
      Action: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"],
      Resource: "*",
    },
    {
      Sid: "EcsRollOutServices",
      Effect: "Allow",
      Action: ["ecs:UpdateService", "ecs:DescribeServices"],
      Resource: `${ecs}:service/${cluster}/*`,
    },
    {
      Sid: "EcsRunMigrations",
      Effect: "Allow",
      Action: "ecs:RunTask",
      Resource: `${ecs}:task-definition/${ctx.name}-*:*`,
      Condition: { ArnEquals: { "ecs:cluster": `${ecs}:cluster/${cluster}` } },
    },
    {
      Sid: "EcsWatchTasks",
      Effect: "Allow",
      Action: ["ecs:DescribeTasks", "ecs:ListTasks"],
      Resource: [`${ecs}:task/${cluster}/*`, `${ecs}:container-instance/${cluster}/*`],
    },
    {
      Sid: "PassEcsRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:aws:iam::${ctx.account}:role/${ctx.name}-ecs-*`,
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
  ];
}
