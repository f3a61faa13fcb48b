/**
 * Retell AI (seed 003) under real Terraform: each workspace's runbook suite (__tests__/helpers/product-suite.ts: init,
 * validate and the runbook's plans as typed, the full plan, the HA edits; it was products.test.ts), and in production
 * the guide's `terraform plan` targeted at compute — both services, their host-header listener rules, the Spot mix.
 *
 * Plan budget: the suite's per workspace; production's compute plan is the runbook's compute line, shown once (it
 * was planned again in a second copy).
 */
import { loadEnvironments } from "../../environments";
import { RETELL } from "../../environments/retell";
import { LARGE_BODY_RULE, SIZE_RESTRICTIONS_BODY } from "../../modules/security/waf";
import { type ProductContext, productSuite } from "../helpers/product-suite";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const env = loadEnvironments(RETELL.environments, RETELL).find((e) => e.workspace === "production")!;

interface Change {
  address: string;
  change: { actions: string[]; after?: Record<string, unknown> };
}

/** Retell's production tests, on the suite's plan of the runbook's compute line (the guide's, shown once). */
function production(ctx: ProductContext): void {
  let changes: Change[] = [];

  beforeAll(() => {
    changes = (ctx.planOf(ctx.planLine(/-target=module\.compute /)).plan.resource_changes ?? []) as unknown as Change[];
  });
  const after = (address: string) => {
    const c = changes.find((x) => x.address === address);
    if (!c) throw new Error(`${address} is not in the plan (has ${changes.length} changes)`);
    return c.change.after ?? {};
  };

  test("plan -target=module.compute creates both services and no CloudFront or monitoring", () => {
    const addresses = changes.filter((c) => c.change.actions.includes("create")).map((c) => c.address);
    expect(addresses).toEqual(
      expect.arrayContaining([
        "module.compute.aws_ecs_service.api",
        "module.compute.aws_ecs_service.web",
        "module.compute.aws_lb.this",
      ]),
    );
    expect(addresses.filter((a) => a.startsWith("module.cdn.") || a.startsWith("module.monitoring."))).toEqual([]);
  });

  test("the listener rules route api.<domain> and app.<domain> by host header", () => {
    expect(after("module.compute.aws_lb_listener_rule.api").condition).toEqual([
      expect.objectContaining({ host_header: [{ values: ["api.retellai-mvp.com"] }] }),
    ]);
    expect(after("module.compute.aws_lb_listener_rule.web").condition).toEqual([
      expect.objectContaining({ host_header: [{ values: ["app.retellai-mvp.com"] }] }),
    ]);
  });

  test("the HTTPS listener answers 404 to other hosts", () => {
    const action = (after("module.compute.aws_lb_listener.https").default_action as Record<string, unknown>[])[0];
    expect(action).toMatchObject({
      type: "fixed-response",
      fixed_response: [expect.objectContaining({ status_code: "404" })],
    });
  });

  test("both services run one on-demand task and split the rest with Fargate Spot", () => {
    for (const svc of ["api", "web"]) {
      const strategy = after(`module.compute.aws_ecs_service.${svc}`).capacity_provider_strategy as Record<
        string,
        unknown
      >[];
      expect(strategy).toEqual(
        expect.arrayContaining([
          { capacity_provider: "FARGATE", base: 1, weight: 1 },
          { capacity_provider: "FARGATE_SPOT", base: null, weight: 3 },
        ]),
      );
    }
  });

  // The common rule set blocks bodies over 8 KB (SizeRestrictions_BODY); call webhooks carry transcripts (D161).
  test("bodies over 8 KB pass the WAF on the webhook paths only: the common rule set counts them and a later rule blocks them elsewhere", () => {
    const rules = after("module.security.aws_wafv2_web_acl.this[0]").rule as Json[];
    const common = rules.find((r) => r.name === "AWSManagedRulesCommonRuleSet");
    expect(common.statement[0].managed_rule_group_statement[0].rule_action_override).toEqual([
      { name: SIZE_RESTRICTIONS_BODY.rule, action_to_use: [expect.objectContaining({ count: [expect.anything()] })] },
    ]);
    const large = rules.find((r) => r.name === LARGE_BODY_RULE);
    // A rule sees a label only when it runs after the rule group that adds it.
    expect(large.priority).toBeGreaterThan(common.priority);
    expect(Object.keys(large.action[0]).filter((k) => (large.action[0][k] ?? []).length > 0)).toEqual(["block"]);
    const [label, not] = large.statement[0].and_statement[0].statement;
    expect(label.label_match_statement[0]).toMatchObject({ scope: "LABEL", key: SIZE_RESTRICTIONS_BODY.label });
    const regex = new RegExp(not.not_statement[0].statement[0].regex_match_statement[0].regex_string);
    const paths = env.security.waf.largeBodyPaths;
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect([p, regex.test(`${p}/call-ended`)]).toEqual([p, true]);
    expect(regex.test("/api/upload")).toBe(false);
  });

  test("the services are named retell-production-api and retell-production-web", () => {
    expect([
      after("module.compute.aws_ecs_service.api").name,
      after("module.compute.aws_ecs_service.web").name,
    ]).toEqual(["retell-production-api", "retell-production-web"]);
  });
}

// The production tests sit in their own describe: their beforeAll runs after the suite's first test (init) has run.
for (const ws of Object.keys(RETELL.environments))
  productSuite(
    RETELL,
    ws,
    ws === "production"
      ? (ctx) => describe("Retell production: the guide's compute plan", () => production(ctx))
      : undefined,
    { computeValues: ws === "production" },
  );
