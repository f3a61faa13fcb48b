/** Knobs of the monitoring module (seed 000 §9, seed 001 "Observabilidade"). Part of EnvironmentSchema. */
import { z } from "zod";

export const ThresholdsSchema = z
  .object({
    /** ECS service CPU %, 10 minutes. @default 80 */
    ecsCpuPercent: z.number().min(1).max(100).default(80),
    /** ECS service memory %, 10 minutes. @default 80 */
    ecsMemoryPercent: z.number().min(1).max(100).default(80),
    /** RDS CPU %. @default 80 */
    rdsCpuPercent: z.number().min(1).max(100).default(80),
    /** Free storage below this % of the allocated storage. @default 10 */
    rdsFreeStoragePercent: z.number().min(1).max(90).default(10),
    /** Connections above this % of max_connections. @default 80 */
    rdsConnectionsPercent: z.number().min(1).max(100).default(80),
    /** Read replica lag, seconds. @default 60 */
    rdsReplicaLagSeconds: z.number().positive().default(60),
    /** Redis memory % (seed 000 §8.4). @default 80 */
    redisMemoryPercent: z.number().min(1).max(100).default(80),
    /** Redis engine CPU %. @default 90 */
    redisEngineCpuPercent: z.number().min(1).max(100).default(90),
    /** Evicted keys per 5 minutes. @default 100 */
    redisEvictions: z.number().int().min(0).default(100),
    /** Replication lag that means "Redis down" (seed 000 §9.2). @default 1000 */
    redisReplicationLag: z.number().positive().default(1000),
    /** Cache hit rate % below which the cache is missing too much (seed 000 §9.2: 70). @default 70 */
    cacheHitRatePercent: z.number().min(1).max(100).default(70),
    /** ALB 5xx responses per 5 minutes (ELB + targets). @default 5 */
    alb5xxPer5Minutes: z.number().int().min(0).default(5),
    /** Target p95 latency, ms (seed 001: P95 < 500 ms). @default 500 */
    albP95LatencyMs: z.number().positive().default(500),
    /** ERROR lines in the app log per 5 minutes. @default 10 */
    appErrorsPer5Minutes: z.number().int().min(0).default(10),
    /** p95 of the app's request durations, ms, overall and per alarmed discipline (seed 001: P95 < 500 ms). @default 500 */
    apiP95LatencyMs: z.number().positive().default(500),
    /** p95 of BNCC search durations, ms. @default 500 */
    bnccSearchP95LatencyMs: z.number().positive().default(500),
  })
  .strict();

export const MonitoringSchema = z
  .object({
    /** Prefix of alarm names: `<prefix>-redis-down` (seed 000 §9.2 uses `eduautismo-prod`). @default `eduautismo-<env>` */
    alarmPrefix: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/).optional(),
    /** E-mail addresses subscribed to the alarm topic (each confirms by e-mail). @default [] */
    alarmEmails: z.array(z.string().email()).default([]),
    thresholds: ThresholdsSchema.prefault({}),
    /**
     * Application metrics made from the app's JSON log lines (seed 001 §4; contract in
     * modules/monitoring/app-metrics.ts and docs/operations.md, "Application metrics").
     */
    appMetrics: z
      .object({
        /** Root of the namespaces: `<namespace>/disciplines`, `<namespace>/bncc`, `<namespace>/api`. @default "eduautismo" */
        namespace: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be letters, digits, dots, dashes or underscores").default("eduautismo"),
        /**
         * Disciplines (the `subject` value the app logs) that get their own p95 latency alarm; every
         * discipline is on the dashboard either way. Each alarm costs $0.10/month. @default []
         */
        disciplineAlarms: z.array(z.string().regex(/^[a-z0-9_-]{1,40}$/, "must be the subject as the app logs it (lowercase, digits, _ or -)")).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type MonitoringConfig = z.output<typeof MonitoringSchema>;
export type Thresholds = z.output<typeof ThresholdsSchema>;
