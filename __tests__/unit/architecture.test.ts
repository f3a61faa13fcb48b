/**
 * The layout is the architecture: which folder may import which. Every relative import and every
 * package import of the TypeScript sources is read and checked against the layer rules below.
 *
 * - lib/core        the synthesis mechanism: imports only itself
 * - lib/constructs  reusable building blocks: lib/core
 * - modules/<m>     Terraform modules: lib/core, lib/constructs, other modules; never environments/,
 *                   composition/ or tooling (tools)
 * - environments/   the configs and their schema: lib/core, modules' config and knob declarations — never a
 *                   module's constructs, never tooling (the policy check ids it validates against are lib/core's)
 * - composition/    the wiring: anything but tooling
 * - tools/          operator tooling: reads synthesized output, the mechanism, the configs and modules' declarations
 *                   (config.ts, knobs.ts); never a module's constructs or composition/
 * - __tests__/helpers test infrastructure: what only tests use
 */
import * as fs from "fs";
import * as path from "path";
import { PRODUCTS } from "../../environments";
import { execFileSync } from "node:child_process";
import { copiesToRemove, STALE_COPY_MS } from "../helpers/global-teardown";

const repo = path.resolve(__dirname, "../..");

type Layer =
  | "core"
  | "constructs"
  | "modules"
  | "environments"
  | "composition"
  | "tools"
  | "entry"
  | "bootstrap"
  | "scripts"
  | "tests";

function layerOf(file: string): Layer | undefined {
  const rel = path.relative(repo, file).split(path.sep).join("/");
  if (rel.startsWith("lib/core/")) return "core";
  if (rel.startsWith("lib/constructs/")) return "constructs";
  if (rel.startsWith("tools/")) return "tools";
  if (rel.startsWith("modules/")) return "modules";
  if (rel.startsWith("environments/")) return "environments";
  if (rel.startsWith("composition/")) return "composition";
  if (rel.startsWith("bootstrap/")) return "bootstrap";
  if (rel.startsWith("scripts/")) return "scripts";
  if (rel.startsWith("__tests__/")) return "tests";
  if (rel === "platform.ts" || rel === "main.ts") return "entry";
  return undefined;
}

/** What each layer may import (besides itself and npm packages). */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: [],
  constructs: ["core"],
  modules: ["core", "constructs"],
  environments: ["core", "modules"],
  composition: ["core", "constructs", "modules", "environments"],
  tools: ["core", "constructs", "environments", "modules"],
  bootstrap: ["core", "constructs", "environments"],
  entry: ["core", "constructs", "modules", "environments", "composition", "bootstrap"],
  scripts: ["core", "constructs", "environments", "tools", "entry", "modules"],
  tests: ["core", "constructs", "modules", "environments", "composition", "tools", "bootstrap", "entry", "scripts"],
};

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", "cdktf.out", ".git", "state-backups", "bench"].includes(e.name) || e.name.startsWith("."))
      continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Module specifiers of a file's import/export-from/require statements. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specs: string[] = [];
  const re =
    /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[1] ?? m[2] ?? m[3]);
  return specs;
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const files = sources(repo);
const edges = files.flatMap((file) =>
  importsOf(file).map((spec) => ({ file, spec, target: spec.startsWith(".") ? resolve(file, spec) : undefined })),
);
const rel = (f: string) => path.relative(repo, f);

test("the sources are found and classified (the check reads something)", () => {
  for (const layer of ["core", "constructs", "modules", "environments", "composition", "tools"] as const) {
    expect(files.filter((f) => layerOf(f) === layer).length).toBeGreaterThan(0);
  }
  expect(edges.length).toBeGreaterThan(200);
});

test("lib/ holds only the synthesis mechanism and the constructs (tooling lives in tools/, test helpers in __tests__/helpers/)", () => {
  const lib = files.filter((f) => rel(f).startsWith("lib/"));
  expect(lib.length).toBeGreaterThan(0);
  expect(lib.filter((f) => !["core", "constructs"].includes(layerOf(f) ?? "")).map(rel)).toEqual([]);
});

test("every relative import resolves to a file", () => {
  expect(edges.filter((e) => e.spec.startsWith(".") && !e.target).map((e) => `${rel(e.file)} → ${e.spec}`)).toEqual([]);
});

/** Imports that cross a layer boundary the rules do not allow. */
function layerViolations(list: readonly { file: string; target?: string }[]): string[] {
  return list
    .filter((e) => e.target)
    .filter((e) => {
      const from = layerOf(e.file);
      const to = layerOf(e.target as string);
      return from && to && from !== to && !ALLOWED[from].includes(to);
    })
    .map(
      (e) => `${rel(e.file)} (${layerOf(e.file)}) imports ${rel(e.target as string)} (${layerOf(e.target as string)})`,
    );
}

test("each layer imports only the layers below it", () => {
  expect(layerViolations(edges)).toEqual([]);
});

