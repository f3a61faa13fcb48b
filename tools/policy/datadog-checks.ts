/**
 * Apply-time rules for Datadog (compute.datadog, D78–D82), registered with the other apply rules
 * (apply-checks.ts): the API key never travels as a value, and the Firehose stream that ships logs to
 * Datadog is encrypted, HTTPS-only and backs failed records up encrypted. The third property the
 * Datadog sidecar needs — container reservations fit the task — is `fargate-task-size`.
 */
import type { Check } from "./check";
import { containers } from "./containers";
import { block, blocks, isSet, isTrue, list, perResource } from "./values";

/** Variable or option names that carry a credential (DD_API_KEY, DD_APP_KEY, apikey, …). */
export const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|APP_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;

const meta = { category: "apply", upstream: [], scope: "all" } as const;

export const DATADOG_CHECKS: readonly Check[] = [
  perResource(
    {
      ...meta,
      id: "datadog-api-key-by-reference",
      title:
        "The Datadog API key (or any credential) is never a value: not in a container's environment or log options, not a Firehose access_key",
      severity: "critical",
      sources: [
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
        "https://docs.aws.amazon.com/firehose/latest/dev/using-secrets-manager.html",
        "https://docs.datadoghq.com/integrations/ecs_fargate/",
      ],
    },
    ["aws_ecs_task_definition", "aws_kinesis_firehose_delivery_stream"],
    (r) => {
      if (r.type === "aws_kinesis_firehose_delivery_stream") {
        const http = block(r.config.http_endpoint_configuration);
        if (!http) return undefined;
        return isSet(http.access_key)
          ? "http_endpoint_configuration sets access_key: the key sits in the configuration and the state; read it from Secrets Manager (secrets_manager_configuration)"
          : undefined;
      }
      const defs = containers(r);
      if (!defs) return "container_definitions cannot be read";
      const leaks: string[] = [];
      for (const c of defs) {
        const name = String(c.name);
        for (const e of list(c.environment as { name: string }[] | undefined))
          if (CREDENTIAL_NAME.test(e.name)) leaks.push(`${name} environment ${e.name}`);
        const options = (c.logConfiguration as { options?: Record<string, unknown> } | undefined)?.options ?? {};
        for (const k of Object.keys(options)) if (CREDENTIAL_NAME.test(k)) leaks.push(`${name} log option ${k}`);
      }
      return leaks.length
        ? `credentials as plain values (readable by anyone who may describe the task definition): ${leaks.join(", ")}; pass them as secrets / secretOptions with valueFrom`
        : undefined;
    },
  ),
  perResource(
    {
      ...meta,
      id: "firehose-http-endpoint-secure",
      title:
        "A Firehose stream to an HTTP endpoint uses https://, is encrypted at rest and backs failed records up with KMS",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/firehose/latest/APIReference/API_HttpEndpointConfiguration.html",
        "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
        "https://docs.datadoghq.com/logs/guide/send-aws-services-logs-with-the-datadog-kinesis-firehose-destination/",
      ],
    },
    ["aws_kinesis_firehose_delivery_stream"],
    (r) => {
      const http = block(r.config.http_endpoint_configuration);
      const url = http?.url;
      if (typeof url === "string" && !url.startsWith("https://"))
        return `url ${url} is not https://: Firehose accepts only HTTPS endpoints`;
      const sse = block(r.config.server_side_encryption);
      if (block(r.config.kinesis_source_configuration) && isTrue(sse?.enabled))
        return "server_side_encryption is enabled on a stream whose source is a Kinesis data stream: Firehose refuses it (encrypt the source stream instead)";
      if (!block(r.config.kinesis_source_configuration) && !isTrue(sse?.enabled))
        return "server_side_encryption is not enabled: records wait in Firehose's buffer unencrypted";
      const s3 = block(http?.s3_configuration);
      if (s3 && !isSet(s3.kms_key_arn)) return "the S3 backup of failed records has no kms_key_arn";
      return undefined;
    },
    (r) => r.config.destination === "http_endpoint" || blocks(r.config.http_endpoint_configuration).length > 0,
  ),
];
