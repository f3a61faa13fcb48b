/**
 * The root outputs the runbooks read (`terraform output <name>`), as a table: name, the module
 * output it forwards, the description, and when it exists.
 */
import { Fn } from "cdktf";
import type { ModuleStack } from "../lib/core/module-stack";
import type { WorkspaceStack } from "../lib/core/workspace-stack";
import type { EnvironmentConfig } from "../environments";
import { bucketNames } from "../modules/storage/config";

/** The modules of one workspace, as the composition built them. */
export interface Built {
  readonly network: ModuleStack;
  readonly security: ModuleStack;
  readonly storage: ModuleStack;
  readonly cache?: ModuleStack;
  readonly database?: ModuleStack;
  readonly compute: ModuleStack;
  readonly cdn?: ModuleStack;
  readonly monitoring: ModuleStack;
  readonly dr?: ModuleStack;
}

interface Row {
  /** Root output name. */
  readonly name: string;
  /** Module and its output (`["network", "vpc_id"]`). */
  readonly from: readonly [keyof Built, string];
  readonly description: string;
  /** `list` and `number` outputs keep their type; `csv` joins a list into one comma-separated string. @default string */
  readonly kind?: "list" | "number" | "csv";
  /** Exists only when true for the environment. @default always (when its module exists) */
  readonly when?: (env: EnvironmentConfig) => boolean;
}

const hasWeb = (env: EnvironmentConfig) => env.compute.services.some((s) => s.kind === "web");
/** Subnet lists as one comma-separated string (network.subnetIdsOutput, D120). */
const csvSubnets = (env: EnvironmentConfig) => env.network.subnetIdsOutput === "comma-separated";
const hasTasks = (env: EnvironmentConfig) => env.compute.tasks.length > 0;
const runTask = (output: string) => `TASK=$(eval "$(terraform output -raw ${output})")`;

