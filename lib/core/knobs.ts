/**
 * Knobs: root variables an operator may edit in `environments/<ws>/terraform.tfvars` (the values the
 * seeds' runbooks change in an incident), declared ONCE, by the module that uses them.
 *
 * A knob set (`defineKnobs`) names each root variable with its type, description and the config
 * field of the module's section it comes from, plus the rules the values must satisfy. From that one
 * declaration:
 *  - the module's config schema gets its zod fields (`knobFields`), so the field, its default and its
 *    documentation are never written twice;
 *  - synthesis checks the rules on the config (`knobProblems`), with the field path in the message;
 *  - the workspace stack declares the root variables with the same rules as `validation` blocks
 *    (`WorkspaceStack.declareKnobs`), whose message is the same sentence (`terraformMessage`);
 *  - the module declares matching inputs (`ModuleStack.knobInputs`), typed by the set, so a knob the
 *    root forgets to pass is a TypeScript error rather than a silent no-op.
 *
 * In a message template `{knob}` is replaced by the value at synth and by `${var.knob}` at plan.
 */
import { z } from "zod";
import { evaluate, hcl, hclTerm, holds, isTrue, type Rule, type Term } from "./rules";

export type KnobType = "string" | "number" | "bool";
export type KnobValue = string | number | boolean;
export type KnobValues = Record<string, KnobValue>;
/** The TypeScript type of a knob's value. */
export type ValueOf<T extends KnobType> = T extends "number" ? number : T extends "bool" ? boolean : string;

export interface KnobSpec {
  readonly type: KnobType;
  /** What the knob does; the description of the root variable, the module input and the config field. */
  readonly description: string;
  /** Config field it comes from, in the module's config section (`nodeType` → `cache.nodeType`). */
  readonly field: string;
  /** Value when the environment file leaves the field out. @default none: the field is required */
  readonly default?: KnobValue;
  /** A number knob that must be a whole number (checked by zod at synth). @default false */
  readonly integer?: boolean;
}

export interface KnobRule<K extends string = string> {
  /** The knob whose validation block carries the rule (and whose field the synth message names). */
  readonly variable: K;
  /** What the values must satisfy (lib/core/rules.ts): checked at synth (`holds`) and printed as the plan-time condition (`hcl`). */
  readonly must: Rule<K>;
  /** Message with `{knob}` placeholders (and `{extra}` ones from `extras`). */
  readonly message: string;
  /** Computed placeholders: terms of the rule language, evaluated at synth and printed for Terraform. */
  readonly extras?: Record<string, Term<K>>;
  /** The policy check (tools/policy) whose verdict this rule decides, when the gate reads it from here. */
  readonly check?: string;
}

/** What a rule may depend on besides the values: the workspace (for messages) and its strictness. */
export interface RuleContext {
  /** Workspace name, used in messages (`production keeps Redis TLS on`). */
  readonly label: string;
  /** A production-like tier: the rules that keep policy controls on apply. */
  readonly strict: boolean;
  /**
   * The workspace stops and starts on a schedule (`schedule`, D210): the rules of what a stopped resource cannot have
   * apply (RDS cannot stop an instance with read replicas). @default false
   */
  readonly scheduled?: boolean;
}

export interface KnobSet<S extends Record<string, KnobSpec> = Record<string, KnobSpec>> {
  /** Root variable name (Terraform naming) → its declaration, in tfvars order. */
  readonly knobs: S;
  /** The rules of a workspace (`defineKnobs` checks their variables against the set). */
  readonly rules: (ctx: RuleContext) => readonly KnobRule[];
}

/** Root-variable tokens of a set, typed per knob. */
export type KnobTokens<S extends Record<string, KnobSpec>> = { readonly [K in keyof S]: ValueOf<S[K]["type"]> };

/** Config fields of a set's knobs (`nodeType`, `numCacheNodes`, …). */
export type KnobFieldNames<S extends Record<string, KnobSpec>> = S[keyof S]["field"];

/**
 * What a module may read of its config section: everything but the knob fields. A knob's value is the
 * operator's tfvars value, reached through the module variable's token (`ModuleStack.knobInputs`), so
 * reading the config's literal instead is a type error.
 */
export type ModuleSettings<C, S extends Record<string, KnobSpec>> = Omit<C, KnobFieldNames<S>>;

