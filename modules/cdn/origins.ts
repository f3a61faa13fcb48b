/**
 * The distribution's one origin, the ALB, and the DNS name CloudFront reaches it by: HTTPS to an origin checks
 * the origin's certificate against that name (502 otherwise), and no certificate can cover *.elb.amazonaws.com,
 * so HTTPS needs a name of ours on the ALB certificate (D50), created here as an alias when a zone is given.
 */
import type { CloudfrontDistributionOrigin } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Op, Token } from "cdktf";
import type { ModuleStack } from "../../lib/core/module-stack";
import { named, present } from "../../lib/core/module-stack";
import { CDN_PRESENCE } from "./config";
import { ORIGIN_VERIFY_HEADER } from "../compute";
import { ALB_ORIGIN_ID } from "./cache";

/** What the plan-time check says while the origin host name has no DNS record managed here. */
export function originDnsWarning(originDomainName: string): string {
  return (
    `No Route 53 zone configured (cdn.originRoute53ZoneId), so Terraform does not create the DNS record of the origin ${originDomainName}. ` +
    `Create it yourself: ${originDomainName} CNAME (or alias A) to the ALB, terraform output -raw alb_dns_name. ` +
    "Until it resolves, CloudFront answers 502 to every request."
  );
}

export interface AlbOriginOptions {
  /** The ALB's DNS name (token). */
  readonly albDnsName: string;
  /** `origin_domain_name` (token), when one is configured (decided at synthesis). */
  readonly originDomainName?: string;
  /** `origin_verify_header` (token), when the ALB takes only CloudFront. */
  readonly originVerifyHeader?: string;
  /** Whether the ALB has an HTTPS listener. */
  readonly albHttps: boolean;
}

export function albOrigin(o: AlbOriginOptions): CloudfrontDistributionOrigin {
  return {
    originId: ALB_ORIGIN_ID,
    domainName: o.originDomainName ?? o.albDnsName,
    customHeader:
      o.originVerifyHeader !== undefined ? [{ name: ORIGIN_VERIFY_HEADER, value: o.originVerifyHeader }] : undefined,
    customOriginConfig: {
      httpPort: 80,
      httpsPort: 443,
      originProtocolPolicy: o.albHttps ? "https-only" : "http-only",
      originSslProtocols: ["TLSv1.2"],
    },
  };
}

export interface OriginRecordOptions {
  /** `origin_domain_name` (token). */
  readonly originDomainName: string;
  /** `origin_route53_zone_id` (token, null without a zone). */
  readonly zoneId: string;
  /** The ALB's DNS name and zone (tokens). */
  readonly albDnsName: string;
  readonly albZoneId: string;
  /** The configured origin host name and whether a zone is configured (decided at synthesis), for the warning. */
  readonly configuredName: string;
  readonly zoneConfigured: boolean;
}

/** `aws_route53_record.origin` when a zone is given; otherwise a plan-time check warns that the record is the operator's. */
export function originRecord(module: ModuleStack, o: OriginRecordOptions): void {
  const hasZone = Op.neq(o.zoneId, Token.nullValue());
  const record = new Route53Record(module, "origin_record", {
    zoneId: o.zoneId,
    name: o.originDomainName,
    type: "A",
    alias: { name: o.albDnsName, zoneId: o.albZoneId, evaluateTargetHealth: true },
  });
  present(named(record, "origin"), CDN_PRESENCE);
  if (!o.zoneConfigured) {
    // The record is the operator's (runbook); this warns at every plan until a zone is configured.
    module.addOverride("check.cdn_origin_dns_record", {
      assert: [{ condition: hasZone, error_message: originDnsWarning(o.configuredName) }],
    });
  }
}
