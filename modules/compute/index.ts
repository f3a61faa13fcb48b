/**
 * compute — ECS Fargate services behind an ALB (seed 000 §2–3, §5.2–5.3, seed 001 `modules/compute`).
 *
 * Owns: the cluster `<name>` (Fargate and Fargate Spot), one ECR repository per image, the log
 * group `/ecs/<name>`, the execution and task roles, one task definition + service + autoscaling per
 * configured service (web services get a target group and a listener rule), the migrations task
 * definition, the ECS Exec toolbox task definition and its role, the ALB with its listeners and WAF
 * association. Services are a list, so the same module expresses an API + workers (seed 002) or
 * API + web (seed 003). Without cache inputs the containers get no REDIS_* variables (seed 000 §7.3).
 * Services keep a read-only root and no ECS Exec; operators exec into the toolbox (D55). While
 * `app_image_tag` is the placeholder `initial` every service runs zero tasks (D56).
 *
 * Depends on: network, security, storage (buckets, ALB log prefix), database (endpoint, secrets) and, when enabled, cache.
 */
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { DataResource, TerraformLocal } from "cdktf";
import type { Construct } from "constructs";
import {
  MIGRATIONS_DATABASE_URL,
  PARAMETER_PLACEHOLDER,
  PLACEHOLDER_IMAGE_TAG,
  WRITTEN_PARAMETERS,
  type ComputeConfig,
  type ServiceConfig,
} from "./config";
import { hclExpression } from "../../lib/core/hcl";
import { policyDocument, serviceTrust, type PolicyStatement } from "../../lib/constructs/iam";
import { counted, expr, ModuleStack, named } from "../../lib/core/module-stack";
import { readStatements, readWriteStatements } from "../storage/grants";
import { dbBootstrapTask } from "./db-bootstrap";
import {
  appLogs,
  containerEnvironment,
  containerSecrets,
  secretArnsOf,
  toolboxEnvironment,
  toolboxSecrets,
  type DbLogin,
  type RedisInputs,
} from "./env";
import { runTaskCommand } from "./run-task";
import { taskAccessPolicy } from "./task-access";
import { generatedToken } from "../../lib/constructs/generated-token";
import type { KnobSet, KnobSpec, KnobTokens } from "../../lib/core/knobs";
import { datadogApiKeySecret, datadogTask } from "./datadog";
import { bucketNames } from "../storage/config";
import { XRAY_CONTAINER, XRAY_RESERVATION } from "./datadog-config";
import { DEFAULT_CONTAINER_NAME, IMAGE_KNOBS, serviceKnobs, serviceVariablePrefix, taskKnobs } from "./config";
import { parameterResourceName, parameterStatements, placeholderParameters } from "./ssm";
import type { ParameterRef } from "./env";

/** Default TLS policy of the HTTPS listener: TLS 1.3 and 1.2 only (`compute.tlsPolicy` chooses). */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Seconds a toolbox task lives before it stops itself (a forgotten task costs at most this). */
export const TOOLBOX_LIFETIME_SECONDS = 3600;
/** Tag that marks the toolbox task definition; the policy gate lets only it have a writable root (ecs-read-only-root). */
export const TOOLBOX_PURPOSE = "ecs-exec-toolbox";
/**
 * `terraform_data.<this>[0]` holds the deployed tag while it is not the placeholder, with prevent_destroy: a plan
 * that brings the placeholder back after a deploy fails with "Instance cannot be destroyed" (D136).
 */
export const DEPLOYED_IMAGE_GUARD = "deployed_image";
/** Warning of the Terraform check while app_image_tag is the placeholder. */
export const PLACEHOLDER_TAG_WARNING =
  `app_image_tag is the placeholder "${PLACEHOLDER_IMAGE_TAG}": every ECS service runs zero tasks. First deploy: put a value in each app secret ` +
  "(terraform output app_secret_arns), push the first image to the ECR repository (terraform output ecr_repository_urls), " +
  "record its tag with npm run image -- set <workspace> <tag> (the product's images.json, which synth writes into terraform.tfvars as app_image_tag), " +
  "run the db-bootstrap and migrations tasks, then apply module.compute again (docs/runbooks/<workspace>.md, first deploy).";
/** Local that is true once no operator parameter (compute.parameterStore.manual) holds the placeholder any more. */
export const PARAMETERS_REPLACED_LOCAL = "parameters_replaced";
/** Warning of the Terraform check while an operator parameter still holds the placeholder. */
export const PLACEHOLDER_PARAMETERS_WARNING =
  `an SSM parameter of this workspace still holds "${PARAMETER_PLACEHOLDER}": every ECS service runs zero tasks until each is set ` +
  "(aws ssm put-parameter --overwrite, docs/products/<product>.md) and the next plan reads the new values.";
/** Header CloudFront adds to every origin request; the HTTPS listener forwards only requests that carry its secret value. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";
/** Priority of the catch-all rule that forwards verified requests to the first web service (rules are 1–50000). */
export const DEFAULT_SERVICE_RULE_PRIORITY = 50000;
/** AWS's limit on aws_lb_target_group.name_prefix (the provider rejects longer ones). */
export const TARGET_GROUP_NAME_PREFIX_MAX = 6;

/** `name_prefix` of a service's target group: up to 5 characters of the service name and a dash. */
export function targetGroupNamePrefix(service: string): string {
  return `${service.slice(0, TARGET_GROUP_NAME_PREFIX_MAX - 1).replace(/-+$/, "")}-`;
}

/**
 * Tag of a task definition (compute.tasks) whose runner gives it a public IP (`AssignPublicIp: ENABLED` in
 * RunTask): the policy gate's ecs-no-public-ip reads it, since no Terraform resource holds that launch setting (D122).
 */
export const ASSIGN_PUBLIC_IP_TAG = "AssignPublicIp";

/** X-Ray daemon sidecar image (public ECR). */
export const XRAY_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.14";

