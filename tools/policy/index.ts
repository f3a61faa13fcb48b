/**
 * The policy gate: every check of checks.ts on one synthesized workspace, with its environment's
 * named exemptions applied. Strictness is the environment's tier, never its name: only a
 * development-tier environment may exempt a check, only a check a module declares exemptible (`<MODULE>_CONTROLS`), and only
 * with a reason; an exemption of a check that passes is stale and fails the gate, so the list never
 * outlives the reason. Checks of scope `production-like` apply to production-like environments only.
 */
import { EXEMPTIBLE_CONTROLS, type Tier } from "../../environments/schema";
import type { SynthesizedStack } from "../synthesized";
import { CHECKS, EXEMPTION_TIER_RULE, type Check, type Finding } from "./checks";
import { policyModel, type PolicyModel } from "./model";

export type Status = "passed" | "failed" | "exempted" | "n/a";

export interface Exemption {
  readonly control: string;
  readonly reason: string;
}

/** What the gate needs of an environment's config (an EnvironmentConfig is one). */
export interface PolicyEnvironment {
  readonly tier: Tier;
  readonly exemptions: readonly Exemption[];
  /**
   * The product's own exemptions (ProductSpec.policyExemptions, D122): the product's guide decides them, so
   * they hold in any tier, production-like included, and need no `exemptible` switch. A check they name that
   * passes or has nothing to look at in a workspace shows its own status there (`policyEnvironment(env, product)`
   * gives them). @default none
   */
  readonly productExemptions?: readonly Exemption[];
}

/** The gate's view of an environment of a product: its tier and exemptions, and the product's exemptions. */
export function policyEnvironment(
  env: PolicyEnvironment,
  product: { readonly policyExemptions?: readonly Exemption[] },
): PolicyEnvironment {
  return { tier: env.tier, exemptions: env.exemptions, productExemptions: product.policyExemptions ?? [] };
}

/** How the report words a product exemption's note. */
export const PRODUCT_EXEMPTION_NOTE = "product exemption (its guide's choice)";

export interface CheckResult {
  readonly check: Check;
  readonly status: Status;
  /** Resources that fail (also when exempted). */
  readonly failures: Required<Finding>[];
  /** How many resources were looked at. */
  readonly evaluated: number;
  /** Why the check does not apply, or the exemption's reason. */
  readonly note?: string;
}

export interface PolicyReport {
  readonly workspace: string;
  readonly results: CheckResult[];
  readonly counts: Record<Status, number>;
}

export function inScope(check: Check, tier: Tier): boolean {
  return check.scope === "all" || tier === "production-like";
}

/** Why an exemption cannot stand whatever the check finds, if it cannot. */
function refusedExemption(check: Check, tier: Tier): string | undefined {
  if (tier === "production-like") return `exemption of ${check.id}: ${EXEMPTION_TIER_RULE}`;
  if (!EXEMPTIBLE_CONTROLS.some((c) => c.id === check.id))
    return `exemption of ${check.id}, which is not exemptible (no config switch turns it off)`;
  return undefined;
}

export function evaluatePolicy(
  stack: SynthesizedStack,
  env: PolicyEnvironment,
  checks: readonly Check[] = CHECKS,
  model: PolicyModel = policyModel(stack),
): PolicyReport {
  const productExemptions = env.productExemptions ?? [];
  const results: CheckResult[] = checks.map((check) => {
    const exemption = env.exemptions.find((e) => e.control === check.id);
    if (!inScope(check, env.tier)) {
      return {
        check,
        status: exemption ? "failed" : "n/a",
        failures: exemption
          ? [
              {
                address: "(config)",
                problem: `exemption of ${check.id}, which applies to production-like environments only`,
              },
            ]
          : [],
        evaluated: 0,
        note: `scope ${check.scope}`,
      };
    }
    const refused = exemption && refusedExemption(check, env.tier);
    if (refused) {
      const findings = check.evaluate(model);
      return {
        check,
        status: "failed",
        failures: [{ address: "(config)", problem: refused }],
        evaluated: findings.length,
      };
    }
    const findings = check.evaluate(model);
    const failures = findings.filter((f): f is Required<Finding> => f.problem !== undefined);
    const byProduct = !exemption && productExemptions.find((e) => e.control === check.id);
    if (byProduct && failures.length > 0) {
      return {
        check,
        status: "exempted",
        failures,
        evaluated: findings.length,
        note: `${PRODUCT_EXEMPTION_NOTE}: ${byProduct.reason}`,
      };
    }
    if (findings.length === 0) {
      return exemption
        ? {
            check,
            status: "failed",
            failures: [{ address: "(config)", problem: `exemption of ${check.id}, which has nothing to look at here` }],
            evaluated: 0,
          }
        : { check, status: "n/a", failures: [], evaluated: 0, note: "no resource of its kind" };
    }
    if (failures.length === 0) {
      return exemption
        ? {
            check,
            status: "failed",
            failures: [
              { address: "(config)", problem: `stale exemption: ${check.id} passes, drop it from exemptions` },
            ],
            evaluated: findings.length,
          }
        : { check, status: "passed", failures: [], evaluated: findings.length };
    }
    return exemption
      ? { check, status: "exempted", failures, evaluated: findings.length, note: exemption.reason }
      : { check, status: "failed", failures, evaluated: findings.length };
  });
  const counts: Record<Status, number> = { passed: 0, failed: 0, exempted: 0, "n/a": 0 };
  for (const r of results) counts[r.status]++;
  return { workspace: stack.workspace, results, counts };
}

const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/** A table a person reads at a glance: failures first, then exemptions, then the rest. */
export function formatPolicyReport(report: PolicyReport, opts: { verbose?: boolean; label?: string } = {}): string {
  const order: Record<string, number> = { failed: 0, exempted: 1, passed: 2, "n/a": 3 };
  const rows = [...report.results]
    .filter((r) => opts.verbose || r.status !== "n/a")
    .sort(
      (a, b) =>
        order[a.status] - order[b.status] ||
        SEVERITY_ORDER[a.check.severity] - SEVERITY_ORDER[b.check.severity] ||
        a.check.id.localeCompare(b.check.id),
    );
  const width = Math.max(...rows.map((r) => r.check.id.length), 5);
  const lines = [
    `policy ${opts.label ?? report.workspace}: ${report.counts.passed} passed, ${report.counts.failed} failed, ${report.counts.exempted} exempted, ${report.counts["n/a"]} not applicable`,
  ];
  lines.push(`  ${"status".padEnd(9)} ${"severity".padEnd(9)} ${"check".padEnd(width)}  upstream`);
  for (const r of rows) {
    lines.push(
      `  ${r.status.padEnd(9)} ${r.check.severity.padEnd(9)} ${r.check.id.padEnd(width)}  ${r.check.upstream.join(" ") || "—"}`,
    );
    if (r.status === "exempted") lines.push(`  ${" ".repeat(20 + width)}exempted: ${r.note}`);
    if (r.status === "failed" || (opts.verbose && r.status === "exempted")) {
      for (const f of r.failures) lines.push(`  ${" ".repeat(20 + width)}✗ ${f.address}: ${f.problem}`);
    }
  }
  return lines.join("\n");
}
