/**
 * The CDK Terrain migration (docs/migration-cdk-terrain.md): the rename rules on this repository's
 * own sources, the pinned Terrain install set, the comparison `npm run migrate:check` reports, and
 * the App's declared Terraform targets. The check itself installs ~700 MB and is not run here (D89).
 */
import * as fs from "fs";
import * as path from "path";
import { PlatformApp } from "../../lib/core/app";
import { TERRAFORM_REQUIRED_VERSION, TERRAFORM_TARGET_VERSIONS, TERRAFORM_VERSION } from "../../lib/core/versions";
import { compareTrees, equivalent, formatComparison } from "../../scripts/cdk-terrain/compare";
import {
  cdktfImports,
  renameCdktfJson,
  renamePackageJson,
  renameSource,
  SOURCE_EXTENSIONS,
  terrainVersions,
} from "../../scripts/cdk-terrain/rename";
import { tempDir } from "../helpers/synth";

const repo = path.join(__dirname, "..", "..");
const read = (rel: string) => fs.readFileSync(path.join(repo, rel), "utf8");

/** The repository's source files (what `git ls-files` gives migrate:check, without needing git). */
function sourceFiles(dir = "", out: string[] = []): string[] {
  for (const e of fs.readdirSync(path.join(repo, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!e.name.startsWith(".") && !["node_modules", "cdktf.out", "coverage", "state-backups"].includes(e.name))
        sourceFiles(rel, out);
    } else if (SOURCE_EXTENSIONS.includes(path.extname(e.name))) out.push(rel);
  }
  return out;
}

function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const root = (version: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      "//": { metadata: { backend: "local", stackName: "dev", version } },
      resource: { aws_vpc: { this: { cidr_block: "10.0.0.0/16", ...extra } } },
    },
    null,
    2,
  );

describe("rename", () => {
  test("rewrites every cdktf import of the repository and leaves none", () => {
    const files = sourceFiles();
    const withImports = files.filter((f) => cdktfImports(read(f)).length > 0);
    expect(withImports.length).toBeGreaterThan(10);
    for (const f of files) expect({ f, left: cdktfImports(renameSource(read(f))) }).toEqual({ f, left: [] });
  });

  test("renames the package and keeps deep provider paths", () => {
    const src = [
      'import { Fn, type App } from "cdktf";',
      'import type { TerraformResource } from "cdktf";',
      'import { Vpc } from "@cdktf/provider-aws/lib/vpc";',
      "export { TerraformStack } from 'cdktf';",
      'const c = require("cdktf");',
      'const p = await import("@cdktf/provider-aws/lib/provider");',
    ].join("\n");
    expect(renameSource(src)).toBe(
      [
        'import { Fn, type App } from "cdktn";',
        'import type { TerraformResource } from "cdktn";',
        'import { Vpc } from "@cdktn/provider-aws/lib/vpc";',
        "export { TerraformStack } from 'cdktn';",
        'const c = require("cdktn");',
        'const p = await import("@cdktn/provider-aws/lib/provider");',
      ].join("\n"),
    );
  });

  test("leaves cdktf.out, cdktf.json, CDKTF_ variables and the ManagedBy tag value alone", () => {
    const src = [
      'defaultTags: { ManagedBy: "cdktf" },',
      'const out = path.join(repo, "cdktf.out", "stacks");',
      'const config = read("cdktf.json");',
      "process.env.CDKTF_OUTDIR;",
      "// cdktf silently deep-merges two elements",
      'import { something } from "cdktf-helpers";',
    ].join("\n");
    expect(renameSource(src)).toBe(src);
    expect(renameSource(read("platform.ts"))).toContain('ManagedBy: "cdktf"');
  });

  test("package.json swaps the cdktf family for the pinned Terrain set and changes nothing else", () => {
    const before = JSON.parse(read("package.json"));
    const after = JSON.parse(renamePackageJson(read("package.json"), terrainVersions()));
    expect(after.dependencies).toEqual({
      "@cdktn/provider-aws": "25.7.0",
      cdktn: "0.24.0",
      "cdktn-cli": "0.24.0",
      constructs: "10.6.0",
      zod: before.dependencies.zod,
    });
    expect(after.devDependencies).toEqual(before.devDependencies);
    expect(after.scripts).toEqual(before.scripts);
  });

  test("cdktf.json keeps its app and gains the App's targetVersions", () => {
    const after = JSON.parse(renameCdktfJson(read("cdktf.json")));
    expect(after).toEqual({ ...JSON.parse(read("cdktf.json")), targetVersions: { terraform: ">=1.11.4 <2.0.0" } });
  });
});

