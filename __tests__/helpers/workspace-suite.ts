/**
 * The Terraform checks every workspace gets, run on one initialised copy of its directory: the seed
 * runbook commands verbatim (init, workspace new, plan -var-file -target=module.X -out),
 * the `plan -json` stream to prove what each targeted plan touches, and the workspace guard. One file
 * per workspace so jest runs them in parallel.
 *
 * Plan budget of a workspace (each distinct plan once per file; one `init`, no separate `validate`: the plan
 * validates): the full plan (`terraform show -json`, shared by every test that reads it, the HA baseline
 * included), the four targeted plans of the seed (stream only), one refused plan in another workspace, the runbook
 * edits a data store's module reads in as few targeted plans as edit-batches.ts allows (edits that cannot change each
 * other's data stores or rules share one: two plans in each EduAutismo workspace, shown only where an edit reaches a
 * data store's HA attributes (D215), the other streamed, and not planned in dev, whose runbook operator-runbook.test.ts
 * types; the refused edit rides on the guard's refused plan), and the plans the workspace's own file adds.
 */
import * as fs from "fs";
import * as path from "path";
import type { Workspace } from "../../environments";
import { editBatches, haReach } from "./edit-batches";
import {
  editedTfvars,
  haLosses,
  haModules,
  haSnapshot,
  isNoOp,
  storesReading,
  type RunbookEdit,
  runbookEdits,
} from "./ha-invariants";
import { synthAll } from "./synth";
import {
  describeTerraform,
  type PlannedChange,
  showPlan,
  streamedPlanOk,
  terraform,
  terraformOk,
  workdirFrom,
} from "./terraform";
import type { PlanJson } from "../../tools/terraform";

export interface WorkspaceContext {
  /** The initialised copy, workspace `ws` selected. */
  readonly dir: () => string;
  /** Runs `plan -json -var-file=... <args> -out=<file>` and returns the changes the stream reports. */
  readonly plan: (file: string, ...args: string[]) => PlannedChange[];
  /** Runs `plan -var-file=... <args> -out=<file>` and returns `terraform show -json` of it. */
  readonly shownPlan: (file: string, ...args: string[]) => PlanJson;
  /** The workspace's full plan (`-out=tfplan`), planned once per file. */
  readonly fullPlan: () => PlanJson;
  /** What Terraform printed for the full plan (warnings included). */
  readonly fullPlanText: () => string;
}

export interface SuiteOptions {
  /**
   * Whether the workspace's runbook is typed as printed, section by section, in another file (dev:
   * operator-runbook.test.ts, whose first deploy checks each target's plan); then the suite plans neither the seed's
   * four targeted plans nor the runbook edits that reach no data store's HA attributes. @default false
   */
  readonly runbookTypedElsewhere?: boolean;
}

