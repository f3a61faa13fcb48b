/**
 * The roles the pipeline's Terraform jobs assume (`.github/workflows/terraform.yml`), one pair per
 * workspace, opt-in (`security.deploy.terraformRoles.enabled`; docs/decisions.md D97):
 *
 * - `<name>-terraform-plan`: read-only. Trusted by the workspace's GitHub Environments (any ref, so
 *   pull-request plans get it) and only inside the Terraform workflow. Reads every service the
 *   platform manages, the state object, and writes nothing but the state's lock file.
 * - `<name>-terraform-apply`: may change what the platform manages. Trusted only by the same
 *   environments, and only when the token's `ref` is the apply branch and its `job_workflow_ref` is
 *   the Terraform workflow of that branch (AWS STS validates these GitHub claims since 2026-01): a
 *   pull request (`refs/pull/N/merge`), another branch or another workflow never gets it.
 *   IAM writes are limited to `<name>-*` roles (never `<name>-terraform-*`, its own), managed
 *   policies it may attach are AWS's service-role policies, it passes roles only to the services the
 *   platform uses, and it can neither reconfigure nor delete the state bucket.
 *
 * The statements are plain data (tested in __tests__/unit/terraform-roles.test.ts); the module
 * adds the resources.
 */
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Lazy } from "cdktf";
import type { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../../lib/constructs/iam";
import { jsonDocument, named, workspaceTypes } from "../../lib/core/module-stack";
import { subjectsLocal } from "./context";
import { configurationReads, RESOURCE_TYPE_ACTIONS, refreshes, writesOf } from "./terraform-actions";
import { POSTGRES_MULTI_USER_ROTATION_APP, SAR_STACK_PREFIX } from "../../lib/constructs/rotation";

export const OIDC_CLAIMS = "token.actions.githubusercontent.com";

/** Where the workspace's state lives (environments' `state`), as the roles need it. */
export interface TerraformStateAccess {
  readonly bucket: string;
  /** Object key of this workspace's state: `<workspaceKeyPrefix>/<workspace>/<key>`. */
  readonly key: string;
  /** Prefix of the pipeline's state backups, `state-backups/<workspace>/` (D85). */
  readonly backupPrefix: string;
  /** KMS key of the state object, when not SSE-S3 (ARN or key id). */
  readonly kmsKeyId?: string;
}

export interface TerraformRoleContext {
  /** `<project>-<env>` (may be a module variable reference). */
  readonly name: string;
  /** `<project>/<env>`: Secrets Manager path prefix. */
  readonly secretPrefix: string;
  /** `<bucketPrefix>-<env>`: prefix of every platform bucket. */
  readonly bucketPrefix: string;
  readonly account: string;
  /** Regions the platform's resources live in (primary, DR, us-east-1 for CloudFront's WAF). */
  readonly regions: readonly string[];
  readonly state: TerraformStateAccess;
  /** The customer-managed key(s) of the workspace's secrets and SecureString parameters (the data key); any of the account's keys when absent. */
  readonly dataKeyArns?: readonly string[];
  /**
   * The Terraform types the workspace plans (`aws_vpc`, `data.aws_subnets`): the roles get the actions
   * of these types only (terraform-actions.ts). Every type of the table when absent.
   */
  readonly resourceTypes?: readonly string[];
}

/** Drops the statements left without an action (a workspace that plans none of their types). */
function nonEmpty(statements: PolicyStatement[]): PolicyStatement[] {
  return statements.filter((s) => [s.Action].flat().length > 0);
}

/** IAM actions that change roles; the apply role may run them on `<name>-*` roles, never on its own. */
export const ROLE_WRITE_ACTIONS = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:TagRole",
  "iam:UntagRole",
];

/** Services the platform passes roles to (ECS tasks, flow logs, RDS monitoring, CloudTrail, S3 replication, Firehose, CloudWatch Logs). */
export const PASSED_TO_SERVICES = [
  "ecs-tasks.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
  "monitoring.rds.amazonaws.com",
  "cloudtrail.amazonaws.com",
  "s3.amazonaws.com",
  "firehose.amazonaws.com",
  "logs.amazonaws.com",
];

