/**
 * CloudFront in front of the ALB (issue 11, items 6, 7, 10 and 13): an origin name the ALB certificate
 * covers, an ALB only CloudFront can reach, WAF rules where they see viewers, access logs that deliver,
 * target groups that can be replaced. Decisions D50–D54. Then the network module behind it: security groups, per-AZ
 * resources, the NAT instance.
 */
import {
  CLOUDFRONT_PREFIX_LIST_LOOKUP,
  CLOUDFRONT_PREFIX_LIST_WEIGHT,
  SG_RULES_QUOTA,
} from "../../environments/schema";
import { originDnsWarning, CACHE_POLICY, CDN_MIN_TLS, DEFAULT_CERTIFICATE_WARNING } from "../../modules/cdn";
import {
  DEFAULT_SERVICE_RULE_PRIORITY,
  ORIGIN_VERIFY_HEADER,
  TARGET_GROUP_NAME_PREFIX_MAX,
  targetGroupNamePrefix,
} from "../../modules/compute";
import { CDN_LOG_SOURCE_REGION } from "../../modules/storage";
import { loadEnvironments, WORKSPACES } from "../../environments";
import { NAT_INSTANCE_DEFAULT_AMI } from "../../modules/network/config";
import { estimate } from "../../tools/cost/estimate";
import { HOURS_PER_MONTH, PRICES } from "../../tools/cost/prices";
import { problems } from "../helpers/config";
import { inputs, resource, resourcesOf, synthAll, type Json } from "../helpers/synth";
import { buildWorkspace } from "../helpers/workspace-fixture";

const { stacks } = synthAll();
const prod = stacks.production;
const mod = (ws: string, name: string): Json => stacks[ws].modules[name];
const rootInput = (ws: string, module: string, input: string) => stacks[ws].root.module[module][input];
const perWorkspace = (f: (ws: string) => unknown) => Object.fromEntries(Object.keys(stacks).map((ws) => [ws, f(ws)]));
const origin = () => resource(mod("production", "cdn"), "aws_cloudfront_distribution", "this").origin[0];

describe("origin host name (D50)", () => {
  test("CloudFront reaches the ALB over HTTPS by a host name of ours, never by the *.elb.amazonaws.com name", () => {
    expect(origin().domain_name).toBe("${var.origin_domain_name}");
    expect(origin().custom_origin_config.origin_protocol_policy).toBe("https-only");
    expect(rootInput("production", "cdn", "origin_domain_name")).toBe("origin.eduautismo-ia.com");
  });

  test("without a Route 53 zone the origin record is the operator's, and a plan-time check says what to create", () => {
    const cdn = mod("production", "cdn");
    expect(rootInput("production", "cdn", "origin_route53_zone_id")).toBeNull();
    expect(resource(cdn, "aws_route53_record", "origin").count).toBe("${(var.origin_route53_zone_id != null) ? 1 : 0}");
    expect(cdn.check.cdn_origin_dns_record.assert[0]).toEqual({
      condition: "${(var.origin_route53_zone_id != null)}",
      error_message: originDnsWarning("origin.eduautismo-ia.com"),
    });
    expect(originDnsWarning("origin.eduautismo-ia.com")).toContain("terraform output -raw alb_dns_name");
  });

  test("with cdn.originRoute53ZoneId the module creates the alias record to the ALB and drops the warning", () => {
    const all = inputs();
    all.production.cdn = { ...all.production.cdn, originRoute53ZoneId: "Z0123456789ABCDEFGHIJ" };
    const s = buildWorkspace("production", all.production);
    expect(s.root.module.cdn.origin_route53_zone_id).toBe("Z0123456789ABCDEFGHIJ");
    expect(s.root.module.cdn.alb_zone_id).toBe("${module.compute.alb_zone_id}");
    expect(resource(s.modules.cdn, "aws_route53_record", "origin")).toMatchObject({
      zone_id: "${var.origin_route53_zone_id}",
      name: "${var.origin_domain_name}",
      type: "A",
      alias: { name: "${var.alb_dns_name}", zone_id: "${var.alb_zone_id}", evaluate_target_health: true },
    });
    expect(s.modules.cdn.check?.cdn_origin_dns_record).toBeUndefined();
  });

  test("an HTTPS ALB behind CloudFront without cdn.originDomainName is rejected", () => {
    expect(problems("production", (e) => (e.cdn.originDomainName = undefined))).toContain(
      "production.cdn.originDomainName: required when CloudFront fronts an HTTPS ALB: a host name the ALB certificate covers, e.g. origin.eduautismo-ia.com (CloudFront answers 502 when no name on the origin's certificate matches the origin domain name, and no certificate can cover *.elb.amazonaws.com)",
    );
  });

  test("a malformed cdn.originDomainName is rejected", () => {
    expect(problems("production", (e) => (e.cdn.originDomainName = "Origin_ALB"))).toContain(
      "production.cdn.originDomainName: must be a lowercase DNS host name such as origin.example.com",
    );
  });

  test("cdn.originDomainName without CloudFront in front of an HTTPS ALB is rejected", () => {
    expect(problems("staging", (e) => (e.cdn = { originDomainName: "origin.eduautismo-ia.com" }))).toContain(
      "staging.cdn.originDomainName: only used when CloudFront fronts an HTTPS ALB (cdn.enabled and compute.certificateArn)",
    );
  });

  test("cdn.originRoute53ZoneId without cdn.originDomainName is rejected", () => {
    expect(
      problems(
        "production",
        (e) => ((e.cdn.originDomainName = undefined), (e.cdn.originRoute53ZoneId = "Z0123456789ABCDEFGHIJ")),
      ),
    ).toContain("production.cdn.originRoute53ZoneId: needs cdn.originDomainName, the record to create in that zone");
  });

  test("a malformed cdn.originRoute53ZoneId is rejected", () => {
    expect(problems("production", (e) => (e.cdn.originRoute53ZoneId = "example.com"))).toContain(
      "production.cdn.originRoute53ZoneId: must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
    );
  });
});

