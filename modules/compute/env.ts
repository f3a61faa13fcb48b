/**
 * What the app containers receive. Plain `environment` holds configuration only; credentials come
 * through `secrets` (ECS reads them from Secrets Manager by ARN at task start), never as values.
 */
import { Fn } from "cdktf";
import { bucketNames } from "../storage/config";
import type { ComputeSettings, ServiceSettings } from "./config";
import { mapEntry, type ComputeVars } from "./parts";

/** The module variables the containers' environment and secrets come from. */
export type EnvSources = Pick<
  ComputeVars,
  "region" | "accountId" | "db" | "redis" | "buckets" | "secretArns" | "appSettings" | "parameters"
> & {
  /** ENVIRONMENT: the workspace. */
  readonly environmentName: string;
};

type Pair = { name: string; value: string };
type SecretRef = { name: string; valueFrom: string };

/** `openai-api-key` → `OPENAI_API_KEY`. */
export function secretEnvName(secret: string): string {
  return secret.replace(/-/g, "_").toUpperCase();
}

/** Plain environment, sorted by name: the platform's variables (region, database, buckets, settings), Redis only when a cache exists. */
export function containerEnvironment(
  src: EnvSources,
  cfg: Pick<ComputeSettings, "appEnvironment" | "xray">,
  svc: Pick<ServiceSettings, "environment"> & { readonly parameters?: readonly ParameterRef[] },
): Pair[] {
  const settings = Object.entries(src.appSettings ?? {});
  const env: Record<string, string> = {
    ...cfg.appEnvironment,
    ENVIRONMENT: src.environmentName,
    AWS_REGION: src.region,
    ...Object.fromEntries(settings.map(([v, token]) => [v.toUpperCase(), Fn.tostring(token)])),
    ...(src.db ? { DB_HOST: src.db.address, DB_PORT: Fn.tostring(src.db.port), DB_NAME: src.db.name } : {}),
    ...Object.fromEntries(
      Object.entries(src.buckets).map(([key, b]) => [`${bucketNames(key).tf.toUpperCase()}_BUCKET`, b.name]),
    ),
    ...svc.environment,
  };
  if (src.redis) {
    env.REDIS_URL = src.redis.url;
    env.REDIS_HOST = src.redis.host;
    env.REDIS_PORT = Fn.tostring(src.redis.port);
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

/** The secret ARN of a database login (`var.db_app_secret_arn` or `var.db_master_secret_arn`). */
export function dbSecretArn(db: NonNullable<ComputeVars["db"]>, login: DbLogin): string {
  return login === "master" ? db.masterSecretArn : db.appSecretArn;
}

/** An application secret's ARN: `var.secret_arns.<name>`. */
export function appSecretArn(src: Pick<ComputeVars, "secretArns">, secret: string): string {
  return mapEntry(src.secretArns, secret);
}

/** Secrets by ARN: database credentials (JSON keys of the login's secret), Redis AUTH, app secrets. */
export function containerSecrets(
  src: Pick<EnvSources, "region" | "accountId" | "db" | "redis" | "secretArns" | "parameters">,
  svc: Pick<ServiceSettings, "secrets"> & { readonly parameters?: readonly ParameterRef[] },
  db: DbLogin = "app",
): SecretRef[] {
  const secrets: SecretRef[] = src.db
    ? [
        { name: "DB_USERNAME", valueFrom: `${dbSecretArn(src.db, db)}:username::` },
        { name: "DB_PASSWORD", valueFrom: `${dbSecretArn(src.db, db)}:password::` },
      ]
    : [];
  if (src.redis?.authSecretArn !== undefined)
    secrets.push({ name: "REDIS_AUTH_TOKEN", valueFrom: `${src.redis.authSecretArn}:token::` });
  for (const s of svc.secrets) secrets.push({ name: secretEnvName(s), valueFrom: appSecretArn(src, s) });
  for (const p of svc.parameters ?? [])
    secrets.push({ name: p.name, valueFrom: p.valueFrom ?? parameterArn(src, p.parameter) });
  return secrets;
}

/** A container variable from Parameter Store: its name and the parameter under the path (`DATABASE_URL`). */
export interface ParameterRef {
  readonly name: string;
  readonly parameter: string;
  /** The parameter's ARN as a token (the placeholder parameter's `arn`, or another module's), so the task definition waits for it. @default built from the path */
  readonly valueFrom?: string;
}

/** ARN of a parameter under the module's `parameter_path` (`/<project>/<workspace>/`); ECS reads it at task start. */
export function parameterArn(src: Pick<ComputeVars, "region" | "accountId" | "parameters">, parameter: string): string {
  if (!src.parameters) throw new Error(`compute: parameter ${parameter} without compute.parameterStore`);
  return `arn:aws:ssm:${src.region}:${src.accountId}:parameter${src.parameters.path}${parameter}`;
}

/** Every secret ARN a task of this module may read (for the execution role). The master secret is read by
 * migrations and db-bootstrap, the app secret by the services (and db-bootstrap, which sets that password). */
export function secretArnsOf(src: Pick<ComputeVars, "db" | "redis" | "secretArns">, cfg: ComputeSettings): string[] {
  const names = [...new Set([...cfg.services, ...cfg.tasks].flatMap((s) => s.secrets))];
  return [
    ...(src.db ? [src.db.appSecretArn, src.db.masterSecretArn] : []),
    ...(src.redis?.authSecretArn !== undefined ? [src.redis.authSecretArn] : []),
    ...names.map((n) => appSecretArn(src, n)),
  ];
}

/** The toolbox's environment: where Redis is (only when a cache exists); redis-cli reads nothing else. */
export function toolboxEnvironment(src: Pick<ComputeVars, "redis">): Pair[] {
  if (!src.redis) return [];
  return [
    { name: "REDIS_HOST", value: src.redis.host },
    { name: "REDIS_PORT", value: Fn.tostring(src.redis.port) },
  ];
}

/** The AUTH token as `REDISCLI_AUTH`, which redis-cli reads, so no password appears on a command line. */
export function toolboxSecrets(src: Pick<ComputeVars, "redis">): SecretRef[] {
  return src.redis?.authSecretArn !== undefined
    ? [{ name: "REDISCLI_AUTH", valueFrom: `${src.redis.authSecretArn}:token::` }]
    : [];
}

/** An awslogs configuration: the log group's name, the module's region, a stream prefix per container kind. */
export type LogConfiguration = { logDriver: string; options: Record<string, string> };

/** awslogs to a log group of the module (`/ecs/<name>` unless a service has its own), by stream prefix. */
export function awsLogs(groupName: string, region: string): (streamPrefix: string) => LogConfiguration {
  return (streamPrefix) => ({
    logDriver: "awslogs",
    options: { "awslogs-group": groupName, "awslogs-region": region, "awslogs-stream-prefix": streamPrefix },
  });
}
