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
    for (const a of now) expect(a).toMatch(/^(module\.[a-z_]+\.)?(data\.)?(aws_[a-z0-9_]+|terraform_data)\.[a-z][a-z0-9_]*$/);
  });
});

test("resource addresses are identical across workspaces", () => {
  expect(addresses(stacks.dev)).toEqual(addresses(stacks.production));
  expect(addresses(stacks.staging)).toEqual(addresses(stacks.production));
});
