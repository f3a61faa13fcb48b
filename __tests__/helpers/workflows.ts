/**
 * Reads `.github/workflows/*.yml` as data for the pipeline tests: which jobs assume the AWS deploy
 * role, for which workspaces and in which GitHub Environment, following reusable-workflow calls
 * (`uses: ./.github/workflows/x.yml` with `workspace: <literal | ${{ matrix.workspace }} | ${{ inputs.workspace }}>`).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const WORKFLOW_DIR = path.join(__dirname, "..", "..", ".github", "workflows");

export type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Workflow {
  readonly file: string;
  readonly text: string;
  readonly doc: Doc;
}

export function loadWorkflows(dir = WORKFLOW_DIR): Workflow[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      return { file, text, doc: parse(text) as Doc };
    });
}

export function jobs(w: Workflow): [string, Doc][] {
  return Object.entries<Doc>(w.doc.jobs ?? {});
}

/** Events a workflow runs on (`on:` as a string, a list or a map). */
export function events(w: Workflow): string[] {
  const on = w.doc.on;
  return typeof on === "string" ? [on] : Array.isArray(on) ? on : Object.keys(on ?? {});
}

export const ROLE_ACTION = "aws-actions/configure-aws-credentials@";

export function roleStep(job: Doc): Doc | undefined {
  return (job.steps ?? []).find((s: Doc) => typeof s.uses === "string" && s.uses.startsWith(ROLE_ACTION));
}

export interface RoleUse {
  /** Where the credentials step is. */
  readonly workflow: string;
  readonly job: string;
  /** The workflow and job that start it (itself, or the caller of a reusable workflow). */
  readonly via: string;
  readonly events: string[];
  readonly workspace: string;
  /** The GitHub Environment the job runs in, or undefined. */
  readonly environment?: string;
  /** The `mode` input the caller passes to a reusable workflow (plan, apply, rollout), if any. */
  readonly mode?: string;
  /** The reusable workflow the step runs in (`.github/workflows/<file>`): its jobs' tokens carry it as `job_workflow_ref`. */
  readonly reusableWorkflow?: string;
  readonly step: Doc;
}

/** The values `${{ <expr> }}` can take in a calling job (literal, matrix entry or dispatch choice). */
function valuesIn(value: unknown, caller: Workflow, job: Doc): string[] {
  if (typeof value !== "string") return [];
  const m = /^\$\{\{\s*(matrix|inputs)\.([a-z_]+)\s*\}\}$/.exec(value);
  if (!m) {
    if (value.includes("${{")) throw new Error(`${caller.file}: cannot resolve ${value}`);
    return [value];
  }
  const list =
    m[1] === "matrix" ? job.strategy?.matrix?.[m[2]] : caller.doc.on?.workflow_dispatch?.inputs?.[m[2]]?.options;
  if (!Array.isArray(list))
    throw new Error(`${caller.file}: ${value} has no list of values (a matrix list or dispatch choices)`);
  return list.map(String);
}

/** Every (job, workspace) pair that assumes the deploy role, with the environment it runs in. */
export function roleUses(all: Workflow[]): RoleUse[] {
  const uses: RoleUse[] = [];
  for (const w of all) {
    for (const [id, job] of jobs(w)) {
      const step = roleStep(job);
      if (!step) continue;
      const reusable = events(w).includes("workflow_call");
      if (!reusable) {
        const env = typeof job.environment === "object" ? job.environment?.name : job.environment;
        const ws = valuesIn(env, w, job);
        for (const workspace of ws.length ? ws : ["?"])
          uses.push({
            workflow: w.file,
            job: id,
            via: `${w.file}:${id}`,
            events: events(w),
            workspace,
            environment: env && workspace,
            step,
          });
        continue;
      }
      const envExpr = typeof job.environment === "object" ? job.environment?.name : job.environment;
      for (const caller of all) {
        for (const [callerId, callerJob] of jobs(caller)) {
          if (callerJob.uses !== `./.github/workflows/${w.file}`) continue;
          for (const workspace of valuesIn(callerJob.with?.workspace, caller, callerJob)) {
            const environment = envExpr === "${{ inputs.workspace }}" ? workspace : envExpr;
            const mode = typeof callerJob.with?.mode === "string" ? callerJob.with.mode : undefined;
            uses.push({
              workflow: w.file,
              job: id,
              via: `${caller.file}:${callerId}`,
              events: events(caller),
              workspace,
              environment,
              mode,
              reusableWorkflow: `.github/workflows/${w.file}`,
              step,
            });
          }
        }
      }
    }
  }
  return uses;
}
