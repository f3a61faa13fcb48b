/**
 * Adding a workspace or a service is a config change (issue 24 item 5, D187): a product's workspaces are the keys of
 * its environment files, the schema takes any name the product registers (its rules follow the tier), services are
 * a list in the environment, and the pipeline (the workflows' workspace lists, `npm run pipeline -- check`)
 * follows the list. The `qa` workspace and the third service below exist only in this test: typed config fixtures
 * over a checked-in product, not edits of the repository's data, and no code learns their names.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
  ConfigError,
  ENVIRONMENT_INPUTS,
  loadEnvironments,
  productById,
  WORKSPACES,
  workspacesOf,
  type Product,
  type WorkspaceInput,
} from "../../environments";
import { GENERATED_LINE, pipelineProblems, withWorkspaces } from "../../tools/pipeline";
import type { Mutable } from "../helpers/config";
import { loadWorkflows, roleUses, type Workflow } from "../helpers/workflows";
import { synthWorkspace } from "../helpers/workspace-fixture";

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
  const r = spawnSync("npm", ["run", "-s", "pipeline", "--", "workflows", "--check"], { cwd: REPO, encoding: "utf8" });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  expect(r.stdout).toContain("the workflows' workspace lists are current");
  expect(loadWorkflows().filter((w) => w.text.includes(GENERATED_LINE)).length).toBeGreaterThanOrEqual(3);
});
