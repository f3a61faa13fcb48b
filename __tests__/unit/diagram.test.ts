/**
 * The architecture diagrams of the product pages (tools/diagram.ts, D190): drawn from the typed config, they must
 * show every module the workspace's output holds. Reads the run's shared synthesis (global setup) and the parsed
 * environments; nothing is synthesized here. That the committed pages are current is docs.test.ts's check.
 */
import { EDUAUTISMO, loadEnvironments, PRODUCTS, type EnvironmentConfig } from "../../environments";
import { builtModules } from "../../environments/built-modules";
import { diagramBlock, modulesInDiagram, workspaceDiagram } from "../../tools/diagram";
import { productStacks, synthAll, type SynthesizedStack } from "../helpers/synth";

/** Every workspace of every product: its label, parsed config and synthesized stack. */
const workspaces: [string, EnvironmentConfig, SynthesizedStack][] = PRODUCTS.flatMap((p) => {
  if (p === EDUAUTISMO) {
    const { stacks } = synthAll();
    return loadEnvironments().map(
      (e) => [e.workspace, e, stacks[e.workspace]] as [string, EnvironmentConfig, SynthesizedStack],
    );
  }
  const set = productStacks(p);
  return set.envs.map(
    (e) => [set.label(e.workspace), e, set.stacks[e.workspace]] as [string, EnvironmentConfig, SynthesizedStack],
  );
});

/** The module blocks of a workspace root: what its output holds. */
const outputModules = (stack: SynthesizedStack) => Object.keys(stack.root.module ?? {}).sort();

test.each(workspaces)("%s: every module in the output appears in the diagram", (_, env, stack) => {
  const drawn = new Set(modulesInDiagram(workspaceDiagram(env)));
  expect(outputModules(stack).filter((m) => !drawn.has(m))).toEqual([]);
});

test.each(workspaces)("%s: the model's modules are the ones the composition built", (_, env, stack) => {
  expect([...builtModules(env)].sort()).toEqual(outputModules(stack));
});

test.each(workspaces)("%s: the diagram draws no module the output lacks", (_, env, stack) => {
  const out = new Set(outputModules(stack));
  expect(modulesInDiagram(workspaceDiagram(env)).filter((m) => !out.has(m))).toEqual([]);
});

/** Ids a flowchart defines as nodes or subgraphs, and the ids its edges use. */
function ids(diagram: string): { defined: Set<string>; used: string[] } {
  const defined = new Set<string>();
  const used: string[] = [];
  for (const line of diagram.split("\n").map((l) => l.trim())) {
    const sub = /^subgraph ([A-Za-z0-9_]+)\[/.exec(line);
    if (sub) defined.add(sub[1]);
    const node = /^([A-Za-z0-9_]+)[[({]/.exec(line);
    if (node) defined.add(node[1]);
    const edge = /^([A-Za-z0-9_]+) -\.?->(?:\|[^|]*\|)? ([A-Za-z0-9_]+)$/.exec(line);
    if (edge) used.push(edge[1], edge[2]);
  }
  return { defined, used };
}

test.each(workspaces)("%s: a well-formed flowchart: subgraphs closed, every edge between drawn nodes", (_, env) => {
  const d = workspaceDiagram(env);
  const lines = d.split("\n").map((l) => l.trim());
  expect(lines[0]).toBe("flowchart LR");
  expect(lines.filter((l) => l.startsWith("subgraph ")).length).toBe(lines.filter((l) => l === "end").length);
  const { defined, used } = ids(d);
  expect(used.length).toBeGreaterThan(0);
  expect(used.filter((id) => !defined.has(id))).toEqual([]);
  // Quotes inside a label would end it early.
  expect(lines.filter((l) => (l.match(/"/g) ?? []).length % 2 !== 0)).toEqual([]);
});

test("a module the config switches off leaves the picture, and its edges with it", () => {
  const production = loadEnvironments().find((e) => e.workspace === "production")!;
  const without: EnvironmentConfig = {
    ...production,
    cache: { ...production.cache, enabled: false },
    cdn: { ...production.cdn, enabled: false },
    dr: { ...production.dr, enabled: false },
  };
  const d = workspaceDiagram(without);
  for (const m of ["cache", "cdn", "dr"]) expect(modulesInDiagram(d)).not.toContain(m);
  const { defined, used } = ids(d);
  expect(used.filter((id) => !defined.has(id))).toEqual([]);
});

test("without a web service there is no load balancer in the picture and nobody calls in", () => {
  const env = workspaces.find(([, e]) => e.compute.services.length === 0)?.[1];
  expect(env).toBeDefined();
  const d = workspaceDiagram(env!);
  expect(d).not.toMatch(/Load Balancer/);
  expect(d).not.toMatch(/^\s*users\b/m);
});

test("a product page's block holds one mermaid diagram per workspace, between its markers", () => {
  const block = diagramBlock({ envs: loadEnvironments(), label: (ws) => ws });
  expect(block.match(/^```mermaid$/gm)?.length).toBe(loadEnvironments().length);
  expect(block.split("\n")[0]).toMatch(/^<!-- diagram:begin/);
  expect(block.split("\n").at(-1)).toBe("<!-- diagram:end -->");
});
