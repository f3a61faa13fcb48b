/**
 * The distribution: HTTPS only, IPv6, HTTP/2 and 3, the ALB origin, the cache behaviours, the viewer
 * certificate (an ACM certificate in us-east-1 with a TLS 1.2 minimum, or CloudFront's default with a
 * plan-time warning) and the association with the CLOUDFRONT web ACL.
 */
import {
  CloudfrontDistribution,
  type CloudfrontDistributionOrigin,
  type CloudfrontDistributionViewerCertificate,
} from "@cdktf/provider-aws/lib/cloudfront-distribution";
import type { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Fn, Op, propertyAccess, Token } from "cdktf";
import type { ModuleStack } from "../../lib/core/module-stack";
import { named } from "../../lib/core/module-stack";
import { apiBehavior, staticBehaviors } from "./cache";

/** Minimum TLS for viewers with our own certificate. */
export const CDN_MIN_TLS = "TLSv1.2_2021";
/** Why the default certificate is not enough (printed by a Terraform check at plan). */
export const DEFAULT_CERTIFICATE_WARNING =
  "CloudFront serves the default *.cloudfront.net certificate: no custom domain, and viewers may still negotiate TLS 1.0/1.1 " +
  "(a TLSv1.2_2021 minimum needs your own ACM certificate in us-east-1). Set cdn.certificateArn and cdn.aliases.";

/** The ARN of the counted web ACL, or null without one. */
export function webAclArn(acl: Wafv2WebAcl): string {
  return Fn.one(propertyAccess(acl, ["*", "arn"]));
}

export interface ViewerCertificateOptions {
  /** `certificate_arn` (token). */
  readonly certificateArn: string;
  /** Whether a certificate is configured (decided at synthesis: the block's shape). */
  readonly configured: boolean;
}

/** The viewer certificate; without one, a plan-time warning (Terraform check blocks never fail a plan). */
export function viewerCertificate(
  module: ModuleStack,
  o: ViewerCertificateOptions,
): CloudfrontDistributionViewerCertificate {
  if (o.configured)
    return { acmCertificateArn: o.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: CDN_MIN_TLS };
  module.addOverride("check.cdn_default_certificate", {
    assert: [{ condition: Op.neq(o.certificateArn, Token.nullValue()), error_message: DEFAULT_CERTIFICATE_WARNING }],
  });
  return { cloudfrontDefaultCertificate: true };
}

export interface DistributionOptions {
  /** Name prefix (token). */
  readonly name: string;
  /** `price_class` and `aliases` (tokens). */
  readonly priceClass: string;
  readonly aliases: string[];
  readonly acl: Wafv2WebAcl;
  readonly origin: CloudfrontDistributionOrigin;
  readonly staticPaths: readonly string[];
  readonly viewerCertificate: CloudfrontDistributionViewerCertificate;
}

/** `aws_cloudfront_distribution.this`. */
export function distribution(module: ModuleStack, o: DistributionOptions): CloudfrontDistribution {
  return named(
    new CloudfrontDistribution(module, "distribution", {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      comment: `${o.name}: CloudFront in front of the ALB`,
      priceClass: o.priceClass,
      aliases: o.aliases,
      webAclId: webAclArn(o.acl),
      origin: [o.origin],
      defaultCacheBehavior: apiBehavior(),
      orderedCacheBehavior: staticBehaviors(o.staticPaths),
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: o.viewerCertificate,
    }),
    "this",
  );
}
