/**
 * What the pipeline's Terraform roles (terraform-role.ts, D97) need per Terraform resource type: one
 * table, declared once. The roles' statements are derived from it (terraform-role.ts groups the writes
 * by service); __tests__/unit/terraform-roles.test.ts checks that every resource and data source type
 * of every synthesized workspace of every product has an entry here and that the roles allow it.
 *
 * - `read`: configuration reads a plan (refresh) makes; granted on every resource (`Resource: "*"`),
 *   so never a data read (no s3:GetObject, secretsmanager:GetSecretValue, ssm:GetParameter).
 * - `refresh`: data reads a refresh of the type needs, granted only on the workspace's own secrets and
 *   parameters and, for their customer-managed key, `kms:Decrypt` through that service
 *   (terraform-role.ts `readPolicyStatements`).
 * - `write`: what an apply needs to create, change and delete it. The service prefix decides the
 *   statement: s3 → the platform's buckets, secretsmanager/ssm → the workspace's secrets/parameters,
 *   ecr → its repositories, cloudtrail → its trail, iam → its roles (terraform-role.ts), every other
 *   service → the platform's regions.
 *
 * Verb patterns (`ec2:Create*`) keep the role policies under IAM's size limits; never `service:*`.
 * Sources: the Service Authorization Reference of each service,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export interface TypeActions {
  readonly read: readonly string[];
  readonly refresh?: readonly string[];
  readonly write: readonly string[];
  /**
   * The writes are granted by a statement of their own in terraform-role.ts, scoped to what the type creates
   * (the rotation function's stack), instead of by their service's scope. @default false
   */
  readonly ownStatement?: boolean;
}

const EC2_READ = ["ec2:Describe*"];
/** Network resources: VPC, subnets, routes, gateways, endpoints, security groups and their rules. */
const EC2_NETWORK: TypeActions = {
  read: EC2_READ,
  write: [
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
  ],
};
const AUTOSCALING: TypeActions = {
  read: ["application-autoscaling:Describe*", "application-autoscaling:ListTagsForResource"],
  write: [
    "application-autoscaling:DeleteScalingPolicy",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:TagResource",
    "application-autoscaling:UntagResource",
  ],
};
const ECS: TypeActions = {
  read: ["ecs:Describe*", "ecs:List*"],
  write: [
    "ecs:Create*",
    "ecs:Delete*",
    "ecs:DeregisterTaskDefinition",
    "ecs:PutClusterCapacityProviders",
    "ecs:RegisterTaskDefinition",
    "ecs:TagResource",
    "ecs:UntagResource",
    "ecs:Update*",
  ],
};
const ELASTICACHE: TypeActions = {
  read: ["elasticache:Describe*", "elasticache:ListTagsForResource"],
  write: [
    "elasticache:AddTagsToResource",
    "elasticache:Create*",
    "elasticache:DecreaseReplicaCount",
    "elasticache:Delete*",
    "elasticache:IncreaseReplicaCount",
    "elasticache:Modify*",
    "elasticache:RemoveTagsFromResource",
  ],
};
const ELB: TypeActions = {
  read: ["elasticloadbalancing:Describe*"],
  write: [
    "elasticloadbalancing:AddTags",
    "elasticloadbalancing:Create*",
    "elasticloadbalancing:Delete*",
    "elasticloadbalancing:Modify*",
    "elasticloadbalancing:RemoveTags",
    "elasticloadbalancing:Set*",
  ],
};
const KMS_READ = ["kms:Describe*", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:List*"];
/** Creating encrypted RDS, ElastiCache, secrets, parameters and buckets: the data key's policy admits these only through those services. */
const KMS_USE = ["kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"];
const LOGS_READ = [
  "logs:Describe*",
  "logs:GetDelivery",
  "logs:GetDeliveryDestination",
  "logs:GetDeliveryDestinationPolicy",
  "logs:GetDeliverySource",
  "logs:GetLogDelivery",
  "logs:ListLogDeliveries",
  "logs:ListTagsForResource",
  "logs:ListTagsLogGroup",
];
const LOGS: TypeActions = {
  read: LOGS_READ,
  write: [
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
  ],
};
const RDS: TypeActions = {
  read: ["rds:Describe*", "rds:ListTagsForResource"],
  write: [
    "rds:AddTagsToResource",
    "rds:Create*",
    "rds:Delete*",
    "rds:Modify*",
    "rds:RebootDBInstance",
    "rds:RemoveTagsFromResource",
  ],
};
const S3: TypeActions = {
  read: [
    "s3:GetAccelerateConfiguration",
    "s3:GetBucket*",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:ListAllMyBuckets",
  ],
  write: [
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:PutBucket*",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:PutReplicationConfiguration",
    "s3:PutAccelerateConfiguration",
  ],
};
const SECRETS_READ = [
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetResourcePolicy",
  "secretsmanager:ListSecrets",
];
const SNS: TypeActions = {
  read: [
    "sns:GetSubscriptionAttributes",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
    "sns:ListTagsForResource",
  ],
  write: [
    "sns:CreateTopic",
    "sns:DeleteTopic",
    "sns:SetSubscriptionAttributes",
    "sns:SetTopicAttributes",
    "sns:Subscribe",
    "sns:TagResource",
    "sns:Unsubscribe",
    "sns:UntagResource",
  ],
};
const WAF: TypeActions = {
  read: ["wafv2:Get*", "wafv2:List*"],
  write: [
    "wafv2:Associate*",
    "wafv2:Create*",
    "wafv2:Delete*",
    "wafv2:Disassociate*",
    "wafv2:Put*",
    "wafv2:TagResource",
    "wafv2:UntagResource",
    "wafv2:Update*",
  ],
};
const IAM_READ = ["iam:Get*", "iam:List*"];
const CLOUDWATCH_READ = [
  "cloudwatch:Describe*",
  "cloudwatch:GetDashboard",
  "cloudwatch:ListDashboards",
  "cloudwatch:ListTagsForResource",
];

/** The IAM writes the apply role has on `<name>-*` roles (terraform-role.ts ROLE_WRITE_ACTIONS plus PassRole). */
const IAM_ROLE_WRITES = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:PassRole",
];

