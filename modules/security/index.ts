/**
 * security — keys, edge protection, secrets, audit trail and the CI/CD deploy role.
 *
 * Owns: four customer-managed KMS keys (one per purpose: data, logs, audit, alarms), the
 * regional WAFv2 web ACL with its `aws-waf-logs-` log group, the application secrets in Secrets
 * Manager (values set by operators, never by Terraform), the multi-region CloudTrail with its
 * dedicated bucket, and the GitHub Actions OIDC deploy role (seed 002).
 *
 * Depends on: nothing but root values.
 */
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { TerraformLocal } from "cdktf";
import type { Construct } from "constructs";
import { WAF_MAX_LARGE_BODY_PATHS, WAF_MIN_RATE_LIMIT, WAF_PATH_PREFIX_RE } from "./config";
import { policyDocument, serviceTrust, type PolicyStatement } from "../../lib/constructs/iam";
import { counted, expr, forEachOf, ModuleStack, named } from "../../lib/core/module-stack";
import { retentionValidation } from "../../lib/core/validations";
import { BUCKET_ARN, secureBucket } from "../../lib/constructs/secure-bucket";
import { deployPolicyStatements } from "./deploy";
import { terraformRoles, type TerraformStateAccess, type TerraformTrustSpec } from "./terraform-role";
import { KMS_PURPOSES, keyPolicy, type KmsPurpose } from "./kms";
import { wafRules } from "./waf";
import { wafLogging } from "./waf-logging";
import { rotationWaiverTags, ROTATION_WAIVERS } from "../../lib/constructs/rotation";

export interface SecurityProps {
  /** Name prefix, e.g. `<project>-production` (may be a root token). */
  readonly name: string;
  /** Path prefix of application secrets, e.g. `<project>/production`. */
  readonly secretPrefix: string;
  readonly region: string;
  /** 12-digit account id (key and trust policies; never looked up at plan time). */
  readonly accountId: string;
  /** Waiting period of a scheduled key deletion. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /** Regional web ACL for the ALB. @default false */
  readonly enableWaf?: boolean;
  /** Requests per IP per 60 s. @default 100 */
  readonly wafRateLimit?: number;
  /** ISO country codes allowed; empty disables the geo rule. @default [] */
  readonly wafAllowedCountries?: readonly string[];
  /** Path prefixes whose request bodies may exceed 8 KB (the common rule set's SizeRestrictions_BODY counts there). @default [] */
  readonly wafLargeBodyPaths?: readonly string[];
  /** Bot Control managed rule group (billed per request). @default false */
  readonly wafEnableBotControl?: boolean;
  /** IP-keyed rules (rate per IP, geo, IP reputation) on the regional ACL; false when CloudFront fronts the ALB. @default true */
  readonly wafIpRules?: boolean;
  /** @default 90 */
  readonly wafLogRetentionDays?: number;
  /** Application secret names. @default [] */
  readonly secretNames?: readonly string[];
  /** Suffix of the ECS cluster's name (`<name>-<suffix>`, compute.clusterNameSuffix), for the deploy role's ECS resources. @default none: `<name>` */
  readonly clusterNameSuffix?: string;
  /** Services besides the defaults that may use the data key, e.g. `ssm` for SecureString parameters (D104). @default none */
  readonly dataKeyServices?: readonly string[];
  /** 0 (dev) or 7–30. @default 30 */
  readonly secretRecoveryWindowDays?: number;
  /** CloudTrail + its bucket. @default true */
  readonly enableCloudtrail?: boolean;
  /** Trail bucket name. */
  readonly cloudtrailBucketName: string;
  /** Days trail files are kept. @default 365 */
  readonly cloudtrailRetentionDays?: number;
  /** Also deliver the trail to CloudWatch Logs. @default false */
  readonly cloudtrailCloudwatchLogs?: boolean;
  /** @default 90 */
  readonly cloudtrailLogRetentionDays?: number;
  /** `owner/repo` allowed to assume the deploy role. */
  readonly githubRepository: string;
  /** @default ["main"] */
  readonly githubBranches?: readonly string[];
  /** @default [] */
  readonly githubEnvironments?: readonly string[];
  /** Create the account-wide GitHub OIDC provider. @default true */
  readonly createOidcProvider?: boolean;
  /** `prevent_destroy` on the KMS keys and the trail bucket (decided at synthesis). @default false */
  readonly preventDestroy?: boolean;
  /** The pipeline's Terraform roles (D97); absent: none. */
  readonly terraformRoles?: TerraformTrustSpec & {
    /** `<bucketPrefix>-<env>`: the platform's buckets. */
    readonly bucketPrefix: string;
    /** Regions of the platform's resources. */
    readonly regions: readonly string[];
    readonly state: TerraformStateAccess;
  };
}

