/**
 * Product-neutral modules: EduAutismo's specifics come from its product definition
 * (environments/eduautismo/product.ts, environments/eduautismo/app-metrics.ts), so another product is a config, not a fork.
 */
import * as fs from "fs";
import * as path from "path";
import { parseEnvironment } from "../../environments";
import { tempDir } from "../../tools/terraform";
import { synthesize, synthesizeProducts } from "../../platform";
import { PRODUCT_DEFAULTS } from "../../environments/eduautismo/product";
import { withDefaults } from "../../environments/product-spec";
import { shopProduct } from "../fixtures/shop-product";
import { problems, type Mutable } from "../helpers/config";
import { inputs, resource, resourcesOf, synthAll } from "../helpers/synth";
import { buildWorkspace } from "../helpers/workspace-fixture";

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
    expect(JSON.stringify(resource(s.modules.compute, "aws_ecs_task_definition", "app"))).toContain("REPORTS_BUCKET");
  });

  test("a read-only bucket gives the task role no write action on it", () => {
    const policy = JSON.stringify(resource(s.modules.compute, "aws_iam_role_policy", "task"));
    expect(policy).toContain("ReadReports");
    expect(policy).not.toContain("ReadWriteReports");
    expect(policy).toContain("ReadWriteUploads");
  });

  test("the product's buckets stay next to the new one (the environment's objects merge into the product's)", () => {
    const before = Object.keys(resourcesOf(synthAll().stacks.dev.modules.storage, "aws_s3_bucket"));
    expect(Object.keys(resourcesOf(s.modules.storage, "aws_s3_bucket")).sort()).toEqual([...before, "reports"].sort());
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

describe("a second product", () => {
  const EXAMPLE = shopProduct();
  const outdir = tempDir("second-product");
  const { platforms } = synthesize({ product: EXAMPLE, outdir });
  const dir = path.join(outdir, "shop", "stacks", "qa");
  const text = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");

  test("goes to cdktf.out/<product>/stacks/<ws>, with its own bootstrap stack", () => {
    expect(platforms.map((p) => p.root.workspace)).toEqual(["qa"]);
    expect(fs.existsSync(path.join(dir, "cdk.tf.json"))).toBe(true);
    expect(fs.existsSync(path.join(outdir, "shop", "stacks", "bootstrap", "cdk.tf.json"))).toBe(true);
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

test("npm run synth -- <product> names a product; an unknown one stops before anything is written", () => {
  expect(() => synthesizeProducts(["nosuch"])).toThrow(
    /synth: no product "nosuch" \(products: eduautismo(, [a-z0-9-]+)*\)/,
  );
});
