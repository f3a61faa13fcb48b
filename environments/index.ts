/**
 * The products this repository synthesizes, and the loading and validation of their environments
 * before anything is synthesized. Each product lives in `environments/<id>/` (index.ts registers it);
 * EduAutismo IA is the first, and the default of the functions below that take a product.
 */
import * as path from "path";
import { POLICY_CHECK_IDS } from "../lib/core/policy-checks";
import { AITECHNE } from "./aitechne";
import { ATENA } from "./atena";
import { EDUAUTISMO, ENVIRONMENT_INPUTS, type Workspace } from "./eduautismo";
import type { Product, ProductSpec, WorkspaceInput } from "./product-spec";
import { RETELL } from "./retell";
import { parseEnvironmentOf, productPolicyProblems, workspaceKeyProblems } from "./product-schema";
import { appMetricTargetProblems } from "../modules/compute/config";
import {
  ConfigError,
  environmentSchemaOf,
  type EnvironmentConfig,
  type EnvironmentSchemaType,
  type ExemptibleControl,
} from "./schema";

export * from "./schema";
export * from "./product-schema";
export type { Defaults, Product, ProductPolicyExemption, ProductSpec, WorkspaceInput } from "./product-spec";

export { EDUAUTISMO, ENVIRONMENT_INPUTS, type Workspace };

/**
 * A product's workspaces, in synthesis (and promotion) order: the keys of its environment files. The list is data:
 * adding a workspace is an entry in `environments/<product>/index.ts` and its file (README, "Changing things").
 */
export function workspacesOf(product: Pick<Product, "environments">): string[] {
  return Object.keys(product.environments);
}

/** EduAutismo's workspaces (the ones the GitHub workflows plan and apply), from its environment files. */
export const WORKSPACES = workspacesOf(EDUAUTISMO) as readonly Workspace[];

/**
 * Every product `npm run synth` writes, in order. Each lives in `environments/<id>/` (index.ts exports its
 * Product, one file per workspace); its output goes to `cdktf.out/<outDir>/stacks/<ws>`.
 */
export const PRODUCTS: readonly Product[] = [EDUAUTISMO, ATENA, RETELL, AITECHNE];

/** The product with this id; throws with the list of products otherwise. */
export function productById(id: string): Product {
  const p = PRODUCTS.find((x) => x.id === id);
  if (!p) throw new Error(`no product "${id}" (products: ${PRODUCTS.map((x) => x.id).join(", ")})`);
  return p;
}

/** How reports name a workspace: `<outDir>/<ws>`, its place under cdktf.out (`<ws>` when outDir is ""). */
export function workspaceLabel(product: Pick<Product, "outDir">, ws: string): string {
  return path.posix.join(product.outDir, ws);
}

/** EduAutismo's schema (the one the checked-in environment files use); `controls` for tests of the exemptions. */
export function environmentSchema(controls?: readonly ExemptibleControl[]): EnvironmentSchemaType {
  return environmentSchemaOf(EDUAUTISMO, controls);
}

/** The schema of EduAutismo's environments with the policy gate's checks. */
export const EnvironmentSchema = environmentSchema();

/** Parses one EduAutismo environment (`label` prefixes every message). Throws ConfigError listing every problem. */
export function parseEnvironment(
  input: unknown,
  label: string,
  schema: EnvironmentSchemaType = EnvironmentSchema,
): EnvironmentConfig {
  const env = parseEnvironmentOf(EDUAUTISMO, input, label, schema);
  const problems = label in EDUAUTISMO.environments ? workspaceKeyProblems(label, env) : [];
  if (problems.length > 0) throw new ConfigError(problems);
  return env;
}

/**
 * Parses all environments of a product and throws one ConfigError listing every problem of every
 * workspace, so an operator fixes them in one pass.
 */
export function loadEnvironments(
  inputs: Readonly<Record<string, WorkspaceInput>> = ENVIRONMENT_INPUTS,
  product: ProductSpec = EDUAUTISMO,
): EnvironmentConfig[] {
  const problems: string[] = [...productPolicyProblems(product, POLICY_CHECK_IDS)];
  const configs: EnvironmentConfig[] = [];
  const schema = environmentSchemaOf(product);
  for (const ws of Object.keys(inputs)) {
    try {
      const env = parseEnvironmentOf(product, inputs[ws], ws, schema);
      problems.push(...workspaceKeyProblems(ws, env));
      // Rules that need the product's published app metrics (its metric filters), not only the file.
      problems.push(...appMetricTargetProblems(ws, env.compute, product.appMetrics?.(env)?.filters ?? []));
      configs.push(env);
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  problems.push(...sharedAccountProblems(configs));
  if (problems.length > 0)
    throw new ConfigError(problems, {
      id: product.id,
      sourceDir: "sourceDir" in product ? (product as Product).sourceDir : undefined,
      workspaces: Object.keys(inputs),
    });
  return configs;
}

/** IAM allows one OIDC provider per URL per account: a second CreateOpenIDConnectProvider fails with EntityAlreadyExists. */
export const OIDC_PROVIDER_PER_ACCOUNT_DOC =
  "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html";

/**
 * The GitHub OIDC provider is one per account: only one workspace of an account, across every
 * product, may create it (`security.deploy.createOidcProvider`); the others set false and trust the
 * existing provider by its ARN. `label` names a workspace (`<ws>` or `<product>/<ws>`, workspaceLabel).
 */
export function oidcProviderProblems(workspaces: readonly { label: string; env: EnvironmentConfig }[]): string[] {
  const creator = new Map<string, string>();
  const problems: string[] = [];
  for (const { label, env } of workspaces) {
    if (!env.security.deploy.createOidcProvider) continue;
    const other = creator.get(env.accountId);
    if (other) {
      problems.push(
        `${label}.security.deploy.createOidcProvider: account ${env.accountId} already gets the GitHub OIDC provider from ${other}; set false here, ` +
          `so this workspace trusts the existing provider (IAM has one provider per URL per account; a second create fails with EntityAlreadyExists, ${OIDC_PROVIDER_PER_ACCOUNT_DOC})`,
      );
    } else creator.set(env.accountId, label);
  }
  return problems;
}

function sharedAccountProblems(configs: EnvironmentConfig[]): string[] {
  return oidcProviderProblems(configs.map((env) => ({ label: env.workspace, env })));
}

/**
 * The rules that span products (accounts are shared between products, seeds 002–004): every product's
 * environments loaded, then checked together. `npm run synth` runs it whichever products it writes.
 */
export function crossProductProblems(products: readonly Product[] = PRODUCTS): string[] {
  const all = products.flatMap((p) =>
    loadEnvironments(p.environments, p).map((env) => ({ label: workspaceLabel(p, env.workspace), env })),
  );
  return oidcProviderProblems(all);
}