describe("only CloudFront reaches the production ALB (D51)", () => {
  const albIngress = (ws: string) =>
    Object.entries(resourcesOf(mod(ws, "network"), "aws_vpc_security_group_ingress_rule")).filter(
      ([, r]) => r.security_group_id === "${aws_security_group.alb.id}",
    );
  /** Rules of the ALB group that exist for a given alb_ingress, with their weight against the quota. */
  const activeWeight = (mode: "internet" | "cloudfront") =>
    albIngress("production")
      .filter(([, r]) => r.count === undefined || r.count.includes(`"${mode}"`))
      .reduce((sum, [, r]) => sum + (r.prefix_list_id ? CLOUDFRONT_PREFIX_LIST_WEIGHT : 1), 0);

  test("production selects CloudFront-only ingress with the origin-facing prefix list; dev and staging stay open to the internet", () => {
    expect(perWorkspace((ws) => rootInput(ws, "network", "alb_ingress"))).toEqual({
      dev: "internet",
      staging: "internet",
      production: "cloudfront",
    });
    expect(rootInput("production", "network", "cloudfront_prefix_list_id")).toMatch(/^pl-/);
  });

  test("with cloudfront the ALB group takes 443 from the prefix list only; the 0.0.0.0/0 rules exist only with internet", () => {
    const rules = Object.fromEntries(albIngress("production"));
    expect(rules.alb_https_from_cloudfront).toMatchObject({
      prefix_list_id: "${var.cloudfront_prefix_list_id}",
      from_port: 443,
      to_port: 443,
      count: '${(var.alb_ingress == "cloudfront") ? 1 : 0}',
    });
    expect(rules.alb_https_from_cloudfront.cidr_ipv4).toBeUndefined();
    expect(rules.alb_http_from_internet.count).toBe('${(var.alb_ingress == "internet") ? 1 : 0}');
    expect(rules.alb_https_from_internet.count).toBe('${(var.alb_ingress == "internet") ? 1 : 0}');
  });

  test("the ALB group stays within the 60 inbound rules quota, counting the CloudFront prefix list at its weight of 55", () => {
    expect(activeWeight("cloudfront")).toBe(CLOUDFRONT_PREFIX_LIST_WEIGHT);
    expect(activeWeight("cloudfront")).toBeLessThanOrEqual(SG_RULES_QUOTA);
    expect(activeWeight("internet")).toBeLessThanOrEqual(SG_RULES_QUOTA);
  });

  test("at plan time the network module refuses cloudfront ingress without a prefix list id", () => {
    const v = mod("production", "network").variable.alb_ingress.validation;
    expect(v).toContainEqual({
      condition: '${((var.alb_ingress != "cloudfront") || (var.cloudfront_prefix_list_id != null))}',
      error_message:
        'alb_ingress "cloudfront" needs cloudfront_prefix_list_id (the id of com.amazonaws.global.cloudfront.origin-facing in this region).',
    });
  });

  test("the HTTPS listener answers 403 to any request without CloudFront's origin header", () => {
    expect(resource(mod("production", "compute"), "aws_lb_listener", "https").default_action).toEqual([
      {
        type: "fixed-response",
        fixed_response: { content_type: "text/plain", message_body: "Forbidden", status_code: "403" },
      },
    ]);
  });

  test("the app is forwarded only when X-Origin-Verify carries the secret, by a catch-all rule after any path rules", () => {
    expect(resource(mod("production", "compute"), "aws_lb_listener_rule", "app")).toMatchObject({
      listener_arn: "${aws_lb_listener.https.arn}",
      priority: DEFAULT_SERVICE_RULE_PRIORITY,
      action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.app.arn}" }],
      condition: [
        {
          http_header: {
            http_header_name: ORIGIN_VERIFY_HEADER,
            values: ["${sensitive(terraform_data.origin_verify.output)}"],
          },
        },
      ],
    });
  });

  test("the secret is generated once by Terraform (uuid, ignore_changes) and only leaves compute as a sensitive output", () => {
    const compute = mod("production", "compute");
    expect(compute.resource.terraform_data.origin_verify).toEqual({
      input: "${uuid()}",
      lifecycle: { ignore_changes: ["input"] },
    });
    expect(compute.output.origin_verify_header_value).toMatchObject({
      value: "${terraform_data.origin_verify.output}",
      sensitive: true,
    });
    expect(Object.keys(prod.root.output)).not.toContain("origin_verify_header_value");
  });

  test("CloudFront adds the secret header to every origin request, from a sensitive input", () => {
    expect(origin().custom_header).toEqual([{ name: ORIGIN_VERIFY_HEADER, value: "${var.origin_verify_header}" }]);
    expect(mod("production", "cdn").variable.origin_verify_header.sensitive).toBe(true);
    expect(rootInput("production", "cdn", "origin_verify_header")).toBe("${module.compute.origin_verify_header_value}");
  });

  test("the app service waits for the listener rule that attaches its target group", () => {
    expect(resource(mod("production", "compute"), "aws_ecs_service", "app").depends_on).toContain(
      "aws_lb_listener_rule.app",
    );
  });

  test("staging (internet ingress) has no origin secret and its HTTPS listener forwards by default", () => {
    const compute = mod("staging", "compute");
    expect(compute.resource.terraform_data?.origin_verify).toBeUndefined();
    expect(resource(compute, "aws_lb_listener", "https").default_action[0].type).toBe("forward");
    expect(resource(compute, "aws_ecs_service", "app").depends_on).toContain("aws_lb_listener.https");
  });

  test('albIngress "cloudfront" without CloudFront is rejected', () => {
    expect(
      problems(
        "staging",
        (e) => ((e.network.albIngress = "cloudfront"), (e.network.cloudfrontPrefixListId = "pl-3b927c52")),
      ),
    ).toContain(
      'staging.network.albIngress: "cloudfront" needs cdn.enabled: without a distribution nothing could reach the ALB',
    );
  });

  test('albIngress "cloudfront" without HTTPS on the ALB is rejected', () => {
    expect(
      problems("production", (e) => ((e.compute.certificateArn = undefined), (e.cdn.originDomainName = undefined))),
    ).toContain(
      'production.network.albIngress: "cloudfront" needs HTTPS on the ALB (compute.certificateArn): CloudFront reaches it on 443 only, and the secret origin header must not cross the internet in clear text',
    );
  });

  test('albIngress "cloudfront" without the prefix list id is rejected, naming the look-up command', () => {
    expect(problems("production", (e) => (e.network.cloudfrontPrefixListId = undefined))).toContain(
      `production.network.cloudfrontPrefixListId: required with albIngress "cloudfront": the id of com.amazonaws.global.cloudfront.origin-facing in us-east-1 (${CLOUDFRONT_PREFIX_LIST_LOOKUP})`,
    );
  });

  test("behind CloudFront a web service with more than 4 path patterns is rejected (5 condition values per rule, one is the header)", () => {
    const web = {
      name: "web",
      kind: "web",
      cpu: 256,
      memory: 512,
      desiredCount: 1,
      minCapacity: 1,
      maxCapacity: 1,
      port: 3000,
      pathPatterns: ["/a/*", "/b/*", "/c/*", "/d/*", "/e/*"],
    };
    expect(problems("production", (e) => e.compute.services.push(web))).toContain(
      'production.compute.services[1].pathPatterns: at most 4 with albIngress "cloudfront": a listener rule holds 5 condition values and the origin header takes one, got 5',
    );
  });

  test("a prefix list id with internet ingress is rejected", () => {
    expect(problems("dev", (e) => (e.network.cloudfrontPrefixListId = "pl-3b927c52"))).toContain(
      'dev.network.cloudfrontPrefixListId: only used with albIngress "cloudfront"; drop it or set albIngress',
    );
  });

  test("a malformed prefix list id is rejected", () => {
    expect(problems("production", (e) => (e.network.cloudfrontPrefixListId = "sg-123"))).toContain(
      "production.network.cloudfrontPrefixListId: must be a managed prefix list id such as pl-3b927c52",
    );
  });

  test("CloudFront in front of a production ALB left open to the internet is rejected", () => {
    expect(
      problems(
        "production",
        (e) => ((e.network.albIngress = "internet"), (e.network.cloudfrontPrefixListId = undefined)),
      ),
    ).toContain(
      'production.network.albIngress: CloudFront fronts the ALB in production, a production-like environment, so this must be "cloudfront": with "internet" anyone can reach the ALB directly and bypass CloudFront and its WAF',
    );
  });
});