/** Declares a knob set; `const` keeps each knob's literal type for `KnobTokens`. */
export function defineKnobs<const S extends Record<string, KnobSpec>>(
  knobs: S,
  rules: (ctx: RuleContext) => readonly KnobRule<Extract<keyof S, string>>[] = () => [],
): KnobSet<S> {
  return { knobs, rules };
}

/** The variables of a set, in declaration order. */
export function knobNames<S extends Record<string, KnobSpec>>(set: KnobSet<S>): Extract<keyof S, string>[] {
  return Object.keys(set.knobs) as Extract<keyof S, string>[];
}

type ZodBase<T extends KnobType> = T extends "number" ? z.ZodNumber : T extends "bool" ? z.ZodBoolean : z.ZodString;
/** The zod field of one knob: its base type, with a default when the declaration has one. */
type ZodOfKnob<Sp> = Sp extends { type: infer T extends KnobType }
  ? Sp extends { default: KnobValue }
    ? z.ZodDefault<ZodBase<T>>
    : ZodBase<T>
  : never;
/** The zod fields of a set, keyed by config field. */
export type KnobFields<S extends Record<string, KnobSpec>> = { [K in keyof S as S[K]["field"]]: ZodOfKnob<S[K]> };

/** Zod fields of a set for its module's config schema: type, default and description from the declaration. */
export function knobFields<S extends Record<string, KnobSpec>>(set: KnobSet<S>): KnobFields<S> {
  const fields: Record<string, z.ZodType> = {};
  for (const spec of Object.values(set.knobs)) {
    const base =
      spec.type === "string"
        ? z.string()
        : spec.type === "bool"
          ? z.boolean()
          : spec.integer
            ? z.number().int()
            : z.number();
    const field = spec.default === undefined ? base : (base as z.ZodType<KnobValue>).default(spec.default);
    fields[spec.field] = field.describe(spec.description);
  }
  return fields as KnobFields<S>;
}

/** Each knob's value, read from the config section by its field. */
export function knobValues<S extends Record<string, KnobSpec>>(
  set: KnobSet<S>,
  section: Record<string, unknown>,
): KnobValues {
  const values: KnobValues = {};
  for (const [variable, spec] of Object.entries(set.knobs)) values[variable] = section[spec.field] as KnobValue;
  return values;
}

/** Broken rules of a config section: the field each names and the synth-time message. */
export function knobProblems<S extends Record<string, KnobSpec>>(
  set: KnobSet<S>,
  section: object,
  ctx: RuleContext,
): { field: string; message: string }[] {
  const values = knobValues(set, section as Record<string, unknown>);
  return set
    .rules(ctx)
    .filter((rule) => !holds(rule.must, values))
    .map((rule) => ({ field: set.knobs[rule.variable].field, message: synthMessage(rule, values) }));
}

/** The synth-time text of a rule's message. */
export function synthMessage(rule: KnobRule, values: KnobValues): string {
  return rule.message.replace(/\{(\w+)\}/g, (_, name: string) =>
    String(rule.extras?.[name] ? evaluate(rule.extras[name], values) : values[name]),
  );
}

/** The plan-time text of a rule's message (a Terraform template). */
export function terraformMessage(rule: KnobRule): string {
  return rule.message.replace(/\{(\w+)\}/g, (_, name: string) =>
    rule.extras?.[name] ? `\${${hclTerm(rule.extras[name])}}` : `\${var.${name}}`,
  );
}

/** The plan-time condition of a rule: its HCL, over `var.<knob>` (without `${}`). */
export function ruleCondition(rule: KnobRule): string {
  return hcl(rule.must);
}

/**
 * A rule that keeps a policy control on in production-like tiers: the knob must stay true
 * (`production keeps Redis TLS on: redis_transit_encryption_enabled must be true (policy check …)`).
 * The policy check `check` reads its verdict from this rule.
 */
export function keepsOn<K extends string>(ctx: RuleContext, variable: K, what: string, check: string): KnobRule<K>[] {
  if (!ctx.strict) return [];
  return [
    {
      variable,
      must: isTrue(variable),
      message: `${ctx.label} keeps ${what}: ${variable} must be true (policy check ${check})`,
      check,
    },
  ];
}
