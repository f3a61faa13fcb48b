/**
 * Token helpers every module uses where cdktf's builders fall short, so a module never writes a Terraform
 * reference as text (issue 22; the lint rule in eslint.config.mjs):
 *  - literal operands cdktf's `Op` drops (`Op.eq(x, 0)` renders `x == undefined`): `ZERO`, `NULL`, `EMPTY_LIST`;
 *  - `toggle(flag)`: the `count` of a resource that exists when `flag` holds (`flag ? 1 : 0`);
 *  - `firstOf(resource, attribute)`: `<resource>[0].<attribute>` of a counted resource;
 *  - `hcl\`…\``: an HCL expression whose references are all tokens, for what cdktf's iterators cannot write
 *    with the same text (for-expressions with their own variable names and `if` clauses, objects with bare keys);
 *  - `hclExpr\`…\``: the same as an expression token, for a part that other expressions embed (it nests);
 *  - `presenceToken(presence, variable)`: a typed `count`/`for_each` (rules.ts `Presence`) as cdktf writes it.
 */
import { conditional, Fn, Lazy, Op, propertyAccess, ref, Token, type IResolvable, type TerraformResource } from "cdktf";
import { hcl as ruleHcl, hclTerm, knobsOf, type CompareOp, type Presence, type Rule, type Term } from "./rules";

/** The HCL number `0`, produced at synthesis: cdktf renders a literal 0 operand as `undefined`. */
export const ZERO = Lazy.numberValue({ produce: () => 0 });
/** The HCL `null`: cdktf renders a JavaScript `null` operand as `undefined`. */
export const NULL = ref("null");
/** The HCL empty list `[]` as an expression (a JavaScript `[]` would be written as JSON, not as HCL). */
export const EMPTY_LIST = ref("[]");

/** `count` of a resource that exists when `flag` holds: `${flag ? 1 : 0}` (counted() reads it as a switch). */
export function toggle(flag: boolean | IResolvable): IResolvable {
  return conditional(flag, 1, 0);
}

/** `<resource>[0].<attribute>` of a counted resource, as a string token. */
export function firstOf(resource: TerraformResource, attribute: string): string {
  return Token.asString(propertyAccess(resource, [ZERO, attribute]));
}

/**
 * `${…}` of an HCL expression whose references are tokens, e.g.
 * hcl`[for az in ${azs} : ${propertyAccess(subnet, [AZ, "id"])}]`: only the glue (`for … in …`, `if`, braces) is
 * text, so a mistyped reference is a TypeScript error.
 */
export function hcl(glue: TemplateStringsArray, ...tokens: unknown[]): string {
  return "${" + joined(glue, tokens) + "}";
}

/**
 * hcl`…` as an expression token: `${…}` where it stands alone, bare inside another expression (hcl`…`,
 * `Fn.*`, `jsonencode`), e.g. a member id that alarm names, dimensions and for-expressions all embed.
 */
export function hclExpr(glue: TemplateStringsArray, ...tokens: unknown[]): IResolvable {
  return ref(joined(glue, tokens));
}

function joined(glue: TemplateStringsArray, tokens: unknown[]): string {
  return glue.reduce((out, text, i) => out + (i === 0 ? "" : Token.asString(tokens[i - 1])) + text, "");
}

const COMPARE: Record<CompareOp, (a: unknown, b: unknown) => IResolvable> = {
  "==": Op.eq,
  "!=": Op.neq,
  "<": Op.lt,
  "<=": Op.lte,
  ">": Op.gt,
  ">=": Op.gte,
};

/**
 * A rule or term of rules.ts as a cdktf expression: `variable(name)` is the module's variable a knob name reads, or
 * its local for `local.<name>`.
 */
export function expression(x: Rule | Term, variable: (name: string) => unknown): unknown {
  const of = (y: Rule | Term) => expression(y, variable);
  switch (x.kind) {
    case "knob":
      return variable(x.name);
    case "is-true":
      return variable(x.knob);
    case "literal":
      return x.value === 0 ? ZERO : x.value;
    case "list":
      return [...x.values];
    case "empty-map":
      return {};
    case "local":
      return variable(`local.${x.name}`);
    case "if":
      return conditional(of(x.rule), of(x.then), of(x.else));
    case "at":
      return propertyAccess(of(x.list), [x.index]);
    case "items":
      return x.items.map(of);
    case "null":
      return NULL;
    case "length":
      return Fn.lengthOf(of(x.list));
    case "times":
      return Op.mul(of(x.left), of(x.right));
    case "compare":
      return COMPARE[x.op](of(x.left), of(x.right));
    case "member":
      return Fn.contains(of(x.list) as unknown[], of(x.item));
    case "not":
      return Op.not(of(x.rule));
    case "all":
      return x.rules.map(of).reduce((a, b) => Op.and(a, b));
    case "any":
      return x.rules.map(of).reduce((a, b) => Op.or(a, b));
    default:
      throw new Error(`presence: a ${x.kind} is not written as a count`);
  }
}

/** The `count` (`when ? 1 : 0`, or a number) or `for_each` (`toset(list)`) a presence declares, written by cdktf. */
export function presenceToken(p: Presence, variable: (name: string) => unknown): IResolvable {
  if (p.each) {
    const each = expression(p.each, variable);
    return Token.asAny(p.map ? each : Fn.toset(each)) as IResolvable;
  }
  if (p.text) {
    for (const name of [...(p.when ? knobsOf(p.when) : []), ...(p.count ? knobsOf(p.count) : [])]) variable(name);
    const count = p.count ? hclTerm(p.count) : "1";
    return ref(p.when ? `${ruleHcl(p.when)} ? ${count} : 0` : count);
  }
  const count = p.count === undefined ? 1 : expression(p.count, variable);
  if (!p.when) return Token.asAny(count) as IResolvable;
  return p.count === undefined
    ? toggle(expression(p.when, variable) as IResolvable)
    : conditional(expression(p.when, variable), count, 0);
}
