/**
 * The ALB in front of the web services: the load balancer, a target group per web service, the HTTP listener
 * (redirect with a certificate), the HTTPS listener, the listener rules (path, host, CloudFront's origin header)
 * and the web ACL association. Nothing without a web service.
 */
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Fn, type DataResource, type ITerraformDependable } from "cdktf";
import { generatedToken } from "../../lib/constructs/generated-token";
import { named, present } from "../../lib/core/module-stack";
import { COMPUTE_PRESENCE, serviceVariablePrefix as tf, type ServiceSettings } from "./config";
import { DEFAULT_SERVICE_RULE_PRIORITY, ORIGIN_VERIFY_HEADER, targetGroupNamePrefix } from "./constants";
import type { ComputeContext } from "./parts";

export interface LoadBalancer {
  readonly alb: Lb;
  /** By service name. */
  readonly targetGroups: Readonly<Record<string, LbTargetGroup>>;
  readonly https: boolean;
  /** CloudFront's secret header value (`terraform_data.origin_verify`), when only CloudFront reaches the ALB. */
  readonly originVerify?: DataResource;
  /** What a web service's ECS service waits for: the listener or rule that attaches its target group. */
  readonly attachment: (service: string) => ITerraformDependable;
}

/** Web services in order; the first is the listener default unless host routing or CloudFront says otherwise. */
export function webServices(ctx: ComputeContext): (ServiceSettings & { kind: "web" })[] {
  return ctx.settings.services.filter((s): s is ServiceSettings & { kind: "web" } => s.kind === "web");
}

const NO_SUCH_HOST = {
  type: "fixed-response",
  fixedResponse: { contentType: "text/plain", messageBody: "Not Found", statusCode: "404" },
};

/** The ALB and its listeners; undefined without a web service. */
export function loadBalancer(ctx: ComputeContext, cloudfrontOnly: boolean): LoadBalancer | undefined {
  const { scope, settings: cfg, vars } = ctx;
  const web = webServices(ctx);
  if (web.length === 0) return undefined;
  const https = cfg.certificateArn !== undefined;
  const originVerify = https && cloudfrontOnly;
  // Host-based routing (hostHeaders, D110): when the first web service names its hosts, no service is the
  // listener default; every web service has its own rule and any other host gets 404.
  const hostRouted = web[0].hostHeaders.length > 0;
  const alb = named(
    new Lb(scope, "alb", {
      name: vars.name,
      internal: false,
      loadBalancerType: "application",
      securityGroups: [vars.albSecurityGroupId],
      subnets: vars.publicSubnetIds,
      dropInvalidHeaderFields: true,
      enableDeletionProtection: vars.albDeletionProtection,
      idleTimeout: 60,
      accessLogs: { bucket: vars.logsBucketName, prefix: vars.albLogPrefix, enabled: vars.albAccessLogs },
    }),
    "this",
  );
  const targetGroups = Object.fromEntries(web.map((s) => [s.name, targetGroup(ctx, s)]));
  const forwardDefault = { type: "forward", targetGroupArn: targetGroups[web[0].name].arn };
  const http = named(
    new LbListener(scope, "http_listener", {
      loadBalancerArn: alb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [
        https
          ? { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }
          : hostRouted
            ? NO_SUCH_HOST
            : forwardDefault,
      ],
    }),
    "http",
  );
  // The secret CloudFront sends (cdn module) and the listener checks: a UUID made once and kept in
  // state (only the aws provider is available). Rotate: terraform apply -replace=module.compute.terraform_data.origin_verify.
  const verifyToken = originVerify ? generatedToken(scope, "origin_verify") : undefined;
  const httpsListener = https
    ? named(
        new LbListener(scope, "https_listener", {
          loadBalancerArn: alb.arn,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: vars.tlsPolicy,
          certificateArn: vars.certificateArn,
          // Behind CloudFront nothing is forwarded by default: only the rules below, which require the header.
          defaultAction: [
            originVerify
              ? {
                  type: "fixed-response",
                  fixedResponse: { contentType: "text/plain", messageBody: "Forbidden", statusCode: "403" },
                }
              : hostRouted
                ? NO_SUCH_HOST
                : forwardDefault,
          ],
        }),
        "https",
      )
    : undefined;
  const listener = httpsListener ?? http;
  const rules = listenerRules(ctx, { listener, targetGroups, first: originVerify || hostRouted, verifyToken });
  present(
    named(
      new Wafv2WebAclAssociation(scope, "waf_association", { resourceArn: alb.arn, webAclArn: vars.webAclArn }),
      "this",
    ),
    COMPUTE_PRESENCE,
  );
  return { alb, targetGroups, https, originVerify: verifyToken, attachment: (s) => rules[s] ?? listener };
}

/**
 * A web service's target group. name_prefix, not name: create_before_destroy needs the replacement to take a
 * free name (target group names are unique per account and region). AWS allows 6 characters of prefix; the
 * Name tag keeps the readable name (docs/decisions.md, D53).
 */
function targetGroup(ctx: ComputeContext, s: ServiceSettings & { kind: "web" }): LbTargetGroup {
  return named(
    new LbTargetGroup(ctx.scope, `tg_${tf(s.name)}`, {
      namePrefix: targetGroupNamePrefix(s.name),
      tags: { Name: `${ctx.vars.name}-${s.name}` },
      port: s.port,
      protocol: "HTTP",
      targetType: "ip",
      vpcId: ctx.vars.vpcId,
      deregistrationDelay: "30",
      healthCheck: {
        path: s.healthCheckPath,
        matcher: "200",
        interval: 30,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      lifecycle: { createBeforeDestroy: true },
    }),
    tf(s.name),
  );
}

/**
 * Extra web services by path (and host); behind CloudFront also the first (default) service, by header alone;
 * with host routing also the first service, by its hosts. By service name.
 */
function listenerRules(
  ctx: ComputeContext,
  o: {
    readonly listener: LbListener;
    readonly targetGroups: Readonly<Record<string, LbTargetGroup>>;
    /** The first web service gets a rule too (CloudFront only, or host routing). */
    readonly first: boolean;
    readonly verifyToken?: DataResource;
  },
): Record<string, LbListenerRule> {
  const header = o.verifyToken && Fn.sensitive(o.verifyToken.getStringAttribute("output"));
  const verified = header ? [{ httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [header] } }] : [];
  const rules: Record<string, LbListenerRule> = {};
  webServices(ctx).forEach((s, i) => {
    if (i === 0 && !o.first) return;
    rules[s.name] = named(
      new LbListenerRule(ctx.scope, `rule_${tf(s.name)}`, {
        listenerArn: o.listener.arn,
        priority: i === 0 ? DEFAULT_SERVICE_RULE_PRIORITY : i * 10,
        action: [{ type: "forward", targetGroupArn: o.targetGroups[s.name].arn }],
        condition: [
          ...(i === 0 || s.pathPatterns.length === 0 ? [] : [{ pathPattern: { values: s.pathPatterns } }]),
          ...(s.hostHeaders.length > 0 ? [{ hostHeader: { values: s.hostHeaders } }] : []),
          ...verified,
        ],
      }),
      tf(s.name),
    );
  });
  return rules;
}
