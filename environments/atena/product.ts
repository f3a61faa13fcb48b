/**
 * Atena (seed 002) as a product of the platform: the names its guide's runbook uses, given to the
 * neutral modules as values (`ATENA_DEFAULTS`, under every Atena environment file). Resources are
 * `atena-<workspace>-…`; its settings live in SSM Parameter Store under `/atena/<workspace>/` (D104).
 */
import type { Defaults } from "../product-spec";
import type { EnvironmentInput } from "../schema";

/** The parameters operators set with `aws ssm put-parameter --overwrite` (seed 002, "Configurar secrets no SSM"). */
export const ATENA_MANUAL_PARAMETERS = ["CLAUDE_API_KEY", "ADMIN_TOKEN", "TELEGRAM_BOT_TOKEN"] as const;

/** What every Atena environment has unless its file says otherwise. */
export const ATENA_DEFAULTS: Defaults<EnvironmentInput> = {
  project: "atena",
  storage: { bucketPrefix: "atena", buckets: {} },
  cache: { purpose: "BullMQ queues" },
  database: {
    databaseName: "atena",
    masterUsername: "atena_admin",
    appUsername: "atena_app",
    identifierSuffix: "db",
    // D174: the guide's app reads one DATABASE_URL, which Terraform writes with the password; a rotation would
    // leave it stale. Manual rotation (appPasswordVersion) rewrites both; automatic rotation waits for the app
    // to read DB_USERNAME and DB_PASSWORD instead.
    appRotation: {
      waiver: "D174 DATABASE_URL embeds the password - manual: raise database.appPasswordVersion - docs/operations.md",
    },
  },
  monitoring: { appMetrics: { namespace: "atena" } },
  compute: {
    // Seed 002's names: cluster atena-<ws>-cluster, log groups /ecs/atena-<ws>-api and /ecs/atena-<ws>-workers.
    clusterNameSuffix: "cluster",
    logGroupPerService: true,
    parameterStore: { manual: [...ATENA_MANUAL_PARAMETERS], databaseUrl: true, redisUrl: true },
  },
};