test("a module importing an environment or a tool is reported (the rule can fail)", () => {
  const at = (p: string) => path.join(repo, p);
  expect(
    layerViolations([
      { file: at("modules/cache/index.ts"), target: at("environments/product.ts") },
      { file: at("modules/cache/index.ts"), target: at("tools/docs.ts") },
      { file: at("lib/core/knobs.ts"), target: at("lib/constructs/iam.ts") },
    ]),
  ).toEqual([
    "modules/cache/index.ts (modules) imports environments/product.ts (environments)",
    "modules/cache/index.ts (modules) imports tools/docs.ts (tools)",
    "lib/core/knobs.ts (core) imports lib/constructs/iam.ts (constructs)",
  ]);
});

test("environments/ and tooling read modules' declarations (config.ts, knobs.ts, the registry declarations.ts), never their constructs", () => {
  const violations = edges
    .filter(
      (e) =>
        (layerOf(e.file) === "environments" || layerOf(e.file) === "tools") &&
        e.target &&
        layerOf(e.target) === "modules",
    )
    .filter((e) => !/(config|knobs|declarations)\.ts$/.test(e.target as string))
    .map((e) => `${rel(e.file)} imports ${rel(e.target as string)}`);
  expect(violations).toEqual([]);
});

test("the aws provider binding is imported deeply, never through its 12-second barrel", () => {
  const barrel = edges
    .filter((e) => e.spec === "@cdktf/provider-aws" || e.spec === "@cdktf/provider-aws/lib")
    .map((e) => rel(e.file));
  expect(barrel).toEqual([]);
});

test("a module never names the product it is deployed for", () => {
  const named = files
    .filter((f) => layerOf(f) === "modules")
    .filter((f) => /eduautismo|\bBNCC\b|\bbncc\b/i.test(fs.readFileSync(f, "utf8")))
    .map(rel);
  expect(named).toEqual([]);
});

test("every module's header says what it owns and what it depends on", () => {
  const missing = files
    .filter((f) => /\/modules\/[^/]+\/index\.ts$/.test(f))
    .filter((f) => {
      const header = /^\/\*\*([\s\S]*?)\*\//.exec(fs.readFileSync(f, "utf8"))?.[1] ?? "";
      return !/Owns:/.test(header) || !/Depends on:/i.test(header);
    })
    .map(rel);
  expect(missing).toEqual([]);
});

/** The `.default(…)`/`.prefault(…)` arguments of a config file, one line each (a default spans one line here). */
function defaultsOf(file: string): string[] {
  return [...fs.readFileSync(file, "utf8").matchAll(/\.(?:default|prefault)\((.*)\)/g)].map((m) => m[1]);
}

/** Every name a product goes by: its id, short name and resource prefix (`project`). */
function productNames(): string[] {
  return PRODUCTS.flatMap((p) => [p.id, p.shortName, p.defaults.project ?? ""]).filter((n) => n.length > 0);
}

test("no default of a module's config, the environment schema or the bootstrap names a product (D94)", () => {
  const configs = [
    ...files.filter((f) => /\/modules\/[^/]+\/config\.ts$/.test(f)),
    ...["environments/schema.ts", "environments/cost-schema.ts", "environments/bootstrap.ts"].map((f) =>
      path.join(repo, f),
    ),
  ];
  const names = productNames();
  expect(names).toEqual(expect.arrayContaining(["eduautismo", "eduautismo-ia", "atena", "retell"]));
  const named = configs.flatMap((f) =>
    defaultsOf(f)
      .filter((d) => names.some((n) => d.toLowerCase().includes(n.toLowerCase())))
      .map((d) => `${rel(f)}: .default(${d})`),
  );
  expect(named).toEqual([]);
  // The rule can fail: the state key's old default named EduAutismo.
  expect(names.some((n) => 'default("eduautismo-ia/terraform.tfstate")'.includes(n))).toBe(true);
});

