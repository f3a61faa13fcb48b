/**
 * State backups and rollbacks (seed 000 §7.2, seed 001 "Rollback Plan") around plain Terraform:
 * `terraform state pull` into timestamped files before an apply, and a restore that checks the
 * lineage, shows the serial difference and pushes without `-force` (the restored copy gets the next
 * serial, so Terraform's own safety checks stay on).
 *
 * It runs the operator's own `terraform` with the operator's CLI configuration (tools/terraform-cli.ts),
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

/** What `backup` records in the file besides the state (Terraform ignores the key; restore strips it). */
export interface BackupRecord {
  readonly workspace: string;
  readonly tags: DirectoryIdentity["tags"];
  readonly taken: string;
}

interface StateFile {
  version?: number;
  lineage: string;
  serial: number;
  resources?: {
    module?: string;
    mode: string;
    type: string;
    name: string;
    instances: {
      index_key?: string | number;
      attributes?: { tags?: Record<string, string> | null; tags_all?: Record<string, string> | null };
    }[];
  }[];
  /** Written by `backup`: where the copy was taken. */
  state_backup?: BackupRecord;
}

/** Reads a backup file, naming the file and the problem when it is not a Terraform state. */
export function readBackup(file: string): StateFile {
  const problem = (what: string) => new Error(`cannot use ${file} as a state backup: ${what}`);
  if (!fs.existsSync(file))
    throw problem("the file does not exist (npm run state -- list shows this workspace's backups)");
  if (fs.statSync(file).isDirectory())
    throw problem("it is a directory; name one .tfstate file in it (npm run state -- list)");
  const text = fs.readFileSync(file, "utf8");
  if (text.trim() === "")
    throw problem("the file is empty (a failed `terraform state pull > file` leaves such a file)");
  let state: StateFile;
  try {
    state = JSON.parse(text) as StateFile;
  } catch (e) {
    throw problem(`it is not valid JSON (${(e as Error).message}); the file is corrupt or truncated`);
  }
  if (
    typeof state !== "object" ||
    state === null ||
    typeof state.lineage !== "string" ||
    typeof state.serial !== "number" ||
    state.version !== 4
  ) {
    throw problem("it is JSON but not a Terraform state (version 4 with lineage and serial)");
  }
  return state;
}

