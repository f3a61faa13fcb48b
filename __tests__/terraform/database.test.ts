/**
 * The database module under real Terraform 1.11 (offline plan of production): the write-only master
 * password validates and plans, the replicas carry no managed password, the secrets and the
 * parameter group are named as the runbooks expect, and db_apply_immediately reaches every instance.
 */
import * as fs from "fs";
import * as path from "path";
import { inputs, synthAll } from "../helpers/synth";
import { describeTerraform, initializedWorkdir, terraformOk } from "../helpers/terraform";
import {
  planJson,
  planResources,
  providerSchemas,
  stateFromPlan,
  type PlanJson,
  type PlanResource,
} from "../../lib/tools/terraform";

describeTerraform("database under real Terraform", () => {
  const { stacks } = synthAll();
  let plan: PlanJson;
  let urgent: PlanJson;
  const at = (p: PlanJson, address: string): PlanResource => {
    const r = planResources(p).find((x) => x.address === address);
    if (!r) throw new Error(`${address} is not in the plan`);
    return r;
  };
  const instances = (p: PlanJson) => planResources(p).filter((r) => r.type === "aws_db_instance");

  beforeAll(() => {
    plan = planJson(stacks.production.dir, "production", ["-target=module.database"]);
    urgent = planJson(stacks.production.dir, "production", [
      "-target=module.database",
      "-var=db_apply_immediately=true",
    ]);
  });

  test("production plans a primary and 2 replicas, none with manage_master_user_password", () => {
    expect(
      instances(plan)
        .map((r) => r.address)
        .sort(),
    ).toEqual([
      "module.database.aws_db_instance.postgres",
      "module.database.aws_db_instance.replica[0]",
      "module.database.aws_db_instance.replica[1]",
    ]);
    for (const r of instances(plan)) expect(r.values.manage_master_user_password ?? false).toBe(false);
  });

  test("the primary gets the password write-only: version 1 in the plan, the value nowhere", () => {
    const primary = at(plan, "module.database.aws_db_instance.postgres");
    expect(primary.values).toMatchObject({ password_wo_version: 1, username: "eduautismo_admin" });
    expect(primary.values.password_wo ?? null).toBeNull();
    expect(primary.values.password ?? null).toBeNull();
  });

  test("the replicas replicate the primary and set no password of their own", () => {
    for (const i of [0, 1]) {
      const r = at(plan, `module.database.aws_db_instance.replica[${i}]`);
      expect(r.values.replicate_source_db).toBe("eduautismo-ia-production-postgres");
      expect(r.values.password_wo_version ?? null).toBeNull();
    }
  });

  test("the two secrets are eduautismo-ia/production/db-master and db-app", () => {
    const names = planResources(plan)
      .filter((r) => r.type === "aws_secretsmanager_secret")
      .map((r) => r.values.name)
      .sort();
    expect(names).toEqual(["eduautismo-ia/production/db-app", "eduautismo-ia/production/db-master"]);
  });

  test("the application password's rotation plans: AWS's multi-user function in the private subnets, and a 30-day-or-configured schedule not run at creation", () => {
    const stack = at(plan, "module.database.aws_serverlessapplicationrepository_cloudformation_stack.db_app_rotation");
    expect(stack.values.application_id).toMatch(/SecretsManagerRDSPostgreSQLRotationMultiUser$/);
    // parameters are known only after apply (the group's id, the master secret's ARN); the stack's name is known now.
    expect(stack.values.name).toBe("eduautismo-ia-production-db-app-rotation");
    expect(stack.values.capabilities).toEqual(expect.arrayContaining(["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"]));
    const rotation = at(plan, "module.database.aws_secretsmanager_secret_rotation.db_app");
    expect(rotation.values.rotate_immediately).toBe(false);
    const days = (rotation.values.rotation_rules as { automatically_after_days: number }[])[0].automatically_after_days;
    expect(days).toBeGreaterThanOrEqual(1);
    expect(
      at(plan, "module.database.aws_vpc_security_group_ingress_rule.postgres_from_rotation").values.from_port,
    ).toBe(5432);
  });

  test("the parameter group is named by prefix, so a replacement never collides with the old name", () => {
    expect(at(plan, "module.database.aws_db_parameter_group.postgres").values).toMatchObject({
      name_prefix: "eduautismo-ia-production-postgres15-",
      family: "postgres15",
    });
  });

  test("db_apply_immediately defaults to false and -var=db_apply_immediately=true reaches the primary and every replica", () => {
    expect(instances(plan).map((r) => r.values.apply_immediately)).toEqual([false, false, false]);
    expect(instances(urgent).map((r) => r.values.apply_immediately)).toEqual([true, true, true]);
  });

  test("production keeps 30 days of backups", () => {
    expect(at(plan, "module.database.aws_db_instance.postgres").values.backup_retention_period).toBe(30);
  });

  // In dev (no prevent_destroy): a crafted state fakes values only known after apply, so unrelated
  // attributes drift; what matters is the password's path.
  test("rotation: raising database.masterPasswordVersion makes a new password and sends its new version to the primary", () => {
    const applied = planJson(stacks.dev.dir, "dev", ["-target=module.database"]);
    const bumped = inputs();
    bumped.dev.database = { ...bumped.dev.database, masterPasswordVersion: 2 };
    const dir = initializedWorkdir(synthAll(bumped).stacks.dev.dir, "dev");
    fs.writeFileSync(
      path.join(dir, "terraform.tfstate.d", "dev", "terraform.tfstate"),
      JSON.stringify(stateFromPlan(applied, providerSchemas(dir))),
    );
    const targets = [
      "terraform_data.master_password",
      "terraform_data.app_password",
      "aws_db_instance.postgres",
      "aws_secretsmanager_secret_version.db_master",
    ].map((a) => `-target=module.database.${a}`);
    terraformOk(dir, [
      "plan",
      "-input=false",
      "-refresh=false",
      "-var-file=environments/dev/terraform.tfvars",
      ...targets,
      "-out=tfplan-rotate",
    ]);
    const shown = JSON.parse(terraformOk(dir, ["show", "-json", "tfplan-rotate"]).stdout) as {
      resource_changes: {
        address: string;
        change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
      }[];
    };
    const change = (address: string) => shown.resource_changes.find((c) => c.address === address)?.change;
    expect(change("module.database.terraform_data.master_password")?.actions.sort()).toEqual(["create", "delete"]);
    expect(change("module.database.terraform_data.app_password")?.actions).toEqual(["no-op"]);
    const primary = change("module.database.aws_db_instance.postgres");
    expect([primary?.before?.password_wo_version, primary?.after?.password_wo_version]).toEqual([1, 2]);
    // The secret gets the new value (the provider replaces the version or updates it in place).
    expect(change("module.database.aws_secretsmanager_secret_version.db_master")?.actions).not.toEqual(["no-op"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
