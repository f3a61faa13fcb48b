/**
 * Apply-time rules: what AWS refuses at `terraform apply`, or what breaks in the first week in
 * production, read from the synthesized configuration like the other checks (see model.ts).
 * Each rule cites the AWS (or Terraform) page it comes from in `sources`; docs/policy.md links them.
 * It imports only types from checks.ts (checks.ts imports this one); shared helpers are in values.ts.
 */
import { FARGATE_MEMORY } from "../../modules/compute/config";
import { isUnknown, type Value } from "./value";
import type { Check } from "./check";
import { containers as parsedContainers } from "./containers";
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
  text,
} from "./values";
import type { PolicyModel, PolicyResource } from "./model";
import { REPLACEMENT_FORCING, replacementDigest } from "../../lib/constructs/replacement-name";
import { DATADOG_CHECKS } from "./datadog-checks";
import { HANDOFF_CHECKS } from "./handoff-checks";
import { brokenKnobRules, KNOB_SETS } from "./knob-verdicts";
import { STRUCTURE_CHECKS } from "./structure-checks";

interface Container {
  name?: string;
  image?: string;
  readonlyRootFilesystem?: boolean;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  portMappings?: { containerPort?: number }[];
  secrets?: { name: string; valueFrom: string }[];
}
/** The container definitions of a task definition (containers.ts parses them), typed for these rules. */
function containers(r: PolicyResource): Container[] | undefined {
  return parsedContainers(r) as Container[] | undefined;
}

/** The lifecycle block as written (an object, or a list of one). */
const lifecycleOf = (r: PolicyResource): Record<string, unknown> =>
  Array.isArray(r.lifecycle) ? (r.lifecycle[0] ?? {}) : (r.lifecycle ?? {});

// --- check builders ---------------------------------------------------------------------------

type Meta = Omit<Check, "evaluate" | "category" | "upstream" | "scope"> & { sources: readonly string[] };

function rule(
  meta: Meta,
  types: readonly string[],
  test: (r: PolicyResource, m: PolicyModel) => string | undefined,
  applies?: (r: PolicyResource, m: PolicyModel) => boolean,
): Check {
  return perResource({ ...meta, category: "apply", upstream: [], scope: "all" }, types, test, applies);
}

// --- shared readings --------------------------------------------------------------------------

/** The primary a read replica copies: a reference to it, or its identifier. */
function replicaSource(r: PolicyResource, m: PolicyModel): PolicyResource | undefined {
  const src = r.config.replicate_source_db;
  return of(m, "aws_db_instance").find(
    (db) => db !== r && (refersTo(src, db) || (typeof src === "string" && src === db.config.identifier)),
  );
}

const isAlb = (lb: PolicyResource) => (lb.config.load_balancer_type ?? "application") === "application";
const internetAlbs = (m: PolicyModel) => of(m, "aws_lb").filter((lb) => isAlb(lb) && !isTrue(lb.config.internal));

interface Origin {
  distribution: PolicyResource;
  id: string;
  domain: Value;
  policy: string;
  headers: Record<string, Value>[];
}
function customOrigins(m: PolicyModel): Origin[] {
  return of(m, "aws_cloudfront_distribution").flatMap((d) =>
    blocks(d.config.origin)
      .filter((o) => block(o.custom_origin_config))
      .map((o) => ({
        distribution: d,
        id: String(o.origin_id),
        domain: o.domain_name,
        policy: String(block(o.custom_origin_config)?.origin_protocol_policy),
        headers: blocks(o.custom_header),
      })),
  );
}
/** A domain name that is another AWS resource's endpoint (an S3 bucket, API Gateway, ...), not a host name of ours. */
const AWS_ENDPOINT =
  /\.(s3[.-][a-z0-9.-]*amazonaws\.com|s3\.amazonaws\.com|execute-api\.[a-z0-9-]+\.amazonaws\.com|cloudfront\.net|on\.aws)$/;
/**
 * Whether a CloudFront custom origin is this load balancer: the origin's domain references it (its
 * DNS name), a Route 53 alias of that name points at it, or — a configured host name the gate cannot
 * resolve — it is the only internet-facing ALB of the workspace (see D60).
 */
function originIsAlb(o: Origin, lb: PolicyResource, m: PolicyModel): boolean {
  if (refersTo(o.domain, lb)) return true;
  const t = text(o.domain);
  if (
    t === undefined ||
    (isUnknown(o.domain) && /\baws_[a-z0-9_]+\./.test(t) && !/\baws_lb\./.test(t)) ||
    AWS_ENDPOINT.test(t)
  )
    return false;
  const alias = of(m, "aws_route53_record").find((rec) => rec.config.name === t || refersTo(o.domain, rec));
  if (alias) return blocks(alias.config.alias).some((a) => refersTo(a.name, lb));
  if (isUnknown(o.domain) && /\baws_lb\./.test(t)) return false; // another load balancer
  const albs = internetAlbs(m);
  return albs.length === 1 && albs[0] === lb;
}
const isCloudFrontOrigin = (lb: PolicyResource, m: PolicyModel) =>
  isAlb(lb) && !isTrue(lb.config.internal) && customOrigins(m).some((o) => originIsAlb(o, lb, m));

