/** Knobs of the security module (KMS, WAF, secrets, audit trail, deploy role). Part of EnvironmentSchema. */
import { z } from "zod";
import type { Controls } from "../../lib/core/controls";
import { all, compare, isTrue, knob, lengthOf, type PresenceTable } from "../../lib/core/rules";
import { hasLoadBalancer, type ComputeConfig } from "../compute/config";
import { ISO_COUNTRIES } from "./countries";

/** A URI path prefix a WAF regex may hold without escaping. */
export const WAF_PATH_PREFIX_RE = /^\/[A-Za-z0-9_/-]*$/;
/** Large-body path prefixes per ACL (they become one regex_string, at most 512 characters). */
export const WAF_MAX_LARGE_BODY_PATHS = 10;

/** AWS WAF's smallest rate-based limit (requests per evaluation window). */
export const WAF_MIN_RATE_LIMIT = 10;

export const WafSchema = z
  .object({
    /** Create the regional web ACL (associated with the ALB by compute). @default false — billed per ACL, rule and request */
    enabled: z.boolean().default(false),
    /** Requests per IP per 60-second window before blocking (a product's guide sets it: seed 001 asks 100 req/min). Required. */
    rateLimitPerMinute: z
      .number()
      .int()
      .max(2_000_000_000)
      .superRefine((v, ctx) => {
        if (v < WAF_MIN_RATE_LIMIT) {
          ctx.addIssue({
            code: "custom",
            message: `AWS WAF's minimum rate limit is ${WAF_MIN_RATE_LIMIT} requests per evaluation window, got ${v}`,
          });
        }
      }),
    /**
     * Countries allowed in (ISO 3166-1 alpha-2); everything else is blocked, CI runners, webhook senders and
     * uptime checks included. A product's guide must ask for it: `geoReason` names that rule (D160).
     * @default [] (no geo rule)
     */
    allowedCountries: z
      .array(
        z.string().superRefine((v, ctx) => {
          if (!ISO_COUNTRIES.has(v))
            ctx.addIssue({ code: "custom", message: `"${v}" is not an ISO 3166-1 alpha-2 country code (e.g. "BR")` });
        }),
      )
      .default([]),
    /** The guide rule that asks for the geo allow-list (seed 001: "Geo-blocking (apenas Brasil)"). Required with `allowedCountries`. @default none */
    geoReason: z.string().min(15, "say which guide rule asks for it, in a sentence").optional(),
    /**
     * Path prefixes whose requests may carry bodies over 8 KB (call webhooks with transcripts): the common rule
     * set's SizeRestrictions_BODY only counts, and a rule on its label blocks large bodies on every other path
     * (AWS WAF, "Baseline rule groups": https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html).
     * Request bodies past 8 KB are not inspected on an ALB (fixed limit). @default [] (every large body blocked)
     */
    largeBodyPaths: z
      .array(z.string().regex(WAF_PATH_PREFIX_RE, "a path prefix: / then letters, digits, _, - and /"))
      .max(
        WAF_MAX_LARGE_BODY_PATHS,
        `at most ${WAF_MAX_LARGE_BODY_PATHS} prefixes (one regex of at most 512 characters)`,
      )
      .default([]),
    /** AWS managed Bot Control rule group (billed per request on top of WAF). @default false */
    botControl: z.boolean().default(false),
    /** Retention of the `aws-waf-logs-` log group. @default 90 */
    logRetentionDays: z.number().int().default(90),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.allowedCountries.length > 0 && w.geoReason === undefined) {
      ctx.addIssue({ code: "custom", path: ["allowedCountries"], message: GEO_RULE_NEEDS_REASON });
    }
    if (w.allowedCountries.length === 0 && w.geoReason !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["geoReason"],
        message: "no allowedCountries: drop geoReason (there is no geo rule to explain)",
      });
    }
  });

/** Why a geo allow-list needs the guide's word (D160). */
export const GEO_RULE_NEEDS_REASON =
  "a geo allow-list blocks every client outside it (CI runners, webhook senders, uptime checks); only a product whose guide asks for one gets it: " +
  "name that rule in geoReason, or leave allowedCountries empty (AWS WAF geo match: https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-geo-match.html)";

/** Why the Terraform roles need a GitHub Environment: they trust nothing else (no branch, no pull_request subject). */
export const TERRAFORM_ROLES_NEED_ENVIRONMENTS =
  "the Terraform roles trust only GitHub Environments: list the workspace's environment in githubEnvironments";
/** Why the Terraform roles need remote state: a runner keeps no files, and the roles are granted the state object in S3. */
export const TERRAFORM_ROLES_NEED_STATE =
  "the Terraform roles read and lock the state in S3: set state: { bucket: ... } first";

