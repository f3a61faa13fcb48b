/** Error paths of the security and storage knobs: each rule fails with its field path and reason; then the runbook knobs (tfvars and their validation blocks). */
import {
  ConfigError,
  ENVIRONMENT_INPUTS,
  crossProductProblems,
  loadEnvironments,
  OIDC_PROVIDER_PER_ACCOUNT_DOC,
  productById,
  type EnvironmentInput,
  type Workspace,
  disabledControls,
  environmentSchema,
  EXEMPTIBLE_CONTROLS,
  exemptibleChecks,
  parseEnvironment,
  type ExemptibleControl,
} from "../../environments";
import { ruleCondition, terraformMessage, type RuleContext } from "../../lib/core/knobs";
import { CACHE_KNOBS } from "../../modules/cache/config";
import { DATABASE_KNOBS } from "../../modules/database/config";
import { KNOB_CASES } from "../helpers/knob-cases";
import { problems, type Mutable } from "../helpers/config";
import { inputs, synthAll } from "../helpers/synth";
import { GEO_RULE_NEEDS_REASON } from "../../modules/security/config";
import { ALARMS_NEED_RECIPIENTS } from "../../modules/monitoring/config";
import { runningValidation } from "../../composition/running";

const cases: [string, Workspace, (env: Mutable) => void, string][] = [
  [
    "the seed's uploads lifecycle (7 days → IA), which S3 refuses",
    "dev",
    (e) =>
      (e.storage.buckets = {
        uploads: {
          lifecycle: [
            {
              id: "seed",
              transitions: [
                { days: 7, storageClass: "STANDARD_IA" },
                { days: 30, storageClass: "GLACIER" },
              ],
            },
          ],
        },
      }),
    "dev.storage.buckets.uploads.lifecycle[0].transitions[0].days: S3 cannot move objects to STANDARD_IA before they are 30 days old (got 7); use 30 or more, or INTELLIGENT_TIERING from day 0",
  ],
  [
    "a Glacier step less than 30 days after the IA step",
    "dev",
    (e) =>
      (e.storage.buckets = {
        uploads: {
          lifecycle: [
            {
              id: "fast",
              transitions: [
                { days: 30, storageClass: "STANDARD_IA" },
                { days: 45, storageClass: "GLACIER" },
              ],
            },
          ],
        },
      }),
    "dev.storage.buckets.uploads.lifecycle[0].transitions[1].days: S3 needs objects to stay 30 days in STANDARD_IA (from day 30) before GLACIER: use day 60 or later (got 45)",
  ],
  [
    "transitions out of order",
    "staging",
    (e) =>
      (e.storage.buckets = {
        exports: {
          lifecycle: [
            {
              id: "x",
              transitions: [
                { days: 90, storageClass: "GLACIER" },
                { days: 60, storageClass: "DEEP_ARCHIVE" },
              ],
            },
          ],
        },
      }),
    "staging.storage.buckets.exports.lifecycle[0].transitions[1].days: transitions must be in ascending days: day 60 comes after day 90",
  ],
  [
    "an expiration before the last transition",
    "production",
    (e) =>
      (e.storage.buckets = {
        exports: { lifecycle: [{ id: "x", transitions: [{ days: 30, storageClass: "GLACIER" }], expirationDays: 20 }] },
      }),
    "production.storage.buckets.exports.lifecycle[0].expirationDays: expiration at day 20 must come after the last transition (day 30)",
  ],
  [
    "a CORS origin over plain HTTP",
    "production",
    (e) => (e.storage.corsOrigins = ["http://app.eduautismo-ia.com"]),
    "production.storage.corsOrigins[0]: must be an https:// origin (or http://localhost[:port])",
  ],
  [
    "a WAF rate limit below AWS's minimum",
    "production",
    (e) => (e.security.waf.rateLimitPerMinute = 5),
    "production.security.waf.rateLimitPerMinute: AWS WAF's minimum rate limit is 10 requests per evaluation window, got 5",
  ],
  [
    "a country code that is not ISO 3166-1 alpha-2",
    "production",
    (e) => (e.security.waf.allowedCountries = ["BR", "BRA"]),
    'production.security.waf.allowedCountries[1]: "BRA" is not an ISO 3166-1 alpha-2 country code (e.g. "BR")',
  ],
  [
    // A geo allow-list blocked Atena's GitHub runners, Telegram webhooks and health checks (D160): only a guide's rule adds one.
    "a geo allow-list no guide rule asks for",
    "production",
    (e) => delete e.security.waf.geoReason,
    `production.security.waf.allowedCountries: ${GEO_RULE_NEEDS_REASON}`,
  ],
  [
    "a large-body path a WAF regex would read as a pattern",
    "production",
    (e) => (e.security.waf.largeBodyPaths = ["/webhooks.*"]),
    "production.security.waf.largeBodyPaths[0]: a path prefix: / then letters, digits, _, - and /",
  ],
  [
    // Alarms nobody receives are shipped silence (D163), in any tier: dev is a development tier.
    "a workspace whose alarms nobody receives, without saying why",
    "dev",
    (e) => delete e.monitoring,
    `dev.monitoring.alarmEmails: ${ALARMS_NEED_RECIPIENTS}`,
  ],
  [
    "an application container named like a sidecar the module adds",
    "production",
    (e) => (e.compute.services[0].containerName = "xray-daemon"),
    "production.compute.services[0].containerName: is the name of a sidecar the module adds (xray-daemon, datadog-init, datadog-agent)",
  ],
  [
    "an OIDC trust with no repository",
    "staging",
    (e) => (e.security.deploy.githubRepository = ""),
    "staging.security.deploy.githubRepository: an OIDC trust needs the GitHub repository as owner/repo",
  ],
  [
    "a deploy role open to every branch and environment",
    "dev",
    (e) => {
      e.security.deploy.branches = [];
      e.security.deploy.githubEnvironments = [];
    },
    "dev.security.deploy.branches: the deploy role must be limited to at least one branch or GitHub environment",
  ],
  [
    "a secret recovery window AWS does not offer",
    "dev",
    (e) => (e.security.secrets.recoveryWindowDays = 5),
    "dev.security.secrets.recoveryWindowDays: must be 0 (delete immediately) or 7–30 days, got 5",
  ],
  [
    "immediate secret deletion in a production-like environment",
    "production",
    (e) => (e.security.secrets.recoveryWindowDays = 0),
    "production.security.secrets.recoveryWindowDays: only a development-tier environment may delete secrets without a recovery window; use 7–30 days",
  ],
  [
    "a KMS deletion window below 7 days",
    "dev",
    (e) => (e.security.kmsDeletionWindowDays = 3),
    "dev.security.kmsDeletionWindowDays: KMS needs at least 7 days",
  ],
  [
    "an account id that is not 12 digits",
    "staging",
    (e) => (e.accountId = "1234"),
    "staging.accountId: must be the 12-digit AWS account id",
  ],
];

