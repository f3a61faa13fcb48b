/**
 * IAM of the tasks: the execution role (pull, logs, secrets, parameters), the task role (the app's own
 * permissions) and the ECS Exec toolbox's role; plus what the execution role reads that this module
 * creates (the Datadog API key secret, the operators' placeholder parameters).
 */
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import type { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { policyDocument, serviceTrust, type PolicyStatement } from "../../lib/constructs/iam";
import { named } from "../../lib/core/module-stack";
import { readStatements, readWriteStatements } from "../storage/grants";
import type { Cluster } from "./cluster";
import { datadogApiKeySecret } from "./datadog";
import { secretArnsOf } from "./env";
import type { ComputeContext } from "./parts";
import { parameterStatements, placeholderParameters } from "./ssm";

export interface Roles {
  readonly execRole: IamRole;
  readonly taskRole: IamRole;
  /** Absent when `compute.toolbox.enabled` is false. */
  readonly toolboxRole?: IamRole;
  /** The Datadog API key secret, while Datadog is on. */
  readonly ddSecret?: SecretsmanagerSecret;
  /** The operators' parameters by name (`compute.parameterStore.manual`). */
  readonly placeholders: Readonly<Record<string, SsmParameter>>;
}

/** Names for the Datadog sidecar (compute.datadog.enabled): its API key secret and the DD_SERVICE prefix. */
export interface DatadogNames {
  readonly secretName: string;
  readonly servicePrefix: string;
}

export function roles(ctx: ComputeContext, cluster: Cluster, datadog?: DatadogNames): Roles {
  const { scope, settings: cfg, vars } = ctx;
  const trust = serviceTrust("ecs-tasks.amazonaws.com", { StringEquals: { "aws:SourceAccount": vars.accountId } });
  const role = (id: string, name: string, description: string, logicalId: string) =>
    named(new IamRole(scope, id, { name: `${vars.name}-${name}`, description, assumeRolePolicy: trust }), logicalId);
  // Datadog (compute.datadog, D78–D80): the API key secret the agent sidecars read; its value is an operator's.
  const ddSecret =
    cfg.datadog.enabled && datadog
      ? datadogApiKeySecret(scope, {
          name: ctx.api.input("datadog_api_key_secret_name", datadog.secretName, {
            type: "string",
            description: "Name of the Datadog API key secret (<project>/<env>/datadog-api-key).",
          }).stringValue,
          kmsKeyId: vars.dataKey,
        })
      : undefined;
  const execRole = role(
    "execution_role",
    "ecs-execution",
    "ECS pulls images, writes logs and reads the task secrets",
    "execution",
  );
  const parameters = vars.parameters;
  const placeholders =
    cfg.parameterStore && parameters
      ? placeholderParameters(scope, { names: cfg.parameterStore.manual, dataKey: vars.dataKey, path: parameters.path })
      : {};
  named(
    new IamRolePolicy(scope, "execution_policy", {
      name: "pull-log-secrets",
      role: execRole.id,
      policy: policyDocument(executionStatements(ctx, cluster, ddSecret)),
    }),
    "execution",
  );
  const taskRole = role("task_role", "ecs-task", "Permissions of the application itself", "task");
  named(
    new IamRolePolicy(scope, "task_policy", {
      name: "app",
      role: taskRole.id,
      policy: policyDocument(taskStatements(ctx)),
    }),
    "task",
  );
  // The toolbox's role: ECS Exec only (the SSM channels have no resource-level permissions) and its session logs.
  const toolboxRole = cfg.toolbox.enabled
    ? role("toolbox_role", "ecs-toolbox", "ECS Exec toolbox: SSM session channels and session logs only", "toolbox")
    : undefined;
  if (toolboxRole) toolboxPolicy(ctx, toolboxRole, cluster);
  return { execRole, taskRole, toolboxRole, ddSecret, placeholders };
}

/** Pull from the module's repositories, write its logs, read the tasks' secrets and parameters. */
function executionStatements(
  ctx: ComputeContext,
  cluster: Cluster,
  ddSecret: SecretsmanagerSecret | undefined,
): PolicyStatement[] {
  const { settings: cfg, vars } = ctx;
  const secretArns = [...secretArnsOf(vars, cfg), ...(ddSecret ? [ddSecret.arn] : [])];
  const { logGroup, serviceLogs } = cluster;
  const statements: PolicyStatement[] = [
    { Sid: "EcrAuth", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "EcrPull",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
      Resource: cfg.images.map((i) => cluster.repositories[i].arn),
    },
    {
      Sid: "WriteLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: serviceLogs
        ? [`${logGroup.arn}:*`, ...Object.values(serviceLogs).map((g) => `${g.arn}:*`)]
        : `${logGroup.arn}:*`,
    },
  ];
  // No secret at all (no database, no app secret: seed 004): no statement, since IAM refuses an empty Resource.
  if (secretArns.length > 0) {
    statements.push(
      { Sid: "ReadTaskSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns },
      {
        Sid: "DecryptTaskSecrets",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: vars.dataKey,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${vars.region}.amazonaws.com` } },
      },
    );
  }
  if (cfg.parameterStore && vars.parameters)
    statements.push(...parameterStatements({ ...vars, parameterPath: vars.parameters.path }));
  return statements;
}

/** The app's buckets (one key statement covers them all), its metrics namespace, X-Ray when on. */
function taskStatements(ctx: ComputeContext): PolicyStatement[] {
  const { settings: cfg, vars } = ctx;
  // Bucket statements without their key; one key statement below covers every bucket.
  const statements: PolicyStatement[] = Object.entries(vars.buckets).flatMap(([key, b]) => {
    const grant = { label: key[0].toUpperCase() + key.slice(1), bucketArn: b.arn };
    return b.access === "read-write" ? readWriteStatements(grant) : readStatements(grant);
  });
  statements.push(
    {
      Sid: "UseDataKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: vars.dataKey,
      Condition: { StringEquals: { "kms:ViaService": `s3.${vars.region}.amazonaws.com` } },
    },
    // The app's own metrics (`<namespace>/…`); PutMetricData has no resource ARN, so the namespace condition scopes it.
    {
      Sid: "PublishAppMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringLike: { "cloudwatch:namespace": `${ctx.metricNamespace}/*` } },
    },
  );
  if (cfg.xray) {
    statements.push({
      Sid: "XRay",
      Effect: "Allow",
      Action: [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries",
      ],
      Resource: "*",
    });
  }
  return statements;
}

/** ECS Exec's session channels and the exec log group. */
function toolboxPolicy(ctx: ComputeContext, toolboxRole: IamRole, cluster: Cluster): void {
  named(
    new IamRolePolicy(ctx.scope, "toolbox_policy", {
      name: "ecs-exec",
      role: toolboxRole.id,
      policy: policyDocument([
        {
          Sid: "EcsExecChannels",
          Effect: "Allow",
          Action: [
            "ssmmessages:CreateControlChannel",
            "ssmmessages:CreateDataChannel",
            "ssmmessages:OpenControlChannel",
            "ssmmessages:OpenDataChannel",
          ],
          Resource: "*",
        },
        { Sid: "EcsExecLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
        {
          Sid: "EcsExecLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
          Resource: `${cluster.execLogs.arn}:*`,
        },
      ]),
    }),
    "toolbox",
  );
}