/**
 * `<name>-terraform-plan` (read-only) and `<name>-terraform-apply`, assumed by `.github/workflows/terraform.yml`
 * (docs/decisions.md D97). Off by default: nothing is created and the synthesized output is unchanged.
 */
export const TerraformRolesSchema = z
  .object({
    /** Create the two roles (root outputs `terraform_plan_role_arn`, `terraform_apply_role_arn`). @default false */
    enabled: z.boolean().default(false),
    /** The only branch whose runs may assume the apply role (the token's `ref` and `job_workflow_ref`). @default "main" */
    applyBranch: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+$/, "a branch name (letters, digits, . _ / -)")
      .default("main"),
    /** The reusable workflow that runs Terraform; both roles admit only its jobs (`job_workflow_ref`). @default ".github/workflows/terraform.yml" */
    workflow: z
      .string()
      .regex(/^\.github\/workflows\/[A-Za-z0-9._-]+\.ya?ml$/, "a workflow file under .github/workflows/")
      .default(".github/workflows/terraform.yml"),
  })
  .strict();

export const SecuritySchema = z
  .object({
    /** Waiting period before a scheduled KMS key deletion, 7–30 days. @default 30 */
    kmsDeletionWindowDays: z
      .number()
      .int()
      .min(7, "KMS needs at least 7 days")
      .max(30, "KMS allows at most 30 days")
      .default(30),
    /** The regional web ACL. Required: its rate limit is the product guide's. */
    waf: WafSchema,
    secrets: z
      .object({
        /** Application secrets to create (values are set by operators, never by Terraform): `<project>/<env>/<name>`. @default [] */
        names: z
          .array(
            z
              .string()
              .regex(/^[a-z][a-z0-9-]{1,62}$/, "must start with a letter; lowercase letters, digits and dashes"),
          )
          .default([]),
        /** Days a deleted secret can be restored: 0 (immediate, dev only) or 7–30. @default 30 */
        recoveryWindowDays: z
          .number()
          .int()
          .superRefine((v, ctx) => {
            if (v !== 0 && (v < 7 || v > 30))
              ctx.addIssue({ code: "custom", message: `must be 0 (delete immediately) or 7–30 days, got ${v}` });
          })
          .default(30),
      })
      .strict()
      .default({ names: [], recoveryWindowDays: 30 }),
    audit: z
      .object({
        /** Multi-region CloudTrail with log file validation, KMS-encrypted, to a dedicated bucket. @default true */
        enabled: z.boolean().default(true),
        /** Also deliver the trail to CloudWatch Logs (alarms on API activity). @default false */
        cloudWatchLogs: z.boolean().default(false),
        /** Days trail files stay in S3 before expiring. @default 365 */
        retentionDays: z.number().int().min(1).default(365),
        /** Retention of the CloudWatch copy. @default 90 */
        logRetentionDays: z.number().int().default(90),
      })
      .strict()
      .default({ enabled: true, cloudWatchLogs: false, retentionDays: 365, logRetentionDays: 90 }),
    deploy: z
      .object({
        /** GitHub repository allowed to assume the deploy role, `owner/repo`. Required. */
        githubRepository: z
          .string()
          .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "an OIDC trust needs the GitHub repository as owner/repo"),
        /** Branches whose workflows may deploy. @default ["main"] */
        branches: z.array(z.string().min(1)).default(["main"]),
        /** GitHub deployment environments whose jobs may deploy. @default [] */
        githubEnvironments: z.array(z.string().min(1)).default([]),
        /** Create the account-wide GitHub OIDC provider here; false when another workspace of the same account owns it. @default true */
        createOidcProvider: z.boolean().default(true),
        /** The roles the pipeline's Terraform jobs assume (docs/decisions.md D97). @default { enabled: false, applyBranch: "main", workflow: ".github/workflows/terraform.yml" } */
        terraformRoles: TerraformRolesSchema.default(TerraformRolesSchema.parse({})),
      })
      .strict()
      .superRefine((d, ctx) => {
        if (d.branches.length === 0 && d.githubEnvironments.length === 0) {
          ctx.addIssue({
            code: "custom",
            path: ["branches"],
            message: "the deploy role must be limited to at least one branch or GitHub environment",
          });
        }
        if (d.terraformRoles.enabled && d.githubEnvironments.length === 0) {
          ctx.addIssue({
            code: "custom",
            path: ["terraformRoles", "enabled"],
            message: TERRAFORM_ROLES_NEED_ENVIRONMENTS,
          });
        }
      }),
  })
  .strict();

export type SecurityConfig = z.output<typeof SecuritySchema>;

/**
 * Controls of the policy gate this section may switch off in a development-tier environment (lib/core/controls.ts).
 * The WAF guards the load balancer, so it is present only where compute has one.
 */
