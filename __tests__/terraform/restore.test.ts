/**
 * The database's restore and redeploy sections (D198, D199) of Atena's runbook, typed as printed in a copy of
 * cdktf.out/atena/stacks/prod under real Terraform 1.11 and aws provider 5.100 (offline). Atena is the hardest case:
 * deletion protection and `prevent_destroy` are on. The workspace holds a crafted state of every resource (stateFromPlan),
 * so plans run with `-refresh=false`; `npm run synth -- atena` lines rewrite the copy's configuration from the
 * environment the section asks for (protections lifted, then back); `terraform apply <file>` lines are checked to apply
 * the plan the previous line wrote; `aws` and `git` lines are not run offline.
 */
import * as fs from "fs";
import * as path from "path";
import { ATENA } from "../../environments/atena";
import type { EnvironmentInput } from "../../environments";
import { providerSchemas, showPlan, stateFromPlan, terraformOk, type PlanJson } from "../../tools/terraform";
import { command, OperatorWorkspace, planOut, REPO, withoutRefresh } from "../helpers/operator";
import { synthProduct, type Json } from "../helpers/synth";
import { describeTerraform, settleState } from "../helpers/terraform";

const WS = "prod";
const PRIMARY = "module.database.aws_db_instance.postgres";
const HOST = "atena-prod-db.abcdefghijkl.us-east-1.rds.amazonaws.com";
const runbook = fs.readFileSync(path.join(REPO, "docs", "runbooks", "atena", `${WS}.md`), "utf8");

