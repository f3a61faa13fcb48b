/**
 * What every product must satisfy — EduAutismo and every product registered in environments/ alike: its
 * registration and output directory, Terraform that names nothing after another product, the policy gate with only
 * the exemptions it declares, the tier's rules, the cost gate, the address contract, and a generated runbook whose
 * commands name what Terraform creates. Each product's own guide is checked in product-<id>.test.ts; the tooling
 * itself, with a fixture product, at the end of this file.
 */
import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, PRODUCTS, productById, workspaceLabel, type Product, parseEnvironment } from "../../environments";
import { estimate } from "../../tools/cost/estimate";
import { generatedDocs, policyDoc, productsTable, readmeWithProducts } from "../../tools/docs";
import { evaluatePolicy, policyEnvironment } from "../../tools/policy";
import { cliResourceNames, nameExists, runbookContainerNames, terraformLines } from "../../tools/product-runbook";
import { productRunbookDoc, workspaceRunbook } from "../../tools/runbooks";
import { containers } from "../../tools/policy/containers";
import { policyModel } from "../../tools/policy/model";
import { type SynthesizedStack, addresses } from "../../tools/synthesized";
import { readContract } from "../../scripts/addresses";
import { productArgs } from "../../scripts/synthesized";
import { shopProduct } from "../fixtures/shop-product";
import { containerDefs, productStacks, synthAll, inputs, resource, resourcesOf } from "../helpers/synth";
import { synthesizeProducts } from "../../platform";
import { PRODUCT_DEFAULTS } from "../../environments/eduautismo/product";
import { withDefaults } from "../../environments/product-spec";
import { problems, type Mutable } from "../helpers/config";
import { buildWorkspace } from "../helpers/workspace-fixture";

/** The containers of every task definition a workspace creates. */
const containerNamesOf = (stack: SynthesizedStack) =>
  new Set(
    policyModel(stack)
      .resources.filter((r) => r.type === "aws_ecs_task_definition")
      .flatMap((td) => (containers(td) ?? []).map((c) => String(c.name))),
  );

/** Every string the workspace's resources are written with, resolved through the module inputs and the tfvars. */
function plannedNames(stack: SynthesizedStack): Set<string> {
  const names = new Set<string>();
  const collect = (v: unknown, depth: number): void => {
    if (typeof v === "string") names.add(v);
    else if (depth < 8 && v && typeof v === "object") Object.values(v).forEach((x) => collect(x, depth + 1));
  };
  for (const r of policyModel(stack).resources) collect(r.config, 0);
  return names;
}

/** A pattern of the names another product's resources carry (its id and its short name, as whole words). */
const namesOf = (p: Product) =>
  new RegExp(`(^|[^a-z0-9])(${[...new Set([p.id, p.shortName])].join("|")})([^a-z0-9]|$)`, "i");

