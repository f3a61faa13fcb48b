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
import { TerraformLocal } from "cdktf";
import type { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../../lib/constructs/iam";
import { expr, named } from "../../lib/core/module-stack";
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
  "lambda.amazonaws.com",
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

/** Reads that show configuration, never data: no s3:GetObject, secretsmanager:GetSecretValue or logs:GetLogEvents. */
const CONFIGURATION_READS = [
  "application-autoscaling:Describe*",
  "application-autoscaling:ListTagsForResource",
  "cloudfront:Get*",
  "cloudfront:List*",
  // The rotation function's stack (D170): its outputs, parameters and template.
  "cloudformation:DescribeStacks",
  "cloudformation:GetTemplate",
  "cloudtrail:Describe*",
  "cloudtrail:GetEventSelectors",
  "cloudtrail:GetInsightSelectors",
  "cloudtrail:GetTrail",
  "cloudtrail:GetTrailStatus",
  "cloudtrail:ListTags",
  "cloudwatch:Describe*",
  "cloudwatch:GetDashboard",
  "cloudwatch:ListDashboards",
  "cloudwatch:ListTagsForResource",
  "ec2:Describe*",
  "ecr:DescribeRepositories",
  "ecr:GetLifecyclePolicy",
  "ecr:GetRepositoryPolicy",
  "ecr:ListTagsForResource",
  "ecs:Describe*",
  "ecs:List*",
  "elasticache:Describe*",
  "elasticache:ListTagsForResource",
  "elasticloadbalancing:Describe*",
  "firehose:DescribeDeliveryStream",
  "firehose:ListTagsForDeliveryStream",
  "iam:Get*",
  "iam:List*",
  "kms:Describe*",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:List*",
  "logs:Describe*",
  "logs:GetDelivery",
  "logs:GetDeliveryDestination",
  "logs:GetDeliveryDestinationPolicy",
  "logs:GetDeliverySource",
  "logs:GetLogDelivery",
  "logs:ListLogDeliveries",
  "logs:ListTagsForResource",
  "logs:ListTagsLogGroup",
  "rds:Describe*",
  "rds:ListTagsForResource",
  "route53:Get*",
  "route53:List*",
  "s3:GetAccelerateConfiguration",
  "s3:GetBucket*",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:ListAllMyBuckets",
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetResourcePolicy",
  "secretsmanager:ListSecrets",
  "sns:GetSubscriptionAttributes",
  "sns:GetTopicAttributes",
  "sns:ListSubscriptionsByTopic",
  "sns:ListTagsForResource",
  "sts:GetCallerIdentity",
  "wafv2:Get*",
  "wafv2:List*",
];

function stateStatements(ctx: TerraformRoleContext, apply: boolean): PolicyStatement[] {
  const bucket = `arn:aws:s3:::${ctx.state.bucket}`;
  const st: PolicyStatement[] = [
    { Sid: "ListStateBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketVersioning"], Resource: bucket },
    // plan: read the state; apply: also write it. Both take and release the S3-native lock (use_lockfile).
    { Sid: apply ? "ReadWriteState" : "ReadState", Effect: "Allow", Action: apply ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject", Resource: `${bucket}/${ctx.state.key}` },
    { Sid: "StateLock", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucket}/${ctx.state.key}.tflock` },
  ];
  if (apply) st.push({ Sid: "StateBackups", Effect: "Allow", Action: "s3:PutObject", Resource: `${bucket}/${ctx.state.backupPrefix}*` });
  if (ctx.state.kmsKeyId) {
    const key = ctx.state.kmsKeyId.startsWith("arn:") ? ctx.state.kmsKeyId : `arn:aws:kms:*:${ctx.account}:key/${ctx.state.kmsKeyId}`;
    st.push({ Sid: "StateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: key });
  }
  return st;
}

/** Secrets whose value Terraform itself writes (a `aws_secretsmanager_secret_version`), so a refresh reads them; they are in the state anyway. */
function managedSecretArns(ctx: TerraformRoleContext): string[] {
  return ["db-master", "db-app", "redis-auth"].map((s) => `arn:aws:secretsmanager:*:${ctx.account}:secret:${ctx.secretPrefix}/${s}-??????`);
}

/**
 * What both roles read: every service's configuration and the secret versions Terraform writes. A managed
 * policy `<name>-terraform-read` attached to both (an inline copy would push the apply role past IAM's
 * 10,240-character limit for a role's inline policies).
 */
export function readPolicyStatements(ctx: TerraformRoleContext): PolicyStatement[] {
  return [
    { Sid: "ReadConfiguration", Effect: "Allow", Action: CONFIGURATION_READS, Resource: "*" },
    { Sid: "RefreshManagedSecretVersions", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: managedSecretArns(ctx) },
    // The provider reads a bucket with HeadBucket, which IAM authorizes as s3:ListBucket (object names, never contents).
    { Sid: "HeadPlatformBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${ctx.bucketPrefix}-*` },
  ];
}

