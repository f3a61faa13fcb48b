/**
 * The policy gate's checks: what Checkov, Trivy and AWS Security Hub would flag on the resource
 * types this platform uses, evaluated on the synthesized configuration (see model.ts). Each check
 * names the upstream ids it mirrors, a severity and its scope: `all` environments, or
 * `production-like` for resilience controls a development-tier environment does not pay for.
 *
 * A check an environment may switch off to save money is declared exemptible by the module whose config
 * holds the switch (`<MODULE>_CONTROLS` in modules/<m>/config.ts, keyed by check id; lib/core/controls.ts).
 * The environment schema and the gate both read those declarations; nothing else lists them.
 *
 * Upstream ids were checked against checkov (2026-08) and trivy-checks (2026-08) sources and the
 * Security Hub control reference. Trivy ids are written AVD-AWS-NNNN (still accepted as aliases of
 * AWS-NNNN). Security Hub ids are FSBP controls except SNS.1, S3.14, S3.17, KMS.4, WAF.11 and
 * ELB.16 (NIST/CIS/PCI standards). Where the upstream check is looser than ours (CKV_AWS_133 and
 * AVD-AWS-0077 accept fewer than 7 backup days; CKV_AWS_260 also flags the ALB's port 80) the id
 * marks the same concern, not the same threshold.
 *
 * A check looks at each resource of its types and returns the problem, or undefined when the
 * resource passes. A check with no resource to look at is "not applicable" in that workspace.
 */
import { Unknown, isUnknown, type Value } from "./value";
import type { PolicyModel, PolicyResource } from "./model";
import { APPLY_CHECKS } from "./apply-checks";
import { brokenKnobRules, KNOB_SETS } from "./knob-verdicts";
import { URL_CHECKS } from "./url-checks";
import { containers } from "./containers";
import { ROTATION_WAIVER_TAG } from "../../lib/constructs/rotation";
import {
  attached,
  block,
  blocks,
  isReplica,
  isSet,
  isTrue,
  list,
  num,
  of,
  perResource,
  refersTo,
  statements,
  type Statement,
} from "./values";

export type { Category, Check, CheckScope, Finding, Severity } from "./check";
import type { Check } from "./check";
export { EXEMPTION_TIER_RULE } from "../../lib/core/controls";

// --- value helpers ----------------------------------------------------------------------------

function principals(s: Statement): { kind: string; values: string[] }[] {
  if (s.Principal === undefined) return [];
  if (typeof s.Principal === "string") return [{ kind: "*", values: [s.Principal] }];
  return Object.entries(s.Principal).map(([kind, v]) => ({ kind, values: list(v) }));
}

const WORLD = ["0.0.0.0/0", "::/0"];

/** Tag a task definition carries when whoever runs it assigns a public IP (modules/compute ASSIGN_PUBLIC_IP_TAG). */
const ASSIGN_PUBLIC_IP_TAG = "AssignPublicIp";
function publicIpTag(r: PolicyResource): unknown {
  const tags = r.config.tags;
  return tags && typeof tags === "object" && !Array.isArray(tags)
    ? (tags as Record<string, unknown>)[ASSIGN_PUBLIC_IP_TAG]
    : undefined;
}

/** A security group rule, from a standalone rule resource or an inline block. */
interface Rule {
  cidrs: string[];
  from?: number;
  to?: number;
  protocol: string;
  description?: Value;
  group?: Value;
}

function rulesOf(r: PolicyResource, direction: "ingress" | "egress"): Rule[] {
  const c = r.config;
  if (r.type === `aws_vpc_security_group_${direction}_rule`) {
    return [
      {
        cidrs: [c.cidr_ipv4, c.cidr_ipv6].filter((x): x is string => typeof x === "string"),
        from: num(c.from_port),
        to: num(c.to_port),
        protocol: String(c.ip_protocol),
        description: c.description,
        group: c.security_group_id,
      },
    ];
  }
  if (r.type === "aws_security_group_rule" && c.type === direction) {
    return [
      {
        cidrs: [...list(c.cidr_blocks), ...list(c.ipv6_cidr_blocks)].filter((x): x is string => typeof x === "string"),
        from: num(c.from_port),
        to: num(c.to_port),
        protocol: String(c.protocol),
        description: c.description,
        group: c.security_group_id,
      },
    ];
  }
  if (r.type === "aws_security_group") {
    return blocks(c[direction]).map((b) => ({
      cidrs: [...list(b.cidr_blocks), ...list(b.ipv6_cidr_blocks)].filter((x): x is string => typeof x === "string"),
      from: num(b.from_port),
      to: num(b.to_port),
      protocol: String(b.protocol),
      description: b.description,
      group: new Unknown(`${r.type}.${r.name}.id`, r.module || undefined),
    }));
  }
  return [];
}
const RULE_TYPES = [
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_security_group_rule",
  "aws_security_group",
];
const allPorts = (rule: Rule) =>
  rule.protocol === "-1" ||
  rule.protocol === "all" ||
  rule.from === undefined ||
  (rule.from <= 0 && (rule.to ?? 65535) >= 65535);

/** Whether a bucket's policy allows a principal matching `who` to write to it. */
function grantsTo(b: PolicyResource, m: PolicyModel, who: RegExp): boolean {
  return attached(m, "aws_s3_bucket_policy", "bucket", b).some((p) =>
    (statements(p.config.policy) ?? []).some(
      (s) => s.Effect === "Allow" && principals(s).some((pr) => pr.values.some((v) => who.test(v))),
    ),
  );
}
/** Elastic Load Balancing's log writers: the service principal, or the per-region ELB accounts of older regions. */
const ELB_LOG_WRITERS =
  /^logdelivery\.elasticloadbalancing\.amazonaws\.com$|^arn:aws:iam::(127311923021|033677994240|027434742980|797873946194|507241528517):root$/;
/** Whether a bucket receives ALB access logs, which ELB only writes to SSE-S3 buckets. */
const receivesAlbLogs = (b: PolicyResource, m: PolicyModel) => grantsTo(b, m, ELB_LOG_WRITERS);
/** Whether a bucket is where logs go (S3 server access logs, ALB, CloudFront): it does not log its own access. */
/** Whether some aws_s3_bucket_logging writes server access logs into `b`. */
function receivesServerAccessLogs(b: PolicyResource, m: PolicyModel): boolean {
  return of(m, "aws_s3_bucket_logging").some((l) => refersTo(l.config.target_bucket, b));
}

function isLogBucket(b: PolicyResource, m: PolicyModel): boolean {
  if (receivesServerAccessLogs(b, m)) return true;
  return receivesAlbLogs(b, m) || grantsTo(b, m, /^(logging\.s3|delivery\.logs)\.amazonaws\.com$/);
}

