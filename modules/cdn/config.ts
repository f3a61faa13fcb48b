/** Configuration of the cdn module (CloudFront): the `cdn` section of an environment. */
import { z } from "zod";
import { compare, isTrue, lengthOf, NULL_TERM, type PresenceTable } from "../../lib/core/rules";

export const CdnSchema = z
  .object({
    /** CloudFront in front of the ALB (seed 000 §2.1: production). @default false */
    enabled: z.boolean().default(false),
    /** `PriceClass_All` reaches South American edges; 100/200 do not (docs/decisions.md). @default "PriceClass_All" */
    priceClass: z.enum(["PriceClass_All", "PriceClass_200", "PriceClass_100"]).default("PriceClass_All"),
    /** ACM certificate in us-east-1 for custom domains and TLS 1.2+. @default none (the cloudfront.net certificate) */
    certificateArn: z
      .string()
      .regex(
        /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
        "must be an ACM certificate ARN in us-east-1 (CloudFront only reads certificates there)",
      )
      .optional(),
    /** Custom domain names (need certificateArn). @default [] */
    aliases: z.array(z.string()).default([]),
    /** Path patterns cached as static assets. @default ["/static/*", "/assets/*"] */
    staticPaths: z.array(z.string().startsWith("/")).default(["/static/*", "/assets/*"]),
    /** CLOUDFRONT-scope WAF (us-east-1); carries the rate-per-IP, geo and IP-reputation rules when CloudFront fronts the ALB. @default true */
    waf: z.boolean().default(true),
    /**
     * Host name CloudFront uses to reach the ALB over HTTPS. CloudFront checks the origin's certificate against
     * this name (502 otherwise), so the ALB certificate (`compute.certificateArn`) must cover it, e.g.
     * `origin.example.com` or `*.example.com`, and DNS must resolve it to the ALB (see
     * `originRoute53ZoneId`). Required when the ALB serves HTTPS. @default none (origin = the ALB's own DNS name, HTTP only)
     */
    originDomainName: z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        "must be a lowercase DNS host name such as origin.example.com",
      )
      .optional(),
    /**
     * Public Route 53 hosted zone holding `originDomainName`: Terraform creates the alias record to the ALB.
     * Without it the record is an operator step (runbook) and a Terraform check warns at every plan.
     * @default none
     */
    originRoute53ZoneId: z
      .string()
      .regex(/^Z[0-9A-Z]{1,32}$/, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.aliases.length > 0 && !c.certificateArn) {
      ctx.addIssue({
        code: "custom",
        path: ["aliases"],
        message: "custom domain names need certificateArn (an ACM certificate in us-east-1)",
      });
    }
  });

export type CdnConfig = z.output<typeof CdnSchema>;

/**
 * Rules of the CloudFront web ACL that the config switches on (its `dynamic "rule"` blocks, waf.ts; the WAF settings
 * are `security.waf`'s), for the cost estimate: the geo allow-list, Bot Control. Its static rules are counted in the
 * synthesized JSON.
 */
export function cdnWafSwitchedRules(waf: {
  readonly allowedCountries: readonly string[];
  readonly botControl: boolean;
}): number {
  return (waf.allowedCountries.length > 0 ? 1 : 0) + (waf.botControl ? 1 : 0);
}

const WAF_ON = { when: isTrue("enable_waf") };

/**
 * Which of the module's resources exist, over its inputs (D211): the CloudFront web ACL, its log key, group and
 * logging with the WAF on; the origin's DNS record when a hosted zone is given.
 */
export const CDN_PRESENCE: PresenceTable = {
  aws_wafv2_web_acl: {
    this: {
      ...WAF_ON,
      blocks: {
        rule: {
          "geo-allow-list": compare(lengthOf("waf_allowed_countries"), ">", 0),
          AWSManagedRulesBotControlRuleSet: isTrue("waf_enable_bot_control"),
        },
      },
    },
  },
  aws_kms_key: { waf_logs: WAF_ON },
  aws_cloudwatch_log_group: { waf: WAF_ON },
  aws_wafv2_web_acl_logging_configuration: { this: WAF_ON },
  aws_route53_record: { origin: { when: compare("origin_route53_zone_id", "!=", NULL_TERM) } },
};
