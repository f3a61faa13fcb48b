/**
 * Statements of seeds 000/001 that the platform follows to the letter, checked on the synthesized
 * output (what Terraform would receive). Deliberate differences live in docs/decisions.md instead.
 */
import { problems } from "../helpers/config";
import { synthAll, type SynthesizedStack } from "../helpers/synth";

/** A module input as Terraform receives it: the root's module block, a knob read by name from its tfvars value. */
function moduleInput(stack: SynthesizedStack, module: string, name: string): unknown {
  const v = stack.root.module?.[module]?.[name];
  const knob = typeof v === "string" ? /^\$\{var\.(\w+)\}$/.exec(v)?.[1] : undefined;
  return knob ? stack.root.variable?.[knob]?.default : v;
}

const { stacks } = synthAll();

describe("log retention per environment (seed 000 §4.1 dev 7 days, §4.2 staging 30 days, §4.3 production 90 days)", () => {
  test.each([
    ["dev", 7],
    ["staging", 30],
    ["production", 90],
  ])("%s keeps the RDS log groups %i days", (ws, days) => {
    expect(moduleInput(stacks[ws], "database", "log_retention_days")).toBe(days);
  });

  test.each([
    ["dev", 7],
    ["production", 90],
  ])("%s keeps the Redis slow log %i days", (ws, days) => {
    expect(moduleInput(stacks[ws], "cache", "slow_log_retention_days")).toBe(days);
  });

  test.each([
    ["staging", 30],
    ["production", 90],
  ])("%s keeps the WAF log group %i days", (ws, days) => {
    expect(moduleInput(stacks[ws], "security", "waf_log_retention_days")).toBe(days);
  });

  test.each([
    ["staging", 30],
    ["production", 90],
  ])("%s keeps the CloudWatch copy of CloudTrail %i days", (ws, days) => {
    expect(moduleInput(stacks[ws], "security", "cloudtrail_log_retention_days")).toBe(days);
  });
});

describe('TLS 1.3 (seed 001, Segurança: "Criptografia in transit (TLS 1.3)")', () => {
  test("every HTTPS listener offers TLS 1.3 (and 1.2) by default", () => {
    for (const ws of ["staging", "production"]) {
      expect(stacks[ws].modules.compute.resource.aws_lb_listener.https.ssl_policy).toBe("${var.tls_policy}");
      expect(moduleInput(stacks[ws], "compute", "tls_policy")).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    }
  });

  test("a workspace without CloudFront can make its ALB TLS 1.3-only", () => {
    expect(problems("staging", (e) => (e.compute.tlsPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06"))).toEqual([]);
  });

  test("TLS 1.3-only is refused behind CloudFront", () => {
    expect(problems("production", (e) => (e.compute.tlsPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06"))).toContain(
      "production.compute.tlsPolicy: TLS 1.3-only cannot be the ALB's policy behind CloudFront: CloudFront's origin protocol setting offers TLSv1.2 at most; keep ELBSecurityPolicy-TLS13-1-2-2021-06",
    );
  });
});
