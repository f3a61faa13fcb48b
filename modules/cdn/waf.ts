/**
 * The CLOUDFRONT-scope web ACL (us-east-1) the distribution is associated with, its log key and its logging.
 * It carries the rate-per-IP, geo and IP-reputation rules when CloudFront fronts the ALB (security/waf.ts).
 */
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { propertyAccess, Token, type TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { blockPresence, named, onProvider, present } from "../../lib/core/module-stack";
import { CDN_PRESENCE } from "./config";
import { logsKey } from "../security/kms";
import { wafLogging } from "../security/waf-logging";
import { wafRules } from "../security/waf";

export const inUsEast1 = <T extends TerraformResource>(r: T): T => onProvider(r, "us_east_1");

export interface CdnWafOptions {
  /** Name prefix (token). */
  readonly name: string;
  /** AWS account id (token): the key policy names it. */
  readonly account: string;
  /** Retention of the WAF log group, in days (token). */
  readonly logRetentionDays: number;
  /** Deletion window of the WAF log key, in days (token). */
  readonly kmsDeletionWindowDays: number;
  readonly preventDestroy: boolean;
}

/** `aws_wafv2_web_acl.this` (counted on `enable_waf`) with its log key and logging; returns the ACL. */
export function cdnWebAcl(scope: Construct, o: CdnWafOptions): Wafv2WebAcl {
  const acl = new Wafv2WebAcl(scope, "web_acl", {
    name: `${o.name}-cdn`,
    description: "CloudFront web ACL",
    scope: "CLOUDFRONT",
    defaultAction: { allow: {} },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${o.name}-cdn`, sampledRequestsEnabled: true },
  });
  inUsEast1(present(named(acl, "this"), CDN_PRESENCE));
  const rules = wafRules(`${o.name}-cdn`, blockPresence(acl, CDN_PRESENCE, "rule"));
  acl.addOverride("rule", rules.static);
  acl.addOverride("dynamic", { rule: rules.dynamic });

  // WAF logs of a CLOUDFRONT ACL live in us-east-1, so they get a key of their own there: the
  // security module's logs key is in the workspace's region.
  const key = inUsEast1(
    logsKey(scope, "waf_logs", {
      description: `CloudFront WAF logs key of ${o.name}`,
      context: { account: o.account, region: "us-east-1", name: o.name },
      deletionWindowInDays: o.kmsDeletionWindowDays,
      presence: CDN_PRESENCE,
      preventDestroy: o.preventDestroy,
    }),
  );
  // WAF only logs to groups whose name starts with aws-waf-logs-.
  const logging = wafLogging(scope, {
    logGroupName: `aws-waf-logs-${o.name}-cdn`,
    retentionInDays: o.logRetentionDays,
    kmsKeyId: Token.asString(propertyAccess(key, [0, "arn"])),
    acl,
    presence: CDN_PRESENCE,
  });
  for (const r of logging) inUsEast1(r);
  return acl;
}
