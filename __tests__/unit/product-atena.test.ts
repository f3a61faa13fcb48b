/**
 * Atena (seed 002): what its guide asks for — the names its runbook uses, its topology, its settings in SSM Parameter
 * Store (valueFrom, write-only URLs), the outputs it reads, its start/stop cost states — and the config rules it added.
 * What every product satisfies (policy gate, budget, address contract, runbook outputs) is in products.test.ts.
 */
import { loadEnvironments } from "../../environments";
import { ATENA } from "../../environments/atena";
import { formatScenarios, scenarioEstimates } from "../../tools/cost/estimate";
import { GUIDE_RUNBOOKS, productRunbookDoc } from "../../tools/runbooks";
import { byName } from "../../tools/policy/inputs";
import { isKnown } from "../../tools/policy/value";
import { windowOutsideRunningHours } from "../../lib/core/schedule";
import { ALARMS_NEED_RECIPIENTS } from "../../modules/monitoring/config";
import { GEO_RULE_NEEDS_REASON } from "../../modules/security/config";
import { productProblems, type Mutable } from "../helpers/config";
import {
  containerDefs,
  inputs,
  resource,
  resourcesOf,
  synthAll,
  synthProduct,
  type Json,
  type SynthesizedStack,
} from "../helpers/synth";

const { stacks } = synthProduct(ATENA);
const s = stacks.prod;
const [env] = loadEnvironments(ATENA.environments, ATENA);

/** A value written in a module, its names read through the module inputs and the tfvars (nothing evaluated). */
function value(stack: SynthesizedStack, module: string, v: unknown): unknown {
  const r = byName(stack, module, v);
  return isKnown(r) ? r : undefined;
}
const compute = s.modules.compute;
/** The container definitions of a task definition as written (the `jsonencode(local.<name>)` local, D213). */
const definitions = (name: string): Json[] => containerDefs(compute, name);
const logGroup = (name: string) => definitions(name)[0].logConfiguration.options["awslogs-group"];
const secretsOf = (name: string): [string, string][] =>
  definitions(name)[0].secrets.map((x: Json) => [x.name, x.valueFrom]);

/** Problems of Atena's prod file (over its product's defaults) after `change`. */
const problems = (change: (e: Mutable) => void): string[] => productProblems(ATENA, "prod", change);

describe("the guide's resource names (seed 002 runbook)", () => {
  test("the ECS cluster is atena-prod-cluster", () => {
    expect(value(s, "compute", resource(compute, "aws_ecs_cluster", "this").name)).toBe("atena-prod-cluster");
  });

  test("the services are atena-prod-api and atena-prod-workers, and their task families have the same names", () => {
    expect(value(s, "compute", resource(compute, "aws_ecs_service", "api").name)).toBe("atena-prod-api");
    expect(value(s, "compute", resource(compute, "aws_ecs_service", "workers").name)).toBe("atena-prod-workers");
    expect(value(s, "compute", resource(compute, "aws_ecs_task_definition", "api").family)).toBe("atena-prod-api");
    expect(value(s, "compute", resource(compute, "aws_ecs_task_definition", "workers").family)).toBe(
      "atena-prod-workers",
    );
  });

  test("each service logs to its own group /ecs/atena-prod-<service>", () => {
    expect(value(s, "compute", resource(compute, "aws_cloudwatch_log_group", "service_api").name)).toBe(
      "/ecs/atena-prod-api",
    );
    expect(value(s, "compute", resource(compute, "aws_cloudwatch_log_group", "service_workers").name)).toBe(
      "/ecs/atena-prod-workers",
    );
    expect(logGroup("api")).toBe("${aws_cloudwatch_log_group.service_api.name}");
    expect(logGroup("workers")).toBe("${aws_cloudwatch_log_group.service_workers.name}");
  });

  test("the database instance is atena-prod-db", () => {
    expect(value(s, "database", resource(s.modules.database, "aws_db_instance", "postgres").identifier)).toBe(
      "atena-prod-db",
    );
  });

  test("the Redis replication group is atena-prod-redis (its one node is atena-prod-redis-001)", () => {
    expect(
      value(s, "cache", resource(s.modules.cache, "aws_elasticache_replication_group", "redis").replication_group_id),
    ).toBe("atena-prod-redis");
  });

  test("the deploy role rolls out services and runs tasks in atena-prod-cluster", () => {
    const policy = JSON.stringify(
      value(s, "security", resource(s.modules.security, "aws_iam_role_policy", "github_actions").policy),
    );
    expect(policy).toContain(":service/atena-prod-cluster/*");
    expect(policy).toContain(":cluster/atena-prod-cluster");
    expect(policy).not.toContain(":service/atena-prod/*");
  });
});

