import { policyDocument } from "../../lib/constructs/iam";
import { deployPolicyStatements } from "../../modules/security/deploy";
import { KMS_PURPOSES } from "../../modules/security/kms";
import { resource, resourcesOf, synthAll, type Json } from "../helpers/synth";

const { stacks } = synthAll();
const sec: Json = stacks.production.modules.security;
const policyOf = (type: string, name: string, attr = "policy") => JSON.parse(resource(sec, type, name)[attr]);
const statements = (doc: Json): Json[] => doc.Statement;

describe("KMS keys", () => {
  test("one customer-managed key per purpose: data, logs, audit, alarms", () => {
    expect(Object.keys(resourcesOf(sec, "aws_kms_key")).sort()).toEqual([...KMS_PURPOSES].sort());
  });

  test.each(KMS_PURPOSES)("the %s key rotates and has an explicit policy", (purpose) => {
    const key = resource(sec, "aws_kms_key", purpose);
    expect(key.enable_key_rotation).toBe(true);
    expect(statements(JSON.parse(key.policy)).length).toBeGreaterThan(1);
  });

  test.each(KMS_PURPOSES)("the %s key has the alias alias/<name>-%s", (purpose) => {
    expect(resource(sec, "aws_kms_alias", purpose).name).toBe(`alias/\${var.name}-${purpose}`);
  });

  test("no key policy names a wildcard principal or grants kms:*", () => {
    for (const purpose of KMS_PURPOSES) {
      for (const s of statements(policyOf("aws_kms_key", purpose))) {
        expect(s.Principal).not.toBe("*");
        expect(s.Principal.AWS ?? "").not.toBe("*");
        expect([s.Action].flat()).not.toContain("kms:*");
      }
    }
  });

  test("account principals use the data key only through S3, RDS, ElastiCache, Secrets Manager and ECR", () => {
    const use = statements(policyOf("aws_kms_key", "data")).find(
      (s) => s.Sid === "AccountUsesKeyThroughServices",
    ) as Json;
    expect(use.Condition.StringEquals["kms:ViaService"]).toEqual(
      ["s3", "rds", "elasticache", "secretsmanager", "ecr"].map((s) => `${s}.\${var.region}.amazonaws.com`),
    );
  });

  test("the logs key is usable by CloudWatch Logs of this region for this account's log groups only", () => {
    const logs = statements(policyOf("aws_kms_key", "logs")).find((s) => s.Sid === "CloudWatchLogsUsesKey") as Json;
    expect(logs.Principal).toEqual({ Service: "logs.${var.region}.amazonaws.com" });
    expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe(
      "arn:aws:logs:${var.region}:${var.account_id}:log-group:*",
    );
  });

  test("CloudTrail may encrypt with the audit key only for this environment's trail", () => {
    const ct = statements(policyOf("aws_kms_key", "audit")).find((s) => s.Sid === "CloudTrailEncryptsLogs") as Json;
    expect(ct.Condition.StringEquals["aws:SourceArn"]).toBe(
      "arn:aws:cloudtrail:${var.region}:${var.account_id}:trail/${var.name}-trail",
    );
  });

  test("CloudWatch alarms may publish to SNS topics encrypted with the alarms key", () => {
    const cw = statements(policyOf("aws_kms_key", "alarms")).find((s) => s.Sid === "CloudWatchAlarmsPublish") as Json;
    expect(cw.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
  });
});

describe("WAF", () => {
  const acl = resource(sec, "aws_wafv2_web_acl", "this");

  test("is regional, allows by default and exists only when enabled", () => {
    expect(acl).toMatchObject({ scope: "REGIONAL", count: "${var.enable_waf ? 1 : 0}" });
    expect(acl.default_action).toEqual({ allow: {} });
  });

  test("rate-limits each IP over a 60-second window, at the configured limit", () => {
    const rate = acl.dynamic.rule.find((d: Json) => d.content.name === "rate-limit-per-ip").content;
    expect(rate.statement[0].rate_based_statement[0]).toEqual({
      limit: "${var.waf_rate_limit}",
      aggregate_key_type: "IP",
      evaluation_window_sec: 60,
    });
    expect(rate.action).toEqual([{ block: [{}] }]);
  });

  test("applies the AWS managed groups for SQL injection, common exploits (XSS) and known bad inputs", () => {
    const groups = acl.rule.map((r: Json) => r.statement[0].managed_rule_group_statement?.[0].name).filter(Boolean);
    expect(groups).toEqual(
      expect.arrayContaining([
        "AWSManagedRulesSQLiRuleSet",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
      ]),
    );
  });

  test("blocks every country outside the allow-list, when the list is not empty", () => {
    const geo = acl.dynamic.rule.find((d: Json) => d.content.name === "geo-allow-list");
    expect(geo.for_each).toBe("${(var.waf_ip_rules && (length(var.waf_allowed_countries) > 0)) ? [1] : []}");
    expect(geo.content.statement[0].not_statement[0].statement[0].geo_match_statement[0].country_codes).toBe(
      "${var.waf_allowed_countries}",
    );
  });

  test("adds Bot Control only when switched on", () => {
    const bot = acl.dynamic.rule.find((d: Json) => d.content.name === "AWSManagedRulesBotControlRuleSet");
    expect(bot.for_each).toBe("${var.waf_enable_bot_control ? [1] : []}");
  });

  test("publishes CloudWatch metrics for the ACL and every rule", () => {
    const rules = [...acl.rule, ...acl.dynamic.rule.map((d: Json) => d.content)];
    for (const r of rules) expect(r.visibility_config[0].cloudwatch_metrics_enabled).toBe(true);
    expect(acl.visibility_config.cloudwatch_metrics_enabled).toBe(true);
  });

  test("logs to a KMS-encrypted aws-waf-logs- group", () => {
    expect(resource(sec, "aws_cloudwatch_log_group", "waf")).toMatchObject({
      name: "aws-waf-logs-${var.name}",
      kms_key_id: "${aws_kms_key.logs.arn}",
    });
    expect(resource(sec, "aws_wafv2_web_acl_logging_configuration", "this").log_destination_configs).toEqual([
      "${aws_cloudwatch_log_group.waf[0].arn}",
    ]);
  });

  test("is on in staging and production (policy check alb-waf; dev exempts it)", () => {
    const enabled = Object.fromEntries(
      Object.entries(stacks).map(([ws, s]) => [ws, s.root.module.security.enable_waf]),
    );
    expect(enabled).toEqual({ dev: false, staging: true, production: true });
  });
});

describe("application secrets", () => {
  test("are encrypted with the data key and named <project>/<env>/<name>", () => {
    expect(resource(sec, "aws_secretsmanager_secret", "app")).toMatchObject({
      kms_key_id: "${aws_kms_key.data.arn}",
      name: "${var.secret_prefix}/${each.key}",
      for_each: "${toset(var.secret_names)}",
    });
    expect(stacks.production.root.module.security.secret_prefix).toBe("eduautismo-ia/${var.environment}");
  });

  test("can be deleted at once in dev, and recovered for 7–30 days elsewhere", () => {
    const windows = Object.fromEntries(
      Object.entries(stacks).map(([ws, s]) => [ws, s.root.module.security.secret_recovery_window_days]),
    );
    expect(windows).toEqual({ dev: 0, staging: 7, production: 30 });
  });

  test("are exposed by ARN only", () => {
    expect(sec.output.secret_arns.value).toBe("${{ for k, s in aws_secretsmanager_secret.app : k => s.arn }}");
  });
});

describe("audit trail", () => {
  const trail = resource(sec, "aws_cloudtrail", "this");

  test("is multi-region, validates log files and encrypts with the audit key", () => {
    expect(trail).toMatchObject({
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      kms_key_id: "${aws_kms_key.audit.arn}",
    });
  });

  test("writes to its dedicated bucket, whose policy admits only this trail", () => {
    expect(trail.s3_bucket_name).toBe("${aws_s3_bucket.cloudtrail.0.id}");
    const policy = JSON.parse(resource(sec, "aws_s3_bucket_policy", "cloudtrail").policy);
    const write = statements(policy).find((s) => s.Sid === "CloudTrailWrite") as Json;
    expect(write.Condition.StringEquals["aws:SourceArn"]).toBe(
      "arn:aws:cloudtrail:${var.region}:${var.account_id}:trail/${var.name}-trail",
    );
    expect(write.Resource).toBe("${aws_s3_bucket.cloudtrail.0.arn}/AWSLogs/${var.account_id}/*");
  });

  test("delivers to CloudWatch Logs in staging and production", () => {
    const cw = Object.fromEntries(
      Object.entries(stacks).map(([ws, s]) => [ws, s.root.module.security.cloudtrail_cloudwatch_logs]),
    );
    expect(cw).toEqual({ dev: false, staging: true, production: true });
  });
  test("its CloudWatch Logs role trusts cloudtrail.amazonaws.com in AWS's documented form, without aws:SourceArn/aws:SourceAccount", () => {
    const trust = JSON.parse(resource(sec, "aws_iam_role", "cloudtrail").assume_role_policy);
    expect(trust).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  test("its CloudWatch Logs role may only create and write the trail's <account>_CloudTrail_<region> streams", () => {
    const doc = JSON.parse(resource(sec, "aws_iam_role_policy", "cloudtrail").policy);
    expect(statements(doc)).toEqual([
      {
        Sid: "WriteTrailLogStreams",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "${aws_cloudwatch_log_group.cloudtrail[0].arn}:log-stream:${var.account_id}_CloudTrail_*",
      },
    ]);
  });
});

describe("GitHub Actions deploy role", () => {
  const role = resource(sec, "aws_iam_role", "github_actions");

  test("trusts only GitHub's OIDC provider, for sts.amazonaws.com and the configured repo refs", () => {
    expect(role.assume_role_policy).toContain('"Federated" = local.github_oidc_provider_arn');
    expect(role.assume_role_policy).toContain('"token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"');
    expect(role.assume_role_policy).toContain('"token.actions.githubusercontent.com:sub" = local.github_subjects');
    expect(sec.locals.github_subjects).toContain('"repo:${var.github_repository}:ref:refs/heads/${b}"');
    expect(sec.locals.github_subjects).toContain('"repo:${var.github_repository}:environment:${e}"');
  });

  test("production deploys come from main or the production GitHub environment of the seed's repository", () => {
    expect(stacks.production.root.module.security).toMatchObject({
      github_repository: "cleybersilva/eduautismo-ia-mvp",
      github_branches: ["main"],
      github_environments: ["production"],
    });
  });

  test("its policy names no wildcard action and passes only this environment's ECS roles to ECS", () => {
    const doc = policyOf("aws_iam_role_policy", "github_actions");
    for (const s of statements(doc)) for (const a of [s.Action].flat()) expect(a).not.toMatch(/^\*$|:\*$/);
    const pass = statements(doc).find((s) => s.Sid === "PassEcsRoles") as Json;
    expect(pass.Resource).toBe("arn:aws:iam::${var.account_id}:role/${var.name}-ecs-*");
    expect(pass.Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
  });

  test("only the actions without resource-level permissions use Resource *", () => {
    const star = deployPolicyStatements({ name: "n", account: "1", region: "r" }).filter((s) => s.Resource === "*");
    expect(star.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      "ecr:GetAuthorizationToken",
      "ecs:DescribeTaskDefinition",
      "ecs:RegisterTaskDefinition",
    ]);
  });

  test("the root exports github_actions_role_arn (seed 002)", () => {
    expect(stacks.dev.root.output.github_actions_role_arn.value).toBe("${module.security.github_actions_role_arn}");
  });
});

test("a policy document refuses a wildcard action", () => {
  expect(() => policyDocument([{ Sid: "Bad", Effect: "Allow", Action: "s3:*", Resource: "*" }])).toThrow(
    "policy statement Bad allows a wildcard action (s3:*): list the actions it needs",
  );
});
