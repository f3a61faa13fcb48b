/**
 * The one way tooling finds the repository: `REPO_ROOT` is the checkout's root directory under tsx,
 * jest and the esbuild bundles of `npm run <command>` (scripts/run.mjs). Inside a bundle `__dirname`
 * is node_modules/.cache/run/, so a bundle gets the root from the runner (esbuild `define` of
 * `__REPO_ROOT__`); from source it is this file's parent directory.
 */
import * as path from "path";

declare const __REPO_ROOT__: string | undefined;

export const REPO_ROOT: string = typeof __REPO_ROOT__ === "string" ? __REPO_ROOT__ : path.resolve(__dirname, "..");

/** A path inside the repository: `repoPath("scripts", "cdk-terrain", "package.json")`. */
export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts);
}

/**
 * True when `file` (relative to the repository, e.g. "scripts/state.ts") is the command being run —
 * `tsx scripts/state.ts` or `npm run state` (scripts/run.mjs sets argv[1] to the script, as tsx does) —
 * false when a test imports it. Replaces `require.main === module`, which a bundle cannot answer.
 */
export function isCommand(file: string): boolean {
  const started = process.argv[1];
  return started !== undefined && path.resolve(started) === repoPath(file);
}
