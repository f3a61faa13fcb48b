/**
 * The rule language of knobs: what an operator-editable value must satisfy, written ONCE as a typed
 * value, with two back ends:
 *  - `holds(rule, values)`: the JavaScript check at synthesis (and in the policy gate);
 *  - `hcl(rule)`: the HCL `condition` of the root variable's `validation` block Terraform checks at plan.
 *
 * Kinds: `range` (min/max, whole numbers), `oneOf`, `matches` (an RE2-compatible regex: syntax only
 * JavaScript knows is refused when the rule is declared), `isTrue` (a control kept on: `keepsOn`),
 * `compare` over knobs and numbers, `member` of a table's list, and the connectives `not`, `all`,
 * `any`, `implies`.
 *
 * Terraform 1.11 evaluates both operands of `&&` and `||` (no short-circuit), so `all`/`any` are for
 * operands that are each safe to evaluate, and JavaScript evaluates them all too: an operand that
 * fails (`at`, a table entry that does not exist) fails both back ends alike. A rule that is only
 * safe once another holds is an `implies`, printed as a conditional (`a ? b : true`), which
 * evaluates only the branch it takes.
 */

/** A literal value a rule compares with. */
export type Literal = string | number | boolean;
/** A table of lists keyed by a value (Fargate CPU units → memory sizes). */
export type Table = Readonly<Record<string | number, readonly Literal[]>>;
/** What a rule reads: knob name → value. */
export type RuleValues = Readonly<Record<string, Literal>>;

/** A value a rule reads: a knob, a literal, a table entry or a joined list. */
export type Term<K extends string = string> =
  | { readonly kind: "knob"; readonly name: K }
  | { readonly kind: "literal"; readonly value: Literal }
  | { readonly kind: "list"; readonly values: readonly Literal[] }
  /** `table[key]`; with `fallback`, the fallback when the key is absent, else an error (both back ends). */
  | { readonly kind: "lookup"; readonly table: Table; readonly key: Term<K>; readonly fallback?: readonly Literal[] }
  | { readonly kind: "join"; readonly separator: string; readonly list: Term<K> }
  /** `length(list)`, `a * b`, and HCL's `null`: what a resource's `count` is made of (presence, below). */
  | { readonly kind: "length"; readonly list: Term<K> }
  | { readonly kind: "times"; readonly left: Term<K>; readonly right: Term<K> }
  | { readonly kind: "null" }
  /** `local.<name>`, `cond ? a : b`, `list[i]`, `[a, b]`, `{}`: what a module's switch locals are made of. */
  | { readonly kind: "local"; readonly name: string }
  | { readonly kind: "if"; readonly rule: Rule<K>; readonly then: Term<K>; readonly else: Term<K> }
  | { readonly kind: "at"; readonly list: Term<K>; readonly index: number }
  | { readonly kind: "items"; readonly items: readonly Term<K>[] }
  | { readonly kind: "empty-map" };

/** Every kind of term (a Record, so TypeScript fails here when a kind is added without it). */
const TERM_KINDS: Readonly<Record<Term["kind"], true>> = {
  knob: true,
  literal: true,
  list: true,
  lookup: true,
  join: true,
  length: true,
  times: true,
  null: true,
  local: true,
  if: true,
  at: true,
  items: true,
  "empty-map": true,
};

/** Whether a rule-language value is a term (a value) rather than a rule (a boolean). */
export const isTerm = (x: Rule | Term): x is Term => x.kind in TERM_KINDS;

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** A rule: a boolean over knob values. */
export type Rule<K extends string = string> =
  | { readonly kind: "is-true"; readonly knob: K }
  | {
      readonly kind: "range";
      readonly knob: K;
      readonly min?: number;
      readonly max?: number;
      readonly integer?: boolean;
    }
  | { readonly kind: "one-of"; readonly knob: K; readonly values: readonly Literal[] }
  | { readonly kind: "matches"; readonly knob: K; readonly source: string }
  | { readonly kind: "compare"; readonly left: Term<K>; readonly op: CompareOp; readonly right: Term<K> }
  | { readonly kind: "member"; readonly item: Term<K>; readonly list: Term<K> }
  | { readonly kind: "not"; readonly rule: Rule<K> }
  | { readonly kind: "all"; readonly rules: readonly Rule<K>[] }
  | { readonly kind: "any"; readonly rules: readonly Rule<K>[] }
  | { readonly kind: "implies"; readonly if: Rule<K>; readonly then: Rule<K> };

// --- builders -------------------------------------------------------------------------------------