export const RESOURCE_TYPE_ACTIONS: Readonly<Record<string, TypeActions>> = {
  aws_appautoscaling_policy: AUTOSCALING,
  aws_appautoscaling_scheduled_action: {
    read: AUTOSCALING.read,
    write: ["application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction"],
  },
  aws_appautoscaling_target: AUTOSCALING,
  // AllowVendedLogDeliveryForResource: CloudFront's standard logging (v2) delivery source (D54).
  aws_cloudfront_distribution: {
    read: ["cloudfront:Get*", "cloudfront:List*"],
    write: [
      "cloudfront:AllowVendedLogDeliveryForResource",
      "cloudfront:CreateDistribution",
      "cloudfront:CreateDistributionWithTags",
      "cloudfront:DeleteDistribution",
      "cloudfront:TagResource",
      "cloudfront:UntagResource",
      "cloudfront:UpdateDistribution",
    ],
  },
  // No cloudtrail:StopLogging: the pipeline cannot switch the audit trail off.
  aws_cloudtrail: {
    read: [
      "cloudtrail:Describe*",
      "cloudtrail:GetEventSelectors",
      "cloudtrail:GetInsightSelectors",
      "cloudtrail:GetTrail",
      "cloudtrail:GetTrailStatus",
      "cloudtrail:ListTags",
    ],
    write: [
      "cloudtrail:AddTags",
      "cloudtrail:CreateTrail",
      "cloudtrail:DeleteTrail",
      "cloudtrail:PutEventSelectors",
      "cloudtrail:RemoveTags",
      "cloudtrail:StartLogging",
      "cloudtrail:UpdateTrail",
    ],
  },
  aws_cloudwatch_dashboard: {
    read: CLOUDWATCH_READ,
    write: ["cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"],
  },
  aws_cloudwatch_log_delivery: LOGS,
  aws_cloudwatch_log_delivery_destination: LOGS,
  aws_cloudwatch_log_delivery_source: LOGS,
  aws_cloudwatch_log_group: { read: LOGS_READ, write: [...LOGS.write, ...KMS_USE] },
  aws_cloudwatch_log_metric_filter: LOGS,
  aws_cloudwatch_metric_alarm: {
    read: CLOUDWATCH_READ,
    write: [
      "cloudwatch:DeleteAlarms",
      "cloudwatch:PutMetricAlarm",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
    ],
  },
  aws_db_instance: { read: RDS.read, write: [...RDS.write, ...KMS_USE, "iam:PassRole"] },
  aws_db_instance_automated_backups_replication: {
    read: RDS.read,
    write: [
      "rds:StartDBInstanceAutomatedBackupsReplication",
      "rds:StopDBInstanceAutomatedBackupsReplication",
      ...KMS_USE,
    ],
  },
  aws_db_parameter_group: RDS,
  aws_db_subnet_group: RDS,
  aws_default_security_group: EC2_NETWORK,
  aws_ecr_lifecycle_policy: {
    read: ["ecr:GetLifecyclePolicy"],
    write: ["ecr:DeleteLifecyclePolicy", "ecr:PutLifecyclePolicy"],
  },
  aws_ecr_repository: {
    read: ["ecr:DescribeRepositories", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"],
    write: [
      "ecr:CreateRepository",
      "ecr:DeleteRepository",
      "ecr:PutImageScanningConfiguration",
      "ecr:PutImageTagMutability",
      "ecr:TagResource",
      "ecr:UntagResource",
    ],
  },
  aws_ecs_cluster: ECS,
  aws_ecs_cluster_capacity_providers: ECS,
  aws_ecs_service: { read: ECS.read, write: [...ECS.write, "iam:CreateServiceLinkedRole"] },
  aws_ecs_task_definition: { read: ECS.read, write: [...ECS.write, "iam:PassRole"] },
  aws_eip: EC2_NETWORK,
  aws_elasticache_parameter_group: ELASTICACHE,
  aws_elasticache_replication_group: { read: ELASTICACHE.read, write: [...ELASTICACHE.write, ...KMS_USE] },
  aws_elasticache_subnet_group: ELASTICACHE,
  aws_flow_log: { read: [...EC2_READ, ...LOGS_READ], write: [...EC2_NETWORK.write, "iam:PassRole"] },
  // The role policy the pipeline roles read; the apply role never writes managed policies (it could widen itself).
  aws_iam_policy: { read: IAM_READ, write: [] },
  aws_iam_openid_connect_provider: {
    read: IAM_READ,
    write: [
      "iam:AddClientIDToOpenIDConnectProvider",
      "iam:CreateOpenIDConnectProvider",
      "iam:DeleteOpenIDConnectProvider",
      "iam:RemoveClientIDFromOpenIDConnectProvider",
      "iam:TagOpenIDConnectProvider",
      "iam:UntagOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint",
    ],
  },
  aws_iam_role: { read: IAM_READ, write: IAM_ROLE_WRITES },
  aws_iam_role_policy: { read: IAM_READ, write: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"] },
  aws_iam_role_policy_attachment: { read: IAM_READ, write: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"] },
  // The NAT instance (network.natInstance, D59): launched, stopped/started when its user data changes, terminated.
  aws_instance: {
    read: EC2_READ,
    write: [
      ...EC2_NETWORK.write,
      "ec2:RunInstances",
      "ec2:StartInstances",
      "ec2:StopInstances",
      "ec2:TerminateInstances",
    ],
  },
  aws_internet_gateway: EC2_NETWORK,
  aws_kinesis_firehose_delivery_stream: {
    read: ["firehose:DescribeDeliveryStream", "firehose:ListTagsForDeliveryStream"],
    write: [
      "firehose:CreateDeliveryStream",
      "firehose:DeleteDeliveryStream",
      "firehose:StartDeliveryStreamEncryption",
      "firehose:StopDeliveryStreamEncryption",
      "firehose:TagDeliveryStream",
      "firehose:UntagDeliveryStream",
      "firehose:UpdateDestination",
      "iam:PassRole",
    ],
  },
  aws_kms_alias: { read: KMS_READ, write: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"] },
  aws_kms_key: {
    read: KMS_READ,
    write: [
      "kms:CancelKeyDeletion",
      "kms:CreateKey",
      "kms:EnableKeyRotation",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateKeyDescription",
    ],
  },
  aws_lb: { read: ELB.read, write: [...ELB.write, "iam:CreateServiceLinkedRole"] },
  aws_lb_listener: ELB,
  aws_lb_listener_rule: ELB,
  aws_lb_target_group: ELB,
  aws_nat_gateway: EC2_NETWORK,
  aws_route: EC2_NETWORK,
  aws_route53_record: {
    read: ["route53:Get*", "route53:List*"],
    write: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
  },
  aws_route_table: EC2_NETWORK,
  aws_route_table_association: EC2_NETWORK,
  aws_s3_bucket: S3,
  aws_s3_bucket_cors_configuration: S3,
  aws_s3_bucket_lifecycle_configuration: S3,
  aws_s3_bucket_logging: S3,
  aws_s3_bucket_ownership_controls: S3,
  aws_s3_bucket_policy: S3,
  aws_s3_bucket_public_access_block: S3,
  aws_s3_bucket_replication_configuration: { read: S3.read, write: [...S3.write, "iam:PassRole"] },
  aws_s3_bucket_server_side_encryption_configuration: S3,
  aws_s3_bucket_versioning: S3,
  // The application password's rotation (D170). The stack's writes run through CloudFormation with the caller's
  // permissions on resources named after the stack: terraform-role.ts rotationFunctionStatements grants them.
  // The working-hours schedule (D210): the schedule names its execution role, which the caller passes.
  aws_scheduler_schedule: {
    read: ["scheduler:GetSchedule", "scheduler:ListTagsForResource"],
    write: ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "iam:PassRole"],
  },
  aws_serverlessapplicationrepository_cloudformation_stack: {
    read: ["cloudformation:DescribeStacks", "cloudformation:GetTemplate", "serverlessrepo:GetApplication"],
    write: [
      "serverlessrepo:CreateCloudFormationChangeSet",
      "serverlessrepo:CreateCloudFormationTemplate",
      "serverlessrepo:GetApplication",
      "serverlessrepo:GetCloudFormationTemplate",
      "cloudformation:CreateChangeSet",
      "cloudformation:DeleteChangeSet",
      "cloudformation:DeleteStack",
      "cloudformation:DescribeChangeSet",
      "cloudformation:ExecuteChangeSet",
      "cloudformation:UpdateStack",
      "lambda:AddPermission",
      "lambda:CreateFunction",
      "lambda:DeleteFunction",
      "lambda:GetFunction",
      "lambda:GetFunctionConfiguration",
      "lambda:RemovePermission",
      "lambda:TagResource",
      "lambda:UntagResource",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
    ],
    ownStatement: true,
  },
  aws_secretsmanager_secret_rotation: {
    read: SECRETS_READ,
    write: ["secretsmanager:CancelRotateSecret", "secretsmanager:RotateSecret", "secretsmanager:UpdateSecret"],
  },
  aws_secretsmanager_secret: {
    read: SECRETS_READ,
    write: [
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:RestoreSecret",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
      "secretsmanager:UpdateSecret",
      ...KMS_USE,
    ],
  },
  // Terraform reads the version's value back on refresh: the value and, for the customer-managed key, kms:Decrypt.
  aws_secretsmanager_secret_version: {
    read: SECRETS_READ,
    refresh: ["secretsmanager:GetSecretValue", "kms:Decrypt"],
    write: ["secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret", ...KMS_USE],
  },
  aws_security_group: EC2_NETWORK,
  aws_sns_topic: SNS,
  aws_sns_topic_subscription: SNS,
  // Parameter Store (compute.parameterStore, D104): SecureString values are read back on refresh, with the data key through SSM.
  aws_ssm_parameter: {
    read: ["ssm:DescribeParameters"],
    refresh: ["ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource", "kms:Decrypt"],
    write: [
      "ssm:AddTagsToResource",
      "ssm:DeleteParameter",
      "ssm:PutParameter",
      "ssm:RemoveTagsFromResource",
      ...KMS_USE,
    ],
  },
  aws_subnet: EC2_NETWORK,
  aws_vpc: EC2_NETWORK,
  aws_vpc_endpoint: EC2_NETWORK,
  aws_vpc_security_group_egress_rule: EC2_NETWORK,
  aws_vpc_security_group_ingress_rule: EC2_NETWORK,
  aws_wafv2_web_acl: WAF,
  aws_wafv2_web_acl_association: WAF,
  aws_wafv2_web_acl_logging_configuration: {
    read: [...WAF.read, ...LOGS_READ],
    write: [...WAF.write, ...LOGS.write, "iam:CreateServiceLinkedRole"],
  },
  // Built-in provider (terraform.io/builtin/terraform): no AWS call.
  terraform_data: { read: [], write: [] },
  // The provider itself: it asks STS for the account on every plan.
  "provider.aws": { read: ["sts:GetCallerIdentity"], write: [] },
  // Data sources: read on every plan.
  "data.aws_caller_identity": { read: ["sts:GetCallerIdentity"], write: [] },
  "data.aws_subnets": { read: EC2_READ, write: [] },
  "data.aws_vpc": { read: EC2_READ, write: [] },
};

/** Services whose writes have their own, resource-scoped statements in the apply role (terraform-role.ts). */
export const SCOPED_WRITE_SERVICES = [
  "s3",
  "secretsmanager",
  "ssm",
  "ecr",
  "cloudtrail",
  "cloudfront",
  "route53",
  "iam",
] as const;

const service = (action: string) => action.split(":")[0];
const unique = (xs: readonly string[]) => [...new Set(xs)].sort();

/**
 * The table's entries for the types a workspace plans (`provider.aws` always), or the whole table when
 * `types` is undefined. A type without an entry is an error naming it: the roles would not cover it.
 */
export function entriesFor(types?: readonly string[]): TypeActions[] {
  if (!types) return Object.values(RESOURCE_TYPE_ACTIONS);
  const missing = unique(types.filter((t) => !(t in RESOURCE_TYPE_ACTIONS)));
  if (missing.length > 0) {
    throw new Error(
      `security.deploy.terraformRoles: the workspace plans ${missing.join(", ")}, which modules/security/terraform-actions.ts RESOURCE_TYPE_ACTIONS does not list: ` +
        "add the IAM actions a plan (read) and an apply (write) of the type need (Service Authorization Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)",
    );
  }
  return unique(["provider.aws", ...types]).map((t) => RESOURCE_TYPE_ACTIONS[t]);
}

/** Every configuration read of the entries (the read policy's `Resource: "*"` statement). */
export function configurationReads(types?: readonly string[]): string[] {
  return unique(entriesFor(types).flatMap((t) => t.read));
}

/** Whether some entry needs a data read (`refresh`) of `action`'s kind, e.g. `ssm:GetParameter`. */
export function refreshes(prefix: string, types?: readonly string[]): boolean {
  return entriesFor(types).some((t) => (t.refresh ?? []).some((a) => a.startsWith(prefix)));
}

/** The entries' writes of one service (`writesOf("s3")`), or of every service not in SCOPED_WRITE_SERVICES (`writesOf("regional")`). */
export function writesOf(
  scope: (typeof SCOPED_WRITE_SERVICES)[number] | "regional",
  types?: readonly string[],
): string[] {
  const scoped: readonly string[] = SCOPED_WRITE_SERVICES;
  const all = entriesFor(types).flatMap((t) => (t.ownStatement ? [] : t.write));
  return unique(all.filter((a) => (scope === "regional" ? !scoped.includes(service(a)) : service(a) === scope)));
}

/** The Terraform types a synthesized module or root uses: its resource types and `data.<type>` for its data sources. */
export function plannedTypes(json: { resource?: Record<string, unknown>; data?: Record<string, unknown> }): string[] {
  return [...Object.keys(json.resource ?? {}), ...Object.keys(json.data ?? {}).map((t) => `data.${t}`)];
}

/** The types of a synthesized workspace (root and modules) that have no RESOURCE_TYPE_ACTIONS entry: the roles would not cover them. */
export function uncoveredTypes(stack: {
  root: Parameters<typeof plannedTypes>[0];
  modules: Record<string, Parameters<typeof plannedTypes>[0]>;
}): string[] {
  const types = [stack.root, ...Object.values(stack.modules)].flatMap(plannedTypes);
  return unique(types.filter((t) => !(t in RESOURCE_TYPE_ACTIONS)));
}
