/**
 * Reference check for synthesized Terraform JSON: every `var.*`, `local.*`, `module.*`, `data.*`,
 * `ephemeral.*` and resource reference (`aws_x.name`, `terraform_data.name`) used in a module is
 * declared in that module, every `module.<call>.<output>` names an output the called module
 * declares, and every module call passes only variables the called module declares and all of its
 * required ones (no `default`). It reads `*.tf.json` files only and runs no Terraform, so it takes
 * milliseconds; it catches what `terraform validate` would refuse as "Reference to undeclared ...".
 *
 * Where references are looked for (Terraform JSON syntax: a JSON string value is an HCL template):
 *   - inside `${...}` interpolations and `%{...}` directives of string values, recursively through
 *     quoted strings and heredocs nested in the expression;
 *   - in the bare expressions of `depends_on` and `lifecycle.replace_triggered_by`.
 * Not looked at: literal fields (`variable` type/default/description, `output` description, `module`
 * source/version/providers, `provider` meta-arguments, `lifecycle.ignore_changes`, the `terraform`,
 * `moved`, `removed` blocks and JSON comments `"//"`). Plain `.tf` files are not read.
 *
 * What is NOT a reference: `each.*`, `count.*`, `self.*`, `path.*`, `terraform.*` (but
 * `terraform_data.*` is a resource), function names (`f(`, `provider::ns::f(`), names after a dot
 * or `::`, bare names (object keys, keywords), string literals inside expressions, `$${` / `%%{`
 * escapes, iterators of `for` expressions within their brackets, iterators of `%{ for }` directives
 * for the rest of their template, and a `dynamic` block's iterator (its label or `iterator`) inside
 * that block's `content`/`labels`.
 *
 * Dependency-free (node's fs and path only): it must not import modules/ or environments/.
 */
import * as fs from "fs";
import * as path from "path";

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

/** A part of a template that holds an expression: `${ ... }` or `%{ ... }`. Literal text is dropped. */
export interface TemplatePart {
  readonly kind: "interpolation" | "directive";
  readonly tokens: Token[];
}

/**
 * One token of an HCL expression. A quoted string or heredoc inside an expression is one `string`
 * token whose `template` holds the expressions interpolated in it (literal text is never a reference).
 */
export type Token =
  | { readonly kind: "ident" | "number" | "punct"; readonly text: string; readonly pos: number }
  | { readonly kind: "string"; readonly text: string; readonly pos: number; readonly template: TemplatePart[] };

/** An expression the tokenizer cannot read (unterminated string or interpolation, unknown character). */
export class ExpressionSyntaxError extends Error {}

/** Multi-character operators first, so `==` is not read as two `=`. */
const PUNCTUATION = [
  "...",
  "::",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "=>",
  ".",
  ",",
  "[",
  "]",
  "{",
  "}",
  "(",
  ")",
  "?",
  ":",
  "=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "!",
  "<",
  ">",
  "~",
];
/** HCL identifiers: a letter or underscore, then letters, digits, underscores and dashes. */
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const INTEGER = /[0-9]+/y;
const HEREDOC = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/y;

function matchAt(re: RegExp, src: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(src);
  return m ? m[0] : undefined;
}

/**
 * Reads a template from `start`: until `"` (a quoted string inside an expression, which has
 * backslash escapes) or, with `quoted` false, to the end of `src` (a JSON string value or heredoc
 * body, where a backslash is literal). `$${` and `%%{` are escapes, not interpolations.
 */
function scanTemplate(src: string, start: number, quoted: boolean): { parts: TemplatePart[]; end: number } {
  const parts: TemplatePart[] = [];
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (quoted && c === '"') return { parts, end: i + 1 };
    if (quoted && c === "\\") {
      i += 2;
      continue;
    }
    if (src.startsWith("$${", i) || src.startsWith("%%{", i)) {
      i += 3;
      continue;
    }
    if (src.startsWith("${", i) || src.startsWith("%{", i)) {
      const { tokens, end } = scanExpression(src, i + 2, true);
      parts.push({ kind: c === "$" ? "interpolation" : "directive", tokens });
      i = end;
      continue;
    }
    i++;
  }
  if (quoted) throw new ExpressionSyntaxError(`unterminated string starting at ${start - 1}`);
  return { parts, end: i };
}