/** The value of a knob. */
export const knob = <K extends string>(name: K): Term<K> => ({ kind: "knob", name });
/** A literal number, string or boolean. */
export const lit = (value: Literal): Term<never> => ({ kind: "literal", value });
/** `table[key]`, or `fallback` when the table has no such key (without one: an error, like Terraform's index). */
export const lookup = <K extends string>(table: Table, key: Term<K>, fallback?: readonly Literal[]): Term<K> => ({
  kind: "lookup",
  table,
  key,
  fallback,
});
/** A list term joined into a string (for messages). */
export const join = <K extends string>(separator: string, list: Term<K>): Term<K> => ({
  kind: "join",
  separator,
  list,
});

/** `length(list)`. */
export const lengthOf = <K extends string>(list: K | Term<K>): Term<K> => ({ kind: "length", list: termOf(list) });
/** `left * right`. */
export const times = <K extends string>(left: K | Term<K>, right: K | Term<K>): Term<K> => ({
  kind: "times",
  left: termOf(left),
  right: termOf(right),
});
/** HCL's `null` (an optional input left out). */
export const NULL_TERM: Term<never> = { kind: "null" };
/** `local.<name>` of the module (its value: the module's `<MODULE>_LOCALS` declaration, or unknown). */
export const local = (name: string): Term<never> => ({ kind: "local", name });
/** `rule ? then : else`. */
export const when = <K extends string>(
  rule: Rule<K>,
  then: K | number | Term<K>,
  otherwise: K | number | Term<K>,
): Term<K> => ({
  kind: "if",
  rule,
  then: termOf(then),
  else: termOf(otherwise),
});
/** `list[index]`. */
export const itemAt = <K extends string>(list: K | Term<K>, index: number): Term<K> => ({
  kind: "at",
  list: termOf(list),
  index,
});
/** `[a, b, …]` of terms. */
export const items = <K extends string>(...terms: Term<K>[]): Term<K> => ({ kind: "items", items: terms });
/** `[]` and `{}`. */
export const EMPTY_LIST_TERM: Term<never> = { kind: "list", values: [] };
export const EMPTY_MAP_TERM: Term<never> = { kind: "empty-map" };

/** The (boolean) knob is true: a control kept on. */
export const isTrue = <K extends string>(name: K): Rule<K> => ({ kind: "is-true", knob: name });
/** A number knob within [min, max] (each optional), a whole number when `integer`. */
export const range = <K extends string>(
  name: K,
  bounds: { readonly min?: number; readonly max?: number; readonly integer?: boolean },
): Rule<K> => ({ kind: "range", knob: name, ...bounds });
/** The knob is one of the values. */
export const oneOf = <K extends string>(name: K, values: readonly Literal[]): Rule<K> => ({
  kind: "one-of",
  knob: name,
  values,
});
/** The (string) knob matches the regex source, which must be RE2-compatible (checked here). */
export function matches<K extends string>(name: K, source: string): Rule<K> {
  assertRe2(source);
  return { kind: "matches", knob: name, source };
}
/** `left op right`; a string operand names a knob, a number is a literal. */
export const compare = <K extends string>(
  left: K | number | Term<K>,
  op: CompareOp,
  right: K | number | Term<K>,
): Rule<K> => ({
  kind: "compare",
  left: termOf(left),
  op,
  right: termOf(right),
});
/** `item` is in the list term (`contains(list, item)`). */
export const member = <K extends string>(item: K | Term<K>, list: Term<K>): Rule<K> => ({
  kind: "member",
  item: termOf(item),
  list,
});
export const not = <K extends string>(rule: Rule<K>): Rule<K> => ({ kind: "not", rule });
/** Every rule holds (each operand is evaluated: they must each be safe on their own). */
export const all = <K extends string>(...rules: Rule<K>[]): Rule<K> => ({ kind: "all", rules });
/** Some rule holds (each operand is evaluated: they must each be safe on their own). */
export const any = <K extends string>(...rules: Rule<K>[]): Rule<K> => ({ kind: "any", rules });
/** When `condition` holds, `then` must: `then` is evaluated only then (printed `condition ? then : true`). */
export const implies = <K extends string>(condition: Rule<K>, then: Rule<K>): Rule<K> => ({
  kind: "implies",
  if: condition,
  then,
});

function termOf<K extends string>(x: K | number | Term<K>): Term<K> {
  if (typeof x === "number") return lit(x);
  if (typeof x === "string") return knob(x);
  return x;
}