export function workspaceSuite(
  ws: Workspace,
  extra: (ctx: WorkspaceContext) => void = () => undefined,
  options: SuiteOptions = {},
): void {
  const targeted = options.runbookTypedElsewhere ? () => undefined : test;
  describeTerraform(`workspace ${ws} under real Terraform`, () => {
    let dir = "";
    const planArgs = (file: string, args: string[]) => [
      "-input=false",
      `-var-file=environments/${ws}/terraform.tfvars`,
      ...args,
      `-out=${file}`,
    ];
    const plan = (file: string, ...args: string[]) => streamedPlanOk(dir, planArgs(file, args));
    const shownPlan = (file: string, ...args: string[]) => {
      terraformOk(dir, ["plan", ...planArgs(file, args)]);
      return showPlan(dir, file);
    };
    let full: { plan: PlanJson; text: string } | undefined;
    const fullRun = () => {
      if (!full) {
        const { text } = terraformOk(dir, ["plan", ...planArgs("tfplan", [])]);
        full = { plan: showPlan(dir, "tfplan"), text };
      }
      return full;
    };
    const fullPlan = () => fullRun().plan;

    beforeAll(() => {
      dir = workdirFrom(synthAll().stacks[ws].dir);
      terraformOk(dir, ["init", "-input=false"]);
      terraformOk(dir, ["workspace", "new", ws]);
    });

    targeted("plan -target=module.network touches only network resources", () => {
      const changes = plan("tfplan-network", "-target=module.network");
      expect(changes.length).toBeGreaterThan(20);
      expect(changes.filter((c) => !c.address.startsWith("module.network."))).toEqual([]);
      expect(new Set(changes.flatMap((c) => c.actions))).toEqual(new Set(["create"]));
    });

    /** The addresses under `prefix` of `addresses`, sorted, and of the full plan (a targeted plan of a module plans all of it). */
    const under = (prefix: string, addresses: string[]) => addresses.filter((a) => a.startsWith(prefix)).sort();
    const inFullPlan = (prefix: string) =>
      under(
        prefix,
        (fullPlan().resource_changes ?? []).map((c) => c.address),
      );

    targeted("plan -target=module.security touches only security resources", () => {
      const changes = plan("tfplan-security", "-target=module.security").map((c) => c.address);
      const keys = "module.security.aws_kms_key.";
      expect(under(keys, changes)).toEqual(inFullPlan(keys));
      expect(under(keys, changes).length).toBeGreaterThan(0);
      expect(changes.filter((a) => !a.startsWith("module.security."))).toEqual([]);
    });

    targeted("plan -target=module.storage touches storage and only the security resources it reads", () => {
      const changes = plan("tfplan-storage", "-target=module.storage").map((c) => c.address);
      const buckets = "module.storage.aws_s3_bucket.";
      expect(under(buckets, changes)).toEqual(inFullPlan(buckets));
      expect(under(buckets, changes).length).toBeGreaterThan(0);
      const outside = changes.filter((a) => !a.startsWith("module.storage."));
      expect(outside.filter((a) => !a.startsWith("module.security."))).toEqual([]);
      // The data key and the trail bucket (plus what they need), not the WAF, secrets or deploy role.
      expect(outside.filter((a) => /wafv2|secretsmanager|github/.test(a))).toEqual([]);
      expect(outside).toContain("module.security.aws_kms_key.data");
    });

    targeted("plan -target=module.compute touches compute and only what it reads, never the CDN or monitoring", () => {
      const changes = plan("tfplan-ecs", "-target=module.compute").map((c) => c.address);
      expect(changes).toContain("module.compute.aws_ecs_service.app");
      expect(changes.filter((a) => /^module\.(cdn|monitoring)\./.test(a))).toEqual([]);
    });

    /** The runbook's edits that a data store's module reads, in the plans they share (edit-batches.ts), planned once. */
    let haBatches:
      | {
          batches: RunbookEdit[][];
          touchedBy: (e: RunbookEdit) => string[];
          reaching: (e: RunbookEdit) => string[];
        }
      | undefined;
    const runbookBatches = () => {
      if (haBatches) return haBatches;
      const stack = synthAll().stacks[ws];
      const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "runbooks", `${ws}.md`), "utf8");
      const ha = haModules(stack);
      const original = fs.readFileSync(path.join(dir, "environments", ws, "terraform.tfvars"), "utf8");
      const touchedBy = (edit: RunbookEdit) => storesReading(stack, edit, ha);
      // An edit no data store's module reads cannot change one; an edit to the workspace's own values plans the baseline.
      const edits = runbookEdits(doc).filter(
        (e) => touchedBy(e).length > 0 && (e.refused || !isNoOp(original, e.settings)),
      );
      const reaching = (edit: RunbookEdit) => haReach(stack, edit, ha);
      return (haBatches = { batches: editBatches(stack, edits, ha), touchedBy, reaching });
    };
    /** The guard's refused plan, which also carries the runbook's refused edits (their rules never read the workspace). */
    let guardRun: { code: number; text: string; carried: RunbookEdit[] } | undefined;

    test("the workspace guard refuses a plan in another workspace, naming both", () => {
      const other = ws === "dev" ? "staging" : "dev";
      const { batches, touchedBy } = runbookBatches();
      const carried = batches.find((b) => b[0].refused) ?? [];
      const tfvarsFile = path.join(dir, "environments", ws, "terraform.tfvars");
      const original = fs.readFileSync(tfvarsFile, "utf8");
      terraformOk(dir, ["workspace", "new", other]);
      let r: { code: number; text: string };
      try {
        if (carried.length > 0)
          fs.writeFileSync(tfvarsFile, editedTfvars(original, Object.assign({}, ...carried.map((e) => e.settings))));
        const targets = [...new Set(["network", ...carried.flatMap(touchedBy)])].map((m) => `-target=module.${m}`);
        r = terraform(dir, ["plan", "-input=false", `-var-file=environments/${ws}/terraform.tfvars`, ...targets]);
        guardRun = { code: r.code, text: r.text, carried };
      } finally {
        fs.writeFileSync(tfvarsFile, original);
        terraformOk(dir, ["workspace", "select", ws]);
      }
      expect(r.code).not.toBe(0);
      expect(r.text).toContain(
        `Workspace guard: this directory holds the "${ws}" configuration but the selected Terraform workspace is "${other}".`,
      );
    });

    // `terraform plan` validates the root and every module before it plans (no separate `terraform validate`: the
    // runbooks' `terraform validate` line runs as typed in operator-runbook.test.ts and products.test.ts).
    test("the full plan validates and succeeds offline, and creates resources in every module of the root", () => {
      const modules = Object.keys(synthAll().stacks[ws].root.module ?? {});
      const created = (fullPlan().resource_changes ?? []).filter((c) => c.change.actions.includes("create"));
      expect(modules.filter((m) => !created.some((c) => c.address.startsWith(`module.${m}.`)))).toEqual([]);
    });

    extra({ dir: () => dir, plan, shownPlan, fullPlan, fullPlanText: () => fullRun().text });

    // Issue 21 item 4 (D140): a runbook's edit is derived from this workspace's config, never copied from another's.
    test(`every edit docs/runbooks/${ws}.md prints keeps its Redis nodes, RDS replicas, Multi-AZ and failover; every edit it shows as refused is refused`, () => {
      const tfvarsFile = path.join(dir, "environments", ws, "terraform.tfvars");
      const original = fs.readFileSync(tfvarsFile, "utf8");
      // The full plan is the baseline: a targeted plan of the data stores' modules plans the same values for them.
      const base = haSnapshot(fullPlan());
      expect(Object.keys(base).length).toBeGreaterThanOrEqual(4);
      const { batches, touchedBy, reaching } = runbookBatches();
      const planned: string[] = [];
      // Edits that cannot change each other's data stores or rules share one plan (edit-batches.ts).
      for (const batch of batches) {
        const edit = batch.length === 1 ? batch[0] : batch;
        // The refused edits the guard's plan carried: refused there, with each edit's printed lines.
        if (batch === guardRun?.carried) {
          planned.push(...batch.map((e) => `${e.section}: ${JSON.stringify(e.settings)} (the guard's plan)`));
          expect({ edit, code: guardRun.code }).toEqual({ edit, code: 1 });
          for (const l of batch.flatMap((e) => e.error ?? [])) expect(guardRun.text).toContain(l);
          continue;
        }
        const touched = [...new Set(batch.flatMap(touchedBy))];
        // The data stores whose HA attributes an edit's variables reach: the only values the plan can change (shown).
        const compared = [...new Set(batch.flatMap(reaching))];
        // Edits that reach none only have to plan, and the other file types them as printed.
        if (compared.length === 0 && !batch[0].refused && options.runbookTypedElsewhere) continue;
        const vars = batch
          .filter((e) => e.planLine)
          .flatMap((e) => Object.entries(e.settings).map(([k, v]) => `-var=${k}=${v}`));
        // Only the data stores the edits can change are planned (what haLosses compares): a targeted plan of a module
        // plans the same values for it as the full plan (the baseline).
        const targets = touched.map((m) => `-target=module.${m}`);
        const inFile = batch.filter((e) => !e.planLine);
        if (inFile.length > 0)
          fs.writeFileSync(tfvarsFile, editedTfvars(original, Object.assign({}, ...inFile.map((e) => e.settings))));
        try {
          const stream = compared.length === 0 && !batch[0].refused ? ["-json"] : [];
          const r = terraform(dir, ["plan", ...stream, ...planArgs("tfplan-ha-edit", [...vars, ...targets])]);
          planned.push(...batch.map((e) => `${e.section}: ${JSON.stringify(e.settings)}`));
          if (batch[0].refused) {
            expect({ edit, code: r.code }).toEqual({ edit, code: 1 });
            for (const l of batch.flatMap((e) => e.error ?? [])) expect(r.text).toContain(l);
            continue;
          }
          expect({ edit, code: r.code, text: r.code === 0 ? "" : r.text }).toEqual({ edit, code: 0, text: "" });
          if (compared.length === 0) continue;
          expect({ edit, losses: haLosses(base, haSnapshot(showPlan(dir, "tfplan-ha-edit")), compared) }).toEqual({
            edit,
            losses: [],
          });
        } finally {
          fs.writeFileSync(tfvarsFile, original);
        }
      }
      expect(planned.length).toBeGreaterThan(0);
    });
  });
}