/** The bash lines of the runbook section whose title starts with `title`. */
function sectionLines(title: string): string[] {
  const section = runbook.split(/^(?=## )/m).find((s) => s.startsWith(`## ${title}`));
  if (!section) throw new Error(`docs/runbooks/atena/${WS}.md has no section "${title}"`);
  return [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1].split("\n").filter((l) => l.trim()));
}

type Change = { address: string; change: { actions: string[]; after: Json | null; replace_paths?: string[][] } };
const changes = (plan: PlanJson) => (plan.resource_changes ?? []) as unknown as Change[];
const deleted = (plan: PlanJson) => changes(plan).filter((c) => c.change.actions.includes("delete"));
const changeOf = (plan: PlanJson, address: string) => changes(plan).find((c) => c.address === address)?.change;
/** Addresses `plan` deletes that its baseline (the same plan without the runbook's -var) does not. */
function newDeletes(plans: Map<string, PlanJson>, out: string): string[] {
  const base = new Set(deleted(plans.get(`${out}-base`) as PlanJson).map((c) => c.address));
  return deleted(plans.get(out) as PlanJson)
    .map((c) => c.address)
    .filter((a) => !base.has(a));
}
const created = (plan: PlanJson) =>
  changes(plan)
    .filter((c) => c.change.actions.includes("create"))
    .map((c) => c.address);

describeTerraform(`Atena ${WS}: the database restore and redeploy sections, typed as printed`, () => {
  const input = ATENA.environments[WS] as EnvironmentInput;
  const lifted = {
    ...input,
    preventDestroy: false,
    database: { ...input.database, deletionProtection: false },
  } as EnvironmentInput;
  const protectedStack = synthProduct(ATENA).stacks[WS];
  const liftedStack = synthProduct(ATENA, { [WS]: lifted }).stacks[WS];
  let op: OperatorWorkspace;
  /** The full plan's crafted state: every resource of the workspace "deployed". */
  let deployed: Json;

  beforeAll(() => {
    op = new OperatorWorkspace(protectedStack, process.env.TF_PROVIDER_MIRROR as string);
    op.ok("terraform init -input=false");
    op.ok(`terraform workspace new ${WS}`);
    terraformOk(op.dir, [
      "plan",
      "-input=false",
      "-refresh=false",
      `-var-file=environments/${WS}/terraform.tfvars`,
      "-out=tfplan-full",
    ]);
    const crafted = stateFromPlan(showPlan(op.dir, "tfplan-full"), providerSchemas(op.dir)) as Json;
    // Security group rules stay out: a crafted rule makes provider 5.100 fail its plan ("requires replacement ... for a
    // non-existent attribute path"); every plan below then creates them, which no assertion reads.
    crafted.resources = crafted.resources.filter(
      (r: Json) => !/^aws_vpc_security_group_(ingress|egress)_rule$/.test(r.type),
    );
    // What the instance's apply records, which the connection URLs and the secrets are written from.
    Object.assign(primaryOf(crafted), { address: HOST, port: 5432, endpoint: `${HOST}:5432` });
    // The crafted state gets the values its placeholders let a plan compute (key ARNs, VPC ids), as an apply would have
    // recorded them: planned once without any prevent_destroy, in this copy only, so a fake's drift cannot stop the plan.
    op.resynthesized(liftedStack);
    for (const m of fs.readdirSync(path.join(op.dir, "modules"))) {
      const file = path.join(op.dir, "modules", m, "main.tf.json");
      fs.writeFileSync(
        file,
        fs.readFileSync(file, "utf8").replace(/"prevent_destroy": true/g, '"prevent_destroy": false'),
      );
    }
    const stateFile = path.join(op.dir, "terraform.tfstate.d", WS, "terraform.tfstate");
    deployed = settleState(
      op.dir,
      stateFile,
      crafted as Parameters<typeof settleState>[2],
      `-var-file=environments/${WS}/terraform.tfvars`,
      [],
    ) as unknown as Json;
    op.resynthesized(protectedStack);
  }, 600_000);
  afterAll(() => op?.remove());

  /** Pushes the crafted state, edited by `edit` (what an apply would have recorded). */
  function push(edit: (state: Json) => void = () => undefined): void {
    const state = JSON.parse(JSON.stringify(deployed));
    edit(state);
    const current = op.ok("terraform state pull").stdout.trim();
    state.serial = (current ? (JSON.parse(current).serial as number) : 0) + 1;
    fs.writeFileSync(path.join(op.dir, "crafted.tfstate"), JSON.stringify(state));
    op.ok("terraform state push crafted.tfstate");
  }
  function primaryOf(state: Json): Json {
    return state.resources.find(
      (r: Json) => r.module === "module.database" && r.type === "aws_db_instance" && r.name === "postgres",
    ).instances[0].attributes;
  }

  /**
   * Runs a section's lines in order: synth lines rewrite the copy (the first from the lifted environment, the next from
   * the checked-in one), plans run without refresh, applies name the previous plan's file. `before` runs ahead of a line.
   */
  function runSection(title: string, before: (line: string) => void = () => undefined): Map<string, PlanJson> {
    const plans = new Map<string, PlanJson>();
    let synths = 0;
    let lastOut: string | undefined;
    for (const printed of sectionLines(title)) {
      const line = command(printed);
      before(line);
      if (line === "npm run synth -- atena") op.resynthesized(synths++ === 0 ? liftedStack : protectedStack);
      else if (/^terraform apply /.test(line)) expect(line).toBe(`terraform apply ${lastOut}`);
      else if (/^terraform plan /.test(line)) {
        op.ok(withoutRefresh(line));
        lastOut = planOut(line) as string;
        plans.set(lastOut, showPlan(op.dir, lastOut));
        // The same plan without the section's -var: what the crafted state's placeholders alone change (the baseline).
        if (/ -var=/.test(line)) {
          const base = `${lastOut}-base`;
          op.ok(withoutRefresh(line.replace(/ -var=\S+/g, "").replace(/-out=\S+/, `-out=${base}`)));
          plans.set(base, showPlan(op.dir, base));
        }
      } else if (/^terraform output /.test(line))
        expect(Object.keys(protectedStack.root.output)).toContain(line.split(" ").pop());
      else expect(line).toMatch(/(^|[\s($])(aws|git) |\beval\b/);
    }
    return plans;
  }

  test("with the protections on, the restore plan stops at prevent_destroy: the lifting step is needed", () => {
    push();
    const restore = sectionLines("Restore the database from a snapshot").find((l) => l.includes("-out=tfplan-restore"));
    const r = op.run(withoutRefresh(command(restore as string)));
    expect(r.code).toBe(1);
    expect(r.text).toContain("Instance cannot be destroyed");
  }, 600_000);

  test("restore: the primary is replaced by the snapshot at its identifier, nothing else is deleted, and clearing the knob afterwards replaces nothing", () => {
    push();
    const snapshot = /-var=db_snapshot_identifier=(\S+)/.exec(
      sectionLines("Restore the database from a snapshot").join("\n"),
    )?.[1] as string;
    let synths = 0;
    const plans = runSection("Restore the database from a snapshot", (line) => {
      // Step 5 starts from what the restore's apply records: the instance created from the snapshot, unprotected.
      if (line === "npm run synth -- atena" && synths++ === 1)
        push((s) => Object.assign(primaryOf(s), { snapshot_identifier: snapshot, deletion_protection: false }));
    });
    const unprotect = plans.get("tfplan-unprotect") as PlanJson;
    expect(changeOf(unprotect, PRIMARY)?.actions).toEqual(["update"]);
    expect(changeOf(unprotect, PRIMARY)?.after).toMatchObject({
      deletion_protection: false,
      final_snapshot_identifier: "atena-prod-db-before-restore",
    });
    expect(newDeletes(plans, "tfplan-unprotect")).toEqual([]);
    const restore = plans.get("tfplan-restore") as PlanJson;
    const primary = changeOf(restore, PRIMARY);
    expect(primary?.actions).toEqual(["delete", "create"]);
    expect(primary?.replace_paths).toContainEqual(["snapshot_identifier"]);
    expect(primary?.after).toMatchObject({ snapshot_identifier: snapshot, identifier: "atena-prod-db" });
    expect(changeOf(plans.get("tfplan-restore-base") as PlanJson, PRIMARY)?.actions).toEqual(["update"]);
    expect(
      newDeletes(plans, "tfplan-restore").filter((a) => !a.startsWith("module.database.aws_db_instance.")),
    ).toEqual([]);
    const protect = plans.get("tfplan-protect") as PlanJson;
    expect(changeOf(protect, PRIMARY)?.actions).toEqual(["update"]);
    expect(changeOf(protect, PRIMARY)?.after).toMatchObject({
      deletion_protection: true,
      snapshot_identifier: snapshot,
    });
  }, 900_000);

  test("redeploy: the destroy keeps keys, buckets, repositories, secrets and the network, and the apply creates the primary from the named final snapshot", () => {
    push();
    let destroyed: string[] = [];
    const lines = sectionLines("Redeploy the database");
    const final = /-var=db_final_snapshot_identifier=(\S+)/.exec(lines.join("\n"))?.[1] as string;
    let synths = 0;
    const plans = runSection("Redeploy the database", (line) => {
      // What the destroy's apply leaves, and then what the redeploy's apply records.
      if (line.includes("-out=tfplan-redeploy")) {
        destroyed = deleted(showPlan(op.dir, "tfplan-destroy")).map((c) => c.address);
        const gone = new Set(destroyed.map((a) => a.replace(/\[[^\]]*\]$/, "")));
        push((s) => {
          s.resources = s.resources.filter(
            (r: Json) => !gone.has(`${r.module ? r.module + "." : ""}${r.type}.${r.name}`),
          );
        });
      }
      if (line === "npm run synth -- atena" && synths++ === 1)
        push((s) => Object.assign(primaryOf(s), { snapshot_identifier: final, deletion_protection: false }));
    });
    expect(changeOf(plans.get("tfplan-unprotect") as PlanJson, PRIMARY)?.after).toMatchObject({
      final_snapshot_identifier: final,
      deletion_protection: false,
    });
    expect(destroyed).toContain(PRIMARY);
    const kept = /^module\.(security|storage|network)\.|aws_ecr_repository|aws_secretsmanager_secret\.|aws_kms_key/;
    expect(destroyed.filter((a) => kept.test(a))).toEqual([]);
    const redeploy = plans.get("tfplan-redeploy") as PlanJson;
    expect(changeOf(redeploy, PRIMARY)?.actions).toEqual(["create"]);
    expect(changeOf(redeploy, PRIMARY)?.after).toMatchObject({
      snapshot_identifier: final,
      identifier: "atena-prod-db",
    });
    expect(newDeletes(plans, "tfplan-redeploy")).toEqual([]);
    // Only what the destroy deleted is created again (besides what the baseline creates from the crafted state).
    const baseCreated = created(plans.get("tfplan-redeploy-base") as PlanJson);
    expect(created(redeploy).filter((a) => !destroyed.includes(a) && !baseCreated.includes(a))).toEqual([]);
    expect(changeOf(plans.get("tfplan-protect") as PlanJson, PRIMARY)?.actions).toEqual(["update"]);
  }, 900_000);
});
