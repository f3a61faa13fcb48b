/**
 * Logging of a module's web ACL (`aws_wafv2_web_acl.this[0]`): a KMS-encrypted CloudWatch log group
 * named `aws-waf-logs-…` (WAF accepts no other names) and the logging configuration, both created
 * only when `var.enable_waf` is true. Shared by the regional ACL (security) and CloudFront's (cdn).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { counted, expr, named } from "../../lib/core/module-stack";

export function wafLogging(
  scope: Construct,
  props: { readonly logGroupName: string; readonly retentionInDays: number; readonly kmsKeyId: string },
): TerraformResource[] {
  const group = counted(
    named(
      new CloudwatchLogGroup(scope, "waf_logs", {
        name: props.logGroupName,
        retentionInDays: props.retentionInDays,
        kmsKeyId: props.kmsKeyId,
      }),
      "waf",
    ),
    "var.enable_waf ? 1 : 0",
  );
  const logging = counted(
    named(
      new Wafv2WebAclLoggingConfiguration(scope, "web_acl_logging", {
        resourceArn: expr("aws_wafv2_web_acl.this[0].arn"),
        logDestinationConfigs: [expr("aws_cloudwatch_log_group.waf[0].arn")],
      }),
      "this",
    ),
    "var.enable_waf ? 1 : 0",
  );
  return [group, logging];
}
