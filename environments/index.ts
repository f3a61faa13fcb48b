/** Loads and validates every environment before anything is synthesized. */
import { dev } from "./dev";
import { production } from "./production";
import { staging } from "./staging";
import { ConfigError, parseEnvironment, WORKSPACES, type EnvironmentConfig, type EnvironmentInput, type Workspace } from "./schema";

export * from "./schema";

export const ENVIRONMENT_INPUTS: Record<Workspace, EnvironmentInput> = { dev, staging, production };

/**
 * Parses all environments and throws one ConfigError listing every problem of every workspace,
 * so an operator fixes them in one pass.
 */
export function loadEnvironments(inputs: Record<Workspace, EnvironmentInput> = ENVIRONMENT_INPUTS): EnvironmentConfig[] {
  const problems: string[] = [];
  const configs: EnvironmentConfig[] = [];
  for (const ws of WORKSPACES) {
    try {
      configs.push(parseEnvironment(inputs[ws], ws));
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else throw e;
    }
  }
  problems.push(...sharedAccountProblems(configs));
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

/** The GitHub OIDC provider is one per account: only one workspace of an account may create it. */
function sharedAccountProblems(configs: EnvironmentConfig[]): string[] {
  const creator = new Map<string, string>();
  const problems: string[] = [];
  for (const env of configs) {
    if (!env.security.deploy.createOidcProvider) continue;
    const other = creator.get(env.accountId);
    if (other) {
      problems.push(
        `${env.workspace}.security.deploy.createOidcProvider: account ${env.accountId} already gets the GitHub OIDC provider from ${other}; set false here (the provider is account-wide)`,
      );
    } else creator.set(env.accountId, env.workspace);
  }
  return problems;
}
