/**
 * SSM Parameter Store for the application's settings (seed 002: `/<project>/<workspace>/<NAME>`, D104).
 * The module creates the parameters operators own (`CLAUDE_API_KEY` …) as SecureString with the
 * placeholder `CHANGE_ME` and `ignore_changes = [value]`, so `aws ssm put-parameter --overwrite` is never
 * reverted by a later apply; the database and cache modules write DATABASE_URL and REDIS_URL themselves
 * (write-only). ECS reads them at task start through the execution role (`valueFrom`).
 */
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import type { Construct } from "constructs";
import type { PolicyStatement } from "../../lib/constructs/iam";
import { named } from "../../lib/core/module-stack";
import { PARAMETER_PLACEHOLDER } from "./config";

/** `CLAUDE_API_KEY` → `claude_api_key`: the Terraform name of a parameter. */
export function parameterResourceName(parameter: string): string {
  return parameter.toLowerCase();
}

/** The operators' parameters under the module's `parameter_path`, each with the placeholder value Terraform never restores; by name. */
export function placeholderParameters(
  scope: Construct,
  props: { readonly names: readonly string[]; readonly dataKey: string; readonly path: string },
): Record<string, SsmParameter> {
  return Object.fromEntries(
    props.names.map((p) => [
      p,
      named(
        new SsmParameter(scope, `parameter_${parameterResourceName(p)}`, {
          name: `${props.path}${p}`,
          description: `${p} of the application; set it with aws ssm put-parameter --overwrite (Terraform created it with ${PARAMETER_PLACEHOLDER} and never changes it back)`,
          type: "SecureString",
          keyId: props.dataKey,
          value: PARAMETER_PLACEHOLDER,
          lifecycle: { ignoreChanges: ["value"] },
        }),
        parameterResourceName(p),
      ),
    ]),
  );
}

/**
 * What the execution role needs to hand the parameters to the containers: GetParameters on the
 * environment's path only, and Decrypt of the data key only through SSM.
 */
export function parameterStatements(props: {
  readonly region: string;
  readonly accountId: string;
  readonly parameterPath: string;
  readonly dataKey: string;
}): PolicyStatement[] {
  return [
    {
      Sid: "ReadTaskParameters",
      Effect: "Allow",
      Action: "ssm:GetParameters",
      Resource: `arn:aws:ssm:${props.region}:${props.accountId}:parameter${props.parameterPath}*`,
    },
    {
      Sid: "DecryptTaskParameters",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: props.dataKey,
      Condition: { StringEquals: { "kms:ViaService": `ssm.${props.region}.amazonaws.com` } },
    },
  ];
}