// Seed 002 "Diagrama de Arquitetura": the diagram's VPC, subnets and one NAT gateway; the API on 3000 behind the ALB.
describe("the guide's topology", () => {
  test("VPC 10.0.0.0/16 with the guide's public and private subnets, one NAT gateway and no database tier", () => {
    expect(s.root.module.network).toMatchObject({
      vpc_cidr: "10.0.0.0/16",
      public_subnets: ["10.0.1.0/24", "10.0.2.0/24"],
      private_subnets: ["10.0.10.0/24", "10.0.20.0/24"],
      database_subnets: [],
      nat_mode: "single",
    });
  });

  test("the ALB forwards to the API on port 3000 with the health check /health; the workers have no target group", () => {
    const tg = resource(compute, "aws_lb_target_group", "api");
    expect([tg.port, tg.health_check.path]).toEqual([3000, "/health"]);
    expect(Object.keys(resourcesOf(compute, "aws_lb_target_group"))).toEqual(["api"]);
    expect(resource(compute, "aws_ecs_service", "workers").load_balancer).toBeUndefined();
  });

  // Seed 002 "Disaster Recovery": 7 days of automatic backups and a final snapshot before any destroy; the backups
  // are taken while the schedule has the database running (D210: RDS backs up only an available instance).
  test("the database keeps the guide's 7 days of backups, taken while it runs, and a final snapshot", () => {
    const db = resource(s.modules.database, "aws_db_instance", "postgres");
    // The final snapshot as the module's input (its planned value is the restore test's, under real Terraform).
    expect([value(s, "database", db.backup_retention_period), value(s, "database", "${var.final_snapshot}")]).toEqual([
      7,
      true,
    ]);
    // The window the instance gets, read by name, falls where the schedule has the database running.
    if (env.schedule)
      expect(windowOutsideRunningHours(env.schedule, String(value(s, "database", db.backup_window)))).toBeUndefined();
  });

  test("the error-count filter watches the API's own log group", () => {
    expect(s.root.module.monitoring.app_log_group_name).toBe("${module.compute.service_log_group_names.api}");
  });

  test("the start/stop toggle may stop prod (stoppable)", () => {
    expect(s.root.variable.environment_running.validation[0].condition).toBe(
      '${var.environment_running || "prod" != "production"}',
    );
  });
});