export interface BucketRef {
  readonly name: string;
  readonly arn: string;
}

export interface ComputeProps {
  /** Name prefix: cluster `<name>`, services `<name>-<service>`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly appSecurityGroupId: string;
  readonly albSecurityGroupId: string;
  readonly dataKmsKeyArn: string;
  readonly logsKmsKeyArn: string;
  readonly logsBucketName: string;
  readonly albLogPrefix: string;
  /**
   * The application's buckets by key (`mlModels`): module inputs `<key_snake>_bucket_name`/`_arn`, container
   * variable `<KEY_SNAKE>_BUCKET`, and task-role access (`read` or `read-write`).
   */
  readonly buckets: Readonly<Record<string, BucketRef & { readonly access: "read" | "read-write" }>>;
  /** CloudWatch namespace root the app publishes its own metrics under (`<namespace>/*`). */
  readonly metricNamespace: string;
  /** Application secret ARNs by name (security module). */
  readonly secretArns: unknown;
  /** Database: the app user's and the master's secrets (db-bootstrap image: the engine major's postgres client). Omit without a database: no DB_* variables, no db-bootstrap task. */
  readonly db?: {
    readonly appSecretArn: string;
    readonly masterSecretArn: string;
    readonly bootstrapImage: string;
    readonly address: string;
    readonly port: unknown;
    readonly name: string;
  };
  /** Cache connection; omit when the cache is disabled (no REDIS_* variables). */
  readonly redis?: RedisInputs;
  /** Associate the security module's web ACL. @default false */
  readonly enableWaf?: boolean;
  readonly webAclArn?: string;
  /** Root variables of the compute knobs (./config.ts, knobs section): the image tag and each service's size and scaling, by service name. */
  readonly knobs: {
    readonly image: KnobTokens<typeof IMAGE_KNOBS.knobs>;
    readonly services: Readonly<Record<string, KnobTokens<Record<string, KnobSpec>>>>;
    /** Each task's size knobs (`<task>_cpu`, `<task>_memory`), by task name. @default none */
    readonly tasks?: Readonly<Record<string, KnobTokens<Record<string, KnobSpec>>>>;
  };
  /**
   * A product's app settings that are knobs: each is a module input and the container variable of its
   * name in upper case (`bncc_cache_ttl` → `BNCC_CACHE_TTL`). @default none
   */
  readonly appSettings?: { readonly set: KnobSet; readonly tokens: KnobTokens<Record<string, KnobSpec>> };
  /** Structure decided at synthesis: services, images, certificate, sidecars. */
  readonly config: ComputeConfig;
  readonly environmentName: string;
  /** Whether the environment runs (false scales every service to zero). @default true */
  readonly running?: unknown;
  /**
   * Only CloudFront reaches the ALB (network.albIngress "cloudfront"): the HTTPS listener answers 403 unless
   * the request carries CloudFront's secret origin header. Needs a certificate. @default false
   */
  readonly originVerify?: boolean;
  /**
   * Path of the environment's SSM parameters (`/<project>/<workspace>/`), when `compute.parameterStore` is set:
   * the module creates the operators' placeholders and lets the execution role read the path (D104). @default none
   */
  readonly parameterPath?: string;
  /** ARNs of the parameters other modules write (DATABASE_URL, MIGRATIONS_DATABASE_URL, REDIS_URL), by name: task definitions wait for them. @default none */
  readonly writtenParameterArns?: Readonly<Record<string, string>>;
  /** Names for the Datadog sidecar (compute.datadog.enabled): its API key secret and the DD_SERVICE prefix. */
  readonly datadog?: { readonly secretName: string; readonly servicePrefix: string };
}

/** `api-web` → `api_web`: Terraform names of services and images (the prefix of their knobs too). */
const tf = serviceVariablePrefix;
/** `mlModels` → `ml_models`: the Terraform name of a bucket key, as the storage module names it. */
const bucketVariable = (key: string) => bucketNames(key).tf;

export class ComputeModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: ComputeProps) {
    super(scope, workspace, "compute");
    const cfg = props.config;