export function summarize(state: StateFile): StateSummary {
  const addresses: string[] = [];
  for (const r of state.resources ?? []) {
    const base = `${r.module ? r.module + "." : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
    for (const i of r.instances)
      addresses.push(i.index_key === undefined ? base : `${base}[${JSON.stringify(i.index_key)}]`);
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
  const found = fs.existsSync(envs)
    ? fs.readdirSync(envs).filter((f) => fs.existsSync(path.join(envs, f, "terraform.tfvars")))
    : [];
  return found.length === 1 && fs.existsSync(path.join(dir, "cdk.tf.json")) ? found[0] : undefined;
}

/**
 * The default tags that say which configuration a resource belongs to (platform.ts sets them on every
 * provider: Project = the product, Environment = the workspace). Other default tags may change between
 * releases without making a backup foreign, so only these two are compared.
 */
export const IDENTITY_TAGS = ["Project", "Environment"] as const;

/** Who a workspace directory is: its workspace and the identity tags its providers put on every resource. */
export interface DirectoryIdentity {
  readonly workspace: string;
  readonly tags: Partial<Record<(typeof IDENTITY_TAGS)[number], string>>;
}

/** The directory's identity; throws "not a workspace directory" for any other folder. */
export function directoryIdentity(dir: string): DirectoryIdentity {
  if (!fs.existsSync(dir))
    throw new Error(
      `${dir} does not exist: pass the workspace directory (cdktf.out/stacks/<ws>) with --dir, or run the command inside it`,
    );
  if (!fs.statSync(dir).isDirectory())
    throw new Error(`${dir} is not a directory: pass the workspace directory (cdktf.out/stacks/<ws>) with --dir`);
  const workspace = directoryWorkspace(dir);
  if (!workspace) {
    throw new Error(
      `${dir} is not a workspace directory (it has no cdk.tf.json and environments/<ws>/terraform.tfvars). ` +
        "Run npm run state inside cdktf.out/stacks/<ws> (cdktf.out/<product>/stacks/<ws> for another product), or pass --dir with that directory.",
    );
  }
  const root = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as {
    provider?: { aws?: { default_tags?: { tags?: Record<string, string> }[] }[] };
  };
  const defaults = root.provider?.aws?.[0]?.default_tags?.[0]?.tags ?? {};
  const tags: DirectoryIdentity["tags"] = {};
  for (const k of IDENTITY_TAGS) if (defaults[k] !== undefined) tags[k] = defaults[k];
  return { workspace, tags };
}

/**
 * The selected workspace, after checking it is the directory's: a backup or restore in `default`
 * (a fresh checkout before `terraform workspace select`) would save or overwrite the wrong, empty state.
 */
function selectedWorkspace(dir: string): string {
  const own = directoryIdentity(dir).workspace;
  const selected = tf(dir, ["workspace", "show"]).trim();
  if (selected !== own) {
    throw new Error(
      `the selected Terraform workspace is "${selected}", but this directory holds the "${own}" configuration. ` +
        `Select it first: terraform workspace select ${own}`,
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
  if (!state)
    throw new Error(
      `workspace "${selectedWorkspace(dir)}" has no state yet: nothing to back up (deploy it first, see the first-deploy runbook)`,
    );
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
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const file = path.join(folder, `${stamp}-serial${state.serial}.tfstate`);
  const { workspace, tags } = directoryIdentity(dir);
  const record: BackupRecord = { workspace, tags, taken: now.toISOString() };
  fs.writeFileSync(file, JSON.stringify({ ...state, state_backup: record }, null, 2) + "\n");
  return { file, summary: summarize(state) };
}

/** The backups of the selected workspace, newest first; a file that is not a state carries its problem instead. */
export function listBackups(dir: string): { file: string; summary?: StateSummary; problem?: string }[] {
  const folder = backupDir(dir);
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".tfstate"))
    .sort()
    .reverse()
    .map((f) => {
      const file = path.join(folder, f);
      try {
        return { file, summary: summarize(readBackup(file)) };
      } catch (e) {
        return { file, problem: (e as Error).message };
      }
    });
}

/**
 * Why a backup belongs to another workspace than `target`, one reason per piece of evidence: the
 * `state-backups/<ws>/` folder it lies in, the workspace `backup` recorded in it, and the identity
 * tags (IDENTITY_TAGS) on its resources. Empty when nothing points elsewhere. The lineage check
 * cannot see this when the target has no state yet (a lost or fresh workspace): any lineage goes back.
 */
export function foreignEvidence(file: string, state: StateFile, target: DirectoryIdentity): string[] {
  const reasons: string[] = [];
  const folder = path.basename(path.dirname(path.resolve(file)));
  if (
    path.basename(path.dirname(path.dirname(path.resolve(file)))) === "state-backups" &&
    folder !== target.workspace
  ) {
    reasons.push(`it lies in state-backups/${folder}/`);
  }
  const rec = state.state_backup;
  if (rec && rec.workspace !== target.workspace) reasons.push(`it records workspace "${rec.workspace}"`);
  for (const k of IDENTITY_TAGS) {
    const want = target.tags[k];
    if (want === undefined) continue;
    if (rec?.tags?.[k] !== undefined && rec.tags[k] !== want) reasons.push(`it records ${k} = "${rec.tags[k]}"`);
    const found = new Set<string>();
    for (const r of state.resources ?? []) {
      for (const i of r.instances) {
        const v = i.attributes?.tags_all?.[k] ?? i.attributes?.tags?.[k];
        if (v !== undefined && v !== want) found.add(v);
      }
    }
    if (found.size > 0) reasons.push(`its resources are tagged ${k} = ${[...found].map((v) => `"${v}"`).join(", ")}`);
  }
  return reasons;
}

/** The override flag of `npm run state -- restore`, named once for the tool and its messages. */
export const ALLOW_OTHER_WORKSPACE = "--allow-other-workspace";

export interface RestorePlan {
  readonly current: StateSummary;
  readonly backup: StateSummary;
  /** Serial the restored copy is pushed with (current + 1; the backend may advance it further). */
  readonly pushedSerial: number;
  readonly added: string[];
  readonly removed: string[];
}

/**
 * What a restore would do; throws when the backup belongs to another workspace (unless
 * `allowOtherWorkspace`) or when the lineages differ (a backup of another state).
 */
export function planRestore(dir: string, file: string, options: { allowOtherWorkspace?: boolean } = {}): RestorePlan {
  const selected = selectedWorkspace(dir);
  const raw = readBackup(file);
  const foreign = foreignEvidence(file, raw, directoryIdentity(dir));
  if (foreign.length > 0 && !options.allowOtherWorkspace) {
    throw new Error(
      `refusing to restore ${file} into workspace "${selected}": it is a backup of another workspace (${foreign.join("; ")}). ` +
        "Restored here, this workspace's state would hold the other workspace's resources, and the next apply from here " +
        `would change or destroy them. Restore one of "${selected}"'s own backups (npm run state -- list); ` +
        `if you really mean to move those resources here, run the restore again with ${ALLOW_OTHER_WORKSPACE}.`,
    );
  }
  const found = pullOrNone(dir);
  const saved = summarize(raw);
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
export function restore(
  dir: string,
  file: string,
  plan: RestorePlan = planRestore(dir, file),
): RestorePlan & { safetyBackup?: string; finalSerial: number } {
  const safety = plan.current.addresses.length > 0 ? backup(dir).file : undefined;
  const { state_backup: _record, ...state } = readBackup(file);
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
