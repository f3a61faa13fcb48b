/**
 * The pipeline's Terraform roles cover what each workspace plans (issue 21 item 11): every resource and
 * data source type of every synthesized workspace of every product has an entry in
 * RESOURCE_TYPE_ACTIONS, and the roles allow every action of every entry (the plan role the reads, the
 * apply role the writes). Offline and structural: the synthesized JSON, no plan.
 */
import { PRODUCTS, productById, WORKSPACES } from "../../environments";
import {
  entriesFor,
  plannedTypes,
  RESOURCE_TYPE_ACTIONS,
  uncoveredTypes,
} from "../../modules/security/terraform-actions";
import {
  applyPolicyStatements,
  planPolicyStatements,
  readPolicyStatements,
  type TerraformRoleContext,
} from "../../modules/security/terraform-role";
import type { PolicyStatement } from "../../lib/constructs/iam";
import { synthProduct, type Json } from "../helpers/synth";
import { pipelineReadyStacks, synthWorkspace } from "../helpers/workspace-fixture";

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
      apply: [...parse(r.aws_iam_policy.terraform_read.policy), ...parse(r.aws_iam_role_policy.terraform_apply.policy)],
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