/** The plan role's own (inline) permissions: the state, read-only, and its lock file. */
export function planPolicyStatements(ctx: TerraformRoleContext): PolicyStatement[] {
  return stateStatements(ctx, false);
}

/** Writes per service, as verb patterns (never `service:*`), on the platform's regions. */
const REGIONAL_WRITES = [
  "application-autoscaling:DeleteScalingPolicy",
  "application-autoscaling:DeregisterScalableTarget",
  "application-autoscaling:PutScalingPolicy",
  "application-autoscaling:RegisterScalableTarget",
  "application-autoscaling:TagResource",
  "application-autoscaling:UntagResource",
  "cloudwatch:DeleteAlarms",
  "cloudwatch:DeleteDashboards",
  "cloudwatch:PutDashboard",
  "cloudwatch:PutMetricAlarm",
  "cloudwatch:TagResource",
  "cloudwatch:UntagResource",
  "ec2:Allocate*",
  "ec2:Associate*",
  "ec2:Attach*",
  "ec2:Authorize*",
  "ec2:Create*",
  "ec2:Delete*",
  "ec2:Detach*",
  "ec2:Disassociate*",
  "ec2:Modify*",
  "ec2:Release*",
  "ec2:Replace*",
  "ec2:Revoke*",
  "ec2:UpdateSecurityGroupRuleDescriptions*",
  "ecs:Create*",
  "ecs:Delete*",
  "ecs:DeregisterTaskDefinition",
  "ecs:PutClusterCapacityProviders",
  "ecs:RegisterTaskDefinition",
  "ecs:TagResource",
  "ecs:UntagResource",
  "ecs:Update*",
  "elasticache:AddTagsToResource",
  "elasticache:Create*",
  "elasticache:DecreaseReplicaCount",
  "elasticache:Delete*",
  "elasticache:IncreaseReplicaCount",
  "elasticache:Modify*",
  "elasticache:RemoveTagsFromResource",
  "elasticloadbalancing:AddTags",
  "elasticloadbalancing:Create*",
  "elasticloadbalancing:Delete*",
  "elasticloadbalancing:Modify*",
  "elasticloadbalancing:RemoveTags",
  "elasticloadbalancing:Set*",
  "firehose:CreateDeliveryStream",
  "firehose:DeleteDeliveryStream",
  "firehose:StartDeliveryStreamEncryption",
  "firehose:StopDeliveryStreamEncryption",
  "firehose:TagDeliveryStream",
  "firehose:UntagDeliveryStream",
  "firehose:UpdateDestination",
  "kms:CreateAlias",
  "kms:CreateKey",
  "kms:DeleteAlias",
  "kms:EnableKeyRotation",
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
  // Creating encrypted RDS, ElastiCache, secrets and buckets: the data key's policy admits these only through those services.
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey*",
  "logs:Associate*",
  "logs:Create*",
  "logs:Delete*",
  "logs:Disassociate*",
  "logs:Put*",
  "logs:TagLogGroup",
  "logs:TagResource",
  "logs:UntagLogGroup",
  "logs:UntagResource",
  "logs:UpdateDeliveryConfiguration",
  "rds:AddTagsToResource",
  "rds:Create*",
  "rds:Delete*",
  "rds:Modify*",
  "rds:RebootDBInstance",
  "rds:RemoveTagsFromResource",
  "rds:StartDBInstanceAutomatedBackupsReplication",
  "rds:StopDBInstanceAutomatedBackupsReplication",
  "sns:CreateTopic",
  "sns:DeleteTopic",
  "sns:SetSubscriptionAttributes",
  "sns:SetTopicAttributes",
  "sns:Subscribe",
  "sns:TagResource",
  "sns:Unsubscribe",
  "sns:UntagResource",
  "wafv2:Associate*",
  "wafv2:Create*",
  "wafv2:Delete*",
  "wafv2:Disassociate*",
  "wafv2:Put*",
  "wafv2:TagResource",
  "wafv2:UntagResource",
  "wafv2:Update*",
];

