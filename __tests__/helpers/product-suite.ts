/**
 * The runbook suite every product besides EduAutismo gets, per workspace, under real Terraform, driven by its generated
 * runbook (docs/runbooks/<product>/<ws>.md): the first-deploy lines run as an operator types them in a copy of
 * `cdktf.out/<product>/stacks/<ws>` (init, workspace select || new, validate), then the runbook's plans — the first
 * module's targeted plan, compute's, the stop plan when the environment is stoppable, and the full plan of the rollback
 * section; every resource name its AWS CLI lines pass is one the full plan creates. Apply lines are not run (no AWS
 * here). Each product's file (product-<id>.test.ts) calls it per workspace and adds its own tests on the same plans
 * (`extra`), so a plan two tests read is planned once.
 *
 * Plan budget per workspace (each plan once): the first targeted plan of the first deploy and compute's targeted plan
 * (typed with `-json` appended, the one change to a printed line: Terraform's machine-readable stream of the same plan,
 * read for addresses and actions; compute's shown instead when the product's tests read its values), the stop plan when
 * the runbook has one (streamed), the full plan (`show -json` once, shared by the module, name, counted-name and HA
 * checks and the product's tests), each printed targeted `-var=` line (restore, redeploy, Valkey) as printed, and the
 * printed full-plan `-var=` edits in as few plans as edit-batches.ts allows (edits that cannot change each other's data
 * stores or rules share one; each plan targeted at the data stores its edits' variables reach). A plan is shown only
 * where an edit's variables reach a data store's HA attributes (D215); the others are streamed, and a section the
 * product's own tests type as printed (`typedElsewhere`) is not planned again. A workspace whose plan reads AWS runs its
 * plan lines once under `terraform test`.
 */
import * as fs from "fs";
import * as path from "path";
import type { Product } from "../../environments";
import { cliResourceNames, nameExists, terraformLines } from "../../tools/product-runbook";
import { moduleGraph, targetClosure } from "../../tools/rollout";
import {
  changesOf,
  type PlanJson,
  plannedValues,
  planReadsAws,
  showPlan,
  streamedChanges,
} from "../../tools/terraform";
import type { SynthesizedStack } from "../../tools/synthesized";
import { command, OperatorWorkspace, planOut, REPO } from "./operator";
import { productStacks, type Json } from "./synth";
import { editBatches, haReach } from "./edit-batches";
import { haLosses, haModules, haSnapshot, type RunbookEdit, runbookEdits, storesReading } from "./ha-invariants";
import { describeTerraform, sharedInstanceNames } from "./terraform";

/** What a product's own tests get from its workspace's runbook suite. */
export interface ProductContext {
  /** The operator's copy of the workspace directory (initialised by the suite's first test). */
  readonly op: () => OperatorWorkspace;
  readonly stack: SynthesizedStack;
  /** The runbook's first plan line matching `pattern`. */
  readonly planLine: (pattern: RegExp) => string;
  /** Runs a plan line (once) and returns `terraform show -json` of its plan file and what Terraform printed. */
  readonly planOf: (line: string) => { plan: PlanJson; text: string };
  /** The full plan of the runbook's rollback section (shown once). */
  readonly fullPlan: () => PlanJson;
}

export interface ProductSuiteOptions {
  /** Whether the product's tests read the values of compute's plan line (then it is shown, not streamed). */
  readonly computeValues?: boolean;
  /**
   * Runbook sections (the start of their `## ` titles) whose plan lines the product's own tests type as printed, on a deployed
   * (crafted) state: the suite does not plan them again on the empty one, unless an edit of theirs reaches a data
   * store's HA attributes. @default none
   */
  readonly typedElsewhere?: readonly string[];
}