/** Service-linked roles the services create on first use (ECS, ELB, RDS, ElastiCache, ECS auto scaling, WAF logging). */
export const SERVICE_LINKED_ROLES = [
  "ecs.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "rds.amazonaws.com",
  "elasticache.amazonaws.com",
  "ecs.application-autoscaling.amazonaws.com",
  "wafv2.amazonaws.com",
];

/** Managed policies the apply role may attach: AWS's service-role policies only (RDS enhanced monitoring). */
export const ATTACHABLE_POLICIES = ["arn:aws:iam::aws:policy/service-role/*"];

function stateStatements(ctx: TerraformRoleContext, apply: boolean): PolicyStatement[] {
  const bucket = `arn:aws:s3:::${ctx.state.bucket}`;
  const st: PolicyStatement[] = [
    { Sid: "ListStateBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketVersioning"], Resource: bucket },
    // plan: read the state; apply: also write it. Both take and release the S3-native lock (use_lockfile).
    {
      Sid: apply ? "ReadWriteState" : "ReadState",
      Effect: "Allow",
      Action: apply ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject",
      Resource: `${bucket}/${ctx.state.key}`,
    },
    {
      Sid: "StateLock",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucket}/${ctx.state.key}.tflock`,
    },
  ];
  if (apply)
    st.push({
      Sid: "StateBackups",
      Effect: "Allow",
      Action: "s3:PutObject",
      Resource: `${bucket}/${ctx.state.backupPrefix}*`,
    });
  if (ctx.state.kmsKeyId) {
    const key = ctx.state.kmsKeyId.startsWith("arn:")
      ? ctx.state.kmsKeyId
      : `arn:aws:kms:*:${ctx.account}:key/${ctx.state.kmsKeyId}`;
    st.push({
      Sid: "StateKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: key,
    });
  }
  return st;
}

/** Secrets whose value Terraform itself writes (a `aws_secretsmanager_secret_version`), so a refresh reads them; they are in the state anyway. */
function managedSecretArns(ctx: TerraformRoleContext): string[] {
  return ["db-master", "db-app", "redis-auth"].map(
    (s) => `arn:aws:secretsmanager:*:${ctx.account}:secret:${ctx.secretPrefix}/${s}-??????`,
  );
}

/** The workspace's SSM parameters: `/<secretPrefix>/…` (composition's parameterPath). */
function parameterArns(ctx: TerraformRoleContext): string {
  return `arn:aws:ssm:*:${ctx.account}:parameter/${ctx.secretPrefix}/*`;
}

/**
 * What both roles read: every service's configuration and the secret versions Terraform writes. A managed
 * policy `<name>-terraform-read` attached to both (an inline copy would push the apply role past IAM's
 * 10,240-character limit for a role's inline policies).
 */
export function readPolicyStatements(ctx: TerraformRoleContext): PolicyStatement[] {
  const secrets = refreshes("secretsmanager:", ctx.resourceTypes);
  const parameters = refreshes("ssm:", ctx.resourceTypes);
  const via = [...(secrets ? ["secretsmanager"] : []), ...(parameters ? ["ssm"] : [])];
  return nonEmpty([
    { Sid: "ReadConfiguration", Effect: "Allow", Action: configurationReads(ctx.resourceTypes), Resource: "*" },
    ...(secrets
      ? [
          {
            Sid: "RefreshManagedSecretVersions",
            Effect: "Allow" as const,
            Action: "secretsmanager:GetSecretValue",
            Resource: managedSecretArns(ctx),
          },
        ]
      : []),
    // Parameter Store (aws_ssm_parameter): the workspace's parameters, /<project>/<workspace>/ (compute.parameterStore, D104).
    ...(parameters
      ? [
          {
            Sid: "RefreshManagedParameters",
            Effect: "Allow" as const,
            Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource"],
            Resource: parameterArns(ctx),
          },
        ]
      : []),
    // Both are encrypted with the customer-managed data key: reading them back needs kms:Decrypt, only through those services.
    ...(via.length
      ? [
          {
            Sid: "DecryptManagedSecretsAndParameters",
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: ctx.dataKeyArns ? [...ctx.dataKeyArns] : `arn:aws:kms:*:${ctx.account}:key/*`,
            Condition: {
              StringEquals: { "kms:ViaService": ctx.regions.flatMap((r) => via.map((v) => `${v}.${r}.amazonaws.com`)) },
            },
          },
        ]
      : []),
    // The provider reads a bucket with HeadBucket, which IAM authorizes as s3:ListBucket (object names, never contents).
    {
      Sid: "HeadPlatformBuckets",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: `arn:aws:s3:::${ctx.bucketPrefix}-*`,
    },
  ]);
}

/** The plan role's own (inline) permissions: the state, read-only, and its lock file. */
export function planPolicyStatements(ctx: TerraformRoleContext): PolicyStatement[] {
  return stateStatements(ctx, false);
}

/** The apply role's own (inline) permissions: the writes, the state, and the denials that keep it from widening itself (it also has the read policy). */
export function applyPolicyStatements(ctx: TerraformRoleContext): PolicyStatement[] {
  const iam = `arn:aws:iam::${ctx.account}`;
  const ownRoles = `${iam}:role/${ctx.name}-terraform-*`;
  const stateBucket = `arn:aws:s3:::${ctx.state.bucket}`;
  const inRegions = { StringEquals: { "aws:RequestedRegion": [...ctx.regions] } };
  return nonEmpty([
    {
      Sid: "ChangeRegionalServices",
      Effect: "Allow",
      Action: writesOf("regional", ctx.resourceTypes),
      Resource: "*",
      Condition: inRegions,
    },
    {
      Sid: "ChangePlatformBuckets",
      Effect: "Allow",
      Action: writesOf("s3", ctx.resourceTypes),
      Resource: `arn:aws:s3:::${ctx.bucketPrefix}-*`,
    },
    {
      Sid: "ChangePlatformSecrets",
      Effect: "Allow",
      Action: writesOf("secretsmanager", ctx.resourceTypes),
      Resource: `arn:aws:secretsmanager:*:${ctx.account}:secret:${ctx.secretPrefix}/*`,
    },
    {
      Sid: "ChangePlatformParameters",
      Effect: "Allow",
      Action: writesOf("ssm", ctx.resourceTypes),
      Resource: parameterArns(ctx),
    },
    {
      Sid: "ChangePlatformRepositories",
      Effect: "Allow",
      Action: writesOf("ecr", ctx.resourceTypes),
      Resource: `arn:aws:ecr:*:${ctx.account}:repository/${ctx.name}-*`,
    },
    {
      Sid: "ChangePlatformTrail",
      Effect: "Allow",
      // No cloudtrail:StopLogging: the pipeline cannot switch the audit trail off.
      Action: writesOf("cloudtrail", ctx.resourceTypes),
      Resource: `arn:aws:cloudtrail:*:${ctx.account}:trail/${ctx.name}-*`,
    },
    {
      Sid: "ChangeDistributionAndRecords",
      Effect: "Allow",
      Action: [...writesOf("cloudfront", ctx.resourceTypes), ...writesOf("route53", ctx.resourceTypes)],
      Resource: "*",
    },
    {
      Sid: "ChangePlatformRoles",
      Effect: "Allow",
      Action: ROLE_WRITE_ACTIONS.filter((a) => a !== "iam:AttachRolePolicy"),
      Resource: `${iam}:role/${ctx.name}-*`,
    },
    {
      Sid: "AttachServiceRolePolicies",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: `${iam}:role/${ctx.name}-*`,
      Condition: { ArnLike: { "iam:PolicyARN": ATTACHABLE_POLICIES } },
    },
    {
      Sid: "PassPlatformRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `${iam}:role/${ctx.name}-*`,
      Condition: { StringEquals: { "iam:PassedToService": PASSED_TO_SERVICES } },
    },
    {
      Sid: "GithubOidcProvider",
      Effect: "Allow",
      Action: writesOf("iam", ctx.resourceTypes).filter((a) => a.includes("OpenIDConnectProvider")),
      Resource: `${iam}:oidc-provider/${OIDC_CLAIMS}`,
    },
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLES } },
    },
    ...(!ctx.resourceTypes || ctx.resourceTypes.includes(ROTATION_STACK_TYPE) ? rotationFunctionStatements(ctx) : []),
    ...stateStatements(ctx, true),
    // Explicit denials win over every allow above (and over any policy someone attaches later).
    {
      Sid: "NeverChangeTheTerraformRoles",
      Effect: "Deny",
      Action: [...ROLE_WRITE_ACTIONS, "iam:PassRole"],
      Resource: ownRoles,
    },
    {
      Sid: "NeverReconfigureTheStateBucket",
      Effect: "Deny",
      Action: [
        "s3:DeleteBucket",
        "s3:DeleteBucketPolicy",
        "s3:DeleteObjectVersion",
        "s3:PutBucket*",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutReplicationConfiguration",
      ],
      Resource: [stateBucket, `${stateBucket}/*`],
    },
  ]);
}

