/**
 * What the GitHub Actions workflows in `.github/workflows/` need from the synthesized workspaces:
 * the trust of the roles they assume (which OIDC `sub`, `ref` and `job_workflow_ref` claims and audience
 * the Terraform plan and apply roles and the deploy role accept, D97), a guard that the
 * workspace can run in CI at all (remote state, the right repository), a Markdown summary of a
 * saved plan, and the difference between two `npm run cost` reports (base branch vs pull request).
 */
import { documentLocal } from "../lib/core/hcl";
import {
  GITHUB_SUBJECT,
  OIDC_SUBJECTS,
  type GithubSubjectKind,
  type OidcSubjectsLocal,
} from "../modules/security/config";
import type { Json, SynthesizedStack } from "./synthesized";

export const OIDC_AUDIENCE = "sts.amazonaws.com";
const ISSUER = "token.actions.githubusercontent.com";

export interface RoleTrust {
  readonly audience: string;
  readonly repository: string;
  /** Every `sub` claim the role accepts (StringLike or StringEquals values, as Terraform renders them). */
  readonly subjects: string[];
  /** Other GitHub claims the trust pins (`ref`, `job_workflow_ref`): claim → accepted patterns (StringLike; exact values are patterns without `*`). */
  readonly claims: Record<string, string[]>;
}

/** The roles of a workspace the pipeline may assume: the deploy role (seed 002) and the Terraform roles (D97). */
export const PIPELINE_ROLES = {
  deploy: "github_actions",
  "terraform-plan": "terraform_plan",
  "terraform-apply": "terraform_apply",
} as const;
export type PipelineRole = keyof typeof PIPELINE_ROLES;

/** The value a module input has in the root: a literal, or a root variable's default. */
function inputValue(stack: SynthesizedStack, module: string, name: string): unknown {
  const v = stack.root.module?.[module]?.[name];
  const ref = typeof v === "string" ? /^\$\{var\.([a-z0-9_]+)\}$/.exec(v) : null;
  return ref ? stack.root.variable?.[ref[1]]?.default : v;
}

/** `${var.x}` references of a claim condition, with the security module's inputs filled in. */
function fill(stack: SynthesizedStack, template: string): string {
  return template.replace(/\$\{var\.([a-z0-9_]+)\}/g, (_, name: string) => String(inputValue(stack, "security", name)));
}

/** Whether the workspace has the Terraform roles (security.deploy.terraformRoles.enabled). */
export function hasTerraformRoles(stack: SynthesizedStack): boolean {
  return Boolean(stack.modules.security?.resource?.aws_iam_role?.[PIPELINE_ROLES["terraform-apply"]]);
}

/**
 * Reads the trust policy of one of the pipeline's roles in a synthesized workspace: `aws_iam_role.<name>` of the
 * security module writes it as `jsonencode(local.<name>_trust)` over a local in JSON syntax (D213), whose subject
 * condition names a subjects local: its subjects are computed from that local's declaration (OIDC_SUBJECTS, the
 * module's config) over the root's inputs, as its other claim conditions are filled with them. Throws when the policy is no longer in the form
 * this reads, so the workflow test cannot pass vacuously.
 */
