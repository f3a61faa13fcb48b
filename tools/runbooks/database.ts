/**
 * The recovery sections every product with a database gets (seed 001's rollback plan, seed 002's "Backup e Restore" and
 * "Redeployment completo"; D198–D200): pin the service count, revert the RDS parameters, restore the database from a
 * snapshot in the same region, and redeploy the database and what reads it from an operator-named final snapshot. A
 * restored instance comes back under Terraform through the database knob `db_snapshot_identifier`, at the same identifier
 * and address; the protections a replacement meets (deletion protection, `prevent_destroy`) are lifted deliberately in
 * the environment file and put back afterwards.
 */
import { containerNameOf, serviceVariablePrefix } from "../../modules/compute/config";
import { oneOffTask, type RunbookContext, type RunbookPart } from "../product-runbook";
import { planFile } from "../rollout";

/** The workspace's database names and protections, or undefined without a database module. */
function databaseFacts(ctx: RunbookContext) {
  const db = ctx.env.database;
  if (!db.enabled || !ctx.stack.root.module?.database) return undefined;
  const name = ctx.input("database", "name") ?? `${ctx.env.project}-${ctx.ws}`;
  const id = `${name}-${db.identifierSuffix}`;
  /** The environment-file edits that let Terraform delete the primary, and their undoing. */
  const lift = [
    ...(db.deletionProtection ? ["`database.deletionProtection: false`"] : []),
    ...(ctx.env.preventDestroy ? ["`preventDestroy: false`"] : []),
  ];
  const restore = [
    ...(db.deletionProtection ? ["`database.deletionProtection: true`"] : []),
    ...(ctx.env.preventDestroy ? ["`preventDestroy: true`"] : []),
  ];
  return { id, name, lift, restore, finalSnapshot: db.finalSnapshot };
}

/** The ECS cluster's name (`<name>[-<clusterNameSuffix>]`). */
function clusterOf(ctx: RunbookContext): string {
  const name = ctx.input("compute", "name") ?? `${ctx.env.project}-${ctx.ws}`;
  return ctx.env.compute.clusterNameSuffix ? `${name}-${ctx.env.compute.clusterNameSuffix}` : name;
}

const tfvars = (ws: string, settings: string[]) => [
  "```hcl",
  `# environments/${ws}/terraform.tfvars`,
  ...settings,
  "```",
];
const bash = (lines: string[]) => ["```bash", ...lines, "```"];

/** `terraform plan -target=module.database` and its apply, with a plan file of its own. */
function databasePlan(ctx: RunbookContext, out: string, note: string, vars = ""): string[] {
  return [
    `terraform plan ${ctx.varFile}${vars} -target=module.database -out=${out}   # ${note}`,
    `terraform apply ${out}`,
  ];
}

/** The first step of a restore or redeploy: the protections lifted and the old instance's final snapshot named. */
function liftStep(ctx: RunbookContext, f: NonNullable<ReturnType<typeof databaseFacts>>, final: string): string[] {
  const lines: string[] = [];
  if (f.lift.length === 0 && !f.finalSnapshot)
    return ["Nothing to lift here: no deletion protection, no `prevent_destroy`, no final snapshot."];
  if (f.lift.length > 0)
    lines.push(
      `In \`${ctx.sourceFile}\` set ${f.lift.join(" and ")} (a commit of its own: the protections are lifted on purpose), then:`,
      ...bash([ctx.synth]),
    );
  if (f.finalSnapshot || f.lift.length > 0) {
    const name = f.finalSnapshot ? ` -var=db_final_snapshot_identifier=${final}` : "";
    if (f.finalSnapshot)
      lines.push(
        `The plan also names the snapshot RDS takes of the instance it deletes (the default \`${f.id}-final\` may exist`,
        "already); RDS reads that name from the state when it deletes, so it is applied first:",
      );
    lines.push(...bash(databasePlan(ctx, "tfplan-unprotect", "updated in place: no instance is replaced", name)));
  }
  return lines;
}

/** The last step: the protections back, and the knobs at their tfvars values again. */
function protectStep(ctx: RunbookContext, f: NonNullable<ReturnType<typeof databaseFacts>>): string[] {
  return [
    ...(f.restore.length > 0
      ? [`Set ${f.restore.join(" and ")} back in \`${ctx.sourceFile}\` (a commit), then:`, ...bash([ctx.synth])]
      : []),
    'The plan without the `-var`s sets `db_snapshot_identifier` back to `""`: the provider keeps the snapshot the instance was',
    "created from (the attribute is optional and computed), so it replaces nothing. The snapshot is not kept in the",
    "environment file: it is read only when the instance is created, and a later re-creation would bring it back.",
    ...bash(databasePlan(ctx, "tfplan-protect", "no replacement; the protections back on")),
  ];
}

