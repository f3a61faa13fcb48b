/**
 * database — SSM parameters holding the connection URLs, written write-only (D104, D105): the application user's
 * (DATABASE_URL) and, for the migrations task, the master's.
 */
import type { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import type { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Token } from "cdktf";
import type { Construct } from "constructs";
import { generatedValue } from "../../lib/constructs/generated-token";
import { urlParameter } from "../../lib/constructs/url-parameter";
import { postgresTlsQuery } from "./config";
import type { DatabaseSecrets } from "./secrets";

export interface UrlParametersProps {
  /** Token of `url_parameter_path` (`/<project>/<workspace>/`) and the parameters' names under it. */
  readonly path: string;
  readonly app: string;
  readonly master?: string;
  /** The RDS CA bundle's path in the image (`sslrootcert`). */
  readonly caBundle: string;
  readonly primary: DbInstance;
  readonly secrets: DatabaseSecrets;
  /** Token of `app_username`. */
  readonly appUsername: string;
  readonly dataKey: string;
}

/** `aws_ssm_parameter.database_url` and, with `master`, `aws_ssm_parameter.migrations_database_url`. */
export function databaseUrlParameters(
  scope: Construct,
  p: UrlParametersProps,
): { app: SsmParameter; master?: SsmParameter } {
  const db = p.primary;
  const port = Token.asString(db.port);
  const tls = postgresTlsQuery(p.caBundle);
  const hostPart = `@${db.address}:${port}/${db.dbName}?${tls}`;
  const app = urlParameter(scope, {
    id: "database_url",
    name: `${p.path}${p.app}`,
    description: "postgresql:// URL of the application user (written by Terraform, write-only: never in plan or state)",
    value: `postgresql://${p.appUsername}:${generatedValue(p.secrets.appPassword)}${hostPart}`,
    // The TLS query is a trigger too: changing it (D164) rewrites the URLs once.
    triggers: [p.appUsername, p.secrets.appPassword.id, db.address, db.port, tls],
    dataKey: p.dataKey,
  });
  if (!p.master) return { app };
  const master = urlParameter(scope, {
    id: "migrations_database_url",
    name: `${p.path}${p.master}`,
    description:
      "postgresql:// URL of the master user, for the migrations task only (written by Terraform, write-only)",
    value: `postgresql://${db.username}:${generatedValue(p.secrets.masterPassword)}${hostPart}`,
    triggers: [p.secrets.masterPassword.id, db.address, db.port, tls],
    dataKey: p.dataKey,
  });
  return { app, master };
}