export function roleTrust(stack: SynthesizedStack, role: PipelineRole = "deploy"): RoleTrust {
  const security: Json | undefined = stack.modules.security;
  const name = PIPELINE_ROLES[role];
  const written: string | undefined = security?.resource?.aws_iam_role?.[name]?.assume_role_policy;
  if (!written) throw new Error(`${stack.workspace}: no aws_iam_role.${name} in modules/security`);
  const document = documentLocal(written);
  const statement: Json | undefined = document ? security?.locals?.[document]?.Statement?.[0] : undefined;
  if (statement?.Action !== "sts:AssumeRoleWithWebIdentity")
    throw new Error(`${stack.workspace}: the ${role} role is not assumed with a web identity`);
  const conditions: [string, unknown][] = Object.values<Json>(statement.Condition ?? {}).flatMap((c) =>
    Object.entries(c),
  );
  const claim = (key: string) => conditions.find(([k]) => k === `${ISSUER}:${key}`)?.[1];
  const aud = claim("aud");
  const sub = /^\$\{local\.([a-z_]+)\}$/.exec(String(claim("sub")));
  if (typeof aud !== "string" || !sub)
    throw new Error(
      `${stack.workspace}: the ${role} role's trust has no audience or subject condition in the expected form`,
    );
  const kinds: Readonly<Partial<Record<GithubSubjectKind, string>>> | undefined =
    OIDC_SUBJECTS[sub[1] as OidcSubjectsLocal];
  if (!kinds) throw new Error(`${stack.workspace}: local.${sub[1]} is not a subjects local of OIDC_SUBJECTS`);
  const repository = String(inputValue(stack, "security", "github_repository"));
  const subjects: string[] = [];
  for (const [kind, list] of Object.entries(kinds) as [GithubSubjectKind, string][]) {
    const values = inputValue(stack, "security", list);
    if (!Array.isArray(values)) throw new Error(`${stack.workspace}: security input ${list} is not a list`);
    for (const value of values) subjects.push(GITHUB_SUBJECT[kind](repository, String(value)));
  }
  if (subjects.length === 0) throw new Error(`${stack.workspace}: local.${sub[1]} yields no subject`);
  const claims: Record<string, string[]> = {};
  for (const [key, value] of conditions) {
    const claimName = key.startsWith(`${ISSUER}:`) ? key.slice(ISSUER.length + 1) : undefined;
    if (claimName && claimName !== "aud" && claimName !== "sub" && typeof value === "string")
      claims[claimName] = [...(claims[claimName] ?? []), fill(stack, value)];
  }
  return { audience: aud, repository, subjects, claims };
}

/** The deploy role's trust (seed 002's role; kept for the application pipeline). */
export function deployRoleTrust(stack: SynthesizedStack): RoleTrust {
  return roleTrust(stack, "deploy");
}

/** StringLike: `*` matches any run of characters, `?` any one. */
export function stringLike(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(value);
}

/** The `sub` claim GitHub puts in the OIDC token of a job (environment jobs, else the branch). */
export function subjectOf(repository: string, job: { environment?: string; ref?: string; event?: string }): string {
  if (job.environment) return `repo:${repository}:environment:${job.environment}`;
  if (job.event === "pull_request") return `repo:${repository}:pull_request`;
  return `repo:${repository}:ref:${job.ref}`;
}

/** The GitHub OIDC claims of a job that the pipeline's trust policies look at. */
export interface JobClaims {
  readonly sub: string;
  /** `refs/heads/<branch>`, or `refs/pull/<n>/merge` in a pull request. */
  readonly ref: string;
  /** `<owner>/<repo>/<reusable workflow path>@<ref>`, present when the job runs in a reusable workflow. */
  readonly job_workflow_ref?: string;
}

/** The claims of a job: in its environment, on `ref`, inside the reusable workflow `workflow` (a path under the repository). */
export function claimsOf(
  repository: string,
  job: { environment?: string; ref: string; event?: string; workflow?: string },
): JobClaims {
  return {
    sub: subjectOf(repository, job),
    ref: job.ref,
    ...(job.workflow ? { job_workflow_ref: `${repository}/${job.workflow}@${job.ref}` } : {}),
  };
}

/** Why a trust policy refuses a job's token, or undefined when it admits it (every condition must hold; a missing claim fails). */
export function refusal(trust: RoleTrust, claims: JobClaims): string | undefined {
  if (!trust.subjects.some((p) => stringLike(p, claims.sub)))
    return `sub ${claims.sub} is not trusted (trusts ${trust.subjects.join(", ")})`;
  for (const [claim, patterns] of Object.entries(trust.claims)) {
    const value = new Map<string, string | undefined>(Object.entries(claims)).get(claim);
    if (value === undefined || !patterns.some((p) => stringLike(p, value)))
      return `${claim} ${value ?? "(absent)"} is not ${patterns.join(" or ")}`;
  }
  return undefined;
}