/** Checks after a restore: the instance, its address, the application user's password. */
function verifyLines(ctx: RunbookContext, id: string): string[] {
  return [
    `aws rds wait db-instance-available --db-instance-identifier ${id}`,
    `aws rds describe-db-instances --db-instance-identifier ${id} --query 'DBInstances[0].{status:DBInstanceStatus,address:Endpoint.Address,created:InstanceCreateTime}'`,
    ...(ctx.hasOutput("rds_endpoint")
      ? ["terraform output rds_endpoint   # the address the services already use"]
      : []),
    // The db-bootstrap task sets the application user's password from the db-app secret (it may have rotated since).
    ...(ctx.hasOutput("db_bootstrap_run_task_command")
      ? oneOffTask(
          "db_bootstrap_run_task_command",
          clusterOf(ctx),
          containerNameOf(ctx.env.compute, "db_bootstrap"),
          "sets the application user's password from the db-app secret",
        )
      : []),
  ];
}

/** Restore the primary from a snapshot of this region, under Terraform (D198). */
const restoreFromSnapshot: RunbookPart = (ctx) => {
  const f = databaseFacts(ctx);
  if (!f) return [];
  const example = `rds:${f.id}-2026-12-01-03-05`;
  return [
    {
      title: "Restore the database from a snapshot (same region)",
      text: [
        `The primary \`${f.id}\` is replaced by an instance restored from the snapshot, with the same identifier, so the same`,
        "address and every setting of this workspace, under Terraform (knob `db_snapshot_identifier`, D198). What was",
        "written after the snapshot is lost. The snapshot must be of this region and encrypted with this workspace's data",
        `key (\`alias/${f.name}-data\`), as the instance's own are; copy another first with \`aws rds copy-db-snapshot`,
        `--kms-key-id alias/${f.name}-data\`. An older PostgreSQL major comes back at its version and the next apply upgrades it;`,
        "the database name and master user are the snapshot's (the same as this workspace's for its own snapshots).",
        "",
        "1. Choose the snapshot (automated ones are `rds:<instance>-<date>`):",
        ...bash([
          `aws rds describe-db-snapshots --db-instance-identifier ${f.id} --query 'reverse(sort_by(DBSnapshots,&SnapshotCreateTime))[:10].[DBSnapshotIdentifier,SnapshotType,SnapshotCreateTime,KmsKeyId]' --output table`,
        ]),
        "",
        "2. Let Terraform delete the current instance:",
        ...liftStep(ctx, f, `${f.id}-before-restore`),
        "",
        "3. Restore (the snapshot's DBSnapshotIdentifier from step 1 in `-var`): the plan replaces `aws_db_instance.postgres`",
        "(`snapshot_identifier` forces it) and its replicas; what reads its address is updated with the same value:",
        ...bash(
          databasePlan(
            ctx,
            "tfplan-restore",
            "the primary replaced by the restore",
            ` -var=db_snapshot_identifier=${example}`,
          ),
        ),
        "",
        "4. Verify (the services reconnect to the same address; the db-bootstrap task re-sets a password that rotated since):",
        ...bash(verifyLines(ctx, f.id)),
        "",
        "5. Back to this workspace's values, protections included:",
        ...protectStep(ctx, f),
      ],
    },
  ];
};

