/**
 * `npm run state -- <backup|list|restore FILE> [--dir cdktf.out/stacks/<ws>]`
 * Run it inside the workspace directory (or pass --dir) after `terraform workspace select <ws>`.
 * It runs your own `terraform` with your own CLI configuration.
 */
import * as path from "path";
import { backup, listBackups, planRestore, restore } from "../lib/tools/state-backup";

const USAGE = "usage: npm run state -- <backup|list|restore FILE> [--dir cdktf.out/stacks/<ws>]";

/** Splits `--dir X` (or `--dir=X`) from the positional arguments. */
export function parseArgs(args: string[]): { dir?: string; positional: string[] } {
  const positional: string[] = [];
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--dir") dir = args[++i];
    else if (args[i].startsWith("--dir=")) dir = args[i].slice("--dir=".length);
    else positional.push(args[i]);
  }
  return { dir, positional };
}

function main(args: string[]): number {
  const { dir: dirArg, positional } = parseArgs(args);
  // npm runs scripts from the package root; INIT_CWD is where the operator typed the command.
  const here = process.env.INIT_CWD ?? process.cwd();
  const dir = path.resolve(here, dirArg ?? ".");
  const [command, file, ...rest] = positional;
  if (rest.length > 0 || (command !== "restore" && file !== undefined)) {
    console.error(USAGE);
    return 2;
  }
  switch (command) {
    case "backup": {
      const b = backup(dir);
      console.log(`saved ${path.relative(here, b.file)}: serial ${b.summary.serial}, ${b.summary.addresses.length} resources, lineage ${b.summary.lineage}`);
      return 0;
    }
    case "list": {
      const all = listBackups(dir);
      if (all.length === 0) console.log("no backups yet for this workspace (npm run state -- backup)");
      for (const b of all) console.log(`${path.relative(here, b.file)}  serial ${b.summary.serial}  ${b.summary.addresses.length} resources`);
      return 0;
    }
    case "restore": {
      if (!file) break;
      const p = planRestore(dir, path.resolve(here, file));
      console.log(`restoring serial ${p.backup.serial} over current serial ${p.current.serial} (pushed as serial ${p.pushedSerial})`);
      for (const a of p.added) console.log(`  + ${a}`);
      for (const a of p.removed) console.log(`  - ${a}`);
      const r = restore(dir, path.resolve(here, file), p);
      console.log(`done: state serial is now ${r.finalSerial}` + (r.safetyBackup ? `; the state before the restore is saved in ${path.relative(here, r.safetyBackup)}.` : "."));
      console.log("Next: terraform plan (never apply -auto-approve): it shows what the infrastructure needs to match the restored state.");
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
