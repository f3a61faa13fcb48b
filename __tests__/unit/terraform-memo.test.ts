/**
 * The Terraform layer's memo (lib/tools/terraform-memo.ts, D87) replays a command only for identical inputs:
 * every input Terraform reads changes the key, and nothing else does.
 */
import * as fs from "fs";
import * as path from "path";
import { WORKSPACES } from "../../environments";
import { memoKey, memoized } from "../../lib/tools/terraform-memo";
import { synthAll, tempDir } from "../helpers/synth";

function workingCopy(): string {
  const dir = tempDir("memo");
  fs.cpSync(synthAll().stacks.dev.dir, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, ".terraform"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".terraform", "environment"), "dev");
  fs.mkdirSync(path.join(dir, "terraform.tfstate.d", "dev"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".terraform.lock.hcl"), 'provider "registry.terraform.io/hashicorp/aws" {}\n');
  return dir;
}

const PLAN = [
  "plan",
  "-input=false",
  "-var-file=environments/dev/terraform.tfvars",
  "-target=module.cache",
  "-out=tfplan-a",
];

describe("plan memo key", () => {
  test("two copies of the same directory share a key, whatever the -out name or files Terraform does not read", () => {
    const a = workingCopy();
    const b = workingCopy();
    fs.writeFileSync(path.join(b, "tfplan-old"), "a saved plan");
    fs.writeFileSync(path.join(b, "terraform.tfstate.backup"), "{}");
    fs.mkdirSync(path.join(b, "state-backups", "dev"), { recursive: true });
    fs.writeFileSync(path.join(b, "state-backups", "dev", "x.tfstate"), "{}");
    expect(memoKey(b, [...PLAN.slice(0, -1), "-out=tfplan-b"])).toBe(memoKey(a, PLAN));
  });

  test.each([
    ["a module file", (d: string) => fs.appendFileSync(path.join(d, "modules", "cache", "main.tf.json"), " ")],
    ["the tfvars", (d: string) => fs.appendFileSync(path.join(d, "environments", "dev", "terraform.tfvars"), "\n")],
    ["a new override file", (d: string) => fs.writeFileSync(path.join(d, "zz_other_override.tf.json"), "{}")],
    ["the lock file", (d: string) => fs.appendFileSync(path.join(d, ".terraform.lock.hcl"), "\n")],
    [
      "the workspace's state",
      (d: string) => fs.writeFileSync(path.join(d, "terraform.tfstate.d", "dev", "terraform.tfstate"), "{}"),
    ],
    ["the selected workspace", (d: string) => fs.writeFileSync(path.join(d, ".terraform", "environment"), "staging")],
  ])("changing %s changes the key", (_what, change) => {
    const dir = workingCopy();
    const before = memoKey(dir, PLAN);
    change(dir);
    expect(memoKey(dir, PLAN)).not.toBe(before);
  });

  test("another argument changes the key", () => {
    const dir = workingCopy();
    expect(memoKey(dir, [...PLAN, "-refresh=false"])).not.toBe(memoKey(dir, PLAN));
    expect(memoKey(dir, [...PLAN, "-var=app_image_tag=v1"])).not.toBe(memoKey(dir, PLAN));
  });

  test("a TF_VAR_ variable changes the key", () => {
    const dir = workingCopy();
    const before = memoKey(dir, PLAN);
    process.env.TF_VAR_app_image_tag = "v1";
    try {
      expect(memoKey(dir, PLAN)).not.toBe(before);
    } finally {
      delete process.env.TF_VAR_app_image_tag;
    }
  });

  test("show -json is keyed by the plan file's bytes; commands that change things are never memoized", () => {
    const dir = workingCopy();
    fs.writeFileSync(path.join(dir, "p1"), "plan one");
    fs.writeFileSync(path.join(dir, "p2"), "plan two");
    expect(memoKey(dir, ["show", "-json", "p1"])).not.toBe(memoKey(dir, ["show", "-json", "p2"]));
    for (const args of [
      ["init", "-input=false"],
      ["apply", "-auto-approve"],
      ["state", "push", "x"],
      ["workspace", "new", "dev"],
      ["validate", "-json"],
      ["output"],
    ]) {
      expect(memoKey(dir, args)).toBeUndefined();
    }
  });
});

test("a replayed plan gets the recorded result and its plan file under the caller's -out name", () => {
  const memo = tempDir("memo-root");
  const before = process.env.TF_MEMO_DIR;
  process.env.TF_MEMO_DIR = memo;
  try {
    const a = workingCopy();
    const b = workingCopy();
    let runs = 0;
    const run = (dir: string, out: string) => () => {
      runs += 1;
      fs.writeFileSync(path.join(dir, out), "plan bytes");
      return { code: 0, stdout: `Saved the plan to: ${out}\nterraform apply "${out}"`, stderr: "", text: "" };
    };
    memoized(a, PLAN, run(a, "tfplan-a"), (s) => s);
    const replayed = memoized(b, [...PLAN.slice(0, -1), "-out=tfplan-b"], run(b, "tfplan-b"), (s) => s);
    expect(runs).toBe(1);
    expect(replayed.stdout).toBe('Saved the plan to: tfplan-b\nterraform apply "tfplan-b"');
    expect(fs.readFileSync(path.join(b, "tfplan-b"), "utf8")).toBe("plan bytes");
  } finally {
    if (before === undefined) delete process.env.TF_MEMO_DIR;
    else process.env.TF_MEMO_DIR = before;
  }
});

test("synthesized directories read no files beyond configuration and variables (no file functions), as the memo key assumes", () => {
  const { outdir } = synthAll();
  for (const ws of [...WORKSPACES, "bootstrap"]) {
    const dir = path.join(outdir, "stacks", ws);
    const files = fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => fs.statSync(path.join(dir, f)).isFile());
    expect(files.filter((f) => !/\.(tf\.json|tfvars)$/.test(f))).toEqual([]);
    for (const f of files)
      expect(fs.readFileSync(path.join(dir, f), "utf8")).not.toMatch(
        /\b(file|templatefile|filebase64|fileset|filemd5|filesha1|filesha256|filesha512|filebase64sha256|filebase64sha512|fileexists)\(/,
      );
  }
});