/** Seed 002's full redeploy, keeping the data: the database and what reads it, from an operator-named final snapshot (D199). */
const redeploy: RunbookPart = (ctx) => {
  const f = databaseFacts(ctx);
  if (!f) return [];
  const final = `${f.id}-redeploy-20261201`;
  // Without a final snapshot the data would be lost: the redeploy turns it on with the other protections' lifting.
  const g = f.finalSnapshot
    ? f
    : {
        ...f,
        lift: [...f.lift, "`database.finalSnapshot: true`"],
        restore: [...f.restore, "`database.finalSnapshot: false`"],
        finalSnapshot: true,
      };
  return [
    {
      title: "Redeploy the database and what reads it, keeping the data",
      text: [
        'The guides\' full redeploy (seed 001 "Rollback completo", seed 002 `terraform destroy` + `apply`) without losing the data',
        "(D199): the primary is deleted with a final snapshot the operator names, and created again from it with the same",
        "identifier and address. The plan also",
        "deletes and re-creates what reads the instance (replicas, secret versions, task definitions, services, alarms).",
        "Keys, buckets, repositories, the network and the secrets stay: the snapshot and the buckets are encrypted with the",
        "keys, and a deleted secret's name stays taken for its recovery window.",
        "",
        "1. Let Terraform delete the instance, and name its final snapshot (the date of the day in its name):",
        ...liftStep(ctx, g, final),
        "",
        "2. Delete the instance (RDS takes the final snapshot first):",
        ...bash([
          `terraform plan ${ctx.varFile} -destroy -target=module.database.aws_db_instance.postgres -out=tfplan-destroy`,
          "terraform apply tfplan-destroy",
          `aws rds wait db-snapshot-available --db-snapshot-identifier ${final}`,
        ]),
        "",
        "3. Create everything again, the database from the final snapshot:",
        ...bash([
          `terraform plan ${ctx.varFile} -var=db_snapshot_identifier=${final} -out=tfplan-redeploy`,
          "terraform apply tfplan-redeploy",
        ]),
        "",
        "4. Verify:",
        ...bash(verifyLines(ctx, f.id)),
        "",
        "5. Back to this workspace's values, protections included:",
        ...protectStep(ctx, g),
      ],
    },
  ];
};

/** Seed 001's "Desabilitar auto-scaling": every scaled service pinned at its desired count through the tfvars. */
const pinScaling: RunbookPart = (ctx) => {
  // Every service's knobs are <prefix>_desired_count, _min_capacity, _max_capacity (modules/compute/config.ts).
  const counts = ctx.env.compute.services.map((s) => ({
    service: s.name,
    svc: serviceVariablePrefix(s.name),
    n: s.desiredCount,
  }));
  if (counts.length === 0 || !ctx.graph.compute) return [];
  const name = ctx.input("compute", "name") ?? `${ctx.env.project}-${ctx.ws}`;
  return [
    {
      title: "Disable auto-scaling: pin the service count",
      text: [
        "The first step of seed 001's rollback plan. Minimum and maximum equal to the desired count leave the scaling policies",
        "nothing to move; use the running count (`describe-services`) instead where it should stay. The next synth",
        `writes the environment file's capacities back: keep the pin by setting them in \`${ctx.sourceFile}\`.`,
      ],
      commands: [
        `aws ecs describe-services --cluster ${clusterOf(ctx)} --services ${counts.map((c) => `${name}-${c.service}`).join(" ")} --query 'services[*].{name:serviceName,desired:desiredCount,running:runningCount}'`,
      ],
      more: [
        ...tfvars(
          ctx.ws,
          counts.flatMap(({ svc, n }) => [`${svc}_min_capacity = ${n}`, `${svc}_max_capacity = ${n}`]),
        ),
        ...bash([
          `terraform plan ${ctx.varFile} -target=module.compute -out=${planFile("compute")}`,
          `terraform apply ${planFile("compute")}`,
        ]),
      ],
    },
  ];
};

/** Seed 001's "Revert RDS parameter group": the parameters are the environment file's, so a revert is a git revert. */
const revertParameters: RunbookPart = (ctx) => {
  const f = databaseFacts(ctx);
  if (!f) return [];
  return [
    {
      title: "Revert the RDS parameter group",
      text: [
        `The parameters come from \`database\` in \`${ctx.sourceFile}\` (\`maxConnections\`, \`workMemMb\`, \`effectiveCacheSizeGb\`):`,
        "revert the commit that changed them and plan the database. `work_mem`, `effective_cache_size` and `rds.force_ssl`",
        "apply at once; `max_connections` and `shared_preload_libraries` wait for a reboot (status `pending-reboot`).",
      ],
      commands: [
        `git log --oneline -- ${ctx.sourceFile}`,
        "git revert --no-edit <commit>   # the commit that changed the parameters",
        ctx.synth,
        ...databasePlan(ctx, "tfplan-database", "aws_db_parameter_group.postgres updated in place"),
        `aws rds describe-db-instances --db-instance-identifier ${f.id} --query 'DBInstances[0].DBParameterGroups'`,
        `aws rds reboot-db-instance --db-instance-identifier ${f.id}   # only when pending-reboot; a short outage (Multi-AZ: add --force-failover)`,
      ],
    },
  ];
};

export const DATABASE_SECTIONS = { pinScaling, revertParameters, restoreFromSnapshot, redeploy } as const;

/** A part whose section titles name the guide that asks for them (`(seed 001 rollback plan)`). */
export function citing(part: RunbookPart, source: string): RunbookPart {
  return (ctx) => part(ctx).map((s) => ({ ...s, title: `${s.title} (${source})` }));
}