describe("WAF rules where they see the viewer (D52)", () => {
  const regional = (ws: string) => resource(mod(ws, "security"), "aws_wafv2_web_acl", "this");
  const names = (rules: Json[]) => rules.map((r) => r.name);

  test("behind CloudFront the regional ACL switches off its IP-keyed rules; dev and staging keep them", () => {
    expect(perWorkspace((ws) => rootInput(ws, "security", "waf_ip_rules"))).toEqual({
      dev: true,
      staging: true,
      production: false,
    });
    const dynamic: Json = regional("production").dynamic.rule;
    for (const name of ["rate-limit-per-ip", "AWSManagedRulesAmazonIpReputationList"]) {
      expect(dynamic.find((d: Json) => d.content.name === name).for_each).toBe("${var.waf_ip_rules ? [1] : []}");
    }
    expect(dynamic.find((d: Json) => d.content.name === "geo-allow-list").for_each).toBe(
      "${(var.waf_ip_rules && (length(var.waf_allowed_countries) > 0)) ? [1] : []}",
    );
  });

  test("the regional ACL keeps the managed rule groups that inspect the request itself", () => {
    expect(names(regional("production").rule)).toEqual([
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesSQLiRuleSet",
    ]);
  });

  test("the CloudFront ACL always carries rate per IP and IP reputation, and the geo rule whenever countries are listed", () => {
    const acl = resource(mod("production", "cdn"), "aws_wafv2_web_acl", "this");
    expect(names(acl.rule)).toEqual(
      expect.arrayContaining([
        "rate-limit-per-ip",
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesCommonRuleSet",
      ]),
    );
    expect(acl.dynamic.rule.find((d: Json) => d.content.name === "geo-allow-list").for_each).toBe(
      "${(length(var.waf_allowed_countries) > 0) ? [1] : []}",
    );
    expect(rootInput("production", "cdn", "waf_allowed_countries")).toEqual(["BR"]);
  });

  test("switching off the CloudFront WAF while the regional one is on is rejected", () => {
    expect(problems("production", (e) => (e.cdn.waf = false))).toContain(
      "production.cdn.waf: must stay on: behind CloudFront the regional WAF leaves its IP-keyed rules (rate per IP, geo, IP reputation) to the CloudFront web ACL, the only one that sees viewer IPs",
    );
  });
});

