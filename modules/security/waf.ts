/**
 * Rules of the regional web ACL, as Terraform JSON blocks (the provider's nested statement
 * types are too deep for typed bindings). Order is priority: geo allow-list, rate limit,
 * IP reputation, common rules (XSS and friends), known bad inputs, SQL injection, Bot Control.
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

export function wafRules(prefix: string): { static: object[]; dynamic: object[] } {
  return {
    static: [
      {
        name: "rate-limit-per-ip",
        priority: 1,
        action: [{ block: [{}] }],
        statement: [
          {
            rate_based_statement: [
              { limit: "${var.waf_rate_limit}", aggregate_key_type: "IP", evaluation_window_sec: WAF_RATE_WINDOW_SECONDS },
            ],
          },
        ],
        visibility_config: visibility(`${prefix}-rate-limit-per-ip`),
      },
      managed("AWSManagedRulesAmazonIpReputationList", 2, prefix),
      managed("AWSManagedRulesCommonRuleSet", 3, prefix),
      managed("AWSManagedRulesKnownBadInputsRuleSet", 4, prefix),
      managed("AWSManagedRulesSQLiRuleSet", 5, prefix),
    ],
    dynamic: [
      {
        for_each: "${length(var.waf_allowed_countries) > 0 ? [1] : []}",
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
