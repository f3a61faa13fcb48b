/**
 * The HCL evaluator the policy model (model.ts) still needs, and only for what the synthesized JSON
 * cannot say by name (issue 23 item 3 deletes it once these have a declaration to read, D211): the
 * arguments checks read through `evaluated()` (values.ts): container definitions and IAM policies
 * written with `jsonencode({...})`, and two conditional arguments (a trail's CloudWatch group, a cluster's
 * Container Insights setting). Whether a resource exists is read from its module's presence table (presence.ts).
 * Every other argument is read by name (inputs.ts). Anything only known after apply (resource attributes,
 * `each`, `count.index`, `for` expressions, functions and operators not listed here) evaluates to an
 * `Unknown` that remembers its text and the module it was written in.
 */

import { Unknown, isKnown, jsonencode, type Value } from "./value";

export { Unknown, isKnown, isUnknown, jsonencode, type Value } from "./value";

/** Where names resolve: `var.x`, `local.x`, `module.m.o`. Each returns a value or an Unknown. */
export interface Scope {
  readonly module?: string;
  variable(name: string): Value;
  local(name: string): Value;
  moduleOutput(module: string, output: string): Value;
}

// --- tokens -----------------------------------------------------------------------------------

type Token =
  | { t: "num"; v: number; at: number; end: number }
  | { t: "str"; parts: (string | string[])[]; raw: string; at: number; end: number } // parts: text or an interpolation's source
  | { t: "id"; v: string; at: number; end: number }
  | { t: "op"; v: string; at: number; end: number }
  | { t: "eof"; at: number; end: number };

const OPS = [
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "...",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ".",
  ":",
  "?",
  "=",
  "<",
  ">",
  "!",
  "+",
  "-",
  "*",
  "/",
  "%",
];

/** The end (exclusive) of a `${` interpolation that starts at `from` (just after `${`). */
function interpolationEnd(src: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"') {
      i = stringEnd(src, i + 1);
      continue;
    }
    if (ch === "{") depth++;
    if (ch === "}" && --depth === 0) return i;
    i++;
  }
  throw new SyntaxError(`unclosed interpolation in ${src}`);
}

/** The index just after the closing quote of a string whose body starts at `from`. */
function stringEnd(src: string, from: number): number {
  let i = from;
  while (i < src.length) {
    const ch = src[i];
    if (ch === "\\") i += 2;
    else if (ch === "$" && src[i + 1] === "{") i = interpolationEnd(src, i + 2) + 1;
    else if (ch === '"') return i + 1;
    else i++;
  }
  throw new SyntaxError(`unclosed string in ${src}`);
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };

/** Splits template text into literal pieces and interpolation sources (`["expr"]`). */
export function templateParts(body: string, quoted: boolean): (string | string[])[] {
  const parts: (string | string[])[] = [];
  let text = "";
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (quoted && ch === "\\") {
      const next = body[i + 1];
      if (next === "u") {
        text += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        text += ESCAPES[next] ?? next;
        i += 2;
      }
    } else if (ch === "$" && body[i + 1] === "$" && body[i + 2] === "{") {
      text += "${";
      i += 3;
    } else if (ch === "$" && body[i + 1] === "{") {
      const end = interpolationEnd(body, i + 2);
      if (text) parts.push(text);
      text = "";
      parts.push([body.slice(i + 2, end).trim()]);
      i = end + 1;
    } else {
      text += ch;
      i++;
    }
  }
  if (text || parts.length === 0) parts.push(text);
  return parts;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      tokens.push({ t: "num", v: Number(m[0]), at: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i)) as RegExpExecArray;
      tokens.push({ t: "id", v: m[0], at: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (ch === '"') {
      const end = stringEnd(src, i + 1);
      tokens.push({
        t: "str",
        parts: templateParts(src.slice(i + 1, end - 1), true),
        raw: src.slice(i, end),
        at: i,
        end,
      });
      i = end;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new SyntaxError(`unexpected "${ch}" in ${src}`);
    tokens.push({ t: "op", v: op, at: i, end: i + op.length });
    i += op.length;
  }
  tokens.push({ t: "eof", at: src.length, end: src.length });
  return tokens;
}

// --- syntax -----------------------------------------------------------------------------------

type Node =
  | { k: "lit"; v: Value }
  | { k: "tmpl"; parts: (string | Node)[]; src: string }
  | { k: "name"; v: string; src: string }
  | { k: "get"; obj: Node; attr: string; src: string }
  | { k: "index"; obj: Node; idx: Node; src: string }
  | { k: "call"; fn: string; args: Node[]; src: string }
  | { k: "unary"; op: string; x: Node; src: string }
  | { k: "binary"; op: string; a: Node; b: Node; src: string }
  | { k: "cond"; c: Node; t: Node; f: Node; src: string }
  | { k: "tuple"; items: Node[] }
  | { k: "object"; entries: [Node, Node][] }
  | { k: "opaque"; src: string };

const BINARY: string[][] = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]];

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Node {
    const node = this.expression();
    this.expect("eof");
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === v;
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private expect(kind: "eof" | string): Token {
    const t = this.next();
    if (kind === "eof" ? t.t !== "eof" : !(t.t === "op" && t.v === kind)) {
      throw new SyntaxError(`expected ${kind} at ${t.at} in ${this.src}`);
    }
    return t;
  }
  private text(from: number): string {
    return this.src.slice(from, this.tokens[this.i - 1].end).trim();
  }

  private expression(): Node {
    const at = this.peek().at;
    const c = this.binary(0);
    if (!this.isOp("?")) return c;
    this.next();
    const t = this.expression();
    this.expect(":");
    const f = this.expression();
    return { k: "cond", c, t, f, src: this.text(at) };
  }

  private binary(level: number): Node {
    if (level === BINARY.length) return this.unary();
    const at = this.peek().at;
    let a = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.t !== "op" || !BINARY[level].includes(t.v)) return a;
      this.next();
      const b = this.binary(level + 1);
      a = { k: "binary", op: t.v, a, b, src: this.text(at) };
    }
  }

  private unary(): Node {
    const t = this.peek();
    if (t.t === "op" && (t.v === "!" || t.v === "-")) {
      this.next();
      const x = this.unary();
      return { k: "unary", op: t.v, x, src: this.text(t.at) };
    }
    return this.postfix();
  }

  private postfix(): Node {
    const at = this.peek().at;
    let node = this.primary();
    for (;;) {
      if (this.isOp(".")) {
        this.next();
        const t = this.next();
        if (t.t === "op" && t.v === "*") node = { k: "opaque", src: this.text(at) };
        else if (t.t === "id" || t.t === "num") node = { k: "get", obj: node, attr: String(t.v), src: this.text(at) };
        else throw new SyntaxError(`expected an attribute at ${t.at} in ${this.src}`);
      } else if (this.isOp("[")) {
        this.next();
        if (this.isOp("*")) {
          this.next();
          this.expect("]");
          node = { k: "opaque", src: this.text(at) };
        } else {
          const idx = this.expression();
          this.expect("]");
          node = { k: "index", obj: node, idx, src: this.text(at) };
        }
      } else {
        return node;
      }
    }
  }

  /** Skips a `[for ...]` / `{for ...}` expression: its value is only known to Terraform. */
  private skipBracketed(open: string, at: number): Node {
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.t === "eof") throw new SyntaxError(`unclosed ${open} in ${this.src}`);
      if (t.t === "op" && (t.v === "[" || t.v === "{" || t.v === "(")) depth++;
      if (t.t === "op" && (t.v === "]" || t.v === "}" || t.v === ")")) depth--;
    }
    return { k: "opaque", src: this.text(at) };
  }

  private primary(): Node {
    const t = this.next();
    switch (t.t) {
      case "num":
        return { k: "lit", v: t.v };
      case "str":
        return this.template(t.parts, t.raw);
      case "id": {
        if (t.v === "true" || t.v === "false") return { k: "lit", v: t.v === "true" };
        if (t.v === "null") return { k: "lit", v: null };
        if (this.isOp("(")) {
          this.next();
          const args: Node[] = [];
          while (!this.isOp(")")) {
            args.push(this.expression());
            if (this.isOp("...")) this.next();
            if (this.isOp(",")) this.next();
          }
          this.expect(")");
          return { k: "call", fn: t.v, args, src: this.text(t.at) };
        }
        return { k: "name", v: t.v, src: t.v };
      }
      case "op":
        if (t.v === "(") {
          const inner = this.expression();
          this.expect(")");
          return inner;
        }
        if (t.v === "[") {
          const p = this.peek();
          if (p.t === "id" && p.v === "for") return this.skipBracketed("[", t.at);
          const items: Node[] = [];
          while (!this.isOp("]")) {
            items.push(this.expression());
            if (this.isOp(",")) this.next();
          }
          this.expect("]");
          return { k: "tuple", items };
        }
        if (t.v === "{") {
          const p = this.peek();
          if (p.t === "id" && p.v === "for") return this.skipBracketed("{", t.at);
          const entries: [Node, Node][] = [];
          while (!this.isOp("}")) {
            const kt = this.peek();
            let key: Node;
            if (
              kt.t === "id" &&
              this.tokens[this.i + 1].t === "op" &&
              ["=", ":"].includes((this.tokens[this.i + 1] as { v: string }).v)
            ) {
              this.next();
              key = { k: "lit", v: kt.v };
            } else {
              key = this.expression();
            }
            const sep = this.next();
            if (!(sep.t === "op" && (sep.v === "=" || sep.v === ":")))
              throw new SyntaxError(`expected = at ${sep.at} in ${this.src}`);
            entries.push([key, this.expression()]);
            if (this.isOp(",")) this.next();
          }
          this.expect("}");
          return { k: "object", entries };
        }
        throw new SyntaxError(`unexpected "${t.v}" at ${t.at} in ${this.src}`);
      default:
        throw new SyntaxError(`unexpected end of ${this.src}`);
    }
  }

  private template(parts: (string | string[])[], src: string): Node {
    return { k: "tmpl", parts: parts.map((p) => (typeof p === "string" ? p : parseExpression(p[0]))), src };
  }
}

