/**
 * `npm run state -- <backup|list|restore FILE> [--dir cdktf.out/stacks/<ws>]`
 * Run it inside the workspace directory (or pass --dir) with the workspace already selected.
 */
import * as path from "path";
import { backup, listBackups, planRestore, restore } from "../lib/state-backup";

function main(args: string[]): number {
  const dirFlag = args.indexOf("--dir");
  // npm runs scripts from the package root; INIT_CWD is where the operator typed the command.
  const here = process.env.INIT_CWD ?? process.cwd();
  const dir = path.resolve(here, dirFlag >= 0 ? args[dirFlag + 1] : ".");
  const [command, file] = args.filter((_, i) => i !== dirFlag && i !== dirFlag + 1);
  switch (command) {
    case "backup": {
      const b = backup(dir);
      console.log(`saved ${b.file}: serial ${b.summary.serial}, ${b.summary.addresses.length} resources, lineage ${b.summary.lineage}`);
      return 0;
    }
    case "list":
      for (const b of listBackups(dir)) console.log(`${path.basename(b.file)}  serial ${b.summary.serial}  ${b.summary.addresses.length} resources`);
      return 0;
    case "restore": {
      if (!file) break;
      const p = planRestore(dir, path.resolve(here, file));
      console.log(`restoring serial ${p.backup.serial} over current serial ${p.current.serial} (pushed as serial ${p.pushedSerial})`);
      for (const a of p.added) console.log(`  + ${a}`);
      for (const a of p.removed) console.log(`  - ${a}`);
      const r = restore(dir, path.resolve(here, file));
      console.log(`done: state serial is now ${r.finalSerial}; the state before the restore is saved in ${r.safetyBackup}.`);
      console.log("Run terraform plan to see what the infrastructure needs to match the restored state.");
      return 0;
    }
  }
  console.error("usage: npm run state -- <backup|list|restore FILE> [--dir cdktf.out/stacks/<ws>]");
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