/** A security group rule, whichever resource wrote it. */
interface SgRule {
  cidrs: string[];
  ipv6: number;
  ipv4: number;
  prefixLists: Value[];
  groups: number;
}
function sgRules(m: PolicyModel, g: PolicyResource, direction: "ingress" | "egress"): SgRule[] {
  const out: SgRule[] = [];
  for (const r of of(m, `aws_vpc_security_group_${direction}_rule`).filter((x) =>
    refersTo(x.config.security_group_id, g),
  )) {
    const c = r.config;
    out.push({
      cidrs: [c.cidr_ipv4, c.cidr_ipv6].filter((x): x is string => typeof x === "string"),
      ipv4: isSet(c.cidr_ipv4) ? 1 : 0,
      ipv6: isSet(c.cidr_ipv6) ? 1 : 0,
      prefixLists: isSet(c.prefix_list_id) ? [c.prefix_list_id] : [],
      groups: isSet(c.referenced_security_group_id) ? 1 : 0,
    });
  }
  const inline = (b: Record<string, Value>) => {
    const v4 = list(b.cidr_blocks as Value[]);
    const v6 = list(b.ipv6_cidr_blocks as Value[]);
    out.push({
      cidrs: [...v4, ...v6].filter((x): x is string => typeof x === "string"),
      ipv4: v4.length,
      ipv6: v6.length,
      prefixLists: list(b.prefix_list_ids as Value[]),
      groups:
        list(b.security_groups as Value[]).length +
        (isSet(b.source_security_group_id) ? 1 : 0) +
        (isTrue(b.self) ? 1 : 0),
    });
  };
  for (const r of of(m, "aws_security_group_rule").filter(
    (x) => x.config.type === direction && refersTo(x.config.security_group_id, g),
  ))
    inline(r.config);
  for (const b of blocks(g.config[direction])) inline(b);
  return out;
}
const lbGroups = (lb: PolicyResource, m: PolicyModel) =>
  of(m, "aws_security_group").filter((g) => list(lb.config.security_groups as Value[]).some((sg) => refersTo(sg, g)));

// --- names ------------------------------------------------------------------------------------

/**
 * A name as far as the configuration knows it: the known text with each `${...}` left to apply time
 * counted as one character (its shortest possible value); undefined when nothing is known.
 */
function knownName(v: Value | undefined): { name: string; partial: boolean } | undefined {
  if (typeof v !== "string" || v === "") return undefined;
  const partial = v.includes("${");
  return { name: partial ? v.replace(/\$\{[^}]*\}/g, "1") : v, partial };
}
interface NameRule {
  attr: string;
  prefixAttr?: string;
  max: number;
  prefixMax?: number;
  pattern: RegExp;
  what: string;
}
function nameProblem(r: PolicyResource, rules: Record<string, NameRule>): string | undefined {
  const spec = rules[r.type];
  const prefix = spec.prefixAttr ? knownName(r.config[spec.prefixAttr]) : undefined;
  if (prefix && spec.prefixMax !== undefined && prefix.name.length > spec.prefixMax)
    return `${spec.prefixAttr} "${String(r.config[spec.prefixAttr as string])}" is ${prefix.name.length} characters; AWS allows ${spec.prefixMax}`;
  const n = knownName(r.config[spec.attr]);
  if (!n) return undefined;
  const shown = `${spec.attr} "${String(r.config[spec.attr])}"`;
  if (n.name.length > spec.max)
    return `${shown} is ${n.partial ? "at least " : ""}${n.name.length} characters; AWS allows ${spec.max}`;
  if (!n.partial && !spec.pattern.test(n.name)) return `${shown}: ${spec.what}`;
  return undefined;
}
const HYPHENATED = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$/;
const LB_NAMES: Record<string, NameRule> = {
  aws_lb: {
    attr: "name",
    prefixAttr: "name_prefix",
    max: 32,
    prefixMax: 6,
    pattern: /^(?!internal-)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
    what: "only letters, digits and hyphens, not starting or ending with a hyphen, not starting with internal-",
  },
  aws_lb_target_group: {
    attr: "name",
    prefixAttr: "name_prefix",
    max: 32,
    prefixMax: 6,
    pattern: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
    what: "only letters, digits and hyphens, not starting or ending with a hyphen",
  },
};
const CACHE_NAMES: Record<string, NameRule> = {
  aws_elasticache_replication_group: {
    attr: "replication_group_id",
    max: 40,
    pattern: HYPHENATED,
    what: "must start with a letter, hold only letters, digits and hyphens, no two hyphens in a row and no trailing hyphen",
  },
};
const RDS_NAMES: Record<string, NameRule> = {
  aws_db_instance: {
    attr: "identifier",
    prefixAttr: "identifier_prefix",
    max: 63,
    prefixMax: 37,
    pattern: HYPHENATED,
    what: "must start with a letter, hold only letters, digits and hyphens, no two hyphens in a row and no trailing hyphen",
  },
  aws_db_parameter_group: {
    attr: "name",
    prefixAttr: "name_prefix",
    max: 255,
    prefixMax: 229,
    pattern: HYPHENATED,
    what: "must start with a letter, hold only letters, digits and hyphens, no two hyphens in a row and no trailing hyphen",
  },
  aws_db_subnet_group: {
    attr: "name",
    prefixAttr: "name_prefix",
    max: 255,
    prefixMax: 229,
    pattern: /^[a-z0-9 ._-]+$/,
    what: "only lowercase letters, digits, spaces, periods, underscores and hyphens",
  },
};
const IAM_NAMES: Record<string, NameRule> = {
  aws_iam_role: {
    attr: "name",
    prefixAttr: "name_prefix",
    max: 64,
    prefixMax: 38,
    pattern: /^[\w+=,.@-]+$/,
    what: "only letters, digits and + = , . @ _ -",
  },
  aws_iam_policy: {
    attr: "name",
    prefixAttr: "name_prefix",
    max: 128,
    prefixMax: 102,
    pattern: /^[\w+=,.@-]+$/,
    what: "only letters, digits and + = , . @ _ -",
  },
};
function bucketNameProblem(r: PolicyResource): string | undefined {
  const prefix = knownName(r.config.bucket_prefix);
  if (prefix && prefix.name.length > 37) return `bucket_prefix is ${prefix.name.length} characters; AWS allows 37`;
  const n = knownName(r.config.bucket);
  if (!n) return undefined;
  const b = n.name;
  if (b.length < 3 || b.length > 63)
    return `bucket "${b}" is ${n.partial ? "at least " : ""}${b.length} characters; S3 takes 3 to 63`;
  if (n.partial) return undefined;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(b))
    return `bucket "${b}": only lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit`;
  if (b.includes("..")) return `bucket "${b}": two adjacent periods`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(b)) return `bucket "${b}" is formatted as an IP address`;
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(b) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(b))
    return `bucket "${b}" uses a prefix or suffix S3 reserves`;
  return undefined;
}

// --- constants --------------------------------------------------------------------------------