describe.each(PRODUCTS.map((p) => [p.id, p] as const))("product %s", (id, product) => {
  const set = productStacks(product);
  const workspaces = set.envs.map((e) => [e.workspace, e] as const);

  test("is registered once under its id, with its guides and its production workspace", () => {
    expect(productById(id)).toBe(product);
    expect(PRODUCTS.filter((p) => p.id === id || (p.outDir === product.outDir && p !== product))).toEqual([product]);
    expect(product.guides.length).toBeGreaterThan(0);
    expect(Object.keys(product.environments)).toContain(product.productionWorkspace);
  });

  test.each(workspaces)(
    "%s: goes to cdktf.out/<outDir>/stacks/<ws> with its tfvars; reports label it <outDir>/<ws>",
    (ws) => {
      expect(path.relative(set.dir(""), set.dir(ws))).toBe(ws);
      expect(set.dir(ws).endsWith(path.join(product.outDir, "stacks", ws))).toBe(true);
      expect(fs.existsSync(path.join(set.dir(ws), "environments", ws, "terraform.tfvars"))).toBe(true);
      expect(set.label(ws)).toBe(path.posix.join(product.outDir, ws));
    },
  );

  test.each(workspaces)("%s: names nothing after another product", (ws) => {
    const s = set.stacks[ws];
    const text = JSON.stringify(s.root) + JSON.stringify(s.modules) + s.tfvars;
    const others = PRODUCTS.filter((p) => p !== product);
    expect(others.filter((p) => namesOf(p).test(text)).map((p) => p.id)).toEqual([]);
    expect(namesOf(product).test(text)).toBe(true); // the pattern finds a product's names where they belong
  });

  test.each(workspaces)(
    "%s: the policy gate passes, exempting only what the environment or the product declares",
    (ws, env) => {
      const report = evaluatePolicy(set.stacks[ws], policyEnvironment(env, product));
      expect(
        report.results
          .filter((r) => r.status === "failed")
          .map((r) => `${r.check.id}: ${r.failures.map((f) => `${f.address}: ${f.problem}`).join("; ")}`),
      ).toEqual([]);
      const declared = [...env.exemptions, ...(product.policyExemptions ?? [])].map((e) => e.control);
      expect(report.results.filter((r) => r.status === "exempted" && !declared.includes(r.check.id))).toEqual([]);
    },
  );

  test.each(workspaces)(
    "%s: tier rules: a production-like workspace exempts nothing of its own and refuses db_multi_az = false",
    (ws, env) => {
      const root = set.stacks[ws].root;
      const multiAz = JSON.stringify(root.variable.db_multi_az?.validation ?? []);
      if (env.tier === "production-like") {
        expect(env.exemptions).toEqual([]);
        if (root.module.database) expect(multiAz).toContain(`${ws} needs Multi-AZ (db_multi_az = true)`);
      } else {
        expect(multiAz).not.toContain("needs Multi-AZ");
      }
    },
  );

  test.each(workspaces)(
    "%s: a production-like or the production workspace keeps its state in S3 with a lock file",
    (ws, env) => {
      const backend = set.stacks[ws].root.terraform.backend;
      if (env.tier === "production-like" || ws === product.productionWorkspace)
        expect(backend.s3).toMatchObject({ encrypt: true, use_lockfile: true });
    },
  );

  test.each(workspaces)("%s: the cost estimate is within the environment's budget", (ws, env) => {
    const e = estimate(env, set.stacks[ws]);
    expect(e.total).toBeGreaterThan(0);
    expect(e.total).toBeLessThanOrEqual(env.cost.budgetUsd.max);
  });

  test.each(workspaces)(
    "%s: the address contract lists exactly the synthesized addresses (npm run addresses -- --update)",
    (ws) => {
      expect(addresses(set.stacks[ws])).toEqual(readContract(ws, product));
    },
  );

  describe.each(workspaces)("%s: its runbook", (ws, env) => {
    const stack = set.stacks[ws];
    const doc = workspaceRunbook(product, env, stack);

    test("every -target names a module of the workspace", () => {
      const targets = terraformLines(doc).flatMap((l) =>
        [...l.matchAll(/-target=module\.([a-z_]+)/g)].map((m) => m[1]),
      );
      expect(targets.length).toBeGreaterThan(0);
      expect(targets.filter((t) => !(t in stack.root.module))).toEqual([]);
    });

    test("every terraform output it reads is a root output", () => {
      const read = [...doc.matchAll(/terraform output (?:-raw |-json )?([a-z0-9_]+)/g)].map((m) => m[1]);
      expect(read.filter((o) => !(o in stack.root.output))).toEqual([]);
    });

    test("every resource name its AWS CLI lines pass is one the workspace creates (as far as it is known before apply)", () => {
      const names = plannedNames(stack);
      const used = cliResourceNames(doc);
      expect(used.length).toBeGreaterThan(0);
      const unknown = used.filter((u) => !nameExists(u, names));
      expect(unknown.map((u) => `${u.flag} ${u.name}`)).toEqual([]);
    });

    test("every --container or containers[?name==…] is a container of the workspace", () => {
      const have = containerNamesOf(stack);
      expect(runbookContainerNames(doc).filter((n) => !have.has(n))).toEqual([]);
    });
  });
});

