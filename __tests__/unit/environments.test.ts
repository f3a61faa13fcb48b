import * as fs from "fs";
import * as path from "path";
import {
  ConfigError,
  loadEnvironments,
  ENVIRONMENT_INPUTS,
  productById,
  WORKSPACES,
  workspacesOf,
  type Product,
  type WorkspaceInput,
} from "../../environments";
import { problems, type Mutable } from "../helpers/config";
import { synthesize } from "../../platform";
import { inputs, tempDir } from "../helpers/synth";
import { spawnSync } from "child_process";
import { parse } from "yaml";
import { GENERATED_LINE, pipelineProblems, withWorkspaces } from "../../tools/pipeline";
import { loadWorkflows, roleUses, type Workflow } from "../helpers/workflows";
import { synthWorkspace } from "../helpers/workspace-fixture";

describe("checked-in environments", () => {
  test("all three parse without problems", () => {
    expect(loadEnvironments().map((e) => e.workspace)).toEqual(["dev", "staging", "production"]);
  });

  test("every environment defaults to us-east-1", () => {
    expect(new Set(loadEnvironments().map((e) => e.region))).toEqual(new Set(["us-east-1"]));
  });

  test("production survives the loss of an AZ: one NAT gateway per AZ", () => {
    expect(loadEnvironments().find((e) => e.workspace === "production")?.network.natMode).toBe("one-per-az");
  });
});