/** Relative imports with whether each is type-only (`import type` / `export type`, erased at compile time). */
const typedEdges = files.flatMap((file) =>
  [
    ...fs
      .readFileSync(file, "utf8")
      .matchAll(/(?:^|\n)\s*(import|export)(\s+type)?\b[^"';]*?from\s+["'](\.[^"']*)["']/g),
  ].flatMap((m) => {
    const target = resolve(file, m[3]);
    return target ? [{ file, target, typeOnly: m[2] !== undefined }] : [];
  }),
);

/** The import circles (strongly connected components of more than one file), each as its sorted files. */
function circles(list: readonly { file: string; target: string }[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of list) next.set(e.file, [...(next.get(e.file) ?? []), e.target]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) component.push(w);
      if (component.length > 1) out.push(component.map(rel).sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return out;
}

test("no import circles in the sources, type imports included (issue 22 item 6)", () => {
  expect(circles(typedEdges.filter((e) => layerOf(e.file) !== "tests"))).toEqual([]);
});

test("no module has a circle of value imports", () => {
  expect(circles(typedEdges.filter((e) => !e.typeOnly))).toEqual([]);
});

test("a circle is found (the check can fail)", () => {
  const at = (p: string) => path.join(repo, p);
  expect(
    circles([
      { file: at("environments/schema.ts"), target: at("environments/product-spec.ts") },
      { file: at("environments/product-spec.ts"), target: at("environments/schema.ts") },
    ]),
  ).toEqual([["environments/product-spec.ts", "environments/schema.ts"]]);
});

// Formerly lint-rule.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the lint rule: tokens, not strings", () => {
  /**
   * The lint rule of issue 22 ("tokens, not strings"): in modules/, a Terraform reference written inside a string
   * literal or template text is an ESLint error (eslint.config.mjs), and code that reaches the same value through
   * tokens passes. Runs ESLint's API (`new ESLint({ overrideConfigFile })`, `lintText`) with the repository's own
   * config on small texts under a modules/ path. ESLint loads its config with a dynamic import, which jest's VM
   * refuses, so the API runs in one plain node process for all cases.
   */
  const root = path.resolve(__dirname, "../..");

  /** A text and the path ESLint lints it as (nothing is written). */
  interface Case {
    readonly code: string;
    readonly file?: string;
  }

  const LINT = `
import { ESLint } from "eslint";
import path from "node:path";
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: path.resolve("eslint.config.mjs") });
const out = [];
for (const c of cases) {
  const [result] = await eslint.lintText(c.code, { filePath: path.resolve(c.file ?? "modules/fixture/index.ts") });
  out.push(result.messages.map((m) => ({ line: m.line, severity: m.severity, rule: m.ruleId, message: m.message })));
}
process.stdout.write(JSON.stringify(out));
`;

  type Finding = { line: number; severity: number; rule: string; message: string };

  /** Every case's findings of the rule (messages starting "Terraform reference inside a"). */
  function lint(cases: readonly Case[]): { line: number; severity: number; rule: string }[][] {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", LINT, JSON.stringify(cases)], {
      cwd: root,
      encoding: "utf8",
    });
    return (JSON.parse(out) as Finding[][]).map((messages) =>
      messages
        .filter((m) => m.message.startsWith("Terraform reference inside a"))
        .map(({ line, severity, rule }) => ({ line, severity, rule })),
    );
  }

  const HEADER = 'import { expr } from "../../lib/core/module-stack";\n';
  const EXPR = `${HEADER}export const a = expr("var.x");\n`;
  const error = (line: number) => ({ line, severity: 2, rule: "no-restricted-syntax" });

  describe("a Terraform reference inside a string is a lint error in modules/", () => {
    const [inExpr, inStrings, tokens, outside] = lint([
      { code: EXPR },
      {
        code: `${HEADER}export const b = "\${var.x}";\nexport const c = (n: string) => \`\${n}-\\\${aws_s3_bucket.b.id}\`;\n`,
      },
      {
        code:
          'import type { TerraformVariable } from "cdktf";\n' +
          "export const name = (v: TerraformVariable) => `${v.stringValue}-redis`;\n" +
          'export const text = "var. and count. are words in a description";\n',
      },
      { code: EXPR, file: "lib/fixture.ts" },
    ]);

    test('expr("var.x") is an error', () => expect(inExpr).toEqual([error(2)]));

    test('"${var.x}" in a string and a reference in template text are errors', () =>
      expect(inStrings).toEqual([error(2), error(3)]));

    test("the same values through tokens pass", () => expect(tokens).toEqual([]));

    test("outside modules/ the rule does not apply", () => expect(outside).toEqual([]));
  });
});

// Formerly test-teardown.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the global teardown (test infrastructure)", () => {
  /** The global teardown removes its own run's operator copies and killed runs' leftovers, never a live run's. */
  const names = ["optest-runA-x1", "optest-runA-x2", "optest-runB-y1", "optest-old-z1", "stacks", "manifest.json"];
  const ages: Record<string, number> = {
    "optest-runA-x1": 5_000,
    "optest-runA-x2": 9_000,
    "optest-runB-y1": 60_000,
    "optest-old-z1": STALE_COPY_MS + 1,
  };
  const removed = copiesToRemove(names, "runA", (d) => ages[d] ?? 0);

  test("a run removes its own operator copies", () => {
    expect(removed).toEqual(expect.arrayContaining(["optest-runA-x1", "optest-runA-x2"]));
  });

  test("a copy of another run still going is kept (a unit run no longer breaks a Terraform run in the same checkout)", () => {
    expect(removed).not.toContain("optest-runB-y1");
  });

  test("a copy a killed run left more than two hours ago is removed, and nothing but optest-* is touched", () => {
    expect(removed.sort()).toEqual(["optest-old-z1", "optest-runA-x1", "optest-runA-x2"]);
  });
});
