/**
 * One passing and one failing Terraform JSON fixture per policy check. Each fixture is the
 * `resource` block of a module `m` (see `fixtureStack`); references between resources are written
 * as Terraform would (`${aws_s3_bucket.b.id}`). The failing fixture differs from the passing one in
 * the one thing the check is about.
 */
import type { PolicyEnvironment } from "../../tools/policy";
import type { Json, SynthesizedStack } from "../../tools/synthesized";
import { APPLY_FIXTURES } from "./apply-fixtures";
import { HANDOFF_FIXTURES } from "./handoff-fixtures";

type Resources = Record<string, Record<string, Json>>;
export interface Fixture {
  readonly pass: Resources;
  readonly fail: Resources;
  /** Module inputs and outputs of each side, for checks that read them (handoff-checks.ts). @default none */
  readonly extra?: { readonly pass?: FixtureExtra; readonly fail?: FixtureExtra };
}
/** What a fixture's module has besides resources: the root's inputs to it, its variables, locals, outputs. */
export type FixtureExtra = { inputs?: Json; variables?: Json; locals?: Json; rootVariables?: Json; outputs?: Json };

/** The gate's strictest reading of a fixture: a production-like environment (every check applies), no exemptions. */
export const STRICT: PolicyEnvironment = { tier: "production-like", exemptions: [] };

/** A workspace whose root calls module `m` with `inputs`; `m` declares `resources` (and variables). */
export function fixtureStack(
  resources: Resources,
  workspace = "production",
  extra: FixtureExtra = {},
): SynthesizedStack {
  return {
    workspace,
    dir: "(fixture)",
    root: { module: { m: { source: "./modules/m", ...(extra.inputs ?? {}) } }, variable: extra.rootVariables ?? {} },
    modules: {
      m: {
        resource: resources,
        variable: extra.variables ?? {},
        locals: extra.locals,
        ...(extra.outputs ? { output: extra.outputs } : {}),
      },
    },
    tfvars: "",
  };
}