export const SECURITY_CONTROLS: Controls<{ security: SecurityConfig; compute: Pick<ComputeConfig, "services"> }> = {
  "cloudtrail-cloudwatch-logs": {
    switch: "security.audit.cloudWatchLogs",
    isOff: (env) => env.security.audit.enabled && !env.security.audit.cloudWatchLogs,
  },
  "alb-waf": {
    switch: "security.waf.enabled",
    isOff: (env) => !env.security.waf.enabled,
    present: hasLoadBalancer,
  },
};

/**
 * Rules of the regional web ACL that the config switches on (its `dynamic "rule"` blocks, web-acl.ts), for the
 * cost estimate: rate per IP and IP reputation with `ipRules`, the geo allow-list with `ipRules` and countries,
 * large-body paths, Bot Control. The ACL's static rules are counted in the synthesized JSON.
 */
export function regionalWafSwitchedRules(waf: z.output<typeof WafSchema>, ipRules: boolean): number {
  return (
    (ipRules ? 2 : 0) +
    (ipRules && waf.allowedCountries.length > 0 ? 1 : 0) +
    (waf.largeBodyPaths.length > 0 ? 1 : 0) +
    (waf.botControl ? 1 : 0)
  );
}

const WAF_ON = { when: isTrue("enable_waf") };
const IP_RULES = isTrue("waf_ip_rules");
const TRAIL_ON = { when: isTrue("enable_cloudtrail") };
const TRAIL_LOGS_ON = { when: all(isTrue("enable_cloudtrail"), isTrue("cloudtrail_cloudwatch_logs")) };

/**
 * Which of the module's resources exist, over its inputs (D211): the regional web ACL and its logs with the WAF on;
 * the trail and its bucket with CloudTrail on, its CloudWatch Logs copy only with `cloudtrail_cloudwatch_logs` too;
 * the GitHub OIDC provider when this account creates it; one secret per name.
 */
export const SECURITY_PRESENCE: PresenceTable = {
  aws_wafv2_web_acl: {
    this: {
      ...WAF_ON,
      // The rules that exist or not (waf.ts): the IP-keyed ones unless CloudFront carries them, the geo allow-list
      // with countries, the large-body rule with allowed paths, Bot Control when chosen.
      blocks: {
        rule: {
          "rate-limit-per-ip": IP_RULES,
          AWSManagedRulesAmazonIpReputationList: IP_RULES,
          "geo-allow-list": all(IP_RULES, compare(lengthOf("waf_allowed_countries"), ">", 0)),
          "large-body-outside-allowed-paths": compare(lengthOf("waf_large_body_paths"), ">", 0),
          AWSManagedRulesBotControlRuleSet: isTrue("waf_enable_bot_control"),
        },
      },
    },
  },
  aws_wafv2_web_acl_logging_configuration: { this: WAF_ON },
  aws_cloudwatch_log_group: { waf: WAF_ON, cloudtrail: TRAIL_LOGS_ON },
  aws_cloudtrail: { this: TRAIL_ON },
  aws_s3_bucket: { cloudtrail: TRAIL_ON },
  aws_s3_bucket_lifecycle_configuration: { cloudtrail: TRAIL_ON },
  aws_s3_bucket_ownership_controls: { cloudtrail: TRAIL_ON },
  aws_s3_bucket_policy: { cloudtrail: TRAIL_ON },
  aws_s3_bucket_public_access_block: { cloudtrail: TRAIL_ON },
  aws_s3_bucket_server_side_encryption_configuration: { cloudtrail: TRAIL_ON },
  aws_s3_bucket_versioning: { cloudtrail: TRAIL_ON },
  aws_iam_role: { cloudtrail: TRAIL_LOGS_ON },
  aws_iam_role_policy: { cloudtrail: TRAIL_LOGS_ON },
  aws_iam_openid_connect_provider: { github: { when: isTrue("create_oidc_provider") } },
  aws_secretsmanager_secret: { app: { each: knob("secret_names") } },
};

/** The `sub` claim GitHub writes into a job's OIDC token, by what the job runs for (GitHub's documented formats). */
export const GITHUB_SUBJECT = {
  branch: (repository: string, branch: string) => `repo:${repository}:ref:refs/heads/${branch}`,
  environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
} as const;
export type GithubSubjectKind = keyof typeof GITHUB_SUBJECT;

/**
 * The subjects locals of the OIDC roles' trust policies: local name → the kinds of subject it lists → the module input
 * (a list) whose values it lists. The module writes each local from here; `npm run pipeline -- check` computes the
 * same subjects from here and the root's inputs, so neither reads the other's text.
 */
export const OIDC_SUBJECTS = {
  github_subjects: { branch: "github_branches", environment: "github_environments" },
  terraform_subjects: { environment: "github_environments" },
} as const satisfies Readonly<Record<string, Readonly<Partial<Record<GithubSubjectKind, string>>>>>;
export type OidcSubjectsLocal = keyof typeof OIDC_SUBJECTS;
