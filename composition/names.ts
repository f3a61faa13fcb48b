/**
 * Every name the composition derives from an environment, in one place. Each derives from the
 * guarded root variable `environment`, so the workspace guard is evaluated by any plan, including
 * `-target=module.<name>`.
 */
import type { EnvironmentConfig } from "../environments";
import type { ProductSpec } from "../environments/product-spec";
import type { WorkspaceStack } from "../lib/core/workspace-stack";

export interface Names {
  /** `<project>-<environment>`: prefix of every resource name (cluster, groups, roles). */
  readonly name: string;
  /** `<project>/<environment>`: Secrets Manager path prefix. */
  readonly secretPrefix: string;
  /** `<bucketPrefix>-<environment>`: prefix of every bucket name. */
  readonly bucketPrefix: string;
  /** `<bucketPrefix>-<environment>-<purpose>[-<suffix>]`. */
  readonly bucket: (purpose: string) => string;
  /** CloudWatch alarm name prefix. */
  readonly alarmPrefix: string;
  /** CloudWatch dashboard name. */
  readonly dashboard: string;
}

export function namesOf(env: EnvironmentConfig, root: WorkspaceStack, product: ProductSpec): Names {
  const environment = root.environment.stringValue;
  const bucketPrefix = `${env.storage.bucketPrefix}-${environment}`;
  return {
    name: `${env.project}-${environment}`,
    secretPrefix: `${env.project}/${environment}`,
    bucketPrefix,
    bucket: (purpose) => [bucketPrefix, purpose, env.storage.bucketSuffix].filter(Boolean).join("-"),
    alarmPrefix: env.monitoring.alarmPrefix ?? `${product.shortName}-${env.workspace}`,
    dashboard: `${product.shortName}-${environment}`,
  };
}