/**
 * Tokenizes an expression from `start`. With `inTemplate`, stops after the `}` that closes the
 * interpolation (braces of object constructors nest); otherwise reads to the end of `src`.
 */
function scanExpression(src: string, start: number, inTemplate: boolean): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  let depth = 0;
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#" || src.startsWith("//", i)) {
      const nl = src.indexOf("\n", i);
      i = nl < 0 ? src.length : nl + 1;
      continue;
    }
    if (src.startsWith("/*", i)) {
      const close = src.indexOf("*/", i + 2);
      if (close < 0) throw new ExpressionSyntaxError(`unterminated comment at ${i}`);
      i = close + 2;
      continue;
    }
    if (c === "}" && depth === 0 && inTemplate) return { tokens, end: i + 1 };
    if (c === '"') {
      const { parts, end } = scanTemplate(src, i + 1, true);
      tokens.push({ kind: "string", text: src.slice(i, end), pos: i, template: parts });
      i = end;
      continue;
    }
    const heredoc = matchAt(HEREDOC, src, i);
    if (heredoc) {
      const marker = heredoc.replace(/^<<-?/, "").trim();
      const bodyStart = i + heredoc.length;
      const close = new RegExp(`^[ \\t]*${marker}[ \\t]*$`, "m");
      const m = close.exec(src.slice(bodyStart));
      if (!m) throw new ExpressionSyntaxError(`unterminated heredoc ${marker} at ${i}`);
      const body = src.slice(bodyStart, bodyStart + m.index);
      const { parts } = scanTemplate(body, 0, false);
      const end = bodyStart + m.index + m[0].length;
      tokens.push({ kind: "string", text: src.slice(i, end), pos: i, template: parts });
      i = end;
      continue;
    }
    const prev = tokens[tokens.length - 1];
    const afterDot = prev?.kind === "punct" && prev.text === ".";
    // After a dot only an integer (legacy index `list.0.id`), so `a.0.1` is not read as `a` `.` `0.1`.
    const number = matchAt(afterDot ? INTEGER : NUMBER, src, i);
    if (number) {
      tokens.push({ kind: "number", text: number, pos: i });
      i += number.length;
      continue;
    }
    const ident = matchAt(IDENT, src, i);
    if (ident) {
      tokens.push({ kind: "ident", text: ident, pos: i });
      i += ident.length;
      continue;
    }
    const punct = PUNCTUATION.find((p) => src.startsWith(p, i));
    if (!punct) throw new ExpressionSyntaxError(`unexpected character ${JSON.stringify(c)} at ${i}`);
    if (punct === "{") depth++;
    if (punct === "}") {
      if (depth === 0) throw new ExpressionSyntaxError(`unbalanced "}" at ${i}`);
      depth--;
    }
    tokens.push({ kind: "punct", text: punct, pos: i });
    i += punct.length;
  }
  if (inTemplate) throw new ExpressionSyntaxError(`unterminated interpolation starting at ${start - 2}`);
  return { tokens, end: i };
}

/** Tokens of a bare HCL expression (e.g. `var.x == "a" ? 1 : 0`, or a `depends_on` entry). */
export function tokenize(expression: string): Token[] {
  return scanExpression(expression, 0, false).tokens;
}