describe("settings in SSM Parameter Store under /atena/prod/", () => {
  const parameters = resourcesOf(compute, "aws_ssm_parameter");

  test("the operators' parameters are SecureStrings created with CHANGE_ME whose value Terraform never reverts", () => {
    expect(Object.keys(parameters).sort()).toEqual(["admin_token", "claude_api_key", "telegram_bot_token"]);
    for (const p of Object.values(parameters)) {
      expect([p.type, p.value, p.lifecycle.ignore_changes]).toEqual(["SecureString", "CHANGE_ME", ["value"]]);
      expect(String(value(s, "compute", p.name))).toMatch(
        /^\/atena\/prod\/(CLAUDE_API_KEY|ADMIN_TOKEN|TELEGRAM_BOT_TOKEN)$/,
      );
    }
  });

  test("DATABASE_URL holds the application user's URL, written write-only (value_wo), never as value", () => {
    const p = resource(s.modules.database, "aws_ssm_parameter", "database_url");
    expect(value(s, "database", p.name)).toBe("/atena/prod/DATABASE_URL");
    expect(p.value).toBeUndefined();
    expect(p.value_wo.split("?")[0]).toBe(
      "postgresql://${var.app_username}:${terraform_data.app_password.output}@${aws_db_instance.postgres.address}:${aws_db_instance.postgres.port}/${aws_db_instance.postgres.db_name}",
    );
    expect(p.value_wo_version).toBe("${parseint(substr(terraform_data.database_url_version.id, 0, 7), 16)}");
  });

  // node-postgres reads sslmode=require as verify-full against Node's CA list, which lacks the RDS CA: the
  // connection failed on day one (D164). Both URLs verify the server against the bundle the image ships.
  test.each(["database_url", "migrations_database_url"])(
    "%s verifies the server's certificate and name against the RDS CA bundle the image ships",
    (name) => {
      const url = String(resource(s.modules.database, "aws_ssm_parameter", name).value_wo);
      const query = new URLSearchParams(url.slice(url.indexOf("?") + 1));
      expect([...query.keys()].sort()).toEqual(["sslmode", "sslrootcert"]);
      expect(query.get("sslmode")).toBe("verify-full");
      expect(query.get("sslrootcert")).toBe(env.compute.parameterStore?.databaseCaBundle);
    },
  );

  test("DATABASE_URL is rewritten when the password, the user, the endpoint or its TLS parameters change", () => {
    const url = String(resource(s.modules.database, "aws_ssm_parameter", "database_url").value_wo);
    const tls = url.slice(url.indexOf("?") + 1);
    expect(resource(s.modules.database, "terraform_data", "database_url_version").triggers_replace).toBe(
      `\${[var.app_username, terraform_data.app_password.id, aws_db_instance.postgres.address, aws_db_instance.postgres.port, "${tls}"]}`,
    );
  });

  test("a CA bundle path a URL query cannot hold as it is is refused", () => {
    expect(problems((e) => (e.compute.parameterStore.databaseCaBundle = "certs/rds bundle.pem"))).toEqual([
      "prod.compute.parameterStore.databaseCaBundle: an absolute file path of letters, digits, . _ - and /",
    ]);
  });

  test("REDIS_URL carries the AUTH token over TLS, written write-only by the cache module", () => {
    const p = resource(s.modules.cache, "aws_ssm_parameter", "redis_url");
    expect(value(s, "cache", p.name)).toBe("/atena/prod/REDIS_URL");
    expect(p.value).toBeUndefined();
    expect(p.value_wo).toContain(
      '"rediss://:${terraform_data.auth_token.output}@${aws_elasticache_replication_group.redis.primary_endpoint_address}:6379"',
    );
  });

  test("both services get every parameter by valueFrom, referencing the parameter so the task definition waits for it", () => {
    for (const svc of ["api", "workers"]) {
      const refs = secretsOf(svc).filter(([, from]) =>
        /^\$\{(var\.written_parameter_arns\.[A-Z_]+|aws_ssm_parameter\.[a-z_]+\.arn)\}$/.test(from),
      );
      expect(refs).toEqual([
        ["DATABASE_URL", "${var.written_parameter_arns.DATABASE_URL}"],
        ["REDIS_URL", "${var.written_parameter_arns.REDIS_URL}"],
        ["CLAUDE_API_KEY", "${aws_ssm_parameter.claude_api_key.arn}"],
        ["ADMIN_TOKEN", "${aws_ssm_parameter.admin_token.arn}"],
        ["TELEGRAM_BOT_TOKEN", "${aws_ssm_parameter.telegram_bot_token.arn}"],
      ]);
    }
  });

  test("the written parameters' ARNs come from the modules that write them", () => {
    expect(s.root.module.compute.written_parameter_arns).toEqual({
      DATABASE_URL: "${module.database.database_url_parameter_arn}",
      MIGRATIONS_DATABASE_URL: "${module.database.migrations_database_url_parameter_arn}",
      REDIS_URL: "${module.cache.redis_url_parameter_arn}",
    });
  });

  test("REDIS_URL is not also a plain environment variable (the token-bearing parameter wins)", () => {
    expect(definitions("api")[0].environment.map((e: Json) => e.name)).not.toContain("REDIS_URL");
  });

  test("the migrations task gets the master's URL as DATABASE_URL (it owns the schema)", () => {
    expect(secretsOf("migrations")).toContainEqual([
      "DATABASE_URL",
      "${var.written_parameter_arns.MIGRATIONS_DATABASE_URL}",
    ]);
    expect(resource(s.modules.database, "aws_ssm_parameter", "migrations_database_url").value_wo).toContain(
      "${terraform_data.master_password.output}",
    );
  });

  test("the execution role reads only /atena/prod/* and decrypts the data key only through SSM", () => {
    const doc = JSON.parse(String(value(s, "compute", resource(compute, "aws_iam_role_policy", "execution").policy)));
    const read = doc.Statement.find((x: { Sid: string }) => x.Sid === "ReadTaskParameters");
    const decrypt = doc.Statement.find((x: { Sid: string }) => x.Sid === "DecryptTaskParameters");
    expect([read.Action, read.Resource]).toEqual([
      "ssm:GetParameters",
      `arn:aws:ssm:${env.region}:${env.accountId}:parameter/atena/prod/*`,
    ]);
    expect(decrypt.Condition).toEqual({ StringEquals: { "kms:ViaService": `ssm.${env.region}.amazonaws.com` } });
  });

  test("the data key lets account principals use it through SSM", () => {
    const doc = JSON.parse(String(value(s, "security", resource(s.modules.security, "aws_kms_key", "data").policy)));
    const via = doc.Statement.find((x: { Sid: string }) => x.Sid === "AccountUsesKeyThroughServices");
    expect(via.Condition.StringEquals["kms:ViaService"]).toContain(`ssm.${env.region}.amazonaws.com`);
  });

  test("no URL, password or parameter value is in the tfvars or the root module", () => {
    const root = JSON.stringify(s.root);
    for (const text of [s.tfvars, root]) {
      expect(text).not.toMatch(/postgresql:\/\/|rediss:\/\/:|CHANGE_ME|password\s*=/i);
    }
  });
});

