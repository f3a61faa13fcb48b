/**
 * Application secrets in Secrets Manager (`aws_secretsmanager_secret.app["<name>"]`, `<secret_prefix>/<name>`),
 * encrypted with the data key. Terraform creates them; operators set their values (never Terraform).
 */
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { TerraformIterator, Token } from "cdktf";
import { any as anyOf, compare, range } from "../../lib/core/rules";
import { rotationWaiverTags, ROTATION_WAIVERS } from "../../lib/constructs/rotation";
import { named, present } from "../../lib/core/module-stack";
import { SECURITY_PRESENCE } from "./config";
import { forExpr, type SecurityPart } from "./context";

/** Declares the secrets and output `secret_arns`; returns `var.secret_prefix` (`<project>/<env>`). */
export function appSecrets(part: SecurityPart, secretPrefix: string, dataKey: KmsKey): string {
  const { scope, input } = part;
  const secrets = part.settings.secrets;
  const prefix = input("secret_prefix", secretPrefix, {
    type: "string",
    description: "Path prefix of application secrets (`<project>/<env>`).",
  }).stringValue;
  const names = input("secret_names", secrets.names, {
    type: "list(string)",
    description: "Application secrets to create; values are set outside Terraform.",
  }).listValue;
  const recovery = input("secret_recovery_window_days", secrets.recoveryWindowDays, {
    type: "number",
    description: "Days a deleted secret can be restored: 0 or 7–30.",
    validations: [
      {
        condition: anyOf(
          compare("secret_recovery_window_days", "==", 0),
          range("secret_recovery_window_days", { min: 7, max: 30 }),
        ),
        errorMessage: "secret_recovery_window_days must be 0 (delete immediately) or 7–30 days.",
      },
    ],
  });
  const days = recovery.numberValue;
  const each = TerraformIterator.fromList(names);
  const secret = named(
    new SecretsmanagerSecret(scope, "app_secret", {
      description: "Application secret; set its value with aws secretsmanager put-secret-value",
      kmsKeyId: dataKey.arn,
      recoveryWindowInDays: days,
      // The value is a third party's (D173): rotated at its issuer, then put here by an operator.
      tags: rotationWaiverTags(ROTATION_WAIVERS.operatorValue),
    }),
    "app",
  );
  present(secret, SECURITY_PRESENCE);
  // Set after forEachOf, whose check of names cannot read an unresolved `each.key` token; the module's JSON is
  // checked again, resolved, before it is written (ModuleStack.toModuleJson).
  secret.name = `${prefix}/${Token.asString(each.key)}`;
  part.output(
    "secret_arns",
    forExpr`{ for k, s in ${secret.fqn} : k => s.arn }`,
    "Application secret ARNs by name (inject by ARN, never by value).",
  );
  return prefix;
}
