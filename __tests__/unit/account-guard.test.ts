/**
 * Day-one guards (D145, D146): every aws provider of every synthesized root accepts only its account; example
 * values warn at plan and are listed in the runbook; a workspace that serves users keeps its state in S3.
 */
import * as fs from "fs";
import * as path from "path";
import { ATENA } from "../../environments/atena";
import { loadEnvironments, PRODUCTS, type Product } from "../../environments";
import { BootstrapSchema } from "../../environments/bootstrap";
import { runbookPath } from "../../tools/product-runbook";
import { placeholderCheckName, placeholdersOf, PLACEHOLDER_SHAPES } from "../../lib/core/placeholders";
import { providerAccountProblems } from "../helpers/root-guards";
import { problems } from "../helpers/config";
import { synthProduct, type Json } from "../helpers/synth";
import { synthWorkspace } from "../helpers/workspace-fixture";

const roots = (product: Product) => {
  const { outdir } = synthProduct(product);
  const base = path.join(outdir, product.outDir, "stacks");
  return fs
    .readdirSync(base)
    .map((ws) => ({ ws, root: JSON.parse(fs.readFileSync(path.join(base, ws, "cdk.tf.json"), "utf8")) as Json }));
};

describe.each(PRODUCTS.map((p) => [p.id, p] as const))("%s", (_id, product) => {
  const envs = loadEnvironments(product.environments, product);
  const accountOf = (ws: string) =>
    ws === "bootstrap"
      ? BootstrapSchema.parse(product.bootstrap).accountId
      : envs.find((e) => e.workspace === ws)?.accountId;

  test("every aws provider block of every root (aliases and the bootstrap included) accepts only its account", () => {
    const all = roots(product);
    expect(all.map((r) => r.ws)).toContain("bootstrap");
    expect(all.flatMap(({ ws, root }) => providerAccountProblems(root, accountOf(ws) as string, ws))).toEqual([]);
  });

  test("every example value of each workspace has its plan warning (check block) in the root", () => {
    for (const { ws, root } of roots(product).filter((r) => r.ws !== "bootstrap")) {
      const env = envs.find((e) => e.workspace === ws);
      const expected = placeholdersOf(env).map(placeholderCheckName).sort();
      expect(
        Object.keys(root.check ?? {})
          .filter((c) => c.startsWith("placeholder_"))
          .sort(),
      ).toEqual(expected);
    }
  });

  test("the product's production workspace is one of its environments (or its remote-state rule guards nothing)", () => {
    expect(Object.keys(product.environments)).toContain(product.productionWorkspace);
  });
});

describe("the account guard's structural rule (failing fixtures)", () => {
  const root = (providers: Json[]) => ({ provider: { aws: providers } });

  test("an alias without allowed_account_ids is refused, by name", () => {
    expect(
      providerAccountProblems(
        root([{ allowed_account_ids: ["123456789012"] }, { alias: "us_east_1" }]),
        "123456789012",
        "production",
      ),
    ).toEqual(['production: provider "aws" (alias us_east_1) has no allowed_account_ids; it must be ["123456789012"]']);
  });

  test("a provider allowing another account, or several, is refused", () => {
    expect(
      providerAccountProblems(root([{ allowed_account_ids: ["210987654321"] }]), "123456789012", "dev"),
    ).toHaveLength(1);
    expect(
      providerAccountProblems(root([{ allowed_account_ids: ["123456789012", "210987654321"] }]), "123456789012", "dev"),
    ).toHaveLength(1);
  });

  test("a root without an aws provider is refused", () => {
    expect(providerAccountProblems({}, "123456789012", "dev")).toEqual(["dev: no aws provider block"]);
  });
});