describe("Terrain install set", () => {
  test("pins exact versions, and the lockfile agrees", () => {
    const versions = terrainVersions();
    const lock = JSON.parse(read("scripts/cdk-terrain/package-lock.json"));
    for (const [name, version] of Object.entries(versions)) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect({ name, locked: lock.packages[`node_modules/${name}`]?.version }).toEqual({ name, locked: version });
    }
    expect(lock.packages[""].dependencies).toEqual(versions);
  });

  test("has no install scripts (npm ci --ignore-scripts loses nothing)", () => {
    const lock = JSON.parse(read("scripts/cdk-terrain/package-lock.json"));
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>).filter(
      ([, p]) => p.hasInstallScript,
    );
    expect(withScripts.map(([k]) => k)).toEqual([]);
  });
});

describe("App targets", () => {
  test("the App declares the Terraform range CDK Terrain checks provider features against", () => {
    expect(new PlatformApp({ outdir: tempDir("terrain-app") }).node.tryGetContext("targetVersions")).toEqual(
      TERRAFORM_TARGET_VERSIONS,
    );
  });

  test("the declared range is required_version in npm semver syntax", () => {
    expect(TERRAFORM_REQUIRED_VERSION).toBe(`>= ${TERRAFORM_VERSION}, < 2.0.0`);
    expect(TERRAFORM_TARGET_VERSIONS).toEqual({ terraform: `>=${TERRAFORM_VERSION} <2.0.0` });
  });
});

describe("comparison of the two stacks/ trees", () => {
  const trees = (terrain: Record<string, string>, cdktf: Record<string, string> = {}) => {
    const base = {
      "dev/cdk.tf.json": root("0.21.0"),
      "dev/modules/network/main.tf.json": '{"a": []}',
      "dev/environments/dev/terraform.tfvars": 'x = "1"\n',
      ...cdktf,
    };
    const dir = tempDir("terrain-compare");
    return compareTrees(
      writeTree(path.join(dir, "a"), base),
      writeTree(path.join(dir, "b"), { ...base, "dev/cdk.tf.json": root("0.24.0"), ...terrain }),
    );
  };

  test("only the generator version comment differs: equivalent, and the report names it", () => {
    const c = trees({});
    expect(equivalent(c)).toBe(true);
    expect(c.expected).toEqual([
      { file: "dev/cdk.tf.json", where: '$["//"].metadata.version', cdktf: "0.21.0", terrain: "0.24.0" },
    ]);
    expect(formatComparison(c)).toContain('expected: $["//"].metadata.version in 1 file(s): "0.21.0" -> "0.24.0"');
  });

  test("JSON that differs only in whitespace counts as equal and is listed as such", () => {
    const c = trees({ "dev/modules/network/main.tf.json": '{\n  "a": [\n  ]\n}\n' });
    expect(equivalent(c)).toBe(true);
    expect(c.reformatted).toEqual(["dev/modules/network/main.tf.json"]);
  });

  test("any other difference is listed by file and JSON path and fails", () => {
    const c = trees({ "dev/cdk.tf.json": root("0.24.0", { enable_dns_support: true }) });
    expect(equivalent(c)).toBe(false);
    expect(c.unexpected).toEqual([
      { file: "dev/cdk.tf.json", where: "$.resource.aws_vpc.this.enable_dns_support", cdktf: undefined, terrain: true },
    ]);
    expect(formatComparison(c)).toContain(
      "DIFFERENT dev/cdk.tf.json $.resource.aws_vpc.this.enable_dns_support: cdktf (absent) / Terrain true",
    );
  });

  test("a changed tfvars line is listed by line number", () => {
    const c = trees({ "dev/environments/dev/terraform.tfvars": 'x = "2"\n' });
    expect(c.unexpected).toEqual([
      { file: "dev/environments/dev/terraform.tfvars", where: "line 1", cdktf: 'x = "1"', terrain: 'x = "2"' },
    ]);
  });

  test("a file in only one build fails", () => {
    const c = trees({ "dev/modules/extra/main.tf.json": "{}" });
    expect(equivalent(c)).toBe(false);
    expect(c.onlyTerrain).toEqual(["dev/modules/extra/main.tf.json"]);
  });
});