/** The apply role's own (inline) permissions: the writes, the state, and the denials that keep it from widening itself (it also has the read policy). */
export function applyPolicyStatements(ctx: TerraformRoleContext): PolicyStatement[] {
  const iam = `arn:aws:iam::${ctx.account}`;
  const ownRoles = `${iam}:role/${ctx.name}-terraform-*`;
  const stateBucket = `arn:aws:s3:::${ctx.state.bucket}`;
  const inRegions = { StringEquals: { "aws:RequestedRegion": [...ctx.regions] } };
  return [
    { Sid: "ChangeRegionalServices", Effect: "Allow", Action: REGIONAL_WRITES, Resource: "*", Condition: inRegions },
    {
      Sid: "ChangePlatformBuckets",
      Effect: "Allow",
      Action: ["s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucket*", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration", "s3:PutReplicationConfiguration", "s3:PutAccelerateConfiguration"],
      Resource: `arn:aws:s3:::${ctx.bucketPrefix}-*`,
    },
    {
      Sid: "ChangePlatformSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:CancelRotateSecret", "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:PutSecretValue", "secretsmanager:RestoreSecret", "secretsmanager:RotateSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource", "secretsmanager:UpdateSecret"],
      Resource: `arn:aws:secretsmanager:*:${ctx.account}:secret:${ctx.secretPrefix}/*`,
    },
    ...rotationFunctionStatements(ctx),
    {
      Sid: "ChangePlatformRepositories",
      Effect: "Allow",
      Action: ["ecr:CreateRepository", "ecr:DeleteLifecyclePolicy", "ecr:DeleteRepository", "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:PutLifecyclePolicy", "ecr:TagResource", "ecr:UntagResource"],
      Resource: `arn:aws:ecr:*:${ctx.account}:repository/${ctx.name}-*`,
    },
    {
      Sid: "ChangePlatformTrail",
      Effect: "Allow",
      // No cloudtrail:StopLogging: the pipeline cannot switch the audit trail off.
      Action: ["cloudtrail:AddTags", "cloudtrail:CreateTrail", "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:RemoveTags", "cloudtrail:StartLogging", "cloudtrail:UpdateTrail"],
      Resource: `arn:aws:cloudtrail:*:${ctx.account}:trail/${ctx.name}-*`,
    },
    {
      Sid: "ChangeDistributionAndRecords",
      Effect: "Allow",
      // AllowVendedLogDeliveryForResource: CloudFront's standard logging (v2) delivery source (D54).
      Action: ["cloudfront:AllowVendedLogDeliveryForResource", "cloudfront:CreateDistribution", "cloudfront:CreateDistributionWithTags", "cloudfront:DeleteDistribution", "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:UpdateDistribution", "route53:ChangeResourceRecordSets", "route53:GetChange"],
      Resource: "*",
    },
    { Sid: "ChangePlatformRoles", Effect: "Allow", Action: ROLE_WRITE_ACTIONS.filter((a) => a !== "iam:AttachRolePolicy"), Resource: `${iam}:role/${ctx.name}-*` },
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
      Action: ["iam:AddClientIDToOpenIDConnectProvider", "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint"],
      Resource: `${iam}:oidc-provider/${OIDC_CLAIMS}`,
    },
    { Sid: "ServiceLinkedRoles", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: "*", Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLES } } },
    ...stateStatements(ctx, true),
    // Explicit denials win over every allow above (and over any policy someone attaches later).
    { Sid: "NeverChangeTheTerraformRoles", Effect: "Deny", Action: [...ROLE_WRITE_ACTIONS, "iam:PassRole"], Resource: ownRoles },
    {
      Sid: "NeverReconfigureTheStateBucket",
      Effect: "Deny",
      Action: ["s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:DeleteObjectVersion", "s3:PutBucket*", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration", "s3:PutReplicationConfiguration"],
      Resource: [stateBucket, `${stateBucket}/*`],
    },
  ];
}

/**
 * Deploying the application password's rotation function (D170): CloudFormation runs the Serverless Application
 * Repository's change set with the caller's permissions, so the apply role creates the function, its role (named
 * after the stack, `serverlessrepo-<name>-…`) and Secrets Manager's permission to invoke it.
 */
