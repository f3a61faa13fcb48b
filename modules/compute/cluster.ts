/**
 * The cluster and what every task shares: the log groups (`/ecs/<name>`, one per service when configured,
 * `/ecs/<name>/exec`), the ECS cluster with Fargate and Fargate Spot, and one ECR repository per image.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { Token } from "cdktf";
import { declaredLocal, jsonDocument, named } from "../../lib/core/module-stack";
import { COMPUTE_LOCALS, serviceVariablePrefix as tf } from "./config";
import type { ComputeContext } from "./parts";

export interface Cluster {
  /** `/ecs/<name>`: the one-off tasks, and every service unless `logGroupPerService`. */
  readonly logGroup: CloudwatchLogGroup;
  /** `/ecs/<name>-<service>` by service name, with `logGroupPerService`. */
  readonly serviceLogs?: Readonly<Record<string, CloudwatchLogGroup>>;
  /** `/ecs/<name>/exec`: ECS Exec session logs. */
  readonly execLogs: CloudwatchLogGroup;
  readonly cluster: EcsCluster;
  readonly capacity: EcsClusterCapacityProviders;
  /** By image name. */
  readonly repositories: Readonly<Record<string, EcrRepository>>;
}

/** The log groups, the cluster with its capacity providers, and the registries. */
export function clusterAndRegistries(ctx: ComputeContext): Cluster {
  const { scope, settings: cfg, vars } = ctx;
  const logs = (id: string, name: string, logicalId: string) =>
    named(
      new CloudwatchLogGroup(scope, id, { name, retentionInDays: vars.logRetentionDays, kmsKeyId: vars.logsKey }),
      logicalId,
    );
  const logGroup = logs("app_logs", `/ecs/${vars.name}`, "app");
  // Seed 002: one log group per service (`/ecs/<name>-<service>`); the one-off tasks keep `/ecs/<name>`.
  const serviceLogs = cfg.logGroupPerService
    ? Object.fromEntries(
        cfg.services.map((s) => [
          s.name,
          logs(`service_logs_${tf(s.name)}`, `/ecs/${vars.name}-${s.name}`, `service_${tf(s.name)}`),
        ]),
      )
    : undefined;
  const execLogs = logs("exec_logs", `/ecs/${vars.name}/exec`, "exec");
  const cluster = named(
    new EcsCluster(scope, "cluster", {
      name: cfg.clusterNameSuffix ? `${vars.name}-${cfg.clusterNameSuffix}` : vars.name,
      setting: [
        {
          name: "containerInsights",
          value: declaredLocal(scope, "container_insights_setting", COMPUTE_LOCALS.container_insights_setting).asString,
        },
      ],
      configuration: {
        executeCommandConfiguration: {
          logging: "OVERRIDE",
          logConfiguration: { cloudWatchLogGroupName: execLogs.name, cloudWatchEncryptionEnabled: true },
        },
      },
    }),
    "this",
  );
  const capacity = named(
    new EcsClusterCapacityProviders(scope, "capacity", {
      clusterName: cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    }),
    "this",
  );
  const repositories = Object.fromEntries(cfg.images.map((image) => [image, repository(ctx, image)]));
  return { logGroup, serviceLogs, execLogs, cluster, capacity, repositories };
}

/** One image's repository (immutable tags, scan on push, the data key) and its lifecycle: keep the last `keep_images`. */
function repository(ctx: ComputeContext, image: string): EcrRepository {
  const { scope, vars } = ctx;
  const repo = named(
    new EcrRepository(scope, `ecr_${tf(image)}`, {
      name: `${vars.name}-${image}`,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: vars.dataKey }],
    }),
    tf(image),
  );
  named(
    new EcrLifecyclePolicy(scope, `ecr_policy_${tf(image)}`, {
      repository: repo.name,
      policy: jsonDocument(scope, `${tf(image)}_ecr_lifecycle`, {
        rules: [
          {
            rulePriority: 1,
            description: `Keep the last ${Token.asString(vars.keepImages)} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: vars.keepImages },
            action: { type: "expire" },
          },
        ],
      }),
    }),
    tf(image),
  );
  return repo;
}
