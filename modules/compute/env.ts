/**
 * What the app containers receive. Plain `environment` holds configuration only; credentials come
 * through `secrets` (ECS reads them from Secrets Manager by ARN at task start), never as values.
 */
import type { ComputeConfig, ServiceConfig } from "./config";

export interface RedisInputs {
  readonly url: string;
  readonly host: string;
  readonly port: unknown;
  /** The AUTH secret's ARN; omit when AUTH is off. */
  readonly authSecretArn?: string;
}

interface EnvSources {
  readonly redis?: RedisInputs;
  /** The database's inputs; absent without a database (no DB_* variables or credentials). */
  readonly db?: unknown;
  readonly environmentName: string;
  /** Module inputs that are app settings: `bncc_cache_ttl` → `BNCC_CACHE_TTL`. @default none */
  readonly settings?: readonly string[];
  /** Terraform names of the buckets: `ml_models` → `ML_MODELS_BUCKET` = `var.ml_models_bucket_name`. @default none */
  readonly bucketVariables?: readonly string[];
}

type Pair = { name: string; value: string };
type SecretRef = { name: string; valueFrom: string };

/** `openai-api-key` → `OPENAI_API_KEY`. */
export function secretEnvName(secret: string): string {
  return secret.replace(/-/g, "_").toUpperCase();
}

/** Plain environment, sorted by name: the platform's variables (region, database, buckets, settings), Redis only when a cache exists. */
export function containerEnvironment(
  src: EnvSources,
  cfg: ComputeConfig,
  svc: Pick<ServiceConfig, "environment"> & { readonly parameters?: readonly ParameterRef[] },
): Pair[] {
  const env: Record<string, string> = {
    ...cfg.appEnvironment,
    ENVIRONMENT: src.environmentName,
    AWS_REGION: "${var.region}",
    ...Object.fromEntries((src.settings ?? []).map((v) => [v.toUpperCase(), `\${tostring(var.${v})}`])),
    ...(src.db ? { DB_HOST: "${var.db_address}", DB_PORT: "${tostring(var.db_port)}", DB_NAME: "${var.db_name}" } : {}),
    ...Object.fromEntries(
      (src.bucketVariables ?? []).map((b) => [`${b.toUpperCase()}_BUCKET`, `\${var.${b}_bucket_name}`]),
    ),
    ...svc.environment,
  };
  if (src.redis) {
    env.REDIS_URL = "${var.redis_url}";
    env.REDIS_HOST = "${var.redis_host}";
    env.REDIS_PORT = "${tostring(var.redis_port)}";
  }
  if (cfg.xray) env.AWS_XRAY_DAEMON_ADDRESS = "127.0.0.1:2000";
  // A variable the task gets from Parameter Store (REDIS_URL with its token) is not also a plain one.
  for (const p of svc.parameters ?? []) delete env[p.name];
  return Object.entries(env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

/**
 * Which database login a task gets: `app` (the application user, `<prefix>/db-app`) for services
 * and workers, `master` (`<prefix>/db-master`) only for the migrations task, which owns the schema.
 */
export type DbLogin = "app" | "master";

/** Module variable holding the secret ARN of each database login. */
export const DB_SECRET_VARIABLE: Record<DbLogin, string> = { app: "db_app_secret_arn", master: "db_master_secret_arn" };

/** Secrets by ARN: database credentials (JSON keys of the login's secret), Redis AUTH, app secrets. */
export function containerSecrets(
  src: EnvSources,
  svc: Pick<ServiceConfig, "secrets"> & { readonly parameters?: readonly ParameterRef[] },
  db: DbLogin = "app",
): SecretRef[] {
  const arn = `\${var.${DB_SECRET_VARIABLE[db]}}`;
  const secrets: SecretRef[] = src.db
    ? [
        { name: "DB_USERNAME", valueFrom: `${arn}:username::` },
        { name: "DB_PASSWORD", valueFrom: `${arn}:password::` },
      ]
    : [];
  if (src.redis?.authSecretArn !== undefined)
    secrets.push({ name: "REDIS_AUTH_TOKEN", valueFrom: "${var.redis_auth_secret_arn}:token::" });
  for (const s of svc.secrets) secrets.push({ name: secretEnvName(s), valueFrom: `\${var.secret_arns.${s}}` });
  for (const p of svc.parameters ?? [])
    secrets.push({ name: p.name, valueFrom: p.valueFrom ?? parameterArn(p.parameter) });
  return secrets;
}

/** A container variable from Parameter Store: its name and the parameter under the path (`DATABASE_URL`). */
export interface ParameterRef {
  readonly name: string;
  readonly parameter: string;
  /** The parameter's ARN as a reference (`${aws_ssm_parameter.x.arn}`), so the task definition waits for it. @default built from the path */
  readonly valueFrom?: string;
}

/** ARN of a parameter under the module's `parameter_path` (`/<project>/<workspace>/`); ECS reads it at task start. */
export function parameterArn(parameter: string): string {
  return `arn:aws:ssm:\${var.region}:\${var.account_id}:parameter\${var.parameter_path}${parameter}`;
}

/** Every secret ARN a task of this module may read (for the execution role). Secret names are
 * HCL identifiers (lowercase, digits, dashes), so `var.secret_arns.<name>` needs no quotes inside
 * JSON policy strings. The master secret is read by migrations and db-bootstrap, the app secret by
 * the services (and db-bootstrap, which sets that password). */
export function secretArnsOf(src: EnvSources, cfg: ComputeConfig): string[] {
  const names = [...new Set([...cfg.services, ...cfg.tasks].flatMap((s) => s.secrets))];
  return [
    ...(src.db ? ["${var.db_app_secret_arn}", "${var.db_master_secret_arn}"] : []),
    ...(src.redis?.authSecretArn !== undefined ? ["${var.redis_auth_secret_arn}"] : []),
    ...names.map((n) => `\${var.secret_arns.${n}}`),
  ];
}

/** The toolbox's environment: where Redis is (only when a cache exists); redis-cli reads nothing else. */
export function toolboxEnvironment(src: EnvSources): Pair[] {
  if (!src.redis) return [];
  return [
    { name: "REDIS_HOST", value: "${var.redis_host}" },
    { name: "REDIS_PORT", value: "${tostring(var.redis_port)}" },
  ];
}

/** The AUTH token as `REDISCLI_AUTH`, which redis-cli reads, so no password appears on a command line. */
export function toolboxSecrets(src: EnvSources): SecretRef[] {
  return src.redis?.authSecretArn !== undefined
    ? [{ name: "REDISCLI_AUTH", valueFrom: "${var.redis_auth_secret_arn}:token::" }]
    : [];
}

/** awslogs to the module's log group `/ecs/<name>`, one stream prefix per container kind. */
export function appLogs(streamPrefix: string, group = "app"): { logDriver: string; options: Record<string, string> } {
  return {
    logDriver: "awslogs",
    options: {
      "awslogs-group": `\${aws_cloudwatch_log_group.${group}.name}`,
      "awslogs-region": "${var.region}",
      "awslogs-stream-prefix": streamPrefix,
    },
  };
}
