/**
 * Rules of a web ACL, as Terraform JSON blocks (the provider's nested statement types are too deep
 * for typed bindings). Order is priority: geo allow-list, rate limit, IP reputation, common rules
 * (XSS and friends), known bad inputs, SQL injection, Bot Control.
 *
 * The first three are keyed on the client IP WAF sees. Behind CloudFront the regional ACL sees
 * CloudFront's edge addresses, so they belong on the CloudFront ACL (docs/decisions.md, D52):
 * `ipRulesVar` names a bool variable that switches them on the ACL being built.
 */

/** Seconds over which the rate-based rule counts requests (seed 001: per minute). */
export const WAF_RATE_WINDOW_SECONDS = 60;

const visibility = (metric: string) => [{ cloudwatch_metrics_enabled: true, metric_name: metric, sampled_requests_enabled: true }];

function managed(name: string, priority: number, prefix: string) {
  return {
    name,
    priority,
    override_action: [{ none: [{}] }],
    statement: [{ managed_rule_group_statement: [{ name, vendor_name: "AWS" }] }],
    visibility_config: visibility(`${prefix}-${name}`),
  };
}

/** Names of the rules keyed on the client IP (moved to the CloudFront ACL behind CloudFront). */
export const IP_KEYED_RULES = ["geo-allow-list", "rate-limit-per-ip", "AWSManagedRulesAmazonIpReputationList"] as const;

export function wafRules(prefix: string, options: { ipRulesVar?: string } = {}): { static: object[]; dynamic: object[] } {
  const rate = {
    name: "rate-limit-per-ip",
    priority: 1,
    action: [{ block: [{}] }],
    statement: [{ rate_based_statement: [{ limit: "${var.waf_rate_limit}", aggregate_key_type: "IP", evaluation_window_sec: WAF_RATE_WINDOW_SECONDS }] }],
    visibility_config: visibility(`${prefix}-rate-limit-per-ip`),
  };
  const reputation = managed("AWSManagedRulesAmazonIpReputationList", 2, prefix);
  const ipRules = options.ipRulesVar;
  const only = (cond: string) => (ipRules ? `var.${ipRules} && ${cond}` : cond);
  return {
    static: [
      ...(ipRules ? [] : [rate, reputation]),
      managed("AWSManagedRulesCommonRuleSet", 3, prefix),
      managed("AWSManagedRulesKnownBadInputsRuleSet", 4, prefix),
      managed("AWSManagedRulesSQLiRuleSet", 5, prefix),
    ],
    dynamic: [
      ...(ipRules ? [rate, reputation].map((content) => ({ for_each: `\${var.${ipRules} ? [1] : []}`, content })) : []),
      {
        for_each: `\${${only("length(var.waf_allowed_countries) > 0")} ? [1] : []}`,
        content: {
          name: "geo-allow-list",
          priority: 0,
          action: [{ block: [{}] }],
          statement: [{ not_statement: [{ statement: [{ geo_match_statement: [{ country_codes: "${var.waf_allowed_countries}" }] }] }] }],
          visibility_config: visibility(`${prefix}-geo-allow-list`),
        },
      },
      {
        for_each: "${var.waf_enable_bot_control ? [1] : []}",
        content: {
          ...managed("AWSManagedRulesBotControlRuleSet", 6, prefix),
        },
      },
    ],
  };
}
