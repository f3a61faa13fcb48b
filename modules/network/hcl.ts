/**
 * Token helpers of the network and dr modules: HCL the cdktf builders cannot write with the modules' text.
 *
 * Every reference inside is a token (a variable's value, a resource attribute, `propertyAccess`), never text;
 * only the HCL glue around them (`for … in …`, `if`, object braces) is written here, so the synthesized files
 * stay the same (up to the parentheses cdktf's operators add) while a mistyped reference is a TypeScript error.
 * Candidates for lib/core once other modules need them.
 */
import { DefaultTokenResolver, ref, StringConcat, Token, Tokenization, type IResolvable } from "cdktf";
import type { Construct } from "constructs";

/** The HCL number `0`: `Op.eq(x, 0)` would drop a literal 0 operand (cdktf renders it `undefined`). */
export const ZERO = ref("0");
/** The HCL `null`: cdktf renders a JavaScript `null` operand as `undefined`. */
export const NULL = ref("null");
/** The HCL empty list `[]` as an expression (a JavaScript `[]` would be written as JSON, not as HCL). */
export const EMPTY_LIST = ref("[]");

/**
 * `${…}` of an HCL expression whose references are tokens, e.g.
 * hcl`[for az in ${azs} : ${propertyAccess(subnet, [AZ, "id"])}]`. For what cdktf's iterators cannot render
 * with the same text: for-expressions with their own variable names and `if` clauses, objects with bare keys.
 */
export function hcl(glue: TemplateStringsArray, ...tokens: unknown[]): string {
  return "${" + glue.reduce((out, text, i) => out + (i === 0 ? "" : Token.asString(tokens[i - 1])) + text, "") + "}";
}

/** Loop variable `az` of the module's for-expressions. */
export const AZ = ref("az");

/**
 * A `count` token as HCL text (`var.enable_flow_logs ? 1 : 0`, `local.nat_instance`), for `counted` and
 * `logsKey`: lib/core's name check (D130) reads the count's text at construction and cannot see through an
 * unresolved token, so the token is resolved here, from the typed value, not written by hand.
 */
export function countOf(scope: Construct, count: IResolvable | number): string {
  const text = String(Tokenization.resolve(count, { scope, resolver: new DefaultTokenResolver(new StringConcat()) }));
  if (!text.startsWith("${") || !text.endsWith("}")) throw new Error(`countOf: not an expression: ${text}`);
  return text.slice(2, -1);
}
