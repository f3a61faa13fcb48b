/**
 * cdn — CloudFront in front of the ALB (seed 000 §2.1, seed 001: production).
 *
 * Owns: the distribution (HTTPS only; API paths never cached, static paths cached and compressed),
 * a CLOUDFRONT-scope WAFv2 web ACL and the access-log delivery. CloudFront reads its WAF and its
 * certificates in us-east-1 only, so the module expects the provider alias `aws.us_east_1`, which
 * the workspace root passes whatever the workspace's region is.
 * Parts: ./distribution.ts (distribution, viewer certificate, WAF association), ./origins.ts (the ALB origin
 * and its DNS record), ./cache.ts (cache behaviours and policies), ./waf.ts (web ACL, its log key and
 * logging), ./access-logs.ts (the access-log delivery).
 *
 * Depends on: compute (the ALB and its origin header) and storage (the log destination).
 */
import type { IResolvable } from "cdktf";
import type { Construct } from "constructs";
import { ModuleStack } from "../../lib/core/module-stack";
import { retentionValidation } from "../../lib/core/validations";
import type { SecurityConfig } from "../security/config";
import { ORIGIN_VERIFY_HEADER } from "../compute";
import { accessLogDelivery } from "./access-logs";
import type { CdnConfig } from "./config";
import { distribution, viewerCertificate, webAclArn } from "./distribution";
import { albOrigin, originRecord } from "./origins";
import { cdnWebAcl } from "./waf";
export { CACHE_POLICY, ORIGIN_REQUEST_POLICY_ALL_VIEWER_EXCEPT_HOST } from "./cache";
export { CDN_MIN_TLS, DEFAULT_CERTIFICATE_WARNING } from "./distribution";
export { originDnsWarning } from "./origins";

/** The regional WAF's settings the CloudFront ACL shares (the security module's `waf` section). */
export type CdnWafSettings = Pick<
  SecurityConfig["waf"],
  "rateLimitPerMinute" | "allowedCountries" | "botControl" | "logRetentionDays"
>;

export interface CdnProps {
  /**
   * The environment's `cdn` section (./config.ts documents each setting and its default): price class,
   * certificate and aliases, static paths, the WAF switch, the origin host name and its zone.
   */
  readonly settings: CdnConfig;
  /** The security section's WAF settings: the CloudFront ACL carries the same rules. */
  readonly waf: CdnWafSettings;
  readonly name: string;
  /** ALB DNS name (compute module). */
  readonly albDnsName: string;
  /** Route 53 zone of the ALB (compute module), for the origin alias record. */
  readonly albZoneId: string;
  /** Secret CloudFront sends in X-Origin-Verify (compute module), when the ALB takes only CloudFront. @default none */
  readonly originVerifyHeaderValue?: string;
  /** Whether the ALB has an HTTPS listener: then CloudFront talks HTTPS to it. */
  readonly albHttps: boolean;
  /** `<logs bucket ARN>/cloudfront` (storage module; exists once the bucket policy admits the log delivery). */
  readonly logDestinationArn: string;
  /** Account id: the key policy of the WAF log key names it. */
  readonly accountId: string;
  /** Deletion window of the WAF log key, in days. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /** Refuse plans that destroy the WAF log key. @default false */
  readonly preventDestroy?: boolean;
}

/** The module's variables as tokens. */
interface CdnInputs {
  readonly name: string;
  readonly albDns: string;
  readonly albZoneId: string;
  readonly logDestinationArn: string;
  readonly originDomainName: string;
  readonly originZoneId: string;
  readonly originVerifyHeader?: string;
  readonly priceClass: string;
  readonly aliases: string[];
  readonly certificateArn: string;
  readonly enableWaf: IResolvable;
  readonly account: string;
  readonly wafRetention: number;
  readonly deletionWindow: number;
}

export class CdnModule extends ModuleStack {
  override get providerAliases(): readonly string[] {
    return ["us_east_1"];
  }