describe("config rules fail with the field path and the rule", () => {
  const cases: [string, "dev" | "staging" | "production", (env: Mutable) => void, string][] = [
    [
      "a subnet outside the VPC block",
      "production",
      (e) => (e.network.privateSubnets[2] = "10.1.30.0/24"),
      "production.network.privateSubnets[2]: 10.1.30.0/24 is outside vpcCidr 10.0.0.0/16",
    ],
    [
      "overlapping subnets",
      "dev",
      (e) => (e.network.databaseSubnets[0] = "10.0.10.0/23"),
      "dev.network.databaseSubnets[0]: 10.0.10.0/23 overlaps privateSubnets[0] 10.0.10.0/24",
    ],
    [
      "fewer subnets than AZs",
      "production",
      (e) => e.network.privateSubnets.pop(),
      "production.network.privateSubnets: fewer subnets than availability zones: needs one subnet per availability zone (3: us-east-1a, us-east-1b, us-east-1c), got 2",
    ],
    [
      "more subnets than AZs",
      "dev",
      (e) => e.network.publicSubnets.push("10.0.2.0/24"),
      "dev.network.publicSubnets: more subnets than availability zones: needs one subnet per availability zone (2: us-east-1a, us-east-1b), got 3",
    ],
    [
      "a duplicated AZ",
      "staging",
      (e) => (e.availabilityZones[1] = "us-east-1a"),
      "staging.availabilityZones[1]: us-east-1a is listed twice (also at availabilityZones[0])",
    ],
    [
      "an AZ of another region",
      "dev",
      (e) => (e.availabilityZones[1] = "sa-east-1b"),
      "dev.availabilityZones[1]: sa-east-1b is not an availability zone of region us-east-1",
    ],
    [
      "fewer than 2 AZs",
      "dev",
      (e) => {
        e.availabilityZones = ["us-east-1a"];
        e.network.publicSubnets = ["10.0.0.0/24"];
        e.network.privateSubnets = ["10.0.10.0/24"];
        e.network.databaseSubnets = ["10.0.20.0/24"];
      },
      "dev.availabilityZones: needs at least 2 availability zones (an ALB spans 2)",
    ],
    [
      "NAT one-per-az without public subnets",
      "production",
      (e) => (e.network.publicSubnets = []),
      'production.network.natMode: "one-per-az" needs publicSubnets to hold the NAT gateways, got none (use "none" or add one public subnet per AZ)',
    ],
    [
      "a CIDR with host bits set",
      "dev",
      (e) => (e.network.vpcCidr = "10.0.0.1/16"),
      "dev.network.vpcCidr: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?",
    ],
    [
      "something that is not a CIDR",
      "dev",
      (e) => (e.network.privateSubnets[0] = "10.0.10.0"),
      "dev.network.privateSubnets[0]: 10.0.10.0 is not an IPv4 CIDR block (a.b.c.d/n)",
    ],
    [
      "a VPC block larger than /16",
      "dev",
      (e) => (e.network.vpcCidr = "10.0.0.0/8"),
      "dev.network.vpcCidr: 10.0.0.0/8: a VPC block must be between /16 and /28",
    ],
    [
      "a subnet smaller than /28",
      "dev",
      (e) => (e.network.privateSubnets[0] = "10.0.10.0/29"),
      "dev.network.privateSubnets[0]: 10.0.10.0/29: AWS subnets must be /28 or larger",
    ],
    [
      "a flow log retention CloudWatch does not offer",
      "staging",
      (e) => (e.network.flowLogs.retentionDays = 31),
      "staging.network.flowLogs.retentionDays: 31 is not a CloudWatch Logs retention value (one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
    ],
    [
      "a malformed region",
      "dev",
      (e) => (e.region = "brazil"),
      "dev.region: must be an AWS region code such as us-east-1 or sa-east-1",
    ],
    [
      "a state bucket name S3 would refuse",
      "production",
      (e) => (e.state = { bucket: "Eduautismo_State" }),
      "production.state.bucket: must be a valid S3 bucket name",
    ],
  ];

  test.each(cases)("%s", (_name, ws, change, expected) => {
    expect(problems(ws, change)).toContain(expected);
  });

  test("an unknown interface endpoint is rejected with the allowed list", () => {
    const found = problems("production", (e) => e.network.interfaceEndpoints.push("sqs"));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^production\.network\.interfaceEndpoints\[4\]: .*"ecr\.api"/);
  });

  test("a misspelt knob is rejected instead of ignored", () => {
    const found = problems("dev", (e) => (e.network.natGateways = "single"));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^dev\.network: .*natGateways/);
  });

  test("a file that declares another workspace is rejected", () => {
    expect(problems("staging", (e) => (e.workspace = "production"))).toEqual([
      'staging.workspace: the file for "staging" declares workspace "production"',
    ]);
  });

  test("problems of every workspace are reported together", () => {
    const all = inputs();
    (all.dev.network as Mutable).vpcCidr = "10.0.0.0/8";
    (all.production.network as Mutable).privateSubnets[2] = "10.1.30.0/24";
    expect(() => loadEnvironments(all)).toThrow(/dev\.network\.vpcCidr[\s\S]*production\.network\.privateSubnets\[2\]/);
  });

  test("an invalid config writes nothing", () => {
    const all = inputs();
    (all.production.network as Mutable).privateSubnets[2] = "10.1.30.0/24";
    const outdir = path.join(tempDir("bad-config"), "cdktf.out");
    expect(() => synthesize({ outdir, inputs: all })).toThrow(ConfigError);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

// Formerly environment-list.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("adding a workspace or a service (environment-list)", () => {
  /**
   * Adding a workspace or a service is a config change (issue 24 item 5, D187): a product's workspaces are the keys of
   * its environment files, the schema takes any name the product registers (its rules follow the tier), services are
   * a list in the environment, and the pipeline (the workflows' workspace lists, `npm run pipeline -- check`)
   * follows the list. The `qa` workspace and the third service below exist only in this test: typed config fixtures
   * over a checked-in product, not edits of the repository's data, and no code learns their names.
   */
  const REPO = path.join(__dirname, "..", "..");
  const RETELL = productById("retell");

  /** Retell's staging file as a `qa` workspace of its own account and network, with a third service (a worker). */
  function qaFile(): WorkspaceInput {
    const qa: Mutable = structuredClone(RETELL.environments.staging);
    qa.workspace = "qa";
    qa.accountId = "777777777777";
    qa.security.deploy = { githubEnvironments: ["qa"], createOidcProvider: true };
    qa.compute.services.forEach((s: Mutable) => (s.hostHeaders = s.hostHeaders.map((h: string) => `qa-${h}`)));
    qa.compute.services.push({
      name: "jobs",
      kind: "worker",
      image: "api",
      command: ["node", "dist/worker.js"],
      cpu: 256,
      memory: 512,
      desiredCount: 1,
      minCapacity: 1,
      maxCapacity: 2,
    });
    return qa;
  }

  /** Retell with `qa` registered between staging and production: one entry in its environment files. */
  function withQa(qa: WorkspaceInput = qaFile()): Product {
    const { staging, production } = RETELL.environments;
    return { ...RETELL, environments: { staging, qa, production } };
  }

  function problems(product: Product): string[] {
    try {
      loadEnvironments(product.environments, product);
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  }

  describe("a workspace is an entry in the product's environment files", () => {
    test("the workspace list is the environment files' keys, in their order", () => {
      const product = withQa();
      expect(workspacesOf(product)).toEqual(["staging", "qa", "production"]);
      expect(loadEnvironments(product.environments, product).map((e) => e.workspace)).toEqual(workspacesOf(product));
      expect(WORKSPACES).toEqual(Object.keys(ENVIRONMENT_INPUTS));
    });

    test("a file registered under one workspace that declares another is refused, for any product", () => {
      const product = withQa({ ...qaFile(), workspace: "uat" });
      expect(problems(product)).toEqual(['qa.workspace: the file for "qa" declares workspace "uat"']);
    });

    test("a new workspace's rules come from its tier, not its name: production-like qa must keep remote state", () => {
      const qa: Mutable = { ...qaFile(), tier: "production-like", exemptions: [] };
      qa.compute = { ...qa.compute, containerInsights: true };
      delete qa.state;
      expect(problems(withQa(qa))).toContainEqual(expect.stringMatching(/^qa\.state: /));
      const development = problems(withQa({ ...qaFile(), state: undefined } as WorkspaceInput));
      expect(development.filter((p) => p.startsWith("qa.state"))).toEqual([]);
    });
  });

  describe("synth and the pipeline take the new workspace and its third service with no code change", () => {
    const product = withQa();
    const qa = synthWorkspace(
      "qa",
      (e) => {
        e.state = { bucket: "retell-terraform-state" };
        e.security.deploy = {
          ...e.security.deploy,
          githubRepository: "example-org/retell",
          terraformRoles: { enabled: true },
        };
      },
      product,
    );

    test("the qa directory is written with one ECS service per entry of compute.services", () => {
      expect(fs.existsSync(path.join(qa.dir, "cdk.tf.json"))).toBe(true);
      expect(Object.keys(qa.modules.compute.resource.aws_ecs_service).sort()).toEqual(["api", "jobs", "web"]);
    });

    test("npm run pipeline -- check's rules accept the synthesized qa (remote state, Terraform roles, repository)", () => {
      expect(pipelineProblems(qa, "example-org/retell", product.sourceDir)).toEqual([]);
    });

    test("the workflows generated from the list plan, apply and roll out qa, and apply it between its neighbours", () => {
      const generated: Workflow[] = loadWorkflows().map((w) => {
        const text = withWorkspaces(w.text, workspacesOf(product));
        return { file: w.file, text, doc: parse(text) };
      });
      const seen = (event: string) =>
        [
          ...new Set(
            roleUses(generated)
              .filter((u) => u.events.includes(event))
              .map((u) => u.workspace),
          ),
        ].sort();
      for (const event of ["pull_request", "push", "workflow_dispatch"])
        expect({ event, workspaces: seen(event) }).toEqual({ event, workspaces: ["production", "qa", "staging"] });
      const deploy = generated.find((w) => w.file === "deploy.yml")!.doc.jobs;
      expect([deploy.qa.needs, deploy.production.needs]).toEqual(["staging", "qa"]);
      const check = generated.find((w) => w.file === "terraform.yml")!.text;
      expect(check).toContain('case "$WS" in staging|qa|production)');
    });
  });

  test("npm run pipeline -- workflows --check: the checked-in workflows' workspace lists are the environment files'", () => {
    const r = spawnSync("npm", ["run", "-s", "pipeline", "--", "workflows", "--check"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stdout).toContain("the workflows' workspace lists are current");
    expect(loadWorkflows().filter((w) => w.text.includes(GENERATED_LINE)).length).toBeGreaterThanOrEqual(3);
  });
});
