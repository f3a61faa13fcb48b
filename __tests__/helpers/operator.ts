/**
 * Operator tests: the commands of docs/runbooks/<ws>.md, spawned as an operator types them.
 *
 * A copy of a synthesized workspace directory is placed under the repository
 * (`cdktf.out/optest-<random>/stacks/<ws>`), so `npm run …` finds package.json by walking up, as it
 * does from `cdktf.out/stacks/<ws>`. Commands run through bash with an operator's environment: PATH
 * holds only the directories of terraform, node and npm, HOME holds an ordinary `.terraformrc` whose
 * provider_installation names the filesystem mirror (how an offline operator configures Terraform),
 * and neither TF_PROVIDER_MIRROR nor TF_CLI_CONFIG_FILE is set (GOGC/GOMEMLIMIT are, as for every
 * Terraform the tests start: Go runtime tuning, see goRuntimeEnv). The one test-only file is the
 * provider override (`zz_test_override.tf.json`: skip flags, dummy keys), which lets plans run
 * without AWS, as in every Terraform-layer test.
 */
import { spawnSync, type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { plainText, type TfResult } from "../../tools/terraform-cli";
import { goRuntimeEnv, mirrorCliConfig, offlineOverride, tempDir, withoutPackageHashes } from "../../tools/terraform";
import type { SynthesizedStack } from "../../tools/synthesized";

export const REPO = path.join(__dirname, "..", "..");

/**
 * `bash <args>` as a test types a shell line, with stdin closed. Node gives a child a socket for a `pipe`, and a bash whose
 * stdin is a socket and whose environment has no SHLVL takes itself for a remote shell and reads ~/.bashrc even with
 * `-c`: a machine's bashrc (a pyenv init, say) would then put its own directories ahead of the test's PATH, and a real
 * `aws` could answer for the fake (it did, in a full run of the Terraform layer).
 */
export function bashSync(args: string[], options: SpawnSyncOptionsWithStringEncoding): SpawnSyncReturns<string> {
  return spawnSync("/bin/bash", args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
}

/** The test run's id (its temporary root's name): copies of other runs in the same checkout are not ours to remove. */
export function runId(): string {
  return path.basename(process.env.EDU_TMP_ROOT ?? `pid${process.pid}`).replace(/[^A-Za-z0-9]/g, "");
}

export interface Block {
  readonly lang: string;
  readonly lines: string[];
}

/** The code blocks of the runbook section whose heading carries `marker` (e.g. "§7.2"), in order. */
export function runbookSection(markdown: string, marker: string): { text: string; blocks: Block[] } {
  const sections = markdown.split(/^(?=## )/m);
  const section = sections.find((s) => s.split("\n")[0].includes(`(seed 000 ${marker})`));
  if (!section) throw new Error(`the runbook has no section "(seed 000 ${marker})"`);
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of section.matchAll(fence))
    blocks.push({ lang: m[1], lines: m[2].split("\n").filter((l) => l.trim() !== "") });
  return { text: section, blocks };
}

/** The command lines of the bash blocks of a section. */
export function bashLines(section: { blocks: Block[] }): string[] {
  return section.blocks.filter((b) => b.lang === "bash").flatMap((b) => b.lines);
}

/** A line's command without its trailing `   # comment`. */
export function command(line: string): string {
  return line.replace(/\s{2,}#.*$/, "").trim();
}

/**
 * What a test does with a runbook line: runs it, or checks it without running it (AWS, docker, curl, git).
 * `image` (`npm run image -- set <ws> <tag>`) writes the repository's images file, not the copy's: the test
 * applies its effect on the copy's tfvars (the command itself runs in a fresh copy of the repository in
 * __tests__/terraform/image-tag.test.ts).
 */
export type LineKind = "cd" | "synth" | "image" | "apply" | "cloud" | "run";
export function classify(line: string): LineKind {
  const c = command(line);
  if (/^cd /.test(c)) return "cd";
  if (c === "npm run synth") return "synth";
  if (/^npm run image -- set /.test(c)) return "image";
  if (/^terraform apply /.test(c)) return "apply";
  // `eval "$(terraform output -raw <x>_run_task_command)"` runs an aws command too.
  if (/(^|[\s($|])(aws|docker|curl|git) /.test(c) || /\beval\b/.test(c)) return "cloud";
  return "run";
}

function binDir(name: string): string {
  const r = spawnSync("/bin/sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const found = r.stdout.trim();
  if (r.status !== 0 || !found) throw new Error(`${name} is not on PATH`);
  return path.dirname(fs.realpathSync(found));
}

/** An operator's shell in a copy of a synthesized workspace directory, placed under the repository. */
export class OperatorWorkspace {
  readonly dir: string;
  readonly tfvarsFile: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly root: string;

  /** `besides`: another operator workspace whose root this one shares (sibling `stacks/<ws>` directories). */
  constructor(
    readonly stack: SynthesizedStack,
    mirror: string,
    besides?: OperatorWorkspace,
  ) {
    fs.mkdirSync(path.join(REPO, "cdktf.out"), { recursive: true });
    this.root = besides ? besides.root : fs.mkdtempSync(path.join(REPO, "cdktf.out", `optest-${runId()}-`));
    this.dir = path.join(this.root, "stacks", stack.workspace);
    fs.cpSync(stack.dir, this.dir, { recursive: true });
    fs.writeFileSync(
      path.join(this.dir, "zz_test_override.tf.json"),
      JSON.stringify(offlineOverride(stack.root), null, 2),
    );
    this.tfvarsFile = path.join(this.dir, "environments", stack.workspace, "terraform.tfvars");
    const home = tempDir("operator-home");
    fs.writeFileSync(path.join(home, ".terraformrc"), mirrorCliConfig(mirror));
    const dirs = [...new Set(["terraform", "node", "npm"].map(binDir))];
    this.env = {
      PATH: dirs.join(path.delimiter),
      HOME: home,
      LANG: "C.UTF-8",
      CHECKPOINT_DISABLE: "1",
      npm_config_update_notifier: "false",
      ...goRuntimeEnv(),
    };
  }

  /**
   * Runs one runbook line in the workspace directory, through bash, as typed. After a line that ran `terraform init`
   * successfully, the lock file it wrote loses its package hashes (D215, as every test copy's since D127): with them,
   * each later command re-hashes the 700 MB provider first (0.5 CPU-s), which tests Terraform, not the runbook.
   */
  run(line: string): TfResult {
    const r = bashSync(["-c", line], {
      cwd: this.dir,
      env: this.env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status === 0 && /\bterraform init\b/.test(line)) withoutPackageHashes(this.dir);
    const stdout = r.stdout ?? "";
    const stderr = r.stderr ?? "";
    return { code: r.status ?? -1, stdout, stderr, text: plainText(stdout + "\n" + stderr) };
  }

  /** run(), failing with the command's output when it exits non-zero. */
  ok(line: string): TfResult {
    const r = this.run(line);
    if (r.code !== 0) throw new Error(`"${line}" exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** Applies an `hcl` block of the runbook to the workspace's tfvars: each `key = value` replaces the key's line. */
  editTfvars(block: Block): void {
    const [first, ...settings] = block.lines;
    expect(first).toBe(`# environments/${this.stack.workspace}/terraform.tfvars`);
    let text = fs.readFileSync(this.tfvarsFile, "utf8");
    for (const s of settings) {
      const key = /^([a-z0-9_]+)\s*=/.exec(s)?.[1];
      if (!key) throw new Error(`not a tfvars setting: ${s}`);
      const line = new RegExp(`^${key}\\s*=.*$`, "m");
      text = line.test(text) ? text.replace(line, s) : `${text}\n${s}\n`;
    }
    fs.writeFileSync(this.tfvarsFile, text);
  }

  /** Replaces the configuration files (not .terraform, state or backups), as `npm run synth` does. */
  resynthesized(stack: SynthesizedStack): void {
    for (const f of ["cdk.tf.json", "modules", "environments"]) {
      fs.rmSync(path.join(this.dir, f), { recursive: true, force: true });
      fs.cpSync(path.join(stack.dir, f), path.join(this.dir, f), { recursive: true });
    }
  }

  remove(): void {
    if (process.env.KEEP_TEST_TMP !== "1") fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** `terraform plan …` with `-refresh=false` added: offline, a plan over a crafted state must not call AWS. */
export function withoutRefresh(line: string): string {
  return line.replace(/^terraform plan /, "terraform plan -refresh=false ");
}

/** The `-out=` file of a plan line. */
export function planOut(line: string): string | undefined {
  return /\s-out=(\S+)/.exec(command(line))?.[1];
}