/** The `${...}` and `%{...}` parts of a template (a JSON string value of Terraform JSON syntax). */
export function templateParts(template: string): TemplatePart[] {
  return scanTemplate(template, 0, false).parts;
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

export interface Reference {
  readonly kind: "var" | "local" | "module" | "data" | "ephemeral" | "resource";
  /** `var`/`local`/`module`: the name; `data`/`ephemeral`/`resource`: `<type>.<name>`. */
  readonly name: string;
  /** `module` only: the output read (`module.x.<output>`), absent for the whole module object. */
  readonly output?: string;
  /** As written, without index steps: `var.x`, `module.x.y`, `data.t.n`, `t.n`. */
  readonly text: string;
}

/** Roots Terraform provides itself; `terraform_data` is a resource type, not `terraform`. */
export const NON_REFERENCE_ROOTS: ReadonlySet<string> = new Set(["each", "count", "self", "path", "terraform"]);
const KEYWORDS = new Set(["for", "in", "if", "else", "endif", "endfor", "true", "false", "null"]);

const isPunct = (t: Token | undefined, text: string) => t !== undefined && t.kind === "punct" && t.text === text;
const CLOSING: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/**
 * The traversal after a root name: `.name` steps (`*` for a splat, the digits for a legacy index)
 * and `[...]` index steps (as `[]`), until anything else.
 */
function traversal(tokens: Token[], from: number): string[] {
  const steps: string[] = [];
  let j = from;
  while (j < tokens.length) {
    if (isPunct(tokens[j], ".")) {
      const step = tokens[j + 1];
      if (!step || !(step.kind === "ident" || step.kind === "number" || isPunct(step, "*"))) break;
      steps.push(step.text);
      j += 2;
    } else if (isPunct(tokens[j], "[")) {
      let depth = 0;
      for (; j < tokens.length; j++) {
        if (isPunct(tokens[j], "[")) depth++;
        if (isPunct(tokens[j], "]") && --depth === 0) break;
      }
      steps.push("[]");
      j++;
    } else break;
  }
  return steps;
}

const isName = (s: string | undefined): s is string => s !== undefined && /^[A-Za-z_]/.test(s);

function classify(root: string, steps: string[]): Reference | undefined {
  const [first, second, third] = steps;
  if (root === "var" || root === "local")
    return isName(first) ? { kind: root, name: first, text: `${root}.${first}` } : undefined;
  if (root === "module") {
    if (!isName(first)) return undefined;
    const output = second === "[]" ? third : second; // module.x[0].out / module.x["k"].out
    return isName(output)
      ? { kind: "module", name: first, output, text: `module.${first}.${output}` }
      : { kind: "module", name: first, text: `module.${first}` };
  }
  if (root === "data" || root === "ephemeral") {
    return isName(first) && isName(second)
      ? { kind: root, name: `${first}.${second}`, text: `${root}.${first}.${second}` }
      : undefined;
  }
  return isName(first) ? { kind: "resource", name: `${root}.${first}`, text: `${root}.${first}` } : undefined;
}

/**
 * References in a token list. `outer` holds names that are local to the surrounding context
 * (dynamic-block and template-for iterators); `for` expressions add theirs until their bracket closes.
 */
export function referencesInTokens(tokens: Token[], outer: ReadonlySet<string> = new Set()): Reference[] {
  const out: Reference[] = [];
  const frames: { close: string; names: string[] }[] = [];
  const scope = () => new Set([...outer, ...frames.flatMap((f) => f.names)]);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "string") {
      out.push(...referencesInParts(t.template, scope()));
      continue;
    }
    if (t.kind === "punct") {
      if (CLOSING[t.text]) {
        const names: string[] = [];
        const next = tokens[i + 1];
        if (t.text !== "(" && next?.kind === "ident" && next.text === "for") {
          // `[for k, v in coll : ...]` / `{for k, v in coll : k => v}`: k and v are local to the brackets.
          for (let j = i + 2; j < tokens.length && !(tokens[j].kind === "ident" && tokens[j].text === "in"); j++) {
            if (tokens[j].kind === "ident") names.push(tokens[j].text);
          }
        }
        frames.push({ close: CLOSING[t.text], names });
      } else if (frames.length > 0 && frames[frames.length - 1].close === t.text) frames.pop();
      continue;
    }
    if (t.kind !== "ident") continue;
    const prev = tokens[i - 1];
    if (isPunct(prev, ".") || isPunct(prev, "::")) continue; // an attribute, or a provider function's namespace
    if (!isPunct(tokens[i + 1], ".")) continue; // bare names: keywords, object keys, function calls, iterators
    if (KEYWORDS.has(t.text) || NON_REFERENCE_ROOTS.has(t.text)) continue;
    if (outer.has(t.text) || frames.some((f) => f.names.includes(t.text))) continue;
    const ref = classify(t.text, traversal(tokens, i + 1));
    if (ref) out.push(ref);
  }
  return out;
}

/** References in template parts; a `%{ for x in ... }` directive makes `x` local for the rest of the template. */
function referencesInParts(parts: TemplatePart[], outer: ReadonlySet<string>): Reference[] {
  const out: Reference[] = [];
  const scope = new Set(outer);
  for (const part of parts) {
    out.push(...referencesInTokens(part.tokens, scope));
    const [head, ...rest] = part.tokens;
    if (part.kind === "directive" && head?.kind === "ident" && head.text === "for") {
      for (const t of rest) {
        if (t.kind === "ident" && t.text === "in") break;
        if (t.kind === "ident") scope.add(t.text);
      }
    }
  }
  return out;
}

