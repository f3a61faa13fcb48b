/**
 * The cdktf CLI commands an operator may type (README, "cdktf commands"), spawned as `npx cdktf ...`
 * would run them. `cdktf diff <ws>` plans the workspace directory once Terraform's workspace is
 * `<ws>` (TF_WORKSPACE=<ws>) and stops at the workspace guard otherwise; `cdktf deploy` and
 * `cdktf destroy` stop before synthesizing, naming the supported path.
 *
 * Offline only: the diff runs on an output directory the CLI synthesized itself, with the tests'
 * provider override dropped in (`--skip-synth` keeps it), the mirror as CLI configuration and
 * `--skip-provider-lock` (`terraform providers lock` needs the registry). An operator types
 * `TF_WORKSPACE=dev npx cdktf diff dev`.
 */
import * as fs from "fs";
import * as path from "path";
import { mirrorCliConfig, offlineOverride, tempDir } from "../../tools/terraform";
import { cdktfSynthOnce, runCdktf } from "../helpers/cdktf";
import { describeTerraform } from "../helpers/terraform";

const run = runCdktf;

describe("unsupported cdktf commands", () => {
  test.each([
    ["deploy", "dev", "apply"],
    ["destroy", "production", "destroy"],
  ])("cdktf %s %s stops before synthesizing and names the supported path", (command, ws, verb) => {
    const out = path.join(tempDir("cdktf-refused"), "out");
    const r = run([command, ws, "--output", out]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(
      `cdktf ${command} is not supported in this repository: it would ${verb} every module of a workspace in one step`,
    );
    expect(r.out).toContain(`preview:  TF_WORKSPACE=${ws} npx cdktf diff ${ws}`);
    expect(r.out).toContain(`npm run rollout -- ${ws} [module], or the pipeline`);
    expect(fs.existsSync(path.join(out, "stacks"))).toBe(false);
  });
});

describeTerraform("cdktf diff", () => {
  let out: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    // The run's one `cdktf synth --output <dir>` (cli.test.ts checks it against npm run synth), copied:
    // the diff adds the provider override to its copy.
    const synth = cdktfSynthOnce();
    expect({ code: synth.code, out: synth.code === 0 ? "" : synth.out }).toEqual({ code: 0, out: "" });
    out = path.join(tempDir("cdktf-diff"), "out");
    fs.cpSync(synth.dir, out, { recursive: true });
    const dir = path.join(out, "stacks", "dev");
    fs.writeFileSync(
      path.join(dir, "zz_test_override.tf.json"),
      JSON.stringify(offlineOverride(JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")))),
    );
    const rc = path.join(tempDir("cdktf-rc"), "terraform.rc");
    fs.writeFileSync(rc, mirrorCliConfig(process.env.TF_PROVIDER_MIRROR as string));
    // cdktf points Terraform at ~/.terraform.d/plugin-cache unless told not to: that cache would outlive the
    // test, and when the mirror found is that very directory, init fails ("install … to itself").
    env = { TF_CLI_CONFIG_FILE: rc, CDKTF_DISABLE_PLUGIN_CACHE_ENV: "true" };
  });

  const diff = (extra: NodeJS.ProcessEnv = {}) =>
    run(["diff", "dev", "--skip-synth", "--skip-provider-lock", "--output", out], { ...env, ...extra });

  test("without the dev workspace selected, cdktf diff dev stops at the workspace guard with the command to run", () => {
    const r = diff();
    expect(r.code).not.toBe(0);
    expect(r.out.replace(/\s+/g, " ")).toContain(
      'Workspace guard: this directory holds the "dev" configuration but the selected Terraform workspace is "default". Run: terraform workspace select dev || terraform workspace new dev',
    );
  });

  test("TF_WORKSPACE=dev cdktf diff dev plans the dev directory", () => {
    const r = diff({ TF_WORKSPACE: "dev" });
    expect({ code: r.code, out: r.code === 0 ? "" : r.out.slice(-3000) }).toEqual({ code: 0, out: "" });
    expect(r.out).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
  });
});
