/**
 * `npm run state -- <backup|list|restore FILE [--allow-other-workspace]> [--dir cdktf.out/stacks/<ws>]`
 * Run it inside the workspace directory (or pass --dir) after `terraform workspace select <ws>`.
 * It runs your own `terraform` with your own CLI configuration.
 */
import * as path from "path";
import { ALLOW_OTHER_WORKSPACE, backup, listBackups, planRestore, restore } from "../tools/state-backup";
import { isCommand } from "../tools/repo-root";

const USAGE = `usage: npm run state -- <backup|list|restore FILE [${ALLOW_OTHER_WORKSPACE}]> [--dir cdktf.out/stacks/<ws>]`;

export class UsageError extends Error {}

/**
 * Splits the options (`--dir X` or `--dir=X`, `--allow-other-workspace`) from the positional
 * arguments. A `--dir` without a value, or an unknown option, is a usage error naming it.
 */
export function parseArgs(args: string[]): { dir?: string; allowOtherWorkspace: boolean; positional: string[] } {
  const positional: string[] = [];
  let dir: string | undefined;
  let allowOtherWorkspace = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--dir" || a.startsWith("--dir=")) {
      const value = a === "--dir" ? args[++i] : a.slice("--dir=".length);
      if (value === undefined || value === "" || value.startsWith("-")) {
        throw new UsageError(`--dir needs a value: the workspace directory, e.g. --dir cdktf.out/stacks/dev\n${USAGE}`);
      }
      dir = value;
    } else if (a === ALLOW_OTHER_WORKSPACE) allowOtherWorkspace = true;
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}\n${USAGE}`);
    else positional.push(a);
  }
  return { dir, allowOtherWorkspace, positional };
}

function main(args: string[]): number {
  const { dir: dirArg, allowOtherWorkspace, positional } = parseArgs(args);
  // npm runs scripts from the package root; INIT_CWD is where the operator typed the command.
  const here = process.env.INIT_CWD ?? process.cwd();
  const dir = path.resolve(here, dirArg ?? ".");
  const [command, file, ...rest] = positional;
  if (rest.length > 0 || (command !== "restore" && (file !== undefined || allowOtherWorkspace))) {
    console.error(USAGE);
    return 2;
  }
  switch (command) {
    case "backup": {
      const b = backup(dir);
      console.log(
        `saved ${path.relative(here, b.file)}: serial ${b.summary.serial}, ${b.summary.addresses.length} resources, lineage ${b.summary.lineage}`,
      );
      return 0;
    }
    case "list": {
      const all = listBackups(dir);
      if (all.length === 0) console.log("no backups yet for this workspace (npm run state -- backup)");
      for (const b of all) {
        const what = b.summary
          ? `serial ${b.summary.serial}  ${b.summary.addresses.length} resources`
          : `unusable: ${b.problem}`;
        console.log(`${path.relative(here, b.file)}  ${what}`);
      }
      return 0;
    }
    case "restore": {
      if (!file) break;
      const p = planRestore(dir, path.resolve(here, file), { allowOtherWorkspace });
      console.log(
        `restoring serial ${p.backup.serial} over current serial ${p.current.serial} (pushed as serial ${p.pushedSerial})`,
      );
      for (const a of p.added) console.log(`  + ${a}`);
      for (const a of p.removed) console.log(`  - ${a}`);
      const r = restore(dir, path.resolve(here, file), p);
      console.log(
        `done: state serial is now ${r.finalSerial}` +
          (r.safetyBackup ? `; the state before the restore is saved in ${path.relative(here, r.safetyBackup)}.` : "."),
      );
      console.log(
        "Next: terraform plan (never apply -auto-approve): it shows what the infrastructure needs to match the restored state.",
      );
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}

if (isCommand("scripts/state.ts")) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
