/**
 * The CDK for Terraform → CDK Terrain rename, as pure functions over file contents, so the unit
 * layer can check them on this repository's sources and `npm run migrate:check` applies exactly
 * the same rules to a temporary copy (docs/migration-cdk-terrain.md).
 *
 * What is renamed: module specifiers (`cdktf` → `cdktn`, `@cdktf/provider-aws/...` →
 * `@cdktn/provider-aws/...`) in import/export/require/import() forms, and the dependency entries of
 * package.json; cdktf.json gains `targetVersions`. What is deliberately NOT renamed: the file names
 * `cdktf.json` and `cdktf.out/`, `CDKTF_*` variables
 * (Terrain still reads them), the `ManagedBy = "cdktf"` tag value (renaming it would update the tags
 * of every resource), comments, and the pinned hashicorp/aws version (D90).
 */
import * as fs from "fs";
import * as path from "path";
import { TERRAFORM_TARGET_VERSIONS } from "../../lib/core/versions";
import { repoPath } from "../../tools/repo-root";

/** The pinned CDK Terrain install set (scripts/cdk-terrain/package.json). */
export const TERRAIN_PACKAGE_JSON = repoPath("scripts", "cdk-terrain", "package.json");

/** Old package → new package. `constructs` keeps its name but needs a newer version. */
export const PACKAGE_RENAMES: Readonly<Record<string, string>> = {
  cdktf: "cdktn",
  "cdktf-cli": "cdktn-cli",
  "@cdktf/provider-aws": "@cdktn/provider-aws",
};

/** Versions of the Terrain install set, by package name. */
export function terrainVersions(file = TERRAIN_PACKAGE_JSON): Record<string, string> {
  return JSON.parse(fs.readFileSync(file, "utf8")).dependencies;
}

// `from "x"` (import and export), `import "x"`, `import("x")` and `require("x")`. The specifier must
// be the package itself or a deep path below it ("cdktf.out" or a "cdktf" tag value never match).
const SPECIFIER = /(\b(?:from|import|require)\s*\(?\s*)(["'])(cdktf|@cdktf\/provider-aws)(?=["'/])/g;

/** Source file text with every cdktf module specifier renamed; everything else untouched. */
export function renameSource(text: string): string {
  return text.replace(
    SPECIFIER,
    (_m, lead: string, quote: string, pkg: string) => `${lead}${quote}${PACKAGE_RENAMES[pkg]}`,
  );
}

/** The cdktf module specifiers a source file still imports (empty after renameSource). */
export function cdktfImports(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => m[3]);
}

/** Extensions of files whose module specifiers are rewritten. */
export const SOURCE_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/**
 * package.json with the cdktf family replaced by the Terrain packages at their pinned versions,
 * in the same section (dependencies / devDependencies), and `constructs` moved to the version the
 * Terrain packages require. Everything else (scripts, other packages) is kept as it is.
 */
export function renamePackageJson(text: string, versions: Record<string, string>): string {
  const pkg = JSON.parse(text);
  for (const section of ["dependencies", "devDependencies"]) {
    const deps: Record<string, string> | undefined = pkg[section];
    if (!deps) continue;
    const renamed: Record<string, string> = {};
    for (const [name, version] of Object.entries(deps)) {
      const target = PACKAGE_RENAMES[name] ?? name;
      renamed[target] = target in versions ? versions[target] : version;
    }
    pkg[section] = Object.fromEntries(Object.entries(renamed).sort(([a], [b]) => a.localeCompare(b)));
  }
  return JSON.stringify(pkg, null, 2) + "\n";
}

/**
 * cdktf.json keeps its name (cdktn-cli reads cdktf.json); it gains `targetVersions`, the Terraform
 * range the App already declares as context, so `cdktn synth` (which passes cdktf.json's value as
 * context, overriding the App's) checks provider features against the same range.
 */
export function renameCdktfJson(text: string): string {
  const config = JSON.parse(text);
  return JSON.stringify({ ...config, targetVersions: TERRAFORM_TARGET_VERSIONS }, null, 2) + "\n";
}

export interface RenameResult {
  /** Files whose content changed, relative to the root. */
  readonly changed: string[];
  /** `file: specifier` for cdktf imports left after the rename (must be empty). */
  readonly leftover: string[];
}

/** Applies the rename to a copy of the repository in place (never call it on the checkout itself). */
export function renameTree(root: string, files: string[], versions: Record<string, string>): RenameResult {
  const changed: string[] = [];
  const leftover: string[] = [];
  for (const rel of files) {
    const file = path.join(root, rel);
    const before = fs.readFileSync(file, "utf8");
    let after = before;
    if (rel === "package.json") after = renamePackageJson(before, versions);
    else if (rel === "cdktf.json") after = renameCdktfJson(before);
    else if (SOURCE_EXTENSIONS.includes(path.extname(rel))) after = renameSource(before);
    else continue;
    if (after !== before) {
      fs.writeFileSync(file, after);
      changed.push(rel);
    }
    for (const spec of cdktfImports(after)) leftover.push(`${rel}: ${spec}`);
  }
  return { changed, leftover };
}