describe("CloudFront access logs deliver (D54)", () => {
  const storage = () => mod("production", "storage");
  const logsPolicy = () => JSON.parse(resource(storage(), "aws_s3_bucket_policy", "logs").policy).Statement as Json[];
  const deliveryCondition = {
    StringEquals: { "aws:SourceAccount": "${var.account_id}" },
    ArnLike: { "aws:SourceArn": `arn:aws:logs:${CDN_LOG_SOURCE_REGION}:\${var.account_id}:*` },
  };

  test("the logs bucket lets the log delivery write under cloudfront/ with bucket-owner-full-control, from this account's us-east-1 deliveries", () => {
    expect(logsPolicy().find((s) => s.Sid === "CloudFrontDeliversAccessLogs")).toEqual({
      Sid: "CloudFrontDeliversAccessLogs",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "${aws_s3_bucket.logs.arn}/cloudfront/*",
      Condition: {
        ...deliveryCondition,
        StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": "${var.account_id}" },
      },
    });
  });

  test("the logs bucket grants the delivery's ACL check (GetBucketAcl, ListBucket) on the bucket, same conditions", () => {
    expect(logsPolicy().find((s) => s.Sid === "CloudFrontLogDeliveryAclCheck")).toEqual({
      Sid: "CloudFrontLogDeliveryAclCheck",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: "${aws_s3_bucket.logs.arn}",
      Condition: deliveryCondition,
    });
  });

  test("the logs bucket needs no key grant or ACLs for it: SSE-S3 and bucket-owner-enforced ownership", () => {
    expect(
      resource(storage(), "aws_s3_bucket_server_side_encryption_configuration", "logs").rule[0]
        .apply_server_side_encryption_by_default.sse_algorithm,
    ).toBe("AES256");
    expect(resource(storage(), "aws_s3_bucket_ownership_controls", "logs").rule.object_ownership).toBe(
      "BucketOwnerEnforced",
    );
  });

  test("the delivery targets the cloudfront/ prefix only once the bucket policy exists", () => {
    expect(storage().output.cdn_log_destination_arn).toMatchObject({
      value: "${aws_s3_bucket.logs.arn}/cloudfront",
      depends_on: ["aws_s3_bucket_policy.logs"],
    });
    expect(resource(mod("production", "cdn"), "aws_cloudwatch_log_delivery_destination", "cloudfront")).toMatchObject({
      provider: "aws.us_east_1",
    });
  });
});