export class SecurityModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: SecurityProps) {
    super(scope, workspace, "security");

    const name = this.input("name", props.name, {
      type: "string",
      description: "Name prefix for every resource.",
    }).stringValue;
    const region = this.input("region", props.region, { type: "string", description: "AWS region." }).stringValue;
    const account = this.input("account_id", props.accountId, {
      type: "string",
      description: "AWS account id (key and trust policies).",
      validations: [
        {
          condition: 'can(regex("^[0-9]{12}$", var.account_id))',
          errorMessage: "account_id must be the 12-digit AWS account id.",
        },
      ],
    }).stringValue;
    const deletionWindow = this.input("kms_deletion_window_days", props.kmsDeletionWindowDays, {
      type: "number",
      description: "Days before a scheduled KMS key deletion happens (7–30).",
      default: 30,
      validations: [
        {
          condition: "var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30",
          errorMessage: "kms_deletion_window_days must be 7–30.",
        },
      ],
    }).numberValue;

    // --- KMS: one key per purpose ---------------------------------------------------------------
    const keyArn = {} as Record<KmsPurpose, string>;
    for (const purpose of KMS_PURPOSES) {
      const key = named(
        new KmsKey(this, `${purpose}_key`, {
          description: `${purpose} encryption key of ${name}`,
          enableKeyRotation: true,
          deletionWindowInDays: deletionWindow,
          policy: policyDocument(
            keyPolicy(purpose, {
              account,
              region,
              name,
              ...(purpose === "data" && props.dataKeyServices?.length
                ? { extraDataServices: props.dataKeyServices }
                : {}),
            }),
          ),
          lifecycle: { preventDestroy: props.preventDestroy ?? false },
        }),
        purpose,
      );
      named(
        new KmsAlias(this, `${purpose}_alias`, { name: `alias/${name}-${purpose}`, targetKeyId: key.keyId }),
        purpose,
      );
      keyArn[purpose] = key.arn;
    }

    // --- WAF --------------------------------------------------------------------------------------
    this.input("enable_waf", props.enableWaf, {
      type: "bool",
      description: "Create the regional web ACL.",
      default: false,
    });
    this.input("waf_rate_limit", props.wafRateLimit, {
      type: "number",
      description: "Requests per IP per 60-second window before blocking.",
      default: 100,
      validations: [
        {
          condition: `var.waf_rate_limit >= ${WAF_MIN_RATE_LIMIT}`,
          errorMessage: `AWS WAF's minimum rate limit is ${WAF_MIN_RATE_LIMIT} requests per evaluation window, got \${var.waf_rate_limit}`,
        },
      ],
    });
    this.input("waf_allowed_countries", props.wafAllowedCountries, {
      type: "list(string)",
      description: "ISO 3166-1 alpha-2 countries allowed; others are blocked. Empty disables the geo rule.",
      default: [],
      validations: [
        {
          condition: 'alltrue([for c in var.waf_allowed_countries : can(regex("^[A-Z]{2}$", c))])',
          errorMessage: "waf_allowed_countries must hold ISO 3166-1 alpha-2 codes such as BR.",
        },
      ],
    });
    this.input("waf_large_body_paths", props.wafLargeBodyPaths, {
      type: "list(string)",
      description:
        "Path prefixes whose requests may carry bodies over 8 KB (SizeRestrictions_BODY counts there, blocks elsewhere). Empty: blocked everywhere.",
      default: [],
      validations: [
        {
          condition: `alltrue([for p in var.waf_large_body_paths : can(regex("${WAF_PATH_PREFIX_RE.source.replace(/\\/g, "\\\\")}", p))]) && length(var.waf_large_body_paths) <= ${WAF_MAX_LARGE_BODY_PATHS}`,
          errorMessage: `waf_large_body_paths must hold at most ${WAF_MAX_LARGE_BODY_PATHS} path prefixes such as /webhooks (letters, digits, _, - and /).`,
        },
      ],
    });
    this.input("waf_enable_bot_control", props.wafEnableBotControl, {
      type: "bool",
      description: "Bot Control managed rule group (billed per request).",
      default: false,
    });
    this.input("waf_ip_rules", props.wafIpRules, {
      type: "bool",
      description:
        "Rate per IP, geo allow-list and IP reputation on this ACL; false behind CloudFront, whose ACL sees the viewer IPs and carries them.",
      default: true,
    });
    const wafRetention = this.input("waf_log_retention_days", props.wafLogRetentionDays, {
      type: "number",
      description: "Retention of the WAF log group.",
      default: 90,
      validations: [retentionValidation("waf_log_retention_days")],
    }).numberValue;

