/** The cdktf CLI runs the same app, through the same fast runner, to the same files. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { WORKSPACES } from "../../environments";
import { synthAll, tempDir } from "../helpers/synth";

const repo = path.join(__dirname, "..", "..");

function files(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]),
  );
}

test("cdktf synth writes exactly what npm run synth writes", () => {
  const out = path.join(tempDir("cdktf-cli"), "out");
  const r = spawnSync(path.join(repo, "node_modules", ".bin", "cdktf"), ["synth", "--output", out], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "true", FORCE_COLOR: "0" },
    timeout: 120_000,
  });
  expect({ code: r.status, err: r.status === 0 ? "" : r.stderr + r.stdout }).toEqual({ code: 0, err: "" });
  const { outdir } = synthAll();
  for (const ws of WORKSPACES) {
    expect(files(path.join(out, "stacks", ws))).toEqual(files(path.join(outdir, "stacks", ws)));
  }
});
