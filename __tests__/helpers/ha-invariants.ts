/**
 * The HA invariants of a workspace's data stores, read from a saved plan, and the edits a generated runbook tells the
 * operator to make (issue 21 item 4, D140): every edit a runbook prints keeps the workspace's Redis nodes, RDS
 * replicas, Multi-AZ and automatic failover; every edit it shows as refused is refused by the plan. The Terraform layer
 * plans each edit (workspace-suite.ts for EduAutismo, products.test.ts for the other products).
 */
import { type PlanJson, plannedValues } from "../../tools/terraform";
import type { Json, SynthesizedStack } from "../../tools/synthesized";

/** A tfvars edit (```hcl block) or a `-var=` override of a plan line, as a runbook prints it. */
export interface RunbookEdit {
  /** The runbook section (its `## ` title). */
  readonly section: string;
  /** variable → HCL value, as printed. */
  readonly settings: Readonly<Record<string, string>>;
  /** Shown as refused: the section prints Terraform's `Error:` right after the plan of this edit. */
  readonly refused: boolean;
  /** The printed plan line (for `-var=` edits: the line itself). */
  readonly planLine?: string;
  /** For a refused edit: the lines the runbook says Terraform prints. */
  readonly error?: readonly string[];
}

/** Every edit of a generated runbook, in order. */
export function runbookEdits(doc: string): RunbookEdit[] {
  const edits: RunbookEdit[] = [];
  for (const section of doc.split(/^(?=## )/m)) {
    const title = section.split("\n")[0].replace(/^## /, "");
    const blocks = [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
      lang: m[1],
      lines: m[2].split("\n").filter((l) => l.trim() !== ""),
    }));
    blocks.forEach((b, i) => {
      if (b.lang === "hcl" && /^# environments\/[^/]+\/terraform\.tfvars$/.test(b.lines[0] ?? "")) {
        const settings = Object.fromEntries(
          b.lines
            .slice(1)
            .map((l) => l.replace(/\s+#.*$/, "").split(/\s*=\s*/, 2) as [string, string])
            .map(([k, v]) => [k, v.trim()]),
        );
        const refused =
          blocks[i + 1]?.lang === "bash" &&
          blocks[i + 2]?.lang === "text" &&
          /^Error:/.test(blocks[i + 2].lines[0] ?? "");
        edits.push({ section: title, settings, refused, ...(refused ? { error: blocks[i + 2].lines } : {}) });
      }
      if (b.lang === "bash") {
        for (const line of b.lines
          .map((l) => l.replace(/\s{2,}#.*$/, "").trim())
          .filter((l) => l.startsWith("terraform plan "))) {
          const vars = [...line.matchAll(/ -var=([a-z0-9_]+)=(\S+)/g)];
          if (vars.length > 0)
            edits.push({
              section: title,
              settings: Object.fromEntries(vars.map((m) => [m[1], m[2]])),
              refused: false,
              planLine: line,
            });
        }
      }
    });
  }
  return edits;
}

/** The resource types of the data stores whose availability the invariants guard. */
export const HA_TYPES = ["aws_elasticache_replication_group", "aws_db_instance", "aws_rds_cluster"] as const;

/** The attributes `haSnapshot` reads (edit-batches.ts keeps apart the edits whose variables reach them). */
export const HA_ATTRIBUTES = [
  "num_cache_clusters",
  "num_node_groups",
  "replicas_per_node_group",
  "automatic_failover_enabled",
  "multi_az_enabled",
  "multi_az",
  "replicate_source_db",
] as const;

/** The modules holding data stores whose availability the invariants guard (a Redis replication group, an RDS instance). */
export function haModules(stack: SynthesizedStack): string[] {
  return Object.entries(stack.modules)
    .filter(([, m]) => Object.keys((m as Json).resource ?? {}).some((t) => (HA_TYPES as readonly string[]).includes(t)))
    .map(([name]) => name);
}

/** The modules whose inputs read any of `variables` (`var.<name>` in the module block): the only ones an edit can change. */
export function modulesReading(stack: SynthesizedStack, variables: readonly string[]): string[] {
  return Object.entries<Json>(stack.root.module ?? {})
    .filter(([, block]) => variables.some((v) => new RegExp(`\\bvar\\.${v}\\b`).test(JSON.stringify(block))))
    .map(([name]) => name);
}

/** The data store modules among `stores` that read a variable `edit` sets: the modules its HA plan targets. */
export function storesReading(stack: SynthesizedStack, edit: RunbookEdit, stores: readonly string[]): string[] {
  return modulesReading(stack, Object.keys(edit.settings)).filter((m) => stores.includes(m));
}

/** What a plan gives each data store: Redis nodes, failover, Multi-AZ; RDS replicas per module and the primary's Multi-AZ. */
export type HaSnapshot = Record<string, number | boolean>;

export function haSnapshot(plan: PlanJson): HaSnapshot {
  const out: HaSnapshot = {};
  for (const [address, after] of plannedValues(plan)) {
    const type = /(?:^|\.)(aws_[a-z0-9_]+)\.[a-z0-9_]+(\[|$)/.exec(address)?.[1];
    const base = address.replace(/\[\d+\]$/, "");
    if (type === "aws_elasticache_replication_group") {
      const groups = typeof after.num_node_groups === "number" ? after.num_node_groups : 1;
      const nodes =
        typeof after.num_cache_clusters === "number"
          ? after.num_cache_clusters
          : groups * ((after.replicas_per_node_group as number) + 1);
      out[`${address} nodes`] = nodes;
      out[`${address} automatic_failover_enabled`] = after.automatic_failover_enabled === true;
      out[`${address} multi_az_enabled`] = after.multi_az_enabled === true;
    }
    if (type === "aws_db_instance" || type === "aws_rds_cluster") {
      if (
        after.replicate_source_db !== undefined &&
        after.replicate_source_db !== null &&
        after.replicate_source_db !== ""
      )
        out[`${base} replicas`] = ((out[`${base} replicas`] as number) ?? 0) + 1;
      else out[`${address} multi_az`] = after.multi_az === true;
    }
  }
  return out;
}

/** What `after` loses against `before` (fewer nodes or replicas, failover or Multi-AZ turned off, a data store gone), within `modules`. */
export function haLosses(before: HaSnapshot, after: HaSnapshot, modules: readonly string[]): string[] {
  const losses: string[] = [];
  for (const [key, was] of Object.entries(before)) {
    if (!modules.some((m) => key.startsWith(`module.${m}.`))) continue;
    const now = after[key];
    if (now === undefined) losses.push(`${key}: ${was} → none`);
    else if (typeof was === "number" && (now as number) < was) losses.push(`${key}: ${was} → ${now}`);
    else if (was === true && now !== true) losses.push(`${key}: true → ${now}`);
  }
  return losses;
}

/** The tfvars `text` with each setting's line replaced (or appended), as an operator's edit does. */
export function editedTfvars(text: string, settings: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [k, v] of Object.entries(settings)) {
    const line = new RegExp(`^${k}\\s*=.*$`, "m");
    out = line.test(out) ? out.replace(line, `${k} = ${v}`) : `${out}\n${k} = ${v}\n`;
  }
  return out;
}

/** Whether every setting of the edit is already the workspace's value (its plan is the baseline's). */
export function isNoOp(tfvars: string, settings: Readonly<Record<string, string>>): boolean {
  return Object.entries(settings).every(
    ([k, v]) => new RegExp(`^${k}\\s*=\\s*(.*)$`, "m").exec(tfvars)?.[1].trim() === v,
  );
}
