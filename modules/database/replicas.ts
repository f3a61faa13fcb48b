/** database — the read replicas `<identifier>-replica-<n>`, as many as the `db_replica_count` knob. */
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { Fn, Op, TerraformCount, Token } from "cdktf";
import type { Construct } from "constructs";
import { named, present } from "../../lib/core/module-stack";
import { DATABASE_PRESENCE } from "./config";
import { instanceCommon, type InstanceBase } from "./instance";

/** `aws_db_instance.replica`, counted; its class is `replica_instance_class` or the primary's. */
export function readReplicas(
  scope: Construct,
  p: {
    readonly base: InstanceBase;
    readonly identifier: string;
    readonly primary: DbInstance;
    /** Token of `replica_instance_class` (null for the primary's class). */
    readonly replicaClass: string;
  },
): DbInstance {
  const count = p.base.knobs.db_replica_count;
  const instance = TerraformCount.of(count).index;
  const replica = named(
    new DbInstance(scope, "db_replica", {
      ...instanceCommon(p.base),
      identifier: `${p.identifier}-replica-${Token.asString(Op.add(instance, 1))}`,
      instanceClass: Fn.coalesce([p.replicaClass, p.base.knobs.db_instance_class]),
      replicateSourceDb: p.primary.identifier,
      multiAz: false,
      backupRetentionPeriod: 0,
      skipFinalSnapshot: true,
      lifecycle: { preventDestroy: false },
    }),
    "replica",
  );
  return present(replica, DATABASE_PRESENCE);
}