/**
 * Why a workspace cannot run in the pipeline, or undefined: CI runners keep nothing between runs, so
 * a local backend would start every plan from an empty state; and the role only trusts one repository.
 */
export function pipelineProblems(
  stack: SynthesizedStack,
  githubRepository?: string,
  sourceDir = "environments/eduautismo",
): string[] {
  const problems: string[] = [];
  const file = `${sourceDir}/${stack.workspace}.ts`;
  const backend = Object.keys(stack.root.terraform?.backend ?? {});
  if (!backend.includes("s3")) {
    problems.push(
      `${stack.workspace}: the state is local (backend "${backend.join(", ") || "none"}"); a CI runner keeps no files between runs. ` +
        `Set state: { bucket: "..." } in ${file} (see README, "Turning the pipeline on") before running the pipeline.`,
    );
  }
  if (!hasTerraformRoles(stack)) {
    problems.push(
      `${stack.workspace}: no Terraform roles (the deploy role cannot run Terraform, D84). Set security.deploy.terraformRoles: { enabled: true } ` +
        `in ${file} and apply the security module by hand first (README, "Turning the pipeline on").`,
    );
    return problems;
  }
  const trust = roleTrust(stack, "terraform-apply");
  if (githubRepository && trust.repository !== githubRepository) {
    problems.push(
      `${stack.workspace}: the Terraform roles trust ${trust.repository}, but this workflow runs in ${githubRepository}; ` +
        `set security.deploy.githubRepository in ${file} and apply the security module first.`,
    );
  }
  return problems;
}

/** The region of the workspace's default aws provider (where the pipeline's AWS calls go). */
export function providerRegion(stack: SynthesizedStack): string {
  const providers = ([] as Json[]).concat(stack.root.provider?.aws ?? []);
  const region = providers.find((p) => !p.alias)?.region;
  if (!region) throw new Error(`${stack.workspace}: no region on the default aws provider`);
  return region;
}

/** The S3 bucket of the workspace's state (where the pipeline also keeps its state backups). */
export function stateBucket(stack: SynthesizedStack): string | undefined {
  return stack.root.terraform?.backend?.s3?.bucket;
}

// --- plan summary --------------------------------------------------------------------------------------

interface PlanJsonChange {
  address: string;
  change: { actions: string[] };
}

const ACTION_ORDER = ["delete", "replace", "create", "update", "read"] as const;

function kind(actions: string[]): (typeof ACTION_ORDER)[number] | "no-op" {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  for (const a of ["delete", "create", "update", "read"] as const) if (actions.includes(a)) return a;
  return "no-op";
}

/** Markdown for `terraform show -json <planfile>`: counts first, then every changed address (deletions first). */
export function planSummary(
  workspace: string,
  plan: { resource_changes?: PlanJsonChange[] },
  planFile = "tfplan",
): string {
  const byKind = new Map<string, string[]>();
  for (const rc of plan.resource_changes ?? []) {
    const k = kind(rc.change.actions);
    if (k === "no-op") continue;
    byKind.set(k, [...(byKind.get(k) ?? []), rc.address]);
  }
  const count = (k: string) => byKind.get(k)?.length ?? 0;
  const lines = [
    `### Plan: ${workspace} (\`${planFile}\`)`,
    "",
    `**${count("create")} to add, ${count("update")} to change, ${count("replace")} to replace, ${count("delete")} to destroy.**`,
  ];
  if (count("delete") + count("replace") > 0)
    lines.push("", "> :warning: this plan destroys or replaces resources; read the list before approving.");
  for (const k of ACTION_ORDER) {
    const list = byKind.get(k);
    if (!list?.length) continue;
    lines.push(
      "",
      `<details${k === "delete" || k === "replace" ? " open" : ""}><summary>${k} (${list.length})</summary>`,
      "",
      ...list.sort().map((a) => `- \`${a}\``),
      "",
      "</details>",
    );
  }
  return lines.join("\n") + "\n";
}