/**
 * Syntax JavaScript's RegExp accepts but RE2 (Terraform's `regex`) does not, or reads otherwise:
 * lookaround, backreferences, named groups, `\u` escapes, `\c` controls and the `[^]` class.
 */
const JS_ONLY_REGEX: readonly [RegExp, string][] = [
  [/\(\?<?[=!]/, "lookahead/lookbehind"],
  [/\\[1-9]|\\k</, "a backreference"],
  [/\(\?<[A-Za-z]|\(\?P</, "a named group"],
  [/\\u|\\c/, "a \\u or \\c escape"],
  [/\[\^?\]/, "an empty class ([] or [^])"],
];

/** Throws when the regex source is not valid in both JavaScript and RE2. */
export function assertRe2(source: string): void {
  // Escaped backslashes first, so `\\1` (a backslash, then 1) is not read as a backreference.
  const plain = source.replace(/\\\\/g, "");
  for (const [re, what] of JS_ONLY_REGEX) {
    if (re.test(plain))
      throw new Error(`regex ${source}: ${what} is not RE2 syntax (Terraform's regex would refuse it)`);
  }
  new RegExp(source);
}

// --- the JavaScript back end ----------------------------------------------------------------------

/** Thrown where Terraform's evaluation fails (a table entry that does not exist). */
export class RuleEvaluationError extends Error {}

type TermValue = Literal | readonly Literal[] | null | Readonly<Record<string, unknown>>;

function valueOf(values: RuleValues, name: string): Literal {
  return values[name];
}

export function evaluate(term: Term, values: RuleValues): TermValue {
  switch (term.kind) {
    case "knob":
      return valueOf(values, term.name);
    case "literal":
      return term.value;
    case "list":
      return term.values;
    case "lookup": {
      const key = String(evaluate(term.key, values));
      const entry = Object.prototype.hasOwnProperty.call(term.table, key) ? term.table[key] : undefined;
      if (entry !== undefined) return entry;
      if (term.fallback !== undefined) return term.fallback;
      throw new RuleEvaluationError(`the table has no key ${key}`);
    }
    case "join":
      return asList(evaluate(term.list, values)).join(term.separator);
    case "length":
      return asList(evaluate(term.list, values)).length;
    case "times":
      return Number(evaluate(term.left, values)) * Number(evaluate(term.right, values));
    case "null":
      return null;
    case "local":
      return (values as Readonly<Record<string, TermValue>>)[`local.${term.name}`];
    case "if":
      return holds(term.rule, values) ? evaluate(term.then, values) : evaluate(term.else, values);
    case "at": {
      // Terraform refuses an index past the end ("Invalid index"); so does this back end.
      const list = asList(evaluate(term.list, values));
      if (term.index >= list.length) throw new RuleEvaluationError(`index ${term.index} of a list of ${list.length}`);
      return list[term.index];
    }
    case "items":
      return term.items.map((t) => evaluate(t, values) as Literal);
    case "empty-map":
      return {};
  }
}

function asList(v: TermValue): readonly Literal[] {
  if (!Array.isArray(v)) throw new RuleEvaluationError(`${String(v)} is not a list`);
  return v as readonly Literal[];
}

function compareValues(a: TermValue, op: CompareOp, b: TermValue): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return Number(a) < Number(b);
    case "<=":
      return Number(a) <= Number(b);
    case ">":
      return Number(a) > Number(b);
    case ">=":
      return Number(a) >= Number(b);
  }
}

/** The JavaScript check: whether the values satisfy the rule (throws where Terraform would fail). */
export function holds(rule: Rule, values: RuleValues): boolean {
  switch (rule.kind) {
    case "is-true":
      return valueOf(values, rule.knob) === true;
    case "range": {
      const v = Number(valueOf(values, rule.knob));
      return (
        (rule.min === undefined || v >= rule.min) &&
        (rule.max === undefined || v <= rule.max) &&
        (!rule.integer || Number.isInteger(v))
      );
    }
    case "one-of":
      return rule.values.includes(valueOf(values, rule.knob));
    case "matches":
      return new RegExp(rule.source).test(String(valueOf(values, rule.knob)));
    case "compare":
      return compareValues(evaluate(rule.left, values), rule.op, evaluate(rule.right, values));
    case "member":
      return asList(evaluate(rule.list, values)).includes(evaluate(rule.item, values) as Literal);
    case "not":
      return !holds(rule.rule, values);
    case "all":
      // Every operand is evaluated, as Terraform does with `&&`.
      return rule.rules.map((r) => holds(r, values)).every(Boolean);
    case "any":
      return rule.rules.map((r) => holds(r, values)).some(Boolean);
    case "implies":
      return holds(rule.if, values) ? holds(rule.then, values) : true;
  }
}

/** The knobs a rule reads. */
export function knobsOf(rule: Rule | Term): string[] {
  const out = new Set<string>();
  const visit = (n: Rule | Term): void => {
    if ("knob" in n) out.add(n.knob);
    switch (n.kind) {
      case "knob":
        out.add(n.name);
        break;
      case "lookup":
        visit(n.key);
        break;
      case "join":
      case "length":
        visit(n.list);
        break;
      case "times":
        visit(n.left);
        visit(n.right);
        break;
      case "local":
        out.add(`local.${n.name}`);
        break;
      case "if":
        visit(n.rule);
        visit(n.then);
        visit(n.else);
        break;
      case "at":
        visit(n.list);
        break;
      case "items":
        n.items.forEach(visit);
        break;
      case "compare":
        visit(n.left);
        visit(n.right);
        break;
      case "member":
        visit(n.item);
        visit(n.list);
        break;
      case "not":
        visit(n.rule);
        break;
      case "all":
      case "any":
        n.rules.forEach(visit);
        break;
      case "implies":
        visit(n.if);
        visit(n.then);
        break;
    }
  };
  visit(rule);
  return [...out];
}

// --- the HCL back end -----------------------------------------------------------------------------

/** Binding strength of an HCL expression, loosest first (Terraform's operator precedence). */
const Prec = { Conditional: 1, Or: 2, And: 3, Equality: 4, Comparison: 5, Product: 6, Unary: 7, Atom: 8 } as const;
type Prec = (typeof Prec)[keyof typeof Prec];
interface Printed {
  readonly text: string;
  readonly prec: Prec;
}
const atom = (text: string): Printed => ({ text, prec: Prec.Atom });
/** The text of `p`, in parentheses when it binds looser than `min`. */
const at = (p: Printed, min: Prec): string => (p.prec < min ? `(${p.text})` : p.text);

/** An HCL string literal (quotes, backslashes and template sequences escaped). */
export function hclString(s: string): string {
  const escaped = s
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, "%%{");
  return `"${escaped}"`;
}