/** References in a template (a JSON string value of Terraform JSON syntax). */
export function templateReferences(template: string, scope: Iterable<string> = []): Reference[] {
  return referencesInParts(templateParts(template), new Set(scope));
}

/** References in a bare expression (`depends_on`, `replace_triggered_by` entries). */
export function expressionReferences(expression: string, scope: Iterable<string> = []): Reference[] {
  return referencesInTokens(tokenize(expression), new Set(scope));
}

// ---------------------------------------------------------------------------------------------
// Declarations and the check
// ---------------------------------------------------------------------------------------------

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Finding {
  /** The file as the caller names it, e.g. `cdktf.out/stacks/dev/modules/compute/main.tf.json`. */
  readonly file: string;
  /** JSON path inside the file, e.g. `resource.aws_ecs_service.app.desired_count`. */
  readonly path: string;
  /** What is wrong, e.g. `var.app_image_tag is not declared in module "compute"`. */
  readonly message: string;
}

/** `<file>: <json path>: <message>`, the line an operator reads. */
export function formatFinding(f: Finding): string {
  return `${f.file}: ${f.path}: ${f.message}`;
}

/** `a.b[0]["x-y"]`: identifier keys with dots, other keys quoted, array indexes in brackets. */
export function jsonPath(steps: readonly (string | number)[]): string {
  return steps
    .map((s, i) =>
      typeof s === "number"
        ? `[${s}]`
        : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)
          ? i === 0
            ? s
            : `.${s}`
          : `[${JSON.stringify(s)}]`,
    )
    .join("");
}

/** Terraform JSON allows a block body as an object or a list of objects. */
const bodies = (v: Json): Json[] => (Array.isArray(v) ? v : v && typeof v === "object" ? [v] : []);
const entries = (v: Json): [string, Json][] =>
  bodies(v)
    .flatMap((b) => Object.entries(b))
    .filter(([k]) => k !== "//");

interface Declarations {
  readonly variables: Map<string, { readonly required: boolean }>;
  readonly locals: Set<string>;
  readonly modules: Map<string, { readonly source: unknown; readonly body: Json; readonly file: string }>;
  readonly resources: Set<string>;
  readonly data: Set<string>;
  readonly ephemeral: Set<string>;
  readonly outputs: Set<string>;
}

function declarations(files: { file: string; json: Json }[]): Declarations {
  const d: Declarations = {
    variables: new Map(),
    locals: new Set(),
    modules: new Map(),
    resources: new Set(),
    data: new Set(),
    ephemeral: new Set(),
    outputs: new Set(),
  };
  const typed = (v: Json, into: Set<string>) => {
    for (const [type, byName] of entries(v)) for (const [name] of entries(byName)) into.add(`${type}.${name}`);
  };
  for (const { file, json } of files) {
    for (const [name, body] of entries(json.variable))
      d.variables.set(name, { required: !bodies(body).some((b) => "default" in b) });
    for (const [name] of entries(json.locals)) d.locals.add(name);
    for (const [name, body] of entries(json.module))
      d.modules.set(name, { source: bodies(body)[0]?.source, body: bodies(body)[0] ?? {}, file });
    for (const [name] of entries(json.output)) d.outputs.add(name);
    typed(json.resource, d.resources);
    typed(json.data, d.data);
    typed(json.ephemeral, d.ephemeral);
    for (const [, check] of entries(json.check)) for (const b of bodies(check)) typed(b.data, d.data); // scoped data sources
  }
  return d;
}

type Visit = (text: string, steps: (string | number)[], scope: ReadonlySet<string>, bare: boolean) => void;

/** Every template string below `value`; a `dynamic` block's iterator is local to its content. */
function walk(value: Json, steps: (string | number)[], scope: ReadonlySet<string>, visit: Visit): void {
  if (typeof value === "string") visit(value, steps, scope, false);
  else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...steps, i], scope, visit));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "//") continue;
      if (k === "dynamic") walkDynamic(v, [...steps, k], scope, visit);
      else walk(v, [...steps, k], scope, visit);
    }
  }
}

