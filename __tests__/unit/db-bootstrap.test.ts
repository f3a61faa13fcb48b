/** The one-off db-bootstrap task (modules/compute/db-bootstrap.ts): what runs, with which credentials, and how it is started. */
import { DB_BOOTSTRAP_COMMAND, DB_BOOTSTRAP_SCRIPT, DB_BOOTSTRAP_SQL } from "../../modules/compute/db-bootstrap";
import { policyModel } from "../../tools/policy/model";
import { evaluated } from "../../tools/policy/values";
import { resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { synthWorkspace } from "../helpers/workspace-fixture";

const { stacks } = synthAll();
const compute = (ws = "production"): Json => stacks[ws].modules.compute;
const td = (ws = "production") => resource(compute(ws), "aws_ecs_task_definition", "db_bootstrap");
/** The container definition as Terraform will send it (jsonencode evaluated by the policy gate's reader). */
const container = (ws = "production"): Json => {
  const r = policyModel(stacks[ws]).resources.find(
    (x) => x.address === "module.compute.aws_ecs_task_definition.db_bootstrap",
  );
  if (!r) throw new Error("no db_bootstrap task definition");
  const defs = JSON.parse(evaluated(r, "container_definitions") as string) as Json[];
  expect(defs).toHaveLength(1);
  return defs[0];
};
const byName = (pairs: Json[]) => Object.fromEntries(pairs.map((p) => [p.name, p.value ?? p.valueFrom]));

describe("what the container runs", () => {
  test("the command is exactly the script in db-bootstrap.ts, run by sh -c", () => {
    expect(container().command).toEqual(["sh", "-c", DB_BOOTSTRAP_SCRIPT]);
    expect(DB_BOOTSTRAP_COMMAND).toEqual(["sh", "-c", DB_BOOTSTRAP_SCRIPT]);
  });

  test("the script feeds exactly the SQL to psql through a quoted here-document and stops at the first error", () => {
    expect(DB_BOOTSTRAP_SCRIPT).toContain(`psql --no-psqlrc --set=ON_ERROR_STOP=1 <<'SQL'\n${DB_BOOTSTRAP_SQL}\nSQL\n`);
    expect(DB_BOOTSTRAP_SCRIPT.startsWith("set -eu\n")).toBe(true);
  });

  test("no password is on a command line: psql reads it from the environment", () => {
    expect(DB_BOOTSTRAP_SQL).toContain("\\getenv app_password APP_DB_PASSWORD");
    expect(DB_BOOTSTRAP_SCRIPT).not.toMatch(/psql [^\n]*PASSWORD/);
    expect(DB_BOOTSTRAP_SCRIPT).not.toMatch(/echo [^\n]*PASSWORD/);
  });

  test("creates the role only when missing, then (re)sets its password: running it twice is harmless", () => {
    expect(DB_BOOTSTRAP_SQL).toContain(
      "SELECT format('CREATE ROLE %I LOGIN', :'app_user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \\gexec",
    );
    expect(DB_BOOTSTRAP_SQL).toContain("ALTER ROLE :\"app_user\" WITH LOGIN PASSWORD :'app_password';");
  });

  test("grants CONNECT, USAGE on public, DML on tables and sequences, and the same on what master creates later", () => {
    for (const line of [
      'GRANT CONNECT ON DATABASE :"db_name" TO :"app_user";',
      'GRANT USAGE ON SCHEMA public TO :"app_user";',
      'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_user";',
      'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"app_user";',
      'ALTER DEFAULT PRIVILEGES FOR ROLE :"master_user" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";',
      'ALTER DEFAULT PRIVILEGES FOR ROLE :"master_user" IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app_user";',
    ]) {
      expect(DB_BOOTSTRAP_SQL.split("\n")).toContain(line);
    }
  });

  test("the application user gets no DDL: no CREATE, no ownership, no superuser attributes", () => {
    expect(DB_BOOTSTRAP_SQL).not.toMatch(
      /GRANT [^;]*CREATE ON SCHEMA|GRANT ALL|OWNER TO|SUPERUSER|CREATEDB|CREATEROLE/,
    );
  });

  test("nothing in the script is a Terraform template sequence (it reaches the container verbatim)", () => {
    expect(DB_BOOTSTRAP_SCRIPT).not.toMatch(/\$\{|%\{/);
  });
});

describe("credentials and connection", () => {
  // Resolved through the root's module blocks: the ARNs are the database module's two secrets.
  test("logs in as master from the master secret and reads the app user's secret", () => {
    expect(byName(container().secrets)).toEqual({
      PGUSER: "${aws_secretsmanager_secret.db_master.arn}:username::",
      PGPASSWORD: "${aws_secretsmanager_secret.db_master.arn}:password::",
      APP_DB_USERNAME: "${aws_secretsmanager_secret.db_app.arn}:username::",
      APP_DB_PASSWORD: "${aws_secretsmanager_secret.db_app.arn}:password::",
    });
  });

  test("connects to the primary over TLS (sslmode=require; the parameter group forces TLS)", () => {
    expect(byName(container().environment)).toMatchObject({
      PGSSLMODE: "require",
      PGHOST: "${aws_db_instance.postgres.address}",
      PGDATABASE: "eduautismo",
      HOME: "/tmp",
    });
    expect(td().container_definitions).toContain('{"name" = "PGPORT", "value" = tostring(var.db_port)}');
  });

  test("the root passes the database's two secrets and address to compute", () => {
    expect(stacks.production.root.module.compute).toMatchObject({
      db_master_secret_arn: "${module.database.db_master_user_secret_arn}",
      db_app_secret_arn: "${module.database.db_app_secret_arn}",
      db_address: "${module.database.db_address}",
    });
  });
});

describe("container and task", () => {
  test("runs the engine major's official postgres image from public ECR by default", () => {
    const dev = synthWorkspace("dev", (e) => {
      e.database.engineVersion = "16";
      delete e.database.bootstrapImage;
    });
    expect(dev.root.module.compute.db_bootstrap_image).toBe("public.ecr.aws/docker/library/postgres:16-alpine");
    expect(container().image).toBe(stacks.production.root.module.compute.db_bootstrap_image);
  });

  test("database.bootstrapImage overrides the image", () => {
    const staging = synthWorkspace(
      "staging",
      (e) => (e.database.bootstrapImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/postgres:15-alpine"),
    );
    expect(staging.root.module.compute.db_bootstrap_image).toBe(
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/postgres:15-alpine",
    );
  });

  test("read-only root filesystem with a writable /tmp volume, not privileged, not root", () => {
    expect(container()).toMatchObject({
      readonlyRootFilesystem: true,
      privileged: false,
      user: "postgres",
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
    });
    expect(td().volume).toEqual([{ name: "tmp" }]);
  });

  test("logs to the app log group under the db-bootstrap stream prefix", () => {
    expect(container().logConfiguration).toMatchObject({
      logDriver: "awslogs",
      options: { "awslogs-stream-prefix": "db-bootstrap", "awslogs-region": "us-east-1" },
    });
    expect(td().container_definitions).toContain('"awslogs-group" = aws_cloudwatch_log_group.app.name');
  });

  test("is the family <name>-db-bootstrap on Fargate, with the execution role and no task role", () => {
    expect(td()).toMatchObject({
      family: "${var.name}-db-bootstrap",
      requires_compatibilities: ["FARGATE"],
      network_mode: "awsvpc",
      execution_role_arn: "${aws_iam_role.execution.arn}",
    });
    expect(td().task_role_arn).toBeUndefined();
  });

  test("is never attached to a service", () => {
    for (const svc of Object.values(resourcesOf(compute(), "aws_ecs_service")))
      expect(svc.task_definition).not.toContain("db_bootstrap");
  });

  test("exists in every workspace", () => {
    for (const ws of Object.keys(stacks)) expect(td(ws).family).toBe("${var.name}-db-bootstrap");
  });
});

describe("starting it", () => {
  test("db_bootstrap_run_task_command is the agreed one-line aws ecs run-task (private subnets, app group, no public IP)", () => {
    expect(compute().output.db_bootstrap_run_task_command.value).toBe(
      "aws ecs run-task --cluster ${aws_ecs_cluster.this.name} --task-definition ${aws_ecs_task_definition.db_bootstrap.family} --launch-type FARGATE " +
        "--network-configuration 'awsvpcConfiguration={subnets=[${join(\",\", var.private_subnet_ids)}],securityGroups=[${var.app_security_group_id}],assignPublicIp=DISABLED}' " +
        "--query 'tasks[0].taskArn' --output text",
    );
  });

  test("the root exports it as db_bootstrap_run_task_command", () => {
    expect(stacks.production.root.output.db_bootstrap_run_task_command.value).toBe(
      "${module.compute.db_bootstrap_run_task_command}",
    );
  });

  test("task_definition_families lists db-bootstrap", () => {
    expect(compute().output.task_definition_families.value).toContain(
      '"db-bootstrap" = aws_ecs_task_definition.db_bootstrap.family',
    );
  });
});