const literal = (v: Literal): string => (typeof v === "string" ? hclString(v) : String(v));
const list = (vs: readonly Literal[]): string => `[${vs.map(literal).join(", ")}]`;
const table = (t: Table): string =>
  `{ ${Object.entries(t)
    .map(([k, vs]) => `${hclString(k)} = ${list(vs)}`)
    .join(", ")} }`;

function printTerm(term: Term): Printed {
  switch (term.kind) {
    case "knob":
      return atom(`var.${term.name}`);
    case "literal":
      return atom(literal(term.value));
    case "list":
      return atom(list(term.values));
    case "lookup": {
      const key = `tostring(${printTerm(term.key).text})`;
      return atom(
        term.fallback === undefined
          ? `${table(term.table)}[${key}]`
          : `lookup(${table(term.table)}, ${key}, ${list(term.fallback)})`,
      );
    }
    case "join":
      return atom(`join(${hclString(term.separator)}, ${printTerm(term.list).text})`);
    case "length":
      return atom(`length(${printTerm(term.list).text})`);
    case "times":
      return binary(printTerm(term.left), "*", printTerm(term.right), Prec.Product);
    case "null":
      return atom("null");
    case "local":
      return atom(`local.${term.name}`);
    case "if":
      return {
        text: `${at(printRule(term.rule), Prec.Or)} ? ${at(printTerm(term.then), Prec.Or)} : ${at(printTerm(term.else), Prec.Or)}`,
        prec: Prec.Conditional,
      };
    case "at":
      return atom(`${printTerm(term.list).text}[${term.index}]`);
    case "items":
      return atom(`[${term.items.map((t) => printTerm(t).text).join(", ")}]`);
    case "empty-map":
      return atom("{}");
  }
}

const COMPARE_PREC: Record<CompareOp, Prec> = {
  "==": Prec.Equality,
  "!=": Prec.Equality,
  "<": Prec.Comparison,
  "<=": Prec.Comparison,
  ">": Prec.Comparison,
  ">=": Prec.Comparison,
};

function binary(left: Printed, op: string, right: Printed, prec: Prec): Printed {
  // Left-associative: the left operand may bind as loosely as the operator, the right one tighter.
  return { text: `${at(left, prec)} ${op} ${at(right, (prec + 1) as Prec)}`, prec };
}