const parsed = new Map<string, Node>();

function parseExpression(src: string): Node {
  let node = parsed.get(src);
  if (!node) {
    node = new Parser(src, tokenize(src)).parse();
    parsed.set(src, node);
  }
  return node;
}

// --- evaluation -------------------------------------------------------------------------------

function render(v: Value): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** The functions our counts, `for_each` and `jsonencode` documents call; any other call is unknown. */
const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  length: ([x]) =>
    typeof x === "string"
      ? x.length
      : Array.isArray(x)
        ? x.length
        : x && typeof x === "object"
          ? Object.keys(x).length
          : null,
  toset: ([x]) => (Array.isArray(x) ? [...new Set(x.map((e) => jsonencode(e)))].map((e) => JSON.parse(e)) : x),
  tostring: ([x]) => (x === null ? null : String(x)),
  jsonencode: ([x]) => jsonencode(x),
  concat: (args) => args.flatMap((a) => (Array.isArray(a) ? a : [])),
  contains: ([list, x]) => (Array.isArray(list) ? list.some((e) => jsonencode(e) === jsonencode(x)) : null),
  join: ([sep, list]) => (Array.isArray(list) ? list.map((e) => render(e) ?? "").join(String(sep)) : null),
  one: ([x]) => (Array.isArray(x) ? (x.length === 0 ? null : x[0]) : x),
};

/** Whether a function handles unknown arguments itself (keeps structure rather than giving up). */
const STRUCTURAL = new Set(["jsonencode", "concat", "one"]);

function attr(obj: Value, key: string | number, src: string, scope: Scope): Value {
  if (obj instanceof Unknown) return new Unknown(src, scope.module);
  if (Array.isArray(obj) && typeof key === "number") return obj[key] ?? new Unknown(src, scope.module);
  if (obj && typeof obj === "object" && !Array.isArray(obj)) {
    const v = (obj as Record<string, Value>)[String(key)];
    return v === undefined ? new Unknown(src, scope.module) : v;
  }
  return new Unknown(src, scope.module);
}

function equal(a: Value, b: Value): boolean {
  return jsonencode(a) === jsonencode(b);
}

