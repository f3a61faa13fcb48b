/**
 * A SecureString SSM parameter whose value carries a credential (a connection URL with its password or
 * token), written with the write-only `value_wo` (aws provider 5.100, Terraform >= 1.11): Terraform sends
 * it to SSM and keeps it neither in the plan nor in this resource's state (D104). Write-only values are
 * sent only when `value_wo_version` changes, so the version follows a `terraform_data` that is replaced
 * whenever anything in the URL changes (`triggers`): a new password, a new endpoint.
 */
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { DataResource } from "cdktf";
import type { Construct } from "constructs";
import { expr, named } from "../core/module-stack";

export interface UrlParameterProps {
  /** Terraform name: `aws_ssm_parameter.<id>`, its version `terraform_data.<id>_version`. */
  readonly id: string;
  /** Full parameter name (`/<project>/<workspace>/DATABASE_URL`). */
  readonly name: string;
  readonly description: string;
  /** The value, a Terraform template string. */
  readonly value: string;
  /** HCL expressions whose change rewrites the parameter. */
  readonly triggers: readonly string[];
  /** KMS key of the SecureString. */
  readonly dataKey: string;
}

export function urlParameter(scope: Construct, p: UrlParameterProps): SsmParameter {
  named(
    new DataResource(scope, `${p.id}_version_source`, {
      triggersReplace: expr(`[${p.triggers.join(", ")}]`) as unknown as Record<string, string>,
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
      valueWoVersion: expr(`parseint(substr(terraform_data.${p.id}_version.id, 0, 7), 16)`) as unknown as number,
    }),
    p.id,
  );
}
