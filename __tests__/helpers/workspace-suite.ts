/**
 * The Terraform checks every workspace gets, run on one initialised copy of its directory: the seed
 * runbook commands verbatim (init, workspace new, validate, plan -var-file -target=module.X -out),
 * `terraform show -json` to prove what each plan touches, and the workspace guard. One file per
 * workspace so jest runs them in parallel.
 */
import type { Workspace } from "../../environments";
import { synthAll } from "./synth";
import { describeTerraform, plannedChanges, terraform, terraformOk, workdirFrom } from "./terraform";

export interface WorkspaceContext {
  /** The initialised copy, workspace `ws` selected. */
  readonly dir: () => string;
  /** Saved-plan helper: runs `plan -var-file=... <args> -out=<file>` and returns the changes. */
  readonly plan: (file: string, ...args: string[]) => { address: string; actions: string[] }[];
}

export function workspaceSuite(ws: Workspace, extra: (ctx: WorkspaceContext) => void = () => undefined): void {
  describeTerraform(`workspace ${ws} under real Terraform`, () => {
    let dir = "";
    const plan = (file: string, ...args: string[]) => {
      terraformOk(dir, ["plan", "-input=false", `-var-file=environments/${ws}/terraform.tfvars`, ...args, `-out=${file}`]);
      return plannedChanges(dir, file);
    };

    beforeAll(() => {
      dir = workdirFrom(synthAll().stacks[ws].dir);
      terraformOk(dir, ["init", "-input=false"]);
      terraformOk(dir, ["workspace", "new", ws]);
    });

    test("terraform validate accepts the root and every module", () => {
      expect(terraformOk(dir, ["validate", "-json"]).stdout).toContain('"valid": true');
    });

    test("plan -target=module.network touches only network resources", () => {
      const changes = plan("tfplan-network", "-target=module.network");
      expect(changes.length).toBeGreaterThan(20);
      expect(changes.filter((c) => !c.address.startsWith("module.network."))).toEqual([]);
      expect(new Set(changes.flatMap((c) => c.actions))).toEqual(new Set(["create"]));
    });

    test("plan -target=module.security touches only security resources", () => {
      const changes = plan("tfplan-security", "-target=module.security").map((c) => c.address);
      expect(changes.filter((a) => a.startsWith("module.security.aws_kms_key."))).toHaveLength(4);
      expect(changes.filter((a) => !a.startsWith("module.security."))).toEqual([]);
    });

    test("plan -target=module.storage touches storage and only the security resources it reads", () => {
      const changes = plan("tfplan-storage", "-target=module.storage").map((c) => c.address);
      expect(changes.filter((a) => a.startsWith("module.storage.aws_s3_bucket."))).toHaveLength(5);
      const outside = changes.filter((a) => !a.startsWith("module.storage."));
      expect(outside.filter((a) => !a.startsWith("module.security."))).toEqual([]);
      // The data key and the trail bucket (plus what they need), not the WAF, secrets or deploy role.
      expect(outside.filter((a) => /wafv2|secretsmanager|github/.test(a))).toEqual([]);
      expect(outside).toContain("module.security.aws_kms_key.data");
    });

    test("plan -target=module.compute touches compute and only what it reads, never the CDN or monitoring", () => {
      const changes = plan("tfplan-ecs", "-target=module.compute").map((c) => c.address);
      expect(changes).toContain("module.compute.aws_ecs_service.app");
      expect(changes.filter((a) => /^module\.(cdn|monitoring)\./.test(a))).toEqual([]);
    });

    test("the workspace guard refuses a plan in another workspace, naming both", () => {
      const other = ws === "dev" ? "staging" : "dev";
      terraformOk(dir, ["workspace", "new", other]);
      const r = terraform(dir, ["plan", "-input=false", `-var-file=environments/${ws}/terraform.tfvars`, "-target=module.network"]);
      terraformOk(dir, ["workspace", "select", ws]);
      expect(r.code).not.toBe(0);
      expect(r.text).toContain(`Workspace guard: this directory holds the "${ws}" configuration but the selected Terraform workspace is "${other}".`);
    });

    extra({ dir: () => dir, plan });
  });
}