export const ROOT_OUTPUTS: readonly Row[] = [
  { name: "vpc_id", from: ["network", "vpc_id"], description: "ID of the VPC." },
  {
    name: "public_subnet_ids",
    from: ["network", "public_subnet_ids"],
    kind: "list",
    description: "Public subnet IDs (ALB).",
    when: (env) => !csvSubnets(env),
  },
  {
    name: "private_subnet_ids",
    from: ["network", "private_subnet_ids"],
    kind: "list",
    description: "Private subnet IDs (ECS tasks; seed 002 PRIVATE_SUBNET_IDS).",
    when: (env) => !csvSubnets(env),
  },
  {
    name: "public_subnet_ids",
    from: ["network", "public_subnet_ids"],
    kind: "csv",
    description:
      "Public subnet IDs, comma-separated (the tasks' subnets; a SAM List<AWS::EC2::Subnet::Id> parameter: terraform output -raw).",
    when: csvSubnets,
  },
  {
    name: "private_subnet_ids",
    from: ["network", "private_subnet_ids"],
    kind: "csv",
    description: "Private subnet IDs, comma-separated (empty when there are none).",
    when: csvSubnets,
  },
  {
    name: "nat_public_ips",
    from: ["network", "nat_public_ips"],
    kind: "list",
    description:
      "Egress addresses of the private subnets (NAT gateways or instance); new ones after each stop/start (D178).",
    when: (env) => env.network.mode !== "default-vpc",
  },
  {
    name: "ecs_security_group_id",
    from: ["network", "app_security_group_id"],
    description: "Security group of the ECS tasks (seed 000 §8.1).",
  },
  {
    name: "alb_security_group_id",
    from: ["network", "alb_security_group_id"],
    description: "Security group of the load balancer.",
    when: hasWeb,
  },

  {
    name: "github_actions_role_arn",
    from: ["security", "github_actions_role_arn"],
    description: "Role GitHub Actions assumes to deploy (seed 002).",
  },
  {
    name: "terraform_plan_role_arn",
    from: ["security", "terraform_plan_role_arn"],
    description:
      "Role of the pipeline's Terraform plans: GitHub Environment variable AWS_TERRAFORM_PLAN_ROLE_ARN (README, Turning the pipeline on).",
    when: (env) => env.security.deploy.terraformRoles.enabled,
  },
  {
    name: "terraform_apply_role_arn",
    from: ["security", "terraform_apply_role_arn"],
    description:
      "Role of the pipeline's Terraform applies and rollouts: GitHub Environment variable AWS_TERRAFORM_APPLY_ROLE_ARN.",
    when: (env) => env.security.deploy.terraformRoles.enabled,
  },
  {
    name: "web_acl_arn",
    from: ["security", "web_acl_arn"],
    description: "Regional WAF web ACL, or null when WAF is off.",
  },
  {
    name: "app_secret_arns",
    from: ["security", "secret_arns"],
    description: "Application secret ARNs by name; put each value before the first compute apply (first deploy).",
  },

  {
    name: "logs_bucket_name",
    from: ["storage", "logs_bucket_name"],
    description: "Bucket for ALB and S3 access logs.",
  },

  { name: "redis_endpoint", from: ["cache", "redis_endpoint"], description: "Redis primary endpoint (seed 000 §6)." },
  { name: "redis_port", from: ["cache", "redis_port"], kind: "number", description: "Redis port." },
  { name: "redis_url", from: ["cache", "redis_url"], description: "redis:// or rediss:// URL, without credentials." },
  { name: "redis_reader_endpoint", from: ["cache", "redis_reader_endpoint"], description: "Redis reader endpoint." },
  {
    name: "redis_security_group_id",
    from: ["cache", "redis_security_group_id"],
    description: "Security group of Redis (seed 000 §8.1).",
  },
  {
    name: "redis_auth_secret_arn",
    from: ["cache", "redis_auth_secret_arn"],
    description: "Secret holding the Redis AUTH token, or null.",
  },

  {
    name: "rds_endpoint",
    from: ["database", "rds_endpoint"],
    description: "PostgreSQL primary endpoint, address:port (seed 000 §6).",
  },
  {
    name: "db_master_user_secret_arn",
    from: ["database", "db_master_user_secret_arn"],
    description:
      "Secret <prefix>/db-master with the master credentials (generated by Terraform; migrations and db-bootstrap only).",
  },
  {
    name: "db_app_secret_arn",
    from: ["database", "db_app_secret_arn"],
    description:
      "Secret <prefix>/db-app with the application user's credentials (what the app and workers log in with).",
  },
  {
    name: "db_security_group_id",
    from: ["database", "db_security_group_id"],
    description: "Security group of the database.",
  },
  {
    name: "db_replica_endpoints",
    from: ["database", "db_replica_endpoints"],
    kind: "list",
    description: "Read replica endpoints.",
  },

  {
    name: "dr_region",
    from: ["dr", "dr_region"],
    description: "Region of the disaster-recovery copies (docs/operations.md, Disaster recovery).",
  },
  {
    name: "dr_backup_replication_arn",
    from: ["dr", "dr_backup_replication_arn"],
    description: "Replicated automated backups of the primary database, in the DR region.",
  },
  {
    name: "dr_bucket_names",
    from: ["dr", "dr_bucket_names"],
    description: "Replica buckets in the DR region, by source bucket.",
  },
  {
    name: "dr_kms_key_arn",
    from: ["dr", "dr_kms_key_arn"],
    description: "Key of the DR copies (a restore in the DR region encrypts with it).",
  },

  { name: "ecs_cluster_name", from: ["compute", "ecs_cluster_name"], description: "ECS cluster (seed 000 §6)." },
  { name: "ecs_service_names", from: ["compute", "ecs_service_names"], description: "ECS service names by service." },
  {
    name: "task_definition_families",
    from: ["compute", "task_definition_families"],
    description: "Task definition families (seed 000 §7.1 rollback).",
  },
  {
    name: "ecr_repository_urls",
    from: ["compute", "ecr_repository_urls"],
    description: "ECR repositories by image (CI pushes here).",
  },
  {
    name: "ecs_log_group_name",
    from: ["compute", "log_group_name"],
    description: "Log group of the containers (aws logs tail).",
  },
  {
    name: "ecs_service_log_group_names",
    from: ["compute", "service_log_group_names"],
    description: "Log group of each service, /ecs/<name>-<service> (seed 002: aws logs tail /ecs/atena-prod-api).",
    when: (env) => env.compute.logGroupPerService,
  },
  {
    name: "db_bootstrap_run_task_command",
    from: ["compute", "db_bootstrap_run_task_command"],
    description: "aws ecs run-task command that starts the one-off db-bootstrap task; prints the task ARN.",
    when: (env) => env.database.enabled,
  },
  {
    name: "ecs_cluster_arn",
    from: ["compute", "ecs_cluster_arn"],
    description: "ECS cluster ARN (the cluster RunTask starts the tasks on: a SAM parameter, docs/products).",
    when: hasTasks,
  },
  {
    name: "task_role_arn",
    from: ["compute", "task_role_arn"],
    description:
      "Role of the tasks, with each task's <task>-access policy (compute.tasks[].access); a runner passes it (iam:PassRole).",
    when: hasTasks,
  },
  {
    name: "execution_role_arn",
    from: ["compute", "execution_role_arn"],
    description: "Execution role of the tasks (a state machine that runs them needs iam:PassRole on both roles).",
    when: hasTasks,
  },
  {
    name: "migrations_run_task_command",
    from: ["compute", "migrations_run_task_command"],
    description: `Starts the migrations task: ${runTask("migrations_run_task_command")}.`,
    when: (env) => env.compute.migrations !== undefined,
  },
  {
    name: "ecs_toolbox_run_task_command",
    from: ["compute", "ecs_toolbox_run_task_command"],
    description: `Starts the ECS Exec toolbox (seed 000 §8.1): ${runTask("ecs_toolbox_run_task_command")}.`,
    when: (env) => env.compute.toolbox.enabled,
  },
  {
    name: "datadog_api_key_secret_arn",
    from: ["compute", "datadog_api_key_secret_arn"],
    description:
      'Datadog API key secret: put {"api_key": "<key>"} before applying the services (docs/operations.md, Datadog).',
    when: (env) => env.compute.datadog.enabled,
  },
  {
    name: "alb_dns_name",
    from: ["compute", "alb_dns_name"],
    description: "DNS name of the ALB (seed 000 §6).",
    when: hasWeb,
  },
  {
    name: "alb_arn_suffix",
    from: ["compute", "alb_arn_suffix"],
    description: "ALB ARN suffix (CloudWatch dimension).",
    when: hasWeb,
  },
  {
    name: "target_group_arns",
    from: ["compute", "target_group_arns"],
    description:
      "Target group ARNs by service (seed 000 §5.3: aws elbv2 describe-target-health --target-group-arn ...).",
    when: hasWeb,
  },
  {
    name: "target_group_arn_suffixes",
    from: ["compute", "target_group_arn_suffixes"],
    description: "Target group ARN suffixes by service.",
    when: hasWeb,
  },

  {
    name: "cloudfront_domain_name",
    from: ["cdn", "cloudfront_domain_name"],
    description: "CloudFront domain name (point the public DNS here).",
  },
  {
    name: "cloudfront_distribution_id",
    from: ["cdn", "cloudfront_distribution_id"],
    description: "Distribution id (cache invalidations).",
  },

  {
    name: "alarm_topic_arn",
    from: ["monitoring", "alarm_topic_arn"],
    description: "SNS topic of every alarm (subscribe on-call here).",
  },
  {
    name: "dashboard_name",
    from: ["monitoring", "dashboard_name"],
    description: "CloudWatch dashboard (seed 000 §9.1).",
  },
];

