/**
 * Reading resolved resource arguments, shared by the checks (checks.ts) and the apply-time rules
 * (apply-checks.ts). A leaf module: it imports only types from checks.ts, so both can use it.
 */
import { isUnknown, type Value } from "./value";
import type { Check, Finding } from "./check";
import type { PolicyModel, PolicyResource } from "./model";

export const isTrue = (v: Value | undefined) => v === true || v === "true";
export const isSet = (v: Value | undefined) =>
  v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
export const num = (v: Value | undefined) =>
  typeof v === "number" ? v : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
/** Terraform JSON writes a nested block as an object or a list of objects. */
export function blocks(v: Value | undefined): Record<string, Value>[] {
  if (Array.isArray(v))
    return v.filter(
      (b): b is Record<string, Value> => !!b && typeof b === "object" && !Array.isArray(b) && !isUnknown(b),
    );
  if (v && typeof v === "object" && !isUnknown(v)) return [v as Record<string, Value>];
  return [];
}
export const block = (v: Value | undefined): Record<string, Value> | undefined => blocks(v)[0];
/** A value as a list: a list as is, nothing (undefined or null) as [], anything else as [it]. */
export const list = <T>(v: T | T[] | undefined | null): T[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
/** The text of a value: a string as is, an unknown as its expression; else undefined. */
export const text = (v: Value | undefined): string | undefined =>
  isUnknown(v) ? v.expr : typeof v === "string" ? v : undefined;

/** Whether `v` references resource `r` (`aws_s3_bucket.logs.id`, `aws_x.this[0].arn`); an unknown must come from r's module. */
export function refersTo(v: Value | undefined, r: PolicyResource): boolean {
  const t = text(v);
  if (t === undefined) return false;
  if (isUnknown(v) && (v.module ?? "") !== r.module) return false;
  const ref = `${r.type}.${r.name}`;
  for (let at = t.indexOf(ref); at >= 0; at = t.indexOf(ref, at + 1)) {
    if (/^[.[]/.test(t.slice(at + ref.length)) && (at === 0 || /[^A-Za-z0-9_]/.test(t[at - 1]))) return true;
  }
  return false;
}

export const of = (m: PolicyModel, type: string) => m.resources.filter((r) => r.type === type);
/** The existing resources of `type` whose `attribute` references `target`. */
export const attached = (m: PolicyModel, type: string, attribute: string, target: PolicyResource) =>
  of(m, type).filter((r) => refersTo(r.config[attribute], target));
export const isReplica = (r: PolicyResource) => isSet(r.config.replicate_source_db);

/** A check over each existing resource of `types` (optionally narrowed by `applies`). */
export function perResource(
  meta: Omit<Check, "evaluate">,
  types: readonly string[],
  test: (r: PolicyResource, m: PolicyModel) => string | undefined,
  applies?: (r: PolicyResource, m: PolicyModel) => boolean,
): Check {
  return {
    ...meta,
    evaluate: (m): Finding[] =>
      m.resources
        .filter((r) => types.includes(r.type) && (!applies || applies(r, m)))
        .map((r) => ({ address: r.address, problem: test(r, m) })),
  };
}

/** An IAM policy statement as the checks read it. */
export interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: string | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document given as JSON text or an object; undefined when unreadable. */
export function statements(doc: Value | undefined): Statement[] | undefined {
  let parsed: unknown = doc;
  if (typeof doc === "string") {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (!parsed || typeof parsed !== "object" || isUnknown(parsed as Value)) return undefined;
  return list((parsed as { Statement?: Statement | Statement[] }).Statement);
}
