/**
 * A copy of the app log group to Datadog (compute.datadog.logs, D81): a CloudWatch Logs subscription
 * filter sends every line of `/ecs/<name>` to an Amazon Data Firehose stream whose destination is
 * Datadog's Firehose log intake for the configured site. CloudWatch keeps the original, so the
 * metric filters and alarms of D77 keep reading it (FireLens would replace awslogs, and with it them).
 *
 * - API key: Firehose reads it from the same secret as the agent (Secrets Manager integration, JSON
 *   key `api_key`: https://docs.aws.amazon.com/firehose/latest/dev/secrets-manager-whats-secret.html);
 *   no `access_key` value in the configuration or the state.
 * - Failed deliveries (after the retry window) land in the logs bucket under `datadog-failed/`,
 *   encrypted with the data key (SSE-KMS through S3); the stream's own buffer is encrypted at rest.
 * - Roles: CloudWatch Logs may only put records into this stream; Firehose may only write its backup
 *   prefix, read the one secret, decrypt with the data key through Secrets Manager / S3, and write its
 *   error log stream.
 * - An alarm fires when deliveries to Datadog fail (a wrong key or site shows up as HTTP 403).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogStream } from "@cdktf/provider-aws/lib/cloudwatch-log-stream";
import { CloudwatchLogSubscriptionFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KinesisFirehoseDeliveryStream } from "@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream";
import type { Construct } from "constructs";
import { DATADOG_FIREHOSE_LOG_URLS, type DatadogSite } from "../compute/datadog-config";
import { policyDocument, serviceTrust, type PolicyStatement } from "../../lib/constructs/iam";
import { named } from "../../lib/core/module-stack";

/** Prefix of failed records in the logs bucket. */
export const DATADOG_BACKUP_PREFIX = "datadog-failed/";
/** Firehose buffering towards Datadog: Datadog asks for at most 4 MiB per request; 60 s keeps logs near real time. */
export const DATADOG_BUFFER = { sizeMb: 4, intervalSeconds: 60 } as const;
/** Seconds Firehose retries a failed request before backing the batch up to S3. */
export const DATADOG_RETRY_SECONDS = 300;

export interface DatadogLogsProps {
  /** Firehose stream name (`<name>-datadog-logs`, an expression). */
  readonly streamName: string;
  readonly site: DatadogSite;
  /** Workspace, sent as the `env` tag with every batch. */
  readonly environmentName: string;
  readonly region: string;
  readonly accountId: string;
  /** App log group (name, an expression). */
  readonly logGroupName: string;
  readonly secretArn: string;
  readonly dataKmsKeyArn: string;
  readonly logsKmsKeyArn: string;
  readonly logsBucketArn: string;
  readonly errorLogRetentionDays: number;
}

export interface DatadogLogs {
  readonly stream: KinesisFirehoseDeliveryStream;
}

export function datadogLogs(scope: Construct, p: DatadogLogsProps): DatadogLogs {
  const delivery = firehoseDelivery(scope, p);
  const stream = deliveryStream(scope, p, delivery);
  logsSubscription(scope, p, stream);
  return { stream };
}

/** What Firehose delivers with: its role (and policy) and its error log group and stream. */
interface FirehoseDelivery {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly errorLogs: CloudwatchLogGroup;
  readonly errorStream: CloudwatchLogStream;
}

/** Firehose's error log, and its role: the backup prefix, the API key secret, the data key through S3 / Secrets Manager, the error log. */
function firehoseDelivery(scope: Construct, p: DatadogLogsProps): FirehoseDelivery {
  const errorLogs = named(
    new CloudwatchLogGroup(scope, "datadog_firehose_errors", {
      name: `/aws/kinesisfirehose/${p.streamName}`,
      retentionInDays: p.errorLogRetentionDays,
      kmsKeyId: p.logsKmsKeyArn,
    }),
    "datadog_firehose_errors",
  );
  const errorStream = named(
    new CloudwatchLogStream(scope, "datadog_firehose_delivery", {
      name: "DestinationDelivery",
      logGroupName: errorLogs.name,
    }),
    "datadog_firehose_delivery",
  );
  const role = named(
    new IamRole(scope, "datadog_firehose_role", {
      name: `${p.streamName}-firehose`,
      description: "Firehose delivers the app logs to Datadog: its backup prefix, the API key secret, its error log",
      assumeRolePolicy: serviceTrust("firehose.amazonaws.com", { StringEquals: { "aws:SourceAccount": p.accountId } }),
    }),
    "datadog_firehose",
  );
  const policy = named(
    new IamRolePolicy(scope, "datadog_firehose_policy", {
      name: "deliver-to-datadog",
      role: role.id,
      policy: policyDocument(firehoseStatements(p, errorLogs.arn)),
    }),
    "datadog_firehose",
  );
  return { role, policy, errorLogs, errorStream };
}