describe("replaceable target groups (D53)", () => {
  test("every workspace's target group uses a name prefix within AWS's 6 characters, keeps create_before_destroy and a readable Name tag", () => {
    for (const ws of Object.keys(stacks)) {
      const tg = resource(mod(ws, "compute"), "aws_lb_target_group", "app");
      expect(tg.name).toBeUndefined();
      expect(tg.name_prefix).toBe("app-");
      expect(tg.lifecycle).toEqual({ create_before_destroy: true });
      expect(tg.tags).toEqual({ Name: "${var.name}-app" });
    }
  });

  test("long or dashed service names still give a valid prefix of at most 6 characters", () => {
    expect(targetGroupNamePrefix("frontend")).toBe("front-");
    expect(targetGroupNamePrefix("ab---x")).toBe("ab-");
    for (const n of ["app", "frontend", "a-b-c-d", "ab---x"])
      expect(targetGroupNamePrefix(n).length).toBeLessThanOrEqual(TARGET_GROUP_NAME_PREFIX_MAX);
  });

  test("the root output target_group_arns maps each web service to its target group ARN (seed 000 §5.3)", () => {
    for (const ws of Object.keys(stacks))
      expect(stacks[ws].root.output.target_group_arns.value).toBe("${module.compute.target_group_arns}");
    expect(mod("production", "compute").output.target_group_arns.value).toBe(
      '${({"app" = aws_lb_target_group.app.arn})}',
    );
  });
});

