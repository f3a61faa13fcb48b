/**
 * cdn — CloudFront in front of the ALB (seed 000 §2.1, seed 001: production).
 *
 * Owns: the distribution (HTTPS only; API paths never cached, static paths cached and compressed),
 * a CLOUDFRONT-scope WAFv2 web ACL and the access-log delivery. CloudFront reads its WAF and its
 * certificates in us-east-1 only, so the module expects the provider alias `aws.us_east_1`, which
 * the workspace root passes whatever the workspace's region is.
 *
 * Depends on: compute (the ALB and its origin header) and storage (the log destination).
 */
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { CloudwatchLogDelivery } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktf/provider-aws/lib/cloudwatch-log-delivery-source";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import type { TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { counted, expr, ModuleStack, named, onProvider } from "../../lib/core/module-stack";
import { retentionValidation } from "../../lib/core/validations";
import { logsKey } from "../security/kms";
import { wafLogging } from "../security/waf-logging";
import { wafRules } from "../security/waf";
import { ORIGIN_VERIFY_HEADER } from "../compute";

/** AWS managed CloudFront policies (ids are global constants). */
export const CACHE_POLICY = {
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
};
export const ORIGIN_REQUEST_POLICY_ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/** Minimum TLS for viewers with our own certificate. */
export const CDN_MIN_TLS = "TLSv1.2_2021";
/** Why the default certificate is not enough (printed by a Terraform check at plan). */
export const DEFAULT_CERTIFICATE_WARNING =
  "CloudFront serves the default *.cloudfront.net certificate: no custom domain, and viewers may still negotiate TLS 1.0/1.1 " +
  "(a TLSv1.2_2021 minimum needs your own ACM certificate in us-east-1). Set cdn.certificateArn and cdn.aliases.";

/** What the plan-time check says while the origin host name has no DNS record managed here. */
export function originDnsWarning(originDomainName: string): string {
  return (
    `No Route 53 zone configured (cdn.originRoute53ZoneId), so Terraform does not create the DNS record of the origin ${originDomainName}. ` +
    `Create it yourself: ${originDomainName} CNAME (or alias A) to the ALB, terraform output -raw alb_dns_name. ` +
    "Until it resolves, CloudFront answers 502 to every request."
  );
}

export interface CdnProps {
  readonly name: string;
  /** ALB DNS name (compute module). */
  readonly albDnsName: string;
  /** Route 53 zone of the ALB (compute module), for the origin alias record. */
  readonly albZoneId: string;
  /**
   * Host name CloudFront uses for the ALB over HTTPS; the ALB certificate covers it. Decided at synthesis.
   * @default none (the ALB's DNS name, which only works over HTTP)
   */
  readonly originDomainName?: string;
  /** Public hosted zone of `originDomainName`: the module creates the alias record to the ALB. @default none */
  readonly originRoute53ZoneId?: string;
  /** Secret CloudFront sends in X-Origin-Verify (compute module), when the ALB takes only CloudFront. @default none */
  readonly originVerifyHeaderValue?: string;
  /** Whether the ALB has an HTTPS listener: then CloudFront talks HTTPS to it. */
  readonly albHttps: boolean;
  /** `<logs bucket ARN>/cloudfront` (storage module; exists once the bucket policy admits the log delivery). */
  readonly logDestinationArn: string;
  /** @default "PriceClass_All" */
  readonly priceClass?: string;
  /** ACM certificate in us-east-1; decided at synthesis (viewer certificate shape). @default none */
  readonly certificateArn?: string;
  /** @default [] */
  readonly aliases?: readonly string[];
  /** @default ["/static/*", "/assets/*"] */
  readonly staticPaths: readonly string[];
  /** CLOUDFRONT-scope WAF. @default true */
  readonly enableWaf?: boolean;
  /** Same knobs as the regional ACL. */
  readonly wafRateLimit: number;
  readonly wafAllowedCountries: readonly string[];
  readonly wafEnableBotControl: boolean;
  /** Account id: the key policy of the WAF log key names it. */
  readonly accountId: string;
  /** Retention of the CloudFront WAF's log group, in days. @default 30 */
  readonly wafLogRetentionDays?: number;
  /** Deletion window of the WAF log key, in days. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /** Refuse plans that destroy the WAF log key. @default false */
  readonly preventDestroy?: boolean;
}

const inUsEast1 = <T extends TerraformResource>(r: T): T => onProvider(r, "us_east_1");

export class CdnModule extends ModuleStack {
  override get providerAliases(): readonly string[] {
    return ["us_east_1"];
  }