    const name = this.input("name", props.name, {
      type: "string",
      description: "Name prefix: cluster <name>, services <name>-<service>.",
    }).stringValue;
    const region = this.input("region", props.region, {
      type: "string",
      description: "AWS region (log driver).",
    }).stringValue;
    this.input("account_id", props.accountId, { type: "string", description: "AWS account id (trust conditions)." });
    const vpcId = this.input("vpc_id", props.vpcId, {
      type: "string",
      description: "VPC of the services.",
    }).stringValue;
    this.input("private_subnet_ids", props.privateSubnetIds, {
      type: "list(string)",
      description: "Subnets of the tasks (no public IPs).",
    });
    this.input("public_subnet_ids", props.publicSubnetIds, {
      type: "list(string)",
      description: "Subnets of the ALB.",
    });
    const appSg = this.input("app_security_group_id", props.appSecurityGroupId, {
      type: "string",
      description: "Security group of the tasks.",
    }).stringValue;
    const albSg = this.input("alb_security_group_id", props.albSecurityGroupId, {
      type: "string",
      description: "Security group of the ALB.",
    }).stringValue;
    const dataKey = this.input("data_kms_key_arn", props.dataKmsKeyArn, {
      type: "string",
      description: "KMS key of ECR and the secrets.",
    }).stringValue;
    const logsKey = this.input("logs_kms_key_arn", props.logsKmsKeyArn, {
      type: "string",
      description: "KMS key of the log groups.",
    }).stringValue;
    this.input("logs_bucket_name", props.logsBucketName, {
      type: "string",
      description: "Bucket for ALB access logs.",
    });
    this.input("alb_log_prefix", props.albLogPrefix, { type: "string", description: "Prefix of ALB access logs." });
    this.input("enable_alb_access_logs", cfg.albAccessLogs, {
      type: "bool",
      description: "ALB access logs to the logs bucket.",
      default: true,
    });
    this.input("alb_deletion_protection", cfg.albDeletionProtection, {
      type: "bool",
      description: "ALB deletion protection.",
      default: false,
    });
    this.input("tls_policy", cfg.tlsPolicy, {
      type: "string",
      description: "Security policy of the HTTPS listener (TLS 1.3 + 1.2, or TLS 1.3 only).",
      default: ALB_TLS_POLICY,
    });
    this.input("certificate_arn", cfg.certificateArn ?? null, {
      type: "string",
      description: "ACM certificate of the HTTPS listener, or null.",
      default: null,
      nullable: true,
    });
    const logRetention = this.input("log_retention_days", cfg.logRetentionDays, {
      type: "number",
      description: "Retention of /ecs/<name>.",
      default: 30,
    }).numberValue;
    this.input("container_insights", cfg.containerInsights, {
      type: "bool",
      description: "Container Insights.",
      default: false,
    });
    this.input("keep_images", cfg.keepImages, {
      type: "number",
      description: "Images kept per ECR repository.",
      default: 30,
    });
    for (const [key, b] of Object.entries(props.buckets)) {
      const snake = bucketVariable(key);
      this.input(`${snake}_bucket_name`, b.name, { type: "string", description: `Name of the ${key} bucket.` });
      this.input(`${snake}_bucket_arn`, b.arn, { type: "string", description: `ARN of the ${key} bucket.` });
    }
    this.input("secret_arns", props.secretArns, {
      type: "map(string)",
      description: "Application secret ARNs by name.",
    });
    if (props.db) {
      this.input("db_app_secret_arn", props.db.appSecretArn, {
        type: "string",
        description: "Secret of the application user (JSON: username, password, ...): app and workers.",
      });
      this.input("db_master_secret_arn", props.db.masterSecretArn, {
        type: "string",
        description: "Secret of the master user: migrations and db-bootstrap only.",
      });
      this.input("db_bootstrap_image", props.db.bootstrapImage, {
        type: "string",
        description: "PostgreSQL client image of the db-bootstrap task.",
      });
      this.input("db_address", props.db.address, { type: "string", description: "PostgreSQL host." });
      this.input("db_port", props.db.port, { type: "number", description: "PostgreSQL port." });
      this.input("db_name", props.db.name, { type: "string", description: "PostgreSQL database." });
    }
    if (props.redis) {
      this.input("redis_url", props.redis.url, {
        type: "string",
        description: "redis:// or rediss:// URL (no credentials).",
      });
      this.input("redis_host", props.redis.host, { type: "string", description: "Redis primary endpoint." });
      this.input("redis_port", props.redis.port, { type: "number", description: "Redis port." });
      if (props.redis.authSecretArn !== undefined) {
        this.input("redis_auth_secret_arn", props.redis.authSecretArn, {
          type: "string",
          description: "Secret with the AUTH token (JSON key token).",
        });
      }
    }
    this.input("running", props.running, {
      type: "bool",
      description: "False scales every service to zero (start/stop toggle).",
      default: true,
    });
    const parameterStore = cfg.parameterStore && props.parameterPath !== undefined ? cfg.parameterStore : undefined;
    if (parameterStore)
      this.input("parameter_path", props.parameterPath, {
        type: "string",
        description: "Path of the environment's SSM parameters (/<project>/<workspace>/).",
      });
    const written = parameterStore ? (props.writtenParameterArns ?? {}) : {};
    if (parameterStore)
      this.input("written_parameter_arns", written, {
        type: "map(string)",
        description: "ARNs of the parameters the database and cache modules write, by name.",
      });
    // A parameter by reference: the task definition then depends on the parameter existing (ECS reads it at task start).
    const parameterRef = (name: string, parameter: string): ParameterRef => ({
      name,
      parameter,
      valueFrom: parameterStore?.manual.includes(parameter)
        ? `\${aws_ssm_parameter.${parameterResourceName(parameter)}.arn}`
        : parameter in written
          ? `\${var.written_parameter_arns.${parameter}}`
          : undefined,
    });
    if (cfg.toolbox.enabled)
      this.input("toolbox_image", cfg.toolbox.image, {
        type: "string",
        description: "Image of the ECS Exec toolbox (shell and redis-cli with TLS).",
      });
    this.input("enable_waf", props.enableWaf ?? false, {
      type: "bool",
      description: "Associate the regional web ACL with the ALB.",
      default: false,
    });
    this.input("web_acl_arn", props.webAclArn ?? null, {
      type: "string",
      description: "Regional web ACL, or null.",
      default: null,
      nullable: true,
    });
    // Knobs (./config.ts, knobs section): the image tag, each service's size and scaling, then the product's app settings.
    this.knobInputs(IMAGE_KNOBS, props.knobs.image);
    for (const s of cfg.services) {
      const tokens = props.knobs.services[s.name];
      if (!tokens)
        throw new Error(
          `compute: no knob tokens for service "${s.name}" (declare serviceKnobs("${s.name}") on the root)`,
        );
      this.knobInputs(serviceKnobs(s.name), tokens);
    }
    for (const t of cfg.tasks) {
      const tokens = props.knobs.tasks?.[t.name];
      if (!tokens)
        throw new Error(`compute: no knob tokens for task "${t.name}" (declare taskKnobs("${t.name}") on the root)`);
      this.knobInputs(taskKnobs(t.name), tokens);
    }
    if (props.appSettings) this.knobInputs(props.appSettings.set, props.appSettings.tokens);

