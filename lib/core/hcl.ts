/**
 * Writes a JavaScript value as an HCL expression, for values Terraform must compute (e.g. a
 * `jsonencode([...])` whose members reference other resources). A string that is exactly one
 * `${...}` interpolation is inlined as that expression; other strings become HCL templates.
 */
const SINGLE_INTERPOLATION = /^\$\{([^]*)\}$/;

function isSingleInterpolation(s: string): boolean {
  const m = SINGLE_INTERPOLATION.exec(s);
  if (!m) return false;
  // Reject "${a}-${b}": the inner text must not close and reopen an interpolation.
  let depth = 0;
  for (const ch of m[1]) {
    if (ch === "{") depth++;
    if (ch === "}") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

export function hclExpression(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string")
    return isSingleInterpolation(value)
      ? (SINGLE_INTERPOLATION.exec(value) as RegExpExecArray)[1]
      : JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(hclExpression).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)} = ${hclExpression(v)}`).join(", ")} }`;
  }
  throw new Error(`cannot write a ${typeof value} as HCL`);
}

/**
 * The local a document argument is written from, `jsonencode(local.<name>)` (module-stack.ts `jsonDocument`, D213): its
 * name, or undefined for any other argument. The one reader of that form (policy gate, pipeline check, tests).
 */
export function documentLocal(written: unknown): string | undefined {
  return typeof written === "string" ? /^\$\{jsonencode\(local\.([A-Za-z0-9_]+)\)\}$/.exec(written)?.[1] : undefined;
}
