/**
 * The db-bootstrap script against a real PostgreSQL 15 server: the exact `sh -c` script of the task
 * definition, run the way the container runs it (environment variables only), against a server that
 * accepts TLS connections only (like rds.force_ssl = 1) and a master user that, like RDS's, is not a
 * superuser but has CREATEROLE and owns the database.
 *
 * Needs the PostgreSQL server binaries (initdb/pg_ctl, 15 or newer) and openssl; without them the
 * suite is skipped with one loud line saying so.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DB_BOOTSTRAP_COMMAND } from "../../modules/compute/db-bootstrap";

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
    expect(sql(MASTER, MASTER_PASSWORD, "CREATE TABLE activities (id bigserial PRIMARY KEY, title text)").code).toBe(0);
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