// --- cost diff -----------------------------------------------------------------------------------------

export interface CostReport {
  /** workspace → module (and "total") → USD per month */
  readonly [workspace: string]: Record<string, number>;
}

/** Reads `npm run cost` output: `<ws> (<region>)` headers, `  <module>  $N` lines and `  total  $N   budget ...`. */
export function parseCostReport(text: string): CostReport {
  const report: Record<string, Record<string, number>> = {};
  let current: Record<string, number> | undefined;
  for (const line of text.split("\n")) {
    const header = /^([a-z][a-z0-9-]*(?:\/[a-z][a-z0-9-]*)?) \([a-z0-9-]+\)$/.exec(line);
    if (header) {
      current = report[header[1]] = {};
      continue;
    }
    const row = /^ {2}([a-z][a-z0-9_-]*)\s+\$([\d,]+\.\d{2})\b/.exec(line);
    if (row && current) current[row[1]] = Number(row[2].replace(/,/g, ""));
  }
  return report;
}

/**
 * Why a saved `npm run cost` output cannot be compared, or []: an empty file (the run failed; its errors went
 * to stderr), text without a `<ws> (<region>)` header (not a cost report), or a workspace without its
 * `total` line (a report cut short). `file` names the report in every message.
 */
export function costReportProblems(text: string, file: string): string[] {
  if (text.trim() === "")
    return [`${file}: empty: npm run cost wrote nothing (a failed run prints its error on stderr)`];
  const report = parseCostReport(text);
  const workspaces = Object.keys(report);
  if (workspaces.length === 0) return [`${file}: not an npm run cost report: no "<workspace> (<region>)" header line`];
  return workspaces
    .filter((ws) => report[ws].total === undefined)
    .map((ws) => `${file}: workspace ${ws} has no "total" line (the report is cut short)`);
}

const usd = (n: number) => `$${n.toFixed(2)}`;
const delta = (n: number) => (Math.abs(n) < 0.005 ? "±$0.00" : `${n > 0 ? "+" : "−"}$${Math.abs(n).toFixed(2)}`);

/**
 * A Markdown table of monthly totals per workspace, base vs head, and the modules whose estimate moved.
 * `labels` name the two sides (the pipeline's defaults: base branch → this pull request; `npm run cost -- --compare`
 * passes the ref and "this checkout").
 */
export function costDiff(
  base: CostReport,
  head: CostReport,
  labels: { base: string; head: string } = { base: "base branch", head: "this pull request" },
): string {
  const short =
    labels.head === "this pull request" ? { base: "base", head: "this PR" } : { base: "base", head: "head" };
  const lines = [
    `### Monthly cost estimate (npm run cost): ${labels.base} → ${labels.head}`,
    "",
    `| workspace | ${short.base} | ${short.head} | change |`,
    "|---|---:|---:|---:|",
  ];
  const moved: string[] = [];
  for (const ws of [...new Set([...Object.keys(head), ...Object.keys(base)])]) {
    const b = base[ws]?.total;
    const h = head[ws]?.total;
    lines.push(
      `| ${ws} | ${b === undefined ? "—" : usd(b)} | ${h === undefined ? "—" : usd(h)} | ${b === undefined || h === undefined ? "new/removed" : delta(h - b)} |`,
    );
    for (const m of [...new Set([...Object.keys(head[ws] ?? {}), ...Object.keys(base[ws] ?? {})])].filter(
      (m) => m !== "total",
    )) {
      const d = (head[ws]?.[m] ?? 0) - (base[ws]?.[m] ?? 0);
      if (Math.abs(d) >= 0.005)
        moved.push(`- ${ws} / ${m}: ${usd(base[ws]?.[m] ?? 0)} → ${usd(head[ws]?.[m] ?? 0)} (${delta(d)})`);
    }
  }
  lines.push("", moved.length ? "Modules whose estimate changed:" : "No module's estimate changed.", ...moved);
  return lines.join("\n") + "\n";
}