export function productSuite(
  product: Product,
  ws: string,
  extra: (ctx: ProductContext) => void = () => undefined,
  options: ProductSuiteOptions = {},
): void {
  const set = productStacks(product);
  describeTerraform(`${set.label(ws)}: its runbook under real Terraform`, () => {
    const stack = set.stacks[ws];
    const runbook = fs.readFileSync(path.join(REPO, "docs", "runbooks", product.id, `${ws}.md`), "utf8");
    const lines = terraformLines(runbook).map(command);
    const modules = Object.keys(stack.root.module ?? {});
    // A workspace whose plan reads AWS (data sources: seed 004's default VPC, D118) cannot plan offline: its runbook's
    // plan lines run under `terraform test` instead, the data sources overridden (override_data).
    const readsAws = planReadsAws(stack);
    const planTest = readsAws.length > 0 ? () => undefined : test;
    let op: OperatorWorkspace;

    beforeAll(() => {
      op = new OperatorWorkspace(stack, process.env.TF_PROVIDER_MIRROR as string);
    });
    afterAll(() => op?.remove());

    /** Plans of this workspace by plan line, each run and shown once. */
    const plans = new Map<string, { plan: PlanJson; text: string }>();
    const planOf = (line: string) => {
      let p = plans.get(line);
      if (!p) {
        const { text } = op.ok(line);
        p = { plan: showPlan(op.dir, planOut(line) as string), text };
        plans.set(line, p);
      }
      return p;
    };
    /** Plan lines run as a stream, by line: the addresses each planned. */
    const streamed = new Map<string, string[]>();
    /** Runs the runbook's plan line (once) and returns the addresses it plans (the stream, unless the line was shown). */
    const runPlan = (line: string) => {
      const shown = plans.get(line);
      if (shown) return changesOf(shown.plan).map((c) => c.address);
      let addresses = streamed.get(line);
      if (!addresses) {
        addresses = streamedChanges(op.ok(`${line} -json`).stdout).map((c) => c.address);
        streamed.set(line, addresses);
      }
      return addresses;
    };
    /** The full plan of the rollback section, saved as tfplan-full. */
    const fullPlan = () => planOf(`${planLine(/^terraform plan -var-file="[^"]+"$/)} -out=tfplan-full`);
    const planLine = (pattern: RegExp) => {
      const line = lines.find((l) => l.startsWith("terraform plan ") && pattern.test(l));
      if (!line) throw new Error(`the runbook has no plan line matching ${pattern}`);
      return line;
    };

    test("init, workspace select || new and validate run as the first deploy says", () => {
      const setup = lines.filter((l) => /^terraform (init|workspace|validate)/.test(l)).slice(0, 3);
      expect(setup).toEqual([
        "terraform init",
        `terraform workspace select ${ws} || terraform workspace new ${ws}`,
        "terraform validate",
      ]);
      for (const l of setup) op.ok(l);
      expect(op.ok("terraform workspace show").stdout.trim()).toBe(ws);
    });

    planTest(`the first targeted plan of the first deploy touches only its module and what that module reads`, () => {
      const line = lines.find((l) => l.startsWith("terraform plan ") && l.includes("-target=module.")) as string;
      const target = /-target=module\.([a-z_]+)/.exec(line)?.[1] as string;
      const allowed = [target, ...targetClosure(moduleGraph(stack.root), target)];
      const planned = runPlan(line);
      expect(planned.length).toBeGreaterThan(0);
      expect(planned.filter((a) => !allowed.some((m) => a.startsWith(`module.${m}.`)))).toEqual([]);
    });

    planTest(`the compute plan of the runbook plans compute's resources`, () => {
      const line = planLine(/-target=module\.compute /);
      // Shown (not streamed) when the product's own tests read its values (options.computeValues).
      if (options.computeValues) planOf(line);
      const planned = runPlan(line);
      expect(planned.filter((a) => a.startsWith("module.compute.")).length).toBeGreaterThan(0);
    });

    planTest(
      `the full plan of the rollback section creates resources in every module and sets no undeclared variable`,
      () => {
        const { plan, text } = fullPlan();
        expect(text).not.toMatch(/Warning: Value for undeclared variable/);
        const planned = changesOf(plan).map((c) => c.address);
        const missing = modules.filter((m) => !planned.some((a) => a.startsWith(`module.${m}.`)));
        expect(missing).toEqual([]);
      },
    );

    planTest("every resource name the runbook's AWS CLI lines use is one the full plan creates", () => {
      const names = new Set<string>();
      for (const after of plannedValues(fullPlan().plan).values()) collectStrings(after, names);
      const used = cliResourceNames(runbook);
      expect(used.length).toBeGreaterThan(0);
      expect(used.filter((u) => !nameExists(u, names)).map((u) => `${u.flag} ${u.name}`)).toEqual([]);
    });

    planTest(
      "no two instances of a counted resource in the full plan share a name (alarms per Redis node and replica, D130)",
      () => {
        expect(sharedInstanceNames(fullPlan().plan)).toEqual([]);
      },
    );

    if (readsAws.length > 0) {
      test(`the runbook's plans run under terraform test, the data sources it reads from AWS (${readsAws.join(", ")}) overridden`, () => {
        const plans = [
          ...new Set(lines.filter((l) => l.startsWith("terraform plan ")).map((l) => l.replace(/ -out=\S+/, ""))),
        ];
        expect(plans.length).toBeGreaterThan(2);
        const varFile = /-var-file="([^"]+)"/.exec(plans[0])?.[1] as string;
        fs.mkdirSync(path.join(op.dir, "tests"), { recursive: true });
        fs.writeFileSync(
          path.join(op.dir, "tests", "runbook.tftest.hcl"),
          runbookTestFile(readsAws, plans, placeholderChecks(stack.root)),
        );
        const r = op.run(`terraform test -no-color -var-file="${varFile}"`);
        expect(r.text).toContain(`${plans.length} passed, 0 failed`);
      });
    }

    if (lines.some((l) => l.includes("-var=environment_running=false"))) {
      planTest(`the stop plan of the runbook runs and plans no NAT gateway`, () => {
        // Streamed: addresses suffice (the HA check below shows the line again only if its edit reaches a data store's
        // HA attributes).
        const planned = runPlan(planLine(/-var=environment_running=false/));
        expect(planned.filter((a) => a.includes("aws_nat_gateway."))).toEqual([]);
      });
    }

    // Issue 21 item 4 (D140): every edit the runbook prints (here `-var=` overrides of its plan lines) keeps the data stores' HA.
    /** The modules holding the data stores whose HA the edits must keep. */
    const stores = haModules(stack);
    const touchedBy = (edit: RunbookEdit) => storesReading(stack, edit, stores);
    const edits = runbookEdits(runbook).filter((e) => touchedBy(e).length > 0);
    if (edits.length > 0) {
      planTest(
        `every edit the runbook prints keeps its Redis nodes, RDS replicas, Multi-AZ and failover (${edits.length} edits)`,
        () => {
          expect(edits.filter((e) => !e.planLine).map((e) => e.section)).toEqual([]); // tfvars edits: plan them as workspace-suite.ts does
          const base = haSnapshot(fullPlan().plan);
          expect(Object.keys(base).length).toBeGreaterThanOrEqual(4);
          // The stop test above ran the same line already: its plan is reused. A printed targeted plan (a restore or
          // redeploy section) runs as printed, so every section is typed as printed. The printed full plans go into as
          // few plans as edit-batches.ts allows (edits that cannot change each other's data stores or rules share
          // one), each targeted at the data stores its edits can change (what haLosses compares: a targeted plan of a
          // module plans the same values for it), under the runbook's var file.
          const reused = edits.filter(
            (e) =>
              plans.has(e.planLine as string) ||
              streamed.has(e.planLine as string) ||
              / -target=/.test(e.planLine as string),
          );
          const batches = editBatches(
            stack,
            edits.filter((e) => !reused.includes(e)),
            stores,
          );
          const varFile = /^terraform plan -var-file="[^"]+"/.exec(edits[0].planLine as string)?.[0] as string;
          const lineOf = (batch: RunbookEdit[], i: number) =>
            [
              varFile,
              ...batch.flatMap((e) => Object.entries(e.settings).map(([k, v]) => `-var=${k}=${v}`)),
              ...[...new Set(batch.flatMap(touchedBy))].map((m) => `-target=module.${m}`),
              `-out=tfplan-ha-${i + 1}`,
            ].join(" ");
          const runs: [RunbookEdit[], string][] = [
            ...reused.map((e): [RunbookEdit[], string] => [[e], e.planLine as string]),
            ...batches.map((b, i): [RunbookEdit[], string] => [b, lineOf(b, i)]),
          ];
          for (const [batch, line] of runs) {
            const edit = batch.length === 1 ? batch[0] : batch;
            // Only the data stores whose HA attributes an edit's variables reach can change: their values are read
            // (shown); a plan whose edits reach none only has to run (streamed, unless shown already).
            const compared = [...new Set(batch.flatMap((e) => haReach(stack, e, stores)))];
            if (compared.length === 0) {
              // Typed as printed here unless the product's tests type the section (a failing plan throws, naming it).
              if (!batch.every((e) => options.typedElsewhere?.some((t) => e.section.startsWith(t)))) runPlan(line);
              continue;
            }
            expect({
              edit,
              losses: haLosses(base, haSnapshot(planOf(line).plan), compared),
            }).toEqual({ edit, losses: [] });
          }
        },
      );
    }

    // The product's tests come last; a `beforeAll` of theirs belongs in a `describe` of its own, so that it runs after
    // the suite's first test (init).
    extra({
      op: () => op,
      stack,
      planLine,
      planOf,
      fullPlan: () => fullPlan().plan,
    });
  });
}

