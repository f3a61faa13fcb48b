/** Production rails: every stateful resource refuses to be destroyed by a plan. */
import { synthAll, type Json } from "../helpers/synth";

const { stacks } = synthAll();

/** Resource types that hold data or keys that cannot be recreated. */
const STATEFUL = [
  "aws_kms_key",
  "aws_s3_bucket",
  "aws_elasticache_replication_group",
  "aws_db_instance",
  "aws_secretsmanager_secret",
];
/** Recreatable from their source: read replicas copy the primary again. */
const RECREATABLE = new Set(["module.database.aws_db_instance.replica"]);

function stateful(ws: string): { address: string; body: Json }[] {
  const out: { address: string; body: Json }[] = [];
  for (const [module, tf] of Object.entries(stacks[ws].modules)) {
    for (const type of STATEFUL) {
      for (const [name, body] of Object.entries<Json>(tf.resource?.[type] ?? {})) {
        const address = `module.${module}.${type}.${name}`;
        if (!RECREATABLE.has(address)) out.push({ address, body });
      }
    }
  }
  return out;
}

test("production has stateful resources in every data module", () => {
  const modules = new Set(stateful("production").map((r) => r.address.split(".")[1]));
  expect([...modules].sort()).toEqual(["cache", "cdn", "database", "dr", "network", "security", "storage"]);
});

test("the flow log key is enumerated as stateful and carries prevent_destroy in production only", () => {
  expect(stateful("production").map((r) => r.address)).toContain("module.network.aws_kms_key.flow_logs");
  const rail = (ws: string) => stacks[ws].modules.network.resource.aws_kms_key.flow_logs.lifecycle?.prevent_destroy;
  expect({ dev: rail("dev"), staging: rail("staging"), production: rail("production") }).toEqual({
    dev: false,
    staging: false,
    production: true,
  });
});

test("in production every stateful resource has prevent_destroy, or is a secret with a recovery window", () => {
  const unprotected = stateful("production")
    .filter(({ body }) => body.lifecycle?.prevent_destroy !== true)
    .filter(({ address }) => !address.includes("aws_secretsmanager_secret."))
    .map((r) => r.address);
  expect(unprotected).toEqual([]);
});

test("production secrets can be recovered for 30 days (the Redis AUTH secret excepted, D45)", () => {
  expect(stacks.production.root.module.security.secret_recovery_window_days).toBe(30);
  expect(stacks.production.modules.cache.resource.aws_secretsmanager_secret.redis_auth.recovery_window_in_days).toBe(0);
});

test("the production database is also deletion-protected through the API", () => {
  expect(stacks.production.root.module.database.deletion_protection).toBe(true);
});

test("dev can be torn down: nothing stateful carries prevent_destroy", () => {
  expect(
    stateful("dev")
      .filter(({ body }) => body.lifecycle?.prevent_destroy === true)
      .map((r) => r.address),
  ).toEqual([]);
});