    // --- Cluster, logs, registries -------------------------------------------------------------
    const logGroup = named(
      new CloudwatchLogGroup(this, "app_logs", {
        name: `/ecs/${name}`,
        retentionInDays: logRetention,
        kmsKeyId: logsKey,
      }),
      "app",
    );
    // Seed 002: one log group per service (`/ecs/<name>-<service>`); the one-off tasks keep `/ecs/<name>`.
    const serviceLogs = cfg.logGroupPerService
      ? Object.fromEntries(
          cfg.services.map((s) => [
            s.name,
            named(
              new CloudwatchLogGroup(this, `service_logs_${tf(s.name)}`, {
                name: `/ecs/${name}-${s.name}`,
                retentionInDays: logRetention,
                kmsKeyId: logsKey,
              }),
              `service_${tf(s.name)}`,
            ),
          ]),
        )
      : undefined;
    const execLogs = named(
      new CloudwatchLogGroup(this, "exec_logs", {
        name: `/ecs/${name}/exec`,
        retentionInDays: logRetention,
        kmsKeyId: logsKey,
      }),
      "exec",
    );
    const cluster = named(
      new EcsCluster(this, "cluster", {
        name: cfg.clusterNameSuffix ? `${name}-${cfg.clusterNameSuffix}` : name,
        setting: [{ name: "containerInsights", value: expr('var.container_insights ? "enabled" : "disabled"') }],
        configuration: {
          executeCommandConfiguration: {
            logging: "OVERRIDE",
            logConfiguration: { cloudWatchLogGroupName: execLogs.name, cloudWatchEncryptionEnabled: true },
          },
        },
      }),
      "this",
    );
    named(
      new EcsClusterCapacityProviders(this, "capacity", {
        clusterName: cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      }),
      "this",
    );

