/**
 * Logging of a module's web ACL (`aws_wafv2_web_acl.this[0]`): a KMS-encrypted CloudWatch log group
 * named `aws-waf-logs-…` (WAF accepts no other names) and the logging configuration, both created
 * only when the module's `enable_waf` is true. Shared by the regional ACL (security) and CloudFront's (cdn).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { named, present } from "../../lib/core/module-stack";
import type { PresenceTable } from "../../lib/core/rules";
import { firstOf } from "../../lib/core/tokens";

export interface WafLoggingProps {
  readonly logGroupName: string;
  readonly retentionInDays: number;
  readonly kmsKeyId: string;
  /** The counted web ACL. @default the scope's `web_acl` */
  readonly acl?: Wafv2WebAcl;
  /** The module's presence table, which says when the log group and the logging configuration exist (D211). */
  readonly presence: PresenceTable;
}

export function wafLogging(scope: Construct, props: WafLoggingProps): TerraformResource[] {
  const acl = props.acl ?? (scope.node.findChild("web_acl") as Wafv2WebAcl);
  const group = present(
    named(
      new CloudwatchLogGroup(scope, "waf_logs", {
        name: props.logGroupName,
        retentionInDays: props.retentionInDays,
        kmsKeyId: props.kmsKeyId,
      }),
      "waf",
    ),
    props.presence,
  );
  const logging = present(
    named(
      new Wafv2WebAclLoggingConfiguration(scope, "web_acl_logging", {
        resourceArn: firstOf(acl, "arn"),
        logDestinationConfigs: [firstOf(group, "arn")],
      }),
      "this",
    ),
    props.presence,
  );
  return [group, logging];
}
