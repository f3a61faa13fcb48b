/**
 * A product's environments through the schema: the environment file over the product's defaults, parsed with
 * the product's rules (environments/schema.ts), and the product's own policy exemptions. The schema knows
 * nothing of products beyond ProductRules; this file joins the two.
 */
import type { ProductSpec } from "./product-spec";
import { withDefaults } from "./product-spec";
import {
  ConfigError,
  environmentSchemaOf,
  formatPath,
  type EnvironmentConfig,
  type EnvironmentInput,
  type EnvironmentSchemaType,
} from "./schema";

/**
 * Parses one environment. `label` prefixes every message (the workspace name when known).
 * Throws ConfigError listing every problem.
 */
export function parseEnvironmentOf(
  product: ProductSpec,
  input: unknown,
  label: string,
  schema: EnvironmentSchemaType = environmentSchemaOf(product),
): EnvironmentConfig {
  const result = schema.safeParse(withDefaults(product.defaults, input as EnvironmentInput));
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const path = formatPath(issue.path);
        return `${label}${path ? "." + path : ""}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

/**
 * The product registers each environment file under its workspace name (Product.environments): a file whose
 * `workspace` says another name is refused, since its directory, state and GitHub Environment follow the key.
 */
export function workspaceKeyProblems(key: string, env: { readonly workspace: string }): string[] {
  return env.workspace === key ? [] : [`${key}.workspace: the file for "${key}" declares workspace "${env.workspace}"`];
}

/**
 * A product's own policy exemptions (ProductSpec.policyExemptions, D122): each names a check of the gate,
 * once, with a reason. Messages read `<product>.policyExemptions[i].<field>: <rule>`.
 */
export function productPolicyProblems(product: ProductSpec, checkIds: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  (product.policyExemptions ?? []).forEach((e, i) => {
    const at = `${product.id}.policyExemptions[${i}]`;
    if (!checkIds.includes(e.control))
      problems.push(`${at}.control: "${e.control}" is not a policy check (tools/policy/checks.ts)`);
    else if (seen.has(e.control)) problems.push(`${at}.control: "${e.control}" is listed twice`);
    seen.add(e.control);
    if (e.reason.trim().length < 15) problems.push(`${at}.reason: say why, in a sentence`);
  });
  return problems;
}
