/**
 * Reading the synthesized JSON by name, without evaluating Terraform: an argument written as one reference
 * (`${var.x}`, `${local.x}`, `${module.m.o}`) is followed to what the name stands for — a module's input to the
 * root's module block, a root variable to its tfvars value (the variable's default), a local to its
 * definition, a module output to its value — and read there. Anything else with an interpolation is left as
 * an `Unknown` that keeps its text and module, so a check can still tell which resource it references; a JSON
 * document written as text (a policy with `${…}` inside its strings) is read as written.
 */
import { documentLocal } from "../../lib/core/hcl";
import { evaluate, type RuleValues } from "../../lib/core/rules";
import { MODULE_DECLARATIONS } from "../../modules/declarations";
import type { Json, SynthesizedStack } from "../synthesized";
import { isKnown, isUnknown, jsonencode, Unknown, type Value } from "./value";

/** `${<one name>}` written alone. */
const ALONE = /^\$\{(var|local|module)\.([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?\}$/;

/** Whether the whole string is one interpolation (`${…}`, braces and quoted strings inside balanced). */
function oneInterpolation(s: string): boolean {
  if (!s.startsWith("${")) return false;
  let depth = 1;
  for (let i = 2; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === "\\") i++;
    } else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i === s.length - 1;
  }
  return false;
}
/** A name interpolated in a template: `${var.name}-uploads`. */
const NAME_PART = /\$\{((?:var|local|module)\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)?)\}/g;

/**
 * A template (`${var.name}-uploads`) or a document: each interpolation that is one name reading a number, string or
 * bool is written in; one that reads a value known after apply is written as what it reads (`${var.secret_arn}` as
 * `${aws_secretsmanager_secret.db_app.arn}`), so a check sees which resource it is; any other stays as written.
 */
function template(stack: SynthesizedStack, module: string, text: string, depth: number): string {
  return text.replace(NAME_PART, (whole: string) => {
    const v = byName(stack, module, whole, depth + 1);
    if (isUnknown(v)) return v.toString();
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : whole;
  });
}

/** The text of an interpolation written alone (`${aws_kms_key.data.arn}` → `aws_kms_key.data.arn`); else the whole string. */
const inner = (s: string) => /^\$\{(.*)\}$/s.exec(s)?.[1] ?? s;

/** A JSON document written as text, its references inside its strings (a policy): read as written. */
function isDocument(s: string): boolean {
  if (!/^\s*[[{]/.test(s)) return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** An input Terraform knows only after apply (or a local no module declares). */
export class UnknownInput extends Error {}

/**
 * The inputs of `module` as the rule language reads them, each read by name when a term reads it (a conditional
 * reads only the branch it takes): `x` is `var.x`, `local.x` the module's declared local x.
 */
export function inputsOf(stack: SynthesizedStack, module: string): Record<string, unknown> {
  const locals = MODULE_DECLARATIONS[module]?.locals ?? {};
  const read = (name: string): unknown => {
    const local = /^local\.(.+)$/.exec(name);
    if (local) {
      if (!locals[local[1]]) throw new UnknownInput(name);
      return evaluate(locals[local[1]], values as RuleValues);
    }
    const v = byName(stack, module, "${var." + name + "}");
    if (!isKnown(v)) throw new UnknownInput(name);
    return v;
  };
  const values = new Proxy({}, { get: (_, name) => (typeof name === "string" ? read(name) : undefined) });
  return values;
}

/** A declared local's value over the module's inputs; an Unknown when it reads what Terraform knows only after apply. */
function declaredLocal(stack: SynthesizedStack, module: string, name: string): Value | undefined {
  const term = MODULE_DECLARATIONS[module]?.locals?.[name];
  if (!term) return undefined;
  try {
    return evaluate(term, inputsOf(stack, module) as RuleValues) as Value;
  } catch (e) {
    if (e instanceof UnknownInput) return new Unknown(`local.${name}`, module || undefined);
    throw e;
  }
}

/** The value one name stands for in `module` ("" for the root), undefined when the JSON does not say. */
function followed(
  stack: SynthesizedStack,
  module: string,
  kind: string,
  name: string,
  output?: string,
): [Json, string] | undefined {
  const tf: Json = module ? (stack.modules[module] ?? {}) : stack.root;
  if (kind === "var") {
    if (module) {
      const block = stack.root.module?.[module] ?? {};
      if (name in block) return [block[name], ""];
    }
    const decl = tf.variable?.[name];
    return decl && "default" in decl ? [decl.default, module] : undefined;
  }
  if (kind === "local") return name in (tf.locals ?? {}) ? [tf.locals[name], module] : undefined;
  if (!module && output) {
    const o = stack.modules[name]?.output?.[output];
    return o ? [o.value, name] : undefined;
  }
  return undefined;
}

/** A value of the synthesized JSON of `module` ("" for the root), its names read by name (see the file's note). */
export function byName(stack: SynthesizedStack, module: string, value: unknown, depth = 0): Value {
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    const doc = documentLocal(value);
    if (doc) return jsonencode(byName(stack, module, "${local." + doc + "}", depth + 1));
    const ref = ALONE.exec(value);
    const declared = ref?.[1] === "local" ? declaredLocal(stack, module, ref[2]) : undefined;
    if (declared !== undefined) return declared;
    const target = ref && depth < 20 ? followed(stack, module, ref[1], ref[2], ref[3]) : undefined;
    if (target) return byName(stack, target[1], target[0], depth + 1);
    if (isDocument(value) || !oneInterpolation(value)) return template(stack, module, value, depth);
    return new Unknown(inner(value), module || undefined);
  }
  if (Array.isArray(value)) return value.map((v) => byName(stack, module, v, depth));
  if (value && typeof value === "object") {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(value)) out[k] = byName(stack, module, v, depth);
    return out;
  }
  return (value ?? null) as Value;
}