test.each(cases)("rejects %s", (_name, ws, change, expected) => {
  expect(problems(ws, change)).toContain(expected);
});

test("every checked-in default lifecycle is one S3 accepts", () => {
  expect(() => loadEnvironments()).not.toThrow();
});

test("two workspaces of one account cannot both create the account-wide GitHub OIDC provider", () => {
  const all = inputs();
  all.staging.accountId = all.production.accountId;
  let error: unknown;
  try {
    loadEnvironments(all);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).problems).toEqual([
    `production.security.deploy.createOidcProvider: account 333333333333 already gets the GitHub OIDC provider from staging; set false here, so this workspace trusts the existing provider (IAM has one provider per URL per account; a second create fails with EntityAlreadyExists, ${OIDC_PROVIDER_PER_ACCOUNT_DOC})`,
  ]);
});

describe("the account-wide GitHub OIDC provider across products (accounts are shared between products)", () => {
  test("the checked-in products create it at most once per account", () => {
    expect(crossProductProblems()).toEqual([]);
  });

  test("failing fixture: two products whose workspaces share an account both creating it are refused, naming both", () => {
    const retell = productById("retell");
    const atena = productById("atena");
    const account = (atena.environments.prod as { accountId: string }).accountId;
    const staging = retell.environments.staging as EnvironmentInput & { security: { deploy: Record<string, unknown> } };
    const creating = {
      ...staging,
      accountId: account,
      security: { ...staging.security, deploy: { ...staging.security.deploy, createOidcProvider: true } },
    };
    const problems = crossProductProblems([
      atena,
      { ...retell, environments: { ...retell.environments, staging: creating as EnvironmentInput } },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^retell/staging\\.security\\.deploy\\.createOidcProvider: account ${account} already gets the GitHub OIDC provider from atena/prod; set false here`,
        ),
      ),
    ]);
  });
});

describe("named exemptions (a development-tier environment may skip only what costs money)", () => {
  test("dev names every control it switches off, with its reason", () => {
    const dev = loadEnvironments()[0];
    expect(dev.exemptions.map((e) => e.control).sort()).toEqual([
      "alb-access-logs",
      "alb-https",
      "alb-waf",
      "cloudtrail-cloudwatch-logs",
      "ecs-container-insights",
      "s3-access-logging",
      "vpc-flow-logs",
    ]);
    for (const e of dev.exemptions) expect(e.reason.length).toBeGreaterThan(15);
  });

  test("a control switched off without an exemption is rejected", () => {
    expect(
      problems(
        "dev",
        (e) => (e.exemptions = e.exemptions.filter((x: { control: string }) => x.control !== "vpc-flow-logs")),
      ),
    ).toContain(
      "dev.exemptions: vpc-flow-logs is off (network.flowLogs.enabled): name it in exemptions with the reason (cost) or switch it on",
    );
  });

  test("an exemption for a control that is on is stale and rejected", () => {
    expect(problems("dev", (e) => (e.network.flowLogs.enabled = true))).toContain(
      "dev.exemptions[0].control: vpc-flow-logs is exempted but switched on; drop the exemption",
    );
  });

  test("with the cache disabled (seed 000 §7.3), dev's Redis exemptions are kept for when it returns", () => {
    expect(problems("dev", (e) => (e.cache.enabled = false)).filter((p: string) => p.includes("elasticache"))).toEqual(
      [],
    );
  });

  test("a production-like environment (staging) cannot switch a control off", () => {
    expect(problems("staging", (e) => (e.storage.accessLogging = false))).toContain(
      "staging.exemptions: s3-access-logging is off (storage.accessLogging), but a production-like environment keeps every control; only a development-tier environment may be exempted",
    );
  });

  test("a production-like environment (production) cannot carry exemptions", () => {
    expect(
      problems(
        "production",
        (e) => (e.exemptions = [{ control: "alb-access-logs", reason: "trying to save a few dollars" }]),
      ),
    ).toContain(
      "production.exemptions[0]: a production-like environment keeps every control; only a development-tier environment may be exempted",
    );
  });
});

// Formerly tier.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("strictness is the tier", () => {
  /**
   * Strictness is the environment's `tier`, never its workspace name; each exemptible control is
   * declared once, by the module whose config holds its switch (`<MODULE>_CONTROLS`), and the schema
   * derives the rest from it.
   */
  /** dev's checked-in input under another name and, optionally, another tier. */
  function renamed(workspace: string, change: (env: Mutable) => void = () => undefined): EnvironmentInput {
    const env: Mutable = { ...inputs().dev, workspace };
    change(env);
    return env;
  }

  function problemsOf(input: EnvironmentInput, label: string, controls?: readonly ExemptibleControl[]): string[] {
    try {
      parseEnvironment(input, label, controls ? environmentSchema(controls) : undefined);
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  }

  /** kms-rotation, which declares no switch today, given one that is always off. */
  const withKmsSwitch = (): ExemptibleControl[] => [
    ...EXEMPTIBLE_CONTROLS,
    { id: "kms-rotation", exemptible: { switch: "security.kmsRotation", isOff: () => true } },
  ];
  const kmsExemption = { control: "kms-rotation", reason: "a test control that a new switch turns off" };

  describe("exemptions follow the tier", () => {
    test("a qa environment with tier development may be exempted", () => {
      const qa = parseEnvironment(renamed("qa"), "qa");
      expect(qa.exemptions.map((e) => e.control)).toContain("vpc-flow-logs");
    });

    test("a production-like environment may not be exempted, whatever its name", () => {
      expect(
        problemsOf(
          renamed("sandbox", (e) => (e.tier = "production-like")),
          "sandbox",
        ),
      ).toContain(
        "sandbox.exemptions[0]: a production-like environment keeps every control; only a development-tier environment may be exempted",
      );
    });

    test("a production-like environment may not switch a control off, and is told which switch", () => {
      expect(
        problemsOf(
          renamed("sandbox", (e) => (e.tier = "production-like")),
          "sandbox",
        ),
      ).toContain(
        "sandbox.exemptions: vpc-flow-logs is off (network.flowLogs.enabled), but a production-like environment keeps every control; only a development-tier environment may be exempted",
      );
    });

    test("an exemption of a check that declares no switch is rejected at its field", () => {
      expect(
        problemsOf(
          renamed("qa", (e) => e.exemptions.push(kmsExemption)),
          "qa",
        ),
      ).toContainEqual(
        expect.stringMatching(
          /^qa\.exemptions\[7\]\.control: "kms-rotation" is not an exemptible policy check \(one of .*\bvpc-flow-logs\b.*\)$/,
        ),
      );
    });
  });

  describe("each exemptible control is declared once, on its check", () => {
    test("every exemptible check names its switch, which production keeps on and dev turns off exactly where it is exempted", () => {
      const production = parseEnvironment(inputs().production, "production");
      const dev = parseEnvironment(inputs().dev, "dev");
      for (const c of exemptibleChecks()) {
        const value = c.exemptible.switch
          .split(".")
          .reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], production);
        expect([c.id, value === undefined]).toEqual([c.id, false]);
        expect([c.id, c.exemptible.isOff(production)]).toEqual([c.id, false]);
        expect([c.id, c.exemptible.isOff(dev)]).toEqual([c.id, dev.exemptions.some((e) => e.control === c.id)]);
      }
    });

    test("which controls are off is derived from the checks' switches", () => {
      const dev = parseEnvironment(inputs().dev, "dev");
      expect(disabledControls(dev)).not.toContain("kms-rotation");
      expect(disabledControls(dev, exemptibleChecks(withKmsSwitch()))).toContain("kms-rotation");
    });

    test("declaring a module control is enough for the schema to accept its exemption", () => {
      expect(
        problemsOf(
          renamed("qa", (e) => e.exemptions.push(kmsExemption)),
          "qa",
          withKmsSwitch(),
        ),
      ).toEqual([]);
    });

    test("declaring a module control is enough for the schema to require its exemption when it is off", () => {
      expect(problemsOf(renamed("qa"), "qa", withKmsSwitch())).toEqual([
        "qa.exemptions: kms-rotation is off (security.kmsRotation): name it in exemptions with the reason (cost) or switch it on",
      ]);
    });
  });

  describe("workspace names", () => {
    test("a workspace name that Terraform and the resource names cannot carry is rejected", () => {
      expect(problemsOf(renamed("QA_1"), "QA_1")).toContain(
        "QA_1.workspace: must be 2–10 lowercase letters, digits and dashes, starting with a letter",
      );
    });
  });

  describe("environment_running follows stoppable, by default the tier", () => {
    const rule = (input: EnvironmentInput, label: string) => runningValidation(parseEnvironment(input, label));

    test("dev, staging and production keep the text they shipped with", () => {
      const all = inputs();
      expect(
        [rule(all.dev, "dev"), rule(all.staging, "staging"), rule(all.production, "production")].map(
          (r) => r.condition,
        ),
      ).toEqual([
        'var.environment_running || "dev" != "production"',
        'var.environment_running || "staging" != "production"',
        'var.environment_running || "production" != "production"',
      ]);
    });

    test("a production-like environment cannot be stopped by default, whatever its name", () => {
      const input = { ...inputs().production, workspace: "sandbox" };
      expect(rule(input, "sandbox")).toEqual({
        condition: 'var.environment_running || "sandbox" != "sandbox"',
        errorMessage: "sandbox cannot be stopped: environment_running must stay true",
      });
    });

    test("a development-tier environment may be stopped, whatever its name", () => {
      // The product's production workspace keeps its state in S3 whatever its tier (D146).
      expect(
        rule(
          renamed("production", (e) => (e.state = { bucket: "eduautismo-ia-terraform-state" })),
          "production",
        ).condition,
      ).toBe('var.environment_running || "production" != ""');
    });

    test("a production-like environment with stoppable: true may be stopped", () => {
      const input = { ...inputs().production, workspace: "sandbox", stoppable: true };
      expect(rule(input, "sandbox").condition).toBe('var.environment_running || "sandbox" != "production"');
    });
  });
});

// Formerly knobs.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the runbook knobs: written to tfvars, validated at synth with the text Terraform prints at plan", () => {
  /** The rule context of a checked-in workspace: its name and its tier's strictness. */
  const ctx = (ws: "dev" | "staging" | "production"): RuleContext => ({
    label: ws,
    strict: ENVIRONMENT_INPUTS[ws].tier === "production-like",
  });
  const cacheRules = (ws: "dev" | "staging" | "production") => CACHE_KNOBS.rules(ctx(ws));
  const databaseRules = (ws: "dev" | "staging" | "production") => DATABASE_KNOBS.rules(ctx(ws));

  const { stacks } = synthAll();

  test.each(KNOB_CASES.map((c) => [c.rule, c] as const))("synthesis rejects: %s", (_rule, c) => {
    expect(problems(c.ws, c.config)).toContain(`${c.ws}.${c.path}: ${c.message}`);
  });

  test.each(["dev", "staging", "production"] as const)(
    "every knob rule of %s is a validation block of its root variable",
    (ws) => {
      const rules = [...cacheRules(ws), ...databaseRules(ws)];
      for (const rule of rules) {
        expect(stacks[ws].root.variable[rule.variable].validation).toContainEqual({
          condition: `\${${ruleCondition(rule)}}`,
          error_message: terraformMessage(rule),
        });
      }
    },
  );

  test("the Multi-AZ and 7-day backup rules guard staging and production, not dev", () => {
    for (const ws of ["staging", "production"] as const)
      expect(databaseRules(ws).map((r) => r.variable)).toEqual(
        expect.arrayContaining(["db_multi_az", "db_backup_retention_period"]),
      );
    expect(stacks.dev.root.variable.db_multi_az.validation ?? []).toEqual([]);
    expect(databaseRules("dev").filter((r) => ruleCondition(r).includes(">= 7"))).toEqual([]);
  });

  test("Redis TLS, AUTH, failover and Multi-AZ cannot be switched off in staging or production tfvars", () => {
    const guarded = (ws: "dev" | "staging" | "production") =>
      cacheRules(ws)
        .filter((r) => ruleCondition(r) === `var.${r.variable}`)
        .map((r) => r.variable)
        .sort();
    expect(guarded("staging")).toEqual([
      "redis_auth_enabled",
      "redis_automatic_failover_enabled",
      "redis_multi_az_enabled",
      "redis_transit_encryption_enabled",
    ]);
    expect(guarded("production")).toEqual(guarded("staging"));
    expect(guarded("dev")).toEqual([]);
  });

  describe.each(["dev", "staging", "production"] as const)("tfvars of %s", (ws) => {
    test("hold every cache and database knob (the names seed 000 §8.3–8.4 edits)", () => {
      for (const k of [...Object.keys(CACHE_KNOBS.knobs), ...Object.keys(DATABASE_KNOBS.knobs)])
        expect(stacks[ws].tfvars).toMatch(new RegExp(`\\n${k} = `));
    });

    test("hold no secret", () => {
      expect(stacks[ws].tfvars).not.toMatch(/auth_token|password|secret/i);
    });
  });

  test("dev's tfvars are seed 000 §8.3's fix: one node, no failover, no Multi-AZ", () => {
    const t = stacks.dev.tfvars;
    expect(t).toContain("\nredis_num_cache_nodes = 1\n");
    expect(t).toContain("\nredis_automatic_failover_enabled = false\n");
    expect(t).toContain("\nredis_multi_az_enabled = false\n");
  });
});
