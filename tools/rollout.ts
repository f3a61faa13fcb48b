/**
 * Targeted rollouts from the synthesized root: which module reads which (the `module.X` references in
 * each module block's inputs), the order a first deploy follows, what `-target=module.X` pulls in,
 * and the copy-pasteable commands of seed 000 §5.2 for a workspace.
 */
import type { Json } from "./synthesized";

/** Preferred order among modules with no dependency between them (DESIGN.md §3). */
export const MODULE_ORDER = [
  "network",
  "security",
  "storage",
  "cache",
  "database",
  "compute",
  "monitoring",
  "cdn",
  "dr",
];
/** Plan file names the seeds use (`tfplan-cache`, `tfplan-ecs`). */
const PLAN_FILE: Record<string, string> = { compute: "tfplan-ecs" };

export type ModuleGraph = Record<string, string[]>;

/** module → the modules whose outputs its inputs read. */
export function moduleGraph(root: Json): ModuleGraph {
  const graph: ModuleGraph = {};
  for (const [name, block] of Object.entries<Json>(root.module ?? {})) {
    const inputs = Object.fromEntries(
      Object.entries(block).filter(([k]) => !["source", "providers", "//", "depends_on"].includes(k)),
    );
    const refs = new Set([...JSON.stringify(inputs).matchAll(/module\.([a-z_]+)\./g)].map((m) => m[1]));
    refs.delete(name);
    graph[name] = [...refs].sort(rank);
  }
  return graph;
}

function rank(a: string, b: string): number {
  const ia = MODULE_ORDER.indexOf(a);
  const ib = MODULE_ORDER.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}

/** Dependencies first; among ready modules, DESIGN.md's order. Throws on a cycle. */
export function rolloutOrder(graph: ModuleGraph): string[] {
  const done: string[] = [];
  const pending = new Set(Object.keys(graph));
  while (pending.size > 0) {
    const ready = [...pending].filter((m) => graph[m].every((d) => done.includes(d))).sort(rank);
    if (ready.length === 0) throw new Error(`module dependency cycle among: ${[...pending].join(", ")}`);
    done.push(ready[0]);
    pending.delete(ready[0]);
  }
  return done;
}

/** Every module a `-target=module.<name>` plan also plans (its transitive dependencies). */
export function targetClosure(graph: ModuleGraph, name: string): string[] {
  if (!graph[name])
    throw new Error(`no module "${name}" in this workspace (it has: ${Object.keys(graph).sort(rank).join(", ")})`);
  const seen = new Set<string>();
  const visit = (m: string) => graph[m].forEach((d) => (seen.has(d) ? undefined : (seen.add(d), visit(d))));
  visit(name);
  return [...seen].sort(rank);
}

/**
 * The modules that read `name`'s outputs, in rollout order: after a rollout that creates or re-creates `name`, each must be
 * planned and applied too, or it keeps the values of the old (or no) instance (monitoring's alarms on a new Redis group).
 */
export function readers(graph: ModuleGraph, name: string): string[] {
  return Object.keys(graph)
    .filter((m) => graph[m].includes(name))
    .sort(rank);
}

export function planFile(module: string): string {
  return PLAN_FILE[module] ?? `tfplan-${module}`;
}

/** Plan and apply one module, the seeds' way (`-target=module.<m> -out=tfplan-<m>`, then apply that file). */
export function moduleSteps(workspace: string, module: string): string[] {
  return [
    `terraform plan -var-file="environments/${workspace}/terraform.tfvars" -target=module.${module} -out=${planFile(module)}`,
    `terraform apply ${planFile(module)}`,
  ];
}

/** One module's targeted rollout as data (`npm run rollout -- <ws> <module> --json`, used by the pipeline). */
export function targetedRollout(workspace: string, module: string, alsoPlans: string[]) {
  return { workspace, module, alsoPlans, planFile: planFile(module), steps: moduleSteps(workspace, module) };
}

/** The state backup every runbook takes before a change (state-backups/<ws>/, lineage-checked on restore). */
export const STATE_BACKUP = "npm run state -- backup";

/**
 * A runbook section's markdown as a shell script: ```bash lines as they are, everything else (prose, tfvars edits in
 * ```hcl blocks, expected output) as `# ` comments, so the printed script and the runbook hold the same commands in the same order.
 */
export function markdownAsScript(markdown: readonly string[]): string[] {
  const out: string[] = [];
  let block: string | undefined;
  for (const line of markdown) {
    if (line.startsWith("```")) {
      block = block === undefined ? line.slice(3) : undefined;
      continue;
    }
    if (block === "bash") out.push(line);
    else if (block === "hcl") out.push(line.startsWith("# ") ? `# edit ${line.slice(2)}:` : `#   ${line}`);
    else if (block !== undefined) out.push(`#   ${line}`);
    else out.push(line === "" ? "" : `# ${line.replace(/^## /, "")}`);
  }
  return out;
}

/**
 * `npm run rollout -- <ws>`: the runbook's first deploy (`firstDeploy`, the markdown lines the runbook's section is made
 * of: docs.ts firstDeployMarkdown), then every module's targeted plan in rollout order for later changes, after the same
 * state backup the runbooks take.
 */
export function rolloutCommands(workspace: string, graph: ModuleGraph, firstDeploy: readonly string[]): string {
  const lines = [
    `# Rollout of workspace ${workspace} (generated from the synthesized configuration: the runbook's first deploy, then one module at a time).`,
    ...markdownAsScript(firstDeploy),
    "",
    "# Later changes, one module at a time, after a state backup:",
    `terraform workspace select ${workspace}`,
    STATE_BACKUP,
  ];
  rolloutOrder(graph).forEach((m, i) => {
    const closure = targetClosure(graph, m);
    lines.push(
      "",
      `# ${i + 1}. ${m}${closure.length ? ` (also plans what it reads from: ${closure.join(", ")})` : ""}`,
    );
    lines.push(...moduleSteps(workspace, m));
  });
  return lines.join("\n") + "\n";
}