  constructor(scope: Construct, workspace: string, props: CdnProps) {
    super(scope, workspace, "cdn");
    const name = this.input("name", props.name, { type: "string", description: "Name prefix." }).stringValue;
    const albDns = this.input("alb_dns_name", props.albDnsName, {
      type: "string",
      description: "Origin: the ALB's DNS name.",
    }).stringValue;
    this.input("log_destination_arn", props.logDestinationArn, {
      type: "string",
      description: "Where access logs go: <logs bucket ARN>/cloudfront.",
    });
    this.input("alb_zone_id", props.albZoneId, {
      type: "string",
      description: "Route 53 zone of the ALB (origin alias record).",
    });
    this.input("origin_domain_name", props.originDomainName ?? null, {
      type: "string",
      description:
        "Host name CloudFront reaches the ALB by over HTTPS (on the ALB certificate), or null for the ALB's DNS name.",
      default: null,
      nullable: true,
    });
    this.input("origin_route53_zone_id", props.originRoute53ZoneId ?? null, {
      type: "string",
      description:
        "Public hosted zone where the module creates origin_domain_name as an alias of the ALB, or null (operator step).",
      default: null,
      nullable: true,
    });
    if (props.originVerifyHeaderValue !== undefined) {
      this.input("origin_verify_header", props.originVerifyHeaderValue, {
        type: "string",
        description: `Secret value of ${ORIGIN_VERIFY_HEADER} (the ALB forwards nothing without it).`,
        sensitive: true,
      });
    }
    const priceClass = this.input("price_class", props.priceClass, {
      type: "string",
      description: "CloudFront price class.",
      default: "PriceClass_All",
    }).stringValue;
    this.input("aliases", props.aliases, { type: "list(string)", description: "Custom domain names.", default: [] });
    this.input("certificate_arn", props.certificateArn ?? null, {
      type: "string",
      description: "ACM certificate in us-east-1, or null.",
      default: null,
      nullable: true,
    });
    this.input("enable_waf", props.enableWaf, {
      type: "bool",
      description: "CLOUDFRONT-scope web ACL.",
      default: true,
    });
    this.input("waf_rate_limit", props.wafRateLimit, { type: "number", description: "Requests per IP per 60 s." });
    this.input("waf_allowed_countries", props.wafAllowedCountries, {
      type: "list(string)",
      description: "Countries allowed; empty disables the geo rule.",
    });
    this.input("waf_enable_bot_control", props.wafEnableBotControl, {
      type: "bool",
      description: "Bot Control managed rule group.",
    });

    const account = this.input("account_id", props.accountId, {
      type: "string",
      description: "AWS account id (key policy).",
    }).stringValue;
    const wafRetention = this.input("waf_log_retention_days", props.wafLogRetentionDays, {
      type: "number",
      description: "Retention of the CloudFront WAF log group, in days.",
      default: 30,
      validations: [retentionValidation("waf_log_retention_days")],
    }).numberValue;
    const deletionWindow = this.input("kms_deletion_window_days", props.kmsDeletionWindowDays, {
      type: "number",
      description: "Deletion window of the WAF log key.",
      default: 30,
    }).numberValue;

    const acl = inUsEast1(
      named(
        new Wafv2WebAcl(this, "web_acl", {
          name: `${name}-cdn`,
          description: "CloudFront web ACL",
          scope: "CLOUDFRONT",
          defaultAction: { allow: {} },
          visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${name}-cdn`, sampledRequestsEnabled: true },
        }),
        "this",
      ),
    );
    counted(acl, "var.enable_waf ? 1 : 0");
    const rules = wafRules(`${name}-cdn`);
    acl.addOverride("rule", rules.static);
    acl.addOverride("dynamic", { rule: rules.dynamic });

    // WAF logs of a CLOUDFRONT ACL live in us-east-1, so they get a key of their own there: the
    // security module's logs key is in the workspace's region.
    inUsEast1(
      logsKey(this, "waf_logs", {
        description: `CloudFront WAF logs key of ${name}`,
        context: { account, region: "us-east-1", name },
        deletionWindowInDays: deletionWindow,
        count: "var.enable_waf ? 1 : 0",
        preventDestroy: props.preventDestroy ?? false,
      }),
    );
    // WAF only logs to groups whose name starts with aws-waf-logs-.
    for (const r of wafLogging(this, {
      logGroupName: `aws-waf-logs-${name}-cdn`,
      retentionInDays: wafRetention,
      kmsKeyId: expr("aws_kms_key.waf_logs[0].arn"),
    }))
      inUsEast1(r);

    const behavior = (cached: boolean) => ({
      targetOriginId: "alb",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: cached
        ? ["GET", "HEAD", "OPTIONS"]
        : ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
      cachedMethods: ["GET", "HEAD"],
      compress: true,
      cachePolicyId: cached ? CACHE_POLICY.cachingOptimized : CACHE_POLICY.cachingDisabled,
      originRequestPolicyId: ORIGIN_REQUEST_POLICY_ALL_VIEWER_EXCEPT_HOST,
    });
    const distribution = named(
      new CloudfrontDistribution(this, "distribution", {
        enabled: true,
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        comment: `${name}: CloudFront in front of the ALB`,
        priceClass,
        aliases: expr("var.aliases") as unknown as string[],
        webAclId: expr("one(aws_wafv2_web_acl.this[*].arn)"),
        origin: [
          {
            originId: "alb",
            // HTTPS to an origin checks the origin's certificate against this name (502 otherwise), and no
            // certificate can cover *.elb.amazonaws.com: a name of ours on the ALB certificate (D50).
            domainName: props.originDomainName ? expr("var.origin_domain_name") : albDns,
            customHeader:
              props.originVerifyHeaderValue !== undefined
                ? [{ name: ORIGIN_VERIFY_HEADER, value: expr("var.origin_verify_header") }]
                : undefined,
            customOriginConfig: {
              httpPort: 80,
              httpsPort: 443,
              originProtocolPolicy: props.albHttps ? "https-only" : "http-only",
              originSslProtocols: ["TLSv1.2"],
            },
          },
        ],
        // The API is dynamic: never cached, every viewer header but Host forwarded.
        defaultCacheBehavior: behavior(false),
        orderedCacheBehavior: props.staticPaths.map((p) => ({ pathPattern: p, ...behavior(true) })),
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: props.certificateArn
          ? {
              acmCertificateArn: expr("var.certificate_arn"),
              sslSupportMethod: "sni-only",
              minimumProtocolVersion: CDN_MIN_TLS,
            }
          : { cloudfrontDefaultCertificate: true },
      }),
      "this",
    );
    if (!props.certificateArn) {
      // A plan-time warning (Terraform check blocks never fail a plan).
      this.addOverride("check.cdn_default_certificate", {
        assert: [{ condition: "${var.certificate_arn != null}", error_message: DEFAULT_CERTIFICATE_WARNING }],
      });
    }

    if (props.originDomainName) {
      counted(
        named(
          new Route53Record(this, "origin_record", {
            zoneId: expr("var.origin_route53_zone_id"),
            name: expr("var.origin_domain_name"),
            type: "A",
            alias: { name: albDns, zoneId: expr("var.alb_zone_id"), evaluateTargetHealth: true },
          }),
          "origin",
        ),
        "var.origin_route53_zone_id != null ? 1 : 0",
      );
      if (!props.originRoute53ZoneId) {
        // The record is the operator's (runbook); this warns at every plan until a zone is configured.
        this.addOverride("check.cdn_origin_dns_record", {
          assert: [
            {
              condition: "${var.origin_route53_zone_id != null}",
              error_message: originDnsWarning(props.originDomainName),
            },
          ],
        });
      }
    }

    const source = inUsEast1(
      named(
        new CloudwatchLogDeliverySource(this, "log_source", {
          name: `${name}-cdn`,
          logType: "ACCESS_LOGS",
          resourceArn: distribution.arn,
        }),
        "cloudfront",
      ),
    );
    const destination = inUsEast1(
      named(
        new CloudwatchLogDeliveryDestination(this, "log_destination", {
          name: `${name}-cdn-s3`,
          outputFormat: "json",
          deliveryDestinationConfiguration: [{ destinationResourceArn: expr("var.log_destination_arn") }],
        }),
        "cloudfront",
      ),
    );
    inUsEast1(
      named(
        new CloudwatchLogDelivery(this, "log_delivery", {
          deliverySourceName: source.name,
          deliveryDestinationArn: destination.arn,
        }),
        "cloudfront",
      ),
    );

    this.output("cloudfront_domain_name", distribution.domainName, "CloudFront domain (point DNS here).");
    this.output("cloudfront_distribution_id", distribution.id, "Distribution id (invalidations).");
    this.output(
      "cloudfront_web_acl_arn",
      expr("one(aws_wafv2_web_acl.this[*].arn)"),
      "CLOUDFRONT-scope web ACL, or null.",
    );
  }
}