/** Security groups a load balancer uses (computed once per workspace model). */
const lbGroups = new WeakMap<PolicyModel, PolicyResource[]>();
function loadBalancerGroups(m: PolicyModel): PolicyResource[] {
  let groups = lbGroups.get(m);
  if (!groups) {
    const lbs = of(m, "aws_lb");
    groups = of(m, "aws_security_group").filter((g) =>
      lbs.some((lb) => list(lb.config.security_groups as Value[]).some((sg) => refersTo(sg, g))),
    );
    lbGroups.set(m, groups);
  }
  return groups;
}

const ADMIN_POLICIES = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;
const SECURE_ALB_POLICIES = /^ELBSecurityPolicy-(TLS13-1-[23]-|FS-1-2-|TLS-1-2-)/;
/** What Trivy (AVD-AWS-0013) and Security Hub (CloudFront.15) accept; Checkov alone also takes TLSv1.2_2018/2019. */
const SECURE_CLOUDFRONT = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];
const IA_CLASSES = ["STANDARD_IA", "ONEZONE_IA"];

// --- the checks -------------------------------------------------------------------------------

export const CHECKS: readonly Check[] = [
  // Encryption at rest and in transit
  perResource(
    {
      id: "rds-storage-encrypted",
      title: "RDS instances encrypt storage with a KMS key",
      category: "encryption",
      upstream: ["CKV_AWS_16", "AVD-AWS-0080", "RDS.3"],
      severity: "high",
      scope: "all",
    },
    ["aws_db_instance"],
    (r) =>
      isReplica(r)
        ? isSet(r.config.kms_key_id) || isTrue(r.config.storage_encrypted)
          ? undefined
          : "replica without kms_key_id"
        : !isTrue(r.config.storage_encrypted)
          ? "storage_encrypted is not true"
          : !isSet(r.config.kms_key_id)
            ? "no kms_key_id (the AWS-managed key cannot be shared or audited)"
            : undefined,
  ),
  perResource(
    {
      id: "rds-force-ssl",
      title: "PostgreSQL parameter groups force TLS (rds.force_ssl = 1)",
      category: "encryption",
      upstream: ["CKV2_AWS_69"],
      severity: "high",
      scope: "all",
    },
    ["aws_db_parameter_group"],
    (r) =>
      blocks(r.config.parameter).some((p) => p.name === "rds.force_ssl" && String(p.value) === "1")
        ? undefined
        : "rds.force_ssl is not 1: clients may connect without TLS",
    (r) => typeof r.config.family !== "string" || r.config.family.startsWith("postgres"),
  ),
  perResource(
    {
      id: "elasticache-at-rest-encryption",
      title: "Redis replication groups encrypt data at rest",
      category: "encryption",
      upstream: ["CKV_AWS_29", "AVD-AWS-0045", "ElastiCache.4"],
      severity: "high",
      scope: "all",
    },
    ["aws_elasticache_replication_group"],
    (r) => (isTrue(r.config.at_rest_encryption_enabled) ? undefined : "at_rest_encryption_enabled is not true"),
  ),
  perResource(
    {
      id: "elasticache-transit-encryption",
      title: "Redis replication groups require TLS",
      category: "encryption",
      upstream: ["CKV_AWS_30", "AVD-AWS-0051", "ElastiCache.5"],
      severity: "high",
      scope: "all",
    },
    ["aws_elasticache_replication_group"],
    // The cache config's keeps-on rule decides.
    (r) =>
      brokenKnobRules(KNOB_SETS.cache, "elasticache-transit-encryption", {
        redis_transit_encryption_enabled: isTrue(r.config.transit_encryption_enabled),
      }).size > 0
        ? "transit_encryption_enabled is not true"
        : undefined,
  ),
  perResource(
    {
      id: "elasticache-auth",
      title: "Redis replication groups require an AUTH token",
      category: "encryption",
      upstream: ["CKV_AWS_31", "ElastiCache.6"],
      severity: "medium",
      scope: "all",
    },
    ["aws_elasticache_replication_group"],
    // The cache config's keeps-on rule decides.
    (r) =>
      brokenKnobRules(KNOB_SETS.cache, "elasticache-auth", {
        redis_auth_enabled: isSet(r.config.auth_token) || isSet(r.config.user_group_ids),
      }).size > 0
        ? "no auth_token: any client in the security group can read and write the cache"
        : undefined,
  ),
  perResource(
    {
      id: "s3-encryption",
      title: "S3 buckets encrypt with KMS (SSE-S3 only where ALB or S3 access-log delivery requires it)",
      category: "encryption",
      upstream: ["CKV_AWS_145", "CKV_AWS_19", "AVD-AWS-0132", "S3.17"],
      severity: "high",
      scope: "all",
    },
    ["aws_s3_bucket"],
    (b, m) => {
      const sse = attached(m, "aws_s3_bucket_server_side_encryption_configuration", "bucket", b);
      if (sse.length === 0) return "no aws_s3_bucket_server_side_encryption_configuration";
      const rule = block(blocks(sse[0].config.rule)[0]?.apply_server_side_encryption_by_default);
      const algorithm = rule?.sse_algorithm;
      if (algorithm === "aws:kms" || algorithm === "aws:kms:dsse")
        return isSet(rule?.kms_master_key_id) ? undefined : "aws:kms without kms_master_key_id";
      // ALB access logs and S3 server access logs are only delivered to SSE-S3 buckets
      // (ELB guide "Enable access logs"; S3 guide "Enabling Amazon S3 server access logging").
      if (algorithm === "AES256")
        return receivesAlbLogs(b, m) || receivesServerAccessLogs(b, m)
          ? undefined
          : "SSE-S3 (AES256): use a customer managed KMS key";
      return `unknown sse_algorithm ${String(algorithm)}`;
    },
  ),
  perResource(
    {
      id: "sns-encryption",
      title: "SNS topics encrypt messages with a customer managed key",
      category: "encryption",
      upstream: ["CKV_AWS_26", "AVD-AWS-0095", "AVD-AWS-0136", "SNS.1"],
      severity: "medium",
      scope: "all",
    },
    ["aws_sns_topic"],
    (r) =>
      !isSet(r.config.kms_master_key_id)
        ? "no kms_master_key_id"
        : r.config.kms_master_key_id === "alias/aws/sns"
          ? "the AWS-managed key cannot be used by CloudWatch alarms"
          : undefined,
  ),
  perResource(
    {
      id: "log-group-encryption",
      title: "CloudWatch log groups encrypt with a KMS key",
      category: "encryption",
      upstream: ["CKV_AWS_158", "AVD-AWS-0017"],
      severity: "medium",
      scope: "all",
    },
    ["aws_cloudwatch_log_group"],
    (r) => (isSet(r.config.kms_key_id) ? undefined : "no kms_key_id"),
  ),
  perResource(
    {
      id: "secrets-cmk",
      title: "Secrets Manager secrets encrypt with a customer managed key",
      category: "encryption",
      upstream: ["CKV_AWS_149", "AVD-AWS-0098"],
      severity: "medium",
      scope: "all",
    },
    ["aws_secretsmanager_secret"],
    (r) => (isSet(r.config.kms_key_id) ? undefined : "no kms_key_id (aws/secretsmanager cannot be shared or audited)"),
  ),
  perResource(
    {
      id: "ecr-kms",
      title: "ECR repositories encrypt images with KMS",
      category: "encryption",
      upstream: ["CKV_AWS_136", "AVD-AWS-0033"],
      severity: "medium",
      scope: "all",
    },
    ["aws_ecr_repository"],
    (r) =>
      block(r.config.encryption_configuration)?.encryption_type === "KMS" ? undefined : "encryption_type is not KMS",
  ),
  perResource(
    {
      id: "cloudtrail-encryption",
      title: "CloudTrail encrypts log files with a KMS key",
      category: "encryption",
      upstream: ["CKV_AWS_35", "AVD-AWS-0015", "CloudTrail.2"],
      severity: "high",
      scope: "all",
    },
    ["aws_cloudtrail"],
    (r) => (isSet(r.config.kms_key_id) ? undefined : "no kms_key_id"),
  ),
  perResource(
    {
      id: "alb-https",
      title: "Load balancer listeners serve HTTPS or redirect HTTP to HTTPS",
      category: "encryption",
      upstream: ["CKV_AWS_2", "CKV2_AWS_20", "AVD-AWS-0054", "ELB.1"],
      severity: "high",
      scope: "all",
    },
    ["aws_lb_listener"],
    (r) => {
      if (r.config.protocol === "HTTPS" || r.config.protocol === "TLS") return undefined;
      const actions = blocks(r.config.default_action);
      const redirects =
        actions.length > 0 && actions.every((a) => a.type === "redirect" && block(a.redirect)?.protocol === "HTTPS");
      return redirects
        ? undefined
        : `${String(r.config.protocol)} listener on port ${String(r.config.port)} serves plain text`;
    },
  ),
  perResource(
    {
      id: "alb-tls-policy",
      title: "HTTPS listeners use a TLS 1.2+ security policy",
      category: "encryption",
      upstream: ["CKV_AWS_103", "AVD-AWS-0047", "ELB.17"],
      severity: "high",
      scope: "all",
    },
    ["aws_lb_listener"],
    (r) =>
      typeof r.config.ssl_policy === "string" && SECURE_ALB_POLICIES.test(r.config.ssl_policy)
        ? undefined
        : `ssl_policy ${String(r.config.ssl_policy ?? "(default ELBSecurityPolicy-2016-08)")} allows TLS < 1.2`,
    (r) => r.config.protocol === "HTTPS" || r.config.protocol === "TLS",
  ),
  perResource(
    {
      id: "cloudfront-https",
      title: "CloudFront redirects viewers to HTTPS",
      category: "encryption",
      upstream: ["CKV_AWS_34", "AVD-AWS-0012", "CloudFront.3"],
      severity: "high",
      scope: "all",
    },
    ["aws_cloudfront_distribution"],
    (r) => {
      const behaviours = [...blocks(r.config.default_cache_behavior), ...blocks(r.config.ordered_cache_behavior)];
      const open = behaviours.filter((b) => b.viewer_protocol_policy === "allow-all");
      return open.length ? `${open.length} cache behaviour(s) allow plain HTTP` : undefined;
    },
  ),
  perResource(
    {
      id: "cloudfront-tls",
      title: "CloudFront serves viewers TLS 1.2+ with its own certificate",
      category: "encryption",
      upstream: ["CKV_AWS_174", "AVD-AWS-0013", "CloudFront.15"],
      severity: "medium",
      scope: "all",
    },
    ["aws_cloudfront_distribution"],
    (r) => {
      const cert = block(r.config.viewer_certificate);
      if (!cert || isTrue(cert.cloudfront_default_certificate))
        return "the default *.cloudfront.net certificate lets viewers negotiate TLS 1.0: set cdn.certificateArn";
      return SECURE_CLOUDFRONT.includes(String(cert.minimum_protocol_version))
        ? undefined
        : `minimum_protocol_version ${String(cert.minimum_protocol_version)} is below TLSv1.2`;
    },
  ),
  perResource(
    {
      id: "cloudfront-origin-tls",
      title: "CloudFront reaches custom origins over TLS 1.2 only",
      category: "encryption",
      upstream: ["CloudFront.9", "CloudFront.10"],
      severity: "medium",
      scope: "all",
    },
    ["aws_cloudfront_distribution"],
    (r) => {
      for (const o of blocks(r.config.origin)) {
        const custom = block(o.custom_origin_config);
        if (!custom) continue;
        if (custom.origin_protocol_policy !== "https-only")
          return `origin ${String(o.origin_id)}: origin_protocol_policy ${String(custom.origin_protocol_policy)}`;
        const old = list(custom.origin_ssl_protocols as Value[]).filter((p) => p !== "TLSv1.2");
        if (old.length) return `origin ${String(o.origin_id)} allows ${old.join(", ")}`;
      }
      return undefined;
    },
  ),

  // Public exposure
  perResource(
    {
      id: "s3-public-access-block",
      title: "S3 buckets block every form of public access",
      category: "exposure",
      upstream: [
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
        "CKV2_AWS_6",
        "AVD-AWS-0086",
        "AVD-AWS-0087",
        "AVD-AWS-0091",
        "AVD-AWS-0093",
        "AVD-AWS-0094",
        "S3.8",
      ],
      severity: "high",
      scope: "all",
    },
    ["aws_s3_bucket"],
    (b, m) => {
      const pab = attached(m, "aws_s3_bucket_public_access_block", "bucket", b)[0];
      if (!pab) return "no aws_s3_bucket_public_access_block";
      const off = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].filter(
        (k) => !isTrue(pab.config[k]),
      );
      return off.length ? `${off.join(", ")} not true` : undefined;
    },
  ),
  perResource(
    {
      id: "s3-secure-transport",
      title: "S3 bucket policies deny requests without TLS",
      category: "exposure",
      upstream: ["S3.5"],
      severity: "medium",
      scope: "all",
    },
    ["aws_s3_bucket"],
    (b, m) =>
      attached(m, "aws_s3_bucket_policy", "bucket", b).some((p) =>
        (statements(p.config.policy) ?? []).some(
          (s) => s.Effect === "Deny" && JSON.stringify(s.Condition ?? {}).includes('"aws:SecureTransport":"false"'),
        ),
      )
        ? undefined
        : "no bucket policy statement denies aws:SecureTransport = false",
  ),
  perResource(
    {
      id: "s3-no-acls",
      title: "S3 buckets disable ACLs (BucketOwnerEnforced)",
      category: "exposure",
      upstream: ["CKV2_AWS_65", "S3.12"],
      severity: "low",
      scope: "all",
    },
    ["aws_s3_bucket"],
    (b, m) =>
      attached(m, "aws_s3_bucket_ownership_controls", "bucket", b).some(
        (o) => block(o.config.rule)?.object_ownership === "BucketOwnerEnforced",
      )
        ? undefined
        : "ACLs are not disabled (object_ownership BucketOwnerEnforced)",
  ),
  perResource(
    {
      id: "rds-not-public",
      title: "RDS instances are not publicly accessible",
      category: "exposure",
      upstream: ["CKV_AWS_17", "AVD-AWS-0180", "RDS.2"],
      severity: "critical",
      scope: "all",
    },
    ["aws_db_instance"],
    (r) =>
      r.config.publicly_accessible === false || r.config.publicly_accessible === "false"
        ? undefined
        : "publicly_accessible is not false",
  ),
  perResource(
    {
      id: "sg-no-public-ingress",
      title: "Only the load balancer takes traffic from the internet, on 80/443",
      category: "exposure",
      upstream: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "AVD-AWS-0107", "EC2.18", "EC2.19"],
      severity: "high",
      scope: "all",
    },
    RULE_TYPES,
    (r, m) => {
      const albGroups = loadBalancerGroups(m);
      for (const rule of rulesOf(r, "ingress").filter((x) => x.cidrs.some((c) => WORLD.includes(c)))) {
        const toAlb = albGroups.some((g) => refersTo(rule.group, g));
        const webPort = rule.from === rule.to && (rule.from === 80 || rule.from === 443);
        if (!(toAlb && webPort))
          return `ingress from the internet on ${allPorts(rule) ? "all ports" : `${rule.from}-${rule.to}`}${toAlb ? "" : " to a group that is not the load balancer's"}`;
      }
      return undefined;
    },
    (r) => rulesOf(r, "ingress").length > 0,
  ),
  perResource(
    {
      id: "sg-no-world-egress",
      title: "No security group sends to the internet on every port",
      category: "exposure",
      upstream: ["CKV_AWS_382", "AVD-AWS-0104"],
      severity: "medium",
      scope: "all",
    },
    RULE_TYPES,
    (r) =>
      rulesOf(r, "egress").some((x) => x.cidrs.some((c) => WORLD.includes(c)) && (allPorts(x) || x.from !== x.to))
        ? "egress to 0.0.0.0/0 on a port range: name the port (e.g. 443)"
        : undefined,
    (r) => rulesOf(r, "egress").length > 0,
  ),
  perResource(
    {
      id: "sg-rule-description",
      title: "Security group rules say what they are for",
      category: "exposure",
      upstream: ["CKV_AWS_23", "AVD-AWS-0124"],
      severity: "low",
      scope: "all",
    },
    RULE_TYPES,
    (r) =>
      [...rulesOf(r, "ingress"), ...rulesOf(r, "egress")].some((x) => !isSet(x.description))
        ? "a rule has no description"
        : undefined,
    (r) => rulesOf(r, "ingress").length + rulesOf(r, "egress").length > 0,
  ),
  perResource(
    {
      id: "default-sg-closed",
      title: "Each VPC's default security group allows no traffic",
      category: "exposure",
      upstream: ["CKV2_AWS_12", "EC2.2"],
      severity: "medium",
      scope: "all",
    },
    ["aws_vpc"],
    (vpc, m) => {
      const d = attached(m, "aws_default_security_group", "vpc_id", vpc)[0];
      if (!d) return "the default security group is not managed (AWS's default allows all traffic within the group)";
      return blocks(d.config.ingress).length + blocks(d.config.egress).length > 0
        ? "the default security group has rules"
        : undefined;
    },
  ),
  perResource(
    {
      id: "subnet-no-public-ip",
      title: "Subnets do not give instances public IPs",
      category: "exposure",
      upstream: ["CKV_AWS_130", "AVD-AWS-0164", "EC2.15"],
      severity: "medium",
      scope: "all",
    },
    ["aws_subnet"],
    (r) => (isTrue(r.config.map_public_ip_on_launch) ? "map_public_ip_on_launch is true" : undefined),
  ),
  perResource(
    {
      id: "ecs-no-public-ip",
      title: "ECS services and tasks run without public IPs",
      category: "exposure",
      upstream: ["CKV_AWS_333", "ECS.2"],
      severity: "high",
      scope: "all",
    },
    ["aws_ecs_service", "aws_ecs_task_definition"],
    (r) =>
      r.type === "aws_ecs_task_definition"
        ? `its runner gives it a public IP (tag ${ASSIGN_PUBLIC_IP_TAG} = ENABLED: RunTask's assignPublicIp)`
        : isTrue(block(r.config.network_configuration)?.assign_public_ip)
          ? "assign_public_ip is true"
          : undefined,
    // A task definition has no network setting of its own; one whose runner assigns a public IP says so in a tag (D122).
    (r) => r.type === "aws_ecs_service" || publicIpTag(r) === "ENABLED",
  ),
  // EC2 instances (the development tier's NAT instance, D100)
  perResource(
    {
      id: "ec2-imdsv2",
      title: "EC2 instances require IMDSv2 (session tokens)",
      category: "exposure",
      upstream: ["CKV_AWS_79", "AVD-AWS-0028", "EC2.8"],
      severity: "high",
      scope: "all",
    },
    ["aws_instance"],
    (r) =>
      block(r.config.metadata_options)?.http_tokens === "required"
        ? undefined
        : 'metadata_options.http_tokens is not "required"',
  ),
  perResource(
    {
      id: "ec2-ebs-encrypted",
      title: "EC2 instances encrypt their root volume",
      category: "encryption",
      upstream: ["CKV_AWS_8", "AVD-AWS-0131"],
      severity: "high",
      scope: "all",
    },
    ["aws_instance"],
    (r) =>
      isTrue(block(r.config.root_block_device)?.encrypted) ? undefined : "root_block_device.encrypted is not true",
  ),

  // Logging and audit
  perResource(
    {
      id: "vpc-flow-logs",
      title: "VPCs record flow logs",
      category: "logging",
      upstream: ["CKV2_AWS_11", "AVD-AWS-0178", "EC2.6"],
      severity: "medium",
      scope: "all",
    },
    ["aws_vpc"],
    (vpc, m) => (attached(m, "aws_flow_log", "vpc_id", vpc).length ? undefined : "no aws_flow_log for this VPC"),
  ),
  perResource(
    {
      id: "s3-access-logging",
      title: "S3 buckets log access (except the log bucket itself)",
      category: "logging",
      upstream: ["CKV_AWS_18", "AVD-AWS-0089", "S3.9"],
      severity: "medium",
      scope: "all",
    },
    ["aws_s3_bucket"],
    (b, m) => (attached(m, "aws_s3_bucket_logging", "bucket", b).length ? undefined : "no aws_s3_bucket_logging"),
    (b, m) => !isLogBucket(b, m),
  ),
  perResource(
    {
      id: "alb-access-logs",
      title: "Load balancers write access logs",
      category: "logging",
      upstream: ["CKV_AWS_91", "ELB.5"],
      severity: "medium",
      scope: "all",
    },
    ["aws_lb"],
    (r) => (isTrue(block(r.config.access_logs)?.enabled) ? undefined : "access_logs.enabled is not true"),
  ),
  {
    id: "cloudtrail-enabled",
    title: "A multi-region CloudTrail trail records API calls",
    category: "logging",
    upstream: ["CKV_AWS_67", "AVD-AWS-0014", "CloudTrail.1"],
    severity: "high",
    scope: "all",
    evaluate: (m) => {
      const trails = of(m, "aws_cloudtrail");
      if (trails.length === 0)
        return [
          { address: "(workspace)", problem: "no aws_cloudtrail: API calls are not recorded (security.audit.enabled)" },
        ];
      return trails.map((t) => ({
        address: t.address,
        problem: isTrue(t.config.is_multi_region_trail) ? undefined : "is_multi_region_trail is not true",
      }));
    },
  },
  perResource(
    {
      id: "cloudtrail-log-validation",
      title: "CloudTrail validates log file integrity",
      category: "logging",
      upstream: ["CKV_AWS_36", "AVD-AWS-0016", "CloudTrail.4"],
      severity: "medium",
      scope: "all",
    },
    ["aws_cloudtrail"],
    (r) => (isTrue(r.config.enable_log_file_validation) ? undefined : "enable_log_file_validation is not true"),
  ),
  perResource(
    {
      id: "cloudtrail-cloudwatch-logs",
      title: "CloudTrail delivers to CloudWatch Logs for alerting",
      category: "logging",
      upstream: ["CKV2_AWS_10", "AVD-AWS-0162", "CloudTrail.5"],
      severity: "low",
      scope: "all",
    },
    ["aws_cloudtrail"],
    (r, m) => {
      // A conditional ARN (`var.on ? "${aws_cloudwatch_log_group.x[0].arn}:*" : null`) is set when the group it
      // names exists: the group's own presence decides (presence.ts), nothing is evaluated.
      const arn = r.config.cloud_watch_logs_group_arn;
      const set = isUnknown(arn) ? of(m, "aws_cloudwatch_log_group").some((g) => refersTo(arn, g)) : isSet(arn);
      return set ? undefined : "no cloud_watch_logs_group_arn";
    },
  ),
  perResource(
    {
      id: "waf-logging",
      title: "WAF web ACLs log requests",
      category: "logging",
      upstream: ["CKV2_AWS_31", "WAF.11"],
      severity: "medium",
      scope: "all",
    },
    ["aws_wafv2_web_acl"],
    (acl, m) =>
      attached(m, "aws_wafv2_web_acl_logging_configuration", "resource_arn", acl).length
        ? undefined
        : "no aws_wafv2_web_acl_logging_configuration",
  ),
  perResource(
    {
      id: "cloudfront-logging",
      title: "CloudFront writes access logs",
      category: "logging",
      upstream: ["CKV_AWS_86", "AVD-AWS-0010", "CloudFront.5"],
      severity: "medium",
      scope: "all",
    },
    ["aws_cloudfront_distribution"],
    (r, m) => {
      if (block(r.config.logging_config)) return undefined;
      const sources = attached(m, "aws_cloudwatch_log_delivery_source", "resource_arn", r);
      const delivered = sources.some((s) =>
        of(m, "aws_cloudwatch_log_delivery").some((d) => refersTo(d.config.delivery_source_name, s)),
      );
      return delivered ? undefined : "no logging_config and no CloudWatch log delivery for ACCESS_LOGS";
    },
  ),
  perResource(
    {
      id: "rds-log-exports",
      title: "RDS exports the PostgreSQL log to CloudWatch",
      category: "logging",
      upstream: ["CKV_AWS_129", "RDS.9"],
      severity: "medium",
      scope: "all",
    },
    ["aws_db_instance"],
    (r) =>
      list(r.config.enabled_cloudwatch_logs_exports as Value[]).includes("postgresql")
        ? undefined
        : "enabled_cloudwatch_logs_exports does not include postgresql",
  ),
  perResource(
    {
      id: "rds-enhanced-monitoring",
      title: "RDS Enhanced Monitoring is on",
      category: "logging",
      upstream: ["CKV_AWS_118", "RDS.6"],
      severity: "low",
      scope: "all",
    },
    ["aws_db_instance"],
    (r) => ((num(r.config.monitoring_interval) ?? 0) > 0 ? undefined : "monitoring_interval is 0"),
  ),
  perResource(
    {
      id: "ecs-container-logging",
      title: "Every container sends its output to a log driver",
      category: "logging",
      upstream: ["ECS.9"],
      severity: "medium",
      scope: "all",
    },
    ["aws_ecs_task_definition"],
    (r) => {
      const defs = containers(r);
      if (!defs) return "container_definitions cannot be read";
      const silent = defs.filter((c) => !c.logConfiguration).map((c) => String(c.name));
      return silent.length ? `no logConfiguration: ${silent.join(", ")}` : undefined;
    },
  ),
  perResource(
    {
      id: "ecs-container-insights",
      title: "ECS clusters collect Container Insights",
      category: "logging",
      upstream: ["CKV_AWS_65", "AVD-AWS-0034", "ECS.12"],
      severity: "low",
      scope: "all",
    },
    ["aws_ecs_cluster"],
    (r) =>
      blocks(r.config.setting).some(
        (s) => s.name === "containerInsights" && (s.value === "enabled" || s.value === "enhanced"),
      )
        ? undefined
        : "containerInsights is not enabled",
  ),

  // Resilience (production-like environments)
  perResource(
    {
      id: "rds-multi-az",
      title: "The primary database runs Multi-AZ",
      category: "resilience",
      upstream: ["CKV_AWS_157", "RDS.5"],
      severity: "medium",
      scope: "production-like",
    },
    ["aws_db_instance"],
    // The database config's production-like rule decides.
    (r) =>
      brokenKnobRules(KNOB_SETS.database, "rds-multi-az", { db_multi_az: isTrue(r.config.multi_az) }).size > 0
        ? "multi_az is not true"
        : undefined,
    (r) => !isReplica(r),
  ),
  perResource(
    {
      id: "rds-backup-retention",
      title: "Automated database backups are kept at least 7 days",
      category: "resilience",
      upstream: ["CKV_AWS_133", "AVD-AWS-0077", "RDS.11"],
      severity: "medium",
      scope: "production-like",
    },
    ["aws_db_instance"],
    // The database config's production-like rule decides.
    (r) =>
      brokenKnobRules(KNOB_SETS.database, "rds-backup-retention", {
        db_backup_retention_period: num(r.config.backup_retention_period) ?? 0,
      }).size > 0
        ? `backup_retention_period is ${String(r.config.backup_retention_period ?? 0)} days, under 7`
        : undefined,
    (r) => !isReplica(r),
  ),
  perResource(
    {
      id: "rds-deletion-protection",
      title: "Databases have deletion protection",
      category: "resilience",
      upstream: ["CKV_AWS_293", "AVD-AWS-0177", "RDS.8"],
      severity: "medium",
      scope: "production-like",
    },
    ["aws_db_instance"],
    (r) => (isTrue(r.config.deletion_protection) ? undefined : "deletion_protection is not true"),
  ),
  perResource(
    {
      id: "rds-final-snapshot",
      title: "Deleting the primary database takes a final snapshot",
      category: "resilience",
      upstream: [],
      severity: "low",
      scope: "production-like",
    },
    ["aws_db_instance"],
    (r) =>
      isTrue(r.config.skip_final_snapshot)
        ? "skip_final_snapshot is true"
        : isSet(r.config.final_snapshot_identifier)
          ? undefined
          : "no final_snapshot_identifier",
    (r) => !isReplica(r),
  ),
  perResource(
    {
      id: "elasticache-multi-az",
      title: "Redis fails over automatically across AZs",
      category: "resilience",
      upstream: ["CKV2_AWS_50", "ElastiCache.3"],
      severity: "medium",
      scope: "production-like",
    },
    ["aws_elasticache_replication_group"],
    // The cache config's keeps-on rules decide.
    (r) => {
      const broken = brokenKnobRules(KNOB_SETS.cache, "elasticache-multi-az", {
        redis_automatic_failover_enabled: isTrue(r.config.automatic_failover_enabled),
        redis_multi_az_enabled: isTrue(r.config.multi_az_enabled),
      });
      return broken.has("redis_automatic_failover_enabled")
        ? "automatic_failover_enabled is not true"
        : broken.has("redis_multi_az_enabled")
          ? "multi_az_enabled is not true"
          : undefined;
    },
  ),
  perResource(
    {
      id: "elasticache-backups",
      title: "Redis keeps automatic snapshots",
      category: "resilience",
      upstream: ["ElastiCache.1"],
      severity: "medium",
      scope: "production-like",
    },
    ["aws_elasticache_replication_group"],
    (r) => ((num(r.config.snapshot_retention_limit) ?? 0) >= 1 ? undefined : "snapshot_retention_limit is 0"),
  ),
  perResource(
    {
      id: "alb-deletion-protection",
      title: "Load balancers have deletion protection",
      category: "resilience",
      upstream: ["CKV_AWS_150", "ELB.6"],
      severity: "low",
      scope: "production-like",
    },
    ["aws_lb"],
    (r) => (isTrue(r.config.enable_deletion_protection) ? undefined : "enable_deletion_protection is not true"),
  ),
  perResource(
    {
      id: "s3-versioning",
      title: "S3 buckets keep object versions",
      category: "resilience",
      upstream: ["CKV_AWS_21", "AVD-AWS-0090", "S3.14"],
      severity: "medium",
      scope: "all",
    },
    ["aws_s3_bucket"],
    (b, m) =>
      attached(m, "aws_s3_bucket_versioning", "bucket", b).some(
        (v) => block(v.config.versioning_configuration)?.status === "Enabled",
      )
        ? undefined
        : "versioning is not Enabled",
  ),

  // IAM
  perResource(
    {
      id: "iam-no-wildcard-actions",
      title: "IAM policies name their actions (no * or service:*)",
      category: "iam",
      upstream: ["CKV_AWS_62", "CKV_AWS_63", "IAM.1", "IAM.21"],
      severity: "high",
      scope: "all",
    },
    ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"],
    (r) => {
      const st = statements(r.config.policy);
      if (!st) return "the policy document cannot be read";
      for (const s of st.filter((x) => x.Effect === "Allow")) {
        if (s.NotAction !== undefined) return `statement ${s.Sid ?? "?"} allows NotAction`;
        const wild = list(s.Action).filter((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(a));
        if (wild.length) return `statement ${s.Sid ?? "?"} allows ${wild.join(", ")}`;
      }
      return undefined;
    },
  ),
  perResource(
    {
      id: "iam-trust-policy",
      title: "Roles trust AWS services, or GitHub OIDC pinned to repository and audience",
      category: "iam",
      upstream: ["CKV_AWS_60", "CKV_AWS_61", "CKV_AWS_358", "CKV_AWS_393"],
      severity: "high",
      scope: "all",
    },
    ["aws_iam_role"],
    (r) => {
      const st = statements(r.config.assume_role_policy);
      if (!st) return "the trust policy cannot be read";
      for (const s of st.filter((x) => x.Effect === "Allow")) {
        for (const p of principals(s)) {
          if (p.kind === "Service") continue;
          if (p.kind === "Federated") {
            const conditions = JSON.stringify(s.Condition ?? {});
            const sub = Object.values(s.Condition ?? {}).flatMap((c) =>
              list(c["token.actions.githubusercontent.com:sub"] as string | string[] | undefined),
            );
            if (!conditions.includes("token.actions.githubusercontent.com:aud"))
              return "an OIDC trust without an audience condition";
            if (!conditions.includes("token.actions.githubusercontent.com:sub"))
              return "an OIDC trust without a subject condition: any repository could assume the role";
            if (sub.some((x) => typeof x === "string" && /^repo:\*|^\*$/.test(x)))
              return "an OIDC subject condition open to every repository";
            continue;
          }
          return `trusts ${p.kind} principal(s) ${p.values.join(", ")}`;
        }
      }
      return undefined;
    },
  ),
  perResource(
    {
      id: "iam-oidc-role-writer-pinned",
      title:
        "A GitHub OIDC role that may change IAM roles trusts no pull request or branch subject and pins the token's ref",
      category: "iam",
      upstream: [],
      severity: "high",
      scope: "all",
    },
    ["aws_iam_role"],
    (r) => {
      for (const s of (statements(r.config.assume_role_policy) ?? []).filter(
        (x) => x.Effect === "Allow" && principals(x).some((p) => p.kind === "Federated"),
      )) {
        const claim = (name: string, op?: string) =>
          Object.entries(s.Condition ?? {})
            .filter(([k]) => op === undefined || k === op)
            .flatMap(([, c]) => list(c[`token.actions.githubusercontent.com:${name}`] as string | string[] | undefined))
            .map((x) => JSON.stringify(x));
        const subs = claim("sub").join(" ");
        if (subs.includes(":pull_request"))
          return "it trusts the pull_request subject: any pull request could change IAM";
        if (subs.includes(":ref:"))
          return "it trusts a branch subject: jobs outside the GitHub Environment (and its reviewers) could change IAM";
        const refs = claim("ref", "StringEquals");
        if (refs.length === 0 || refs.some((x) => x.includes("*")))
          return "no StringEquals condition on token.actions.githubusercontent.com:ref: a pull request's job (ref refs/pull/<n>/merge) in the same environment could assume it";
      }
      return undefined;
    },
    // Roles whose inline policies allow changing IAM roles (create, inline or attached policies, trust).
    (r, m) =>
      JSON.stringify(r.config.assume_role_policy ?? "").includes("token.actions.githubusercontent.com") &&
      attached(m, "aws_iam_role_policy", "role", r).some((p) =>
        (statements(p.config.policy) ?? []).some(
          (x) =>
            x.Effect === "Allow" &&
            list(x.Action).some((a) =>
              /^iam:(CreateRole|PutRolePolicy|AttachRolePolicy|UpdateAssumeRolePolicy)$/.test(String(a)),
            ),
        ),
      ),
  ),
  perResource(
    {
      id: "iam-no-admin-managed",
      title: "No role gets an administrator managed policy",
      category: "iam",
      upstream: ["CKV_AWS_274"],
      severity: "high",
      scope: "all",
    },
    ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment", "aws_iam_role"],
    (r) => {
      const arns = r.type === "aws_iam_role" ? list(r.config.managed_policy_arns as Value[]) : [r.config.policy_arn];
      const admin = arns.filter((a) => typeof a === "string" && ADMIN_POLICIES.test(a));
      return admin.length ? `attaches ${admin.join(", ")}` : undefined;
    },
    (r) => r.type !== "aws_iam_role" || isSet(r.config.managed_policy_arns),
  ),
  perResource(
    {
      id: "ecs-separate-roles",
      title: "Task definitions separate the execution role from the task role",
      category: "iam",
      upstream: ["CKV_AWS_249"],
      severity: "low",
      scope: "all",
    },
    ["aws_ecs_task_definition"],
    (r) =>
      isSet(r.config.task_role_arn) &&
      JSON.stringify(r.config.task_role_arn) === JSON.stringify(r.config.execution_role_arn)
        ? "execution_role_arn and task_role_arn are the same role"
        : undefined,
  ),

  // Containers
  perResource(
    {
      id: "ecs-no-privileged",
      title: "Containers are not privileged",
      category: "containers",
      upstream: ["CKV_AWS_334", "ECS.4"],
      severity: "high",
      scope: "all",
    },
    ["aws_ecs_task_definition"],
    (r) => {
      const defs = containers(r);
      if (!defs) return "container_definitions cannot be read";
      const privileged = defs.filter((c) => c.privileged === true).map((c) => String(c.name));
      return privileged.length ? `privileged: ${privileged.join(", ")}` : undefined;
    },
  ),
  perResource(
    {
      id: "ecs-read-only-root",
      title: "Containers run with a read-only root filesystem",
      category: "containers",
      upstream: ["CKV_AWS_336", "ECS.5"],
      severity: "medium",
      scope: "all",
    },
    ["aws_ecs_task_definition"],
    (r, m) => {
      const defs = containers(r);
      if (!defs) return "container_definitions cannot be read";
      const writable = defs.filter((c) => c.readonlyRootFilesystem !== true).map((c) => String(c.name));
      // ECS Exec needs a writable root: only the operator's toolbox (tagged, run on demand, never a service) may have one.
      const tags = r.config.tags;
      const toolbox =
        !!tags &&
        typeof tags === "object" &&
        !isUnknown(tags) &&
        (tags as Record<string, Value>).Purpose === "ecs-exec-toolbox";
      if (writable.length && toolbox && attached(m, "aws_ecs_service", "task_definition", r).length === 0)
        return undefined;
      return writable.length
        ? `writable root filesystem: ${writable.join(", ")}${toolbox ? " (an ECS service runs this toolbox task definition)" : ""}`
        : undefined;
    },
  ),
  perResource(
    {
      id: "ecs-no-plaintext-secrets",
      title: "Secrets reach containers through Secrets Manager, not environment values",
      category: "containers",
      upstream: ["AVD-AWS-0036", "ECS.8"],
      severity: "high",
      scope: "all",
    },
    ["aws_ecs_task_definition"],
    (r) => {
      const defs = containers(r);
      if (!defs) return "container_definitions cannot be read";
      const leaked = defs.flatMap((c) =>
        list(c.environment as { name: string }[] | undefined)
          .filter((e) => SECRET_NAME.test(e.name))
          .map((e) => `${String(c.name)}:${e.name}`),
      );
      return leaked.length ? `secret-looking environment variables: ${leaked.join(", ")}` : undefined;
    },
  ),
  perResource(
    // D170–D174: a secret rotates automatically, or its RotationWaiver tag records why not and how it is rotated by hand.
    {
      id: "secrets-rotation",
      title: "Secrets rotate automatically, or record why not (RotationWaiver tag)",
      category: "keys",
      upstream: ["CKV2_AWS_57", "SecretsManager.1"],
      severity: "medium",
      scope: "all",
    },
    ["aws_secretsmanager_secret"],
    (r, m) => {
      const rotations = attached(m, "aws_secretsmanager_secret_rotation", "secret_id", r);
      if (
        rotations.some((rot) => isSet(rot.config.rotation_lambda_arn) && block(rot.config.rotation_rules) !== undefined)
      )
        return undefined;
      const tags = r.config.tags;
      const waiver =
        tags && typeof tags === "object" && !Array.isArray(tags) && !isUnknown(tags)
          ? (tags as Record<string, Value>)[ROTATION_WAIVER_TAG]
          : undefined;
      if (typeof waiver === "string" && waiver.trim() !== "") return undefined;
      return `no aws_secretsmanager_secret_rotation (function and rotation_rules) and no ${ROTATION_WAIVER_TAG} tag saying why`;
    },
  ),
  perResource(
    {
      id: "alb-drop-invalid-headers",
      title: "Load balancers drop invalid HTTP headers",
      category: "exposure",
      upstream: ["CKV_AWS_131", "AVD-AWS-0052", "ELB.4"],
      severity: "medium",
      scope: "all",
    },
    ["aws_lb"],
    (r) => (isTrue(r.config.drop_invalid_header_fields) ? undefined : "drop_invalid_header_fields is not true"),
    (r) => (r.config.load_balancer_type ?? "application") === "application",
  ),
  perResource(
    {
      id: "alb-waf",
      title: "Internet-facing load balancers sit behind a WAF web ACL",
      category: "exposure",
      upstream: ["CKV2_AWS_28", "ELB.16"],
      severity: "medium",
      scope: "all",
    },
    ["aws_lb"],
    (lb, m) =>
      attached(m, "aws_wafv2_web_acl_association", "resource_arn", lb).length
        ? undefined
        : "no aws_wafv2_web_acl_association",
    (r) => !isTrue(r.config.internal) && (r.config.load_balancer_type ?? "application") === "application",
  ),
  perResource(
    {
      id: "cloudfront-waf",
      title: "CloudFront distributions sit behind a WAF web ACL",
      category: "exposure",
      upstream: ["CKV_AWS_68", "AVD-AWS-0011", "CloudFront.6"],
      severity: "medium",
      scope: "all",
    },
    ["aws_cloudfront_distribution"],
    (r) => (isSet(r.config.web_acl_id) ? undefined : "no web_acl_id"),
  ),

  // Keys
  perResource(
    {
      id: "kms-rotation",
      title: "KMS keys rotate yearly",
      category: "keys",
      upstream: ["CKV_AWS_7", "AVD-AWS-0065", "KMS.4"],
      severity: "medium",
      scope: "all",
    },
    ["aws_kms_key"],
    (r) => (isTrue(r.config.enable_key_rotation) ? undefined : "enable_key_rotation is not true"),
  ),
  perResource(
    {
      id: "kms-key-policy",
      title: "KMS key policies are explicit and never open to every principal",
      category: "keys",
      upstream: ["CKV_AWS_33", "KMS.5"],
      severity: "high",
      scope: "all",
    },
    ["aws_kms_key"],
    (r) => {
      if (!isSet(r.config.policy)) return "no key policy (the default grants the whole account through IAM)";
      const st = statements(r.config.policy);
      if (!st) return "the key policy cannot be read";
      const open = st.filter(
        (s) => s.Effect === "Allow" && principals(s).some((p) => p.values.includes("*")) && !s.Condition,
      );
      return open.length ? `statement ${open[0].Sid ?? "?"} allows every principal without a condition` : undefined;
    },
  ),

  // Lifecycle
  perResource(
    {
      id: "s3-lifecycle",
      title: "S3 buckets have a lifecycle that aborts incomplete uploads",
      category: "lifecycle",
      upstream: ["CKV2_AWS_61", "CKV_AWS_300", "S3.13"],
      severity: "low",
      scope: "all",
    },
    ["aws_s3_bucket"],
    (b, m) => {
      const lc = attached(m, "aws_s3_bucket_lifecycle_configuration", "bucket", b)[0];
      if (!lc) return "no aws_s3_bucket_lifecycle_configuration";
      return blocks(lc.config.rule).some(
        (r) => r.status === "Enabled" && blocks(r.abort_incomplete_multipart_upload).length > 0,
      )
        ? undefined
        : "no enabled rule aborts incomplete multipart uploads";
    },
  ),
  perResource(
    {
      id: "s3-lifecycle-transitions",
      title: "S3 lifecycle transitions respect storage-class minimums and expire after the last move",
      category: "lifecycle",
      upstream: [],
      severity: "medium",
      scope: "all",
    },
    ["aws_s3_bucket_lifecycle_configuration"],
    (lc) => {
      for (const rule of blocks(lc.config.rule)) {
        const id = String(rule.id);
        for (const [kind, daysKey, expiry, expiryKey] of [
          ["transition", "days", "expiration", "days"],
          ["noncurrent_version_transition", "noncurrent_days", "noncurrent_version_expiration", "noncurrent_days"],
        ] as const) {
          const moves = blocks(rule[kind]).map((t) => ({ cls: String(t.storage_class), days: num(t[daysKey]) ?? 0 }));
          for (const t of moves)
            if (IA_CLASSES.includes(t.cls) && t.days < 30)
              return `rule ${id}: ${t.cls} after ${t.days} days (S3 needs at least 30)`;
          const days = moves.map((t) => t.days);
          if (days.some((d, i) => i > 0 && d <= days[i - 1])) return `rule ${id}: ${kind} days must increase`;
          const end = num(block(rule[expiry])?.[expiryKey]);
          if (end !== undefined && days.length && end <= Math.max(...days))
            return `rule ${id}: ${expiry} after ${end} days comes before the last ${kind} (${Math.max(...days)} days)`;
        }
      }
      return undefined;
    },
  ),

  // Registry
  perResource(
    {
      id: "ecr-scan-on-push",
      title: "ECR scans images on push",
      category: "containers",
      upstream: ["CKV_AWS_163", "AVD-AWS-0030", "ECR.1"],
      severity: "medium",
      scope: "all",
    },
    ["aws_ecr_repository"],
    (r) =>
      isTrue(block(r.config.image_scanning_configuration)?.scan_on_push) ? undefined : "scan_on_push is not true",
  ),
  perResource(
    {
      id: "ecr-immutable-tags",
      title: "ECR image tags are immutable",
      category: "containers",
      upstream: ["CKV_AWS_51", "AVD-AWS-0031", "ECR.2"],
      severity: "medium",
      scope: "all",
    },
    ["aws_ecr_repository"],
    (r) => (r.config.image_tag_mutability === "IMMUTABLE" ? undefined : "image_tag_mutability is not IMMUTABLE"),
  ),
  perResource(
    {
      id: "ecr-lifecycle",
      title: "ECR repositories expire old images",
      category: "lifecycle",
      upstream: ["ECR.3"],
      severity: "low",
      scope: "all",
    },
    ["aws_ecr_repository"],
    (repo, m) =>
      of(m, "aws_ecr_lifecycle_policy").some((p) => refersTo(p.config.repository, repo))
        ? undefined
        : "no aws_ecr_lifecycle_policy",
  ),

  // Apply-time rules: what AWS refuses at apply or what breaks in the first week (apply-checks.ts)
  ...APPLY_CHECKS,
  ...URL_CHECKS,
];

export function checkById(id: string): Check {
  const c = CHECKS.find((x) => x.id === id);
  if (!c) throw new Error(`no policy check ${id}`);
  return c;
}
