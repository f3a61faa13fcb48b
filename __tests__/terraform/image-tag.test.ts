/**
 * Issue 21 item 3: a routine synth must not take production down. The deployed image tag's one home is
 * the product's images.json (D135); this test deploys `3.0.0` and rolls back to `2.9.0` with the lines of
 * docs/runbooks/dev.md (`npm run image -- set …`, `git commit …`, the printed compute plan), typed in a
 * git repository made from this checkout, then clones that repository (a pipeline runner's checkout: no
 * cdktf.out, no tfvars), synthesizes there and plans against the deployed state: nothing in ECS changes.
 * Offline there is no apply: the "applied" state is crafted from the plans (stateFromPlan, settleState), and
 * every plan is the compute step's `-target=module.compute` (the part of the workspace a deploy changes).
 * The guard (D136): a synth that brings back the placeholder tag makes the plan fail instead of scaling
 * the services to zero.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  mirrorCliConfig,
  offlineOverride,
  providerSchemas,
  stateFromPlan,
  tempDir,
  terraformOk,
  type PlanJson,
  withoutPackageHashes,
} from "../../tools/terraform";
import { plainText } from "../../tools/terraform-cli";
import { DEPLOYED_IMAGE_GUARD } from "../../modules/compute";
import { bashLines, bashSync, command, REPO, runbookSection } from "../helpers/operator";
import { describeTerraform, settleState, stateInstances } from "../helpers/terraform";

const WS = "dev";
const VAR_FILE = `-var-file=environments/${WS}/terraform.tfvars`;
/** Every plan is the compute step's (what a deploy changes; -target also plans what compute reads): the crafted state holds that part. */
const COMPUTE = "-target=module.compute";
const runbook = fs.readFileSync(path.join(REPO, "docs", "runbooks", `${WS}.md`), "utf8");
type State = Parameters<typeof settleState>[2];
type Change = { address: string; change: { actions: string[]; after?: unknown; after_unknown?: unknown } };

/** An operator's shell: terraform, node, npm and git on PATH, a ~/.terraformrc naming the mirror, a git identity. */
function shellEnv(): NodeJS.ProcessEnv {
  const home = tempDir("image-home");
  fs.writeFileSync(path.join(home, ".terraformrc"), mirrorCliConfig(process.env.TF_PROVIDER_MIRROR as string));
  const dirs = ["terraform", "node", "npm", "git"].map((b) =>
    path.dirname(fs.realpathSync(spawnSync("/bin/sh", ["-c", `command -v ${b}`], { encoding: "utf8" }).stdout.trim())),
  );
  return {
    PATH: [...new Set(dirs)].join(path.delimiter),
    HOME: home,
    LANG: "C.UTF-8",
    CHECKPOINT_DISABLE: "1",
    npm_config_update_notifier: "false",
    GIT_AUTHOR_NAME: "op",
    GIT_AUTHOR_EMAIL: "op@example.com",
    GIT_COMMITTER_NAME: "op",
    GIT_COMMITTER_EMAIL: "op@example.com",
  };
}