function walkDynamic(value: Json, steps: (string | number)[], scope: ReadonlySet<string>, visit: Visit): void {
  for (const [label, blocks] of Object.entries<Json>(value ?? {})) {
    const list = Array.isArray(blocks) ? blocks : [blocks];
    list.forEach((block: Json, i: number) => {
      const at = Array.isArray(blocks) ? [...steps, label, i] : [...steps, label];
      const inner = new Set([...scope, typeof block?.iterator === "string" ? block.iterator : label]);
      for (const [k, v] of Object.entries<Json>(block ?? {})) {
        if (k === "iterator" || k === "//") continue;
        walk(v, [...at, k], k === "for_each" ? scope : inner, visit);
      }
    });
  }
}

/** Bare-expression lists (`depends_on`, `replace_triggered_by`). */
function walkBare(value: Json, steps: (string | number)[], visit: Visit): void {
  (Array.isArray(value) ? value : []).forEach(
    (v, i) => typeof v === "string" && visit(v, [...steps, i], new Set(), true),
  );
}

/** A resource, data, ephemeral or scoped-data body: meta-arguments first, then the arguments. */
function walkResource(body: Json, steps: (string | number)[], visit: Visit): void {
  for (const [k, v] of Object.entries<Json>(body ?? {})) {
    const at = [...steps, k];
    if (k === "//" || k === "provider") continue;
    if (k === "depends_on") walkBare(v, at, visit);
    else if (k === "lifecycle") {
      for (const [lk, lv] of Object.entries<Json>(v ?? {})) {
        if (lk === "ignore_changes") continue;
        if (lk === "replace_triggered_by") walkBare(lv, [...at, lk], visit);
        else walk(lv, [...at, lk], new Set(), visit);
      }
    } else if (k === "dynamic") walkDynamic(v, at, new Set(), visit);
    else walk(v, at, new Set(), visit);
  }
}

/** Every place of one Terraform JSON file that holds expressions. */
function walkFile(json: Json, visit: Visit): void {
  const none = new Set<string>();
  const typedBlocks = (kind: string) => {
    for (const [type, byName] of Object.entries<Json>(json[kind] ?? {})) {
      for (const [name, body] of Object.entries<Json>(byName ?? {})) walkResource(body, [kind, type, name], visit);
    }
  };
  for (const [name, body] of Object.entries<Json>(json.variable ?? {})) {
    if (body && typeof body === "object" && "validation" in body)
      walk(body.validation, ["variable", name, "validation"], none, visit);
  }
  if (json.locals) walk(json.locals, ["locals"], none, visit);
  for (const [name, body] of Object.entries<Json>(json.output ?? {})) {
    for (const [k, v] of Object.entries<Json>(body ?? {})) {
      if (k === "//" || k === "description" || k === "sensitive" || k === "ephemeral") continue;
      if (k === "depends_on") walkBare(v, ["output", name, k], visit);
      else walk(v, ["output", name, k], none, visit);
    }
  }
  for (const [name, body] of Object.entries<Json>(json.module ?? {})) {
    for (const [k, v] of Object.entries<Json>(body ?? {})) {
      if (k === "//" || k === "source" || k === "version" || k === "providers") continue;
      if (k === "depends_on") walkBare(v, ["module", name, k], visit);
      else walk(v, ["module", name, k], none, visit);
    }
  }
  typedBlocks("resource");
  typedBlocks("data");
  typedBlocks("ephemeral");
  for (const [name, body] of Object.entries<Json>(json.check ?? {})) {
    for (const [k, v] of Object.entries<Json>(body ?? {})) {
      if (k === "data") {
        for (const [type, byName] of Object.entries<Json>(v ?? {})) {
          for (const [dn, db] of Object.entries<Json>(byName ?? {}))
            walkResource(db, ["check", name, "data", type, dn], visit);
        }
      } else if (k !== "//") walk(v, ["check", name, k], none, visit);
    }
  }
  for (const [name, configs] of Object.entries<Json>(json.provider ?? {})) {
    bodies(configs).forEach((cfg, i) => {
      for (const [k, v] of Object.entries<Json>(cfg)) {
        if (k !== "alias" && k !== "//")
          walk(v, ["provider", name, ...(Array.isArray(configs) ? [i] : []), k], none, visit);
      }
    });
  }
  bodies(json.import).forEach((imp, i) => {
    for (const k of ["id", "identity", "for_each"]) if (k in imp) walk(imp[k], ["import", i, k], none, visit);
  });
}

