/**
 * The pipeline's Terraform roles (security.deploy.terraformRoles, D97): off by default, a read-only
 * plan role and an apply role that only main's Terraform workflow can assume, IAM writes limited to
 * the workspace's own roles, and the policy gate passing them as they are.
 */
import { loadEnvironments, WORKSPACES } from "../../environments";
import { evaluatePolicy } from "../../tools/policy";
import { CHECKS } from "../../tools/policy/checks";
import { policyModel } from "../../tools/policy/model";
import { TERRAFORM_ROLES_NEED_ENVIRONMENTS, TERRAFORM_ROLES_NEED_STATE } from "../../modules/security/config";
import {
  applyPolicyStatements,
  planPolicyStatements,
  readPolicyStatements,
  ROLE_WRITE_ACTIONS,
  type TerraformRoleContext,
} from "../../modules/security/terraform-role";
import { problems, type Mutable } from "../helpers/config";
import { resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { pipelineReadyStacks, synthWorkspace } from "../helpers/workspace-fixture";

const STATE = "eduautismo-ia-terraform-state";
/** Turns the roles on in one workspace's input (remote state included), with `deploy` and `roles` overrides. */
function roles(env: Mutable, deploy: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): void {
  env.state = { bucket: STATE, key: "eduautismo-ia/terraform.tfstate" };
  env.security.deploy = { ...env.security.deploy, ...deploy, terraformRoles: { enabled: true, ...extra } };
}
const { stacks: off } = synthAll();
const on = pipelineReadyStacks();
const sec: Json = on.production.modules.security;
const doc = (type: string, name: string, attr = "policy") => JSON.parse(resource(sec, type, name)[attr]);
const statements = (d: Json): Json[] => d.Statement;
const actionsOf = (s: Json): string[] => [s.Action].flat();
const ctx: TerraformRoleContext = {
  name: "eduautismo-ia-production",
  secretPrefix: "eduautismo-ia/production",
  bucketPrefix: "eduautismo-ia-production",
  account: "123456789012",
  regions: ["us-east-1"],
  state: {
    bucket: STATE,
    key: "workspaces/production/eduautismo-ia/terraform.tfstate",
    backupPrefix: "state-backups/production/",
  },
};
/** The characters IAM counts (no whitespace), with the real names in place of the module variables. */
const iamLength = (policy: string) =>
  policy
    .replace(/\$\{var\.name\}/g, ctx.name)
    .replace(/\$\{var\.secret_prefix\}/g, ctx.secretPrefix)
    .replace(/\$\{var\.bucket_prefix\}/g, ctx.bucketPrefix)
    .replace(/\$\{var\.account_id\}/g, ctx.account)
    .replace(/\s/g, "").length;

describe("off by default", () => {
  test.each(WORKSPACES)("%s has no Terraform role, policy or output", (ws) => {
    expect(
      Object.keys(resourcesOf(off[ws].modules.security, "aws_iam_role")).filter((r) => r.startsWith("terraform")),
    ).toEqual([]);
    expect(resourcesOf(off[ws].modules.security, "aws_iam_policy")).toEqual({});
    expect(Object.keys(off[ws].root.output ?? {}).filter((o) => o.startsWith("terraform_"))).toEqual([]);
  });

  test("enabled, each workspace gets the root outputs terraform_plan_role_arn and terraform_apply_role_arn", () => {
    for (const ws of WORKSPACES) {
      expect(on[ws].root.output.terraform_plan_role_arn.value).toBe("${module.security.terraform_plan_role_arn}");
      expect(on[ws].root.output.terraform_apply_role_arn.value).toBe("${module.security.terraform_apply_role_arn}");
    }
  });

  test("enabled, the roles are <name>-terraform-plan and <name>-terraform-apply, with the read policy attached to both", () => {
    expect(resource(sec, "aws_iam_role", "terraform_plan").name).toBe("${var.name}-terraform-plan");
    expect(resource(sec, "aws_iam_role", "terraform_apply").name).toBe("${var.name}-terraform-apply");
    expect(resource(sec, "aws_iam_role_policy_attachment", "terraform_plan_read").policy_arn).toBe(
      "${aws_iam_policy.terraform_read.arn}",
    );
    expect(resource(sec, "aws_iam_role_policy_attachment", "terraform_apply_read").policy_arn).toBe(
      "${aws_iam_policy.terraform_read.arn}",
    );
  });
});

describe("config rules", () => {
  test("the roles need remote state: the error names the field", () => {
    expect(problems("dev", (e) => (e.security.deploy.terraformRoles = { enabled: true }))).toContain(
      `dev.security.deploy.terraformRoles.enabled: ${TERRAFORM_ROLES_NEED_STATE}`,
    );
  });

  test("the roles need a GitHub Environment to trust", () => {
    expect(problems("dev", (e) => roles(e, { githubEnvironments: [] }))).toContain(
      `dev.security.deploy.terraformRoles.enabled: ${TERRAFORM_ROLES_NEED_ENVIRONMENTS}`,
    );
  });

  test("the workflow must be a file under .github/workflows/", () => {
    expect(problems("dev", (e) => roles(e, {}, { workflow: "terraform.yml" })).join("\n")).toContain(
      "security.deploy.terraformRoles.workflow: a workflow file under .github/workflows/",
    );
  });
});

describe("trust", () => {
  test("the apply role requires ref refs/heads/<applyBranch> and the Terraform workflow at that ref", () => {
    const trust: string = resource(on.staging.modules.security, "aws_iam_role", "terraform_apply").assume_role_policy;
    expect(trust).toContain('"token.actions.githubusercontent.com:ref" = "refs/heads/main"');
    expect(trust).toContain(
      '"token.actions.githubusercontent.com:job_workflow_ref" = "${var.github_repository}/.github/workflows/terraform.yml@refs/heads/main"',
    );
    const release = synthWorkspace("staging", (e) => roles(e, {}, { applyBranch: "release" })).modules.security;
    expect(resource(release, "aws_iam_role", "terraform_apply").assume_role_policy).toContain(
      '"token.actions.githubusercontent.com:ref" = "refs/heads/release"',
    );
  });

  test("both roles take their subjects from local.terraform_subjects: environments only, never a branch or pull_request", () => {
    expect(sec.locals.terraform_subjects).toBe(
      '${[for e in var.github_environments : "repo:${var.github_repository}:environment:${e}"]}',
    );
    for (const role of ["terraform_plan", "terraform_apply"]) {
      const trust: string = resource(sec, "aws_iam_role", role).assume_role_policy;
      expect(trust).toContain('"token.actions.githubusercontent.com:sub" = local.terraform_subjects');
      expect(trust).not.toContain("pull_request");
      expect(trust).not.toContain("github_subjects");
    }
  });
});

describe("permissions", () => {
  test("the plan role writes nothing but the state's lock file", () => {
    const writes = [
      ...statements(doc("aws_iam_role_policy", "terraform_plan")),
      ...statements(doc("aws_iam_policy", "terraform_read")),
    ].filter((s) =>
      actionsOf(s).some((a) =>
        /:(Put|Delete|Create|Update|Modify|Attach|Detach|Tag|Untag|Set|Register|Deregister|Pass)/.test(a),
      ),
    );
    expect(writes.map((s) => [s.Sid, s.Resource])).toEqual([
      ["StateLock", `arn:aws:s3:::${STATE}/workspaces/production/eduautismo-ia/terraform.tfstate.tflock`],
    ]);
  });

  test("neither role reads data: no object, log event or application secret value", () => {
    for (const s of [...readPolicyStatements(ctx), ...planPolicyStatements(ctx), ...applyPolicyStatements(ctx)].filter(
      (x) => x.Effect === "Allow",
    )) {
      const acts = actionsOf(s);
      if (acts.includes("s3:GetObject"))
        expect([s.Resource].flat().every((r) => String(r).includes(`${STATE}/workspaces/production/`))).toBe(true);
      expect(
        acts.filter((a) => ["logs:GetLogEvents", "logs:Get*", "s3:Get*", "secretsmanager:Get*"].includes(a)),
      ).toEqual([]);
      if (acts.includes("secretsmanager:GetSecretValue")) {
        expect(s.Resource).toEqual(
          ["db-master", "db-app", "redis-auth"].map(
            (n) => `arn:aws:secretsmanager:*:${ctx.account}:secret:${ctx.secretPrefix}/${n}-??????`,
          ),
        );
      }
    }
  });

  test("the apply role changes IAM roles only named <name>-* (or serverlessrepo-<name>-*, the rotation function's stack, D170), and never its own or the plan role", () => {
    const st = applyPolicyStatements(ctx);
    const iamWrites = st.filter(
      (s) =>
        s.Effect === "Allow" && actionsOf(s).some((a) => a.startsWith("iam:") && a !== "iam:CreateServiceLinkedRole"),
    );
    for (const s of iamWrites)
      expect([s.Resource].flat()).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^arn:aws:iam::123456789012:(role\/(serverlessrepo-)?eduautismo-ia-production-\*|oidc-provider\/token\.actions\.githubusercontent\.com)$/,
          ),
        ]),
      );
    const deny = st.find((s) => s.Sid === "NeverChangeTheTerraformRoles")!;
    expect(deny).toMatchObject({
      Effect: "Deny",
      Resource: "arn:aws:iam::123456789012:role/eduautismo-ia-production-terraform-*",
    });
    expect(actionsOf(deny)).toEqual(expect.arrayContaining([...ROLE_WRITE_ACTIONS, "iam:PassRole"]));
  });

  test("the apply role attaches only AWS service-role policies and passes roles only to the platform's services", () => {
    const st = applyPolicyStatements(ctx);
    expect(st.find((s) => s.Sid === "AttachServiceRolePolicies")!.Condition).toEqual({
      ArnLike: { "iam:PolicyARN": ["arn:aws:iam::aws:policy/service-role/*"] },
    });
    expect(Object.keys(st.find((s) => s.Sid === "PassPlatformRoles")!.Condition!.StringEquals)).toEqual([
      "iam:PassedToService",
    ]);
    expect(
      st.some(
        (s) =>
          s.Effect === "Allow" &&
          actionsOf(s).some((a) =>
            /^iam:(CreateUser|CreateAccessKey|CreatePolicy|CreatePolicyVersion|PutUserPolicy)/.test(a),
          ),
      ),
    ).toBe(false);
  });

  test("the apply role cannot reconfigure or delete the state bucket, nor switch the trail off", () => {
    const st = applyPolicyStatements(ctx);
    const deny = st.find((s) => s.Sid === "NeverReconfigureTheStateBucket")!;
    expect(deny.Resource).toEqual([`arn:aws:s3:::${STATE}`, `arn:aws:s3:::${STATE}/*`]);
    expect(actionsOf(deny)).toEqual(
      expect.arrayContaining(["s3:DeleteBucket", "s3:PutBucket*", "s3:DeleteObjectVersion"]),
    );
    expect(st.flatMap(actionsOf)).not.toContain("cloudtrail:StopLogging");
  });

  test("the apply role writes the state, its lock and the pipeline's backups (D85)", () => {
    const st = applyPolicyStatements(ctx);
    expect(st.find((s) => s.Sid === "ReadWriteState")!.Resource).toBe(
      `arn:aws:s3:::${STATE}/workspaces/production/eduautismo-ia/terraform.tfstate`,
    );
    expect(st.find((s) => s.Sid === "StateBackups")!.Resource).toBe(`arn:aws:s3:::${STATE}/state-backups/production/*`);
  });

  test("a state key of its own (state.kmsKeyId) is granted to both roles", () => {
    const kms = { ...ctx, state: { ...ctx.state, kmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" } };
    for (const st of [planPolicyStatements(kms), applyPolicyStatements(kms)]) {
      expect(st.find((s) => s.Sid === "StateKey")!.Resource).toBe(
        "arn:aws:kms:*:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      );
    }
  });

  test("every policy stays under IAM's size limits (inline per role 10,240; managed 6,144 characters)", () => {
    const apply = iamLength(resource(sec, "aws_iam_role_policy", "terraform_apply").policy);
    const plan = iamLength(resource(sec, "aws_iam_role_policy", "terraform_plan").policy);
    const read = iamLength(resource(sec, "aws_iam_policy", "terraform_read").policy);
    expect({ apply: apply < 10_240, plan: plan < 10_240, read: read < 6_144 }).toEqual({
      apply: true,
      plan: true,
      read: true,
    });
  });
});

describe("policy gate", () => {
  const envs = Object.fromEntries(loadEnvironments().map((e) => [e.workspace, e]));
  test.each(WORKSPACES)("%s with the Terraform roles passes every IAM check, the roles included", (ws) => {
    const r = evaluatePolicy(
      on[ws],
      envs[ws],
      CHECKS.filter((c) => c.category === "iam"),
    );
    expect(r.results.filter((x) => x.status === "failed").map((x) => x.check.id)).toEqual([]);
    const model = policyModel(on[ws]);
    const looked = (id: string) =>
      CHECKS.find((c) => c.id === id)!
        .evaluate(model)
        .map((f) => f.address)
        .filter((a) => a.includes("terraform"));
    expect(looked("iam-trust-policy")).toEqual([
      "module.security.aws_iam_role.terraform_plan",
      "module.security.aws_iam_role.terraform_apply",
    ]);
    expect(looked("iam-oidc-role-writer-pinned")).toEqual(["module.security.aws_iam_role.terraform_apply"]);
    expect(looked("iam-no-wildcard-actions").sort()).toEqual([
      "module.security.aws_iam_policy.terraform_read",
      "module.security.aws_iam_role_policy.terraform_apply",
      "module.security.aws_iam_role_policy.terraform_plan",
    ]);
  });
});

describe("policy check iam-oidc-role-writer-pinned", () => {
  const check = CHECKS.find((c) => c.id === "iam-oidc-role-writer-pinned")!;
  test("looks only at GitHub OIDC roles that may change IAM roles: the apply role, not the deploy or plan role", () => {
    expect(check.evaluate(policyModel(off.production))).toEqual([]);
    expect(check.evaluate(policyModel(on.production))).toEqual([
      { address: "module.security.aws_iam_role.terraform_apply", problem: undefined },
    ]);
  });
});