/** Every string inside a planned value (names sit at many depths: name, family, identifier, log configuration). */
function collectStrings(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 8 || value === null || value === undefined) return;
  if (typeof value === "string") into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into, depth + 1));
  else if (typeof value === "object") Object.values(value).forEach((v) => collectStrings(v, into, depth + 1));
}

/** Values a test gives the data sources a plan would read from AWS (what an account's default VPC looks like). */
const OFFLINE_DATA: Record<string, string> = {
  aws_vpc: '{ id = "vpc-0a1b2c3d4e5f60718", cidr_block = "172.31.0.0/16" }',
  aws_subnets: '{ ids = ["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"] }',
};

/** The root's placeholder checks (`check.placeholder_*`, D145): warnings of every full plan while the example values stay. */
function placeholderChecks(root: Json): string[] {
  return Object.keys(root.check ?? {})
    .filter((c) => c.startsWith("placeholder_"))
    .map((c) => `check.${c}`);
}

/** A `terraform test` file with one plan run per runbook plan line (its -target and -var flags), the data sources overridden. */
function runbookTestFile(dataSources: string[], plans: string[], expectedWarnings: string[]): string {
  const overrides = dataSources.map((address) => {
    const type = /\.data\.([a-z0-9_]+)\./.exec(address)?.[1] as string;
    if (!OFFLINE_DATA[type]) throw new Error(`no offline values for ${type} (${address}): add them to OFFLINE_DATA`);
    return `override_data {\n  target = ${address}\n  values = ${OFFLINE_DATA[type]}\n}`;
  });
  const runs = plans.map((line, i) => {
    const targets = [...line.matchAll(/-target=(\S+)/g)].map((m) => m[1]);
    // A failed check block (compute's first_deploy_image while app_image_tag is "initial") is a warning to
    // `terraform plan` but fails a `terraform test` run: give the tag a value, as the first deploy does.
    const vars = [
      '    app_image_tag = "sha-0000000"',
      ...[...line.matchAll(/-var=([a-z0-9_]+)=(\S+)/g)].map((m) => `    ${m[1]} = ${m[2]}`),
    ];
    return [
      `run "runbook_plan_${i + 1}" {`,
      "  # " + line,
      "  command = plan",
      ...(targets.length ? ["  plan_options {", `    target = [${targets.join(", ")}]`, "  }"] : []),
      ...(vars.length ? ["  variables {", ...vars, "  }"] : []),
      // The example values' checks (D145) fail a full plan's run the same way; a targeted plan does not evaluate them.
      ...(targets.length === 0 && expectedWarnings.length
        ? [`  expect_failures = [${expectedWarnings.join(", ")}]`]
        : []),
      "}",
    ].join("\n");
  });
  return [...overrides, ...runs].join("\n\n") + "\n";
}
