/**
 * Finds a local copy of the hashicorp/aws provider the synthesized configuration needs, so a fresh
 * clone's `npm test` runs the Terraform layer whenever `terraform` is on PATH (the test runner's global
 * setup calls this when TF_PROVIDER_MIRROR is unset). Looked at, in order:
 *  1. the operator's CLI configuration (TF_CLI_CONFIG_FILE or ~/.terraformrc): its filesystem_mirror
 *     paths and plugin_cache_dir (a plugin cache has the mirror's unpacked layout);
 *  2. TF_PLUGIN_CACHE_DIR and Terraform's implied local mirror directories
 *     (~/.terraform.d/plugins, ~/.local/share/terraform/plugins, /usr/local/share/terraform/plugins, /usr/share/terraform/plugins);
 *  3. a bounded search of the filesystem, as `.ci/run` does (`find / -maxdepth 7`);
 *  4. when online, a mirror filled once from the registry into node_modules/.cache/terraform-mirror
 *     (`terraform providers mirror`), reused by later runs.
 * A mirror is the directory that contains `registry.terraform.io/`.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AWS_PROVIDER_VERSION } from "../lib/core/versions";

const PROVIDER = path.join("registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);

/**
 * Whether `dir` is a mirror Terraform can install the provider from: its version directory holds the provider
 * for some platform (`<os>_<arch>/terraform-provider-aws*`). An empty version directory (left by an interrupted
 * test run that was filling its own copy) is not one: `terraform init` would fail with "provider not found".
 */
export function isMirror(dir: string | undefined): dir is string {
  if (!dir) return false;
  const version = path.join(dir, PROVIDER);
  if (!fs.existsSync(version)) return false;
  return fs.readdirSync(version, { withFileTypes: true }).some((platform) => {
    if (!platform.isDirectory() && !platform.isSymbolicLink()) return false;
    const files = fs.readdirSync(path.join(version, platform.name), { withFileTypes: false }) as string[];
    return files.some((f) => f.startsWith("terraform-provider-aws"));
  });
}

/** Mirror and plugin-cache directories named by the operator's CLI configuration. */
export function cliConfigDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const file = env.TF_CLI_CONFIG_FILE || path.join(env.HOME ?? os.homedir(), ".terraformrc");
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, "utf8");
  const dirs: string[] = [];
  for (const m of text.matchAll(/filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"/g)) dirs.push(m[1]);
  for (const m of text.matchAll(/plugin_cache_dir\s*=\s*"([^"]+)"/g))
    dirs.push(m[1].replace(/^\$HOME|^~/, env.HOME ?? os.homedir()));
  return dirs;
}

/** Directories Terraform itself uses as implied local mirrors on Linux and macOS, plus the plugin cache. */
export function impliedDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? os.homedir();
  const dataHome = env.XDG_DATA_HOME || path.join(home, ".local", "share");
  return [
    env.TF_PLUGIN_CACHE_DIR ?? "",
    path.join(home, ".terraform.d", "plugins"),
    path.join(dataHome, "terraform", "plugins"),
    ...(env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").map((d) => path.join(d, "terraform", "plugins")),
    path.join(home, "Library", "Application Support", "io.terraform", "plugins"),
  ].filter(Boolean);
}

/** The bounded filesystem search of `.ci/run`. */
function searchFilesystem(): string | undefined {
  const r = spawnSync(
    "find",
    ["/", "-maxdepth", "7", "-path", `*${PROVIDER}`, "-type", "d", "-not", "-path", "/proc/*"],
    { encoding: "utf8", timeout: 60_000 },
  );
  return (r.stdout ?? "")
    .split("\n")
    .filter((l) => l.trim())
    .map((hit) => hit.slice(0, hit.length - PROVIDER.length - 1))
    .find(isMirror);
}

/** Fills `dir` from the registry with `terraform providers mirror`, using `stackDir`'s requirements. */
function mirrorFromRegistry(dir: string, stackDir: string): string | undefined {
  const r = spawnSync(
    "terraform",
    [
      "providers",
      "mirror",
      `-platform=${process.platform === "darwin" ? "darwin" : "linux"}_${process.arch === "arm64" ? "arm64" : "amd64"}`,
      dir,
    ],
    {
      cwd: stackDir,
      encoding: "utf8",
      timeout: 600_000,
      env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
    },
  );
  return r.status === 0 && isMirror(dir) ? dir : undefined;
}

export interface MirrorSearch {
  readonly mirror?: string;
  /** Where it came from, or why none was found. */
  readonly note: string;
}

/**
 * Finds a mirror (see the file comment). `stackDir`, a synthesized workspace directory, is only needed
 * for the registry fallback; `online` says whether to try it.
 */
export function findProviderMirror(options: {
  repo: string;
  stackDir?: string;
  online?: boolean;
  env?: NodeJS.ProcessEnv;
}): MirrorSearch {
  const env = options.env ?? process.env;
  if (env.TF_PROVIDER_MIRROR) {
    return isMirror(env.TF_PROVIDER_MIRROR)
      ? { mirror: env.TF_PROVIDER_MIRROR, note: "TF_PROVIDER_MIRROR" }
      : { note: `TF_PROVIDER_MIRROR=${env.TF_PROVIDER_MIRROR} has no ${PROVIDER}` };
  }
  const cached = path.join(options.repo, "node_modules", ".cache", "terraform-mirror");
  for (const dir of [...cliConfigDirs(env), ...impliedDirs(env), cached])
    if (isMirror(dir)) return { mirror: dir, note: `found ${dir}` };
  const found = searchFilesystem();
  if (isMirror(found)) return { mirror: found, note: `found ${found} (filesystem search)` };
  if (options.online && options.stackDir) {
    fs.mkdirSync(cached, { recursive: true });
    const filled = mirrorFromRegistry(cached, options.stackDir);
    if (filled) return { mirror: filled, note: `filled ${filled} from the Terraform registry (reused next time)` };
    return { note: `no local copy of ${PROVIDER}, and terraform providers mirror from the registry failed` };
  }
  return {
    note: `no local copy of ${PROVIDER} (set TF_PROVIDER_MIRROR to the directory holding registry.terraform.io/, or run online once)`,
  };
}