function evalNode(node: Node, scope: Scope): Value {
  const unknown = (src: string) => new Unknown(src, scope.module);
  switch (node.k) {
    case "lit":
      return node.v;
    case "opaque":
      return unknown(node.src);
    case "tmpl": {
      if (node.parts.length === 1 && typeof node.parts[0] !== "string") return evalNode(node.parts[0], scope);
      let out = "";
      for (const p of node.parts) {
        if (typeof p === "string") out += p;
        else {
          const v = evalNode(p, scope);
          const s = render(v);
          out += s ?? (v instanceof Unknown ? v.toString() : "${" + ("src" in p ? p.src : "?") + "}");
        }
      }
      return out;
    }
    case "name":
      return unknown(node.src);
    case "get": {
      // References: var.x, local.x, module.m.o; anything else (resources, each, count, data) is unknown.
      if (node.obj.k === "name") {
        if (node.obj.v === "var") return scope.variable(node.attr);
        if (node.obj.v === "local") return scope.local(node.attr);
        return unknown(node.src);
      }
      if (node.obj.k === "get" && node.obj.obj.k === "name" && node.obj.obj.v === "module")
        return scope.moduleOutput(node.obj.attr, node.attr);
      return attr(evalNode(node.obj, scope), /^\d+$/.test(node.attr) ? Number(node.attr) : node.attr, node.src, scope);
    }
    case "index": {
      const idx = evalNode(node.idx, scope);
      if (idx instanceof Unknown) return unknown(node.src);
      return attr(evalNode(node.obj, scope), typeof idx === "number" ? idx : String(idx), node.src, scope);
    }
    case "call": {
      const fn = FUNCTIONS[node.fn];
      if (!fn) return unknown(node.src);
      const args = node.args.map((a) => evalNode(a, scope));
      // Unknown arguments make the result unknown, except inside values a function only carries
      // (e.g. jsonencode of an object with one computed member keeps the other members readable).
      if (
        STRUCTURAL.has(node.fn)
          ? node.fn !== "jsonencode" && args.some((a) => a instanceof Unknown)
          : args.some((a) => !isKnown(a))
      )
        return unknown(node.src);
      return fn(args);
    }
    case "unary": {
      const x = evalNode(node.x, scope);
      if (x instanceof Unknown) return unknown(node.src);
      return node.op === "!" ? !(x === true || x === "true") : unknown(node.src);
    }
    case "binary": {
      const a = evalNode(node.a, scope);
      if (node.op === "&&" && (a === false || a === "false")) return false;
      if (node.op === "||" && (a === true || a === "true")) return true;
      const b = evalNode(node.b, scope);
      if (node.op === "&&" && (b === false || b === "false")) return false;
      if (node.op === "||" && (b === true || b === "true")) return true;
      if (!isKnown(a) || !isKnown(b)) return unknown(node.src);
      switch (node.op) {
        case "&&":
        case "||":
          return node.op === "&&"
            ? (a === true || a === "true") && (b === true || b === "true")
            : a === true || a === "true" || b === true || b === "true";
        case "==":
          return equal(a, b);
        case "!=":
          return !equal(a, b);
        case ">":
          return Number(a) > Number(b);
        case "+":
          return Number(a) + Number(b);
        case "*":
          return Number(a) * Number(b);
        default: // an operator our expressions do not use
          return unknown(node.src);
      }
    }
    case "cond": {
      const c = evalNode(node.c, scope);
      if (c === true || c === "true") return evalNode(node.t, scope);
      if (c === false || c === "false") return evalNode(node.f, scope);
      return unknown(node.src);
    }
    case "tuple":
      return node.items.map((i) => evalNode(i, scope));
    case "object": {
      const out: Record<string, Value> = {};
      for (const [k, v] of node.entries) {
        const key = evalNode(k, scope);
        if (key instanceof Unknown || key === null || typeof key === "object") return unknown("{...}");
        out[String(key)] = evalNode(v, scope);
      }
      return out;
    }
  }
}

/** Evaluates one expression's source (the text inside `${ }`). A syntax we do not read is unknown. */
export function evaluate(expression: string, scope: Scope): Value {
  try {
    return evalNode(parseExpression(expression), scope);
  } catch (e) {
    if (e instanceof SyntaxError) return new Unknown(expression, scope.module);
    throw e;
  }
}

/**
 * Resolves a value of Terraform JSON syntax: strings are templates (`"${var.x}"` is the variable's
 * value itself; `"a-${var.x}"` a string), arrays and objects are resolved member by member.
 */
export function resolve(value: unknown, scope: Scope): Value {
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    try {
      const node: Node = {
        k: "tmpl",
        parts: templateParts(value, false).map((p) => (typeof p === "string" ? p : parseExpression(p[0]))),
        src: value,
      };
      return evalNode(node, scope);
    } catch (e) {
      if (e instanceof SyntaxError) return new Unknown(value, scope.module);
      throw e;
    }
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, scope));
  if (value && typeof value === "object") {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolve(v, scope);
    return out;
  }
  return (value ?? null) as Value;
}
