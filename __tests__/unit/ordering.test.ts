/** Creation order AWS needs but no reference implies (tools/policy/ordering.ts), on every workspace of every product. */
import { PRODUCTS } from "../../environments";
import { ORDERING_RULES, orderingViolations } from "../../tools/policy/ordering";
import { productStacks, type SynthesizedStack } from "../helpers/synth";

const all: [string, SynthesizedStack][] = PRODUCTS.flatMap((p) => {
  const { stacks, label } = productStacks(p);
  return Object.entries(stacks).map(([ws, s]) => [label(ws), s] as [string, SynthesizedStack]);
});

/** A workspace that has at least one resource the rule looks at, for the failing fixtures. */
function stackWith(type: string): SynthesizedStack {
  const found = all.find(([, s]) =>
    Object.values(s.modules).some((m) => Object.keys(m.resource?.[type] ?? {}).length > 0),
  );
  if (!found) throw new Error(`no workspace has ${type}`);
  return structuredClone(found[1]);
}

/** Removes every depends_on entry naming `prefix` from each resource of `type`. */
function dropWait(stack: SynthesizedStack, type: string, prefix: string): SynthesizedStack {
  for (const m of Object.values(stack.modules)) {
    for (const body of Object.values<Record<string, unknown>>(m.resource?.[type] ?? {})) {
      if (Array.isArray(body.depends_on))
        body.depends_on = (body.depends_on as string[]).filter((d) => !d.startsWith(prefix));
    }
  }
  return stack;
}

test.each(all)("%s: every resource waits for what AWS needs before it (ordering rules)", (_label, stack) => {
  expect(orderingViolations(stack)).toEqual([]);
});

test("every ordering rule cites an AWS page", () => {
  for (const r of ORDERING_RULES)
    expect(r.sources.every((s) => s.startsWith("https://docs.aws.amazon.com/"))).toBe(true);
});

test("an ECS service that does not wait for the capacity-provider association is refused", () => {
  const stack = dropWait(stackWith("aws_ecs_service"), "aws_ecs_service", "aws_ecs_cluster_capacity_providers");
  expect(orderingViolations(stack).map((v) => v.rule)).toContain("order-ecs-service-capacity-providers");
});

test("a NAT instance that boots before its subnet routes to the internet is refused", () => {
  const stack = dropWait(stackWith("aws_instance"), "aws_instance", "aws_route");
  expect(orderingViolations(stack).map((v) => v.rule)).toContain("order-instance-boot-egress");
});

test("bucket replication that does not wait for the source bucket's versioning is refused", () => {
  const stack = stackWith("aws_s3_bucket_replication_configuration");
  for (const m of Object.values(stack.modules))
    for (const o of Object.values<Record<string, unknown>>(m.output ?? {})) delete o.depends_on;
  const found = orderingViolations(stack).filter((v) => v.rule === "order-replication-after-versioning");
  expect(found.length).toBeGreaterThan(0);
  expect(found[0].message).toMatch(/source bucket's versioning/);
});