test("the container rule reads both forms and refuses a container the workspace does not have", () => {
  const doc =
    '```bash\naws ecs execute-command --task "$TASK" --container toolbox --interactive\naws ecs describe-tasks --query "tasks[0].containers[?name==\'app\'].exitCode"\naws ecs execute-command --container $C\n```\n';
  expect(runbookContainerNames(doc)).toEqual(["toolbox", "app"]);
  const aitechne = productStacks(productById("aitechne")).stacks.prod;
  expect(runbookContainerNames(doc).filter((n) => !containerNamesOf(aitechne).has(n))).toEqual(["toolbox", "app"]);
});

describe("the product tooling, with a fixture product", () => {
  const shop = shopProduct();
  const set = productStacks(shop);
  const edu = synthAll().stacks;

  test("reports name its workspaces <product>/<ws>, EduAutismo's by name", () => {
    expect(workspaceLabel(shop, "qa")).toBe("shop/qa");
    expect(workspaceLabel(productById("eduautismo"), "dev")).toBe("dev");
  });

  test("--product picks one product; none picks every product; an unknown one names the products", () => {
    expect(productArgs(["--product", "eduautismo", "--verbose"])).toEqual({
      products: [productById("eduautismo")],
      rest: ["--verbose"],
    });
    expect(productArgs([]).products).toEqual([...PRODUCTS]);
    expect(() => productArgs(["--product", "nosuch"])).toThrow(/^no product "nosuch" \(products: eduautismo/);
    expect(() => productArgs(["--product"])).toThrow("--product needs a product id");
  });

  test("its runbook goes to docs/runbooks/<product>/<ws>.md and starts in its directory", () => {
    const doc = generatedDocs(edu, [set])["docs/runbooks/shop/qa.md"];
    expect(doc).toContain("cd cdktf.out/shop/stacks/qa");
    expect(doc).toContain("npm run synth -- shop");
    expect(terraformLines(doc)).toContain(
      'terraform plan -var-file="environments/qa/terraform.tfvars" -target=module.network -out=tfplan-network',
    );
  });

  test("a stoppable environment's runbook has the stop plan; its Terraform lines drop trailing comments", () => {
    const doc = productRunbookDoc(shop, set.envs[0], set.stacks.qa);
    expect(terraformLines(doc)).toContain(
      'terraform plan -var-file="environments/qa/terraform.tfvars" -var=environment_running=false -out=tfplan-stop',
    );
    expect(terraformLines("```bash\nterraform output x   # note\n```\n```hcl\nterraform = 1\n```")).toEqual([
      "terraform output x",
    ]);
  });

  test("the names a runbook's AWS CLI lines pass are read from their flags (per service where a flag is generic); computed values are left to Terraform", () => {
    const doc = [
      "```bash",
      "aws ecs describe-services --cluster c1 --services s1 s2 --query 'x'   # note",
      'TASK=$(aws ecs list-tasks --cluster "$CLUSTER" --family-prefix fam)',
      "aws logs tail /ecs/c1 --since 30m",
      "aws elasticache describe-cache-clusters --cache-cluster-id rg-001",
      "aws scheduler get-schedule --name db-start",
      "aws ssm put-parameter --name /p/TOKEN --type SecureString",
      "```",
      "aws ecs update-service --cluster outside-a-block",
    ].join("\n");
    expect(cliResourceNames(doc).map((n) => `${n.flag} ${n.name}`)).toEqual([
      "--cluster c1",
      "--services s1",
      "--services s2",
      "--family-prefix fam",
      "logs tail /ecs/c1",
      "--cache-cluster-id rg-001",
      "--name db-start",
    ]);
    const planned = new Set(["c1", "fam-api", "rg"]);
    expect(nameExists({ name: "fam", kind: "prefix" }, planned)).toBe(true);
    expect(nameExists({ name: "rg-001", kind: "member" }, planned)).toBe(true);
    expect(nameExists({ name: "fam-api:7", kind: "family" }, planned)).toBe(true);
    expect(nameExists({ name: "s1", kind: "exact" }, planned)).toBe(false);
  });

  test("docs/policy.md has a column per workspace of every product", () => {
    expect(policyDoc(edu, [set])).toMatch(
      /\| check \| what it asks \| severity \| scope \| upstream \| dev \| staging \| production \| shop\/qa \|/,
    );
  });

  test("the README's products table has a row per workspace with its directory and synth command", () => {
    const table = productsTable(edu, [set]);
    expect(table).toContain("| Example shop | `qa` | `cdktf.out/shop/stacks/qa` |");
    expect(table).toContain("`npm run synth -- shop`");
    expect(
      readmeWithProducts(
        "a\n<!-- products:begin (generated by `npm run docs`) -->\nold\n<!-- products:end -->\nb",
        "T",
      ),
    ).toBe("a\nT\nb");
    expect(() => readmeWithProducts("no markers", "T")).toThrow("README.md needs the markers");
  });

  test("the README's products table is current", () => {
    const others = PRODUCTS.filter((p) => p !== EDUAUTISMO).map((p) => productStacks(p));
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    expect(readmeWithProducts(readme, productsTable(edu, others))).toBe(readme);
  });

  describe("a second product", () => {
    // The fixture product's synthesis above (productStacks synthesizes it into its own directory): read, not repeated.
    const dir = set.dir("qa");
    const text = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");

    test("goes to cdktf.out/<product>/stacks/<ws>, with its own bootstrap stack", () => {
      const stacksDir = path.dirname(dir);
      expect(path.relative(path.dirname(path.dirname(stacksDir)), stacksDir)).toBe(path.join("shop", "stacks"));
      expect(fs.readdirSync(stacksDir).sort()).toEqual(["bootstrap", "qa"]);
      expect(fs.existsSync(path.join(dir, "cdk.tf.json"))).toBe(true);
      expect(fs.existsSync(path.join(stacksDir, "bootstrap", "cdk.tf.json"))).toBe(true);
    });

    test("never mentions EduAutismo: every module and the root are product-neutral", () => {
      const files = [
        ...fs.readdirSync(path.join(dir, "modules")).map((m) => `modules/${m}/main.tf.json`),
        "cdk.tf.json",
        "environments/qa/terraform.tfvars",
      ];
      expect(files.filter((f) => /eduautismo|bncc/i.test(text(f)))).toEqual([]);
    });

    test("has its own names and buckets, and no app-setting knobs", () => {
      expect(text("environments/qa/terraform.tfvars")).not.toContain("cache_ttl");
      expect(JSON.parse(text("cdk.tf.json")).output.media_bucket_name.description).toBe("Product photos.");
      const monitoring = JSON.parse(text("cdk.tf.json")).module.monitoring;
      expect(monitoring.alarm_prefix).toBe("shop-qa");
      expect(monitoring.dashboard_name).toBe("shop-${var.environment}");
    });
  });
});

// Formerly product.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("product-neutral modules (a product is a config)", () => {
  /**
   * Product-neutral modules: EduAutismo's specifics come from its product definition
   * (environments/eduautismo/product.ts, environments/eduautismo/app-metrics.ts), so another product is a config, not a fork.
   */
  describe("a workers-only deployment (no web service)", () => {
    const all = inputs();
    const dev = all.dev as Mutable;
    dev.compute.services = [
      {
        name: "jobs",
        kind: "worker",
        cpu: 256,
        memory: 512,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 2,
        secrets: ["openai-api-key"],
      },
    ];
    const s = buildWorkspace("dev", all.dev);

    test("tells the network there is no load balancer, so nothing is opened and no load balancer group exists", () => {
      expect(s.root.module.network.alb_ingress).toBe("none");
      expect(Object.keys(resourcesOf(s.modules.network, "aws_vpc_security_group_ingress_rule"))).not.toContain(
        "alb_http_from_internet",
      );
      expect(resourcesOf(s.modules.network, "aws_security_group")).not.toHaveProperty("alb");
    });

    test("has no load balancer, no load-balancer outputs, and its worker keeps its own knobs", () => {
      expect(resourcesOf(s.modules.compute, "aws_lb")).toEqual({});
      expect(s.root.output.alb_dns_name).toBeUndefined();
      expect(s.tfvars).toContain("\njobs_desired_count = 1\n");
    });
  });

  describe("application buckets come from config", () => {
    const all = inputs();
    (all.dev as Mutable).storage.buckets = { reports: { description: "Monthly reports.", appAccess: "read" } };
    const s = buildWorkspace("dev", all.dev);

    test("a new bucket gets its resource, its root output with the configured description, and its container variable", () => {
      expect(resourcesOf(s.modules.storage, "aws_s3_bucket")).toHaveProperty("reports");
      expect(s.root.output.reports_bucket_name.description).toBe("Monthly reports.");
      expect(JSON.stringify(containerDefs(s.modules.compute, "app"))).toContain("REPORTS_BUCKET");
    });

    test("a read-only bucket gives the task role no write action on it", () => {
      const policy = JSON.stringify(resource(s.modules.compute, "aws_iam_role_policy", "task"));
      expect(policy).toContain("ReadReports");
      expect(policy).not.toContain("ReadWriteReports");
      expect(policy).toContain("ReadWriteUploads");
    });

    test("the product's buckets stay next to the new one (the environment's objects merge into the product's)", () => {
      const before = Object.keys(resourcesOf(synthAll().stacks.dev.modules.storage, "aws_s3_bucket"));
      expect(Object.keys(resourcesOf(s.modules.storage, "aws_s3_bucket")).sort()).toEqual(
        [...before, "reports"].sort(),
      );
    });
  });

  describe("product defaults", () => {
    test("the environment file wins on every value it sets; the product fills the rest", () => {
      const merged = withDefaults(PRODUCT_DEFAULTS, {
        storage: { buckets: { uploads: { lifecycle: [] } } },
      } as Mutable) as Mutable;
      expect(merged.storage.buckets.uploads).toMatchObject({
        lifecycle: [],
        description: "Bucket for user uploads.",
        browserUploads: true,
      });
      expect(merged.storage.bucketPrefix).toBe("eduautismo");
    });

    test("EduAutismo's database names are the product's, not the module's neutral defaults", () => {
      expect(parseEnvironment(inputs().dev, "dev").database).toMatchObject(PRODUCT_DEFAULTS.database as object);
    });

    test("disaster recovery refuses a bucket that storage does not have", () => {
      expect(problems("production", (e) => (e.dr.buckets = ["uploads", "videos"]))).toContainEqual(
        expect.stringMatching(/^production\.dr\.buckets\[1\]: "videos" is not a bucket of storage\.buckets \(/),
      );
    });

    test("the cache's purpose names the replication group (EduAutismo's words come from the product)", () => {
      const s = synthAll().stacks.dev;
      expect(s.root.module.cache.purpose).toBeUndefined();
      expect(JSON.stringify(s.modules.cache)).toContain(`(${PRODUCT_DEFAULTS.cache?.purpose})`);
    });
  });

  test("npm run synth -- <product> names a product; an unknown one stops before anything is written", () => {
    expect(() => synthesizeProducts(["nosuch"])).toThrow(
      /synth: no product "nosuch" \(products: eduautismo(, [a-z0-9-]+)*\)/,
    );
  });
});
