/**
 * What every part of the security module gets (keys, web ACL, secrets, audit trail, deploy role,
 * Terraform roles): the module stack to add resources to, its `input`/`output` declarations, the
 * environment's `security` section and the root values every part uses, as tokens of the module's variables.
 */
import {
  Lazy,
  propertyAccess,
  Token,
  type IResolvable,
  type TerraformOutput,
  type TerraformResource,
  type TerraformVariable,
} from "cdktf";
import type { Construct } from "constructs";
import { expr, type InputSpec } from "../../lib/core/module-stack";
import type { SecurityConfig } from "./config";

/** `ModuleStack.input`: declares a module variable and records the value the root passes. */
export type DeclareInput = (name: string, value: unknown, spec: InputSpec) => TerraformVariable;
/** `ModuleStack.output`: declares a module output. */
export type DeclareOutput = (name: string, value: unknown, description: string) => TerraformOutput;

export interface SecurityPart {
  /** The module stack: resources are its direct children (`aws_kms_key.data`). */
  readonly scope: Construct;
  readonly input: DeclareInput;
  readonly output: DeclareOutput;
  /** The environment's `security` section (./config.ts documents each setting and its default). */
  readonly settings: SecurityConfig;
  /** `var.name`: name prefix, e.g. `<project>-production`. */
  readonly name: string;
  /** `var.region`. */
  readonly region: string;
  /** `var.account_id`. */
  readonly account: string;
  /** `prevent_destroy` on the keys and the trail bucket (decided at synthesis). */
  readonly preventDestroy: boolean;
}

/** cdktf's `Op` drops a literal 0 as right operand (it renders `> undefined`); a 0 produced at synthesis renders as 0. */
export const ZERO = Lazy.numberValue({ produce: () => 0 });

/**
 * `count` of a resource created when `flag` is true: `<flag> ? 1 : 0`, the token inside the text so that
 * `counted()`'s check of names (lib/core/counted-names.ts) reads it as a switch; it cannot read a
 * `conditional()` token before synthesis resolves it.
 */
export const oneIf = (flag: boolean | IResolvable): string => `${flag} ? 1 : 0`;

/**
 * An HCL expression written as text around tokens, for the for-expressions cdktf cannot write as they are: its
 * iterators name the loop variables `key, val`, iterate `toset(…)` and leave a template body unquoted. Tokens
 * render bare in the expression and `\${<token>}` puts one into a quoted template. The text is resolved as one
 * nested value, so tokens stay bare after an inner `}` (cdktf restores the enclosing state there, not a depth).
 */
export function forExpr(text: string): string {
  return expr(Lazy.stringValue({ produce: () => text }));
}

/** `<resource>[0].<attribute>` of a counted resource (a 0 produced at synthesis is written `[0]`, a literal one `.0`). */
export function firstOf(resource: TerraformResource, attribute: string): string {
  return Token.asString(propertyAccess(resource, [ZERO, attribute]));
}