// Formerly cdn.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the CDN module (modules/cdn)", () => {
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
    expect(resource(cdn, "aws_wafv2_web_acl", "this")).toMatchObject({
      scope: "CLOUDFRONT",
      provider: "aws.us_east_1",
    });
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
          (e.cdn.certificateArn =
            "arn:aws:acm:sa-east-1:333333333333:certificate/11111111-2222-3333-4444-555555555555"),
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
});

// Formerly network.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the network module (security groups, per-AZ resources, the NAT instance)", () => {
  const net: Json = stacks.production.modules.network;
  const ingress = resourcesOf(net, "aws_vpc_security_group_ingress_rule");
  const egress = resourcesOf(net, "aws_vpc_security_group_egress_rule");

  describe("network module: security defaults", () => {
    test("the VPC resolves DNS names (interface endpoints and RDS need it)", () => {
      expect(resource(net, "aws_vpc", "this")).toMatchObject({ enable_dns_support: true, enable_dns_hostnames: true });
    });

    test("the default security group is managed with no rules", () => {
      const sg = resource(net, "aws_default_security_group", "this");
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
    });

    test("no subnet hands out public IPs on launch", () => {
      expect(resource(net, "aws_subnet", "public").map_public_ip_on_launch).toBe(false);
      expect(resource(net, "aws_subnet", "private").map_public_ip_on_launch).toBeUndefined();
    });

    test("database subnets have no route to the internet", () => {
      const routes = resourcesOf(net, "aws_route");
      for (const r of Object.values(routes)) expect(r.route_table_id).not.toContain("aws_route_table.database");
    });

    test("the internet reaches only the ALB, and only on 80 and 443", () => {
      const open = Object.entries(ingress).filter(([, r]) => r.cidr_ipv4 === "0.0.0.0/0");
      expect(open.map(([name, r]) => [name, r.from_port, r.to_port, r.security_group_id])).toEqual([
        ["alb_http_from_internet", 80, 80, "${aws_security_group.alb.id}"],
        ["alb_https_from_internet", 443, 443, "${aws_security_group.alb.id}"],
      ]);
    });

    test("the app tier admits only the ALB's security group, on the app port", () => {
      const toApp = Object.values(ingress).filter((r) => r.security_group_id === "${aws_security_group.app.id}");
      expect(toApp).toEqual([
        expect.objectContaining({
          referenced_security_group_id: "${aws_security_group.alb.id}",
          from_port: "${var.app_port}",
          to_port: "${var.app_port}",
          ip_protocol: "tcp",
        }),
      ]);
    });

    test("the ALB may only talk to the app tier", () => {
      const fromAlb = Object.values(egress).filter((r) => r.security_group_id === "${aws_security_group.alb.id}");
      expect(fromAlb).toEqual([
        expect.objectContaining({ referenced_security_group_id: "${aws_security_group.app.id}" }),
      ]);
    });

    test("egress to the world is HTTPS only: the app, and the NAT instance that forwards it", () => {
      const world = Object.values(egress).filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
      expect(world.map((r) => [r.security_group_id, r.ip_protocol, r.from_port, r.to_port])).toEqual([
        ["${aws_security_group.nat_instance.0.id}", "tcp", 443, 443],
        ["${aws_security_group.app.id}", "tcp", 443, 443],
      ]);
    });

    test("interface endpoints admit HTTPS from the VPC only", () => {
      expect(resource(net, "aws_vpc_security_group_ingress_rule", "endpoints_https_from_vpc")).toMatchObject({
        cidr_ipv4: "${aws_vpc.this.cidr_block}",
        from_port: 443,
        to_port: 443,
      });
    });

    test("every security group and rule is described", () => {
      for (const [type, byName] of Object.entries<Json>(net.resource)) {
        if (!/security_group/.test(type) || type === "aws_default_security_group") continue;
        for (const [name, r] of Object.entries<Json>(byName))
          expect([type, name, typeof r.description]).toEqual([type, name, "string"]);
      }
    });

    test("flow logs go to a log group with retention, written by a role only VPC Flow Logs can assume", () => {
      expect(resource(net, "aws_cloudwatch_log_group", "flow_logs").retention_in_days).toBe(
        "${var.flow_log_retention_days}",
      );
      const trust = JSON.parse(resource(net, "aws_iam_role", "flow_logs").assume_role_policy);
      expect(trust.Statement).toEqual([
        { Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(resource(net, "aws_iam_role_policy", "flow_logs").policy).not.toMatch(/"\*"|= "\*"/);
    });

    test("the S3 gateway endpoint serves the private and database route tables", () => {
      const s3 = resource(net, "aws_vpc_endpoint", "s3");
      expect(s3.vpc_endpoint_type).toBe("Gateway");
      expect(s3.route_table_ids).toBe(
        "${concat(values(aws_route_table.private)[*].id, aws_route_table.database[*].id)}",
      );
    });
  });

  describe("network module: per-AZ resources", () => {
    test("subnets, private route tables and NAT gateways are keyed by AZ name, not by position", () => {
      expect(resource(net, "aws_subnet", "private").for_each).toBe("${local.private_subnets_by_az}");
      expect(resource(net, "aws_route_table", "private").for_each).toBe("${local.private_subnets_by_az}");
      expect(resource(net, "aws_nat_gateway", "this").for_each).toBe("${toset(local.nat_azs)}");
    });

    test("with one-per-az each private route table uses the NAT gateway of its own AZ", () => {
      expect(resource(net, "aws_route", "private_nat").nat_gateway_id).toBe(
        '${aws_nat_gateway.this[(var.nat_mode == "one-per-az") ? each.key : var.azs.0].id}',
      );
    });
  });

  describe.each(WORKSPACES)("network inputs in %s", (ws) => {
    const call = stacks[ws].root.module.network;

    test("the module name prefix derives from the guarded environment variable", () => {
      expect(call.name).toBe("eduautismo-ia-${var.environment}");
    });

    test("one subnet per AZ in every tier", () => {
      for (const tier of ["public_subnets", "private_subnets", "database_subnets"])
        expect(call[tier]).toHaveLength(call.azs.length);
    });
  });

  // Formerly nat-instance.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
  describe("the NAT instance", () => {
    const dev: Json = stacks.dev.modules.network;
    const nat = resource(dev, "aws_instance", "nat");
    const p = PRICES["us-east-1"];
    const envs = Object.fromEntries(loadEnvironments().map((e) => [e.workspace, e]));

    describe('NAT instance (network.natMode "instance", D100)', () => {
      test("dev routes every private subnet through the instance and creates no NAT gateway", () => {
        expect(stacks.dev.root.module.network.nat_mode).toBe("instance");
        expect(resource(dev, "aws_route", "private_nat_instance")).toMatchObject({
          network_interface_id: "${aws_instance.nat.0.primary_network_interface_id}",
          destination_cidr_block: "0.0.0.0/0",
          for_each: "${(local.nat_instance == 1) ? local.private_subnets_by_az : {}}",
        });
        expect(resource(dev, "aws_route", "private_nat").for_each).toBe(
          '${(contains(["none", "instance"], var.nat_mode) || !var.enable_nat) ? {} : local.private_subnets_by_az}',
        );
      });

      test("exists only while the environment runs and nat_mode is instance", () => {
        expect(dev.locals.nat_instance).toBe('${(var.enable_nat && (var.nat_mode == "instance")) ? 1 : 0}');
        expect(nat.count).toBe("${local.nat_instance}");
      });

      test("forwards (source/destination check off) from the first public subnet", () => {
        expect(nat).toMatchObject({
          source_dest_check: false,
          associate_public_ip_address: true,
          subnet_id: "${aws_subnet.public[var.azs.0].id}",
        });
      });

      test("requires IMDSv2, encrypts its root volume and has no instance profile", () => {
        expect(nat.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
        expect(nat.root_block_device).toMatchObject({ encrypted: true, volume_type: "gp3" });
        expect(nat.iam_instance_profile).toBeUndefined();
      });

      test("takes HTTPS from the VPC only and sends HTTPS only", () => {
        expect(resource(dev, "aws_vpc_security_group_ingress_rule", "nat_instance_https_from_vpc")).toMatchObject({
          cidr_ipv4: "${aws_vpc.this.cidr_block}",
          from_port: 443,
          to_port: 443,
        });
        expect(resource(dev, "aws_vpc_security_group_egress_rule", "nat_instance_https_out")).toMatchObject({
          cidr_ipv4: "0.0.0.0/0",
          from_port: 443,
          to_port: 443,
        });
      });

      test("masquerades the VPC's traffic and keeps forwarding after a reboot", () => {
        expect(nat.user_data).toContain("-s ${var.vpc_cidr} -j MASQUERADE");
        expect(nat.user_data).toContain("net.ipv4.ip_forward = 1");
        expect(nat.user_data).toContain("iptables-save > /etc/sysconfig/iptables");
        expect(nat.user_data_replace_on_change).toBe(true);
      });

      test("boots Amazon Linux 2023 arm64 resolved by EC2 at launch, and ignores the resolved id afterwards", () => {
        expect(stacks.dev.root.module.network.nat_instance_ami).toBe(NAT_INSTANCE_DEFAULT_AMI);
        expect(nat.ami).toBe("${var.nat_instance_ami}");
        expect(nat.lifecycle.ignore_changes).toEqual(["ami"]);
      });

      test("its public IP is the nat_public_ips output", () => {
        expect(dev.output.nat_public_ips.value).toBe(
          "${concat([for az in local.nat_azs : aws_eip.nat[az].public_ip], aws_instance.nat[*].public_ip)}",
        );
      });

      test("the estimate prices the instance, its volume and address, and no NAT processing", () => {
        const lines = estimate(envs.dev, stacks.dev).lines.filter((l) => l.module === "network");
        expect(lines.map((l) => l.item)).toEqual(["NAT instance t4g.nano + 8 GB gp3 + public IPv4"]);
        expect(lines[0].usd).toBeCloseTo(
          (p.ec2Hour["t4g.nano"] + p.publicIpv4Hour) * HOURS_PER_MONTH + 8 * p.ebsGp3GbMonth,
          6,
        );
      });

      test("a stopped environment pays no NAT instance", () => {
        expect(
          estimate(envs.dev, stacks.dev, { running: false }).lines.filter((l) => l.item.startsWith("NAT instance")),
        ).toEqual([]);
      });

      test("refuses natMode instance in a production-like tier", () => {
        expect(problems("staging", (e) => (e.network.natMode = "instance"))).toEqual([
          'staging.network.natMode: "instance" is for a development tier: a production-like environment keeps managed NAT gateways ("single" or "one-per-az"), D100',
        ]);
      });

      test("refuses an image that is neither an AMI id nor an SSM parameter", () => {
        expect(problems("dev", (e) => (e.network.natInstance = { ami: "latest" }))).toEqual([
          "dev.network.natInstance.ami: must be an AMI id like ami-0123456789abcdef0 or resolve:ssm:/<parameter>",
        ]);
      });

      test("refuses an instance type that is not a small Graviton", () => {
        expect(problems("dev", (e) => (e.network.natInstance = { instanceType: "m5.large" }))[0]).toMatch(
          /^dev\.network\.natInstance\.instanceType: /,
        );
      });

      test("refuses unknown natInstance fields", () => {
        expect(problems("dev", (e) => (e.network.natInstance = { size: "nano" }))[0]).toMatch(
          /^dev\.network\.natInstance: /,
        );
      });
    });
  });
});