    const acl = counted(
      named(
        new Wafv2WebAcl(this, "web_acl", {
          name: `${name}-web-acl`,
          description: "Regional web ACL of the application load balancer",
          scope: "REGIONAL",
          defaultAction: { allow: {} },
          visibilityConfig: {
            cloudwatchMetricsEnabled: true,
            metricName: `${name}-web-acl`,
            sampledRequestsEnabled: true,
          },
        }),
        "this",
      ),
      "var.enable_waf ? 1 : 0",
    );
    const rules = wafRules(name, { ipRulesVar: "waf_ip_rules", largeBodyPathsVar: "waf_large_body_paths" });
    acl.addOverride("rule", rules.static);
    acl.addOverride("dynamic", { rule: rules.dynamic });
    // WAF only logs to groups whose name starts with aws-waf-logs-.
    wafLogging(this, { logGroupName: `aws-waf-logs-${name}`, retentionInDays: wafRetention, kmsKeyId: keyArn.logs });

    // --- Application secrets ------------------------------------------------------------------------
    this.input("secret_prefix", props.secretPrefix, {
      type: "string",
      description: "Path prefix of application secrets (`<project>/<env>`).",
    });
    this.input("secret_names", props.secretNames, {
      type: "list(string)",
      description: "Application secrets to create; values are set outside Terraform.",
      default: [],
    });
    const recovery = this.input("secret_recovery_window_days", props.secretRecoveryWindowDays, {
      type: "number",
      description: "Days a deleted secret can be restored: 0 or 7–30.",
      default: 30,
      validations: [
        {
          condition:
            "var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)",
          errorMessage: "secret_recovery_window_days must be 0 (delete immediately) or 7–30 days.",
        },
      ],
    }).numberValue;
    const secret = named(
      new SecretsmanagerSecret(this, "app_secret", {
        name: "${var.secret_prefix}/${each.key}",
        description: "Application secret; set its value with aws secretsmanager put-secret-value",
        kmsKeyId: keyArn.data,
        recoveryWindowInDays: recovery,
        // The value is a third party's (D173): rotated at its issuer, then put here by an operator.
        tags: rotationWaiverTags(ROTATION_WAIVERS.operatorValue),
      }),
      "app",
    );
    forEachOf(secret, "toset(var.secret_names)");

    // --- Audit trail ---------------------------------------------------------------------------------
    this.input("enable_cloudtrail", props.enableCloudtrail, {
      type: "bool",
      description: "Multi-region CloudTrail with its own bucket.",
      default: true,
    });
    this.input("cloudtrail_bucket_name", props.cloudtrailBucketName, {
      type: "string",
      description: "Name of the trail's bucket.",
    });
    this.input("cloudtrail_retention_days", props.cloudtrailRetentionDays, {
      type: "number",
      description: "Days trail files stay in S3.",
      default: 365,
    });
    this.input("cloudtrail_cloudwatch_logs", props.cloudtrailCloudwatchLogs, {
      type: "bool",
      description: "Also deliver the trail to CloudWatch Logs.",
      default: false,
    });
    const trailLogRetention = this.input("cloudtrail_log_retention_days", props.cloudtrailLogRetentionDays, {
      type: "number",
      description: "Retention of the trail's CloudWatch log group.",
      default: 90,
      validations: [retentionValidation("cloudtrail_log_retention_days")],
    }).numberValue;