/** The rotation function's stack (D170): its writes are rotationFunctionStatements, not the table's service scopes. */
const ROTATION_STACK_TYPE = "aws_serverlessapplicationrepository_cloudformation_stack";

/**
 * Deploying the application password's rotation function (D170): CloudFormation runs the Serverless Application
 * Repository's change set with the caller's permissions, so the apply role creates the function, its role (named
 * after the stack, `serverlessrepo-<name>-…`) and Secrets Manager's permission to invoke it.
 */
function rotationFunctionStatements(ctx: TerraformRoleContext): PolicyStatement[] {
  const stacks = `arn:aws:cloudformation:*:${ctx.account}:stack/${SAR_STACK_PREFIX}${ctx.name}-*/*`;
  const roles = `arn:aws:iam::${ctx.account}:role/${SAR_STACK_PREFIX}${ctx.name}-*`;
  const writes = (service: string) =>
    RESOURCE_TYPE_ACTIONS[ROTATION_STACK_TYPE].write.filter((a) => a.startsWith(`${service}:`));
  return [
    {
      Sid: "RotationFunctionTemplate",
      Effect: "Allow",
      Action: writes("serverlessrepo"),
      Resource: POSTGRES_MULTI_USER_ROTATION_APP,
    },
    {
      Sid: "RotationFunctionStack",
      Effect: "Allow",
      Action: writes("cloudformation"),
      Resource: [stacks, "arn:aws:cloudformation:*:aws:transform/Serverless-2016-10-31"],
    },
    {
      Sid: "RotationFunction",
      Effect: "Allow",
      Action: writes("lambda"),
      Resource: `arn:aws:lambda:*:${ctx.account}:function:${ctx.name}-*`,
    },
    {
      Sid: "RotationFunctionRole",
      Effect: "Allow",
      Action: ROLE_WRITE_ACTIONS.filter((a) => a !== "iam:AttachRolePolicy"),
      Resource: roles,
    },
    {
      Sid: "RotationFunctionRolePolicies",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: roles,
      Condition: { ArnLike: { "iam:PolicyARN": ATTACHABLE_POLICIES } },
    },
    {
      Sid: "PassRotationFunctionRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    },
  ];
}

/** What the trust of each role requires of the GitHub OIDC token, besides the audience. */
export interface TerraformTrustSpec {
  /** Branch whose runs may apply: the apply role's `ref` and `job_workflow_ref`. */
  readonly applyBranch: string;
  /** The reusable Terraform workflow, `.github/workflows/terraform.yml`. */
  readonly workflow: string;
}

/** The GitHub side of the trust, from the deploy role (github.ts): tokens of the module's variables and local. */
export interface GithubOidc {
  /** `owner/repo`. */
  readonly repository: string;
  /** The workspace's GitHub Environments: the only subjects the roles trust. */
  readonly environments: string[];
  /** ARN of the GitHub OIDC provider. */
  readonly providerArn: string;
}

/** The trust policy: audience and environment subjects, plus `equals` / `like` claim conditions. */
function trustPolicy(
  scope: Construct,
  name: string,
  github: GithubOidc,
  subjects: string[],
  equals: Record<string, string>,
  like: Record<string, string>,
): string {
  const claims = (c: Record<string, string>) =>
    Object.fromEntries(Object.entries(c).map(([k, v]) => [`${OIDC_CLAIMS}:${k}`, v]));
  return jsonDocument(scope, `${name}_trust`, {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRoleWithWebIdentity",
        Principal: { Federated: github.providerArn },
        Condition: {
          StringEquals: {
            [`${OIDC_CLAIMS}:aud`]: "sts.amazonaws.com",
            [`${OIDC_CLAIMS}:sub`]: subjects,
            ...claims(equals),
          },
          ...(Object.keys(like).length ? { StringLike: claims(like) } : {}),
        },
      },
    ],
  });
}

