/**
 * The cdktf CLI runs the app (cdktf.json "app": scripts/synth.mjs) for every command. `cdktf synth`
 * and `cdktf diff` are supported; `cdktf deploy` / `apply`, `destroy` and `watch` are not: they
 * apply every module of a workspace in one go, without the state backup, the per-module plan
 * files and the staged first deploy of the runbooks (README, "cdktf commands"). This stops them
 * before anything is synthesized, with the supported path.
 *
 * The CLI does not tell the app which command runs, so this reads the command line of the process
 * that started the app (Linux: /proc; elsewhere `ps`). When neither can be read, nothing is refused.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const REFUSED = new Set(["deploy", "apply", "destroy", "watch"]);

/** argv and parent pid of a process, or undefined. */
function processInfo(pid) {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return { argv, ppid: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) };
  } catch {
    try {
      const out = execFileSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
      const m = /^(\d+)\s+(.*)$/.exec(out);
      return m ? { argv: m[2].split(/\s+/), ppid: Number(m[1]) } : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * The cdktf sub-command and its stack arguments in an argv
 * (`node .../bin/cdktf deploy dev --output x` → `{ command: "deploy", stacks: ["dev"] }`), or undefined.
 */
export function cdktfCommand(argv) {
  const i = argv.findIndex((a) => /^cdktf(\.js|\.cmd)?$/.test(path.basename(a)));
  if (i < 0) return undefined;
  const words = argv
    .slice(i + 1)
    .filter(
      (a, j, all) =>
        !a.startsWith("-") &&
        !(j > 0 && /^--?[a-z-]+$/.test(all[j - 1]) && !/^--(skip|auto|no|ignore|migrate|refresh)/.test(all[j - 1])),
    );
  return words.length ? { command: words[0], stacks: words.slice(1) } : undefined;
}

/** The cdktf command (and stacks) that started this app, looking a few processes up, or undefined. */
export function invokingCdktfCommand(env = process.env, start = process.ppid) {
  if (env.CDKTF_CONTEXT_JSON === undefined && env.CDKTF_OUTDIR === undefined) return undefined; // not run by the CLI
  let pid = start;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    const info = processInfo(pid);
    if (!info) return undefined;
    const command = cdktfCommand(info.argv);
    if (command) return command;
    pid = info.ppid;
  }
  return undefined;
}

export function refusal(command, stacks) {
  const ws = stacks.find((a) => /^[a-z][a-z0-9-]*$/.test(a)) ?? "<workspace>";
  return [
    `cdktf ${command} is not supported in this repository: it would ${command === "destroy" ? "destroy" : "apply"} every module of a workspace in one step,`,
    "without the state backup, the per-module plan files and the staged first deploy the runbooks use.",
    "Supported:",
    `  preview:  TF_WORKSPACE=${ws} npx cdktf diff ${ws}`,
    `  apply:    cd cdktf.out/stacks/${ws} and follow docs/runbooks/${ws}.md (npm run state -- backup, terraform plan -out=..., terraform apply <planfile>),`,
    `            npm run rollout -- ${ws} [module], or the pipeline (.github/workflows/deploy.yml, rollout.yml).`,
  ].join("\n");
}

/** Exits with the supported path when the app was started by an unsupported cdktf command. */
export function refuseUnsupportedCdktfCommand() {
  const found = invokingCdktfCommand();
  if (!found || !REFUSED.has(found.command)) return;
  console.error(refusal(found.command, found.stacks));
  process.exit(1);
}
