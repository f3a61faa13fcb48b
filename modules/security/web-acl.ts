/**
 * The regional web ACL of the application load balancer (`aws_wafv2_web_acl.this`, created when `enable_waf`),
 * its rules (waf.ts) and its `aws-waf-logs-` log group (waf-logging.ts), with the inputs that drive them.
 */
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Fn, Op, propertyAccess, Token } from "cdktf";
import { blockPresence, named, present } from "../../lib/core/module-stack";
import { retentionValidation } from "../../lib/core/validations";
import { SECURITY_PRESENCE, WAF_MAX_LARGE_BODY_PATHS, WAF_MIN_RATE_LIMIT, WAF_PATH_PREFIX_RE } from "./config";
import { forExpr, type SecurityPart } from "./context";
import { wafRules } from "./waf";
import { wafLogging } from "./waf-logging";

/** The ACL and output `web_acl_arn`. `ipRules`: the IP-keyed rules live on this ACL (false when CloudFront fronts the ALB, D52). */
export function webAcl(part: SecurityPart, logsKey: KmsKey, ipRules: boolean): void {
  const { scope, input, name } = part;
  const waf = part.settings.waf;
  // Read by the presence of the ACL and its logs (SECURITY_PRESENCE).
  input("enable_waf", waf.enabled, {
    type: "bool",
    description: "Create the regional web ACL.",
  });
  const rateLimit = input("waf_rate_limit", waf.rateLimitPerMinute, {
    type: "number",
    description: "Requests per IP per 60-second window before blocking.",
  });
  rateLimit.addValidation({
    condition: Op.gte(rateLimit.numberValue, WAF_MIN_RATE_LIMIT),
    errorMessage: `AWS WAF's minimum rate limit is ${WAF_MIN_RATE_LIMIT} requests per evaluation window, got ${Token.asString(rateLimit.numberValue)}`,
  });
  const countries = input("waf_allowed_countries", waf.allowedCountries, {
    type: "list(string)",
    description: "ISO 3166-1 alpha-2 countries allowed; others are blocked. Empty disables the geo rule.",
  });
  countries.addValidation({
    condition: forExpr`alltrue([for c in ${countries.listValue} : can(regex("^[A-Z]{2}$", c))])`,
    errorMessage: "waf_allowed_countries must hold ISO 3166-1 alpha-2 codes such as BR.",
  });
  const paths = input("waf_large_body_paths", waf.largeBodyPaths, {
    type: "list(string)",
    description:
      "Path prefixes whose requests may carry bodies over 8 KB (SizeRestrictions_BODY counts there, blocks elsewhere). Empty: blocked everywhere.",
  });
  const pathRegex = WAF_PATH_PREFIX_RE.source.replace(/\\/g, "\\\\");
  const list = Token.asString(paths.listValue);
  paths.addValidation({
    condition: forExpr`alltrue([for p in ${list} : can(regex("${pathRegex}", p))]) && length(${list}) <= ${String(WAF_MAX_LARGE_BODY_PATHS)}`,
    errorMessage: `waf_large_body_paths must hold at most ${WAF_MAX_LARGE_BODY_PATHS} path prefixes such as /webhooks (letters, digits, _, - and /).`,
  });
  // Read by the presence of the Bot Control rule (SECURITY_PRESENCE).
  input("waf_enable_bot_control", waf.botControl, {
    type: "bool",
    description: "Bot Control managed rule group (billed per request).",
  });
  const ipRulesOn = input("waf_ip_rules", ipRules, {
    type: "bool",
    description:
      "Rate per IP, geo allow-list and IP reputation on this ACL; false behind CloudFront, whose ACL sees the viewer IPs and carries them.",
  }).booleanValue;
  const retention = input("waf_log_retention_days", waf.logRetentionDays, {
    type: "number",
    description: "Retention of the WAF log group.",
    validations: [retentionValidation("waf_log_retention_days")],
  }).numberValue;

  const acl = present(
    named(
      new Wafv2WebAcl(scope, "web_acl", {
        name: `${name}-web-acl`,
        description: "Regional web ACL of the application load balancer",
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        visibilityConfig: {
          cloudwatchMetricsEnabled: true,
          metricName: `${name}-web-acl`,
          sampledRequestsEnabled: true,
        },
      }),
      "this",
    ),
    SECURITY_PRESENCE,
  );
  const rules = wafRules(name, blockPresence(acl, SECURITY_PRESENCE, "rule"), {
    rateLimit: rateLimit.numberValue,
    allowedCountries: countries.listValue,
    ipRules: ipRulesOn,
    largeBodyPaths: paths.listValue,
  });
  acl.addOverride("rule", rules.static);
  acl.addOverride("dynamic", { rule: rules.dynamic });
  // WAF only logs to groups whose name starts with aws-waf-logs-.
  wafLogging(scope, {
    logGroupName: `aws-waf-logs-${name}`,
    retentionInDays: retention,
    kmsKeyId: logsKey.arn,
    acl,
    presence: SECURITY_PRESENCE,
  });
  part.output(
    "web_acl_arn",
    Fn.one(propertyAccess(acl, ["*", "arn"])),
    "Regional web ACL for the ALB, or null when WAF is off.",
  );
}