/** Firehose's documented S3 destination permissions narrowed to the backup prefix, the secret, its error log. */
function firehoseStatements(p: DatadogLogsProps, errorLogArn: string): PolicyStatement[] {
  return [
    {
      Sid: "BackupBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      Resource: p.logsBucketArn,
    },
    {
      Sid: "BackupObjects",
      Effect: "Allow",
      Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
      Resource: `${p.logsBucketArn}/${DATADOG_BACKUP_PREFIX}*`,
    },
    {
      Sid: "BackupEncryption",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: p.dataKmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` } },
    },
    { Sid: "ReadApiKey", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: p.secretArn },
    {
      Sid: "DecryptApiKey",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: p.dataKmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${p.region}.amazonaws.com` } },
    },
    { Sid: "ErrorLog", Effect: "Allow", Action: "logs:PutLogEvents", Resource: `${errorLogArn}:log-stream:*` },
  ];
}

/** The Firehose stream to Datadog's intake of the site; failed batches to the logs bucket. */
function deliveryStream(scope: Construct, p: DatadogLogsProps, d: FirehoseDelivery): KinesisFirehoseDeliveryStream {
  return named(
    new KinesisFirehoseDeliveryStream(scope, "datadog_logs", {
      name: p.streamName,
      destination: "http_endpoint",
      // Direct PUT (the subscription filter) can be encrypted at rest; an AWS owned key, because the
      // platform's keys admit no Firehose grants (D81).
      serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" },
      httpEndpointConfiguration: {
        url: DATADOG_FIREHOSE_LOG_URLS[p.site],
        name: `Datadog ${p.site}`,
        roleArn: d.role.arn,
        bufferingSize: DATADOG_BUFFER.sizeMb,
        bufferingInterval: DATADOG_BUFFER.intervalSeconds,
        retryDuration: DATADOG_RETRY_SECONDS,
        s3BackupMode: "FailedDataOnly",
        requestConfiguration: {
          contentEncoding: "GZIP",
          commonAttributes: [{ name: "env", value: p.environmentName }],
        },
        secretsManagerConfiguration: { enabled: true, secretArn: p.secretArn, roleArn: d.role.arn },
        cloudwatchLoggingOptions: { enabled: true, logGroupName: d.errorLogs.name, logStreamName: d.errorStream.name },
        s3Configuration: {
          roleArn: d.role.arn,
          bucketArn: p.logsBucketArn,
          prefix: DATADOG_BACKUP_PREFIX,
          errorOutputPrefix: `${DATADOG_BACKUP_PREFIX}errors/`,
          compressionFormat: "GZIP",
          kmsKeyArn: p.dataKmsKeyArn,
          bufferingSize: 5,
          bufferingInterval: 300,
        },
      },
      // The role's policy must exist before Firehose checks it can use the secret and the bucket.
      dependsOn: [d.policy],
    }),
    "datadog_logs",
  );
}

/** CloudWatch Logs → Firehose: the role CloudWatch Logs assumes may only put records into this stream. */
function logsSubscription(scope: Construct, p: DatadogLogsProps, stream: KinesisFirehoseDeliveryStream): void {
  const streamArn = `arn:aws:firehose:${p.region}:${p.accountId}:deliverystream/${p.streamName}`;
  const role = named(
    new IamRole(scope, "datadog_subscription_role", {
      name: `${p.streamName}-cwl`,
      description: "CloudWatch Logs puts the app log lines into the Datadog Firehose stream",
      assumeRolePolicy: serviceTrust("logs.amazonaws.com", {
        StringLike: { "aws:SourceArn": `arn:aws:logs:${p.region}:${p.accountId}:*` },
      }),
    }),
    "datadog_subscription",
  );
  const policy = named(
    new IamRolePolicy(scope, "datadog_subscription_policy", {
      name: "put-into-datadog-stream",
      role: role.id,
      policy: policyDocument([
        {
          Sid: "PutRecords",
          Effect: "Allow",
          Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
          Resource: streamArn,
        },
      ]),
    }),
    "datadog_subscription",
  );
  named(
    new CloudwatchLogSubscriptionFilter(scope, "datadog_logs_filter", {
      name: "datadog",
      logGroupName: p.logGroupName,
      // Every line: Datadog parses the JSON events itself.
      filterPattern: "",
      destinationArn: stream.arn,
      roleArn: role.arn,
      dependsOn: [policy],
    }),
    "datadog",
  );
}