    const trailArn = `arn:aws:cloudtrail:${region}:${account}:trail/${name}-trail`;
    const trailBucket = secureBucket(this, "cloudtrail", {
      bucket: expr("var.cloudtrail_bucket_name"),
      kmsKeyArn: keyArn.audit,
      versioning: true,
      count: "var.enable_cloudtrail ? 1 : 0",
      preventDestroy: props.preventDestroy,
      lifecycle: [
        {
          id: "expire-trail-files",
          expirationDays: expr("var.cloudtrail_retention_days"),
          noncurrentVersionExpirationDays: 30,
        },
      ],
      policyStatements: [
        {
          Sid: "CloudTrailAclCheck",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: BUCKET_ARN,
          Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
        {
          Sid: "CloudTrailWrite",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${BUCKET_ARN}/AWSLogs/${account}/*`,
          Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
        },
      ],
    });
    counted(
      named(
        new CloudwatchLogGroup(this, "cloudtrail_logs", {
          name: `/aws/cloudtrail/${name}`,
          retentionInDays: trailLogRetention,
          kmsKeyId: keyArn.logs,
        }),
        "cloudtrail",
      ),
      "var.enable_cloudtrail && var.cloudtrail_cloudwatch_logs ? 1 : 0",
    );
    counted(
      named(
        new IamRole(this, "cloudtrail_logs_role", {
          name: `${name}-cloudtrail-logs`,
          description: "Lets CloudTrail deliver to its CloudWatch log group",
          // AWS's documented form: no aws:SourceArn / aws:SourceAccount condition, which CloudTrail's delivery
          // to CloudWatch Logs does not support (docs/decisions.md D57).
          assumeRolePolicy: serviceTrust("cloudtrail.amazonaws.com"),
        }),
        "cloudtrail",
      ),
      "var.enable_cloudtrail && var.cloudtrail_cloudwatch_logs ? 1 : 0",
    );
    counted(
      named(
        new IamRolePolicy(this, "cloudtrail_logs_policy", {
          name: "deliver-to-cloudwatch-logs",
          role: expr("aws_iam_role.cloudtrail[0].id"),
          policy: policyDocument([
            {
              Sid: "WriteTrailLogStreams",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              // CloudTrail names its streams <account>_CloudTrail_<region>, one per region of a multi-region trail.
              Resource: `\${aws_cloudwatch_log_group.cloudtrail[0].arn}:log-stream:${account}_CloudTrail_*`,
            },
          ]),
        }),
        "cloudtrail",
      ),
      "var.enable_cloudtrail && var.cloudtrail_cloudwatch_logs ? 1 : 0",
    );
    const trail = counted(
      named(
        new Cloudtrail(this, "trail", {
          name: `${name}-trail`,
          s3BucketName: trailBucket.attr("id"),
          isMultiRegionTrail: true,
          includeGlobalServiceEvents: true,
          enableLogFileValidation: true,
          kmsKeyId: keyArn.audit,
          cloudWatchLogsGroupArn: expr(
            'var.cloudtrail_cloudwatch_logs ? "${aws_cloudwatch_log_group.cloudtrail[0].arn}:*" : null',
          ),
          cloudWatchLogsRoleArn: expr("var.cloudtrail_cloudwatch_logs ? aws_iam_role.cloudtrail[0].arn : null"),
        }),
        "this",
      ),
      "var.enable_cloudtrail ? 1 : 0",
    );
    trail.addOverride("depends_on", ["aws_s3_bucket_policy.cloudtrail"]);

    // --- GitHub Actions deploy role (OIDC) --------------------------------------------------------------
    this.input("github_repository", props.githubRepository, {
      type: "string",
      description: "GitHub repository (owner/repo) allowed to assume the deploy role.",
      validations: [
        {
          condition: 'can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))',
          errorMessage: "an OIDC trust needs the GitHub repository as owner/repo",
        },
      ],
    });
    this.input("github_branches", props.githubBranches, {
      type: "list(string)",
      description: "Branches whose workflows may deploy.",
      default: ["main"],
    });
    this.input("github_environments", props.githubEnvironments, {
      type: "list(string)",
      description: "GitHub deployment environments whose jobs may deploy.",
      default: [],
      validations: [
        {
          condition: "length(var.github_branches) + length(var.github_environments) > 0",
          errorMessage: "the deploy role must be limited to at least one branch or GitHub environment",
        },
      ],
    });
    this.input("create_oidc_provider", props.createOidcProvider, {
      type: "bool",
      description: "Create the account-wide GitHub OIDC provider.",
      default: true,
    });

    counted(
      named(
        new IamOpenidConnectProvider(this, "github_oidc", {
          url: "https://token.actions.githubusercontent.com",
          clientIdList: ["sts.amazonaws.com"],
        }),
        "github",
      ),
      "var.create_oidc_provider ? 1 : 0",
    );
    new TerraformLocal(
      this,
      "github_oidc_provider_arn",
      expr(
        'var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : "arn:aws:iam::${var.account_id}:oidc-provider/token.actions.githubusercontent.com"',
      ),
    );
    new TerraformLocal(
      this,
      "github_subjects",
      expr(
        'concat([for b in var.github_branches : "repo:${var.github_repository}:ref:refs/heads/${b}"], [for e in var.github_environments : "repo:${var.github_repository}:environment:${e}"])',
      ),
    );
    const deployRole = named(
      new IamRole(this, "github_actions_role", {
        name: `${name}-github-actions`,
        description: "Assumed by GitHub Actions (OIDC) to push images and roll out ECS services",
        maxSessionDuration: 3600,
        assumeRolePolicy: expr(
          'jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", ' +
            "Principal = { Federated = local.github_oidc_provider_arn }, " +
            'Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }, ' +
            'StringLike = { "token.actions.githubusercontent.com:sub" = local.github_subjects } } }] })',
        ),
      }),
      "github_actions",
    );
    named(
      new IamRolePolicy(this, "github_actions_policy", {
        name: "deploy",
        role: deployRole.id,
        policy: policyDocument(
          deployPolicyStatements({
            name,
            account,
            region,
            ...(props.clusterNameSuffix ? { clusterName: `${name}-${props.clusterNameSuffix}` } : {}),
          }) as PolicyStatement[],
        ),
      }),
      "github_actions",
    );

    // --- Terraform roles of the pipeline (opt-in, D97) ---------------------------------------------------
    const tf = props.terraformRoles
      ? (() => {
          const t = props.terraformRoles;
          const bucketPrefix = this.input("bucket_prefix", t.bucketPrefix, {
            type: "string",
            description: "Prefix of the platform's bucket names (the Terraform apply role manages `<prefix>-*`).",
          }).stringValue;
          const secretPrefix = "${var.secret_prefix}";
          return terraformRoles(
            this,
            {
              name,
              secretPrefix,
              bucketPrefix,
              account,
              regions: t.regions,
              state: t.state,
              dataKeyArns: [keyArn.data],
            },
            t,
          );
        })()
      : undefined;

    // --- Outputs ----------------------------------------------------------------------------------------
    for (const purpose of KMS_PURPOSES) {
      this.output(
        `${purpose}_kms_key_arn`,
        keyArn[purpose],
        `ARN of the ${purpose} KMS key (alias/<name>-${purpose}).`,
      );
    }
    this.output(
      "web_acl_arn",
      expr("one(aws_wafv2_web_acl.this[*].arn)"),
      "Regional web ACL for the ALB, or null when WAF is off.",
    );
    this.output(
      "secret_arns",
      expr("{ for k, s in aws_secretsmanager_secret.app : k => s.arn }"),
      "Application secret ARNs by name (inject by ARN, never by value).",
    );
    this.output(
      "cloudtrail_bucket_id",
      expr("one(aws_s3_bucket.cloudtrail[*].id)"),
      "Bucket receiving the trail, or null.",
    );
    this.output("cloudtrail_arn", expr("one(aws_cloudtrail.this[*].arn)"), "The trail, or null.");
    this.output(
      "github_actions_role_arn",
      deployRole.arn,
      "Role GitHub Actions assumes (seed 002: terraform output github_actions_role_arn).",
    );
    this.output(
      "github_oidc_provider_arn",
      expr("local.github_oidc_provider_arn"),
      "GitHub OIDC provider the deploy role trusts.",
    );
    if (tf) {
      this.output(
        "terraform_plan_role_arn",
        tf.plan.arn,
        "Role of the pipeline's Terraform plans (read-only; GitHub Environment variable AWS_TERRAFORM_PLAN_ROLE_ARN).",
      );
      this.output(
        "terraform_apply_role_arn",
        tf.apply.arn,
        "Role of the pipeline's Terraform applies and rollouts (GitHub Environment variable AWS_TERRAFORM_APPLY_ROLE_ARN).",
      );
    }
  }
}