describe("placeholders", () => {
  test("each shape recognises its example value and leaves real-looking values alone", () => {
    const examples = [
      "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000003",
      "example-org/shop",
      "444444444444",
    ];
    expect(examples.map((v) => PLACEHOLDER_SHAPES.find((s) => new RegExp(s.pattern).test(v))?.what)).toEqual(
      PLACEHOLDER_SHAPES.map((s) => s.what),
    );
    const real = [
      "123456789012",
      "arn:aws:acm:us-east-1:123456789012:certificate/1a2b3c4d-0000-4000-8000-123456789abc",
      "cleybersilva/eduautismo-ia-mvp",
      "1111111111111",
    ];
    expect(placeholdersOf(real)).toEqual([]);
  });

  test("a replaced value loses its warning: no check block for an account id that is not an example", () => {
    const { root } = synthWorkspace("dev", (e) => (e.accountId = "123456789012"));
    expect(Object.keys(root.check ?? {})).not.toContain("placeholder_accountId");
    expect(root.provider.aws[0].allowed_account_ids).toEqual(["123456789012"]);
  });
});

describe("remote state where users are served (D146, failing fixtures)", () => {
  test("a production-like workspace with a local state is refused, with the field path", () => {
    expect(problems("staging", (e) => delete e.state)).toEqual([
      expect.stringMatching(/^staging\.state: a production-like workspace keeps its state in S3 with use_lockfile/),
    ]);
  });

  test("the product's production workspace is refused a local state whatever its tier", () => {
    const prod: Json = { ...(ATENA.environments.prod as Json) };
    delete prod.state;
    expect(prod.tier).toBe("development");
    expect(() => loadEnvironments({ prod: prod as never }, ATENA)).toThrow(
      /prod\.state: the product's production workspace \(productionWorkspace "prod"\) keeps its state in S3/,
    );
  });

  test("a development workspace that is not the production one may keep a local state", () => {
    expect(problems("dev", (e) => delete e.state)).toEqual([]);
  });
});

describe("the bootstrap bucket", () => {
  const boot = (product: Product) => roots(product).find((r) => r.ws === "bootstrap")?.root as Json;
  const policy = (product: Product) => JSON.parse(boot(product).resource.aws_s3_bucket_policy.state.policy);

  test("a workspace of another account that keeps its state there is granted its own objects only", () => {
    const envs = loadEnvironments(PRODUCTS[0].environments, PRODUCTS[0]);
    const bucketAccount = BootstrapSchema.parse(PRODUCTS[0].bootstrap).accountId;
    const others = envs.filter((e) => e.state && e.accountId !== bucketAccount);
    expect(others.length).toBeGreaterThan(0);
    const statements = policy(PRODUCTS[0]).Statement;
    for (const env of others) {
      const objects = statements.find(
        (s: Json) => s.Principal?.AWS === `arn:aws:iam::${env.accountId}:root` && Array.isArray(s.Action),
      );
      // Its state and lock file, and the pipeline's backups of it (D85); nothing of another workspace.
      expect(objects.Resource).toEqual([
        `\${aws_s3_bucket.state.arn}/${env.state?.workspaceKeyPrefix}/${env.workspace}/*`,
        `\${aws_s3_bucket.state.arn}/state-backups/${env.workspace}/*`,
      ]);
    }
  });

  test("workspaces of the bucket's own account get no bucket-policy grant (their IAM policies suffice)", () => {
    const statements = policy(ATENA).Statement;
    expect(statements.filter((s: Json) => s.Effect === "Allow")).toEqual([]);
  });
});

describe("the first deploy of each runbook (docs/runbooks, as generated)", () => {
  const firstDeploy = (product: Product, ws: string) => {
    const file = path.join(__dirname, "..", "..", runbookPath(product, ws));
    const text = fs.readFileSync(file, "utf8");
    const start = text.indexOf("\n## First deploy");
    return text.slice(start, text.indexOf("```bash", start));
  };

  test.each(PRODUCTS.map((p) => [p.id, p] as const))(
    "%s: lists every example value to replace, and the state bootstrap and migration where the state is in S3",
    (_id, product) => {
      for (const env of loadEnvironments(product.environments, product)) {
        const section = firstDeploy(product, env.workspace);
        for (const p of placeholdersOf(env)) expect(section).toContain(`- \`${p.path}\` = \`${p.value}\``);
        if (env.state) {
          expect(section).toContain("terraform init -migrate-state");
          expect(section).toContain("cd ../bootstrap && terraform init");
        } else expect(section).not.toContain("-migrate-state");
      }
    },
  );
});
