/**
 * Compute and CDN under real Terraform: targeted plans and seed 000 §5.2's cache-then-compute rollout.
 */
import { synthAll } from "../helpers/synth";
import { describeTerraform, initializedWorkdir, plannedChanges, terraformOk } from "../helpers/terraform";

describeTerraform("compute and cdn under real Terraform", () => {
  const { stacks } = synthAll();

  test("seed 000 §5.2: -target=module.cache, then -target=module.compute, in production", () => {
    const dir = initializedWorkdir(stacks.production.dir, "production");
    terraformOk(dir, [
      "plan",
      "-input=false",
      "-var-file=environments/production/terraform.tfvars",
      "-target=module.cache",
      "-out=tfplan-cache",
    ]);
    const cacheModules = new Set(plannedChanges(dir, "tfplan-cache").map((c) => c.address.split(".")[1]));
    expect(cacheModules.has("compute")).toBe(false);
    terraformOk(dir, [
      "plan",
      "-input=false",
      "-var-file=environments/production/terraform.tfvars",
      "-target=module.compute",
      "-out=tfplan-ecs",
    ]);
    const ecs = plannedChanges(dir, "tfplan-ecs").map((c) => c.address);
    expect(ecs).toContain("module.compute.aws_ecs_service.app");
    expect(ecs.filter((a) => a.startsWith("module.cdn."))).toEqual([]);
  });

  test("plan -target=module.cdn creates the distribution and its WAF through the us-east-1 alias", () => {
    const dir = initializedWorkdir(stacks.production.dir, "production");
    terraformOk(dir, [
      "plan",
      "-input=false",
      "-var-file=environments/production/terraform.tfvars",
      "-target=module.cdn",
      "-out=tfplan-cdn",
    ]);
    const cdn = plannedChanges(dir, "tfplan-cdn")
      .map((c) => c.address)
      .filter((a) => a.startsWith("module.cdn."));
    expect(cdn).toEqual(
      expect.arrayContaining(["module.cdn.aws_cloudfront_distribution.this", "module.cdn.aws_wafv2_web_acl.this[0]"]),
    );
  });
  // Seed 000 §7.3 (Redis rollback) lives in redis-rollback.test.ts, on a state with real dependencies.
});