/**
 * The summary when the base branch's estimate is unavailable (`reason`: its problems): this side's totals
 * and a line saying nothing was compared, never "no change".
 */
export function costWithoutBase(
  head: CostReport,
  reason: string,
  labels: { base: string; head: string } = { base: "base branch", head: "this pull request" },
): string {
  const lines = [
    `### Monthly cost estimate (npm run cost): ${labels.head}`,
    "",
    `**Base estimate unavailable** (${labels.base}: ${reason}). Nothing is compared; the totals are ${labels.head}'s.`,
    "",
    "| workspace | total |",
    "|---|---:|",
    ...Object.keys(head).map((ws) => `| ${ws} | ${usd(head[ws].total)} |`),
  ];
  return lines.join("\n") + "\n";
}

// --- workflows follow the environment list --------------------------------------------------------------

/** The comment that marks a generated line (a list of workspaces) in `.github/workflows/`. */
export const GENERATED_LINE = "# workspaces: npm run pipeline -- workflows";
/** The comments around deploy.yml's generated applies, one job per workspace. */
export const GENERATED_BEGIN = "# BEGIN applies, one per workspace in order: npm run pipeline -- workflows";
export const GENERATED_END = "# END applies";

/** One apply job of deploy.yml: after the previous workspace's (the first after the tests), in its environment. */
function applyJob(ws: string, after: string): string[] {
  return [
    `  ${ws}:`,
    `    needs: ${after}`,
    "    permissions:",
    "      contents: read",
    "      id-token: write",
    "    uses: ./.github/workflows/terraform.yml",
    "    with:",
    `      workspace: ${ws}`,
    "      mode: apply",
  ];
}

/**
 * A workflow's text with its workspace lists made from `workspaces` (in promotion order): every line marked
 * GENERATED_LINE gets its `[a, b]` list or its shell `case … in a|b)` pattern, and the block between
 * GENERATED_BEGIN and GENERATED_END one apply job per workspace, each after the one before. Text outside the
 * marks is kept as written. Workspace names are job ids and YAML scalars as they are (the schema's name rule:
 * lowercase letters, digits, dashes).
 */
export function withWorkspaces(text: string, workspaces: readonly string[], first = "test"): string {
  if (workspaces.length === 0) throw new Error("no workspace: a product has at least one environment file");
  const out: string[] = [];
  let inBlock = false;
  for (const line of text.split("\n")) {
    if (line.trim() === GENERATED_END) inBlock = false;
    if (inBlock) continue;
    if (line.trim() === GENERATED_BEGIN) {
      inBlock = true;
      out.push(
        line,
        ...workspaces.flatMap((ws, i) => [
          ...(i > 0 ? [""] : []),
          ...applyJob(ws, i === 0 ? first : workspaces[i - 1]),
        ]),
      );
      continue;
    }
    if (!line.includes(GENERATED_LINE)) {
      out.push(line);
      continue;
    }
    const flow = /\[[^\]]*\]/;
    const pattern = /\bin [a-z0-9|-]+\)/;
    if (flow.test(line)) out.push(line.replace(flow, `[${workspaces.join(", ")}]`));
    else if (pattern.test(line)) out.push(line.replace(pattern, `in ${workspaces.join("|")})`));
    else throw new Error(`a line marked "${GENERATED_LINE}" has no [list] or case pattern: ${line.trim()}`);
  }
  if (inBlock) throw new Error(`"${GENERATED_BEGIN}" without "${GENERATED_END}"`);
  return out.join("\n");
}
