/** The cache engines and versions (no provider imports: the config schema reads them). */
const REDIS_PARAMETER_GROUP_DESCRIPTION = "Redis 7 parameters of the platform";

/** ElastiCache engines of the replication group: Redis OSS, or Valkey (its drop-in successor, cheaper per node). */
export const CACHE_ENGINES = ["redis", "valkey"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];
/** Engine versions ElastiCache offers per engine (the schema's choice; Valkey starts at 7.2). */
export const CACHE_ENGINE_VERSIONS: Readonly<Record<CacheEngine, readonly string[]>> = {
  redis: ["7.0", "7.1"],
  valkey: ["7.2", "8.0"],
};
/** The version each engine runs when the config names none. */
export const DEFAULT_ENGINE_VERSION: Readonly<Record<CacheEngine, string>> = { redis: "7.1", valkey: "7.2" };

/** Parameter group family of an engine and version: `redis7` (Redis OSS 7.x), `valkey7` (7.2), `valkey8` (8.0). */
export function parameterFamily(engine: CacheEngine, version: string): string {
  return engine === "redis" ? "redis7" : `valkey${version.split(".")[0]}`;
}

/** The parameter group's description: unchanged for Redis OSS (its name digest stays), the engine's own for Valkey. */
export function parameterGroupDescription(engine: CacheEngine, version: string): string {
  return engine === "redis"
    ? REDIS_PARAMETER_GROUP_DESCRIPTION
    : `Valkey ${version.split(".")[0]} parameters of the platform`;
}