  constructor(scope: Construct, workspace: string, props: CdnProps) {
    super(scope, workspace, "cdn");
    const s = props.settings;
    const v = this.declareInputs(props);

    const acl = cdnWebAcl(this, {
      name: v.name,
      account: v.account,
      logRetentionDays: v.wafRetention,
      kmsDeletionWindowDays: v.deletionWindow,
      preventDestroy: props.preventDestroy ?? false,
    });
    const cdn = distribution(this, {
      name: v.name,
      priceClass: v.priceClass,
      aliases: v.aliases,
      acl,
      origin: albOrigin({
        albDnsName: v.albDns,
        originDomainName: s.originDomainName ? v.originDomainName : undefined,
        originVerifyHeader: v.originVerifyHeader,
        albHttps: props.albHttps,
      }),
      staticPaths: s.staticPaths,
      viewerCertificate: viewerCertificate(this, {
        certificateArn: v.certificateArn,
        configured: s.certificateArn !== undefined,
      }),
    });
    if (s.originDomainName) {
      originRecord(this, {
        originDomainName: v.originDomainName,
        zoneId: v.originZoneId,
        albDnsName: v.albDns,
        albZoneId: v.albZoneId,
        configuredName: s.originDomainName,
        zoneConfigured: s.originRoute53ZoneId !== undefined,
      });
    }
    accessLogDelivery(this, cdn, { name: v.name, destinationArn: v.logDestinationArn });

    this.output("cloudfront_domain_name", cdn.domainName, "CloudFront domain (point DNS here).");
    this.output("cloudfront_distribution_id", cdn.id, "Distribution id (invalidations).");
    this.output("cloudfront_web_acl_arn", webAclArn(acl), "CLOUDFRONT-scope web ACL, or null.");
  }

  private declareInputs(props: CdnProps): CdnInputs {
    const s = props.settings;
    const str = (name: string, value: unknown, description: string) =>
      this.input(name, value, { type: "string", description }).stringValue;
    const nullable = (name: string, value: string | undefined, description: string) =>
      this.input(name, value ?? null, { type: "string", description, nullable: true }).stringValue;
    const name = str("name", props.name, "Name prefix.");
    const albDns = str("alb_dns_name", props.albDnsName, "Origin: the ALB's DNS name.");
    const logDestinationArn = str(
      "log_destination_arn",
      props.logDestinationArn,
      "Where access logs go: <logs bucket ARN>/cloudfront.",
    );
    const albZoneId = str("alb_zone_id", props.albZoneId, "Route 53 zone of the ALB (origin alias record).");
    const originDomainName = nullable(
      "origin_domain_name",
      s.originDomainName,
      "Host name CloudFront reaches the ALB by over HTTPS (on the ALB certificate), or null for the ALB's DNS name.",
    );
    const originZoneId = nullable(
      "origin_route53_zone_id",
      s.originRoute53ZoneId,
      "Public hosted zone where the module creates origin_domain_name as an alias of the ALB, or null (operator step).",
    );
    const originVerifyHeader =
      props.originVerifyHeaderValue === undefined
        ? undefined
        : this.input("origin_verify_header", props.originVerifyHeaderValue, {
            type: "string",
            description: `Secret value of ${ORIGIN_VERIFY_HEADER} (the ALB forwards nothing without it).`,
            sensitive: true,
          }).stringValue;
    const priceClass = this.input("price_class", s.priceClass, {
      type: "string",
      description: "CloudFront price class.",
    }).stringValue;
    const aliases = this.input("aliases", s.aliases, {
      type: "list(string)",
      description: "Custom domain names.",
    }).listValue;
    const certificateArn = nullable("certificate_arn", s.certificateArn, "ACM certificate in us-east-1, or null.");
    const enableWaf = this.input("enable_waf", s.waf, {
      type: "bool",
      description: "CLOUDFRONT-scope web ACL.",
    }).booleanValue;
    this.declareWafRuleInputs(props.waf);
    const account = str("account_id", props.accountId, "AWS account id (key policy).");
    const wafRetention = this.input("waf_log_retention_days", props.waf.logRetentionDays, {
      type: "number",
      description: "Retention of the CloudFront WAF log group, in days.",
      validations: [retentionValidation("waf_log_retention_days")],
    }).numberValue;
    const deletionWindow = this.input("kms_deletion_window_days", props.kmsDeletionWindowDays, {
      type: "number",
      description: "Deletion window of the WAF log key.",
    }).numberValue;
    return {
      name,
      albDns,
      albZoneId,
      logDestinationArn,
      originDomainName,
      originZoneId,
      originVerifyHeader,
      priceClass,
      aliases,
      certificateArn,
      enableWaf,
      account,
      wafRetention,
      deletionWindow,
    };
  }

  /** The variables the shared WAF rules read (security/waf.ts refers to them by name). */
  private declareWafRuleInputs(waf: CdnWafSettings): void {
    this.input("waf_rate_limit", waf.rateLimitPerMinute, { type: "number", description: "Requests per IP per 60 s." });
    this.input("waf_allowed_countries", waf.allowedCountries, {
      type: "list(string)",
      description: "Countries allowed; empty disables the geo rule.",
    });
    this.input("waf_enable_bot_control", waf.botControl, {
      type: "bool",
      description: "Bot Control managed rule group.",
    });
  }
}
