/** What a check of the policy gate is: its identity, upstream ids, severity, scope and evaluation. */
import type { PolicyCheckId } from "../../lib/core/policy-checks";
import type { PolicyModel } from "./model";

export type Severity = "critical" | "high" | "medium" | "low";
export type CheckScope = "all" | "production-like";
export type Category =
  "encryption" | "exposure" | "logging" | "resilience" | "iam" | "containers" | "keys" | "lifecycle" | "apply";

export interface Finding {
  readonly address: string;
  /** Why it fails; undefined when it passes. */
  readonly problem?: string;
}

export interface Check {
  readonly id: PolicyCheckId;
  readonly title: string;
  readonly category: Category;
  /** Checkov (CKV_AWS_*), Trivy (AVD-AWS-*) and FSBP (e.g. RDS.3) ids this check mirrors. */
  readonly upstream: readonly string[];
  readonly severity: Severity;
  readonly scope: CheckScope;
  /** The AWS (or Terraform) pages an apply-time rule comes from (apply-checks.ts). */
  readonly sources?: readonly string[];
  /** One finding per resource looked at; none means the check does not apply. */
  evaluate(model: PolicyModel): Finding[];
}
