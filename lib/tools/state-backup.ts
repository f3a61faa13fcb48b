/**
 * State backups and rollbacks (seed 000 §7.2, seed 001 "Rollback Plan") around plain Terraform:
 * `terraform state pull` into timestamped files before an apply, and a restore that checks the
 * lineage, shows the serial difference and pushes without `-force` (the restored copy gets the next
 * serial, so Terraform's own safety checks stay on).
 *
 * It runs the operator's own `terraform` with the operator's CLI configuration (lib/tools/terraform-cli.ts),
 * never the tests' offline runner. Seed 000's `cp terraform.tfstate.backup terraform.tfstate` does
 * nothing once a workspace is selected: Terraform then reads `terraform.tfstate.d/<ws>/terraform.tfstate`
 * (or the S3 object of the workspace), never `./terraform.tfstate`; `restore` pushes instead.
 */
import * as fs from "fs";
import * as path from "path";
import { runTerraform, runTerraformOk } from "./terraform-cli";

export interface StateSummary {
  readonly lineage: string;
  readonly serial: number;
  readonly addresses: string[];
}

interface StateFile {
  lineage: string;
  serial: number;
  resources?: { module?: string; mode: string; type: string; name: string; instances: { index_key?: string | number }[] }[];
}

export function summarize(state: StateFile): StateSummary {
  const addresses: string[] = [];
  for (const r of state.resources ?? []) {
    const base = `${r.module ? r.module + "." : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
    for (const i of r.instances) addresses.push(i.index_key === undefined ? base : `${base}[${JSON.stringify(i.index_key)}]`);
  }
  return { lineage: state.lineage, serial: state.serial, addresses: addresses.sort() };
}

/** Terraform in `dir`, with a hint when the directory was never initialised. */
function tf(dir: string, args: string[]): string {
  const r = runTerraform(dir, args);
  if (r.code === 0) return r.stdout;
  if (/terraform init|Backend initialization required|not been initialized/i.test(r.text)) {
    throw new Error(`${dir} is not initialised for Terraform: run terraform init there first.\n${r.stderr.trim()}`);
  }
  throw new Error(`terraform ${args.join(" ")} failed (${r.code}):\n${r.stdout}\n${r.stderr}`.trimEnd());
}

/** The workspace a synthesized directory belongs to (its environments/<ws>/ folder), if it is one. */
export function directoryWorkspace(dir: string): string | undefined {
  const envs = path.join(dir, "environments");
  const found = fs.existsSync(envs) ? fs.readdirSync(envs).filter((f) => fs.existsSync(path.join(envs, f, "terraform.tfvars"))) : [];
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The selected workspace, after checking it is the directory's: a backup or restore in `default`
 * (a fresh checkout before `terraform workspace select`) would save or overwrite the wrong, empty state.
 */
function selectedWorkspace(dir: string): string {
  const selected = tf(dir, ["workspace", "show"]).trim();
  const own = directoryWorkspace(dir);
  if (selected === "default" || (own && selected !== own)) {
    const ws = own ?? "<workspace>";
    throw new Error(
      `the selected Terraform workspace is "${selected}", but this directory holds the "${ws}" configuration. ` +
        `Select it first: terraform workspace select ${ws}`,
    );
  }
  return selected;
}

/** The current state, or undefined when the workspace has none yet. */
function pullOrNone(dir: string): StateFile | undefined {
  const out = tf(dir, ["state", "pull"]).trim();
  return out ? (JSON.parse(out) as StateFile) : undefined;
}

function pull(dir: string): StateFile {
  const state = pullOrNone(dir);
  if (!state) throw new Error(`workspace "${selectedWorkspace(dir)}" has no state yet: nothing to back up (deploy it first, see the first-deploy runbook)`);
  return state;
}

export function backupDir(dir: string): string {
  return path.join(dir, "state-backups", selectedWorkspace(dir));
}

/** Writes the current state to state-backups/<workspace>/<UTC timestamp>-serial<N>.tfstate. */
export function backup(dir: string, now = new Date()): { file: string; summary: StateSummary } {
  const folder = backupDir(dir);
  const state = pull(dir);
  if ((state.resources ?? []).length === 0) {
    throw new Error(
      `workspace "${path.basename(folder)}" has a state with no resources (serial ${state.serial}): nothing to back up. ` +
        "Back up after the first apply; if resources should be there, check the workspace and the backend before applying anything.",
    );
  }
  fs.mkdirSync(folder, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const file = path.join(folder, `${stamp}-serial${state.serial}.tfstate`);
  fs.writeFileSync(file, JSON.stringify(state, null, 2) + "\n");
  return { file, summary: summarize(state) };
}

/** The backups of the selected workspace, newest first. */
export function listBackups(dir: string): { file: string; summary: StateSummary }[] {
  const folder = backupDir(dir);
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".tfstate"))
    .sort()
    .reverse()
    .map((f) => ({ file: path.join(folder, f), summary: summarize(JSON.parse(fs.readFileSync(path.join(folder, f), "utf8"))) }));
}

export interface RestorePlan {
  readonly current: StateSummary;
  readonly backup: StateSummary;
  /** Serial the restored copy is pushed with (current + 1; the backend may advance it further). */
  readonly pushedSerial: number;
  readonly added: string[];
  readonly removed: string[];
}

/** What a restore would do; throws when the lineages differ (a backup of another state). */
export function planRestore(dir: string, file: string): RestorePlan {
  selectedWorkspace(dir);
  const found = pullOrNone(dir);
  const saved = summarize(JSON.parse(fs.readFileSync(file, "utf8")));
  // A workspace whose state was lost has none: the backup goes back as it is.
  const current = found ? summarize(found) : { lineage: saved.lineage, serial: 0, addresses: [] };
  if (saved.lineage !== current.lineage) {
    throw new Error(
      `refusing to restore ${path.basename(file)}: its lineage ${saved.lineage} is not the workspace's ${current.lineage} ` +
        "(a backup of another state). Check the workspace; if you really mean it, use terraform state push -force yourself.",
    );
  }
  return {
    current,
    backup: saved,
    pushedSerial: Math.max(current.serial + 1, saved.serial),
    added: saved.addresses.filter((a) => !current.addresses.includes(a)),
    removed: current.addresses.filter((a) => !saved.addresses.includes(a)),
  };
}

/**
 * Pushes the backup's content as the next serial, without -force. Backs up the current state first
 * (when there is one); `safetyBackup` is undefined when the workspace had no state. `plan` is
 * planRestore's answer when the caller already has it (it pulls the state once more otherwise).
 */
export function restore(dir: string, file: string, plan: RestorePlan = planRestore(dir, file)): RestorePlan & { safetyBackup?: string; finalSerial: number } {
  const safety = plan.current.addresses.length > 0 ? backup(dir).file : undefined;
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
  state.serial = plan.pushedSerial;
  const staged = path.join(path.dirname(file), `.restore-${path.basename(file)}`);
  fs.writeFileSync(staged, JSON.stringify(state));
  try {
    runTerraformOk(dir, ["state", "push", staged]);
  } finally {
    fs.rmSync(staged, { force: true });
  }
  return { ...plan, safetyBackup: safety, finalSerial: pull(dir).serial };
}
