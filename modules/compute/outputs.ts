/** The compute module's outputs about its cluster, roles, registries, services and load balancer. */
import type { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { Cluster } from "./cluster";
import { ORIGIN_VERIFY_HEADER } from "./constants";
import type { LoadBalancer } from "./load-balancer";
import { runTaskLine } from "./one-off-tasks";
import { hclObject, type ComputeContext } from "./parts";
import type { Roles } from "./roles";

/** What the outputs name: the services and every task definition, by service, task or one-off name. */
export interface Deployed {
  readonly services: Readonly<Record<string, EcsService>>;
  readonly taskDefinitions: Readonly<Record<string, EcsTaskDefinition>>;
  readonly migrations?: EcsTaskDefinition;
  readonly toolbox?: EcsTaskDefinition;
}

const mapOf = <T>(m: Readonly<Record<string, T>>, pick: (x: T) => string) =>
  hclObject(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, pick(v)])));

export function computeOutputs(ctx: ComputeContext, cluster: Cluster, roles: Roles, deployed: Deployed): void {
  const out = ctx.api.output;
  out("ecs_cluster_name", cluster.cluster.name, "ECS cluster (seed 000: <project>-<env>).");
  out("ecs_cluster_arn", cluster.cluster.arn, "ECS cluster ARN.");
  out(
    "ecs_service_names",
    mapOf(deployed.services, (s) => s.name),
    "Service names by service.",
  );
  out(
    "task_definition_families",
    mapOf(deployed.taskDefinitions, (t) => t.family),
    "Task definition families (rollback: <family>:<revision>).",
  );
  out(
    "ecr_repository_urls",
    mapOf(cluster.repositories, (r) => r.repositoryUrl),
    "ECR repository URLs by image.",
  );
  out("log_group_name", cluster.logGroup.name, "Log group of the containers (seed 000 §6: aws logs tail).");
  if (cluster.serviceLogs)
    out(
      "service_log_group_names",
      mapOf(cluster.serviceLogs, (g) => g.name),
      "Log group of each service (aws logs tail /ecs/<name>-<service>).",
    );
  out("task_role_arn", roles.taskRole.arn, "Role of the application tasks.");
  out("execution_role_arn", roles.execRole.arn, "Execution role of the tasks.");
  if (roles.ddSecret)
    out(
      "datadog_api_key_secret_arn",
      roles.ddSecret.arn,
      'Datadog API key secret; put {"api_key": "<key>"} before the services run the agent.',
    );
  if (deployed.migrations)
    out(
      "migrations_run_task_command",
      runTaskLine(ctx, cluster, deployed.migrations.family),
      'aws ecs run-task line that starts the migrations task (TASK=$(eval "$(terraform output -raw migrations_run_task_command)")).',
    );
  if (deployed.toolbox && roles.toolboxRole) {
    out(
      "ecs_toolbox_run_task_command",
      runTaskLine(ctx, cluster, deployed.toolbox.family, { exec: true }),
      "aws ecs run-task line that starts the ECS Exec toolbox (seed 000 §8.1; it stops itself after an hour).",
    );
    out("toolbox_role_arn", roles.toolboxRole.arn, "Role of the ECS Exec toolbox task.");
  }
}

export function loadBalancerOutputs(ctx: ComputeContext, lb: LoadBalancer): void {
  const out = ctx.api.output;
  out("alb_dns_name", lb.alb.dnsName, "DNS name of the ALB (seed 000 §6: curl http://$ALB_DNS/health).");
  out("alb_zone_id", lb.alb.zoneId, "Route 53 zone of the ALB.");
  out("alb_arn", lb.alb.arn, "ARN of the ALB.");
  out("alb_arn_suffix", lb.alb.arnSuffix, "ARN suffix of the ALB (CloudWatch dimension).");
  out(
    "target_group_arns",
    mapOf(lb.targetGroups, (t) => t.arn),
    "Target group ARNs by service (seed 000 §5.3: aws elbv2 describe-target-health).",
  );
  out(
    "target_group_arn_suffixes",
    mapOf(lb.targetGroups, (t) => t.arnSuffix),
    "Target group ARN suffixes by service.",
  );
  out("https_enabled", lb.https, "Whether the ALB has an HTTPS listener.");
  if (lb.originVerify)
    out(
      "origin_verify_header_value",
      lb.originVerify.getStringAttribute("output"),
      `Secret value CloudFront sends in ${ORIGIN_VERIFY_HEADER} (cdn module).`,
      true,
    );
}
