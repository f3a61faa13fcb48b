import { resource, resourcesOf, synthAll, type Json } from "../helpers/synth";

const { stacks } = synthAll();
const db = (ws: string): Json => stacks[ws].modules.database;
const primary = (ws = "production") => resource(db(ws), "aws_db_instance", "postgres");
const param = (ws: string, name: string) => resource(db(ws), "aws_db_parameter_group", "postgres").parameter.find((p: Json) => p.name === name);

describe("engine and parameters (seed 001)", () => {
  test("runs PostgreSQL 15 with automatic minor upgrades (15.4 is retired on RDS)", () => {
    expect(primary()).toMatchObject({ engine: "postgres", engine_version: "${var.engine_version}", auto_minor_version_upgrade: true });
    expect(stacks.production.root.module.database.engine_version).toBe("15");
    expect(resource(db("production"), "aws_db_parameter_group", "postgres").family).toBe("postgres${var.engine_version}");
  });

  test("preloads pg_stat_statements, applied at the next reboot", () => {
    expect(param("production", "shared_preload_libraries")).toEqual({ name: "shared_preload_libraries", value: "pg_stat_statements", apply_method: "pending-reboot" });
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
});

describe("security defaults", () => {
  test("storage is gp3, encrypted with the data key, with an autoscaling ceiling", () => {
    expect(primary()).toMatchObject({ storage_type: "gp3", storage_encrypted: true, kms_key_id: "${var.data_kms_key_arn}" });
    expect(primary().max_allocated_storage).toBe("${coalesce(var.max_allocated_storage, var.db_allocated_storage * 4)}");
  });

  test("RDS generates and keeps the master password in Secrets Manager with the data key", () => {
    expect(primary()).toMatchObject({ manage_master_user_password: true, master_user_secret_kms_key_id: "${var.data_kms_key_arn}" });
    expect(primary().password).toBeUndefined();
  });

  test("is never publicly accessible, uses IAM auth and the current CA", () => {
    expect(primary()).toMatchObject({ publicly_accessible: false, iam_database_authentication_enabled: true, ca_cert_identifier: "rds-ca-rsa2048-g1", copy_tags_to_snapshot: true });
  });

  test("sits in the database subnets and admits 5432 only from the app group", () => {
    expect(stacks.production.root.module.database.subnet_ids).toBe("${module.network.database_subnet_ids}");
    expect(Object.values(resourcesOf(db("production"), "aws_vpc_security_group_ingress_rule"))).toEqual([
      expect.objectContaining({ referenced_security_group_id: "${var.app_security_group_id}", from_port: 5432, to_port: 5432 }),
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
    expect(primary().final_snapshot_identifier).toBe("${var.name}-postgres-final");
    expect(stacks.dev.root.module.database.final_snapshot).toBe(false);
    expect(stacks.production.root.module.database.final_snapshot).toBe(true);
  });

  test("dev can be torn down: no prevent_destroy, no deletion protection", () => {
    expect(primary("dev").lifecycle).toEqual({ prevent_destroy: false });
    expect(stacks.dev.root.module.database.deletion_protection).toBe(false);
  });
});

describe("read replicas", () => {
  test("production runs 2 (seed 001); dev and staging none", () => {
    const n = (ws: string) => (/\ndb_replica_count = (\d+)\n/.exec(stacks[ws].tfvars) as RegExpExecArray)[1];
    expect([n("dev"), n("staging"), n("production")]).toEqual(["0", "0", "2"]);
  });

  test("replicate the primary with the same encryption and no public access", () => {
    expect(resource(db("production"), "aws_db_instance", "replica")).toMatchObject({
      replicate_source_db: "${aws_db_instance.postgres.identifier}",
      count: "${var.db_replica_count}",
      storage_encrypted: true,
      publicly_accessible: false,
    });
  });
});

test("the root exports rds_endpoint (seed 000 §6) and the master secret ARN", () => {
  expect(stacks.dev.root.output).toMatchObject({
    rds_endpoint: { value: "${module.database.rds_endpoint}" },
    db_master_user_secret_arn: { value: "${module.database.db_master_user_secret_arn}" },
  });
});
