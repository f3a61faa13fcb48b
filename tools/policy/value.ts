/**
 * The values the policy checks read: JSON values, and an `Unknown` for what Terraform knows only after
 * apply (a resource attribute such as `aws_kms_key.data.arn`), which keeps the text of its reference and
 * the module it was written in so a check can still tell which resource it points at (values.ts refersTo).
 * A model fills them from the synthesized JSON (model.ts) or from Terraform's planned values (planned.ts).
 */

/** A value Terraform knows only after apply, e.g. `aws_kms_key.data.arn`. */
export class Unknown {
  constructor(
    readonly expr: string,
    readonly module?: string,
  ) {}
  toString(): string {
    return "${" + this.expr + "}";
  }
}

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value } | Unknown;

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

/** True when a value (deeply) contains nothing Terraform computes at apply time. */
export function isKnown(v: Value): boolean {
  if (v instanceof Unknown) return false;
  if (Array.isArray(v)) return v.every(isKnown);
  if (v && typeof v === "object") return Object.values(v).every(isKnown);
  return true;
}

/** JSON text of a value; unknown members are written as `"${expr}"`, as Terraform would show them. */
export function jsonencode(v: Value): string {
  return JSON.stringify(v, (_k, x) => (x instanceof Unknown ? x.toString() : x));
}
