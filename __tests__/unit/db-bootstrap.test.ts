/** The one-off db-bootstrap task (modules/compute/db-bootstrap.ts): what runs, with which credentials, and how it is started. */
import { DB_BOOTSTRAP_COMMAND, DB_BOOTSTRAP_SCRIPT, DB_BOOTSTRAP_SQL } from "../../modules/compute/db-bootstrap";
import { policyModel } from "../../tools/policy/model";
import { containerDefs, resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { synthWorkspace } from "../helpers/workspace-fixture";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const { stacks } = synthAll();
const compute = (ws = "production"): Json => stacks[ws].modules.compute;
const td = (ws = "production") => resource(compute(ws), "aws_ecs_task_definition", "db_bootstrap");
/** The container definition as Terraform will send it (its JSON-syntax local read by the policy gate's reader). */
const container = (ws = "production"): Json => {
  const r = policyModel(stacks[ws]).resources.find(
    (x) => x.address === "module.compute.aws_ecs_task_definition.db_bootstrap",
  );
  if (!r) throw new Error("no db_bootstrap task definition");
  const defs = JSON.parse(r.config.container_definitions as string) as Json[];
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
    expect(containerDefs(compute(), "db_bootstrap")[0].environment).toContainEqual({
      name: "PGPORT",
      value: "${tostring(var.db_port)}",
    });
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
    expect(containerDefs(compute(), "db_bootstrap")[0].logConfiguration.options["awslogs-group"]).toBe(
      "${aws_cloudwatch_log_group.app.name}",
    );
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

// Formerly db-bootstrap-sql.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the db-bootstrap script against PostgreSQL", () => {
  /**
   * The db-bootstrap script against a real PostgreSQL 15 server: the exact `sh -c` script of the task
   * definition, run the way the container runs it (environment variables only), against a server that
   * accepts TLS connections only (like rds.force_ssl = 1) and a master user that, like RDS's, is not a
   * superuser but has CREATEROLE and owns the database.
   *
   * Needs the PostgreSQL server binaries (initdb/pg_ctl, 15 or newer) and openssl; without them the
   * suite is skipped with one loud line saying so.
   */
  const MASTER = "eduautismo_admin";
  const MASTER_PASSWORD = "master-3f0c1a2e-5b7d-4c1e-9a8b-0d2c4e6f8a1b";
  const APP = "eduautismo_app";
  const DB = "eduautismo";

  function serverBinDir(): string | undefined {
    const candidates = [
      process.env.PG_BINDIR,
      ...(fs.existsSync("/usr/lib/postgresql")
        ? fs
            .readdirSync("/usr/lib/postgresql")
            .sort()
            .reverse()
            .map((v) => `/usr/lib/postgresql/${v}/bin`)
        : []),
    ];
    return candidates.find(
      (d): d is string => !!d && fs.existsSync(path.join(d, "initdb")) && fs.existsSync(path.join(d, "pg_ctl")),
    );
  }

  function unavailable(): string | undefined {
    const bin = serverBinDir();
    if (!bin) return "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or PG_BINDIR";
    const version = spawnSync(path.join(bin, "initdb"), ["--version"], { encoding: "utf8" }).stdout ?? "";
    if (Number(/\(PostgreSQL\) (\d+)/.exec(version)?.[1] ?? 0) < 15)
      return `initdb is older than 15 (${version.trim()}); \\getenv needs psql 15`;
    if (spawnSync("psql", ["--version"]).status !== 0) return "no psql on PATH";
    if (spawnSync("openssl", ["version"]).status !== 0) return "no openssl on PATH (the server must speak TLS)";
    return undefined;
  }

  const missing = unavailable();
  // CI installs the server (.ci/run); there a missing one is a failure, never a silent skip.
  if (missing && process.env.CI === "true")
    throw new Error(`CI=true but the db-bootstrap SQL test cannot run: ${missing}`);
  if (missing) console.warn(`SKIPPED db-bootstrap SQL against PostgreSQL: ${missing}`);
  const describeWithPostgres = missing ? describe.skip : describe;

  describeWithPostgres("db-bootstrap script against PostgreSQL (TLS only, RDS-like master)", () => {
    const bin = serverBinDir() as string;
    const asRoot = process.getuid?.() === 0;
    let dir = "";
    let port = 0;

    /** Runs a server binary as the postgres OS user when the tests run as root (initdb refuses root). */
    const server = (cmd: string, args: string[]) => {
      const full = path.join(bin, cmd);
      const r = asRoot
        ? spawnSync("runuser", ["-u", "postgres", "--", full, ...args], { encoding: "utf8" })
        : spawnSync(full, args, { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stdout}\n${r.stderr}`);
      return r;
    };

    const env = (user: string, password: string, extra: Record<string, string> = {}) => ({
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: dir,
      PGHOST: "127.0.0.1",
      PGPORT: String(port),
      PGDATABASE: DB,
      PGSSLMODE: "require",
      PGUSER: user,
      PGPASSWORD: password,
      ...extra,
    });

    /** psql as a given user; returns status and output. */
    const sql = (user: string, password: string, statement: string) => {
      const r = spawnSync("psql", ["--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-tA", "-c", statement], {
        env: env(user, password),
        encoding: "utf8",
      });
      return { code: r.status, out: `${r.stdout}${r.stderr}`.trim() };
    };

    /** The task's command, exactly as the container definition has it. */
    const bootstrap = (appPassword: string | undefined) => {
      const [shell, flag, script] = DB_BOOTSTRAP_COMMAND;
      const extra: Record<string, string> = {
        APP_DB_USERNAME: APP,
        ...(appPassword !== undefined ? { APP_DB_PASSWORD: appPassword } : {}),
      };
      const r = spawnSync(shell, [flag, script], { env: env(MASTER, MASTER_PASSWORD, extra), encoding: "utf8" });
      return { code: r.status, out: `${r.stdout}${r.stderr}` };
    };

    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-bootstrap-pg-"));
      fs.chmodSync(dir, 0o777);
      port = 20000 + Math.floor(Math.random() * 20000);
      const data = path.join(dir, "data");
      const pwfile = path.join(dir, "pw");
      fs.writeFileSync(pwfile, "superuser-password\n", { mode: 0o644 });
      server("initdb", ["-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--no-sync"]);
      // TLS only, like rds.force_ssl = 1: plaintext TCP is rejected.
      const r = spawnSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=localhost",
          "-keyout",
          path.join(data, "server.key"),
          "-out",
          path.join(data, "server.crt"),
        ],
        { encoding: "utf8" },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      fs.chmodSync(path.join(data, "server.key"), 0o600);
      if (asRoot) spawnSync("chown", ["postgres", path.join(data, "server.key"), path.join(data, "server.crt")]);
      fs.writeFileSync(
        path.join(data, "pg_hba.conf"),
        [
          "local all all scram-sha-256",
          "hostssl all all 127.0.0.1/32 scram-sha-256",
          "hostnossl all all 0.0.0.0/0 reject",
          "",
        ].join("\n"),
      );
      fs.appendFileSync(
        path.join(data, "postgresql.conf"),
        `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nssl = on\nfsync = off\n`,
      );
      server("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "start"]);
      // An RDS-like master: not a superuser, CREATEROLE, owner of the database (and so of schema public in 15).
      const admin = spawnSync(
        "psql",
        [
          "--no-psqlrc",
          "-v",
          "ON_ERROR_STOP=1",
          "-c",
          `CREATE ROLE ${MASTER} LOGIN CREATEROLE CREATEDB PASSWORD '${MASTER_PASSWORD}'`,
          "-c",
          `CREATE DATABASE ${DB} OWNER ${MASTER}`,
        ],
        {
          env: { ...env("postgres", "superuser-password"), PGDATABASE: "postgres" },
          encoding: "utf8",
        },
      );
      if (admin.status !== 0) throw new Error(admin.stderr);
      // A table migrations created before the bootstrap ran.
      expect(sql(MASTER, MASTER_PASSWORD, "CREATE TABLE students (id serial PRIMARY KEY, name text)").code).toBe(0);
    }, 60000);

    afterAll(() => {
      if (!dir) return;
      try {
        server("pg_ctl", ["-D", path.join(dir, "data"), "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test("the server refuses plaintext connections (the script must use TLS)", () => {
      const r = spawnSync("psql", ["--no-psqlrc", "-c", "SELECT 1"], {
        env: { ...env(MASTER, MASTER_PASSWORD), PGSSLMODE: "disable" },
        encoding: "utf8",
      });
      expect(r.status).not.toBe(0);
    });

    test("the first run creates the application user and exits 0", () => {
      const r = bootstrap("app-password-1");
      expect(r.out).toContain("db-bootstrap: done");
      expect(r.code).toBe(0);
      expect(sql(APP, "app-password-1", "SELECT current_user").out).toBe(APP);
    });

    test("the application user reads and writes existing tables and their sequences", () => {
      expect(sql(APP, "app-password-1", "INSERT INTO students (name) VALUES ('Ana') RETURNING id").code).toBe(0);
      expect(sql(APP, "app-password-1", "SELECT count(*) FROM students").out).toBe("1");
    });

    test("tables the master creates later are usable by the application user (default privileges)", () => {
      expect(sql(MASTER, MASTER_PASSWORD, "CREATE TABLE activities (id bigserial PRIMARY KEY, title text)").code).toBe(
        0,
      );
      expect(
        sql(
          APP,
          "app-password-1",
          "INSERT INTO activities (title) VALUES ('x'); UPDATE activities SET title = 'y'; DELETE FROM activities",
        ).code,
      ).toBe(0);
    });

    test("the application user cannot change the schema", () => {
      const r = sql(APP, "app-password-1", "CREATE TABLE evil (id int)");
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/permission denied for schema public/);
      expect(sql(APP, "app-password-1", "DROP TABLE students").out).toMatch(/must be owner/);
    });

    test("a second run is harmless and applies a new password (rotation)", () => {
      const r = bootstrap("app-password-2");
      expect(r.code).toBe(0);
      expect(sql(APP, "app-password-2", "SELECT count(*) FROM students").out).toBe("1");
      expect(sql(APP, "app-password-1", "SELECT 1").code).not.toBe(0);
    });

    test("a missing credential stops the script with a non-zero exit code before psql runs", () => {
      const r = bootstrap(undefined);
      expect(r.code).not.toBe(0);
      expect(r.out).toMatch(/APP_DB_PASSWORD/);
      expect(r.out).not.toContain("db-bootstrap: done");
    });

    test("the password never appears in the script's output", () => {
      expect(bootstrap("app-password-3").out).not.toContain("app-password-3");
    });
  });
});