    for (const image of cfg.images) {
      const repo = named(
        new EcrRepository(this, `ecr_${tf(image)}`, {
          name: `${name}-${image}`,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: dataKey }],
        }),
        tf(image),
      );
      named(
        new EcrLifecyclePolicy(this, `ecr_policy_${tf(image)}`, {
          repository: repo.name,
          policy: expr(
            `jsonencode({ rules = [{ rulePriority = 1, description = "Keep the last ${"${var.keep_images}"} images", selection = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = var.keep_images }, action = { type = "expire" } }] })`,
          ),
        }),
        tf(image),
      );
    }
    const repoUrl = (image: string) => `\${aws_ecr_repository.${tf(image)}.repository_url}`;
    const repoArns = cfg.images.map((i) => `\${aws_ecr_repository.${tf(i)}.arn}`);

    // --- IAM: execution role (pull, logs, secrets) and task role (app permissions) ---------------
    const trust = serviceTrust("ecs-tasks.amazonaws.com", {
      StringEquals: { "aws:SourceAccount": "${var.account_id}" },
    });
    // Datadog (compute.datadog, D78–D80): the API key secret the agent sidecars read; its value is an operator's.
    const datadog = cfg.datadog.enabled && props.datadog ? props.datadog : undefined;
    const ddSecret = datadog
      ? datadogApiKeySecret(this, {
          name: this.input("datadog_api_key_secret_name", datadog.secretName, {
            type: "string",
            description: "Name of the Datadog API key secret (<project>/<env>/datadog-api-key).",
          }).stringValue,
          kmsKeyId: dataKey,
        })
      : undefined;
    const secretArns = [...secretArnsOf(props, cfg), ...(ddSecret ? [ddSecret.arn] : [])];
    const execRole = named(
      new IamRole(this, "execution_role", {
        name: `${name}-ecs-execution`,
        description: "ECS pulls images, writes logs and reads the task secrets",
        assumeRolePolicy: trust,
      }),
      "execution",
    );
    const execStatements: PolicyStatement[] = [
      { Sid: "EcrAuth", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "EcrPull",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: repoArns,
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
      execStatements.push(
        { Sid: "ReadTaskSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns },
        {
          Sid: "DecryptTaskSecrets",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: dataKey,
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
        },
      );
    }
    if (parameterStore) execStatements.push(...parameterStatements({ region, dataKey }));
    if (parameterStore) placeholderParameters(this, { names: parameterStore.manual, dataKey });
    named(
      new IamRolePolicy(this, "execution_policy", {
        name: "pull-log-secrets",
        role: execRole.id,
        policy: policyDocument(execStatements),
      }),
      "execution",
    );

    const taskRole = named(
      new IamRole(this, "task_role", {
        name: `${name}-ecs-task`,
        description: "Permissions of the application itself",
        assumeRolePolicy: trust,
      }),
      "task",
    );
    // Bucket statements without their key; one key statement below covers every bucket.
    const taskStatements: PolicyStatement[] = Object.entries(props.buckets).flatMap(([key, b]) => {
      const grant = {
        label: key[0].toUpperCase() + key.slice(1),
        bucketArn: `\${var.${bucketVariable(key)}_bucket_arn}`,
      };
      return b.access === "read-write" ? readWriteStatements(grant) : readStatements(grant);
    });
    taskStatements.push(
      {
        Sid: "UseDataKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: dataKey,
        Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
      },
      // The app's own metrics (`<namespace>/…`); PutMetricData has no resource ARN, so the namespace condition scopes it.
      {
        Sid: "PublishAppMetrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringLike: { "cloudwatch:namespace": `${props.metricNamespace}/*` } },
      },
    );
    if (cfg.xray) {
      taskStatements.push({
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
    named(
      new IamRolePolicy(this, "task_policy", {
        name: "app",
        role: taskRole.id,
        policy: policyDocument(taskStatements),
      }),
      "task",
    );

    // The toolbox's role: ECS Exec only (the SSM channels have no resource-level permissions) and its session logs.
    const toolboxRole = cfg.toolbox.enabled
      ? named(
          new IamRole(this, "toolbox_role", {
            name: `${name}-ecs-toolbox`,
            description: "ECS Exec toolbox: SSM session channels and session logs only",
            assumeRolePolicy: trust,
          }),
          "toolbox",
        )
      : undefined;
    if (toolboxRole) {
      named(
        new IamRolePolicy(this, "toolbox_policy", {
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
              Resource: `${execLogs.arn}:*`,
            },
          ]),
        }),
        "toolbox",
      );
    }

    // --- Load balancer -------------------------------------------------------------------------------
    const web = cfg.services.filter((s) => s.kind === "web");
    const https = cfg.certificateArn !== undefined;
    const originVerify = https && web.length > 0 && (props.originVerify ?? false);
    // Host-based routing (hostHeaders, D110): when the first web service names its hosts, no service is the
    // listener default; every web service has its own rule and any other host gets 404.
    const hostRouted = web.length > 0 && web[0].hostHeaders.length > 0;
    const noSuchHost = {
      type: "fixed-response",
      fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" },
    };
    if (web.length > 0) {
      const alb = named(
        new Lb(this, "alb", {
          name,
          internal: false,
          loadBalancerType: "application",
          securityGroups: [albSg],
          subnets: expr("var.public_subnet_ids") as unknown as string[],
          dropInvalidHeaderFields: true,
          enableDeletionProtection: expr("var.alb_deletion_protection") as unknown as boolean,
          idleTimeout: 60,
          accessLogs: {
            bucket: expr("var.logs_bucket_name"),
            prefix: expr("var.alb_log_prefix"),
            enabled: expr("var.enable_alb_access_logs") as unknown as boolean,
          },
        }),
        "this",
      );
      // name_prefix, not name: create_before_destroy needs the replacement to take a free name (target group
      // names are unique per account and region). AWS allows 6 characters of prefix; the Name tag keeps the
      // readable name (docs/decisions.md, D53).
      for (const s of web) {
        named(
          new LbTargetGroup(this, `tg_${tf(s.name)}`, {
            namePrefix: targetGroupNamePrefix(s.name),
            tags: { Name: `${name}-${s.name}` },
            port: s.port,
            protocol: "HTTP",
            targetType: "ip",
            vpcId,
            deregistrationDelay: "30",
            healthCheck: {
              path: s.healthCheckPath,
              matcher: "200",
              interval: 30,
              timeout: 5,
              healthyThreshold: 2,
              unhealthyThreshold: 3,
            },
            lifecycle: { createBeforeDestroy: true },
          }),
          tf(s.name),
        );
      }
      const defaultTg = `\${aws_lb_target_group.${tf(web[0].name)}.arn}`;
      named(
        new LbListener(this, "http_listener", {
          loadBalancerArn: alb.arn,
          port: 80,
          protocol: "HTTP",
          defaultAction: [
            https
              ? { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }
              : hostRouted
                ? noSuchHost
                : { type: "forward", targetGroupArn: defaultTg },
          ],
        }),
        "http",
      );
      if (originVerify) {
        // The secret CloudFront sends (cdn module) and the listener checks: a UUID made once and kept in
        // state (only the aws provider is available). Rotate: terraform apply -replace=module.compute.terraform_data.origin_verify.
        generatedToken(this, "origin_verify");
      }
      if (https) {
        named(
          new LbListener(this, "https_listener", {
            loadBalancerArn: alb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: expr("var.tls_policy"),
            certificateArn: expr("var.certificate_arn"),
            // Behind CloudFront nothing is forwarded by default: only the rules below, which require the header.
            defaultAction: [
              originVerify
                ? {
                    type: "fixed-response",
                    fixedResponse: { contentType: "text/plain", messageBody: "Forbidden", statusCode: "403" },
                  }
                : hostRouted
                  ? noSuchHost
                  : { type: "forward", targetGroupArn: defaultTg },
            ],
          }),
          "https",
        );
      }
      const listenerArn = https ? "${aws_lb_listener.https.arn}" : "${aws_lb_listener.http.arn}";
      const verified = originVerify
        ? [
            {
              httpHeader: {
                httpHeaderName: ORIGIN_VERIFY_HEADER,
                values: [expr("sensitive(terraform_data.origin_verify.output)")],
              },
            },
          ]
        : [];
      // Extra web services by path (and host); behind CloudFront also the first (default) service, by header alone;
      // with host routing also the first service, by its hosts.
      const ruled = web.filter((_, i) => i > 0 || originVerify || hostRouted);
      ruled.forEach((s) => {
        const i = web.indexOf(s);
        named(
          new LbListenerRule(this, `rule_${tf(s.name)}`, {
            listenerArn,
            priority: i === 0 ? DEFAULT_SERVICE_RULE_PRIORITY : i * 10,
            action: [{ type: "forward", targetGroupArn: `\${aws_lb_target_group.${tf(s.name)}.arn}` }],
            condition: [
              ...(i === 0 || s.pathPatterns.length === 0 ? [] : [{ pathPattern: { values: s.pathPatterns } }]),
              ...(s.hostHeaders.length > 0 ? [{ hostHeader: { values: s.hostHeaders } }] : []),
              ...verified,
            ],
          }),
          tf(s.name),
        );
      });
      named(
        new Wafv2WebAclAssociation(this, "waf_association", {
          resourceArn: alb.arn,
          webAclArn: expr("var.web_acl_arn"),
        }),
        "this",
      ).addOverride("count", expr("var.enable_waf ? 1 : 0"));
    }

    // --- Services --------------------------------------------------------------------------------------
    const taskDefinition = (
      id: string,
      family: string,
      svc: Pick<ServiceConfig, "name" | "image" | "command" | "secrets" | "environment"> & {
        containerName?: string;
        port?: number;
        dbLogin?: DbLogin;
        parameters?: ParameterRef[];
        logGroup?: string;
      },
      size: { cpu: unknown; memory: unknown },
      service = false,
    ) => {
      // Services get the Datadog agent sidecar; one-off tasks (migrations) do not.
      const dd =
        service && ddSecret && datadog
          ? datadogTask({
              config: cfg.datadog,
              environmentName: props.environmentName,
              service: `${datadog.servicePrefix}-${svc.name}`,
              version: "${var.app_image_tag}",
              secretArn: ddSecret.arn,
              logs: appLogs,
            })
          : undefined;
      const environment = containerEnvironment(
        {
          ...props,
          settings: props.appSettings && Object.keys(props.appSettings.set.knobs),
          bucketVariables: Object.keys(props.buckets).map(bucketVariable),
        },
        cfg,
        svc,
      );
      const containers: object[] = [
        {
          name: svc.containerName ?? DEFAULT_CONTAINER_NAME,
          image: `${repoUrl(svc.image)}:\${var.app_image_tag}`,
          essential: true,
          command: svc.command,
          portMappings: svc.port !== undefined ? [{ containerPort: svc.port, protocol: "tcp" }] : [],
          readonlyRootFilesystem: true,
          privileged: false,
          environment: dd
            ? [...environment, ...dd.appEnvironment].sort((a, b) => a.name.localeCompare(b.name))
            : environment,
          secrets: containerSecrets(props, svc, svc.dbLogin),
          mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
          linuxParameters: { initProcessEnabled: true },
          logConfiguration: appLogs(svc.name, svc.logGroup),
          ...(dd ? { dependsOn: dd.appDependsOn } : {}),
        },
      ];
      if (cfg.xray) {
        containers.push({
          name: XRAY_CONTAINER,
          image: XRAY_IMAGE,
          essential: false,
          cpu: XRAY_RESERVATION.cpu,
          memoryReservation: XRAY_RESERVATION.memory,
          portMappings: [{ containerPort: 2000, protocol: "udp" }],
          readonlyRootFilesystem: true,
          privileged: false,
          logConfiguration: appLogs("xray"),
        });
      }
      if (dd) containers.push(...dd.containers);
      return named(
        new EcsTaskDefinition(this, `td_${id}`, {
          family,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: String(size.cpu),
          memory: String(size.memory),
          executionRoleArn: execRole.arn,
          taskRoleArn: taskRole.arn,
          runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: cfg.architecture },
          volume: [{ name: "tmp" }, ...(dd ? dd.volumes : [])],
          containerDefinitions: expr(`jsonencode(${hclExpression(containers)})`),
        }),
        id,
      );
    };

    // Services serve only once a real image exists (first deploy, D56), while the environment runs, and once operators
    // replaced every CHANGE_ME parameter (desired-count switch, D162): Terraform refreshes each parameter's value before
    // planning (ignore_changes keeps it from writing one back), so the plan after `aws ssm put-parameter` starts them.
    const placeholders = parameterStore ? parameterStore.manual.map(parameterResourceName) : [];
    const replaced = placeholders.length > 0 ? ` && local.${PARAMETERS_REPLACED_LOCAL}` : "";
    if (placeholders.length > 0) {
      const each = placeholders
        .map((p) => `nonsensitive(aws_ssm_parameter.${p}.value != "${PARAMETER_PLACEHOLDER}")`)
        .join(", ");
      new TerraformLocal(this, PARAMETERS_REPLACED_LOCAL, expr(`alltrue([${each}])`));
      this.addOverride("check.parameters_replaced", {
        assert: [
          { condition: `\${local.${PARAMETERS_REPLACED_LOCAL}}`, error_message: PLACEHOLDER_PARAMETERS_WARNING },
        ],
      });
    }
    new TerraformLocal(
      this,
      "serving",
      expr(`var.running && var.app_image_tag != "${PLACEHOLDER_IMAGE_TAG}"${replaced}`),
    );
    this.addOverride("check.first_deploy_image", {
      assert: [
        { condition: `\${var.app_image_tag != "${PLACEHOLDER_IMAGE_TAG}"}`, error_message: PLACEHOLDER_TAG_WARNING },
      ],
    });
    // Once a real tag is applied, going back to the placeholder would scale every service to zero: a synth
    // from a checkout without the deployed tag (issue 21 item 3, D136). This record of the deployed tag
    // exists only while the tag is real, and cannot be destroyed, so such a plan fails instead.
    counted(
      named(
        new DataResource(this, "deployed_image_guard", {
          input: expr("var.app_image_tag") as unknown as Record<string, string>,
          lifecycle: { preventDestroy: true },
        }),
        DEPLOYED_IMAGE_GUARD,
      ),
      `var.app_image_tag != "${PLACEHOLDER_IMAGE_TAG}" ? 1 : 0`,
    );

    const families: Record<string, string> = {};
    for (const s of cfg.services) {
      const id = tf(s.name);
      // Size and scaling are the service's knobs (./config.ts, knobs section): `var.<service>_cpu` …
      const knob = (k: string) => `var.${serviceVariablePrefix(s.name)}_${k}`;
      const family = `${name}-${s.name}`;
      const size = { cpu: expr(knob("cpu")), memory: expr(knob("memory")) };
      const parameters =
        parameterStore && s.parameters.length > 0 ? s.parameters.map((p) => parameterRef(p, p)) : undefined;
      const td = taskDefinition(
        id,
        family,
        {
          ...s,
          port: s.kind === "web" ? s.port : undefined,
          parameters,
          logGroup: serviceLogs ? `service_${id}` : undefined,
        },
        size,
        true,
      );
      const service = named(
        new EcsService(this, `svc_${id}`, {
          name: family,
          cluster: cluster.arn,
          taskDefinition: td.arn,
          desiredCount: expr(`local.serving ? ${knob("desired_count")} : 0`) as unknown as number,
          // spotMix (D111): an on-demand base, the rest split by weight between Fargate and Fargate Spot.
          capacityProviderStrategy: s.spotMix
            ? [
                { capacityProvider: "FARGATE", base: s.spotMix.onDemandBase, weight: s.spotMix.onDemandWeight },
                { capacityProvider: "FARGATE_SPOT", weight: s.spotMix.spotWeight },
              ]
            : [{ capacityProvider: s.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 }],
          platformVersion: "LATEST",
          deploymentCircuitBreaker: { enable: true, rollback: true },
          deploymentMinimumHealthyPercent: 100,
          deploymentMaximumPercent: 200,
          // No ECS Exec into services: it needs a writable root filesystem; operators use the toolbox task (D55).
          enableExecuteCommand: false,
          enableEcsManagedTags: true,
          propagateTags: "SERVICE",
          healthCheckGracePeriodSeconds: s.kind === "web" ? s.healthCheckGracePeriodSeconds : undefined,
          networkConfiguration: {
            subnets: expr("var.private_subnet_ids") as unknown as string[],
            securityGroups: [appSg],
            assignPublicIp: false,
          },
          loadBalancer:
            s.kind === "web"
              ? [
                  {
                    targetGroupArn: `\${aws_lb_target_group.${id}.arn}`,
                    containerName: s.containerName,
                    containerPort: s.port,
                  },
                ]
              : undefined,
          // Autoscaling owns the count after creation.
          lifecycle: { ignoreChanges: ["desired_count"] },
        }),
        id,
      );
      // A service's capacity provider strategy names FARGATE/FARGATE_SPOT, which the cluster accepts only once
      // its capacity-provider association exists; on destroy the association must outlive the service
      // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
      // ECS also needs the target group attached to the load balancer (by a listener or a rule) before the service exists.
      const dependsOn = ["aws_ecs_cluster_capacity_providers.this"];
      if (s.kind === "web") {
        dependsOn.push(
          web.indexOf(s) > 0 || originVerify || hostRouted
            ? `aws_lb_listener_rule.${id}`
            : https
              ? "aws_lb_listener.https"
              : "aws_lb_listener.http",
        );
      }
      service.addOverride("depends_on", dependsOn);
      families[s.name] = family;

      const target = named(
        new AppautoscalingTarget(this, `scaling_${id}`, {
          serviceNamespace: "ecs",
          resourceId: `service/\${aws_ecs_cluster.this.name}/\${aws_ecs_service.${id}.name}`,
          scalableDimension: "ecs:service:DesiredCount",
          // Stopped, or no image yet: autoscaling holds the service at zero (desired_count is autoscaling's after creation).
          minCapacity: expr(`local.serving ? ${knob("min_capacity")} : 0`) as unknown as number,
          maxCapacity: expr(`local.serving ? ${knob("max_capacity")} : 0`) as unknown as number,
        }),
        id,
      );
      const policy = (suffix: string, metric: string, value: number, label?: string) =>
        named(
          new AppautoscalingPolicy(this, `scaling_${id}_${suffix}`, {
            name: `${family}-${suffix}`,
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            resourceId: target.resourceId,
            scalableDimension: target.scalableDimension,
            targetTrackingScalingPolicyConfiguration: {
              targetValue: value,
              predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel: label },
              scaleInCooldown: 300,
              scaleOutCooldown: 60,
            },
          }),
          `${id}_${suffix}`,
        );
      policy("cpu", "ECSServiceAverageCPUUtilization", s.cpuTarget);
      policy("memory", "ECSServiceAverageMemoryUtilization", s.memoryTarget);
      if (s.kind === "web" && s.requestsPerTarget !== undefined) {
        policy(
          "requests",
          "ALBRequestCountPerTarget",
          s.requestsPerTarget,
          `\${aws_lb.this.arn_suffix}/\${aws_lb_target_group.${id}.arn_suffix}`,
        );
      }
    }

    if (cfg.migrations) {
      const m = cfg.migrations;
      // Migrations own the schema: they log in as master.
      // With Parameter Store, the migrations get the first service's parameters; their DATABASE_URL is the master's (D105).
      const parameters =
        parameterStore && cfg.services[0].parameters.length > 0
          ? cfg.services[0].parameters.map((p) =>
              parameterRef(p, p === WRITTEN_PARAMETERS.databaseUrl ? MIGRATIONS_DATABASE_URL : p),
            )
          : undefined;
      taskDefinition(
        "migrations",
        `${name}-migrations`,
        {
          name: "migrations",
          containerName: m.containerName,
          image: m.image,
          command: m.command,
          secrets: cfg.services[0].secrets,
          environment: {},
          dbLogin: "master",
          parameters,
        },
        { cpu: m.cpu, memory: m.memory },
      );
      families.migrations = `${name}-migrations`;
    }
    // One-off: creates/updates the application's database user (modules/compute/db-bootstrap.ts).
    if (props.db) {
      const dbBootstrap = dbBootstrapTask(this, {
        name,
        executionRoleArn: execRole.arn,
        architecture: cfg.architecture,
      });
      families["db-bootstrap"] = dbBootstrap.taskDefinition.family;
      this.output(
        "db_bootstrap_run_task_command",
        dbBootstrap.runTaskCommand,
        "aws ecs run-task for the db-bootstrap task (private subnets, app security group, no public IP); prints the task ARN.",
      );
    }

    // --- Tasks (compute.tasks): a task definition each, no service; another system starts them with RunTask (D123) ---
    for (const t of cfg.tasks) {
      const id = tf(t.name);
      const knob = (k: string) => expr(`var.${serviceVariablePrefix(t.name)}_${k}`);
      const td = taskDefinition(
        id,
        t.family ?? `${name}-${t.name}`,
        { ...t, port: undefined },
        { cpu: knob("cpu"), memory: knob("memory") },
      );
      // How the task is launched is the caller's (RunTask's networkConfiguration); the tag states it for the policy gate.
      td.tags = { Purpose: "run-task", ...(t.assignPublicIp ? { [ASSIGN_PUBLIC_IP_TAG]: "ENABLED" } : {}) };
      families[t.name] = td.family;
      // The family's ARN without `:<revision>`: RunTask then runs the latest ACTIVE revision, so a new image or size
      // (a new revision; Terraform deregisters the old one) needs nothing redeployed by whoever holds the ARN (D167).
      this.output(
        `${id}_task_definition_arn`,
        "${aws_ecs_task_definition." + id + ".arn_without_revision}",
        `ARN of the ${t.name} task definition without its revision (RunTask runs the latest ACTIVE revision).`,
      );
      this.output(
        `${id}_container_name`,
        t.containerName,
        `Name of the ${t.name} task's container (what a runner's container overrides name).`,
      );
      taskAccessPolicy(this, { task: t, id, role: taskRole.id });
      this.output(`${id}_task_definition_family`, td.family, `Family of the ${t.name} task definition.`);
      // Started by hand (troubleshooting, a test run): where the runner would start it, with the same public IP choice.
      const where = t.assignPublicIp ? { subnets: "var.public_subnet_ids", publicIp: true } : {};
      this.output(
        `${id}_run_task_command`,
        runTaskCommand({ family: `aws_ecs_task_definition.${id}.family`, ...where }),
        `aws ecs run-task line that starts the ${t.name} task by hand; prints the task ARN.`,
      );
    }

    // --- ECS Exec toolbox (seed 000 §8.1, §8.4) ---------------------------------------------------------
    // A task definition no service uses: run-task starts it with --enable-execute-command, it sleeps for
    // TOOLBOX_LIFETIME_SECONDS and stops itself. Its root is writable (ECS Exec needs that); the services' stays read-only.
    if (toolboxRole) {
      const toolbox = {
        name: "toolbox",
        image: "${var.toolbox_image}",
        essential: true,
        command: ["sleep", String(TOOLBOX_LIFETIME_SECONDS)],
        readonlyRootFilesystem: false,
        privileged: false,
        environment: toolboxEnvironment(props),
        secrets: toolboxSecrets(props),
        linuxParameters: { initProcessEnabled: true },
        logConfiguration: appLogs("toolbox"),
      };
      named(
        new EcsTaskDefinition(this, "td_toolbox", {
          family: `${name}-toolbox`,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: "256",
          memory: "512",
          executionRoleArn: execRole.arn,
          taskRoleArn: toolboxRole.arn,
          runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: cfg.architecture },
          containerDefinitions: expr(`jsonencode(${hclExpression([toolbox])})`),
          tags: { Purpose: TOOLBOX_PURPOSE },
        }),
        "toolbox",
      );
    }

    // --- Outputs ----------------------------------------------------------------------------------------
    const hclMap = (m: Record<string, string>) => expr(hclExpression(m));
    this.output("ecs_cluster_name", cluster.name, "ECS cluster (seed 000: <project>-<env>).");
    this.output("ecs_cluster_arn", cluster.arn, "ECS cluster ARN.");
    this.output(
      "ecs_service_names",
      hclMap(Object.fromEntries(cfg.services.map((s) => [s.name, `\${aws_ecs_service.${tf(s.name)}.name}`]))),
      "Service names by service.",
    );
    this.output(
      "task_definition_families",
      hclMap(Object.fromEntries(Object.keys(families).map((k) => [k, `\${aws_ecs_task_definition.${tf(k)}.family}`]))),
      "Task definition families (rollback: <family>:<revision>).",
    );
    this.output(
      "ecr_repository_urls",
      hclMap(Object.fromEntries(cfg.images.map((i) => [i, repoUrl(i)]))),
      "ECR repository URLs by image.",
    );
    this.output("log_group_name", logGroup.name, "Log group of the containers (seed 000 §6: aws logs tail).");
    if (serviceLogs)
      this.output(
        "service_log_group_names",
        hclMap(
          Object.fromEntries(
            Object.keys(serviceLogs).map((k) => [k, `\${aws_cloudwatch_log_group.service_${tf(k)}.name}`]),
          ),
        ),
        "Log group of each service (aws logs tail /ecs/<name>-<service>).",
      );
    this.output("task_role_arn", taskRole.arn, "Role of the application tasks.");
    this.output("execution_role_arn", execRole.arn, "Execution role of the tasks.");
    if (ddSecret)
      this.output(
        "datadog_api_key_secret_arn",
        ddSecret.arn,
        'Datadog API key secret; put {"api_key": "<key>"} before the services run the agent.',
      );
    const runTask = (family: string, exec: boolean) =>
      runTaskCommand({ family: `aws_ecs_task_definition.${family}.family`, exec });
    if (cfg.migrations)
      this.output(
        "migrations_run_task_command",
        runTask("migrations", false),
        'aws ecs run-task line that starts the migrations task (TASK=$(eval "$(terraform output -raw migrations_run_task_command)")).',
      );
    if (toolboxRole) {
      this.output(
        "ecs_toolbox_run_task_command",
        runTask("toolbox", true),
        "aws ecs run-task line that starts the ECS Exec toolbox (seed 000 §8.1; it stops itself after an hour).",
      );
      this.output("toolbox_role_arn", toolboxRole.arn, "Role of the ECS Exec toolbox task.");
    }
    if (web.length > 0) {
      this.output(
        "alb_dns_name",
        "${aws_lb.this.dns_name}",
        "DNS name of the ALB (seed 000 §6: curl http://$ALB_DNS/health).",
      );
      this.output("alb_zone_id", "${aws_lb.this.zone_id}", "Route 53 zone of the ALB.");
      this.output("alb_arn", "${aws_lb.this.arn}", "ARN of the ALB.");
      this.output("alb_arn_suffix", "${aws_lb.this.arn_suffix}", "ARN suffix of the ALB (CloudWatch dimension).");
      this.output(
        "target_group_arns",
        hclMap(Object.fromEntries(web.map((s) => [s.name, `\${aws_lb_target_group.${tf(s.name)}.arn}`]))),
        "Target group ARNs by service (seed 000 §5.3: aws elbv2 describe-target-health).",
      );
      this.output(
        "target_group_arn_suffixes",
        hclMap(Object.fromEntries(web.map((s) => [s.name, `\${aws_lb_target_group.${tf(s.name)}.arn_suffix}`]))),
        "Target group ARN suffixes by service.",
      );
      this.output("https_enabled", https, "Whether the ALB has an HTTPS listener.");
      if (originVerify) {
        this.output(
          "origin_verify_header_value",
          "${terraform_data.origin_verify.output}",
          `Secret value CloudFront sends in ${ORIGIN_VERIFY_HEADER} (cdn module).`,
          true,
        );
      }
    }
  }
}
