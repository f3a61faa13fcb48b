/** database — the postgres parameter group: seed 001's parameters plus `rds.force_ssl`. */
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import type { Construct } from "constructs";
import type { ModuleSettings } from "../../lib/core/knobs";
import { named } from "../../lib/core/module-stack";
import type { DATABASE_KNOBS, DatabaseConfig } from "./config";

type ParameterSettings = Pick<
  ModuleSettings<DatabaseConfig, typeof DATABASE_KNOBS.knobs>,
  "maxConnections" | "workMemMb" | "effectiveCacheSizeGb"
>;

/** The parameters, decided at synthesis. Units are RDS's: work_mem in kB, effective_cache_size in 8 kB pages. */
export function postgresParameters(
  settings: ParameterSettings,
): { name: string; value: string; applyMethod: string }[] {
  const parameters = [
    { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
    { name: "max_connections", value: String(settings.maxConnections ?? 200), applyMethod: "pending-reboot" },
    { name: "work_mem", value: String((settings.workMemMb ?? 16) * 1024), applyMethod: "immediate" },
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
  ];
  if (settings.effectiveCacheSizeGb !== undefined) {
    parameters.push({
      name: "effective_cache_size",
      value: String(Math.round((settings.effectiveCacheSizeGb * 1024 * 1024) / 8)),
      applyMethod: "immediate",
    });
  }
  return parameters;
}

/**
 * `aws_db_parameter_group.postgres`. name_prefix, not name: with create_before_destroy the replacement (a family
 * change, a major upgrade) is created while the old group still holds its name, and names are unique per account.
 */
export function postgresParameterGroup(
  scope: Construct,
  p: { readonly name: string; readonly engineVersion: string; readonly settings: ParameterSettings },
): DbParameterGroup {
  return named(
    new DbParameterGroup(scope, "db_params", {
      namePrefix: `${p.name}-postgres${p.engineVersion}-`,
      family: `postgres${p.engineVersion}`,
      description: "PostgreSQL parameters of the platform (seed 001)",
      parameter: postgresParameters(p.settings),
      lifecycle: { createBeforeDestroy: true },
    }),
    "postgres",
  );
}
