/** The database's alarms: CPU, free storage, connections, and one replica-lag alarm per read replica. */
import { Op, TerraformCount, Token } from "cdktf";
import { hcl } from "../../lib/core/tokens";
import { present } from "../../lib/core/module-stack";
import type { Alarm } from "./alarms";
import { MONITORING_PRESENCE, type Thresholds } from "./config";

/** The module's RDS variables, as tokens. */
export interface RdsRefs {
  readonly instanceId: string;
  readonly allocatedStorageGb: number;
  readonly replicaCount: number;
  /** The parameter group's max_connections (a literal: the threshold is computed here). */
  readonly maxConnections: number;
}

export function rdsAlarms(alarm: Alarm, t: Thresholds, rds: RdsRefs): void {
  const dimensions = { DBInstanceIdentifier: rds.instanceId };
  alarm({
    suffix: "rds-cpu-high",
    alarmDescription: `RDS CPU above ${t.rdsCpuPercent}% for 10 minutes`,
    namespace: "AWS/RDS",
    metricName: "CPUUtilization",
    dimensions,
    statistic: "Average",
    period: 300,
    evaluationPeriods: 2,
    threshold: t.rdsCpuPercent,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "missing",
  });
  alarm({
    suffix: "rds-free-storage-low",
    alarmDescription: `RDS free storage below ${t.rdsFreeStoragePercent}% of the allocated storage`,
    namespace: "AWS/RDS",
    metricName: "FreeStorageSpace",
    dimensions,
    statistic: "Minimum",
    period: 300,
    evaluationPeriods: 1,
    threshold: Token.asNumber(Op.mul(Op.mul(rds.allocatedStorageGb, 1000000000), t.rdsFreeStoragePercent / 100)),
    comparisonOperator: "LessThanThreshold",
    treatMissingData: "missing",
  });
  alarm({
    suffix: "rds-connections-high",
    alarmDescription: `RDS connections above ${t.rdsConnectionsPercent}% of max_connections (${rds.maxConnections})`,
    namespace: "AWS/RDS",
    metricName: "DatabaseConnections",
    dimensions,
    statistic: "Maximum",
    period: 300,
    evaluationPeriods: 2,
    threshold: Math.floor((rds.maxConnections * t.rdsConnectionsPercent) / 100),
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "missing",
  });
  // One alarm per replica, named after it (`-replica-1` …): one name for all would be one alarm (D130).
  const index = TerraformCount.of(rds.replicaCount).index;
  const replica = `${rds.instanceId}-replica-${Token.asString(Op.add(index, 1))}`;
  present(
    alarm({
      suffix: "rds-replica-lag",
      // `${count.index + 1}` (the replica's `(count.index + 1)` without parentheses, as the name has always read).
      instance: hcl`${index} + 1`,
      alarmDescription: `Read replica ${replica} more than ${t.rdsReplicaLagSeconds}s behind`,
      namespace: "AWS/RDS",
      metricName: "ReplicaLag",
      dimensions: { DBInstanceIdentifier: replica },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 5,
      threshold: t.rdsReplicaLagSeconds,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "missing",
    }),
    MONITORING_PRESENCE,
  );
}