export interface CheckOptions {
  /** How findings name this directory, e.g. `cdktf.out/stacks/dev`. @default dir */
  readonly label?: string;
  /** Module call name of this directory, for messages; undefined for the root module. */
  readonly moduleName?: string;
}

const isLocalSource = (s: unknown): s is string => typeof s === "string" && (s.startsWith("./") || s.startsWith("../"));

function readDir(dir: string, label: string): { file: string; json: Json }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".tf.json"))
    .sort()
    .map((f) => ({ file: path.join(label, f), json: JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) }));
}

/**
 * Checks one Terraform directory (root or module) and, through their local `source`, every module it
 * calls. Findings are sorted by file and path.
 */
export function checkDirectory(dir: string, options: CheckOptions = {}): Finding[] {
  const findings: Finding[] = [];
  checkModule(dir, options.label ?? dir, options.moduleName, findings, new Set());
  return findings.sort((a, b) =>
    a.file === b.file ? (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) : a.file < b.file ? -1 : 1,
  );
}

function checkModule(
  dir: string,
  label: string,
  moduleName: string | undefined,
  findings: Finding[],
  seen: Set<string>,
): void {
  const key = path.resolve(dir);
  if (seen.has(key)) return;
  seen.add(key);
  const files = readDir(dir, label);
  const d = declarations(files);
  const where = moduleName === undefined ? "the root module" : `module ${JSON.stringify(moduleName)}`;
  const callees = new Map<string, Declarations>();
  const callee = (name: string): Declarations | undefined => {
    const call = d.modules.get(name);
    if (!call || !isLocalSource(call.source)) return undefined;
    if (!callees.has(name)) {
      const calleeDir = path.join(dir, call.source);
      callees.set(
        name,
        declarations(fs.existsSync(calleeDir) ? readDir(calleeDir, path.join(label, call.source)) : []),
      );
    }
    return callees.get(name);
  };

  for (const { file, json } of files) {
    const report = (steps: (string | number)[], message: string) =>
      findings.push({ file, path: jsonPath(steps), message });
    walkFile(json, (text, steps, scope, bare) => {
      let refs: Reference[];
      try {
        refs = bare ? expressionReferences(text, scope) : templateReferences(text, scope);
      } catch (e) {
        if (!(e instanceof ExpressionSyntaxError)) throw e;
        report(steps, `cannot read the expression: ${e.message}`);
        return;
      }
      for (const r of refs) {
        const declared =
          r.kind === "var"
            ? d.variables.has(r.name)
            : r.kind === "local"
              ? d.locals.has(r.name)
              : r.kind === "module"
                ? d.modules.has(r.name)
                : r.kind === "data"
                  ? d.data.has(r.name)
                  : r.kind === "ephemeral"
                    ? d.ephemeral.has(r.name)
                    : d.resources.has(r.name);
        if (!declared) {
          report(steps, `${r.kind === "module" ? `module.${r.name}` : r.text} is not declared in ${where}`);
          continue;
        }
        if (r.kind === "module" && r.output !== undefined) {
          const called = callee(r.name);
          if (called && !called.outputs.has(r.output))
            report(
              steps,
              `${r.text}: output "${r.output}" is not declared in module "${r.name}" (${d.modules.get(r.name)?.source})`,
            );
        }
      }
    });
  }

  // Module calls: only declared variables, and every required one.
  for (const [name, call] of d.modules) {
    const called = callee(name);
    if (!called || !isLocalSource(call.source)) continue;
    const report = (steps: (string | number)[], message: string) =>
      findings.push({ file: call.file, path: jsonPath(steps), message });
    const META = new Set(["//", "source", "version", "providers", "depends_on", "count", "for_each"]);
    const passed = Object.keys(call.body).filter((k) => !META.has(k));
    for (const arg of passed) {
      if (!called.variables.has(arg))
        report(["module", name, arg], `module "${name}" (${call.source}) declares no variable "${arg}"`);
    }
    for (const [variable, { required }] of called.variables) {
      if (required && !passed.includes(variable))
        report(
          ["module", name],
          `required variable "${variable}" of module "${name}" (${call.source}, no default) is not passed`,
        );
    }
    checkModule(path.join(dir, call.source), path.join(label, call.source), name, findings, seen);
  }
}
