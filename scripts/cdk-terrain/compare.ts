/**
 * `diff -r` over two synthesized `stacks/` trees, JSON-aware: a `.json` file that differs only in
 * formatting counts as equal (Terraform parses it), and a semantic difference is listed by file and
 * JSON path with both values. Other files (terraform.tfvars) are compared byte for byte, by line.
 *
 * One difference is expected and reported apart, not hidden: the version of the generating library
 * that cdktf/cdktn stamps into each root's `"//".metadata.version` (a JSON comment Terraform ignores).
 * docs/migration-cdk-terrain.md says so; nothing else is normalized.
 */
import * as fs from "fs";
import * as path from "path";

export interface Difference {
  /** File relative to the compared `stacks/` directories. */
  readonly file: string;
  /** JSON path (`$["//"].metadata.version`, `$.resource.aws_vpc.this.cidr_block`) or `line N`. */
  readonly where: string;
  readonly cdktf: unknown;
  readonly terrain: unknown;
}

export interface ExpectedDifference {
  readonly file: RegExp;
  readonly where: string;
  readonly why: string;
}

/** The only differences the check accepts; each is listed in the report and in the doc. */
export const EXPECTED: readonly ExpectedDifference[] = [
  {
    file: /^[^/]+\/cdk\.tf\.json$/,
    where: '$["//"].metadata.version',
    why: "version of the generating library (cdktf 0.21.0 / cdktn 0.24.0) in a JSON comment Terraform ignores",
  },
];

export interface TreeComparison {
  readonly files: string[];
  /** Byte-identical in both trees. */
  readonly identical: string[];
  /** JSON-equal, but formatted differently (whitespace only). */
  readonly reformatted: string[];
  readonly onlyCdktf: string[];
  readonly onlyTerrain: string[];
  /** Semantic differences the EXPECTED list accounts for. */
  readonly expected: Difference[];
  /** Every other semantic difference: the check fails on any. */
  readonly unexpected: Difference[];
}

export function listFiles(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out.sort();
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function child(where: string, key: string | number): string {
  if (typeof key === "number") return `${where}[${key}]`;
  return IDENT.test(key) ? `${where}.${key}` : `${where}[${JSON.stringify(key)}]`;
}

/** Every JSON path where the two values differ (absent keys are `undefined`). */
export function jsonDifferences(a: unknown, b: unknown, where = "$"): Array<{ where: string; a: unknown; b: unknown }> {
  if (a === b) return [];
  const bothObjects = a !== null && b !== null && typeof a === "object" && typeof b === "object";
  if (bothObjects && Array.isArray(a) && Array.isArray(b)) {
    const out = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...jsonDifferences(a[i], b[i], child(where, i)));
    return out;
  }
  if (bothObjects && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    return keys.flatMap((k) => jsonDifferences(ao[k], bo[k], child(where, k)));
  }
  return [{ where, a, b }];
}

function lineDifferences(a: string, b: string): Array<{ where: string; a: unknown; b: unknown }> {
  const al = a.split("\n");
  const bl = b.split("\n");
  const out = [];
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) out.push({ where: `line ${i + 1}`, a: al[i], b: bl[i] });
  }
  return out;
}

export function isExpected(d: Difference, expected: readonly ExpectedDifference[] = EXPECTED): boolean {
  return expected.some((e) => e.file.test(d.file) && e.where === d.where);
}

/** Compares `<cdktfDir>` (the cdktf build's `stacks/`) with `<terrainDir>` (the Terrain build's). */
export function compareTrees(
  cdktfDir: string,
  terrainDir: string,
  expected: readonly ExpectedDifference[] = EXPECTED,
): TreeComparison {
  const a = listFiles(cdktfDir);
  const b = listFiles(terrainDir);
  const identical: string[] = [];
  const reformatted: string[] = [];
  const diffs: Difference[] = [];
  for (const file of a.filter((f) => b.includes(f))) {
    const ta = fs.readFileSync(path.join(cdktfDir, file), "utf8");
    const tb = fs.readFileSync(path.join(terrainDir, file), "utf8");
    if (ta === tb) {
      identical.push(file);
      continue;
    }
    const found = file.endsWith(".json") ? jsonDifferences(JSON.parse(ta), JSON.parse(tb)) : lineDifferences(ta, tb);
    if (found.length === 0) reformatted.push(file);
    for (const d of found) diffs.push({ file, where: d.where, cdktf: d.a, terrain: d.b });
  }
  return {
    files: [...new Set([...a, ...b])].sort(),
    identical,
    reformatted,
    onlyCdktf: a.filter((f) => !b.includes(f)),
    onlyTerrain: b.filter((f) => !a.includes(f)),
    expected: diffs.filter((d) => isExpected(d, expected)),
    unexpected: diffs.filter((d) => !isExpected(d, expected)),
  };
}

/** Whether the Terrain build is the cdktf build: same files, no difference outside EXPECTED. */
export function equivalent(c: TreeComparison): boolean {
  return c.onlyCdktf.length === 0 && c.onlyTerrain.length === 0 && c.unexpected.length === 0;
}

function show(v: unknown): string {
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** The human-readable report `npm run migrate:check` prints. */
export function formatComparison(c: TreeComparison, expected: readonly ExpectedDifference[] = EXPECTED): string {
  const lines = [
    `stacks/: ${c.files.length} files — ${c.identical.length} byte-identical, ${c.reformatted.length} JSON-equal with other whitespace, ` +
      `${c.files.length - c.identical.length - c.reformatted.length} that differ (below)`,
  ];
  if (c.reformatted.length) lines.push(`  whitespace only (e.g. "[\\n]" vs "[]"): ${c.reformatted.join(", ")}`);
  for (const f of c.onlyCdktf) lines.push(`  only in the cdktf build:   ${f}`);
  for (const f of c.onlyTerrain) lines.push(`  only in the Terrain build: ${f}`);
  for (const e of expected) {
    const hits = c.expected.filter((d) => isExpected(d, [e]));
    if (hits.length === 0) continue;
    const values = [...new Set(hits.map((d) => `${show(d.cdktf)} -> ${show(d.terrain)}`))].join(", ");
    lines.push(`  expected: ${e.where} in ${hits.length} file(s): ${values} (${e.why})`);
  }
  for (const d of c.unexpected)
    lines.push(`  DIFFERENT ${d.file} ${d.where}: cdktf ${show(d.cdktf)} / Terrain ${show(d.terrain)}`);
  lines.push(
    equivalent(c)
      ? "RESULT: the Terrain build synthesizes the same Terraform as the cdktf build"
      : "RESULT: the builds differ (see above)",
  );
  return lines.join("\n");
}