function joined(parts: Printed[], op: string, prec: Prec): Printed {
  return parts.length === 1 ? parts[0] : { text: parts.map((p) => at(p, prec)).join(` ${op} `), prec };
}

function printRule(rule: Rule): Printed {
  switch (rule.kind) {
    case "is-true":
      return atom(`var.${rule.knob}`);
    case "range": {
      const v = atom(`var.${rule.knob}`);
      const parts: Printed[] = [];
      if (rule.min !== undefined) parts.push(binary(v, ">=", atom(String(rule.min)), Prec.Comparison));
      if (rule.max !== undefined) parts.push(binary(v, "<=", atom(String(rule.max)), Prec.Comparison));
      if (rule.integer) parts.push(binary(atom(`floor(${v.text})`), "==", v, Prec.Equality));
      if (parts.length === 0) return atom("true");
      return joined(parts, "&&", Prec.And);
    }
    case "one-of":
      return atom(`contains(${list(rule.values)}, var.${rule.knob})`);
    case "matches":
      return atom(`can(regex(${hclString(rule.source)}, var.${rule.knob}))`);
    case "compare":
      return binary(printTerm(rule.left), rule.op, printTerm(rule.right), COMPARE_PREC[rule.op]);
    case "member":
      return atom(`contains(${printTerm(rule.list).text}, ${printTerm(rule.item).text})`);
    case "not":
      return { text: `!${at(printRule(rule.rule), Prec.Unary)}`, prec: Prec.Unary };
    case "all":
      return rule.rules.length === 0 ? atom("true") : joined(rule.rules.map(printRule), "&&", Prec.And);
    case "any":
      return rule.rules.length === 0 ? atom("false") : joined(rule.rules.map(printRule), "||", Prec.Or);
    case "implies":
      // A conditional, not `!a || b`: Terraform evaluates both operands of `||`.
      return {
        text: `${at(printRule(rule.if), Prec.Or)} ? ${at(printRule(rule.then), Prec.Or)} : true`,
        prec: Prec.Conditional,
      };
  }
}

/** The HCL back end: the rule as a Terraform condition over `var.<knob>` (without `${}`). */
export function hcl(rule: Rule): string {
  return printRule(rule).text;
}

/** The HCL of a term (a message placeholder Terraform evaluates). */
export function hclTerm(term: Term): string {
  return printTerm(term).text;
}

// --- presence: whether a resource of a module exists ----------------------------------------------

/**
 * The `count` or `for_each` of a module's optional resource as a typed value, declared once per address in the
 * module's config.ts (`<MODULE>_PRESENCE`): the module writes the resource's `count`/`for_each` from it
 * (module-stack.ts `present`, through cdktf, so the HCL is cdktf's), and the policy gate reads whether the resource
 * exists from the same value (`exists`), the module's inputs read by name (tools/policy/model.ts), D211.
 */
export type Presence<K extends string = string> =
  /**
   * `count = when ? 1 : 0`, or `when ? count : 0`; `count = <number>` without `when`. `text`: written as this file's
   * HCL back end prints it (`a > 1 ? 1 : 0`, `a * b`), where the count has always read so, rather than through cdktf.
   */
  | {
      readonly when?: Rule<K>;
      readonly count?: Term<K>;
      readonly text?: boolean;
      readonly each?: undefined;
      /** Each `dynamic "<block>"` of the resource, by its content's `name`: present while the rule holds (`rule ? [1] : []`). */
      readonly blocks?: Readonly<Record<string, Readonly<Record<string, Rule<K>>>>>;
    }
  /** `for_each = toset(<list>)`, or `for_each = <map>` with `map` */
  | { readonly each: Term<K>; readonly map?: boolean };

/** A module's presence declarations: resource type → name → presence; name `*` for every other resource of the type. */
export type PresenceTable<K extends string = string> = Readonly<Record<string, Readonly<Record<string, Presence<K>>>>>;

/** The presence a table declares for resource `<type>.<name>`, if any. */
export const presenceOf = (table: PresenceTable, type: string, name: string): Presence | undefined =>
  table[type]?.[name] ?? table[type]?.["*"];

/** Whether the resource exists for these input values (lists and null allowed). */
export function exists(p: Presence, values: Readonly<Record<string, unknown>>): boolean {
  const v = values as RuleValues;
  if (p.each) {
    const each = evaluate(p.each, v);
    return Array.isArray(each) ? each.length > 0 : Object.keys(each ?? {}).length > 0;
  }
  return (p.when === undefined || holds(p.when, v)) && (p.count === undefined || Number(evaluate(p.count, v)) > 0);
}
