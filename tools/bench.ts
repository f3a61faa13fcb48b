/**
 * The speed budgets `npm run bench` holds the project to, declared once: the bench's verdicts, its
 * progress lines and the README's "Speed budgets" list all come from this table (a unit test keeps the
 * README's lines equal to `budgetLine`). CPU seconds (user + system of the command and its children),
 * not wall time: on a shared machine wall time swings with the load, CPU time much less.
 */
export interface BenchBudget {
  /** Which measured figure the budget holds: a key of the bench's result. */
  readonly figure: "synth" | "synthRatio" | "unit" | "tfLayer";
  /** What is measured, as the report prints it. */
  readonly what: string;
  /** The most the figure's median may be. */
  readonly limit: number;
  /** The figure's unit: CPU seconds, or a ratio of two CPU-second medians. */
  readonly unit: "CPU-s" | "×";
}

export const BENCH_BUDGETS: readonly BenchBudget[] = [
  { figure: "synth", what: "synthesis of every product (`npm run synth`, warm)", limit: 5, unit: "CPU-s" },
  { figure: "synthRatio", what: "synthesis against the type-checking ts-node run", limit: 0.3, unit: "×" },
  { figure: "unit", what: "unit layer (`npm run test:unit`)", limit: 60, unit: "CPU-s" },
  { figure: "tfLayer", what: "Terraform layer (`npm run test:terraform`)", limit: 450, unit: "CPU-s" },
];

/** The budget as one line (README and report): "unit layer (`npm run test:unit`) ≤ 60 CPU-s (median)". */
export function budgetLine(b: BenchBudget): string {
  return `${b.what} ≤ ${b.limit} ${b.unit}${b.unit === "CPU-s" ? " (median)" : ""}`;
}
