import { CACHE_POLICY, CDN_MIN_TLS, DEFAULT_CERTIFICATE_WARNING } from "../../modules/cdn";
import { problems } from "../helpers/config";
import { inputs, resource, synthAll, type Json } from "../helpers/synth";
import { buildWorkspace } from "../helpers/workspace-fixture";

const { stacks } = synthAll();
const cdn: Json = stacks.production.modules.cdn;
const dist = resource(cdn, "aws_cloudfront_distribution", "this");

test("only production has a CDN (seed 000 §2.1)", () => {
  expect(Object.fromEntries(Object.entries(stacks).map(([ws, s]) => [ws, Boolean(s.modules.cdn)]))).toEqual({
    dev: false,
    staging: false,
    production: true,
  });
});

test("serves viewers over HTTPS only, compressed", () => {
  expect(dist.default_cache_behavior).toMatchObject({ viewer_protocol_policy: "redirect-to-https", compress: true });
  for (const b of dist.ordered_cache_behavior) expect(b.viewer_protocol_policy).toBe("redirect-to-https");
});

test("never caches the API, and caches static assets", () => {
  expect(dist.default_cache_behavior.cache_policy_id).toBe(CACHE_POLICY.cachingDisabled);
  expect(dist.ordered_cache_behavior.map((b: Json) => [b.path_pattern, b.cache_policy_id])).toEqual([
    ["/static/*", CACHE_POLICY.cachingOptimized],
    ["/assets/*", CACHE_POLICY.cachingOptimized],
  ]);
});

test("talks HTTPS to the ALB when the ALB has a certificate", () => {
  expect(dist.origin[0].custom_origin_config).toMatchObject({
    origin_protocol_policy: "https-only",
    origin_ssl_protocols: ["TLSv1.2"],
  });
});

test("reaches South American edge locations (PriceClass_All)", () => {
  expect(stacks.production.root.module.cdn.price_class).toBe("PriceClass_All");
});

test("its WAF is CLOUDFRONT-scoped and created in us-east-1 through the provider alias", () => {
  expect(resource(cdn, "aws_wafv2_web_acl", "this")).toMatchObject({ scope: "CLOUDFRONT", provider: "aws.us_east_1" });
  expect(dist.web_acl_id).toBe("${one(aws_wafv2_web_acl.this[*].arn)}");
  expect(stacks.production.root.module.cdn.providers).toEqual({ aws: "aws", "aws.us_east_1": "aws.us_east_1" });
  expect(stacks.production.root.provider.aws).toContainEqual(
    expect.objectContaining({ alias: "us_east_1", region: "us-east-1" }),
  );
});

test("delivers access logs to the logs bucket under cloudfront/", () => {
  expect(
    resource(cdn, "aws_cloudwatch_log_delivery_destination", "cloudfront").delivery_destination_configuration,
  ).toEqual([{ destination_resource_arn: "${var.log_destination_arn}" }]);
  expect(stacks.production.root.module.cdn.log_destination_arn).toBe("${module.storage.cdn_log_destination_arn}");
  const logsPolicy = JSON.parse(
    resource(stacks.production.modules.storage, "aws_s3_bucket_policy", "logs").policy,
  ).Statement;
  expect(logsPolicy.find((s: Json) => s.Sid === "CloudFrontDeliversAccessLogs").Principal).toEqual({
    Service: "delivery.logs.amazonaws.com",
  });
});

test("without a certificate it uses the default one and a plan-time check says what that cannot do", () => {
  const all = inputs();
  all.production.cdn = { ...all.production.cdn, certificateArn: undefined, aliases: [] };
  const c = buildWorkspace("production", all.production).modules.cdn;
  expect(resource(c, "aws_cloudfront_distribution", "this").viewer_certificate).toEqual({
    cloudfront_default_certificate: true,
  });
  expect(c.check.cdn_default_certificate.assert[0].error_message).toBe(DEFAULT_CERTIFICATE_WARNING);
  expect(DEFAULT_CERTIFICATE_WARNING).toContain("TLS 1.0/1.1");
});

test("with a certificate it requires TLS 1.2 (2021 policy) and SNI, and drops the warning", () => {
  const all = inputs();
  all.production.cdn = {
    ...all.production.cdn,
    certificateArn: "arn:aws:acm:us-east-1:333333333333:certificate/11111111-2222-3333-4444-555555555555",
    aliases: ["app.eduautismo-ia.com"],
  };
  const c = buildWorkspace("production", all.production).modules.cdn;
  expect(resource(c, "aws_cloudfront_distribution", "this").viewer_certificate).toEqual({
    acm_certificate_arn: "${var.certificate_arn}",
    ssl_support_method: "sni-only",
    minimum_protocol_version: CDN_MIN_TLS,
  });
  expect(c.check?.cdn_default_certificate).toBeUndefined();
});

test("a CloudFront certificate outside us-east-1 is rejected", () => {
  expect(
    problems(
      "production",
      (e) =>
        (e.cdn.certificateArn = "arn:aws:acm:sa-east-1:333333333333:certificate/11111111-2222-3333-4444-555555555555"),
    ),
  ).toContain(
    "production.cdn.certificateArn: must be an ACM certificate ARN in us-east-1 (CloudFront only reads certificates there)",
  );
});

test("custom domains without a certificate are rejected", () => {
  expect(
    problems("production", (e) => ((e.cdn.certificateArn = undefined), (e.cdn.aliases = ["app.eduautismo-ia.com"]))),
  ).toContain("production.cdn.aliases: custom domain names need certificateArn (an ACM certificate in us-east-1)");
});
