/**
 * Seed 002's runbook commands for Atena, with each workspace's real names (docs/runbooks/atena/<ws>.md).
 * Commands the guide names differently, and why, are D103, D105, D107, D109; the guide's scripts are out of scope.
 */
import { containerNameOf } from "../../modules/compute/config";
import { recordImageLines } from "../image";
import {
  oneOffTask,
  releaseCommands,
  type RunbookPart,
  type RunbookContext,
  type RunbookSection,
} from "../product-runbook";
import { guideFrame } from "./frame";

/** A service's Terraform name (`-` → `_`), as its task definition is keyed in the compute module. */
const tf = (name: string) => name.replace(/-/g, "_");

/** The workspace's names the sections use, read once from its config and synthesized root. */
function atenaNames({ ws, env, input }: RunbookContext) {
  const name = input("compute", "name") ?? `${env.project}-${ws}`;
  const cluster = env.compute.clusterNameSuffix ? `${name}-${env.compute.clusterNameSuffix}` : name;
  const svc = (s: string) => `${name}-${s}`;
  const logGroup = (s: string) => (env.compute.logGroupPerService ? `/ecs/${name}-${s}` : `/ecs/${name}`);
  const services = env.compute.services.map((s) => s.name);
  const web = env.compute.services.find((s) => s.kind === "web")?.name;
  const first = services[0];
  const db = `${name}-${env.database.identifierSuffix}`;
  const path = `/${env.project}/${ws}/`;
  const keyAlias = `alias/${name}-data`;
  const manual = env.compute.parameterStore?.manual ?? [];
  return { name, cluster, svc, logGroup, services, web, first, db, path, keyAlias, manual };
}

/** The guide's own sections. */
const atenaSections: RunbookPart = (ctx) => {
  const { ws, env, varFile, hasOutput, product } = ctx;
  const n = atenaNames(ctx);
  const { cluster, svc, logGroup, services, first, path, keyAlias, manual } = n;
  const sections: RunbookSection[] = [];

  if (manual.length > 0) {
    sections.push({
      title: "Set the application's parameters (seed 002 §5)",
      text: [
        `Terraform creates ${manual.map((p) => `\`${path}${p}\``).join(", ")} with \`CHANGE_ME\` and never changes them back.`,
        `Keep the data key (\`--key-id ${keyAlias}\`, D104). DATABASE_URL and REDIS_URL are Terraform's (write-only).`,
      ],
      commands: manual.map(
        (p) =>
          `aws ssm put-parameter --name ${path}${p} --type SecureString --key-id ${keyAlias} --value "<value>" --overwrite`,
      ),
    });
  }
  // The order EduAutismo's and Retell's runbooks use: the one-off task definitions registered with the pushed image, the
  // database prepared by them (each to a clean exit), and only then the services rolled to the new image.
  const oneOffs = ["db_bootstrap", ...(env.compute.migrations ? ["migrations"] : [])];
  sections.push({
    title: "First deploy of the application (seed 002 §6)",
    text: [
      "Push `sha-<commit>` images (tags are immutable, no `latest`: D107) and record the tag in its one home with `npm run image`",
      "(the product's `images.json`, D135). Then register the one-off task definitions with that image, run db-bootstrap",
      "(creates the application user) and the migrations, each to a clean exit, and only then roll the services.",
    ],
    commands: [
      "terraform output ecr_repository_urls",
      ...recordImageLines(product, ws, "sha-<commit>"),
      ...releaseCommands(
        varFile,
        cluster,
        oneOffs.map((key) => ({ key, container: containerNameOf(env.compute, key) })),
        "tfplan-ecs",
        services.map(svc),
      ),
    ],
  });
  sections.push({
    title: "GitHub Actions secrets (seed 002 §7)",
    text: ["AWS_DEPLOY_ROLE_ARN, ALB_DNS_NAME, PRIVATE_SUBNET_IDS, ECS_SECURITY_GROUP_ID:"],
    commands: ["github_actions_role_arn", "alb_dns_name", "private_subnet_ids", "ecs_security_group_id"]
      .filter(hasOutput)
      .map((o) => `terraform output ${o}`),
  });
  sections.push({
    title: "Deploy status, logs, scaling (seed 002 runbook)",
    text: [
      `\`update-service --desired-count\` lasts until autoscaling moves it; a lasting size is \`<service>_desired_count\`/\`_min_capacity\`/\`_max_capacity\` in the tfvars.`,
    ],
    commands: [
      `aws ecs describe-services --cluster ${cluster} --services ${services.map(svc).join(" ")} --query 'services[*].{name:serviceName,desired:desiredCount,running:runningCount,status:status}'`,
      ...services.map((s) => `aws logs tail ${logGroup(s)} --since 30m --follow`),
      `aws logs filter-log-events --log-group-name ${logGroup(first)} --filter-pattern "ERROR" --start-time $(date -d '1 hour ago' +%s000)`,
      ...services.map((s) => `aws ecs update-service --cluster ${cluster} --service ${svc(s)} --desired-count 2`),
    ],
  });
  sections.push({
    title: "Rollback and migrations (seed 002 runbook)",
    text: [
      "A rollback by task definition revision is undone by the next apply unless its image tag is recorded too (`npm run image`).",
      "Migrations run in their own task as the master user, with DATABASE_URL = the master's URL (D105), not with the API's task definition.",
    ],
    commands: [
      `aws ecs list-task-definitions --family-prefix ${svc(first)} --sort DESC --max-items 5`,
      `aws ecs update-service --cluster ${cluster} --service ${svc(first)} --task-definition ${svc(first)}:<previous revision>`,
      ...recordImageLines(product, ws, "sha-<previous commit>"),
      ...(env.compute.migrations
        ? oneOffTask("migrations_run_task_command", cluster, containerNameOf(env.compute, "migrations"))
        : []),
    ],
  });
  sections.push(...operationsSections(ctx, n));
  return sections;
};