/** Adds the two roles and their policies to the security module. */
export function terraformRoles(
  scope: Construct,
  ctx: TerraformRoleContext,
  trust: TerraformTrustSpec,
  github: GithubOidc,
): { plan: IamRole; apply: IamRole } {
  // The actions of the types this workspace plans, known once every module exists (at synthesis).
  const lazyPolicy = (statements: (c: TerraformRoleContext) => PolicyStatement[]) =>
    Lazy.stringValue({
      produce: () => policyDocument(statements({ ...ctx, resourceTypes: ctx.resourceTypes ?? workspaceTypes(scope) })),
    });
  // Environments only: never a branch subject, never pull_request (a pull request's plan reaches the plan role through its environment).
  const repo = github.repository;
  const subjects = subjectsLocal(scope, "terraform_subjects", { environment: github.environments }, repo);
  const workflowRef = (ref: string) => `${repo}/${trust.workflow}@${ref}`;
  const plan = named(
    new IamRole(scope, "terraform_plan_role", {
      name: `${ctx.name}-terraform-plan`,
      description: "Assumed by the pipeline's Terraform plan jobs (GitHub OIDC): read-only, plus the state lock",
      maxSessionDuration: 3600,
      // Any ref (pull requests included), but only inside the Terraform workflow.
      assumeRolePolicy: trustPolicy(
        scope,
        "terraform_plan",
        github,
        subjects,
        {},
        { job_workflow_ref: workflowRef("*") },
      ),
    }),
    "terraform_plan",
  );
  named(
    new IamRolePolicy(scope, "terraform_plan_policy", {
      name: "terraform-plan",
      role: plan.id,
      policy: lazyPolicy(planPolicyStatements),
    }),
    "terraform_plan",
  );
  const read = named(
    new IamPolicy(scope, "terraform_read_policy", {
      name: `${ctx.name}-terraform-read`,
      description: "What the pipeline's Terraform roles read: the configuration of every service the platform manages",
      policy: lazyPolicy(readPolicyStatements),
    }),
    "terraform_read",
  );
  const ref = `refs/heads/${trust.applyBranch}`;
  const apply = named(
    new IamRole(scope, "terraform_apply_role", {
      name: `${ctx.name}-terraform-apply`,
      description: `Assumed by the pipeline's Terraform apply and rollout jobs (GitHub OIDC), only from ${ref}`,
      maxSessionDuration: 3600,
      assumeRolePolicy: trustPolicy(
        scope,
        "terraform_apply",
        github,
        subjects,
        { ref, job_workflow_ref: workflowRef(ref) },
        {},
      ),
    }),
    "terraform_apply",
  );
  named(
    new IamRolePolicy(scope, "terraform_apply_policy", {
      name: "terraform-apply",
      role: apply.id,
      policy: lazyPolicy(applyPolicyStatements),
    }),
    "terraform_apply",
  );
  for (const [id, role] of [
    ["plan", plan],
    ["apply", apply],
  ] as const) {
    named(
      new IamRolePolicyAttachment(scope, `terraform_${id}_read`, { role: role.name, policyArn: read.arn }),
      `terraform_${id}_read`,
    );
  }
  return { plan, apply };
}
