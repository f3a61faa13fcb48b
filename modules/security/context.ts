/**
 * What every part of the security module gets (keys, web ACL, secrets, audit trail, deploy role,
 * Terraform roles): the module stack to add resources to, its `input`/`output` declarations, the
 * environment's `security` section and the root values every part uses, as tokens of the module's variables.
 */
import { ref, TerraformLocal, Token, type TerraformOutput, type TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import type { InputSpec } from "../../lib/core/module-stack";
import { hclExpr } from "../../lib/core/tokens";
import {
  GITHUB_SUBJECT,
  OIDC_SUBJECTS,
  type GithubSubjectKind,
  type SecurityConfig,
  type OidcSubjectsLocal,
} from "./config";

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

/**
 * forExpr`…`: an HCL expression written as text around tokens (hclExpr), for the for-expressions cdktf cannot
 * write as they are: its iterators name the loop variables `key, val`, iterate `toset(…)` and leave a template
 * body unquoted. Tokens render bare in the expression and `\${<token>}` puts one into a quoted template. The text
 * is resolved as one nested value, so tokens stay bare after an inner `}` (cdktf restores the enclosing state
 * there, not a depth).
 */
export function forExpr(glue: TemplateStringsArray, ...tokens: unknown[]): string {
  return Token.asString(hclExpr(glue, ...tokens));
}

/**
 * The subjects local `name` of OIDC_SUBJECTS (config.ts): for each kind of subject, `[for <k> in <list> :
 * "<GITHUB_SUBJECT[kind]>"]` over the module input that lists its values (`lists`, tokens), joined with `concat`.
 */
export function subjectsLocal(
  scope: Construct,
  name: OidcSubjectsLocal,
  lists: Readonly<Partial<Record<GithubSubjectKind, unknown>>>,
  repository: string,
): string[] {
  const parts = Object.keys(OIDC_SUBJECTS[name]).map((k) => {
    const kind = k as GithubSubjectKind;
    const v = kind[0];
    const subject = GITHUB_SUBJECT[kind](`\${${repository}}`, `\${${v}}`);
    return `[for ${v} in ${Token.asString(lists[kind])} : "${subject}"]`;
  });
  const text = parts.length === 1 ? parts[0] : `concat(${parts.join(", ")})`;
  return new TerraformLocal(scope, name, ref(text)).asList;
}
