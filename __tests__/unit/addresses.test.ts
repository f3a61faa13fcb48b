import { WORKSPACES } from "../../environments";
import { readContract } from "../../scripts/addresses";
import { addresses, movedBlocks, synthAll } from "../helpers/synth";

const { stacks } = synthAll();

describe.each(WORKSPACES)("address contract of %s", (ws) => {
  const now = addresses(stacks[ws]);
  const contract = readContract(ws);

  test("the contract file exists and is not empty", () => {
    expect(contract.length).toBeGreaterThan(0);
  });

  test("every contracted address still exists, or a moved block says where it went", () => {
    const moved = new Set(movedBlocks(stacks[ws]).map((m) => m.from));
    const lost = contract.filter((a) => !now.includes(a) && !moved.has(a));
    expect(lost).toEqual([]);
  });

  test("the contract lists exactly the synthesized addresses (npm run addresses -- --update after a deliberate change)", () => {
    expect(now).toEqual(contract);
  });

  test("addresses are readable: no hash suffixes", () => {
    for (const a of now)
      expect(a).toMatch(/^(module\.[a-z_]+\.)?(data\.)?(aws_[a-z0-9_]+|terraform_data)\.[a-z][a-z0-9_]*$/);
  });
});

test("network, security, storage, cache and database have the same addresses in every workspace", () => {
  const shared = (ws: string) =>
    addresses(stacks[ws]).filter((a) => /^module\.(network|security|storage|cache|database)\./.test(a));
  expect(shared("dev")).toEqual(shared("production"));
  expect(shared("staging")).toEqual(shared("production"));
});

test("compute differs only where config decides structure: the HTTPS listener, request-count and app-metric scaling and the CloudFront-only ALB", () => {
  const compute = (ws: string) => addresses(stacks[ws]).filter((a) => a.startsWith("module.compute."));
  const extra = compute("production").filter((a) => !compute("dev").includes(a));
  expect(extra).toEqual([
    "module.compute.aws_appautoscaling_policy.app_app_metric",
    "module.compute.aws_appautoscaling_policy.app_requests",
    "module.compute.aws_lb_listener.https",
    "module.compute.aws_lb_listener_rule.app",
    "module.compute.terraform_data.origin_verify",
  ]);
});