const doc = (...statements: Json[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ref = (type: string, name: string, attr = "id") => `\${${type}.${name}.${attr}}`;

/** A bucket with every companion resource a compliant bucket has; `drop` removes some, `patch` changes them. */
function bucket(patch: Resources = {}, drop: string[] = []): Resources {
  const b = ref("aws_s3_bucket", "b");
  const base: Resources = {
    aws_s3_bucket: { b: { bucket: "b" } },
    aws_s3_bucket_public_access_block: {
      b: {
        bucket: b,
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    },
    aws_s3_bucket_ownership_controls: { b: { bucket: b, rule: { object_ownership: "BucketOwnerEnforced" } } },
    aws_s3_bucket_server_side_encryption_configuration: {
      b: {
        bucket: b,
        rule: [
          { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${var.key}" } },
        ],
      },
    },
    aws_s3_bucket_versioning: { b: { bucket: b, versioning_configuration: { status: "Enabled" } } },
    aws_s3_bucket_lifecycle_configuration: {
      b: {
        bucket: b,
        rule: [
          {
            id: "abort",
            status: "Enabled",
            abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
            filter: [{ prefix: "" }],
          },
        ],
      },
    },
    aws_s3_bucket_policy: {
      b: {
        bucket: b,
        policy: doc({
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      },
    },
    aws_s3_bucket_logging: { b: { bucket: b, target_bucket: "${aws_s3_bucket.logs.id}", target_prefix: "b/" } },
  };
  for (const d of drop) delete base[d];
  for (const [type, byName] of Object.entries(patch)) base[type] = { ...(base[type] ?? {}), ...byName };
  return base;
}

const db = (extra: Json = {}) => ({
  aws_db_instance: {
    db: {
      storage_encrypted: true,
      kms_key_id: "${var.key}",
      publicly_accessible: false,
      multi_az: true,
      backup_retention_period: 7,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "db-final",
      monitoring_interval: 60,
      enabled_cloudwatch_logs_exports: ["postgresql"],
      ...extra,
    },
  },
});
const redis = (extra: Json = {}) => ({
  aws_elasticache_replication_group: {
    r: {
      at_rest_encryption_enabled: "true",
      transit_encryption_enabled: true,
      auth_token: "${terraform_data.token.output}",
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      snapshot_retention_limit: 1,
      ...extra,
    },
  },
});
const containers = (defs: Json[]) => JSON.stringify(defs);
const container = (extra: Json = {}) => ({
  name: "app",
  image: "app:1",
  readonlyRootFilesystem: true,
  privileged: false,
  environment: [{ name: "DB_HOST", value: "db" }],
  logConfiguration: { logDriver: "awslogs" },
  ...extra,
});
const task = (c: Json = container(), extra: Json = {}) => ({
  aws_ecs_task_definition: {
    t: {
      container_definitions: containers([c]),
      execution_role_arn: "${aws_iam_role.execution.arn}",
      task_role_arn: "${aws_iam_role.task.arn}",
      ...extra,
    },
  },
});
const lb = (extra: Json = {}) => ({
  aws_security_group: { alb: { name: "alb" } },
  aws_lb: {
    this: {
      load_balancer_type: "application",
      internal: false,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      security_groups: [ref("aws_security_group", "alb")],
      access_logs: { bucket: "logs", enabled: true },
      ...extra,
    },
  },
});
const listener = (extra: Json) => ({
  aws_lb_listener: { l: { load_balancer_arn: ref("aws_lb", "this", "arn"), ...extra } },
});
const distribution = (extra: Json = {}) => ({
  aws_cloudfront_distribution: {
    d: {
      web_acl_id: "${aws_wafv2_web_acl.cdn.arn}",
      default_cache_behavior: { viewer_protocol_policy: "redirect-to-https" },
      ordered_cache_behavior: [{ path_pattern: "/static/*", viewer_protocol_policy: "https-only" }],
      origin: [
        {
          origin_id: "alb",
          domain_name: "alb",
          custom_origin_config: { origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] },
        },
      ],
      viewer_certificate: {
        acm_certificate_arn: "arn:aws:acm:us-east-1:1:certificate/x",
        minimum_protocol_version: "TLSv1.2_2021",
        ssl_support_method: "sni-only",
      },
      logging_config: { bucket: "logs.s3.amazonaws.com" },
      ...extra,
    },
  },
});
const ingress = (extra: Json) => ({
  ...lb(),
  aws_security_group: { alb: { name: "alb" }, app: { name: "app" } },
  aws_vpc_security_group_ingress_rule: { r: { ip_protocol: "tcp", description: "why", ...extra } },
});
const egress = (extra: Json) => ({
  aws_vpc_security_group_egress_rule: {
    r: { security_group_id: ref("aws_security_group", "app"), ip_protocol: "tcp", description: "why", ...extra },
  },
});
const trail = (extra: Json = {}) => ({
  aws_cloudtrail: {
    t: {
      is_multi_region_trail: true,
      enable_log_file_validation: true,
      kms_key_id: "${var.key}",
      cloud_watch_logs_group_arn: "${aws_cloudwatch_log_group.t.arn}:*",
      ...extra,
    },
  },
});
const rolePolicy = (...statements: Json[]) => ({
  aws_iam_role_policy: { p: { role: "r", policy: doc(...statements) } },
});
const trust = (...statements: Json[]) => ({ aws_iam_role: { r: { assume_role_policy: doc(...statements) } } });
const OIDC = "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com";
/** A GitHub OIDC role whose inline policy may create roles and write their policies (the Terraform apply role's shape). */
const oidcWriter = (condition: Json) => ({
  aws_iam_role: {
    w: {
      assume_role_policy: doc({
        Effect: "Allow",
        Principal: { Federated: OIDC },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: condition,
      }),
    },
  },
  aws_iam_role_policy: {
    w: {
      role: "${aws_iam_role.w.id}",
      policy: doc({
        Effect: "Allow",
        Action: ["iam:CreateRole", "iam:PutRolePolicy"],
        Resource: "arn:aws:iam::1:role/app-*",
      }),
    },
  },
});
const key = (extra: Json = {}) => ({
  aws_kms_key: {
    k: {
      enable_key_rotation: true,
      policy: doc({
        Sid: "Admin",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:root" },
        Action: "kms:*",
        Resource: "*",
      }),
      ...extra,
    },
  },
});
const ecr = (extra: Json = {}) => ({
  aws_ecr_repository: {
    app: {
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: "${var.key}" }],
      ...extra,
    },
  },
  aws_ecr_lifecycle_policy: { app: { repository: ref("aws_ecr_repository", "app", "name"), policy: "{}" } },
});
const lifecycle = (rule: Json) => ({
  aws_s3_bucket_lifecycle_configuration: {
    b: { bucket: "b", rule: [{ id: "r", status: "Enabled", filter: [{ prefix: "" }], ...rule }] },
  },
});
const vpc = (extra: Resources = {}) => ({
  aws_vpc: { this: { cidr_block: "10.0.0.0/16" } },
  aws_default_security_group: { this: { vpc_id: ref("aws_vpc", "this") } },
  aws_flow_log: { this: { vpc_id: ref("aws_vpc", "this"), traffic_type: "ALL" } },
  ...extra,
});
const acl = { aws_wafv2_web_acl: { a: { scope: "REGIONAL" } } };

export const FIXTURES: Record<string, Fixture> = {
  "rds-storage-encrypted": { pass: db(), fail: db({ storage_encrypted: false }) },
  "rds-force-ssl": {
    pass: {
      aws_db_parameter_group: { p: { family: "postgres15", parameter: [{ name: "rds.force_ssl", value: "1" }] } },
    },
    fail: {
      aws_db_parameter_group: { p: { family: "postgres15", parameter: [{ name: "work_mem", value: "16384" }] } },
    },
  },
  "elasticache-at-rest-encryption": { pass: redis(), fail: redis({ at_rest_encryption_enabled: false }) },
  "elasticache-transit-encryption": { pass: redis(), fail: redis({ transit_encryption_enabled: "false" }) },
  "elasticache-auth": { pass: redis(), fail: redis({ auth_token: null }) },
  "s3-encryption": {
    pass: bucket(),
    fail: bucket({
      aws_s3_bucket_server_side_encryption_configuration: {
        b: {
          bucket: ref("aws_s3_bucket", "b"),
          rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
        },
      },
    }),
  },
  "sns-encryption": {
    pass: { aws_sns_topic: { t: { kms_master_key_id: "${var.key}" } } },
    fail: { aws_sns_topic: { t: { name: "alarms" } } },
  },
  "log-group-encryption": {
    pass: { aws_cloudwatch_log_group: { g: { kms_key_id: "${var.key}" } } },
    fail: { aws_cloudwatch_log_group: { g: { kms_key_id: null } } },
  },
  "secrets-cmk": {
    pass: { aws_secretsmanager_secret: { s: { kms_key_id: "${var.key}" } } },
    fail: { aws_secretsmanager_secret: { s: { name: "s" } } },
  },
  "ecr-kms": { pass: ecr(), fail: ecr({ encryption_configuration: [{ encryption_type: "AES256" }] }) },
  "cloudtrail-encryption": { pass: trail(), fail: trail({ kms_key_id: null }) },
  "alb-https": {
    pass: listener({
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } }],
    }),
    fail: listener({ port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "tg" }] }),
  },
  "alb-tls-policy": {
    pass: listener({ port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
    fail: listener({ port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-2016-08" }),
  },
  "cloudfront-https": {
    pass: distribution(),
    fail: distribution({
      ordered_cache_behavior: [{ path_pattern: "/static/*", viewer_protocol_policy: "allow-all" }],
    }),
  },
  "cloudfront-tls": {
    pass: distribution(),
    fail: distribution({ viewer_certificate: { cloudfront_default_certificate: true } }),
  },
  "cloudfront-origin-tls": {
    pass: distribution(),
    fail: distribution({
      origin: [
        {
          origin_id: "alb",
          domain_name: "alb",
          custom_origin_config: { origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1", "TLSv1.2"] },
        },
      ],
    }),
  },
  "s3-public-access-block": {
    pass: bucket(),
    fail: bucket({
      aws_s3_bucket_public_access_block: {
        b: {
          bucket: ref("aws_s3_bucket", "b"),
          block_public_acls: true,
          block_public_policy: false,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        },
      },
    }),
  },
  "s3-secure-transport": { pass: bucket(), fail: bucket({}, ["aws_s3_bucket_policy"]) },
  "s3-no-acls": {
    pass: bucket(),
    fail: bucket({
      aws_s3_bucket_ownership_controls: {
        b: { bucket: ref("aws_s3_bucket", "b"), rule: { object_ownership: "ObjectWriter" } },
      },
    }),
  },
  "rds-not-public": { pass: db(), fail: db({ publicly_accessible: true }) },
  "sg-no-public-ingress": {
    pass: ingress({
      security_group_id: ref("aws_security_group", "alb"),
      cidr_ipv4: "0.0.0.0/0",
      from_port: 443,
      to_port: 443,
    }),
    fail: ingress({
      security_group_id: ref("aws_security_group", "app"),
      cidr_ipv4: "0.0.0.0/0",
      from_port: 22,
      to_port: 22,
    }),
  },
  "sg-no-world-egress": {
    pass: egress({ cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443 }),
    fail: egress({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "-1" }),
  },
  "sg-rule-description": {
    pass: egress({ cidr_ipv4: "10.0.0.0/16", from_port: 5432, to_port: 5432 }),
    fail: egress({ cidr_ipv4: "10.0.0.0/16", from_port: 5432, to_port: 5432, description: null }),
  },
  "default-sg-closed": {
    pass: vpc(),
    fail: vpc({
      aws_default_security_group: {
        this: { vpc_id: ref("aws_vpc", "this"), ingress: [{ protocol: "-1", self: true, from_port: 0, to_port: 0 }] },
      },
    }),
  },
  "subnet-no-public-ip": {
    pass: { aws_subnet: { s: { map_public_ip_on_launch: false } } },
    fail: { aws_subnet: { s: { map_public_ip_on_launch: true } } },
  },
  "ecs-no-public-ip": {
    pass: { aws_ecs_service: { s: { network_configuration: { assign_public_ip: false, subnets: [] } } } },
    fail: { aws_ecs_service: { s: { network_configuration: { assign_public_ip: true, subnets: [] } } } },
  },
  "vpc-flow-logs": {
    pass: vpc(),
    fail: { aws_vpc: vpc().aws_vpc, aws_default_security_group: vpc().aws_default_security_group },
  },
  "s3-access-logging": { pass: bucket(), fail: bucket({}, ["aws_s3_bucket_logging"]) },
  "alb-access-logs": { pass: lb(), fail: lb({ access_logs: { bucket: "logs", enabled: false } }) },
  "cloudtrail-enabled": { pass: trail(), fail: trail({ is_multi_region_trail: false }) },
  "cloudtrail-log-validation": { pass: trail(), fail: trail({ enable_log_file_validation: false }) },
  "cloudtrail-cloudwatch-logs": { pass: trail(), fail: trail({ cloud_watch_logs_group_arn: null }) },
  "waf-logging": {
    pass: {
      ...acl,
      aws_wafv2_web_acl_logging_configuration: {
        a: { resource_arn: ref("aws_wafv2_web_acl", "a", "arn"), log_destination_configs: ["x"] },
      },
    },
    fail: {
      ...acl,
      aws_wafv2_web_acl_logging_configuration: {
        a: { resource_arn: "${aws_wafv2_web_acl.other.arn}", log_destination_configs: ["x"] },
      },
    },
  },
  "cloudfront-logging": {
    pass: {
      ...distribution({ logging_config: undefined }),
      aws_cloudwatch_log_delivery_source: {
        s: { log_type: "ACCESS_LOGS", resource_arn: ref("aws_cloudfront_distribution", "d", "arn") },
      },
      aws_cloudwatch_log_delivery: {
        s: {
          delivery_source_name: ref("aws_cloudwatch_log_delivery_source", "s", "name"),
          delivery_destination_arn: "x",
        },
      },
    },
    fail: distribution({ logging_config: undefined }),
  },
  "rds-log-exports": { pass: db(), fail: db({ enabled_cloudwatch_logs_exports: ["upgrade"] }) },
  "rds-enhanced-monitoring": { pass: db(), fail: db({ monitoring_interval: 0 }) },
  "ecs-container-logging": { pass: task(), fail: task(container({ logConfiguration: undefined })) },
  "ecs-container-insights": {
    pass: { aws_ecs_cluster: { c: { setting: [{ name: "containerInsights", value: "enabled" }] } } },
    fail: { aws_ecs_cluster: { c: { setting: [{ name: "containerInsights", value: "disabled" }] } } },
  },
  "rds-multi-az": { pass: db(), fail: db({ multi_az: false }) },
  "rds-backup-retention": { pass: db(), fail: db({ backup_retention_period: 3 }) },
  "rds-deletion-protection": { pass: db(), fail: db({ deletion_protection: false }) },
  "rds-final-snapshot": { pass: db(), fail: db({ skip_final_snapshot: true }) },
  "elasticache-multi-az": { pass: redis(), fail: redis({ multi_az_enabled: false }) },
  "elasticache-backups": { pass: redis(), fail: redis({ snapshot_retention_limit: 0 }) },
  "alb-deletion-protection": { pass: lb(), fail: lb({ enable_deletion_protection: false }) },
  "s3-versioning": {
    pass: bucket(),
    fail: bucket({
      aws_s3_bucket_versioning: {
        b: { bucket: ref("aws_s3_bucket", "b"), versioning_configuration: { status: "Suspended" } },
      },
    }),
  },
  "iam-no-wildcard-actions": {
    pass: rolePolicy(
      { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" },
      { Sid: "DenyAll", Effect: "Deny", Action: "*", Resource: "*" },
    ),
    fail: rolePolicy({ Sid: "Everything", Effect: "Allow", Action: "s3:*", Resource: "*" }),
  },
  "iam-trust-policy": {
    pass: trust(
      { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
      {
        Effect: "Allow",
        Principal: { Federated: OIDC },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
          StringLike: { "token.actions.githubusercontent.com:sub": ["repo:org/app:ref:refs/heads/main"] },
        },
      },
    ),
    fail: trust({
      Effect: "Allow",
      Principal: { Federated: OIDC },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
    }),
  },
  "iam-oidc-role-writer-pinned": {
    pass: oidcWriter({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:org/app:environment:production"],
        "token.actions.githubusercontent.com:ref": "refs/heads/main",
      },
    }),
    fail: oidcWriter({
      StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
      StringLike: {
        "token.actions.githubusercontent.com:sub": ["repo:org/app:pull_request", "repo:org/app:environment:production"],
      },
    }),
  },
  "iam-no-admin-managed": {
    pass: {
      aws_iam_role_policy_attachment: {
        a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
      },
    },
    fail: {
      aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } },
    },
  },
  "ecs-separate-roles": { pass: task(), fail: task(container(), { task_role_arn: "${aws_iam_role.execution.arn}" }) },
  "ecs-no-privileged": { pass: task(), fail: task(container({ privileged: true })) },
  "ecs-read-only-root": { pass: task(), fail: task(container({ readonlyRootFilesystem: false })) },
  "ecs-no-plaintext-secrets": {
    pass: task(),
    fail: task(container({ environment: [{ name: "OPENAI_API_KEY", value: "sk-123" }] })),
  },
  "alb-drop-invalid-headers": { pass: lb(), fail: lb({ drop_invalid_header_fields: false }) },
  "alb-waf": {
    pass: {
      ...lb(),
      aws_wafv2_web_acl_association: { a: { resource_arn: ref("aws_lb", "this", "arn"), web_acl_arn: "${var.acl}" } },
    },
    fail: lb(),
  },
  "cloudfront-waf": { pass: distribution(), fail: distribution({ web_acl_id: null }) },
  "kms-rotation": { pass: key(), fail: key({ enable_key_rotation: false }) },
  // A secret the app reads that neither rotates nor records why (D170–D174); both ways of passing are shown.
  "secrets-rotation": {
    pass: {
      aws_secretsmanager_secret: {
        app: { name: "p/db-app" },
        token: { name: "p/redis-auth", tags: { RotationWaiver: "D172 manual" } },
      },
      aws_secretsmanager_secret_rotation: {
        app: {
          secret_id: ref("aws_secretsmanager_secret", "app"),
          rotation_lambda_arn: "arn:aws:lambda:us-east-1:111111111111:function:f",
          rotation_rules: { automatically_after_days: 30 },
        },
      },
    },
    fail: {
      aws_secretsmanager_secret: {
        app: { name: "p/db-app" },
        token: { name: "p/redis-auth", tags: { RotationWaiver: "D172 manual" } },
      },
    },
  },
  "kms-key-policy": {
    pass: key(),
    fail: key({
      policy: doc({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }),
    }),
  },
  "s3-lifecycle": { pass: bucket(), fail: bucket({}, ["aws_s3_bucket_lifecycle_configuration"]) },
  "s3-lifecycle-transitions": {
    pass: lifecycle({
      transition: [
        { days: 30, storage_class: "STANDARD_IA" },
        { days: 90, storage_class: "GLACIER" },
      ],
      expiration: [{ days: 365 }],
    }),
    fail: lifecycle({ transition: [{ days: 7, storage_class: "STANDARD_IA" }] }),
  },
  "ecr-scan-on-push": { pass: ecr(), fail: ecr({ image_scanning_configuration: { scan_on_push: false } }) },
  "ecr-immutable-tags": { pass: ecr(), fail: ecr({ image_tag_mutability: "MUTABLE" }) },
  "ecr-lifecycle": { pass: ecr(), fail: { aws_ecr_repository: ecr().aws_ecr_repository } },
  "ec2-imdsv2": {
    pass: {
      aws_instance: { nat: { metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: true } } },
    },
    fail: {
      aws_instance: { nat: { metadata_options: { http_tokens: "optional" }, root_block_device: { encrypted: true } } },
    },
  },
  "ec2-ebs-encrypted": {
    pass: {
      aws_instance: { nat: { metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: true } } },
    },
    fail: { aws_instance: { nat: { metadata_options: { http_tokens: "required" } } } },
  },
  ...APPLY_FIXTURES,
  ...HANDOFF_FIXTURES,
  // node-postgres reads sslmode=require as verify-full against Node's CA list, which lacks the RDS CA (D164).
  "postgres-url-verifies-server": {
    pass: {
      aws_ssm_parameter: {
        url: {
          name: "/p/DATABASE_URL",
          description: "postgresql:// URL",
          value_wo:
            "postgresql://u:${terraform_data.pw.output}@${aws_db_instance.db.address}:5432/app?sslmode=verify-full&sslrootcert=/etc/ssl/certs/rds.pem",
        },
      },
    },
    fail: {
      aws_ssm_parameter: {
        url: {
          name: "/p/DATABASE_URL",
          description: "postgresql:// URL",
          value_wo: "postgresql://u:${terraform_data.pw.output}@${aws_db_instance.db.address}:5432/app?sslmode=require",
        },
      },
    },
  },
};
