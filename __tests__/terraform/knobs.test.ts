/**
 * The runbook knobs under real Terraform: every rule fails at plan with the synth-time text when an
 * operator breaks it in tfvars.
 *
 * Plan budget: one refused plan per batch, targeted at the modules that read its knobs, in one initialised copy per
 * workspace. Planned elsewhere: seed 000
 * §8.3's one-node fix (operator-runbook.test.ts, typed as printed), §5.2's targeted cache plan and the database's
 * targeted plan (workspace-production.test.ts, against what `npm run rollout` announces).
 */
import * as fs from "fs";
import * as path from "path";
import { WORKSPACES } from "../../environments";
import { modulesReading } from "../helpers/ha-invariants";
import { KNOB_CASES, knobBatches } from "../helpers/knob-cases";
import { synthAll } from "../helpers/synth";
import { describeTerraform, initializedWorkdir, terraform } from "../helpers/terraform";

/** Rewrites `name = value` lines of a tfvars file. */
function editTfvars(file: string, values: Record<string, string>): void {
  let text = fs.readFileSync(file, "utf8");
  for (const [name, value] of Object.entries(values)) {
    const re = new RegExp(`^${name} = .*$`, "m");
    if (!re.test(text)) throw new Error(`${name} is not in ${file}`);
    text = text.replace(re, `${name} = ${value}`);
  }
  fs.writeFileSync(file, text);
}

describeTerraform("runbook knobs under real Terraform", () => {
  const { stacks } = synthAll();
  const dirs: Record<string, string> = {};

  beforeAll(() => {
    for (const ws of WORKSPACES) {
      dirs[ws] = initializedWorkdir(stacks[ws].dir, ws);
    }
  });

  const batches = knobBatches();

  test("every knob rule is covered by exactly one batch", () => {
    expect(
      batches
        .flat()
        .map((c) => c.rule)
        .sort(),
    ).toEqual(KNOB_CASES.map((c) => c.rule).sort());
  });

  test.each(batches.map((b) => [b.map((c) => c.rule).join("; "), b] as const))(
    "an edited tfvars breaking [%s] fails the plan with each synth-time message",
    (_rules, batch) => {
      const ws = batch[0].ws;
      const dir = dirs[ws];
      const file = path.join(dir, "environments", ws, "terraform.tfvars");
      const original = fs.readFileSync(file, "utf8");
      editTfvars(file, Object.assign({}, ...batch.map((c) => c.tfvars)));
      try {
        // Targeted at the modules that read the batch's knobs: a variable's validation runs in every plan of a resource
        // that reads the variable (a full plan fails the same way, after planning everything else).
        const variables = batch.flatMap((c) => [...c.reads, ...Object.keys(c.tfvars)]);
        const targets = modulesReading(stacks[ws], variables).map((m) => `-target=module.${m}`);
        const r = terraform(dir, ["plan", "-input=false", `-var-file=environments/${ws}/terraform.tfvars`, ...targets]);
        expect(r.code).not.toBe(0);
        for (const c of batch) expect(r.text).toContain(c.message);
      } finally {
        fs.writeFileSync(file, original);
      }
    },
  );
});
