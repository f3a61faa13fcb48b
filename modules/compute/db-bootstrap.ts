/**
 * The one-off db-bootstrap task: logs in as the master user (secret `<prefix>/db-master`) and
 * creates or updates the application user from `<prefix>/db-app`, with the privileges the app
 * needs and nothing more (no CREATE: the schema belongs to the migrations task, which runs as
 * master). Idempotent: run it at the first deploy and again after the app password's version rises.
 *
 * The container is the official PostgreSQL image of the engine's major version (public ECR), so
 * psql speaks the server's protocol and has `\getenv` (psql 15+). It runs as the image's `postgres`
 * user with a read-only root filesystem; passwords reach it only as ECS secrets, and psql reads
 * them from the environment, never from the command line.
 */
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import type { Construct } from "constructs";
import { Fn } from "cdktf";
import { named } from "../../lib/core/module-stack";
import { DB_BOOTSTRAP } from "./config";
import type { LogConfiguration } from "./env";
import { containerDefinitions, type DbVars } from "./parts";

/**
 * The SQL the task runs, as psql reads it from stdin. psql variables quote identifiers (`:"x"`)
 * and literals (`:'x'`), so odd user names or passwords cannot break out of a statement.
 */
export const DB_BOOTSTRAP_SQL = [
  "\\getenv app_user APP_DB_USERNAME",
  "\\getenv app_password APP_DB_PASSWORD",
  "\\getenv master_user PGUSER",
  "\\getenv db_name PGDATABASE",
  "SELECT format('CREATE ROLE %I LOGIN', :'app_user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \\gexec",
  "ALTER ROLE :\"app_user\" WITH LOGIN PASSWORD :'app_password';",
  'GRANT CONNECT ON DATABASE :"db_name" TO :"app_user";',
  'GRANT USAGE ON SCHEMA public TO :"app_user";',
  'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_user";',
  'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app_user";',
  'ALTER DEFAULT PRIVILEGES FOR ROLE :"master_user" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";',
  'ALTER DEFAULT PRIVILEGES FOR ROLE :"master_user" IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app_user";',
].join("\n");

/**
 * The shell script the container runs (`sh -c`): checks that every credential arrived, then feeds
 * the SQL to psql through a quoted here-document (no expansion; busybox sh passes it through a
 * pipe, so the read-only root filesystem is no obstacle). Exit code 0 means the role is in place.
 */
export const DB_BOOTSTRAP_SCRIPT = [
  "set -eu",
  ': "$PGUSER" "$PGPASSWORD" "$APP_DB_USERNAME" "$APP_DB_PASSWORD"',
  'echo "db-bootstrap: role $APP_DB_USERNAME on $PGHOST:$PGPORT/$PGDATABASE (sslmode=$PGSSLMODE) as $PGUSER"',
  "psql --no-psqlrc --set=ON_ERROR_STOP=1 <<'SQL'",
  DB_BOOTSTRAP_SQL,
  "SQL",
  'echo "db-bootstrap: done"',
].join("\n");

/** The container's command: exactly the script above. */
export const DB_BOOTSTRAP_COMMAND = ["sh", "-c", DB_BOOTSTRAP_SCRIPT];

export interface DbBootstrapProps {
  /** Name prefix: family `<name>-db-bootstrap`. */
  readonly name: string;
  readonly executionRoleArn: string;
  /** X86_64 or ARM64 (the postgres images are multi-arch). */
  readonly architecture: string;
  /** The database's inputs (endpoint, the two logins' secrets, the client image). */
  readonly db: DbVars;
  /** awslogs to the module's `/ecs/<name>`, by stream prefix. */
  readonly logs: (streamPrefix: string) => LogConfiguration;
}

/**
 * `aws_ecs_task_definition.db_bootstrap`: never attached to a service. No task role: the script
 * calls no AWS API; the execution role fetches its two secrets.
 */
export function dbBootstrapTask(scope: Construct, props: DbBootstrapProps): EcsTaskDefinition {
  const { db } = props;
  const master = db.masterSecretArn;
  const app = db.appSecretArn;
  const container = {
    name: DB_BOOTSTRAP,
    image: db.bootstrapImage,
    essential: true,
    user: "postgres",
    command: DB_BOOTSTRAP_COMMAND,
    readonlyRootFilesystem: true,
    privileged: false,
    environment: [
      { name: "HOME", value: "/tmp" },
      { name: "PGAPPNAME", value: DB_BOOTSTRAP },
      { name: "PGCONNECT_TIMEOUT", value: "15" },
      { name: "PGDATABASE", value: db.name },
      { name: "PGHOST", value: db.address },
      { name: "PGPORT", value: Fn.tostring(db.port) },
      // The parameter group sets rds.force_ssl = 1: a plaintext login is refused anyway.
      { name: "PGSSLMODE", value: "require" },
    ],
    secrets: [
      { name: "PGUSER", valueFrom: `${master}:username::` },
      { name: "PGPASSWORD", valueFrom: `${master}:password::` },
      { name: "APP_DB_USERNAME", valueFrom: `${app}:username::` },
      { name: "APP_DB_PASSWORD", valueFrom: `${app}:password::` },
    ],
    mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
    logConfiguration: props.logs(DB_BOOTSTRAP),
  };
  return named(
    new EcsTaskDefinition(scope, "td_db_bootstrap", {
      family: `${props.name}-${DB_BOOTSTRAP}`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "256",
      memory: "512",
      executionRoleArn: props.executionRoleArn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.architecture },
      volume: [{ name: "tmp" }],
      containerDefinitions: containerDefinitions(scope, "db_bootstrap", [container]),
      tags: { Purpose: "db-bootstrap" },
    }),
    "db_bootstrap",
  );
}