/** Managed origin request policies that forward the viewer's Host header (AllViewer). */
const FORWARDS_HOST = new Set(["216adef6-5c7f-47e4-b989-5492eafa07d3"]);
/** Metrics a node publishes, or not, depending on whether it is the primary or a replica. */
const ROLE_DEPENDENT = new Set([
  "ReplicationLag",
  "ReplicationBytes",
  "CacheHits",
  "CacheMisses",
  "CacheHitRate",
  "GetTypeCmds",
  "SetTypeCmds",
  "IsMaster",
]);
/** Managed rule groups that match the address the request comes from (CloudFront's, behind CloudFront). */
const SOURCE_IP_GROUPS = new Set(["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesAnonymousIpList"]);
/** Types whose name must be unique in the account and region (or VPC), and the attribute that holds it. */
const UNIQUE_NAMES: Record<string, string> = {
  aws_security_group: "name",
  aws_lb: "name",
  aws_lb_target_group: "name",
  aws_db_parameter_group: "name",
  aws_db_subnet_group: "name",
  aws_db_option_group: "name",
  aws_elasticache_parameter_group: "name",
  aws_elasticache_subnet_group: "name",
  aws_iam_role: "name",
  aws_iam_policy: "name",
  aws_iam_instance_profile: "name",
  aws_launch_template: "name",
  aws_cloudwatch_log_group: "name",
  aws_secretsmanager_secret: "name",
  aws_kms_alias: "name",
  aws_wafv2_web_acl: "name",
  aws_ecr_repository: "name",
  aws_db_instance: "identifier",
  aws_elasticache_replication_group: "replication_group_id",
};
/** Tags CI moves from image to image: an IMMUTABLE repository refuses the second push. */
const MOVING_TAGS = new Set([
  "latest",
  "stable",
  "main",
  "master",
  "prod",
  "production",
  "staging",
  "dev",
  "develop",
  "current",
  "release",
]);
/** Fargate task sizes: CPU units → allowed memory (MiB), from the compute module's one table. */
function fargateMemories(cpu: number): readonly number[] {
  return FARGATE_MEMORY[cpu] ?? [];
}
/** What a referenced prefix list weighs against the rules-per-group quota (see D62). */
const CLOUDFRONT_PREFIX_LIST_WEIGHT = 55;
const RULES_PER_GROUP = 60;
const LOG_RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const PI_RETENTION = (d: number) => d === 7 || d === 731 || (d % 31 === 0 && d / 31 >= 1 && d / 31 <= 23);

/** Minutes of the week a window covers: "ddd:hh:mm-ddd:hh:mm" (weekly) or "hh:mm-hh:mm" (daily). */
function windowMinutes(w: Value | undefined): Set<number> | undefined {
  if (typeof w !== "string") return undefined;
  const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
  const weekly = /^(\w{3}):(\d{2}):(\d{2})-(\w{3}):(\d{2}):(\d{2})$/i.exec(w);
  const daily = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(w);
  const span = (from: number, to: number) => {
    const out = new Set<number>();
    const week = 7 * 24 * 60;
    for (let t = from; t !== to; t = (t + 1) % week) out.add(t);
    return out;
  };
  if (weekly) {
    const at = (d: string, h: string, mi: string) => days.indexOf(d.toLowerCase()) * 1440 + Number(h) * 60 + Number(mi);
    return span(at(weekly[1], weekly[2], weekly[3]), at(weekly[4], weekly[5], weekly[6]));
  }
  if (daily) {
    const out = new Set<number>();
    const from = Number(daily[1]) * 60 + Number(daily[2]);
    const to = Number(daily[3]) * 60 + Number(daily[4]);
    // A window that crosses midnight ends the next day; on Sunday that wraps to Monday of the same week.
    for (let d = 0; d < 7; d++)
      for (const t of span(d * 1440 + from, (d * 1440 + to + (to < from ? 1440 : 0)) % (7 * 1440))) out.add(t);
    return out;
  }
  return undefined;
}
const overlaps = (a: Set<number> | undefined, b: Set<number> | undefined) => !!a && !!b && [...a].some((t) => b.has(t));

// --- IAM actions ------------------------------------------------------------------------------

const EXEC_ACTIONS = [
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
];
const EXEC_LOG_ACTIONS = [
  "logs:DescribeLogGroups",
  "logs:CreateLogStream",
  "logs:DescribeLogStreams",
  "logs:PutLogEvents",
];
/** The actions a policy document (JSON text or object) allows; an unreadable one allows "*" (the gate cannot tell). */

function allowedActions(doc: Value | undefined): string[] {
  const st = statements(doc);
  return st ? st.filter((x) => x.Effect === "Allow").flatMap((x) => list(x.Action)) : ["*"];
}
const actionMatches = (pattern: string, action: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  ).test(action);

// --- WAF statements ---------------------------------------------------------------------------

/** Every statement of a rule, nested ones included (and/or/not, rate-based scope-down). */
function statementsOf(s: Record<string, Value>): Record<string, Value>[] {
  const out = [s];
  for (const kind of ["and_statement", "or_statement", "not_statement"])
    for (const b of blocks(s[kind])) for (const inner of blocks(b.statement)) out.push(...statementsOf(inner));
  for (const rb of blocks(s.rate_based_statement))
    for (const sd of blocks(rb.scope_down_statement)) out.push(...statementsOf(sd));
  return out;
}
/** What in a statement keys on the address of the connection (CloudFront's edge, behind CloudFront). */
function sourceIpUse(s: Record<string, Value>): string | undefined {
  for (const rb of blocks(s.rate_based_statement)) {
    const key = String(rb.aggregate_key_type ?? "IP");
    if (key === "IP") return "a rate-based statement keyed on IP";
    if (key === "CUSTOM_KEYS" && blocks(rb.custom_key).some((k) => blocks(k.ip).length > 0))
      return "a rate-based statement with an ip custom key";
  }
  for (const g of blocks(s.geo_match_statement))
    if (!block(g.forwarded_ip_config)) return "a geo match without forwarded_ip_config";
  for (const a of blocks(s.asn_match_statement))
    if (!block(a.forwarded_ip_config)) return "an ASN match without forwarded_ip_config";
  for (const i of blocks(s.ip_set_reference_statement))
    if (!block(i.ip_set_forwarded_ip_config)) return "an IP set match without ip_set_forwarded_ip_config";
  for (const g of blocks(s.managed_rule_group_statement))
    if (SOURCE_IP_GROUPS.has(String(g.name)))
      return `managed group ${String(g.name)}, which matches the request's source address`;
  return undefined;
}

