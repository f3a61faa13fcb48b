/**
 * database — the two credentials. Passwords are UUIDs made once at creation and kept in state (ignore_changes on
 * input); only the aws provider is available, so Terraform's built-in uuid() is the random source (as for the Redis
 * AUTH token). A new version in the environment file replaces the terraform_data, which makes a new UUID (rotation:
 * modules/database/README.md). Secrets `<prefix>/db-master` and `<prefix>/db-app` hold them with the connection.
 */
import type { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Fn, type DataResource } from "cdktf";
import type { Construct } from "constructs";
import { generatedToken, generatedValue } from "../../lib/constructs/generated-token";
import { rotationWaiverTags, ROTATION_WAIVERS } from "../../lib/constructs/rotation";
import { named } from "../../lib/core/module-stack";

export interface DatabaseSecrets {
  readonly masterPassword: DataResource;
  readonly appPassword: DataResource;
  readonly master: SecretsmanagerSecret;
  readonly app: SecretsmanagerSecret;
}

export interface SecretsProps {
  /** Tokens of the module's inputs. */
  readonly secretPrefix: string;
  readonly dataKey: string;
  readonly recoveryWindowDays: number;
  readonly masterPasswordVersion: number;
  readonly appPasswordVersion: number;
  /** The application secret's rotation waiver, when nothing rotates it (D170). */
  readonly appWaiver?: string;
}

/** `terraform_data.master_password` / `.app_password` and `aws_secretsmanager_secret.db_master` / `.db_app`. */
export function databaseSecrets(scope: Construct, p: SecretsProps): DatabaseSecrets {
  const secret = (id: string, logicalId: string, suffix: string, description: string, waiver?: string) =>
    named(
      new SecretsmanagerSecret(scope, id, {
        name: `${p.secretPrefix}/${suffix}`,
        description,
        kmsKeyId: p.dataKey,
        recoveryWindowInDays: p.recoveryWindowDays,
        ...(waiver ? { tags: rotationWaiverTags(waiver) } : {}),
      }),
      logicalId,
    );
  return {
    masterPassword: generatedToken(scope, "master_password", { replaceWhen: p.masterPasswordVersion }),
    appPassword: generatedToken(scope, "app_password", { replaceWhen: p.appPasswordVersion }),
    master: secret(
      "master_secret",
      "db_master",
      "db-master",
      "PostgreSQL master credentials (migrations and db-bootstrap only), JSON: username, password, host, port, dbname, engine",
      ROTATION_WAIVERS.dbMaster,
    ),
    app: secret(
      "app_secret",
      "db_app",
      "db-app",
      "PostgreSQL application user credentials (app and workers), JSON: username, password, host, port, dbname, engine, masterarn",
      p.appWaiver,
    ),
  };
}

/** The secrets' values: the credentials with the primary's connection. */
export function secretVersions(
  scope: Construct,
  secrets: DatabaseSecrets,
  p: { readonly primary: DbInstance; readonly appUsername: string },
): void {
  const connection = { host: p.primary.address, port: p.primary.port, dbname: p.primary.dbName };
  named(
    new SecretsmanagerSecretVersion(scope, "master_secret_version", {
      secretId: secrets.master.id,
      secretString: Fn.jsonencode({
        username: p.primary.username,
        password: generatedValue(secrets.masterPassword),
        ...connection,
        engine: "postgres",
      }),
    }),
    "db_master",
  );
  named(
    new SecretsmanagerSecretVersion(scope, "app_secret_version", {
      secretId: secrets.app.id,
      // engine and masterarn: the alternating-users rotation function reads them (D170). The username is the one
      // the app starts with; after a rotation the current version names `<app_username>_clone` or this one.
      secretString: Fn.jsonencode({
        username: p.appUsername,
        password: generatedValue(secrets.appPassword),
        ...connection,
        engine: "postgres",
        masterarn: secrets.master.arn,
      }),
    }),
    "db_app",
  );
}
