/**
 * CloudFront standard logging (v2): a CloudWatch Logs vended-log delivery of the distribution's access logs
 * to the logs bucket (storage module), configured in us-east-1 where CloudFront's delivery source lives.
 */
import type { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { named } from "../../lib/core/module-stack";
import { inUsEast1 } from "./waf";

const part = <T extends TerraformResource>(r: T): T => inUsEast1(named(r, "cloudfront"));

/** Source, destination and delivery, all named `cloudfront`. */
export function accessLogDelivery(
  scope: Construct,
  distribution: CloudfrontDistribution,
  o: { readonly name: string; readonly destinationArn: string },
): void {
  const source = part(
    new CloudwatchLogDeliverySource(scope, "log_source", {
      name: `${o.name}-cdn`,
      logType: "ACCESS_LOGS",
      resourceArn: distribution.arn,
    }),
  );
  const destination = part(
    new CloudwatchLogDeliveryDestination(scope, "log_destination", {
      name: `${o.name}-cdn-s3`,
      outputFormat: "json",
      deliveryDestinationConfiguration: [{ destinationResourceArn: o.destinationArn }],
    }),
  );
  part(
    new CloudwatchLogDelivery(scope, "log_delivery", {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
    }),
  );
}
