/**
 * Token helpers every module uses where cdktf's builders fall short, so a module never writes a Terraform
 * reference as text (issue 22; the lint rule in eslint.config.mjs):
 *  - literal operands cdktf's `Op` drops (`Op.eq(x, 0)` renders `x == undefined`): `ZERO`, `NULL`, `EMPTY_LIST`;
 *  - `toggle(flag)`: the `count` of a resource that exists when `flag` holds (`flag ? 1 : 0`);
 *  - `firstOf(resource, attribute)`: `<resource>[0].<attribute>` of a counted resource;
 *  - `hcl\`…\``: an HCL expression whose references are all tokens, for what cdktf's iterators cannot write
 *    with the same text (for-expressions with their own variable names and `if` clauses, objects with bare keys);
 *  - `hclExpr\`…\``: the same as an expression token, for a part that other expressions embed (it nests).
 */
import { conditional, Lazy, propertyAccess, ref, Token, type IResolvable, type TerraformResource } from "cdktf";

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
