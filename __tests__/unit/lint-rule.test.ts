/**
 * The lint rule of issue 22 ("tokens, not strings"): in modules/, a Terraform reference written inside a string
 * literal or template text is an ESLint error (eslint.config.mjs), and code that reaches the same value through
 * tokens passes. Runs ESLint's API (`new ESLint({ overrideConfigFile })`, `lintText`) with the repository's own
 * config on small texts under a modules/ path. ESLint loads its config with a dynamic import, which jest's VM
 * refuses, so the API runs in one plain node process for all cases.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

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
