/**
 * A secret value Terraform makes once and keeps in state: `terraform_data` whose input is `uuid()`
 * with `ignore_changes = [input]` (no random provider is available here, D22). Its `output` is the
 * value; `-replace=<address>` (or a change of `replaceWhen`) makes a new one. Used for the Redis AUTH
 * token, the database passwords and CloudFront's origin header.
 */
import { DataResource, Fn, Token } from "cdktf";
import type { Construct } from "constructs";
import { named } from "../core/module-stack";

export function generatedToken(
  scope: Construct,
  logicalId: string,
  options: {
    /** A token whose change replaces the value (`triggers_replace`), e.g. a password version variable. */
    readonly replaceWhen?: string | number;
  } = {},
): DataResource {
  return named(
    new DataResource(scope, `${logicalId}_source`, {
      input: Token.asAnyMap(Fn.uuid()),
      ...(options.replaceWhen !== undefined ? { triggersReplace: Token.asAnyMap(options.replaceWhen) } : {}),
      lifecycle: { ignoreChanges: ["input"] },
    }),
    logicalId,
  );
}

/** The generated value (`terraform_data.<id>.output`) as a string token. */
export function generatedValue(token: DataResource): string {
  return Token.asString(token.output);
}