describe("root outputs the guide reads", () => {
  test("github_actions_role_arn, alb_dns_name, private_subnet_ids and ecs_security_group_id exist", () => {
    for (const o of ["github_actions_role_arn", "alb_dns_name", "private_subnet_ids", "ecs_security_group_id"])
      expect(s.root.output[o]).toBeDefined();
  });

  test("ecs_service_log_group_names maps each service to its log group", () => {
    expect(s.root.output.ecs_service_log_group_names.value).toBe("${module.compute.service_log_group_names}");
  });

  test("EduAutismo gets no per-service log group output", () => {
    expect(synthAll().stacks.production.root.output.ecs_service_log_group_names).toBeUndefined();
  });
});

describe("the generated runbook (docs/runbooks/atena/prod.md)", () => {
  const doc = productRunbookDoc(ATENA, env, s, GUIDE_RUNBOOKS.atena);

  test("prints the guide's commands with the names Terraform creates", () => {
    for (const line of [
      "aws ecs describe-services --cluster atena-prod-cluster --services atena-prod-api atena-prod-workers",
      "aws logs tail /ecs/atena-prod-api --since 30m --follow",
      "aws logs tail /ecs/atena-prod-workers --since 30m --follow",
      "aws rds describe-db-instances --db-instance-identifier atena-prod-db",
      "aws ssm put-parameter --name /atena/prod/CLAUDE_API_KEY --type SecureString --key-id alias/atena-prod-data",
      "aws ssm get-parameters-by-path --path /atena/prod/ --with-decryption",
    ]) {
      expect(doc).toContain(line);
    }
  });

  test("gives the working equivalents of the guide's target group, Redis and migrations commands", () => {
    expect(doc).toContain('--target-group-arn "$(terraform output -json target_group_arns | jq -r .api)"');
    expect(doc).toContain("--cache-cluster-id atena-prod-redis-001");
    expect(doc).toContain('TASK=$(eval "$(terraform output -raw migrations_run_task_command)")');
    expect(doc).not.toContain("atena-prod-api-tg");
  });
});

describe('cost of the start/stop toggle (seed 002 "Com toggle liga/desliga")', () => {
  test("the cost report prints the three start/stop states, always on > 8 h/day > stopped", () => {
    const sc = scenarioEstimates(env, s);
    expect(sc.map((x) => [x.name, x.runningHours])).toEqual([
      ["always on", 730],
      ["8 h/day", 243],
      ["stopped", 0],
    ]);
    expect(sc[0].estimate.total).toBeGreaterThan(sc[1].estimate.total);
    expect(sc[1].estimate.total).toBeGreaterThan(sc[2].estimate.total);
    expect(formatScenarios(sc)).toMatch(/stopped \(0 h\) +\$\d+\.\d\d$/);
  });

  test("stopped, no task and no NAT gateway hour is billed (only the assumed GB processed remain)", () => {
    const stopped = scenarioEstimates(env, s)[2].estimate;
    // The NAT gateway's address goes with it; the ALB's (one per AZ) stay, as the ALB does (D191).
    expect(stopped.lines.filter((l) => /task\(s\)|^\d+ public IPv4/.test(l.item))).toEqual([]);
    expect(stopped.lines.find((l) => /NAT gateway/.test(l.item))?.usd).toBeCloseTo(env.cost.usage.natGb * 0.045, 5);
  });
});

