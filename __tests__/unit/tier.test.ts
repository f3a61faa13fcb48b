/**
 * Strictness is the environment's `tier`, never its workspace name; each exemptible control is
 * declared once, by the module whose config holds its switch (`<MODULE>_CONTROLS`), and the schema
 * derives the rest from it.
 */
import {
  ConfigError,
  disabledControls,
  environmentSchema,
  EXEMPTIBLE_CONTROLS,
  exemptibleChecks,
  parseEnvironment,
  type EnvironmentInput,
  type ExemptibleControl,
} from "../../environments";
import { runningValidation } from "../../composition/running";
import type { Mutable } from "../helpers/config";
import { inputs } from "../helpers/synth";

/** dev's checked-in input under another name and, optionally, another tier. */
function renamed(workspace: string, change: (env: Mutable) => void = () => undefined): EnvironmentInput {
  const env: Mutable = { ...inputs().dev, workspace };
  change(env);
  return env;
}

function problemsOf(input: EnvironmentInput, label: string, controls?: readonly ExemptibleControl[]): string[] {
  try {
    parseEnvironment(input, label, controls ? environmentSchema(controls) : undefined);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

/** kms-rotation, which declares no switch today, given one that is always off. */
const withKmsSwitch = (): ExemptibleControl[] => [
  ...EXEMPTIBLE_CONTROLS,
  { id: "kms-rotation", exemptible: { switch: "security.kmsRotation", isOff: () => true } },
];
const kmsExemption = { control: "kms-rotation", reason: "a test control that a new switch turns off" };

describe("exemptions follow the tier", () => {
  test("a qa environment with tier development may be exempted", () => {
    const qa = parseEnvironment(renamed("qa"), "qa");
    expect(qa.exemptions.map((e) => e.control)).toContain("vpc-flow-logs");
  });

  test("a production-like environment may not be exempted, whatever its name", () => {
    expect(
      problemsOf(
        renamed("sandbox", (e) => (e.tier = "production-like")),
        "sandbox",
      ),
    ).toContain(
      "sandbox.exemptions[0]: a production-like environment keeps every control; only a development-tier environment may be exempted",
    );
  });

  test("a production-like environment may not switch a control off, and is told which switch", () => {
    expect(
      problemsOf(
        renamed("sandbox", (e) => (e.tier = "production-like")),
        "sandbox",
      ),
    ).toContain(
      "sandbox.exemptions: vpc-flow-logs is off (network.flowLogs.enabled), but a production-like environment keeps every control; only a development-tier environment may be exempted",
    );
  });

  test("an exemption of a check that declares no switch is rejected at its field", () => {
    expect(
      problemsOf(
        renamed("qa", (e) => e.exemptions.push(kmsExemption)),
        "qa",
      ),
    ).toContainEqual(
      expect.stringMatching(
        /^qa\.exemptions\[7\]\.control: "kms-rotation" is not an exemptible policy check \(one of .*\bvpc-flow-logs\b.*\)$/,
      ),
    );
  });
});

describe("each exemptible control is declared once, on its check", () => {
  test("every exemptible check names its switch, which production keeps on and dev turns off exactly where it is exempted", () => {
    const production = parseEnvironment(inputs().production, "production");
    const dev = parseEnvironment(inputs().dev, "dev");
    for (const c of exemptibleChecks()) {
      const value = c.exemptible.switch
        .split(".")
        .reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], production);
      expect([c.id, value === undefined]).toEqual([c.id, false]);
      expect([c.id, c.exemptible.isOff(production)]).toEqual([c.id, false]);
      expect([c.id, c.exemptible.isOff(dev)]).toEqual([c.id, dev.exemptions.some((e) => e.control === c.id)]);
    }
  });

  test("which controls are off is derived from the checks' switches", () => {
    const dev = parseEnvironment(inputs().dev, "dev");
    expect(disabledControls(dev)).not.toContain("kms-rotation");
    expect(disabledControls(dev, exemptibleChecks(withKmsSwitch()))).toContain("kms-rotation");
  });

  test("declaring a module control is enough for the schema to accept its exemption", () => {
    expect(
      problemsOf(
        renamed("qa", (e) => e.exemptions.push(kmsExemption)),
        "qa",
        withKmsSwitch(),
      ),
    ).toEqual([]);
  });

  test("declaring a module control is enough for the schema to require its exemption when it is off", () => {
    expect(problemsOf(renamed("qa"), "qa", withKmsSwitch())).toEqual([
      "qa.exemptions: kms-rotation is off (security.kmsRotation): name it in exemptions with the reason (cost) or switch it on",
    ]);
  });
});

describe("workspace names", () => {
  test("a workspace name that Terraform and the resource names cannot carry is rejected", () => {
    expect(problemsOf(renamed("QA_1"), "QA_1")).toContain(
      "QA_1.workspace: must be 2–10 lowercase letters, digits and dashes, starting with a letter",
    );
  });
});

describe("environment_running follows stoppable, by default the tier", () => {
  const rule = (input: EnvironmentInput, label: string) => runningValidation(parseEnvironment(input, label));

  test("dev, staging and production keep the text they shipped with", () => {
    const all = inputs();
    expect(
      [rule(all.dev, "dev"), rule(all.staging, "staging"), rule(all.production, "production")].map((r) => r.condition),
    ).toEqual([
      'var.environment_running || "dev" != "production"',
      'var.environment_running || "staging" != "production"',
      'var.environment_running || "production" != "production"',
    ]);
  });

  test("a production-like environment cannot be stopped by default, whatever its name", () => {
    const input = { ...inputs().production, workspace: "sandbox" };
    expect(rule(input, "sandbox")).toEqual({
      condition: 'var.environment_running || "sandbox" != "sandbox"',
      errorMessage: "sandbox cannot be stopped: environment_running must stay true",
    });
  });

  test("a development-tier environment may be stopped, whatever its name", () => {
    // The product's production workspace keeps its state in S3 whatever its tier (D146).
    expect(
      rule(
        renamed("production", (e) => (e.state = { bucket: "eduautismo-ia-terraform-state" })),
        "production",
      ).condition,
    ).toBe('var.environment_running || "production" != ""');
  });

  test("a production-like environment with stoppable: true may be stopped", () => {
    const input = { ...inputs().production, workspace: "sandbox", stoppable: true };
    expect(rule(input, "sandbox").condition).toBe('var.environment_running || "sandbox" != "production"');
  });
});