// --- the rules --------------------------------------------------------------------------------

export const APPLY_CHECKS: readonly Check[] = [
  rule(
    {
      id: "rds-replica-source-password",
      title: "A read replica's source does not manage its master password in Secrets Manager",
      severity: "critical",
      sources: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-limitations",
      ],
    },
    ["aws_db_instance"],
    (r, m) => {
      const src = replicaSource(r, m);
      return src && isTrue(src.config.manage_master_user_password)
        ? `its source ${src.address} sets manage_master_user_password: RDS refuses to create a read replica of it`
        : undefined;
    },
    isReplica,
  ),
  rule(
    {
      id: "rds-replica-source-backups",
      title: "A read replica's source keeps automated backups",
      severity: "critical",
      sources: ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html"],
    },
    ["aws_db_instance"],
    // The database config's rule "read replicas need automated backups" decides.
    (r, m) => {
      const src = replicaSource(r, m);
      return src &&
        brokenKnobRules(KNOB_SETS.database, "rds-replica-source-backups", {
          db_replica_count: 1,
          db_backup_retention_period: num(src.config.backup_retention_period),
        }).size > 0
        ? `its source ${src.address} has backup_retention_period 0: RDS needs automated backups on the source of a read replica`
        : undefined;
    },
    isReplica,
  ),
  rule(
    {
      id: "ecs-no-rds-managed-secret",
      title:
        "Long-running tasks do not read the RDS-managed master secret (rotated every 7 days, read by ECS only at task start)",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html",
      ],
    },
    ["aws_ecs_task_definition"],
    (td) => {
      const defs = containers(td);
      if (!defs) return "container_definitions cannot be read";
      const master = defs.flatMap((c) =>
        list(c.secrets)
          .filter((s) => /\baws_db_instance\.[\w-]+\.master_user_secret\b|:secret:rds!/.test(String(s.valueFrom)))
          .map((s) => `${String(c.name)}:${s.name}`),
      );
      return master.length
        ? `${master.join(", ")} read the RDS-managed master secret: RDS rotates it every 7 days and the running tasks keep the old password`
        : undefined;
    },
    (td, m) => of(m, "aws_ecs_service").some((s) => refersTo(s.config.task_definition, td)),
  ),
  rule(
    {
      id: "cloudfront-origin-certificate-name",
      title:
        "CloudFront reaches an HTTPS custom origin by a host name its certificate can cover, not the load balancer's *.elb.amazonaws.com name",
      severity: "critical",
      sources: [
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html#ssl-negotitation-failure",
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html",
      ],
    },
    ["aws_cloudfront_distribution"],
    (d, m) => {
      const behaviours = [...blocks(d.config.default_cache_behavior), ...blocks(d.config.ordered_cache_behavior)];
      for (const o of customOrigins(m).filter((x) => x.distribution === d && x.policy !== "http-only")) {
        const t = text(o.domain) ?? "";
        const elbName =
          (isUnknown(o.domain) && /\baws_lb\.[\w-]+\.dns_name\b/.test(t)) ||
          /\.elb\.amazonaws\.com$/.test(t) ||
          /\$\{aws_lb\.[\w-]+\.dns_name\}/.test(t);
        if (!elbName) continue;
        const mine = behaviours.filter((b) => b.target_origin_id === o.id);
        const hostForwarded =
          mine.length > 0 &&
          mine.every(
            (b) =>
              FORWARDS_HOST.has(String(b.origin_request_policy_id)) ||
              blocks(b.forwarded_values).some((f) =>
                list(f.headers as Value[]).some((h) => h === "*" || String(h).toLowerCase() === "host"),
              ),
          );
        if (!hostForwarded)
          return `origin ${o.id} (${o.policy}) is the load balancer's DNS name and the Host header is not forwarded: no certificate can cover *.elb.amazonaws.com, so every request ends in 502`;
      }
      return undefined;
    },
  ),
  rule(
    {
      id: "alb-cloudfront-origin-restricted",
      title:
        "A load balancer behind CloudFront only serves CloudFront (managed prefix list, or forwarding only requests with the origin header)",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html",
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html#managed-prefix-list",
      ],
    },
    ["aws_lb"],
    (lb, m) => {
      const open = lbGroups(lb, m)
        .flatMap((g) => sgRules(m, g, "ingress"))
        .some((rr) => rr.cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0"));
      if (!open) return undefined;
      const listeners = attached(m, "aws_lb_listener", "load_balancer_arn", lb);
      const forwardsAll = listeners.filter((l) =>
        blocks(l.config.default_action).some((a) => a.type === "forward" || isSet(a.target_group_arn)),
      );
      if (forwardsAll.length)
        return `open to 0.0.0.0/0 and listener ${forwardsAll.map((l) => l.name).join(", ")} forwards every request: clients can bypass CloudFront and its WAF`;
      const rules = listeners.flatMap((l) => attached(m, "aws_lb_listener_rule", "listener_arn", l));
      const forwarding = rules.filter((r) => blocks(r.config.action).some((a) => a.type === "forward"));
      const unchecked = forwarding.filter(
        (r) => !blocks(r.config.condition).some((c) => blocks(c.http_header).length > 0),
      );
      if (forwarding.length === 0) return "open to 0.0.0.0/0 and no listener rule forwards anything";
      return unchecked.length
        ? `open to 0.0.0.0/0 and listener rule ${unchecked.map((r) => r.name).join(", ")} forwards without an http_header condition`
        : undefined;
    },
    isCloudFrontOrigin,
  ),
  rule(
    {
      id: "waf-regional-behind-cloudfront",
      title:
        "A regional web ACL in front of a CloudFront origin keys no rule on the source IP (it sees CloudFront's edge addresses)",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-forwarded-ip-address.html",
        "https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html",
      ],
    },
    ["aws_wafv2_web_acl"],
    (acl) => {
      for (const r of [...blocks(acl.config.rule), ...(acl.dynamic?.rule ?? [])]) {
        for (const s of blocks(r.statement).flatMap(statementsOf)) {
          const use = sourceIpUse(s);
          if (use)
            return `rule ${String(r.name)} uses ${use}: behind CloudFront it counts or blocks CloudFront's edge servers, not users`;
        }
      }
      return undefined;
    },
    (acl, m) =>
      acl.config.scope === "REGIONAL" &&
      attached(m, "aws_wafv2_web_acl_association", "web_acl_arn", acl).some((a) =>
        of(m, "aws_lb").some((lb) => refersTo(a.config.resource_arn, lb) && isCloudFrontOrigin(lb, m)),
      ),
  ),
  rule(
    {
      id: "ecs-exec-writable-root",
      title: "Tasks that allow ECS Exec keep a writable root filesystem (ECS Exec does not support a read-only one)",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html#ecs-exec-considerations"],
    },
    ["aws_ecs_service", "aws_ecs_task_definition"],
    (r, m) => {
      const tds =
        r.type === "aws_ecs_task_definition"
          ? [r]
          : isTrue(r.config.enable_execute_command)
            ? of(m, "aws_ecs_task_definition").filter((td) => refersTo(r.config.task_definition, td))
            : [];
      for (const td of tds) {
        const defs = containers(td);
        if (!defs) return `${td.address}: container_definitions cannot be read`;
        const ro = defs.filter((c) => c.readonlyRootFilesystem === true).map((c) => String(c.name));
        if (ro.length)
          return `${r.type === "aws_ecs_service" ? "enable_execute_command is true but " : "an ECS Exec toolbox whose "}container(s) ${ro.join(", ")} of ${td.address} set readonlyRootFilesystem: the SSM agent cannot start`;
      }
      return undefined;
    },
    (r) =>
      r.type === "aws_ecs_service" ||
      (r.config.tags as Record<string, Value> | null | undefined)?.Purpose === "ecs-exec-toolbox",
  ),
  rule(
    {
      id: "ecs-exec-permissions",
      title:
        "Tasks that allow ECS Exec have a task role that opens the SSM channels (and writes the session log the cluster asks for)",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html#ecs-exec-required-iam-permissions",
      ],
    },
    ["aws_ecs_service", "aws_ecs_task_definition"],
    (r, m) => {
      const exec = r.type === "aws_ecs_task_definition" || isTrue(r.config.enable_execute_command);
      if (!exec) return undefined;
      const td =
        r.type === "aws_ecs_task_definition"
          ? r
          : of(m, "aws_ecs_task_definition").find((t) => refersTo(r.config.task_definition, t));
      const role = td && of(m, "aws_iam_role").find((x) => refersTo(td.config.task_role_arn, x));
      if (!td || !role)
        return td && !isSet(td.config.task_role_arn)
          ? `${td.address} has no task_role_arn: ECS Exec needs a task role`
          : undefined;
      if (attached(m, "aws_iam_role_policy_attachment", "role", role).length) return undefined; // a managed policy the gate cannot read
      const allowed = [
        ...attached(m, "aws_iam_role_policy", "role", role).map((p) => p.config.policy),
        ...blocks(role.config.inline_policy).map((b) => b.policy),
      ].flatMap(allowedActions);
      const cluster =
        r.type === "aws_ecs_service"
          ? of(m, "aws_ecs_cluster").find((c) => refersTo(r.config.cluster, c))
          : of(m, "aws_ecs_cluster").find((c) => c.module === r.module);
      const logging = block(
        block(block(cluster?.config.configuration)?.execute_command_configuration)?.log_configuration,
      );
      const needed = [...EXEC_ACTIONS, ...(isSet(logging?.cloud_watch_log_group_name) ? EXEC_LOG_ACTIONS : [])];
      const missing = needed.filter((a) => !allowed.some((pattern) => actionMatches(pattern, a)));
      return missing.length
        ? `task role ${role.address} does not allow ${missing.join(", ")}: execute-command fails`
        : undefined;
    },
    (r) =>
      r.type === "aws_ecs_service" ||
      (r.config.tags as Record<string, Value> | null | undefined)?.Purpose === "ecs-exec-toolbox",
  ),
  rule(
    {
      id: "elasticache-alarm-any-primary",
      title: "ElastiCache alarms survive a failover: no role-dependent metric pinned to one node",
      severity: "medium",
      sources: [
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.Redis.html",
        "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
      ],
    },
    ["aws_cloudwatch_metric_alarm"],
    (a, m) => {
      const nodes = new Map<string, Set<string>>();
      const perNode: string[] = [];
      for (const x of cacheMetrics(a).filter((x) => ROLE_DEPENDENT.has(x.metric))) {
        const t = text(x.node) ?? "";
        if (/count\.index|each\./.test(t)) perNode.push(x.metric);
        else {
          const id = /-(\d{3})(?:"|$)/.exec(t)?.[1];
          if (id) nodes.set(x.metric, new Set([...(nodes.get(x.metric) ?? []), id]));
        }
      }
      const groups = of(m, "aws_elasticache_replication_group");
      const size = Math.max(
        1,
        ...groups.map((g) => num(g.config.num_cache_clusters) ?? (num(g.config.replicas_per_node_group) ?? 0) + 1),
      );
      for (const [metric, ids] of nodes) {
        if (ids.size < size)
          return `${metric} is read from node ${[...ids].map((i) => `-${i}`).join(", ")} only: after a failover that node changes role${metric === "ReplicationLag" && a.config.treat_missing_data === "breaching" ? " and, with missing data breaching, the alarm fires" : " and the alarm watches the wrong node"}`;
      }
      if (perNode.includes("ReplicationLag") && a.config.treat_missing_data === "breaching")
        return "ReplicationLag per node with missing data breaching: the primary publishes no ReplicationLag, so the alarm of whichever node is primary is always in ALARM";
      return undefined;
    },
    (a) => cacheMetrics(a).length > 0,
  ),
  rule(
    {
      id: "unique-name-replacement",
      title:
        "Resources replaced create-before-destroy take a generated name (name_prefix), never a fixed one that must be unique",
      severity: "high",
      sources: [
        "https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#create_before_destroy",
        "https://docs.aws.amazon.com/vpc/latest/userguide/creating-security-groups.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-target-group.html",
      ],
    },
    Object.keys(UNIQUE_NAMES),
    (r) => {
      if (!isTrue(lifecycleOf(r).create_before_destroy as Value)) return undefined;
      const attr = UNIQUE_NAMES[r.type];
      const name = r.config[attr];
      // A type without name_prefix may carry a digest of its replacement-forcing arguments instead (lib/constructs/replacement-name.ts).
      const forcing = REPLACEMENT_FORCING[r.type];
      const forcingValues = forcing?.map((a) => text(r.config[a]));
      if (
        forcingValues &&
        forcingValues.every((v) => v !== undefined) &&
        (text(name) ?? "").endsWith(`-${replacementDigest(...(forcingValues as string[]))}`)
      )
        return undefined;
      return isSet(name)
        ? `create_before_destroy with the fixed ${attr} ${JSON.stringify(text(name) ?? name)}: the replacement is created while the old resource still holds the name, and AWS refuses the duplicate`
        : undefined;
    },
  ),

  // Names AWS refuses at create time
  rule(
    {
      id: "alb-name-limits",
      title: "Load balancer and target group names fit Elastic Load Balancing's 32 characters",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
      ],
    },
    Object.keys(LB_NAMES),
    (r) => nameProblem(r, LB_NAMES),
  ),
  rule(
    {
      id: "elasticache-id-limits",
      title: "Replication group ids fit ElastiCache's 40 characters and naming rules",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html"],
    },
    Object.keys(CACHE_NAMES),
    (r) => nameProblem(r, CACHE_NAMES),
  ),
  rule(
    {
      id: "rds-name-limits",
      title: "DB instance identifiers (63 characters) and DB parameter/subnet group names follow RDS's naming rules",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
      ],
    },
    Object.keys(RDS_NAMES),
    (r) => nameProblem(r, RDS_NAMES),
  ),
  rule(
    {
      id: "iam-name-limits",
      title: "IAM role names fit 64 characters (policies 128)",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"],
    },
    Object.keys(IAM_NAMES),
    (r) => nameProblem(r, IAM_NAMES),
  ),
  rule(
    {
      id: "s3-bucket-name-rules",
      title: "S3 bucket names are 3–63 lowercase characters and avoid reserved prefixes and suffixes",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"],
    },
    ["aws_s3_bucket"],
    bucketNameProblem,
  ),

  // Service constraints checked at apply time
  rule(
    {
      id: "waf-log-destination-name",
      title: "WAF logs go to a destination named aws-waf-logs-…",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html",
        "https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html",
      ],
    },
    ["aws_wafv2_web_acl_logging_configuration"],
    (lc, m) => {
      for (const dest of list(lc.config.log_destination_configs as Value[])) {
        const target = [
          ...of(m, "aws_cloudwatch_log_group"),
          ...of(m, "aws_s3_bucket"),
          ...of(m, "aws_kinesis_firehose_delivery_stream"),
        ].find((r) => refersTo(dest, r));
        const name = target
          ? text(target.config[target.type === "aws_s3_bucket" ? "bucket" : "name"])
          : /:log-group:([^:]+)|:::([^/]+)$|deliverystream\/(.+)$/
              .exec(text(dest) ?? "")
              ?.slice(1)
              .find(Boolean);
        if (name !== undefined && !name.includes("${") && !name.startsWith("aws-waf-logs-"))
          return `destination ${target?.address ?? name} is named "${name}": AWS WAF only logs to names starting with aws-waf-logs-`;
      }
      return undefined;
    },
  ),
  rule(
    {
      id: "secrets-recovery-window",
      title: "Secrets Manager recovery windows are 0 or 7–30 days",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html"],
    },
    ["aws_secretsmanager_secret"],
    (s) => {
      const d = num(s.config.recovery_window_in_days);
      return d === undefined || d === 0 || (d >= 7 && d <= 30)
        ? undefined
        : `recovery_window_in_days is ${d}: Secrets Manager takes 0 (delete at once) or 7 to 30`;
    },
  ),
  rule(
    {
      id: "secret-name-reusable",
      title: "A secret a switch can remove and bring back does not keep a fixed name through a recovery window",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html",
      ],
    },
    ["aws_secretsmanager_secret"],
    (s) => {
      if (!s.toggled) return undefined;
      const days =
        num(s.config.recovery_window_in_days) ?? (isUnknown(s.config.recovery_window_in_days) ? undefined : 30);
      const name = text(s.config.name);
      const generated =
        name === undefined ||
        isUnknown(s.config.name) ||
        /\$\{[^}]*\baws_|\$\{[^}]*\bterraform_data\.|\$\{[^}]*\brandom_/.test(name);
      return days && isSet(s.config.name) && !generated
        ? `a switch (count) can delete it, and for ${days} days of recovery window the name "${name}" stays taken: turning it back on fails until then (use recovery_window_in_days = 0 or name_prefix)`
        : undefined;
    },
  ),
  rule(
    {
      id: "elasticache-auth-needs-tls",
      title: "A Redis AUTH token comes with in-transit encryption",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html"],
    },
    ["aws_elasticache_replication_group"],
    // The cache config's rule "AUTH needs transit encryption" decides.
    (r) =>
      brokenKnobRules(KNOB_SETS.cache, "elasticache-auth-needs-tls", {
        redis_auth_enabled: isSet(r.config.auth_token),
        redis_transit_encryption_enabled: isTrue(r.config.transit_encryption_enabled),
      }).size > 0
        ? "auth_token without transit_encryption_enabled: ElastiCache accepts AUTH only on TLS replication groups"
        : undefined,
  ),
  rule(
    {
      id: "elasticache-failover-consistent",
      title: "Multi-AZ Redis has automatic failover, and automatic failover has a replica to fail over to",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html"],
    },
    ["aws_elasticache_replication_group"],
    (r) => {
      // The cache config's rules "Multi-AZ needs automatic failover" and "automatic failover needs 2 nodes"
      // decide; cluster mode's replicas per shard are not a knob.
      const failover = isTrue(r.config.automatic_failover_enabled);
      const broken = brokenKnobRules(KNOB_SETS.cache, "elasticache-failover-consistent", {
        redis_multi_az_enabled: isTrue(r.config.multi_az_enabled),
        redis_automatic_failover_enabled: failover,
        redis_num_cache_nodes: num(r.config.num_cache_clusters),
      });
      if (broken.has("redis_multi_az_enabled")) return "multi_az_enabled without automatic_failover_enabled";
      const replicas = num(r.config.replicas_per_node_group);
      if (broken.has("redis_num_cache_nodes") || (failover && replicas !== undefined && replicas < 1))
        return "automatic_failover_enabled with no replica (num_cache_clusters < 2)";
      return undefined;
    },
  ),
  rule(
    {
      id: "alb-log-bucket-sse-s3",
      title: "The bucket that receives ALB access logs is encrypted with SSE-S3 (ELB cannot write to SSE-KMS)",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html"],
    },
    ["aws_lb"],
    (lb, m) => {
      if (!isTrue(block(lb.config.access_logs)?.enabled)) return undefined;
      const target = block(lb.config.access_logs)?.bucket;
      const bucket = of(m, "aws_s3_bucket").find(
        (b) => refersTo(target, b) || (typeof target === "string" && target === b.config.bucket),
      );
      if (!bucket) return undefined;
      const sse = attached(m, "aws_s3_bucket_server_side_encryption_configuration", "bucket", bucket)[0];
      const algorithm = block(blocks(sse?.config.rule)[0]?.apply_server_side_encryption_by_default)?.sse_algorithm;
      return algorithm === undefined || algorithm === "AES256"
        ? undefined
        : `access logs go to ${bucket.address}, encrypted with ${String(algorithm)}: Elastic Load Balancing only writes to SSE-S3 (AES256) buckets`;
    },
    isAlb,
  ),
  rule(
    {
      id: "fargate-task-size",
      title: "Fargate task CPU and memory are a supported pair, and the containers fit in them",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size",
      ],
    },
    ["aws_ecs_task_definition"],
    (td) => {
      const cpu = num(td.config.cpu);
      const memory = num(td.config.memory);
      if (cpu === undefined || memory === undefined)
        return isUnknown(td.config.cpu) || isUnknown(td.config.memory)
          ? undefined
          : "a Fargate task needs task-level cpu and memory";
      if (!fargateMemories(cpu).includes(memory)) return `cpu ${cpu} with memory ${memory} is not a Fargate task size`;
      const defs = containers(td) ?? [];
      const cpus = defs.reduce((s, c) => s + (num(c.cpu) ?? 0), 0);
      const reserved = defs.reduce((s, c) => s + (num(c.memoryReservation ?? c.memory) ?? 0), 0);
      if (cpus > cpu) return `containers reserve ${cpus} CPU units of the task's ${cpu}`;
      if (reserved > memory) return `containers reserve ${reserved} MiB of the task's ${memory}`;
      return undefined;
    },
    (td) => list(td.config.requires_compatibilities as Value[]).includes("FARGATE"),
  ),
  rule(
    {
      id: "ecr-immutable-fixed-tags",
      title: "Images from an IMMUTABLE ECR repository are deployed by a tag that never moves (not latest)",
      severity: "medium",
      sources: ["https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html"],
    },
    ["aws_ecs_task_definition"],
    (td, m) => {
      const immutable = of(m, "aws_ecr_repository").filter((r) =>
        String(r.config.image_tag_mutability).startsWith("IMMUTABLE"),
      );
      const excluded = (r: PolicyResource, tag: string) =>
        blocks(r.config.image_tag_mutability_exclusion_filter).some((f) =>
          new RegExp(
            `^${String(f.filter)
              .replace(/[.+^${}()|[\]\\]/g, "\\$&")
              .replace(/\*/g, ".*")}$`,
          ).test(tag),
        );
      for (const c of containers(td) ?? []) {
        const image = String(c.image ?? "");
        const repo = immutable.find(
          (r) =>
            image.includes(`${r.type}.${r.name}.repository_url`) ||
            (typeof r.config.name === "string" && image.includes(`/${r.config.name}`)),
        );
        if (!repo) continue;
        const tag = /@sha256:/.test(image) ? undefined : (/:([^:/}]+)$/.exec(image)?.[1] ?? "latest");
        if (tag !== undefined && MOVING_TAGS.has(tag.toLowerCase()) && !excluded(repo, tag))
          return `container ${String(c.name)} runs tag "${tag}" from an IMMUTABLE repository: the second push of that tag is refused`;
      }
      return undefined;
    },
  ),
  rule(
    {
      id: "sg-rules-quota",
      title: "Security groups stay within 60 rules per direction, a CloudFront prefix list counting as 55",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups",
        "https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html#aws-managed-prefix-list-weights",
      ],
    },
    ["aws_security_group"],
    (g, m) => {
      for (const direction of ["ingress", "egress"] as const) {
        const rules = sgRules(m, g, direction);
        const weight = (pl: Value) => (/\baws_vpc_endpoint\./.test(text(pl) ?? "") ? 1 : CLOUDFRONT_PREFIX_LIST_WEIGHT);
        const v4 = rules.reduce(
          (s, r) => s + r.ipv4 + r.groups + r.prefixLists.reduce<number>((w, pl) => w + weight(pl), 0),
          0,
        );
        const v6 = rules.reduce((s, r) => s + r.ipv6 + r.groups, 0);
        if (v4 > RULES_PER_GROUP || v6 > RULES_PER_GROUP)
          return `${direction} rules weigh ${Math.max(v4, v6)} (a prefix list counts as its maximum entries): over the default quota of ${RULES_PER_GROUP} per group`;
      }
      return undefined;
    },
  ),
  rule(
    {
      id: "cloudfront-alias-certificate",
      title: "A distribution with alternate domain names has an ACM certificate from us-east-1",
      severity: "critical",
      sources: [
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html",
        "https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html",
      ],
    },
    ["aws_cloudfront_distribution"],
    (d) => {
      const cert = block(d.config.viewer_certificate);
      const arn = cert?.acm_certificate_arn;
      const region =
        typeof arn === "string" && !arn.includes("${") ? /^arn:aws[\w-]*:acm:([a-z0-9-]+):/.exec(arn)?.[1] : undefined;
      if (region !== undefined && region !== "us-east-1")
        return `acm_certificate_arn is in ${region}: CloudFront only takes ACM certificates from us-east-1`;
      if (list(d.config.aliases as Value[]).length > 0 && !isSet(arn) && !isSet(cert?.iam_certificate_id))
        return "aliases with the default *.cloudfront.net certificate: CloudFront refuses alternate domain names without a certificate that covers them";
      return undefined;
    },
  ),
  rule(
    {
      id: "waf-acl-scope",
      title: "CloudFront uses a CLOUDFRONT-scope web ACL; load balancers a REGIONAL one",
      severity: "high",
      sources: ["https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html"],
    },
    ["aws_cloudfront_distribution", "aws_wafv2_web_acl_association"],
    (r, m) => {
      const ref = r.type === "aws_cloudfront_distribution" ? r.config.web_acl_id : r.config.web_acl_arn;
      const acl = of(m, "aws_wafv2_web_acl").find((a) => refersTo(ref, a));
      const wanted = r.type === "aws_cloudfront_distribution" ? "CLOUDFRONT" : "REGIONAL";
      return acl && acl.config.scope !== wanted
        ? `uses ${acl.address}, whose scope is ${String(acl.config.scope)}; it must be ${wanted}`
        : undefined;
    },
    (r) => isSet(r.type === "aws_cloudfront_distribution" ? r.config.web_acl_id : r.config.web_acl_arn),
  ),
  rule(
    {
      id: "rds-backup-maintenance-windows",
      title: "RDS backup and maintenance windows last at least 30 minutes and do not overlap",
      severity: "medium",
      sources: ["https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"],
    },
    ["aws_db_instance"],
    (r) => {
      const backup = windowMinutes(r.config.backup_window);
      const maintenance = windowMinutes(r.config.maintenance_window);
      for (const [attr, w] of [
        ["backup_window", backup],
        ["maintenance_window", maintenance],
      ] as const)
        if (w && w.size < 30 * (attr === "backup_window" ? 7 : 1))
          return `${attr} ${String(r.config[attr])} is shorter than 30 minutes`;
      return overlaps(backup, maintenance)
        ? `backup_window ${String(r.config.backup_window)} overlaps maintenance_window ${String(r.config.maintenance_window)}`
        : undefined;
    },
  ),
  rule(
    {
      id: "rds-performance-insights-retention",
      title: "Performance Insights retention is 7 days, a whole number of 31-day months up to 23, or 731 days",
      severity: "medium",
      sources: ["https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"],
    },
    ["aws_db_instance"],
    (r) => {
      const d = isTrue(r.config.performance_insights_enabled)
        ? num(r.config.performance_insights_retention_period)
        : undefined;
      return d === undefined || PI_RETENTION(d)
        ? undefined
        : `performance_insights_retention_period ${d} is not 7, 31×n (n ≤ 23) or 731`;
    },
  ),
  rule(
    {
      id: "log-retention-values",
      title: "Log group retention is one of the values CloudWatch Logs accepts",
      severity: "medium",
      sources: ["https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html"],
    },
    ["aws_cloudwatch_log_group"],
    (g) => {
      const d = num(g.config.retention_in_days);
      return d === undefined || LOG_RETENTION_DAYS.includes(d)
        ? undefined
        : `retention_in_days ${d} is not one of ${LOG_RETENTION_DAYS.slice(1).join(", ")}`;
    },
  ),
  rule(
    {
      id: "ecs-service-load-balancer",
      title: "A service's load balancer names a container port of its task and an ip target group",
      severity: "high",
      sources: [
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html",
        "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html",
      ],
    },
    ["aws_ecs_service"],
    (s, m) => {
      const td = of(m, "aws_ecs_task_definition").find((t) => refersTo(s.config.task_definition, t));
      for (const lbc of blocks(s.config.load_balancer)) {
        const defs = td ? containers(td) : undefined;
        const c = defs?.find((x) => x.name === lbc.container_name);
        if (defs && !c)
          return `load_balancer names container ${String(lbc.container_name)}, which ${td?.address} does not define`;
        if (c && !list(c.portMappings).some((p) => p.containerPort === num(lbc.container_port)))
          return `container ${String(c.name)} maps no port ${String(lbc.container_port)}`;
        const tg = of(m, "aws_lb_target_group").find((t) => refersTo(lbc.target_group_arn, t));
        if (tg && td?.config.network_mode === "awsvpc" && (tg.config.target_type ?? "instance") !== "ip")
          return `${tg.address} has target_type ${String(tg.config.target_type ?? "instance")}; awsvpc tasks register by IP`;
      }
      return undefined;
    },
  ),
  // Datadog's API key and its Firehose log stream (datadog-checks.ts).
  ...DATADOG_CHECKS,
  ...HANDOFF_CHECKS,
  ...STRUCTURE_CHECKS,
];

/** The ElastiCache metrics an alarm reads (directly or in metric math), with the node they name. */
function cacheMetrics(a: PolicyResource): { metric: string; node: Value }[] {
  const out: { metric: string; node: Value }[] = [];
  const add = (namespace: Value, metric: Value, dims: Value) => {
    const node = (dims as Record<string, Value> | null)?.CacheClusterId;
    if (namespace === "AWS/ElastiCache" && typeof metric === "string" && node !== undefined && node !== null)
      out.push({ metric, node });
  };
  add(a.config.namespace, a.config.metric_name, a.config.dimensions);
  for (const q of blocks(a.config.metric_query))
    for (const mm of blocks(q.metric)) add(mm.namespace, mm.metric_name, mm.dimensions);
  return out;
}
