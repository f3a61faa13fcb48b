/**
 * What a workspace would cost with one-year, no-upfront reservations of its always-on databases (RDS reserved DB
 * instances: the primary, its Multi-AZ standby and the read replicas) and caches (ElastiCache reserved nodes), in
 * us-east-1 and sa-east-1 (issue 24 item 8, D191), beside the on-demand total; and the per-workspace budget verdict
 * `npm run cost` ends with. The reservation factors and their source are in ./prices.ts.
 */
import type { EnvironmentConfig } from "../../environments";
import type { CostConfig } from "../../environments/cost-schema";
import { builtModules } from "../../environments/built-modules";
import type { SynthesizedStack } from "../synthesized";
import { cacheNodeHours, estimate, primaryShare, rdsInstanceHours } from "./estimate";
import { PRICES } from "./prices";

/** The regions the reservations are shown for (the seeds' two: us-east-1, and São Paulo for Brazilian users, D5). */
export const RESERVATION_REGIONS = ["us-east-1", "sa-east-1"] as const;

export interface RegionCommitment {
  readonly region: string;
  /** The month on demand, the whole estimate priced in this region. */
  readonly onDemand: number;
  /** The same month with the RDS instances and ElastiCache nodes on one-year, no-upfront reservations. */
  readonly reserved: number;
  /** The on-demand instance and node hours the reservations cover. */
  readonly reservable: number;
}

/** The estimate of `env` in each region of RESERVATION_REGIONS, on demand and with reservations. */
export function reservationEstimates(env: EnvironmentConfig, stack: SynthesizedStack): RegionCommitment[] {
  const built = builtModules(env);
  return RESERVATION_REGIONS.map((region) => {
    const p = PRICES[region];
    const onDemand = estimate({ ...env, region }, stack).total;
    const rds = built.includes("database") ? rdsInstanceHours(env, p) : { primary: 0, replicas: 0 };
    const cache = built.includes("cache") ? cacheNodeHours(env, p) : 0;
    // A reservation bills every hour of the month: a primary stopped outside working hours (D210) stays on demand.
    const rdsHours = (primaryShare(env, env.cost) < 1 ? 0 : rds.primary) + rds.replicas;
    const saved = rdsHours * (1 - p.rdsReserved1yFactor) + cache * (1 - p.elasticacheReserved1yFactor);
    return { region, onDemand, reserved: onDemand - saved, reservable: rdsHours + cache };
  });
}

const money = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * The line printed under a workspace's total. It starts with a digit so the report parsers (pipeline's
 * parseCostReport, compare's parseCostLines) read it as neither a module nor a line item.
 */
export function formatReservations(list: readonly RegionCommitment[]): string {
  if (list.every((r) => r.reservable === 0))
    return "  1-year reservations: nothing to reserve (no RDS instance, no cache node)";
  const regions = list.map((r) => `${r.region} ${money(r.reserved)} (on-demand ${money(r.onDemand)})`);
  const off = (f: number) => `−${Math.round((1 - f) * 100)} %`;
  const p = PRICES[list[0].region];
  const discount =
    p.rdsReserved1yFactor === p.elasticacheReserved1yFactor
      ? off(p.rdsReserved1yFactor)
      : `RDS ${off(p.rdsReserved1yFactor)}, ElastiCache ${off(p.elasticacheReserved1yFactor)}`;
  return `  1-year no-upfront RDS + ElastiCache reservations (${discount}, derived: prices.ts): ${regions.join(" · ")}`;
}

/** One workspace's total against its budget. */
export interface BudgetRow {
  readonly workspace: string;
  readonly total: number;
  readonly budget: CostConfig["budgetUsd"];
}

/**
 * The closing lines of `npm run cost`: one over/under-budget verdict per workspace against `cost.budgetUsd.max` (the
 * gate), with the floor (`min`, the guide's figure) when the estimate is below it.
 */
export function formatBudgetVerdicts(rows: readonly BudgetRow[]): string {
  const width = Math.max(...rows.map((r) => r.workspace.length));
  const out = ["Budget (each environment file's cost.budgetUsd; the gate is max):"];
  for (const r of rows) {
    const gap = r.budget.max - r.total;
    const verdict = gap < 0 ? `OVER budget by ${money(-gap)}` : `under budget by ${money(gap)}`;
    const floor = r.total < r.budget.min ? `; below the floor ${money(r.budget.min)}` : "";
    out.push(`- ${r.workspace.padEnd(width)} ${money(r.total)} of ${money(r.budget.max)}: ${verdict}${floor}`);
  }
  return out.join("\n");
}
