/**
 * State backups and rollbacks (seed 000 §7.2, seed 001 "Rollback Plan") around plain Terraform:
 * `terraform state pull` into timestamped files before an apply, and a restore that checks the
 * lineage, shows the serial difference and pushes without `-force` (the restored copy gets the next
 * serial, so Terraform's own safety checks stay on).
 */
import * as fs from "fs";
import * as path from "path";
import { terraformOk } from "./terraform";

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

function pull(dir: string): StateFile {
  const out = terraformOk(dir, ["state", "pull"]).stdout.trim();
  if (!out) throw new Error("the selected workspace has no state yet: nothing to back up or restore");
  return JSON.parse(out) as StateFile;
}

function workspace(dir: string): string {
  return terraformOk(dir, ["workspace", "show"]).stdout.trim();
}

export function backupDir(dir: string): string {
  return path.join(dir, "state-backups", workspace(dir));
}

/** Writes the current state to state-backups/<workspace>/<UTC timestamp>-serial<N>.tfstate. */
export function backup(dir: string, now = new Date()): { file: string; summary: StateSummary } {
  const state = pull(dir);
  const folder = backupDir(dir);
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
  const current = summarize(pull(dir));
  const saved = summarize(JSON.parse(fs.readFileSync(file, "utf8")));
  if (saved.lineage !== current.lineage) {
    throw new Error(
      `refusing to restore ${path.basename(file)}: its lineage ${saved.lineage} is not the workspace's ${current.lineage} ` +
        "(a backup of another state). Check the workspace; if you really mean it, use terraform state push -force yourself.",
    );
  }
  return {
    current,
    backup: saved,
    pushedSerial: current.serial + 1,
    added: saved.addresses.filter((a) => !current.addresses.includes(a)),
    removed: current.addresses.filter((a) => !saved.addresses.includes(a)),
  };
}

/** Pushes the backup's content as the next serial, without -force. Backs up the current state first. */
export function restore(dir: string, file: string): RestorePlan & { safetyBackup: string; finalSerial: number } {
  const plan = planRestore(dir, file);
  const safety = backup(dir).file;
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as StateFile;
  state.serial = plan.pushedSerial;
  const staged = path.join(path.dirname(file), `.restore-${path.basename(file)}`);
  fs.writeFileSync(staged, JSON.stringify(state));
  try {
    terraformOk(dir, ["state", "push", staged]);
  } finally {
    fs.rmSync(staged, { force: true });
  }
  return { ...plan, safetyBackup: safety, finalSerial: pull(dir).serial };
}