function rotationFunctionStatements(ctx: TerraformRoleContext): PolicyStatement[] {
  const stacks = `arn:aws:cloudformation:*:${ctx.account}:stack/${SAR_STACK_PREFIX}${ctx.name}-*/*`;
  const roles = `arn:aws:iam::${ctx.account}:role/${SAR_STACK_PREFIX}${ctx.name}-*`;
  return [
    {
      Sid: "RotationFunctionTemplate",
      Effect: "Allow",
      Action: ["serverlessrepo:CreateCloudFormationChangeSet", "serverlessrepo:CreateCloudFormationTemplate", "serverlessrepo:GetApplication", "serverlessrepo:GetCloudFormationTemplate"],
      Resource: POSTGRES_MULTI_USER_ROTATION_APP,
    },
    {
      Sid: "RotationFunctionStack",
      Effect: "Allow",
      Action: ["cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet", "cloudformation:DeleteStack", "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:UpdateStack"],
      Resource: [stacks, "arn:aws:cloudformation:*:aws:transform/Serverless-2016-10-31"],
    },
    {
      Sid: "RotationFunction",
      Effect: "Allow",
      Action: ["lambda:AddPermission", "lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:RemovePermission", "lambda:TagResource", "lambda:UntagResource", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"],
      Resource: `arn:aws:lambda:*:${ctx.account}:function:${ctx.name}-*`,
    },
    { Sid: "RotationFunctionRole", Effect: "Allow", Action: ROLE_WRITE_ACTIONS.filter((a) => a !== "iam:AttachRolePolicy"), Resource: roles },
    { Sid: "RotationFunctionRolePolicies", Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: roles, Condition: { ArnLike: { "iam:PolicyARN": ATTACHABLE_POLICIES } } },
    { Sid: "PassRotationFunctionRole", Effect: "Allow", Action: "iam:PassRole", Resource: roles, Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
  ];
}

/** What the trust of each role requires of the GitHub OIDC token, besides the audience. */
export interface TerraformTrustSpec {
  /** Branch whose runs may apply: the apply role's `ref` and `job_workflow_ref`. */
  readonly applyBranch: string;
  /** The reusable Terraform workflow, `.github/workflows/terraform.yml`. */
  readonly workflow: string;
}

/** The trust policy as a Terraform expression: audience and environment subjects, plus `equals` / `like` claim conditions. */
function trustExpression(equals: Record<string, string>, like: Record<string, string>): string {
  const pairs = (c: Record<string, string>) => Object.entries(c).map(([k, v]) => `, "${OIDC_CLAIMS}:${k}" = "${v}"`).join("");
  const stringLike = Object.keys(like).length ? `, StringLike = { ${pairs(like).slice(2)} }` : "";
  return (
    'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", ' +
    "Principal = { Federated = local.github_oidc_provider_arn }, " +
    `Condition = { StringEquals = { "${OIDC_CLAIMS}:aud" = "sts.amazonaws.com", "${OIDC_CLAIMS}:sub" = local.terraform_subjects${pairs(equals)} }${stringLike} } }] })`
  );
}

/** Adds the two roles and their policies to the security module (which declares `local.github_oidc_provider_arn`). */
export function terraformRoles(scope: Construct, ctx: TerraformRoleContext, trust: TerraformTrustSpec): { plan: IamRole; apply: IamRole } {
  // Environments only: never a branch subject, never pull_request (a pull request's plan reaches the plan role through its environment).
  new TerraformLocal(scope, "terraform_subjects", expr('[for e in var.github_environments : "repo:${var.github_repository}:environment:${e}"]'));
  const workflowRef = (ref: string) => `\${var.github_repository}/${trust.workflow}@${ref}`;
  const plan = named(
    new IamRole(scope, "terraform_plan_role", {
      name: `${ctx.name}-terraform-plan`,
      description: "Assumed by the pipeline's Terraform plan jobs (GitHub OIDC): read-only, plus the state lock",
      maxSessionDuration: 3600,
      // Any ref (pull requests included), but only inside the Terraform workflow.
      assumeRolePolicy: expr(trustExpression({}, { job_workflow_ref: workflowRef("*") })),
    }),
    "terraform_plan",
  );
  named(new IamRolePolicy(scope, "terraform_plan_policy", { name: "terraform-plan", role: plan.id, policy: policyDocument(planPolicyStatements(ctx)) }), "terraform_plan");
  const read = named(
    new IamPolicy(scope, "terraform_read_policy", {
      name: `${ctx.name}-terraform-read`,
      description: "What the pipeline's Terraform roles read: the configuration of every service the platform manages",
      policy: policyDocument(readPolicyStatements(ctx)),
    }),
    "terraform_read",
  );
  const ref = `refs/heads/${trust.applyBranch}`;
  const apply = named(
    new IamRole(scope, "terraform_apply_role", {
      name: `${ctx.name}-terraform-apply`,
      description: `Assumed by the pipeline's Terraform apply and rollout jobs (GitHub OIDC), only from ${ref}`,
      maxSessionDuration: 3600,
      assumeRolePolicy: expr(trustExpression({ ref, job_workflow_ref: workflowRef(ref) }, {})),
    }),
    "terraform_apply",
  );
  named(new IamRolePolicy(scope, "terraform_apply_policy", { name: "terraform-apply", role: apply.id, policy: policyDocument(applyPolicyStatements(ctx)) }), "terraform_apply");
  for (const [id, role] of [["plan", plan], ["apply", apply]] as const) {
    named(new IamRolePolicyAttachment(scope, `terraform_${id}_read`, { role: role.name, policyArn: read.arn }), `terraform_${id}_read`);
  }
  return { plan, apply };
}