describe("config rules of the new fields", () => {
  test("a service parameter must be one compute.parameterStore creates", () => {
    expect(problems((e) => e.compute.services[0].parameters.push("OPENAI_KEY"))).toEqual([
      expect.stringMatching(
        /^prod\.compute\.services\[0\]\.parameters\[\d+\]: "OPENAI_KEY" is not a parameter of compute\.parameterStore \(/,
      ),
    ]);
  });

  test("service parameters without compute.parameterStore are refused", () => {
    const dev = inputs().dev as Mutable;
    dev.compute.services[0].parameters = ["DATABASE_URL"];
    expect(() => loadEnvironments({ dev })).toThrow(
      'dev.compute.services[0].parameters[0]: "DATABASE_URL" is not a parameter of compute.parameterStore (none: set compute.parameterStore)',
    );
  });

  test("an operator parameter may not take a name Terraform writes", () => {
    expect(problems((e) => e.compute.parameterStore.manual.push("DATABASE_URL"))).toContain(
      "prod.compute.parameterStore.manual[3]: DATABASE_URL is written by Terraform (parameterStore.databaseUrl / redisUrl), not by an operator",
    );
  });

  test("an operator parameter is listed once", () => {
    expect(problems((e) => e.compute.parameterStore.manual.push("ADMIN_TOKEN"))).toEqual([
      "prod.compute.parameterStore.manual[3]: ADMIN_TOKEN is listed twice",
    ]);
  });

  test("a parameter name is an environment variable name", () => {
    expect(problems((e) => e.compute.parameterStore.manual.push("admin-token"))).toEqual([
      "prod.compute.parameterStore.manual[3]: must be an environment variable name (upper case letters, digits, underscores)",
    ]);
  });

  test("REDIS_URL needs the cache", () => {
    expect(problems((e) => (e.cache.enabled = false))).toContain(
      "prod.compute.parameterStore.redisUrl: needs the cache (cache.enabled): REDIS_URL is written by the cache module",
    );
  });

  test("a variable comes from one source: a parameter or a secret", () => {
    expect(
      problems((e) => {
        e.security.secrets.names = ["admin-token"];
        e.compute.services[0].secrets = ["admin-token"];
      }),
    ).toEqual(["prod.compute.services[0].parameters[3]: ADMIN_TOKEN is also injected from secrets; keep one source"]);
  });

  test("the cluster's name suffix is lowercase letters, digits and dashes", () => {
    expect(problems((e) => (e.compute.clusterNameSuffix = "Cluster"))).toEqual([
      "prod.compute.clusterNameSuffix: must be lowercase letters, digits and dashes",
    ]);
  });

  test("the database identifier's suffix is lowercase letters, digits and dashes", () => {
    expect(problems((e) => (e.database.identifierSuffix = "db_1"))).toEqual([
      "prod.database.identifierSuffix: must be lowercase letters, digits and dashes",
    ]);
  });

  test("a scenario prices at most 744 hours", () => {
    expect(problems((e) => (e.cost.scenarios[0].runningHours = 800))).toEqual([
      "prod.cost.scenarios[0].runningHours: Too big: expected number to be <=744",
    ]);
  });
});

describe("day-one rules Atena's prod broke (issue 21)", () => {
  // prod is a development tier that serves users: a rule keyed on the tier alone let its silent alarm topic through (D163).
  test("its alarms need a recipient although its tier is development", () => {
    expect(env.tier).toBe("development");
    expect(problems((e) => (e.monitoring.alarmEmails = []))).toEqual([
      `prod.monitoring.alarmEmails: ${ALARMS_NEED_RECIPIENTS}`,
    ]);
  });

  test("a waiver next to subscribers is refused (it would outlive its reason)", () => {
    expect(problems((e) => (e.monitoring.unsubscribedReason = "nobody reads these alarms at all"))).toEqual([
      "prod.monitoring.unsubscribedReason: alarmEmails has subscribers: drop unsubscribedReason",
    ]);
  });

  test("the guide's RunTask override names container api: the api and migrations task definitions define it, and the load balancer targets it", () => {
    expect(definitions("api").map((c) => c.name)).toContain("api");
    expect(definitions("migrations").map((c) => c.name)).toContain("api");
    expect(resource(compute, "aws_ecs_service", "api").load_balancer[0].container_name).toBe("api");
  });

  test("a geo allow-list copied without the guide asking for it is refused", () => {
    expect(problems((e) => (e.security.waf.allowedCountries = ["BR"]))).toEqual([
      `prod.security.waf.allowedCountries: ${GEO_RULE_NEEDS_REASON}`,
    ]);
  });
});
