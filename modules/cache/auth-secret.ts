/**
 * cache — the AUTH token and its secret: a UUID made once by Terraform (`terraform_data.auth_token`), kept in a
 * KMS-encrypted Secrets Manager secret the app reads by ARN (JSON: token, host, port, url), never in tfvars or
 * plain outputs. Secret and version exist only while `redis_auth_enabled` is true.
 */
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Fn, propertyAccess, Token, type DataResource } from "cdktf";
import type { Construct } from "constructs";
import { generatedValue } from "../../lib/constructs/generated-token";
import { rotationWaiverTags, ROTATION_WAIVERS } from "../../lib/constructs/rotation";
import { named, present } from "../../lib/core/module-stack";
import { CACHE_PRESENCE } from "./config";

export interface AuthSecretProps {
  /** Token of the `secret_prefix` input: the secret is `<prefix>/redis-auth`. */
  readonly secretPrefix: string;
  /** Token of the `data_kms_key_arn` input. */
  readonly dataKey: string;
  /** `terraform_data.auth_token`. */
  readonly token: DataResource;
  /** Endpoint address, port and credential-free URL of the group. */
  readonly host: string;
  readonly port: number;
  readonly url: string;
}

/** `aws_secretsmanager_secret.redis_auth` and its version, counted by the AUTH knob. */
export function authSecret(scope: Construct, p: AuthSecretProps): SecretsmanagerSecret {
  const secret = named(
    new SecretsmanagerSecret(scope, "auth_secret", {
      name: `${p.secretPrefix}/redis-auth`,
      description: "Redis AUTH token and connection details, read by the app through ECS secrets",
      kmsKeyId: p.dataKey,
      // Deleted at once, never scheduled (docs/decisions.md D45): the token only opens this
      // group, Terraform keeps it in state, and a scheduled deletion would hold the name for up
      // to 30 days, so re-enabling Redis after a rollback (seed 000 §7.3) would fail.
      recoveryWindowInDays: 0,
      // No hosted rotation function rotates an AUTH token (D172): rotated by hand, old and new valid together.
      tags: rotationWaiverTags(ROTATION_WAIVERS.redisAuth),
    }),
    "redis_auth",
  );
  present(secret, CACHE_PRESENCE);
  const version = named(
    new SecretsmanagerSecretVersion(scope, "auth_secret_version", {
      secretId: Token.asString(propertyAccess(secret, [0, "id"])),
      secretString: Fn.jsonencode({ token: generatedValue(p.token), host: p.host, port: p.port, url: p.url }),
    }),
    "redis_auth",
  );
  present(version, CACHE_PRESENCE);
  return secret;
}
