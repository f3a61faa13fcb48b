import { DATABASE_KNOBS } from "../../modules/database/config";
import { EDUAUTISMO, loadEnvironments, PRODUCTS } from "../../environments";
import { problems } from "../helpers/config";
import { synthWorkspace } from "../helpers/workspace-fixture";
import { productStacks, resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { knobProblems } from "../../lib/core/knobs";

const { stacks } = synthAll();
const replica = (ws = "production") => resource(db(ws), "aws_db_instance", "replica");
const secretKeys = (name: string) => {
  const body = resource(db("production"), "aws_secretsmanager_secret_version", name).secret_string as string;
  return [...body.matchAll(/"(\w+)" = /g)].map((m) => m[1]);
};
const tfvar = (ws: string, name: string) =>
  (new RegExp(`\\n${name} = ([^\\n]+)\\n`).exec(stacks[ws].tfvars) as RegExpExecArray)[1];
const db = (ws: string): Json => stacks[ws].modules.database;
const primary = (ws = "production") => resource(db(ws), "aws_db_instance", "postgres");
const param = (ws: string, name: string) =>
  resource(db(ws), "aws_db_parameter_group", "postgres").parameter.find((p: Json) => p.name === name);

describe("engine and parameters (seed 001)", () => {
  test("names a PostgreSQL major version only, with automatic minor upgrades (a pinned minor such as 15.4 is retired on RDS)", () => {
    expect(primary()).toMatchObject({
      engine: "postgres",
      engine_version: "${var.engine_version}",
      auto_minor_version_upgrade: true,
    });
    for (const ws of Object.keys(stacks)) {
      const call = stacks[ws].root.module.database;
      if (call) expect(call.engine_version).toMatch(/^\d+$/);
    }
    expect(resource(db("production"), "aws_db_parameter_group", "postgres").family).toBe(
      "postgres${var.engine_version}",
    );
  });

  test("preloads pg_stat_statements, applied at the next reboot", () => {
    expect(param("production", "shared_preload_libraries")).toEqual({
      name: "shared_preload_libraries",
      value: "pg_stat_statements",
      apply_method: "pending-reboot",
    });
  });

  test("max_connections is 200 in dev and 500 in production", () => {
    expect(param("dev", "max_connections").value).toBe("200");
    expect(param("production", "max_connections").value).toBe("500");
  });

  test("work_mem is 16MB, written in the kB RDS expects", () => {
    expect(param("production", "work_mem").value).toBe("16384");
  });

  test("effective_cache_size is 4GB in production, written in 8kB pages", () => {
    expect(param("production", "effective_cache_size").value).toBe("524288");
    expect(param("dev", "effective_cache_size")).toBeUndefined();
  });

  test("forces TLS for every connection", () => {
    expect(param("dev", "rds.force_ssl").value).toBe("1");
  });

  test("the parameter group has a name prefix, not a fixed name, so create_before_destroy can replace it", () => {
    const group = resource(db("production"), "aws_db_parameter_group", "postgres");
    expect(group).toMatchObject({
      name_prefix: "${var.name}-postgres${var.engine_version}-",
      lifecycle: { create_before_destroy: true },
    });
    expect(group.name).toBeUndefined();
    expect(primary().parameter_group_name).toBe("${aws_db_parameter_group.postgres.name}");
  });
});

describe("security defaults", () => {
  test("storage is gp3, encrypted with the data key, with an autoscaling ceiling", () => {
    expect(primary()).toMatchObject({
      storage_type: "gp3",
      storage_encrypted: true,
      kms_key_id: "${var.data_kms_key_arn}",
    });
    expect(primary().max_allocated_storage).toBe(
      "${coalesce(var.max_allocated_storage, (var.db_allocated_storage * 4))}",
    );
  });

  test("the master password is Terraform's, handed to RDS write-only, never managed by RDS", () => {
    expect(primary()).toMatchObject({
      password_wo: "${terraform_data.master_password.output}",
      password_wo_version: "${var.master_password_version}",
    });
    expect(primary().manage_master_user_password).toBeUndefined();
    expect(primary().master_user_secret_kms_key_id).toBeUndefined();
    expect(primary().password).toBeUndefined();
  });

  test("each password is a uuid() made once (ignore_changes) and made anew only when its version rises", () => {
    expect(resourcesOf(db("production"), "terraform_data")).toEqual({
      master_password: {
        input: "${uuid()}",
        triggers_replace: "${var.master_password_version}",
        lifecycle: { ignore_changes: ["input"] },
      },
      app_password: {
        input: "${uuid()}",
        triggers_replace: "${var.app_password_version}",
        lifecycle: { ignore_changes: ["input"] },
      },
    });
  });

  test("raising a password version in the environment file reaches the module (rotation)", () => {
    const call = synthWorkspace("production", (e) =>
      Object.assign(e.database, { masterPasswordVersion: 2, appPasswordVersion: 3 }),
    ).root.module.database;
    expect([call.master_password_version, call.app_password_version]).toEqual([2, 3]);
  });

  test("a password version below 1 is refused", () => {
    expect(problems("production", (e) => (e.database.masterPasswordVersion = 0)).join("\n")).toMatch(
      /^production\.database\.masterPasswordVersion: /m,
    );
    expect(problems("dev", (e) => (e.database.appPasswordVersion = 1.5)).join("\n")).toMatch(
      /^dev\.database\.appPasswordVersion: /m,
    );
  });

  test("the master secret is <prefix>/db-master under the data key, with username, password, host, port, dbname, engine", () => {
    expect(resource(db("production"), "aws_secretsmanager_secret", "db_master")).toMatchObject({
      name: "${var.secret_prefix}/db-master",
      kms_key_id: "${var.data_kms_key_arn}",
    });
    expect(secretKeys("db_master")).toEqual(["username", "password", "host", "port", "dbname", "engine"]);
    expect(resource(db("production"), "aws_secretsmanager_secret_version", "db_master").secret_string).toContain(
      '"password" = terraform_data.master_password.output',
    );
    expect(stacks.production.root.module.database.secret_prefix).toBe("eduautismo-ia/${var.environment}");
  });

  test("the application user's secret is <prefix>/db-app under the data key, with its own password", () => {
    expect(resource(db("production"), "aws_secretsmanager_secret", "db_app")).toMatchObject({
      name: "${var.secret_prefix}/db-app",
      kms_key_id: "${var.data_kms_key_arn}",
    });
    expect(secretKeys("db_app")).toEqual(["username", "password", "host", "port", "dbname", "engine", "masterarn"]);
    expect(resource(db("production"), "aws_secretsmanager_secret_version", "db_app").secret_string).toContain(
      '"username" = var.app_username, "password" = terraform_data.app_password.output',
    );
    expect(stacks.production.root.module.database.app_username).toBe("eduautismo_app");
  });

  test("the database secrets keep the workspace's recovery window", () => {
    for (const env of loadEnvironments())
      expect([env.workspace, stacks[env.workspace].root.module.database.secret_recovery_window_days]).toEqual([
        env.workspace,
        env.security.secrets.recoveryWindowDays,
      ]);
    expect(resource(db("dev"), "aws_secretsmanager_secret", "db_app").recovery_window_in_days).toBe(
      "${var.secret_recovery_window_days}",
    );
  });

  test("is never publicly accessible, uses IAM auth and the current CA", () => {
    expect(primary()).toMatchObject({
      publicly_accessible: false,
      iam_database_authentication_enabled: true,
      ca_cert_identifier: "rds-ca-rsa2048-g1",
      copy_tags_to_snapshot: true,
    });
  });

  test("sits in the database subnets and admits 5432 only from the app group and the rotation function", () => {
    expect(stacks.production.root.module.database.subnet_ids).toBe("${module.network.database_subnet_ids}");
    expect(Object.values(resourcesOf(db("production"), "aws_vpc_security_group_ingress_rule"))).toEqual([
      expect.objectContaining({
        referenced_security_group_id: "${var.app_security_group_id}",
        from_port: 5432,
        to_port: 5432,
      }),
      expect.objectContaining({
        referenced_security_group_id: "${aws_security_group.rotation.id}",
        from_port: 5432,
        to_port: 5432,
      }),
    ]);
  });

  test("Performance Insights (7 days, data key) and Enhanced Monitoring are on", () => {
    expect(primary()).toMatchObject({
      performance_insights_enabled: "${var.performance_insights_enabled}",
      performance_insights_retention_period: "${var.performance_insights_enabled ? 7 : null}",
      monitoring_interval: "${var.monitoring_interval}",
    });
    expect(resource(db("production"), "aws_iam_role_policy_attachment", "rds_monitoring").policy_arn).toBe(
      "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
  });

  test("exports postgresql and upgrade logs to KMS-encrypted groups with retention", () => {
    expect(primary().enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
    expect(resource(db("production"), "aws_cloudwatch_log_group", "postgres")).toMatchObject({
      name: "/aws/rds/instance/${var.name}-postgres/${each.key}",
      kms_key_id: "${var.logs_kms_key_arn}",
    });
  });
});

describe("production safety", () => {
  test("production cannot be destroyed by Terraform (prevent_destroy) nor through the API (deletion protection)", () => {
    expect(primary("production").lifecycle).toEqual({ prevent_destroy: true });
    expect(stacks.production.root.module.database.deletion_protection).toBe(true);
  });

  test("the final snapshot has a deterministic name; dev may skip it", () => {
    // The operator may name it (db_final_snapshot_identifier, D199); left empty, the name is <identifier>-final.
    expect(primary().final_snapshot_identifier).toBe(
      '${coalesce(var.db_final_snapshot_identifier, "${var.name}-postgres-final")}',
    );
    expect(stacks.dev.root.module.database.final_snapshot).toBe(false);
    expect(stacks.production.root.module.database.final_snapshot).toBe(true);
  });

  test("dev can be torn down: no prevent_destroy, no deletion protection", () => {
    expect(primary("dev").lifecycle).toEqual({ prevent_destroy: false });
    expect(stacks.dev.root.module.database.deletion_protection).toBe(false);
  });
});

describe("backups", () => {
  test("more than 35 days is refused (the RDS maximum)", () => {
    expect(problems("production", (e) => (e.database.backupRetentionDays = 36))).toContain(
      "production.database.backupRetentionDays: backup retention must be 0 to 35 days, got 36",
    );
  });
});

describe("db_apply_immediately (seed 000 §8.4 incidents)", () => {
  test("is a declared database knob, false in every workspace's tfvars", () => {
    expect(DATABASE_KNOBS.knobs.db_apply_immediately).toMatchObject({ type: "bool", field: "applyImmediately" });
    expect(["dev", "staging", "production"].map((ws) => tfvar(ws, "db_apply_immediately"))).toEqual([
      "false",
      "false",
      "false",
    ]);
    expect(stacks.production.root.variable.db_apply_immediately.description).toMatch(
      /instead of in the weekly maintenance window/,
    );
  });

  test("feeds apply_immediately of the primary and of every replica", () => {
    expect(stacks.production.root.module.database.db_apply_immediately).toBe("${var.db_apply_immediately}");
    expect(primary().apply_immediately).toBe("${var.db_apply_immediately}");
    expect(replica().apply_immediately).toBe("${var.db_apply_immediately}");
  });

  test("a non-boolean database.applyImmediately is refused", () => {
    expect(problems("staging", (e) => (e.database.applyImmediately = "yes")).join("\n")).toMatch(
      /^staging\.database\.applyImmediately: /m,
    );
  });
});

describe("read replicas", () => {
  test("replicate the primary with the same encryption and no public access", () => {
    expect(resource(db("production"), "aws_db_instance", "replica")).toMatchObject({
      replicate_source_db: "${aws_db_instance.postgres.identifier}",
      count: "${var.db_replica_count}",
      storage_encrypted: true,
      publicly_accessible: false,
    });
  });

  test("never manage a password: RDS cannot replicate a source whose master password Secrets Manager manages", () => {
    for (const attr of ["manage_master_user_password", "password", "password_wo", "password_wo_version", "username"])
      expect(replica()[attr]).toBeUndefined();
  });
});

test("the root exports rds_endpoint (seed 000 §6), the master secret ARN (now our secret) and the app secret ARN", () => {
  expect(stacks.dev.root.output).toMatchObject({
    rds_endpoint: { value: "${module.database.rds_endpoint}" },
    db_master_user_secret_arn: { value: "${module.database.db_master_user_secret_arn}" },
    db_app_secret_arn: { value: "${module.database.db_app_secret_arn}" },
  });
  expect(stacks.dev.root.output.db_master_user_secret_arn.description).not.toMatch(/managed by RDS/);
  expect(db("dev").output.db_master_user_secret_arn.value).toBe("${aws_secretsmanager_secret.db_master.arn}");
  expect(db("dev").output.db_app_secret_arn.value).toBe("${aws_secretsmanager_secret.db_app.arn}");
});

describe("rotation of the application password (D170)", () => {
  // Every workspace of every product whose db-app secret carries no waiver: the rotation must be wired.
  const rotating = PRODUCTS.filter((p) => p !== EDUAUTISMO)
    .flatMap((p) => Object.values(productStacks(p).stacks))
    .concat(Object.values(stacks))
    .filter(
      (s) =>
        s.modules.database && !resource(s.modules.database, "aws_secretsmanager_secret", "db_app").tags?.RotationWaiver,
    );
  const rotationOf = (s: { modules: Record<string, Json> }) =>
    resourcesOf(s.modules.database, "aws_secretsmanager_secret_rotation").db_app;
  const stackOf = (s: { modules: Record<string, Json> }) =>
    resource(s.modules.database, "aws_serverlessapplicationrepository_cloudformation_stack", "db_app_rotation");

  test("the checks below look at real workspaces (with none they could not fail)", () => {
    expect(rotating.length).toBeGreaterThan(0);
  });

  test("running tasks keep working: the function is AWS's alternating-users template, not single-user", () => {
    for (const s of rotating)
      expect(stackOf(s).application_id).toMatch(/:applications\/SecretsManagerRDSPostgreSQLRotationMultiUser$/);
  });

  test("the function runs in the private subnets (route to the NAT or endpoint) with a group the database admits on 5432", () => {
    for (const s of rotating) {
      const p = stackOf(s).parameters;
      expect(p.vpcSubnetIds).toBe('${join(",", var.rotation_subnet_ids)}');
      expect(s.root.module.database.rotation_subnet_ids).toBe("${module.network.private_subnet_ids}");
      expect(p.vpcSecurityGroupIds).toBe("${aws_security_group.rotation.id}");
      const admits = Object.values(resourcesOf(s.modules.database, "aws_vpc_security_group_ingress_rule")).some(
        (r) =>
          r.security_group_id === "${aws_security_group.postgres.id}" &&
          r.referenced_security_group_id === "${aws_security_group.rotation.id}" &&
          r.from_port === 5432,
      );
      expect(admits).toBe(true);
    }
  });

  test("the function reaches the Secrets Manager API of the workspace's region over HTTPS", () => {
    for (const s of rotating) {
      expect(stackOf(s).parameters.endpoint).toBe("https://secretsmanager.${var.region}.amazonaws.com");
      const https = Object.values(resourcesOf(s.modules.database, "aws_vpc_security_group_egress_rule")).find(
        (r) => r.security_group_id === "${aws_security_group.rotation.id}" && r.from_port === 443,
      );
      expect(https).toBeDefined();
    }
  });

  test("the function may read the master secret and decrypt with the data key (it logs in as master to clone and alter the user)", () => {
    for (const s of rotating) {
      expect(stackOf(s).parameters).toMatchObject({
        masterSecretArn: "${aws_secretsmanager_secret.db_master.arn}",
        masterSecretKmsKeyArn: "${var.data_kms_key_arn}",
        kmsKeyArn: "${var.data_kms_key_arn}",
      });
      expect(stackOf(s).capabilities).toEqual(expect.arrayContaining(["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]));
    }
  });

  test("the function logs to a group with a retention and the logs key, made before the function (Lambda's own would never expire)", () => {
    for (const s of rotating) {
      const group = resource(s.modules.database, "aws_cloudwatch_log_group", "db_app_rotation");
      expect(group).toMatchObject({
        name: "/aws/lambda/${var.name}-db-app-rotation",
        kms_key_id: "${var.logs_kms_key_arn}",
      });
      expect(group.retention_in_days).toBeDefined();
      expect(stackOf(s).parameters.functionName).toBe("${var.name}-db-app-rotation");
      expect(stackOf(s).depends_on).toContain("aws_cloudwatch_log_group.db_app_rotation");
    }
  });

  test("the schedule is set, uses the stack's function, and does not rotate at creation (before db-bootstrap made the user)", () => {
    for (const s of rotating) {
      const r = rotationOf(s);
      expect(r.secret_id).toBe("${aws_secretsmanager_secret.db_app.id}");
      expect(r.rotation_lambda_arn).toBe(
        '${aws_serverlessapplicationrepository_cloudformation_stack.db_app_rotation.outputs["RotationLambdaARN"]}',
      );
      expect(r.rotation_rules.automatically_after_days).toBe("${var.app_rotation_days}");
      expect(r.rotate_immediately).toBe(false);
    }
  });

  test("the secret has every key the multi-user function reads: engine postgres, host, port, username, password, dbname, masterarn", () => {
    for (const s of rotating) {
      const body = resource(s.modules.database, "aws_secretsmanager_secret_version", "db_app").secret_string as string;
      for (const key of ["username", "password", "host", "port", "dbname"]) expect(body).toContain(`"${key}" = `);
      expect(body).toContain('"engine" = "postgres"');
      expect(body).toContain('"masterarn" = aws_secretsmanager_secret.db_master.arn');
      // The master secret must name the same host and engine: the function refuses a master of another host.
      const master = resource(s.modules.database, "aws_secretsmanager_secret_version", "db_master")
        .secret_string as string;
      expect(master).toContain('"host" = aws_db_instance.postgres.address');
      expect(body).toContain('"host" = aws_db_instance.postgres.address');
      expect(master).toContain('"engine" = "postgres"');
    }
  });

  test("new passwords contain no character a URL or DSN would need to escape", () => {
    const excluded = stackOf(rotating[0]).parameters.excludeCharacters as string;
    for (const c of ["/", "@", ":", "%", "#", "?", "&", "'", '"', "\\"]) expect(excluded).toContain(c);
  });

  test("a workspace without NAT or the secretsmanager endpoint is refused: the function could not call Secrets Manager", () => {
    const found = problems("staging", (e) => {
      e.network.natMode = "none";
      e.network.interfaceEndpoints = [];
    });
    expect(found.join("\n")).toMatch(
      /^staging\.database\.appRotation: the rotation function runs in the private subnets and calls Secrets Manager/m,
    );
    expect(
      problems("staging", (e) => {
        e.network.natMode = "none";
        e.network.interfaceEndpoints = ["secretsmanager"];
      }).join("\n"),
    ).not.toMatch(/database\.appRotation/);
  });

  test("a user name whose _clone would pass PostgreSQL's 63 bytes is refused", () => {
    expect(problems("dev", (e) => (e.database.appUsername = "a".repeat(58))).join("\n")).toMatch(
      /^dev\.database\.appUsername: rotation alternates with "a{58}_clone"/m,
    );
    expect(problems("dev", (e) => (e.database.appUsername = "a".repeat(57))).join("\n")).not.toMatch(/appUsername/);
  });

  test("a copy of the password outside the secret (a written DATABASE_URL) is refused unless rotation is waived", () => {
    const withUrl = (waiver?: string) =>
      problems("dev", (e) => {
        e.compute.parameterStore = { manual: [], databaseUrl: true };
        if (waiver) e.database.appRotation = { waiver };
      }).join("\n");
    expect(withUrl()).toMatch(
      /^dev\.database\.appRotation: compute\.parameterStore\.databaseUrl writes the application password into DATABASE_URL/m,
    );
    expect(withUrl("app reads DATABASE_URL")).not.toMatch(/appRotation/);
  });

  test("a waiver must be a tag value, since it is recorded as the secret's RotationWaiver tag", () => {
    expect(problems("dev", (e) => (e.database.appRotation = { waiver: "no, (never)" })).join("\n")).toMatch(
      /^dev\.database\.appRotation\.waiver: must be a tag value/m,
    );
  });

  test("a waived workspace has no rotation resources and its secret records the reason", () => {
    const waived = synthWorkspace("dev", (e) => (e.database.appRotation = { waiver: "test waiver" })).modules.database;
    expect(resourcesOf(waived, "aws_secretsmanager_secret_rotation")).toEqual({});
    expect(resourcesOf(waived, "aws_serverlessapplicationrepository_cloudformation_stack")).toEqual({});
    expect(resource(waived, "aws_secretsmanager_secret", "db_app").tags).toEqual({ RotationWaiver: "test waiver" });
  });
});

// Formerly restore.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the restore knobs (D198, D199)", () => {
  /**
   * The restore knobs' rules (D198, D199), read from the database module's knob set: the snapshot a restore may name and
   * the name a final snapshot may take, checked at synth with the field path before anything is written.
   */
  const CTX = { label: "dev", strict: false };
  /** A valid database section with one knob changed. */
  function problems(field: "restoreFromSnapshot" | "finalSnapshotName", value: string): string[] {
    const section = {
      instanceClass: "db.t4g.micro",
      allocatedStorage: 20,
      multiAz: false,
      backupRetentionDays: 7,
      readReplicas: 0,
      applyImmediately: false,
      restoreFromSnapshot: "",
      finalSnapshotName: "",
      [field]: value,
    };
    return knobProblems(DATABASE_KNOBS, section, CTX).map((p) => `${p.field}: ${p.message}`);
  }

  test.each([
    "",
    "rds:atena-prod-db-2026-12-01-03-05",
    "atena-prod-db-before-restore",
    "arn:aws:rds:us-east-1:444444444444:snapshot:atena-prod-db-redeploy-20261201",
  ])("a restore may name no snapshot, an automated or manual one, or its ARN: %p", (value) => {
    expect(problems("restoreFromSnapshot", value)).toEqual([]);
  });

  test.each(["atena_prod_db", "atena--prod", "atena-prod-", "1atena", "rds:", "arn:aws:rds:us-east-1:1:snapshot:x"])(
    "a snapshot RDS would refuse fails at synth with the field and the rule: %p",
    (value) => {
      expect(problems("restoreFromSnapshot", value)).toEqual([
        `restoreFromSnapshot: ${value} is not a DB snapshot of this region: an identifier (a manual one, or rds:<instance>-<date> for an automated one) or its ARN, or empty for none`,
      ]);
    },
  );

  test("a final snapshot's name is a manual snapshot identifier: an automated one's rds: prefix is refused", () => {
    expect(problems("finalSnapshotName", "atena-prod-db-redeploy-20261201")).toEqual([]);
    expect(problems("finalSnapshotName", "")).toEqual([]);
    expect(problems("finalSnapshotName", "rds:atena-prod-db")).toHaveLength(1);
  });
});
