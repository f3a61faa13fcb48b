/** Cache behaviours of the distribution: the API never cached, static paths cached and compressed (AWS managed policies). */
import type {
  CloudfrontDistributionDefaultCacheBehavior,
  CloudfrontDistributionOrderedCacheBehavior,
} from "@cdktf/provider-aws/lib/cloudfront-distribution";

/** AWS managed CloudFront policies (ids are global constants). */
export const CACHE_POLICY = {
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
};
export const ORIGIN_REQUEST_POLICY_ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/** The one origin of the distribution: the ALB. */
export const ALB_ORIGIN_ID = "alb";

function behavior(cached: boolean): CloudfrontDistributionDefaultCacheBehavior {
  return {
    targetOriginId: ALB_ORIGIN_ID,
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: cached ? ["GET", "HEAD", "OPTIONS"] : ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
    cachedMethods: ["GET", "HEAD"],
    compress: true,
    cachePolicyId: cached ? CACHE_POLICY.cachingOptimized : CACHE_POLICY.cachingDisabled,
    originRequestPolicyId: ORIGIN_REQUEST_POLICY_ALL_VIEWER_EXCEPT_HOST,
  };
}

/** The API is dynamic: never cached, every viewer header but Host forwarded. */
export function apiBehavior(): CloudfrontDistributionDefaultCacheBehavior {
  return behavior(false);
}

/** One cached behaviour per static path pattern (`cdn.staticPaths`). */
export function staticBehaviors(paths: readonly string[]): CloudfrontDistributionOrderedCacheBehavior[] {
  return paths.map((p) => ({ pathPattern: p, ...behavior(true) }));
}
