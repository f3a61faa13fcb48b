/** Budget and usage assumptions of the monthly cost estimate (`npm run cost`). Part of EnvironmentSchema. */
import { z } from "zod";

export const CostSchema = z
  .object({
    /** Monthly budget, USD (seed 000 §10, seed 001). The gate fails above `max`. Required. */
    budgetUsd: z
      .object({ min: z.number().nonnegative(), max: z.number().positive() })
      .strict()
      .refine((b) => b.min <= b.max, { message: "budgetUsd.min must not exceed budgetUsd.max" }),
    /** Usage the estimate assumes; every figure is per month. */
    usage: z
      .object({
        /**
         * Hours a month the environment runs (`environment_running` true, D32): the NAT (gateways or instance)
         * and the tasks are billed for these hours only; everything else runs all month. @default 730 (always on)
         */
        runningHours: z.number().positive().max(744).default(730),
        /** GB through the NAT gateways (AI API calls, image pulls without endpoints). @default 50 */
        natGb: z.number().nonnegative().default(50),
        /** Average ALB load balancer capacity units. @default 1 */
        albLcu: z.number().nonnegative().default(1),
        /** GB of application and flow logs ingested into CloudWatch. @default 10 */
        logsGb: z.number().nonnegative().default(10),
        /** Million requests through each WAF web ACL. @default 1 */
        wafMillionRequests: z.number().nonnegative().default(1),
        /** GB CloudFront serves. @default 100 */
        cdnGb: z.number().nonnegative().default(100),
        /** GB stored in S3 across the buckets. @default 50 */
        s3Gb: z.number().nonnegative().default(50),
        /**
         * GB sent straight to the internet each month (ALB responses not served through CloudFront,
         * NAT egress to external APIs), billed as EC2 data transfer out. Seed 000 §10 budgets it as
         * "Data Transfer": $10 dev, $30 staging, $100 production. @default 0
         */
        internetOutGb: z.number().nonnegative().default(0),
        /** GB held in the DR region's bucket replicas (each GB also crosses regions once). @default 0 */
        drReplicaGb: z.number().nonnegative().default(0),
        /**
         * Custom metric series the app's log lines create in a month (modules/monitoring/app-metrics.ts):
         * 2 per discipline seen, 1 per BNCC code searched, 2 overall. @default 0
         */
        appMetricSeries: z.number().int().nonnegative().default(0),
        /**
         * GB of app log lines shipped to Datadog when `compute.datadog.logs` is on (a copy of what `logsGb`
         * ingests into CloudWatch for the app log group): Firehose ingestion plus Datadog's log ingestion. @default 0
         */
        datadogLogGb: z.number().nonnegative().default(0),
        /**
         * Hours a month each one-off task of `compute.tasks` runs, summed over its runs (seed 004: the processor, started
         * by the state machine per video): its Fargate size for those hours, plus a public IPv4 address when it gets one. @default 0
         */
        taskHours: z.number().nonnegative().default(0),
      })
      .strict()
      .prefault({}),
    /**
     * Other states of the start/stop toggle `npm run cost` prints under the estimate (seed 002: always on,
     * 8 h a day, stopped), each priced with its own `runningHours` instead of `usage.runningHours`. @default []
     */
    scenarios: z
      .array(
        z
          .object({
            /** What the operator calls this state ("8 h/day"). */
            name: z.string().min(1).max(40),
            /** Hours a month `environment_running` is true in this state (0: stopped all month). */
            runningHours: z.number().nonnegative().max(744),
          })
          .strict(),
      )
      .default([]),
    /**
     * Datadog's own list prices, USD, priced only while `compute.datadog.enabled` (Pro plan, on-demand, from
     * https://www.datadoghq.com/pricing/ and the APM billing page
     * https://docs.datadoghq.com/account_management/billing/apm_tracing_profiler/, read 2026-11-30; annual
     * commitments are about 20% lower: $1 and $2 per task). Replace with the contract's prices.
     */
    datadogPrices: z
      .object({
        /** Infrastructure monitoring per concurrent Fargate task per month. @default 1.2 */
        fargateTaskMonth: z.number().nonnegative().default(1.2),
        /** APM per concurrent Fargate task per month (charged only when `compute.datadog.apm`). @default 2.4 */
        apmFargateTaskMonth: z.number().nonnegative().default(2.4),
        /** Log ingestion per GB (indexing and retention are billed on top, per million events). @default 0.1 */
        logIngestGb: z.number().nonnegative().default(0.1),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type CostConfig = z.output<typeof CostSchema>;
