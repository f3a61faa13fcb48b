/**
 * A secret value Terraform makes once and keeps in state: `terraform_data` whose input is `uuid()`
 * with `ignore_changes = [input]` (no random provider is available here, D22). Its `output` is the
 * value; `-replace=<address>` (or a change of `replaceWhen`) makes a new one. Used for the Redis AUTH
 * token, the database passwords and CloudFront's origin header.
 */
import { DataResource } from "cdktf";
import type { Construct } from "constructs";
import { expr, named } from "../core/module-stack";

export function generatedToken(
  scope: Construct,
  logicalId: string,
  options: { readonly replaceWhen?: string } = {},
): DataResource {
  return named(
    new DataResource(scope, `${logicalId}_source`, {
      input: expr("uuid()") as unknown as Record<string, string>,
      ...(options.replaceWhen
        ? { triggersReplace: expr(options.replaceWhen) as unknown as Record<string, string> }
        : {}),
      lifecycle: { ignoreChanges: ["input"] },
    }),
    logicalId,
  );
}
