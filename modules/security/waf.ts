/**
 * Rules of a web ACL, as Terraform JSON blocks (the provider's nested statement types are too deep
 * for typed bindings). Order is priority: geo allow-list, rate limit, IP reputation, common rules
 * (XSS and friends), known bad inputs, SQL injection, Bot Control, and the large-body rule (7) where
 * some paths may carry bodies over 8 KB.
 *
 * The first three are keyed on the client IP WAF sees. Behind CloudFront the regional ACL sees
 * CloudFront's edge addresses, so they belong on the CloudFront ACL (docs/decisions.md, D52):
 * `ipRules`, a bool variable's token, switches them on the ACL being built.
 */
import { conditional, Fn, Lazy, Op, TerraformStack, Token, type IResolvable, type TerraformVariable } from "cdktf";
import { ZERO } from "../../lib/core/tokens";

/** Seconds over which the rate-based rule counts requests (seed 001: per minute). */
export const WAF_RATE_WINDOW_SECONDS = 60;

const visibility = (metric: string) => [
  { cloudwatch_metrics_enabled: true, metric_name: metric, sampled_requests_enabled: true },
];

function managed(name: string, priority: number, prefix: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    priority,
    override_action: [{ none: [{}] }],
    statement: [{ managed_rule_group_statement: [{ name, vendor_name: "AWS", ...extra }] }],
    visibility_config: visibility(`${prefix}-${name}`),
  };
}

/** The common rule set's rule that blocks request bodies over 8 KB, and the label it adds to them (AWS WAF, "Baseline rule groups"). */
export const SIZE_RESTRICTIONS_BODY = {
  rule: "SizeRestrictions_BODY",
  label: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body",
} as const;
/** Name of the rule that blocks large bodies outside the configured path prefixes (after the common rule set counts them). */
export const LARGE_BODY_RULE = "large-body-outside-allowed-paths";

/** The Bot Control managed rule group, a rule of its own while `waf_enable_bot_control`. */
export const BOT_CONTROL = "AWSManagedRulesBotControlRuleSet";

/** Names of the rules keyed on the client IP (moved to the CloudFront ACL behind CloudFront). */
export const IP_KEYED_RULES = ["geo-allow-list", "rate-limit-per-ip", "AWSManagedRulesAmazonIpReputationList"] as const;

/** The module variables the rules read, as tokens. */
export interface WafRuleInputs {
  /** Requests per IP per evaluation window (`waf_rate_limit`). */
  readonly rateLimit: number;
  /** ISO codes allowed in (`waf_allowed_countries`); empty: no geo rule. */
  readonly allowedCountries: string[];
  /** Switches the IP-keyed rules on this ACL (see the header). @default always on */
  readonly ipRules?: boolean | IResolvable;
  /**
   * Path prefixes whose requests may carry bodies over 8 KB: while the list is non-empty the common rule set only
   * counts SizeRestrictions_BODY, and a rule after it blocks the requests that carry its label outside those
   * prefixes (D161). @default no large-body rule
   */
  readonly largeBodyPaths?: string[];
}

/** A value of the variable `name` of the module whose JSON is being written (found when it is written). */
const variableOf = (name: string, value: (v: TerraformVariable) => unknown) =>
  Lazy.anyValue({ produce: (c) => value(TerraformStack.of(c.scope).node.findChild(name) as TerraformVariable) });

/**
 * The variables of the same names (`waf_rate_limit`, `waf_allowed_countries`, `waf_enable_bot_control`) of the
 * module that calls wafRules without its tokens (cdn's CloudFront ACL, until it passes them).
 */
const SAME_NAMED_VARIABLES: WafRuleInputs = {
  rateLimit: Token.asNumber(variableOf("waf_rate_limit", (v) => v.numberValue)),
  allowedCountries: Token.asList(variableOf("waf_allowed_countries", (v) => v.listValue)),
};

/** `[1]` when `on`, else `[]`: the `for_each` of a dynamic block that exists or not. */
const onlyIf = (on: boolean | IResolvable) => conditional(on, [1], []);

/**
 * The ACL's rules: static ones, and `dynamic "rule"` blocks whose `for_each` `present(<rule name>)` gives (the calling
 * module's presence table, module-stack.ts `blockPresence`, D211).
 */
export function wafRules(
  prefix: string,
  present: (rule: string) => IResolvable,
  inputs: WafRuleInputs = SAME_NAMED_VARIABLES,
): { static: object[]; dynamic: object[] } {
  const rate = {
    name: "rate-limit-per-ip",
    priority: 1,
    action: [{ block: [{}] }],
    statement: [
      {
        rate_based_statement: [
          { limit: inputs.rateLimit, aggregate_key_type: "IP", evaluation_window_sec: WAF_RATE_WINDOW_SECONDS },
        ],
      },
    ],
    visibility_config: visibility(`${prefix}-rate-limit-per-ip`),
  };
  const reputation = managed("AWSManagedRulesAmazonIpReputationList", 2, prefix);
  const ipRules = inputs.ipRules;
  const paths = inputs.largeBodyPaths;
  const largeBody = paths
    ? { on: onlyIf(Op.gt(Fn.lengthOf(paths), ZERO)), regex: `^(${Fn.join("|", paths)})` }
    : undefined;
  return {
    static: [
      ...(ipRules === undefined ? [rate, reputation] : []),
      managed(
        "AWSManagedRulesCommonRuleSet",
        3,
        prefix,
        largeBody
          ? {
              dynamic: {
                rule_action_override: {
                  for_each: largeBody.on,
                  content: { name: SIZE_RESTRICTIONS_BODY.rule, action_to_use: [{ count: [{}] }] },
                },
              },
            }
          : {},
      ),
      managed("AWSManagedRulesKnownBadInputsRuleSet", 4, prefix),
      managed("AWSManagedRulesSQLiRuleSet", 5, prefix),
    ],
    dynamic: [
      ...(ipRules === undefined
        ? []
        : [rate, reputation].map((content) => ({ for_each: present(content.name), content }))),
      {
        for_each: present("geo-allow-list"),
        content: {
          name: "geo-allow-list",
          priority: 0,
          action: [{ block: [{}] }],
          statement: [
            {
              not_statement: [{ statement: [{ geo_match_statement: [{ country_codes: inputs.allowedCountries }] }] }],
            },
          ],
          visibility_config: visibility(`${prefix}-geo-allow-list`),
        },
      },
      ...(largeBody
        ? [
            {
              for_each: present(LARGE_BODY_RULE),
              content: {
                name: LARGE_BODY_RULE,
                priority: 7,
                action: [{ block: [{}] }],
                statement: [
                  {
                    and_statement: [
                      {
                        statement: [
                          { label_match_statement: [{ scope: "LABEL", key: SIZE_RESTRICTIONS_BODY.label }] },
                          {
                            not_statement: [
                              {
                                statement: [
                                  {
                                    regex_match_statement: [
                                      {
                                        regex_string: largeBody.regex,
                                        field_to_match: [{ uri_path: [{}] }],
                                        text_transformation: [{ priority: 0, type: "NONE" }],
                                      },
                                    ],
                                  },
                                ],
                              },
                            ],
                          },
                        ],
                      },
                    ],
                  },
                ],
                visibility_config: visibility(`${prefix}-${LARGE_BODY_RULE}`),
              },
            },
          ]
        : []),
      {
        for_each: present(BOT_CONTROL),
        content: {
          ...managed(BOT_CONTROL, 6, prefix),
        },
      },
    ],
  };
}
