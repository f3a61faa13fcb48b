/**
 * Structural checks on connection URLs Terraform writes (D164): read from the synthesized JSON as written, never
 * evaluated. A `postgres://`/`postgresql://` URL must verify the server against a CA bundle it names
 * (`sslmode=verify-full` or `verify-ca`, with `sslrootcert`). node-postgres (pg-connection-string) treats
 * `require` as `verify-full` against Node's own CA list, which lacks Amazon RDS's CAs, so the connection fails;
 * `no-verify` and libpq's `require` encrypt without knowing whom they talk to.
 */
import type { Json } from "../synthesized";
import type { Check, Finding } from "./check";
import type { PolicyResource } from "./model";

/** Sources of the URL rule. */
export const POSTGRES_URL_SOURCES = [
  "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
  "https://github.com/brianc/node-postgres/tree/master/packages/pg-connection-string#tcp-connections",
];

const URL_RE = /postgres(?:ql)?:\/\/[^\s"'`]+/g;

/** Every string under a value, as written. */
function strings(v: Json, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => strings(x as Json, out));
  return out;
}

/** What is wrong with one URL's TLS parameters, if anything. */
export function postgresUrlProblem(url: string): string | undefined {
  const q = url.indexOf("?");
  const params = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
  const mode = params.get("sslmode");
  if (mode !== "verify-full" && mode !== "verify-ca") {
    return `sslmode=${mode ?? "(none)"}: node-postgres then verifies against Node's CA list, which lacks the RDS CA (or does not verify at all); use sslmode=verify-full&sslrootcert=<the RDS CA bundle in the image>`;
  }
  if (!params.get("sslrootcert")) return `sslmode=${mode} without sslrootcert: name the RDS CA bundle the image ships`;
  return undefined;
}

function urlFindings(r: PolicyResource): Finding[] {
  const urls = strings(r.raw ?? {}).flatMap((s) => s.match(URL_RE) ?? []);
  if (urls.length === 0) return [];
  const problem = urls.map(postgresUrlProblem).find((p) => p !== undefined);
  return [{ address: r.address, problem }];
}

export const URL_CHECKS: readonly Check[] = [
  {
    id: "postgres-url-verifies-server",
    title:
      "PostgreSQL URLs Terraform writes verify the server with the RDS CA bundle (sslmode=verify-full, sslrootcert)",
    category: "encryption",
    upstream: [],
    severity: "high",
    scope: "all",
    sources: POSTGRES_URL_SOURCES,
    evaluate: (m) => m.resources.flatMap(urlFindings),
  },
];
