/** `count = <flag> ? 1 : 0` on a resource of the cdn module, from a boolean token. */
import { conditional, DefaultTokenResolver, StringConcat, Tokenization, type IResolvable } from "cdktf";
import type { TerraformResource } from "cdktf";
import { counted } from "../../lib/core/module-stack";

/**
 * The HCL of `<flag> ? 1 : 0` (without `${}`), for helpers whose count is an HCL string (security's logsKey).
 * `counted` also reads its count before tokens resolve, so a token count on a resource with a name reads as
 * "may exceed one" (D130); resolving it first keeps the check exact.
 */
export function toggleHcl(scope: TerraformResource, flag: IResolvable): string {
  const resolved = Tokenization.resolve(conditional(flag, 1, 0), {
    scope,
    resolver: new DefaultTokenResolver(new StringConcat()),
  }) as string;
  return resolved.slice(2, -1);
}

/** `count = <flag> ? 1 : 0` through `counted`. */
export function countedIf<T extends TerraformResource>(element: T, flag: IResolvable): T {
  return counted(element, toggleHcl(element, flag));
}
