/** Renders root variable values as an HCL `.tfvars` file (what `-var-file=` reads). */

export interface TfvarsEntry {
  readonly name: string;
  readonly value: unknown;
  readonly description?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function hclValue(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to tfvars`);
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${inner}${hclValue(v, inner)},`).join("\n")}\n${indent}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    const width = Math.max(...entries.map(([k]) => hclKey(k).length));
    return `{\n${entries.map(([k, v]) => `${inner}${hclKey(k).padEnd(width)} = ${hclValue(v, inner)}`).join("\n")}\n${indent}}`;
  }
  throw new Error(`cannot write a ${typeof value} to tfvars`);
}

function hclKey(key: string): string {
  return IDENT.test(key) ? key : JSON.stringify(key);
}

export function renderTfvars(entries: readonly TfvarsEntry[], header: string[]): string {
  const lines = header.map((h) => (h ? `# ${h}` : "#"));
  for (const entry of entries) {
    if (!IDENT.test(entry.name)) throw new Error(`"${entry.name}" is not a valid Terraform variable name`);
    lines.push("");
    if (entry.description) lines.push(`# ${entry.description}`);
    lines.push(`${entry.name} = ${hclValue(entry.value)}`);
  }
  return lines.join("\n") + "\n";
}
