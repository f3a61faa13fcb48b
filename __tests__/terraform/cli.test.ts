/** The cdktf CLI runs the same app, through the same fast runner, to the same files. */
import * as fs from "fs";
import * as path from "path";
import { WORKSPACES } from "../../environments";
import { cdktfSynthOnce } from "../helpers/cdktf";
import { synthAll } from "../helpers/synth";

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
  // The run's one `cdktf synth --output <dir>` (cdktf-commands.test.ts diffs a copy of it).
  const { code, out: output, dir: out } = cdktfSynthOnce();
  expect({ code, err: code === 0 ? "" : output }).toEqual({ code: 0, err: "" });
  const { outdir } = synthAll();
  for (const ws of WORKSPACES) {
    expect(files(path.join(out, "stacks", ws))).toEqual(files(path.join(outdir, "stacks", ws)));
  }
});