/** One `<key>_bucket_name` output per application bucket (storage.buckets), described by its config. */
function bucketOutputs(env: EnvironmentConfig): Row[] {
  return Object.entries(env.storage.buckets).map(([key, b]) => {
    const { tf } = bucketNames(key);
    return { name: `${tf}_bucket_name`, from: ["storage", `${tf}_bucket_name`] as const, description: b.description };
  });
}

/** Per task (compute.tasks): `<task>_task_definition_arn` (revision-free), `_container_name` and `_family`, the values RunTask and a SAM parameter take. */
function taskOutputs(env: EnvironmentConfig): Row[] {
  return env.compute.tasks.flatMap((t) => {
    const tf = t.name.replace(/-/g, "_");
    return [
      {
        name: `${tf}_task_definition_arn`,
        from: ["compute", `${tf}_task_definition_arn`] as const,
        description: `ARN of the ${t.name} task definition without its revision: RunTask runs the latest ACTIVE revision (a SAM parameter; survives image and size changes).`,
      },
      {
        name: `${tf}_container_name`,
        from: ["compute", `${tf}_container_name`] as const,
        description: `Container of the ${t.name} task: the Name its runner's container overrides use (a SAM parameter).`,
      },
      {
        name: `${tf}_task_definition_family`,
        from: ["compute", `${tf}_task_definition_family`] as const,
        description: `Family of the ${t.name} task definition (RunTask with the family runs its latest ACTIVE revision).`,
      },
      {
        name: `${tf}_run_task_command`,
        from: ["compute", `${tf}_run_task_command`] as const,
        description: `Starts the ${t.name} task by hand, as its runner would: TASK=$(eval "$(terraform output -raw ${tf}_run_task_command)").`,
      },
    ];
  });
}

/** Adds every row whose module exists and whose condition holds. */
export function addRootOutputs(root: WorkspaceStack, env: EnvironmentConfig, built: Built): void {
  for (const row of [...ROOT_OUTPUTS, ...bucketOutputs(env), ...taskOutputs(env)]) {
    const module = built[row.from[0]];
    if (!module || (row.when && !row.when(env))) continue;
    const output = row.from[1];
    const value =
      row.kind === "list"
        ? module.refList(output)
        : row.kind === "number"
          ? module.refNumber(output)
          : row.kind === "csv"
            ? Fn.join(",", module.refList(output))
            : module.ref(output);
    root.output(row.name, value, row.description);
  }
}
