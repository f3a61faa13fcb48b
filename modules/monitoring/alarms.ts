/**
 * The alarm topic and its subscriptions, and the one way every alarm of the module is made: named
 * `<prefix>-<suffix>` (`-<instance>` for one of several), notifying the topic on ALARM and on OK.
 */
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Fn, TerraformIterator, Token } from "cdktf";
import type { Construct } from "constructs";
import { named, present } from "../../lib/core/module-stack";
import { MONITORING_PRESENCE, type MetricAlarmConfig } from "./config";

/** An alarm: `<prefix>-<suffix>`, or `<prefix>-<suffix>-<instance>` for one of several (`instance` an HCL template part with count.index, D130). */
export type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, "alarmActions" | "okActions" | "alarmName"> & {
  readonly suffix: string;
  readonly instance?: string;
};

/** Makes one alarm of the module (address `aws_cloudwatch_metric_alarm.<suffix_snake>`). */
export type Alarm = (spec: AlarmSpec) => CloudwatchMetricAlarm;

/** The KMS-encrypted topic every alarm notifies, with one e-mail subscription per address (`for_each`). */
export function alarmTopic(
  scope: Construct,
  p: { readonly prefix: string; readonly kmsKeyArn: string; readonly emails: string[] },
): SnsTopic {
  const topic = named(
    new SnsTopic(scope, "alarms_topic", { name: `${p.prefix}-alarms`, kmsMasterKeyId: p.kmsKeyArn }),
    "alarms",
  );
  const emails = Token.asAny(Fn.toset(p.emails));
  present(
    named(
      new SnsTopicSubscription(scope, "alarm_email", {
        topicArn: topic.arn,
        protocol: "email",
        endpoint: TerraformIterator.fromList(emails).value,
      }),
      "email",
    ),
    MONITORING_PRESENCE,
  );
  return topic;
}

/** The alarm maker of a module: names under `prefix`, actions to `topic`. */
export function alarmFactory(scope: Construct, prefix: string, topic: SnsTopic): Alarm {
  return ({ suffix, instance, ...config }: AlarmSpec) =>
    named(
      new CloudwatchMetricAlarm(scope, `alarm_${suffix.replace(/-/g, "_")}`, {
        ...config,
        alarmName: `${prefix}-${suffix}${instance === undefined ? "" : `-${instance}`}`,
        alarmActions: [topic.arn],
        okActions: [topic.arn],
      }),
      suffix.replace(/-/g, "_"),
    );
}

/** Alarms on any metric (monitoring.metricAlarms; seed 004: Step Functions, Bedrock): `metric_<name_snake>`. */
export function metricAlarms(
  scope: Construct,
  p: { readonly prefix: string; readonly topic: SnsTopic; readonly alarms: readonly MetricAlarmConfig[] },
): void {
  for (const a of p.alarms) {
    const id = `metric_${a.name.replace(/-/g, "_")}`;
    named(
      new CloudwatchMetricAlarm(scope, `alarm_${id}`, {
        alarmName: `${p.prefix}-${a.name}`,
        alarmDescription: a.description,
        namespace: a.namespace,
        metricName: a.metric,
        dimensions: Object.keys(a.dimensions).length > 0 ? a.dimensions : undefined,
        statistic: a.statistic,
        period: a.periodSeconds,
        evaluationPeriods: a.evaluationPeriods,
        threshold: a.threshold,
        comparisonOperator: a.comparison,
        treatMissingData: a.treatMissingData,
        alarmActions: [p.topic.arn],
        okActions: [p.topic.arn],
      }),
      id,
    );
  }
}
