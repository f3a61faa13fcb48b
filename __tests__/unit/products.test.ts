/**
 * What every product besides EduAutismo gets from the platform's tooling: Terraform whose references
 * are declared, the policy gate, the cost gate, the address contract, a generated runbook whose
 * Terraform lines name real modules — and the tooling itself, exercised with a fixture product.
 */
import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, PRODUCTS, productById, workspaceLabel } from "../../environments";
import { estimate } from "../../lib/tools/cost/estimate";
import { generatedDocs, policyDoc, productsTable, readmeWithProducts } from "../../lib/tools/docs";
import { evaluatePolicy, policyEnvironment } from "../../lib/tools/policy";
import {
  cliResourceNames,
  nameExists,
  productRunbookDoc,
  runbookContainerNames,
  terraformLines,
} from "../../lib/tools/product-runbook";
import { containers } from "../../lib/tools/policy/containers";
import { policyModel } from "../../lib/tools/policy/model";
import type { SynthesizedStack } from "../../lib/tools/synthesized";
import { addresses } from "../../lib/tools/synthesized";
import { readContract } from "../../scripts/addresses";
import { productArgs } from "../../scripts/synthesized";
import { shopProduct } from "../fixtures/shop-product";
import { productStacks, synthAll } from "../helpers/synth";

const OTHERS = PRODUCTS.filter((p) => p !== EDUAUTISMO);

describe.each(OTHERS.map((p) => [p.id, p] as const))("product %s", (_, product) => {
  const set = productStacks(product);

  test.each(set.envs.map((e) => [e.workspace, e] as const))("%s: the policy gate passes", (ws, env) => {
    const report = evaluatePolicy(set.stacks[ws], policyEnvironment(env, product));
    expect(
      report.results
        .filter((r) => r.status === "failed")
        .map((r) => `${r.check.id}: ${r.failures.map((f) => `${f.address}: ${f.problem}`).join("; ")}`),
    ).toEqual([]);
  });

  test.each(set.envs.map((e) => [e.workspace, e] as const))(
    "%s: the cost estimate is within the environment's budget",
    (ws, env) => {
      const e = estimate(env, set.stacks[ws]);
      expect(e.total).toBeGreaterThan(0);
      expect(e.total).toBeLessThanOrEqual(env.cost.budgetUsd.max);
    },
  );

  test.each(set.envs.map((e) => [e.workspace, e] as const))(
    "%s: the address contract lists exactly the synthesized addresses (npm run addresses -- --update)",
    (ws) => {
      expect(addresses(set.stacks[ws])).toEqual(readContract(ws, product));
    },
  );

  test.each(set.envs.map((e) => [e.workspace, e] as const))(
    "%s: every -target of the generated runbook names a module of the workspace",
    (ws, env) => {
      const targets = terraformLines(productRunbookDoc(product, env, set.stacks[ws])).flatMap((l) =>
        [...l.matchAll(/-target=module\.([a-z_]+)/g)].map((m) => m[1]),
      );
      expect(targets.filter((t) => !(t in set.stacks[ws].root.module))).toEqual([]);
    },
  );
});

/** The containers of every task definition a workspace creates. */
const containerNamesOf = (stack: SynthesizedStack) =>
  new Set(
    policyModel(stack)
      .resources.filter((r) => r.type === "aws_ecs_task_definition")
      .flatMap((td) => (containers(td) ?? []).map((c) => String(c.name))),
  );

describe("container names a runbook hands to ECS", () => {
  test.each(PRODUCTS.map((p) => [p.id, p] as const))(
    "%s: every --container or containers[?name==…] of its runbooks is a container of that workspace",
    (_, product) => {
      const { stacks } = productStacks(product);
      for (const [ws, stack] of Object.entries(stacks)) {
        if (ws === "bootstrap") continue;
        const doc = fs.readFileSync(path.join("docs", "runbooks", product.outDir, `${ws}.md`), "utf8");
        const have = containerNamesOf(stack);
        expect(
          runbookContainerNames(doc)
            .filter((n) => !have.has(n))
            .map((n) => `${workspaceLabel(product, ws)}: ${n}`),
        ).toEqual([]);
      }
    },
  );

  test("the rule reads both forms and refuses a container the workspace does not have", () => {
    const doc =
      '```bash\naws ecs execute-command --task "$TASK" --container toolbox --interactive\naws ecs describe-tasks --query "tasks[0].containers[?name==\'app\'].exitCode"\naws ecs execute-command --container $C\n```\n';
    expect(runbookContainerNames(doc)).toEqual(["toolbox", "app"]);
    const aitechne = productStacks(productById("aitechne")!).stacks.prod;
    expect(runbookContainerNames(doc).filter((n) => !containerNamesOf(aitechne).has(n))).toEqual(["toolbox", "app"]);
  });
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

  test("the names a runbook's AWS CLI lines pass are read from their flags; computed values are left to Terraform", () => {
    const doc = [
      "```bash",
      "aws ecs describe-services --cluster c1 --services s1 s2 --query 'x'   # note",
      'TASK=$(aws ecs list-tasks --cluster "$CLUSTER" --family-prefix fam)',
      "aws logs tail /ecs/c1 --since 30m",
      "aws elasticache describe-cache-clusters --cache-cluster-id rg-001",
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
    const others = OTHERS.map((p) => productStacks(p));
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    expect(readmeWithProducts(readme, productsTable(edu, others))).toBe(readme);
  });
});