describeTerraform(
  "the deployed image tag survives a synth on a fresh clone (runbook deploy and rollback-by-image)",
  () => {
    const env = shellEnv();
    const run = (cwd: string, line: string) => {
      const r = bashSync(["-c", line], { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      return { code: r.status ?? -1, stdout: r.stdout ?? "", text: plainText(`${r.stdout}\n${r.stderr}`) };
    };
    const ok = (cwd: string, line: string) => {
      const r = run(cwd, line);
      if (r.code !== 0) throw new Error(`"${line}" exited ${r.code}:\n${r.text}`);
      return r;
    };
    const show = (dir: string, file: string): PlanJson & { resource_changes: Change[] } =>
      JSON.parse(terraformOk(dir, ["show", "-json", file]).stdout);
    const ecs = (changes: Change[]) =>
      changes.filter((c) =>
        /\.(aws_ecs_service|aws_ecs_task_definition|terraform_data\.deployed_image)/.test(c.address),
      );
    const root = tempDir("image-clones");
    const origin = path.join(root, "origin");
    const wsDir = (repo: string) => path.join(repo, "cdktf.out", "stacks", WS);
    const stateFile = (repo: string) => path.join(wsDir(repo), "terraform.tfstate.d", WS, "terraform.tfstate");

    /** After `npm run synth` in a checkout: the offline override (test-only), init, the workspace. */
    function initWorkspace(repo: string): string {
      const dir = wsDir(repo);
      fs.writeFileSync(
        path.join(dir, "zz_test_override.tf.json"),
        JSON.stringify(offlineOverride(JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")))),
      );
      ok(dir, "terraform init -input=false");
      withoutPackageHashes(dir); // D215: no re-hash of the provider before each later command
      ok(dir, `terraform workspace select ${WS} || terraform workspace new ${WS}`);
      return dir;
    }

    /** What an apply of `plan` records: the planned known values over the state's (unknowns keep the old value). */
    function applied(state: State, plan: { resource_changes: Change[] }): State {
      const instances = stateInstances(state);
      for (const c of plan.resource_changes) {
        const inst = instances.get(c.address);
        if (!inst || !c.change.actions.some((a) => a === "update" || a === "create")) continue;
        const after = (c.change.after ?? {}) as Record<string, unknown>;
        const unknown = (c.change.after_unknown ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(after)) {
          if (unknown[k] === true || v === null) continue;
          const old = inst.attributes[k] as { value?: unknown; type?: unknown } | null;
          // A dynamic attribute (terraform_data's input/output) is stored with its type.
          inst.attributes[k] =
            old && typeof old === "object" && "value" in old && "type" in old
              ? { value: v, type: typeof v === "string" ? "string" : old.type }
              : v;
        }
      }
      return { ...state, serial: state.serial + 1 };
    }

    let rollback: ReturnType<typeof show>;
    let freshPlan: ReturnType<typeof show>;

    beforeAll(() => {
      // The repository as committed: this checkout's files (no cdktf.out), node_modules linked, one commit.
      const files = spawnSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: REPO, encoding: "utf8" })
        .stdout.split("\n")
        .filter((f) => f && !f.startsWith("cdktf.out/"));
      for (const f of files) if (fs.existsSync(path.join(REPO, f))) fs.cpSync(path.join(REPO, f), path.join(origin, f));
      fs.symlinkSync(path.join(REPO, "node_modules"), path.join(origin, "node_modules"));
      ok(origin, "git init -q && echo node_modules >> .git/info/exclude && git add -A && git commit -qm release");
      ok(origin, "npm run -s synth -- eduautismo");
      const dir = initWorkspace(origin);

      // §5.1: push 3.0.0 (docker: not offline), record and commit it as printed, then "apply" everything.
      const first = bashLines(runbookSection(runbook, "§5.1")).filter((l) =>
        /^(npm run image|git commit) /.test(command(l)),
      );
      expect(first.map((l) => command(l).split(" ")[0])).toEqual(["npm", "git"]);
      for (const line of first) ok(dir, line);
      ok(dir, `terraform plan -input=false ${VAR_FILE} ${COMPUTE} -out=tfplan-deploy`);
      const deployed = show(dir, "tfplan-deploy");
      const crafted = stateFromPlan(deployed, providerSchemas(dir)) as State;
      // What AWS returns for a group in a VPC (the crafted state leaves this computed attribute empty, and the
      // group would be replaced: Redis's address, and so the task definitions, would stay unknown).
      for (const r of crafted.resources.filter((x) => x.type === "aws_elasticache_replication_group"))
        for (const i of r.instances) i.attributes.security_group_names = [];
      // What an apply records for a service: no `triggers` ({}), and the ARN of its task definition (unknown at plan).
      const arnOf = (module: string | undefined, name: string) =>
        crafted.resources.find((x) => x.module === module && x.type === "aws_ecs_task_definition" && x.name === name)
          ?.instances[0].attributes.arn;
      for (const r of crafted.resources.filter((x) => x.type === "aws_ecs_service"))
        for (const i of r.instances)
          Object.assign(i.attributes, { triggers: {}, task_definition: arnOf(r.module, r.name) });
      settleState(dir, stateFile(origin), crafted, VAR_FILE, ["module.compute"]);
      // The apply of 3.0.0: what the settled state now lets the plan know (Redis's address, …) makes the task definitions known.
      ok(dir, `terraform plan -input=false -refresh=false ${VAR_FILE} ${COMPUTE} -out=tfplan-apply`);
      fs.writeFileSync(
        stateFile(origin),
        JSON.stringify(applied(JSON.parse(fs.readFileSync(stateFile(origin), "utf8")), show(dir, "tfplan-apply"))),
      );

      // §7.1: the rollback's record-and-commit lines and its compute plan, as printed (-refresh=false: crafted state).
      const back = bashLines(runbookSection(runbook, "§7.1")).filter((l) =>
        /^(npm run image|git commit|terraform plan) /.test(command(l)),
      );
      for (const line of back) ok(dir, command(line).replace(/^terraform plan /, "terraform plan -refresh=false "));
      const planFile = /-out=(\S+)/.exec(command(back[back.length - 1]))?.[1] as string;
      rollback = show(dir, planFile);
      fs.writeFileSync(
        stateFile(origin),
        JSON.stringify(applied(JSON.parse(fs.readFileSync(stateFile(origin), "utf8")), rollback)),
      );

      // A fresh clone (what actions/checkout gives a runner): synth, the state the backend holds, plan.
      const clone = path.join(root, "clone");
      ok(root, `git clone -q ${origin} clone`);
      fs.symlinkSync(path.join(REPO, "node_modules"), path.join(clone, "node_modules"));
      ok(clone, "npm run -s synth -- eduautismo");
      const fresh = initWorkspace(clone);
      fs.cpSync(stateFile(origin), stateFile(clone));
      ok(fresh, `terraform plan -input=false -refresh=false ${VAR_FILE} ${COMPUTE} -out=tfplan-fresh`);
      freshPlan = show(fresh, "tfplan-fresh");
    });
    afterAll(() => {
      if (process.env.KEEP_TEST_TMP !== "1") fs.rmSync(root, { recursive: true, force: true });
    });

    test("the runbook's rollback plan puts the previous image in the task definition and keeps the ECS service", () => {
      const td = rollback.resource_changes.find((c) => c.address === "module.compute.aws_ecs_task_definition.app");
      expect(JSON.stringify(td?.change.after)).toContain(":2.9.0");
      const service = rollback.resource_changes.find((c) => c.address === "module.compute.aws_ecs_service.app");
      expect(service?.change.actions).not.toContain("delete");
    });

    test("a fresh clone's synth plans the rolled-back tag: no change to an ECS service or task definition", () => {
      expect(freshPlan.variables?.app_image_tag.value).toBe("2.9.0");
      expect(ecs(freshPlan.resource_changes).filter((c) => c.change.actions.join() !== "no-op")).toEqual([]);
      expect(ecs(freshPlan.resource_changes).length).toBeGreaterThan(2);
    });

    test("a synth that brings back the placeholder tag fails the plan instead of scaling the services to zero", () => {
      const clone = path.join(root, "clone");
      ok(clone, "git checkout -q HEAD~2 -- environments/eduautismo/images.json && npm run -s synth -- eduautismo"); // the images file before the deploy
      const r = run(wsDir(clone), `terraform plan -input=false -refresh=false ${VAR_FILE} ${COMPUTE}`);
      expect(r.code).toBe(1);
      expect(r.text).toContain(
        `module.compute.terraform_data.${DEPLOYED_IMAGE_GUARD}[0] has lifecycle.prevent_destroy set`,
      );
    });
  },
);