/** Seed 002's parameter and troubleshooting commands. */
function operationsSections(ctx: RunbookContext, n: ReturnType<typeof atenaNames>): RunbookSection[] {
  const { env, hasOutput } = ctx;
  const { name, cluster, svc, services, web, first, db, path, keyAlias, manual } = n;
  const sections: RunbookSection[] = [];
  if (env.compute.parameterStore) {
    sections.push({
      title: 'Parameters (seed 002 "Secrets")',
      commands: [
        `aws ssm get-parameters-by-path --path ${path} --with-decryption --query 'Parameters[*].{Name:Name,LastModified:LastModifiedDate}'`,
        ...(manual[0]
          ? [
              `aws ssm put-parameter --name ${path}${manual[0]} --type SecureString --key-id ${keyAlias} --value "<new value>" --overwrite`,
            ]
          : []),
        ...services.map(
          (s) => `aws ecs update-service --cluster ${cluster} --service ${svc(s)} --force-new-deployment`,
        ),
      ],
    });
  }
  sections.push({
    title: "Troubleshooting (seed 002)",
    text: [
      "The ALB redirects HTTP to HTTPS and its certificate names the product's domain, not the ALB's: `-k` against the ALB's name.",
      `The target group has a name prefix (D103): its ARN is \`terraform output -json target_group_arns\`. Redis is the replication group \`${name}-redis\`; its node is \`${name}-redis-001\`.`,
    ],
    commands: [
      `aws ecs describe-services --cluster ${cluster} --services ${svc(first)} --query 'services[0].events[:5]'`,
      `aws ecs list-tasks --cluster ${cluster} --service-name ${svc(first)} --desired-status STOPPED`,
      `aws ecs describe-tasks --cluster ${cluster} --tasks <task ARN> --query 'tasks[0].{status:lastStatus,reason:stoppedReason,container:containers[?name==\`"${containerNameOf(env.compute, tf(first))}"\`].reason | [0]}'`,
      ...(web && hasOutput("alb_dns_name")
        ? [
            "curl -vk https://$(terraform output -raw alb_dns_name)/health",
            `aws elbv2 describe-target-health --target-group-arn "$(terraform output -json target_group_arns | jq -r .${web})"`,
          ]
        : []),
      `aws rds describe-db-instances --db-instance-identifier ${db} --query 'DBInstances[0].{status:DBInstanceStatus,endpoint:Endpoint}'`,
      `aws rds start-db-instance --db-instance-identifier ${db}`,
      ...(env.cache.enabled
        ? [
            `aws elasticache describe-cache-clusters --cache-cluster-id ${name}-redis-001 --show-cache-node-info`,
            `aws elasticache describe-replication-groups --replication-group-id ${name}-redis`,
          ]
        : []),
    ],
  });
  return sections;
}

/** The guide's runbook: its sections in the shared frame (tools/runbooks/frame.ts). */
export const atenaRunbook = guideFrame(atenaSections);
