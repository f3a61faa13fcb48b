/**
 * The pipeline's Terraform roles (security.deploy.terraformRoles, D97): off by default, a read-only
 * plan role and an apply role that only main's Terraform workflow can assume, IAM writes limited to
 * the workspace's own roles, and the policy gate passing them as they are.
 */
import { loadEnvironments, WORKSPACES, PRODUCTS, productById } from "../../environments";
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
import { documentOf, resource, resourcesOf, synthAll, type Json, synthProduct } from "../helpers/synth";
import { pipelineReadyStacks, synthWorkspace } from "../helpers/workspace-fixture";
import {
  entriesFor,
  plannedTypes,
  RESOURCE_TYPE_ACTIONS,
  uncoveredTypes,
} from "../../modules/security/terraform-actions";
import { type PolicyStatement, policyDocument } from "../../lib/constructs/iam";
import { deployPolicyStatements } from "../../modules/security/deploy";
import { KMS_PURPOSES } from "../../modules/security/kms";

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
/** A role's trust policy, written as `jsonencode(local.<role>_trust)` (D213). */
const trustOf = (security: Json, role: string): Json =>
  documentOf(security, "aws_iam_role", role, "assume_role_policy");
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
    const equals = (security: Json) =>
      trustOf(security, "terraform_apply").Statement[0].Condition.StringEquals as Record<string, unknown>;
    expect(equals(on.staging.modules.security)).toMatchObject({
      "token.actions.githubusercontent.com:ref": "refs/heads/main",
      "token.actions.githubusercontent.com:job_workflow_ref":
        "${var.github_repository}/.github/workflows/terraform.yml@refs/heads/main",
    });
    const release = synthWorkspace("staging", (e) => roles(e, {}, { applyBranch: "release" })).modules.security;
    expect(equals(release)["token.actions.githubusercontent.com:ref"]).toBe("refs/heads/release");
  });

  test("both roles take their subjects from local.terraform_subjects: environments only, never a branch or pull_request", () => {
    expect(sec.locals.terraform_subjects).toBe(
      '${[for e in var.github_environments : "repo:${var.github_repository}:environment:${e}"]}',
    );
    for (const role of ["terraform_plan", "terraform_apply"]) {
      const trust = JSON.stringify(trustOf(sec, role));
      expect(trust).toContain('"token.actions.githubusercontent.com:sub":"${local.terraform_subjects}"');
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

// Formerly terraform-actions.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the Terraform roles cover what each workspace plans (terraform-actions)", () => {
  /**
   * The pipeline's Terraform roles cover what each workspace plans (issue 21 item 11): every resource and
   * data source type of every synthesized workspace of every product has an entry in
   * RESOURCE_TYPE_ACTIONS, and the roles allow every action of every entry (the plan role the reads, the
   * apply role the writes). Offline and structural: the synthesized JSON, no plan.
   */
  const ctx: TerraformRoleContext = {
    name: "p-w",
    secretPrefix: "p/w",
    bucketPrefix: "p-w",
    account: "123456789012",
    regions: ["us-east-1"],
    state: { bucket: "state", key: "workspaces/w/terraform.tfstate", backupPrefix: "state-backups/w/" },
  };

  /** Whether an Allow statement of `statements` grants `action` (IAM's `*` wildcard; a table pattern must be granted as a whole). */
  function allows(statements: PolicyStatement[], action: string): boolean {
    const glob = (p: string) =>
      new RegExp(
        `^${p
          .split("*")
          .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*")}$`,
        "i",
      );
    return statements.some((s) => s.Effect === "Allow" && [s.Action].flat().some((p) => glob(String(p)).test(action)));
  }

  /** Per planned type of `stack`, the table's actions the plan role (`plan`) or the apply role (`apply`) does not grant. */
  function missingActions(
    stack: { root: Json; modules: Record<string, Json> },
    plan: PolicyStatement[],
    apply: PolicyStatement[],
  ): { type: string; plan: string[]; apply: string[] }[] {
    const types = new Set([stack.root, ...Object.values(stack.modules)].flatMap(plannedTypes));
    return [...types]
      .map((type) => {
        const t = RESOURCE_TYPE_ACTIONS[type];
        return {
          type,
          plan: [...t.read, ...(t.refresh ?? [])].filter((a) => !allows(plan, a)),
          apply: t.write.filter((a) => !allows(apply, a)),
        };
      })
      .filter((m) => m.plan.length + m.apply.length > 0);
  }

  const withRoles = pipelineReadyStacks();

  describe("every planned type of every workspace of every product has an entry in RESOURCE_TYPE_ACTIONS", () => {
    const cases = PRODUCTS.flatMap((product) =>
      Object.entries(synthProduct(product).stacks).map(([ws, stack]) => [`${product.id}/${ws}`, stack] as const),
    );
    test.each(cases)("%s", (_label, stack) => {
      expect(uncoveredTypes(stack)).toEqual([]);
    });

    test("with the Terraform roles enabled (their own resource types included)", () => {
      for (const stack of Object.values(withRoles)) expect(uncoveredTypes(stack)).toEqual([]);
    });

    test("failing fixture: a workspace planning a type the table does not know is reported by type", () => {
      const stack = {
        root: {},
        modules: {
          queue: {
            resource: { aws_sqs_queue: { jobs: {} }, aws_vpc: { this: {} } },
            data: { aws_iam_policy_document: { x: {} } },
          },
        },
      };
      expect(uncoveredTypes(stack)).toEqual(["aws_sqs_queue", "data.aws_iam_policy_document"]);
    });

    test("failing fixture: roles for a workspace planning an unlisted type fail synthesis, naming the type and the table", () => {
      expect(() => entriesFor(["aws_vpc", "aws_sqs_queue"])).toThrow(
        /the workspace plans aws_sqs_queue, which modules\/security\/terraform-actions\.ts RESOURCE_TYPE_ACTIONS does not list/,
      );
    });
  });

  describe("the roles allow every action of the table", () => {
    const plan = [...readPolicyStatements(ctx), ...planPolicyStatements(ctx)];
    const apply = [...readPolicyStatements(ctx), ...applyPolicyStatements(ctx)];
    const rows = Object.entries(RESOURCE_TYPE_ACTIONS);

    test.each(rows)("%s: the plan role reads and refreshes it", (_type, t) => {
      expect([...t.read, ...(t.refresh ?? [])].filter((a) => !allows(plan, a))).toEqual([]);
    });

    test.each(rows)("%s: the apply role changes it", (_type, t) => {
      expect(t.write.filter((a) => !allows(apply, a))).toEqual([]);
    });

    test("the plan role decrypts the managed secrets and parameters only through Secrets Manager and SSM", () => {
      const decrypt = plan.filter((s) => [s.Action].flat().includes("kms:Decrypt"));
      expect(decrypt.length).toBeGreaterThan(0);
      for (const s of decrypt)
        expect(Object.keys((s.Condition as Record<string, Record<string, unknown>>).StringEquals)).toEqual([
          "kms:ViaService",
        ]);
    });

    test("failing fixture: an action no statement grants is found missing", () => {
      expect(allows(apply, "ec2:RunInstances")).toBe(true);
      expect(allows(apply, "sqs:CreateQueue")).toBe(false);
      expect(allows(plan, "ec2:RunInstances")).toBe(false);
    });
  });

  describe("each workspace's synthesized roles are derived from the types it plans", () => {
    const docs = (stack: (typeof withRoles)[string]) => {
      const r = stack.modules.security.resource;
      const parse = (p: string): PolicyStatement[] => JSON.parse(p).Statement;
      return {
        plan: [...parse(r.aws_iam_policy.terraform_read.policy), ...parse(r.aws_iam_role_policy.terraform_plan.policy)],
        apply: [
          ...parse(r.aws_iam_policy.terraform_read.policy),
          ...parse(r.aws_iam_role_policy.terraform_apply.policy),
        ],
      };
    };
    const typesOf = (stack: (typeof withRoles)[string]) =>
      new Set([stack.root, ...Object.values(stack.modules)].flatMap(plannedTypes));

    test.each(WORKSPACES)("%s: every action of every planned type is granted", (ws) => {
      const { plan, apply } = docs(withRoles[ws]);
      expect(missingActions(withRoles[ws], plan, apply)).toEqual([]);
    });

    test.each(WORKSPACES)("%s: no write of a service whose types it does not plan (least privilege)", (ws) => {
      const types = typesOf(withRoles[ws]);
      const services = new Set(
        [...types, "provider.aws"].flatMap((t) => RESOURCE_TYPE_ACTIONS[t].write.map((a) => a.split(":")[0])),
      );
      const inline: PolicyStatement[] = JSON.parse(
        withRoles[ws].modules.security.resource.aws_iam_role_policy.terraform_apply.policy,
      ).Statement;
      const granted = inline
        .filter((s) => s.Effect === "Allow")
        .flatMap((s) => [s.Action].flat().map((a) => String(a).split(":")[0]));
      // sts/iam statements of the roles' own trust and state (s3, kms) are not derived from types.
      expect([...new Set(granted)].filter((s) => !services.has(s) && !["s3", "kms", "iam"].includes(s))).toEqual([]);
    });
  });

  describe("Atena prod with the roles on (Parameter Store, NAT instance)", () => {
    const atena = productById("atena");
    const stack = synthWorkspace("prod", (e) => (e.security.deploy.terraformRoles = { enabled: true }), atena);
    const r = stack.modules.security.resource;
    const read: PolicyStatement[] = JSON.parse(r.aws_iam_policy.terraform_read.policy).Statement;
    const apply: PolicyStatement[] = [...read, ...JSON.parse(r.aws_iam_role_policy.terraform_apply.policy).Statement];

    test("the plan role reads the workspace's SecureString parameters and decrypts them through SSM only", () => {
      const params = read.find((s) => [s.Action].flat().includes("ssm:GetParameter"));
      expect(params?.Resource).toMatch(
        /^arn:aws:ssm:\*:\$\{var\.account_id\}:parameter\/\$\{var\.secret_prefix\}\/\*$|^arn:aws:ssm:\*:\d+:parameter\/.+\/\*$/,
      );
      const decrypt = read.find((s) => [s.Action].flat().includes("kms:Decrypt"));
      expect(JSON.stringify(decrypt?.Condition)).toMatch(/ssm\.[a-z0-9-]+\.amazonaws\.com/);
    });

    test("every action of every type it plans is granted", () => {
      expect(missingActions(stack, read, apply)).toEqual([]);
    });
  });
});

// Formerly security.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the security module's policies", () => {
  const { stacks } = synthAll();
  const sec: Json = stacks.production.modules.security;
  const policyOf = (type: string, name: string, attr = "policy") => JSON.parse(resource(sec, type, name)[attr]);
  const statements = (doc: Json): Json[] => doc.Statement;

  describe("KMS keys", () => {
    test("one customer-managed key per purpose: data, logs, audit, alarms", () => {
      expect(Object.keys(resourcesOf(sec, "aws_kms_key")).sort()).toEqual([...KMS_PURPOSES].sort());
    });

    test.each(KMS_PURPOSES)("the %s key rotates and has an explicit policy", (purpose) => {
      const key = resource(sec, "aws_kms_key", purpose);
      expect(key.enable_key_rotation).toBe(true);
      expect(statements(JSON.parse(key.policy)).length).toBeGreaterThan(1);
    });

    test.each(KMS_PURPOSES)("the %s key has the alias alias/<name>-%s", (purpose) => {
      expect(resource(sec, "aws_kms_alias", purpose).name).toBe(`alias/\${var.name}-${purpose}`);
    });

    test("no key policy names a wildcard principal or grants kms:*", () => {
      for (const purpose of KMS_PURPOSES) {
        for (const s of statements(policyOf("aws_kms_key", purpose))) {
          expect(s.Principal).not.toBe("*");
          expect(s.Principal.AWS ?? "").not.toBe("*");
          expect([s.Action].flat()).not.toContain("kms:*");
        }
      }
    });

    test("account principals use the data key only through S3, RDS, ElastiCache, Secrets Manager and ECR", () => {
      const use = statements(policyOf("aws_kms_key", "data")).find(
        (s) => s.Sid === "AccountUsesKeyThroughServices",
      ) as Json;
      expect(use.Condition.StringEquals["kms:ViaService"]).toEqual(
        ["s3", "rds", "elasticache", "secretsmanager", "ecr"].map((s) => `${s}.\${var.region}.amazonaws.com`),
      );
    });

    test("the logs key is usable by CloudWatch Logs of this region for this account's log groups only", () => {
      const logs = statements(policyOf("aws_kms_key", "logs")).find((s) => s.Sid === "CloudWatchLogsUsesKey") as Json;
      expect(logs.Principal).toEqual({ Service: "logs.${var.region}.amazonaws.com" });
      expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe(
        "arn:aws:logs:${var.region}:${var.account_id}:log-group:*",
      );
    });

    test("CloudTrail may encrypt with the audit key only for this environment's trail", () => {
      const ct = statements(policyOf("aws_kms_key", "audit")).find((s) => s.Sid === "CloudTrailEncryptsLogs") as Json;
      expect(ct.Condition.StringEquals["aws:SourceArn"]).toBe(
        "arn:aws:cloudtrail:${var.region}:${var.account_id}:trail/${var.name}-trail",
      );
    });

    test("CloudWatch alarms may publish to SNS topics encrypted with the alarms key", () => {
      const cw = statements(policyOf("aws_kms_key", "alarms")).find((s) => s.Sid === "CloudWatchAlarmsPublish") as Json;
      expect(cw.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
    });
  });

  describe("WAF", () => {
    const acl = resource(sec, "aws_wafv2_web_acl", "this");

    test("is regional, allows by default and exists only when enabled", () => {
      expect(acl).toMatchObject({ scope: "REGIONAL", count: "${var.enable_waf ? 1 : 0}" });
      expect(acl.default_action).toEqual({ allow: {} });
    });

    test("rate-limits each IP over a 60-second window, at the configured limit", () => {
      const rate = acl.dynamic.rule.find((d: Json) => d.content.name === "rate-limit-per-ip").content;
      expect(rate.statement[0].rate_based_statement[0]).toEqual({
        limit: "${var.waf_rate_limit}",
        aggregate_key_type: "IP",
        evaluation_window_sec: 60,
      });
      expect(rate.action).toEqual([{ block: [{}] }]);
    });

    test("applies the AWS managed groups for SQL injection, common exploits (XSS) and known bad inputs", () => {
      const groups = acl.rule.map((r: Json) => r.statement[0].managed_rule_group_statement?.[0].name).filter(Boolean);
      expect(groups).toEqual(
        expect.arrayContaining([
          "AWSManagedRulesSQLiRuleSet",
          "AWSManagedRulesCommonRuleSet",
          "AWSManagedRulesKnownBadInputsRuleSet",
        ]),
      );
    });

    test("blocks every country outside the allow-list, when the list is not empty", () => {
      const geo = acl.dynamic.rule.find((d: Json) => d.content.name === "geo-allow-list");
      expect(geo.for_each).toBe("${(var.waf_ip_rules && (length(var.waf_allowed_countries) > 0)) ? [1] : []}");
      expect(geo.content.statement[0].not_statement[0].statement[0].geo_match_statement[0].country_codes).toBe(
        "${var.waf_allowed_countries}",
      );
    });

    test("adds Bot Control only when switched on", () => {
      const bot = acl.dynamic.rule.find((d: Json) => d.content.name === "AWSManagedRulesBotControlRuleSet");
      expect(bot.for_each).toBe("${var.waf_enable_bot_control ? [1] : []}");
    });

    test("publishes CloudWatch metrics for the ACL and every rule", () => {
      const rules = [...acl.rule, ...acl.dynamic.rule.map((d: Json) => d.content)];
      for (const r of rules) expect(r.visibility_config[0].cloudwatch_metrics_enabled).toBe(true);
      expect(acl.visibility_config.cloudwatch_metrics_enabled).toBe(true);
    });

    test("logs to a KMS-encrypted aws-waf-logs- group", () => {
      expect(resource(sec, "aws_cloudwatch_log_group", "waf")).toMatchObject({
        name: "aws-waf-logs-${var.name}",
        kms_key_id: "${aws_kms_key.logs.arn}",
      });
      expect(resource(sec, "aws_wafv2_web_acl_logging_configuration", "this").log_destination_configs).toEqual([
        "${aws_cloudwatch_log_group.waf[0].arn}",
      ]);
    });
  });

  describe("application secrets", () => {
    test("are encrypted with the data key and named <project>/<env>/<name>", () => {
      expect(resource(sec, "aws_secretsmanager_secret", "app")).toMatchObject({
        kms_key_id: "${aws_kms_key.data.arn}",
        name: "${var.secret_prefix}/${each.key}",
        for_each: "${toset(var.secret_names)}",
      });
      expect(stacks.production.root.module.security.secret_prefix).toBe("eduautismo-ia/${var.environment}");
    });

    test("are exposed by ARN only", () => {
      expect(sec.output.secret_arns.value).toBe("${{ for k, s in aws_secretsmanager_secret.app : k => s.arn }}");
    });
  });

  describe("audit trail", () => {
    const trail = resource(sec, "aws_cloudtrail", "this");

    test("is multi-region, validates log files and encrypts with the audit key", () => {
      expect(trail).toMatchObject({
        is_multi_region_trail: true,
        include_global_service_events: true,
        enable_log_file_validation: true,
        kms_key_id: "${aws_kms_key.audit.arn}",
      });
    });

    test("writes to its dedicated bucket, whose policy admits only this trail", () => {
      expect(trail.s3_bucket_name).toBe("${aws_s3_bucket.cloudtrail.0.id}");
      const policy = JSON.parse(resource(sec, "aws_s3_bucket_policy", "cloudtrail").policy);
      const write = statements(policy).find((s) => s.Sid === "CloudTrailWrite") as Json;
      expect(write.Condition.StringEquals["aws:SourceArn"]).toBe(
        "arn:aws:cloudtrail:${var.region}:${var.account_id}:trail/${var.name}-trail",
      );
      expect(write.Resource).toBe("${aws_s3_bucket.cloudtrail.0.arn}/AWSLogs/${var.account_id}/*");
    });

    test("its CloudWatch Logs role trusts cloudtrail.amazonaws.com in AWS's documented form, without aws:SourceArn/aws:SourceAccount", () => {
      const trust = JSON.parse(resource(sec, "aws_iam_role", "cloudtrail").assume_role_policy);
      expect(trust).toEqual({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
      });
    });

    test("its CloudWatch Logs role may only create and write the trail's <account>_CloudTrail_<region> streams", () => {
      const doc = JSON.parse(resource(sec, "aws_iam_role_policy", "cloudtrail").policy);
      expect(statements(doc)).toEqual([
        {
          Sid: "WriteTrailLogStreams",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: "${aws_cloudwatch_log_group.cloudtrail[0].arn}:log-stream:${var.account_id}_CloudTrail_*",
        },
      ]);
    });
  });

  describe("GitHub Actions deploy role", () => {
    test("trusts only GitHub's OIDC provider, for sts.amazonaws.com and the configured repo refs", () => {
      const [statement] = trustOf(sec, "github_actions").Statement;
      expect(statement.Principal).toEqual({ Federated: "${local.github_oidc_provider_arn}" });
      expect(statement.Condition).toEqual({
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: { "token.actions.githubusercontent.com:sub": "${local.github_subjects}" },
      });
      expect(sec.locals.github_subjects).toContain('"repo:${var.github_repository}:ref:refs/heads/${b}"');
      expect(sec.locals.github_subjects).toContain('"repo:${var.github_repository}:environment:${e}"');
    });

    test("production deploys come from main or the production GitHub environment of the seed's repository", () => {
      expect(stacks.production.root.module.security).toMatchObject({
        github_repository: "cleybersilva/eduautismo-ia-mvp",
        github_branches: ["main"],
        github_environments: ["production"],
      });
    });

    test("its policy names no wildcard action and passes only this environment's ECS roles to ECS", () => {
      const doc = policyOf("aws_iam_role_policy", "github_actions");
      for (const s of statements(doc)) for (const a of [s.Action].flat()) expect(a).not.toMatch(/^\*$|:\*$/);
      const pass = statements(doc).find((s) => s.Sid === "PassEcsRoles") as Json;
      expect(pass.Resource).toBe("arn:aws:iam::${var.account_id}:role/${var.name}-ecs-*");
      expect(pass.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
    });

    test("only the actions without resource-level permissions use Resource *", () => {
      const star = deployPolicyStatements({ name: "n", account: "1", region: "r" }).filter((s) => s.Resource === "*");
      expect(star.flatMap((s) => [s.Action].flat()).sort()).toEqual([
        "ecr:GetAuthorizationToken",
        "ecs:DescribeTaskDefinition",
        "ecs:RegisterTaskDefinition",
      ]);
    });

    test("the root exports github_actions_role_arn (seed 002)", () => {
      expect(stacks.dev.root.output.github_actions_role_arn.value).toBe("${module.security.github_actions_role_arn}");
    });
  });

  test("a policy document refuses a wildcard action", () => {
    expect(() => policyDocument([{ Sid: "Bad", Effect: "Allow", Action: "s3:*", Resource: "*" }])).toThrow(
      "policy statement Bad allows a wildcard action (s3:*): list the actions it needs",
    );
  });
});
