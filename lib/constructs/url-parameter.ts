/**
 * A SecureString SSM parameter whose value carries a credential (a connection URL with its password or
 * token), written with the write-only `value_wo` (aws provider 5.100, Terraform >= 1.11): Terraform sends
 * it to SSM and keeps it neither in the plan nor in this resource's state (D104). Write-only values are
 * sent only when `value_wo_version` changes, so the version follows a `terraform_data` that is replaced
 * whenever anything in the URL changes (`triggers`): a new password, a new endpoint.
 */
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { DataResource, Fn, propertyAccess, Token } from "cdktf";
import type { Construct } from "constructs";
import { named } from "../core/module-stack";

export interface UrlParameterProps {
  /** Terraform name: `aws_ssm_parameter.<id>`, its version `terraform_data.<id>_version`. */
  readonly id: string;
  /** Full parameter name (`/<project>/<workspace>/DATABASE_URL`). */
  readonly name: string;
  readonly description: string;
  /** The value: a string with tokens (resource attributes, variables) or a token. */
  readonly value: string;
  /** Tokens (and literals) whose change rewrites the parameter, rendered as one HCL tuple. */
  readonly triggers: readonly unknown[];
  /** KMS key of the SecureString. */
  readonly dataKey: string;
}

export function urlParameter(scope: Construct, p: UrlParameterProps): SsmParameter {
  const version = named(
    new DataResource(scope, `${p.id}_version_source`, {
      // An empty property access renders the tuple itself: `[a, b, …]`.
      triggersReplace: Token.asAnyMap(propertyAccess([...p.triggers], [])),
    }),
    `${p.id}_version`,
  );
  return named(
    new SsmParameter(scope, `${p.id}_parameter`, {
      name: p.name,
      description: p.description,
      type: "SecureString",
      keyId: p.dataKey,
      valueWo: p.value,
      // A number that changes with the terraform_data's id (a UUID made at each replacement).
      valueWoVersion: Fn.parseint(Fn.substr(version.id, 0, 7), 16),
    }),
    p.id,
  );
}
