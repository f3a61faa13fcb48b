/**
 * The rule language (lib/core/rules.ts): what each kind prints, that syntax RE2 refuses is refused when
 * a rule is declared, and that the JavaScript check evaluates like Terraform (no short-circuit in
 * `all`/`any`; `implies` guards). That both back ends agree on values under real Terraform is
 * __tests__/terraform/rule-language.test.ts.
 */
import {
  all,
  any,
  assertRe2,
  compare,
  hcl,
  hclString,
  hclTerm,
  holds,
  implies,
  isTrue,
  join,
  knob,
  knobsOf,
  lit,
  lookup,
  matches,
  member,
  not,
  oneOf,
  range,
  RuleEvaluationError,
} from "../../lib/core/rules";

const TABLE = { 256: [512, 1024], 512: [1024] } as const;

test.each([
  [isTrue("a"), "var.a"],
  [range("n", { min: 1, max: 6 }), "var.n >= 1 && var.n <= 6"],
  [range("n", { min: 0, integer: true }), "var.n >= 0 && floor(var.n) == var.n"],
  [oneOf("cpu", [256, 512]), "contains([256, 512], var.cpu)"],
  [oneOf("s", ["a", "b"]), 'contains(["a", "b"], var.s)'],
  [matches("t", "^db\\.t3$"), 'can(regex("^db\\\\.t3$", var.t))'],
  [compare("a", "<=", "b"), "var.a <= var.b"],
  [compare(knob("s"), "==", lit("x")), 'var.s == "x"'],
  [
    member("m", lookup(TABLE, knob("cpu"), [])),
    'contains(lookup({ "256" = [512, 1024], "512" = [1024] }, tostring(var.cpu), []), var.m)',
  ],
  [
    member("m", lookup(TABLE, knob("cpu"))),
    'contains({ "256" = [512, 1024], "512" = [1024] }[tostring(var.cpu)], var.m)',
  ],
  [implies(isTrue("a"), range("n", { min: 2 })), "var.a ? var.n >= 2 : true"],
  [not(all(isTrue("a"), isTrue("b"))), "!(var.a && var.b)"],
  [all(any(isTrue("a"), isTrue("b")), isTrue("c")), "(var.a || var.b) && var.c"],
  [all(implies(isTrue("a"), isTrue("b")), isTrue("c")), "(var.a ? var.b : true) && var.c"],
  [implies(isTrue("a"), implies(isTrue("b"), isTrue("c"))), "var.a ? (var.b ? var.c : true) : true"],
  [not(compare("a", ">", 1)), "!(var.a > 1)"],
])("prints rule %# as HCL", (rule, text) => {
  expect(hcl(rule)).toBe(text);
});

test("a message placeholder prints and evaluates", () => {
  const valid = join(", ", lookup(TABLE, knob("cpu"), []));
  expect(hclTerm(valid)).toBe('join(", ", lookup({ "256" = [512, 1024], "512" = [1024] }, tostring(var.cpu), []))');
});

test("HCL strings escape quotes, backslashes and template sequences", () => {
  expect(hclString('a"b\\c${d}%{e}')).toBe('"a\\"b\\\\c$${d}%%{e}"');
});

test.each([
  ["(?<=a)b", "lookahead/lookbehind"],
  ["a(?!b)", "lookahead/lookbehind"],
  ["(a)\\1", "a backreference"],
  ["(?<n>a)b", "a named group"],
  ["\\u0041", "\\u or \\c escape"],
  ["[^]", "empty class"],
])("regex %s is refused at declaration (%s)", (source, what) => {
  expect(() => matches("t", source)).toThrow(what);
});

test("RE2-compatible regexes are accepted, escaped backslashes included", () => {
  expect(() => assertRe2("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")).not.toThrow();
  expect(() => assertRe2("^a\\\\1$")).not.toThrow();
});

test("all/any evaluate every operand, like Terraform; implies evaluates its consequence only when it applies", () => {
  const unguarded = any(not(oneOf("cpu", [256, 512])), member("m", lookup(TABLE, knob("cpu"))));
  expect(() => holds(unguarded, { cpu: 300, m: 512 })).toThrow(RuleEvaluationError);
  const guarded = implies(oneOf("cpu", [256, 512]), member("m", lookup(TABLE, knob("cpu"))));
  expect(holds(guarded, { cpu: 300, m: 512 })).toBe(true);
  expect(holds(guarded, { cpu: 256, m: 512 })).toBe(true);
  expect(holds(guarded, { cpu: 256, m: 2048 })).toBe(false);
});

test("knobsOf lists every knob a rule reads", () => {
  expect(knobsOf(implies(isTrue("a"), member("m", lookup(TABLE, knob("cpu"), [])))).sort()).toEqual(["a", "cpu", "m"]);
});
