/**
 * scripts/run.mjs, the runner of every `npm run` command: a cached esbuild bundle per command. Checked in a
 * small temporary copy (the runner, tools/repo-root.ts and a two-file command) so no test builds the real
 * commands or touches this checkout's cache.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../../tools/terraform";

const repo = path.join(__dirname, "..", "..");

/** A repository with the runner and one command, scripts/hello.ts, that prints a value of lib/greet.ts. */
function miniRepo(): string {
  const dir = tempDir("runner");
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  for (const f of ["scripts/run.mjs", "tools/repo-root.ts", "tsconfig.json"])
    write(f, fs.readFileSync(path.join(repo, f), "utf8"));
  write("package.json", "{}\n");
  // Only esbuild is needed; the copy's own node_modules holds the cache.
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(path.join(repo, "node_modules", "esbuild"), path.join(dir, "node_modules", "esbuild"), "dir");
  write("lib/greet.ts", 'export const greeting: string = "one";\n');
  write(
    "scripts/hello.ts",
    [
      'import { greeting } from "../lib/greet";',
      'import { isCommand, REPO_ROOT } from "../tools/repo-root";',
      'console.log([greeting, ...process.argv.slice(2)].join(" "));',
      'console.log(`root=${REPO_ROOT} command=${isCommand("scripts/hello.ts")}`);',
      "process.exitCode = 3;",
    ].join("\n"),
  );
  return dir;
}

function hello(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, ["scripts/run.mjs", "hello", ...args], { cwd: dir, encoding: "utf8" });
}

test("a command whose imported module changed after its bundle was built runs the changed code", () => {
  const dir = miniRepo();
  expect(hello(dir, "a").stdout).toMatch(/^one a\n/);
  fs.writeFileSync(path.join(dir, "lib", "greet.ts"), 'export const greeting: string = "two";\n');
  expect(hello(dir, "a").stdout).toMatch(/^two a\n/);
});

test("a bundled command keeps its arguments and exit code, finds the repository and knows it is the command", () => {
  const dir = miniRepo();
  const r = hello(dir, "production", "cache", "--json");
  expect(r.status).toBe(3);
  expect(r.stdout).toBe(`one production cache --json\nroot=${dir} command=true\n`);
});

test("commands started at the same moment on a cold cache all run (builds never expose a partial bundle)", async () => {
  const dir = miniRepo();
  const runs = Array.from(
    { length: 3 },
    (_, i) =>
      new Promise<string>((resolve) => {
        const p = spawn(process.execPath, ["scripts/run.mjs", "hello", String(i)], { cwd: dir });
        let out = "";
        let err = "";
        p.stdout.on("data", (d) => (out += d));
        p.stderr.on("data", (d) => (err += d));
        // A failed run shows its stderr in the assertion's difference.
        p.on("close", (code) => resolve(`${code} ${out.split("\n")[0]}${err}`));
      }),
  );
  expect(await Promise.all(runs)).toEqual(["3 one 0", "3 one 1", "3 one 2"]);
});

test("an unknown command name is refused with exit 2, without a stack trace", () => {
  const r = spawnSync(process.execPath, ["scripts/run.mjs", "no-such-command"], { cwd: repo, encoding: "utf8" });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/no command "no-such-command"/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});
