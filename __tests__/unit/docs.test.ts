import * as fs from "fs";
import * as path from "path";
import { generatedDocs, runbookDoc } from "../../tools/docs";
import {
  EDUAUTISMO,
  environmentSchemaOf,
  loadEnvironments,
  PRODUCTS,
  type EnvironmentConfig,
} from "../../environments";
import {
  owningField,
  readmeWithModuleDocs,
  schemaDefault,
  TF_DOCS_BEGIN,
  TF_DOCS_END,
  type Configuration,
} from "../../tools/module-docs";
import { oneOffTaskProblems } from "../../tools/product-runbook";
import { containerNameOf, type ComputeConfig } from "../../modules/compute/config";
import { moduleGraph, readers } from "../../tools/rollout";
import { haLosses, runbookEdits, type RunbookEdit } from "../helpers/ha-invariants";
import { productStacks, synthAll, type SynthesizedStack } from "../helpers/synth";
import { BENCH_BUDGETS, budgetLine } from "../../tools/bench";
import { builtModules } from "../../environments/built-modules";
import { diagramBlock, modulesInDiagram, workspaceDiagram } from "../../tools/diagram";
import { editBatches, haReach } from "../helpers/edit-batches";

const repo = path.join(__dirname, "..", "..");
const docs = generatedDocs(
  synthAll().stacks,
  PRODUCTS.filter((p) => p !== EDUAUTISMO).map((p) => productStacks(p)),
);

test.each(Object.keys(docs))("%s is current (npm run docs regenerates it)", (file) => {
  const committed = fs.existsSync(path.join(repo, file)) ? fs.readFileSync(path.join(repo, file), "utf8") : "(missing)";
  expect(committed).toBe(docs[file]);
});

test("the production runbook reproduces seed 000 §5.2 with this project's paths", () => {
  const rb = docs["docs/runbooks/production.md"];
  expect(rb).toContain(
    'terraform plan -var-file="environments/production/terraform.tfvars" -target=module.cache -out=tfplan-cache',
  );
  expect(rb).toContain(
    'terraform plan -var-file="environments/production/terraform.tfvars" -target=module.compute -out=tfplan-ecs',
  );
  expect(rb).toContain(
    "aws elasticache describe-replication-groups --replication-group-id eduautismo-ia-production-redis",
  );
  // Only CloudFront reaches the production ALB (D51): the health check goes through CloudFront.
  expect(rb).toContain("https://$(terraform output -raw cloudfront_domain_name)/health   # expect 200");
  expect(rb).toContain("# expect 000 (timeout): only CloudFront reaches the ALB");
});

test("dev's runbook checks health over plain HTTP (no certificate there)", () => {
  expect(docs["docs/runbooks/dev.md"]).toContain("curl -v http://${ALB_DNS}/health");
});

// Module READMEs (modules/<m>/README.md): a hand part, then the generated inputs and outputs between the markers.
const readmes = Object.entries(docs).filter(([f]) => /^modules\/[^/]+\/README\.md$/.test(f));

test("every synthesized module has a README with one generated block below its hand part", () => {
  const modules = new Set(Object.values(synthAll().stacks).flatMap((s) => Object.keys(s.modules)));
  expect([...modules].filter((m) => !docs[`modules/${m}/README.md`])).toEqual([]);
  for (const [file, text] of readmes) {
    expect([file, text.split(TF_DOCS_BEGIN).length, text.split(TF_DOCS_END).length]).toEqual([file, 2, 2]);
    // The hand part: a title and what the module owns, above the markers.
    expect([file, text.startsWith("# "), text.indexOf(TF_DOCS_BEGIN) > 300]).toEqual([file, true, true]);
  }
});

test.each(readmes)(
  "%s: every input of every configuration is listed, with a declared condition when not always present",
  (file, text) => {
    const m = file.split("/")[1];
    const block = text.slice(text.indexOf(TF_DOCS_BEGIN));
    for (const stack of Object.values(synthAll().stacks))
      for (const v of Object.keys(stack.modules[m]?.variable ?? {})) expect(block).toContain(`| \`${v}\` |`);
    // The fallback "in <configurations>" shows only when no declared condition holds (tools/module-conditions.ts).
    expect(block.split("\n").filter((l) => /\| in [^|]+\|$/.test(l))).toEqual([]);
  },
);

test("the generated block replaces only itself: the hand part stays, and regenerating changes nothing", () => {
  const hand = '# module "x"\n\nWhat it owns.\n';
  const block = `${TF_DOCS_BEGIN}\n## Inputs\n${TF_DOCS_END}`;
  const once = readmeWithModuleDocs(hand, block);
  expect(once.startsWith(hand)).toBe(true);
  expect(readmeWithModuleDocs(once, block)).toBe(once);
  expect(readmeWithModuleDocs(once, `${TF_DOCS_BEGIN}\nnew\n${TF_DOCS_END}`)).toBe(
    `${hand}\n${TF_DOCS_BEGIN}\nnew\n${TF_DOCS_END}\n`,
  );
});

test("an input's default is the one of the config field whose value it carries, chosen by name among equal values", () => {
  const config = (env: object) => ({ env }) as unknown as Configuration;
  const passing = [
    config({ cache: { engine: "valkey", other: "valkey" } }),
    config({ cache: { engine: "redis", other: "redis" } }),
  ];
  expect(owningField("engine", "cache", passing, ["valkey", "redis"])).toBe("cache.engine");
  expect(owningField("engine", "cache", passing, ["valkey", "valkey"])).toBeUndefined();
  const schema = environmentSchemaOf(EDUAUTISMO);
  expect(schemaDefault(schema, "cache.engine")).toEqual({ value: "redis" });
  expect(schemaDefault(schema, "cache.engineVersion")).toBe("optional");
  expect(schemaDefault(schema, "accountId")).toBe("required");
});

// EduAutismo's runbooks (docs/runbooks/<ws>.md); another product's are docs/runbooks/<product>/<ws>.md.
const runbooks = Object.entries(docs).filter(([f]) => /^docs\/runbooks\/[^/]+\.md$/.test(f));

test.each(runbooks)("%s: §5.2 and §7.3 select the workspace before the state backup", (_, rb) => {
  for (const marker of ["§5.2", "§7.3"]) {
    const section = rb.split(/^## /m).find((s) => s.includes(`(seed 000 ${marker})`)) as string;
    expect(section.search(/^npm run state -- backup/m)).toBeGreaterThan(section.search(/^terraform workspace select/m));
    expect(section.search(/^terraform workspace select/m)).toBeGreaterThan(-1);
  }
});

test.each(runbooks)(
  "%s: §7.2 restores by pushing, then plans; no cp over terraform.tfstate, no apply -auto-approve",
  (_, rb) => {
    const section = rb.split(/^## /m).find((s) => s.includes("(seed 000 §7.2)")) as string;
    expect(section).toMatch(/^npm run state -- restore state-backups\/\w+\/<backup>\.tfstate$/m);
    expect(section).toMatch(/^terraform state push terraform\.tfstate\.restore$/m);
    expect(section).not.toMatch(/^cp terraform\.tfstate\.backup|^terraform apply -auto-approve/m);
    expect(section.indexOf("terraform plan")).toBeGreaterThan(section.indexOf("npm run state -- restore"));
  },
);

test("§7.3 tells production to lift prevent_destroy with cache.allowDestroy; dev and staging need no such step", () => {
  const section = (ws: string) =>
    docs[`docs/runbooks/${ws}.md`].split(/^## /m).find((s) => s.includes("(seed 000 §7.3)")) as string;
  expect(section("production")).toContain("`cache.allowDestroy = true`");
  expect(section("dev")).not.toContain("allowDestroy");
  expect(section("production")).not.toContain("terraform destroy -var-file");
});

test("§8.4 scales redis_node_type and names the TTL knobs, not the containers' variables", () => {
  const rb = docs["docs/runbooks/production.md"];
  // The example scales to another node type than the configured one, whatever production runs today.
  const scaled = /^redis_node_type = "(cache\.[a-z0-9]+\.[a-z0-9]+)"$/m.exec(rb)?.[1];
  expect(scaled).toBeDefined();
  expect(scaled).not.toBe(loadEnvironments().find((e) => e.workspace === "production")?.cache.nodeType);
  expect(rb).toMatch(/^bncc_cache_ttl = 1800$/m);
  expect(rb).toMatch(/^nlp_cache_ttl = 900$/m);
  expect(rb).not.toMatch(/^BNCC_CACHE_TTL = /m);
});

test("§8.3 prints the validation message Terraform stops the plan with", () => {
  expect(docs["docs/runbooks/dev.md"]).toContain(
    "```text\nError: Invalid value for variable\nautomatic failover needs at least 2 nodes, got 1\n```",
  );
});

test("with the outputs and knobs the other work packages add, the runbook prints their commands", () => {
  const stack = structuredClone(synthAll().stacks.dev);
  for (const o of [
    "ecs_toolbox_run_task_command",
    "db_bootstrap_run_task_command",
    "migrations_run_task_command",
    "app_secret_arns",
  ])
    stack.root.output[o] = { value: "x" };
  stack.root.variable.redis_apply_immediately = { type: "bool", default: false };
  stack.modules.compute.resource.aws_ecs_task_definition.db_bootstrap = {
    container_definitions: '${jsonencode([{ "name" = "db-bootstrap", "essential" = true }])}',
  };
  const rb = runbookDoc(stack);
  expect(rb).toContain(
    'terraform plan -var-file="environments/dev/terraform.tfvars" -target=module.compute.aws_ecs_task_definition.db_bootstrap -target=module.compute.aws_ecs_task_definition.migrations -out=tfplan-compute-tasks',
  );
  expect(rb).toContain(
    `read -rs VALUE && aws secretsmanager put-secret-value --secret-id "$(terraform output -json app_secret_arns | jq -r '."openai-api-key"')" --secret-string "$VALUE"`,
  );
  expect(rb).toContain(
    'TASK=$(eval "$(terraform output -raw db_bootstrap_run_task_command)")   # creates the application\'s database user',
  );
  expect(rb).toContain(
    'aws ecs describe-tasks --cluster eduautismo-ia-dev --tasks "$TASK" --query \'tasks[0].containers[?name==`"db-bootstrap"`].exitCode | [0]\'   # expect 0',
  );
  expect(rb).toContain(
    'aws ecs execute-command --cluster eduautismo-ia-dev --task "$TASK" --container toolbox --interactive --command "/bin/sh"',
  );
  expect(rb).toContain('redis_node_type = "cache.t4g.small"\nredis_apply_immediately = true');
  expect(rb.indexOf("db_bootstrap_run_task_command")).toBeLessThan(rb.indexOf("migrations_run_task_command"));
});

/** Every generated runbook of every product with its synthesized stack. */
const everyRunbook: [string, SynthesizedStack][] = [
  ...Object.entries(synthAll().stacks).map(([ws, st]) => [`docs/runbooks/${ws}.md`, st] as [string, SynthesizedStack]),
  ...PRODUCTS.filter((p) => p !== EDUAUTISMO).flatMap((p) =>
    Object.entries(productStacks(p).stacks).map(
      ([ws, st]) => [`docs/runbooks/${p.id}/${ws}.md`, st] as [string, SynthesizedStack],
    ),
  ),
];
/** Each runbook's workspace compute settings (the container names its exit-code checks name). */
const computeOf: Record<string, ComputeConfig> = Object.fromEntries([
  ...loadEnvironments().map((e) => [`docs/runbooks/${e.workspace}.md`, e.compute]),
  ...PRODUCTS.filter((p) => p !== EDUAUTISMO).flatMap((p) =>
    productStacks(p).envs.map((e) => [`docs/runbooks/${p.id}/${e.workspace}.md`, e.compute]),
  ),
]);

test.each(everyRunbook)(
  "%s: each database task runs to a checked exit (its container by name), after its registration and before the services roll",
  (file) => {
    expect(oneOffTaskProblems(docs[file], (task) => containerNameOf(computeOf[file], task))).toEqual([]);
  },
);

test("the one-off task rule rejects Atena's old first deploy: migrations before registration, no exit code, containers[0]", () => {
  const old = [
    "## First deploy of the application (seed 002 §6)",
    "```bash",
    'TASK=$(eval "$(terraform output -raw db_bootstrap_run_task_command)")',
    'aws ecs wait tasks-stopped --cluster c --tasks "$TASK"',
    'TASK=$(eval "$(terraform output -raw migrations_run_task_command)")',
    'aws ecs wait tasks-stopped --cluster c --tasks "$TASK"',
    "aws ecs describe-tasks --cluster c --tasks \"$TASK\" --query 'tasks[0].containers[0].exitCode'",
    'terraform plan -var-file="environments/prod/terraform.tfvars" -target=module.compute -out=tfplan-ecs',
    "```",
    "",
  ].join("\n");
  const problems = oneOffTaskProblems(old, () => "api");
  expect(problems.join("\n")).toContain("reads containers[0]");
  expect(problems.join("\n")).toContain("db_bootstrap is not waited for and its exit code checked");
  expect(problems.join("\n")).toContain(
    "the migrations run before their task definition is registered with the new image",
  );
});

test.each(everyRunbook.filter(([f]) => /^docs\/runbooks\/[^/]+\.md$/.test(f)))(
  "%s: §5.2 (which also brings Redis back) applies every module that reads the cache, monitoring's alarms included",
  (file, stack) => {
    const section = docs[file].split(/^## /m).find((s) => s.includes("(seed 000 §5.2)")) as string;
    const targets = [...section.matchAll(/^terraform plan .*-target=module\.([a-z_]+) /gm)].map((m) => m[1]);
    const needed = readers(moduleGraph(stack.root), "cache");
    expect(needed).toContain("monitoring");
    expect(needed.filter((m) => !targets.includes(m))).toEqual([]);
    expect(targets.indexOf("cache")).toBeLessThan(Math.min(...needed.map((m) => targets.indexOf(m))));
  },
);

test.each(everyRunbook.filter(([, st]) => st.modules.cache))(
  "%s: the Valkey switch plans the cache with apply_immediately (else the old parameter group's deletion fails)",
  (file) => {
    const section = docs[file]
      .split(/^## /m)
      .find((s) => s.startsWith("Switch an existing Redis OSS group to Valkey")) as string;
    expect(section).toMatch(/^terraform plan .*-var=redis_apply_immediately=true .*-target=module\.cache /m);
    expect(section.indexOf("npm run state -- backup")).toBeLessThan(section.indexOf("terraform plan"));
  },
);

test("runbook edits: §8.3's first edit is read as refused (with the printed error), its fix and §8.4's edits as applied", () => {
  const edits = runbookEdits(docs["docs/runbooks/production.md"]).filter((e) => e.section.includes("§8.3"));
  expect(edits.map((e) => e.refused)).toEqual([true, false]);
  expect(edits[0].error).toEqual([
    "Error: Invalid value for variable",
    "automatic failover needs at least 2 nodes, got 1",
  ]);
});

test("the HA comparison reports a lost node, a lost replica, failover or Multi-AZ turned off and a data store gone; nothing outside the edited modules", () => {
  const rg = "module.cache.aws_elasticache_replication_group.redis";
  const before = {
    [`${rg} nodes`]: 3,
    [`${rg} automatic_failover_enabled`]: true,
    [`${rg} multi_az_enabled`]: true,
    "module.database.aws_db_instance.replica replicas": 2,
    "module.database.aws_db_instance.postgres multi_az": true,
  };
  const after = {
    [`${rg} nodes`]: 2,
    [`${rg} automatic_failover_enabled`]: false,
    [`${rg} multi_az_enabled`]: true,
    "module.database.aws_db_instance.replica replicas": 1,
  };
  expect(haLosses(before, after, ["cache", "database"])).toEqual([
    `${rg} nodes: 3 → 2`,
    `${rg} automatic_failover_enabled: true → false`,
    "module.database.aws_db_instance.replica replicas: 2 → 1",
    "module.database.aws_db_instance.postgres multi_az: true → none",
  ]);
  expect(haLosses(before, after, ["network"])).toEqual([]);
  expect(haLosses(before, { ...before, [`${rg} nodes`]: 4 }, ["cache"])).toEqual([]);
});

// Formerly bench-budgets.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("npm run bench's budgets in the README", () => {
  const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");

  test("the README lists every speed budget npm run bench enforces, with the bench's own limit", () => {
    const listed = readme.split("\n").filter((l) => / ≤ [\d.]+ (CPU-s|×)/.test(l) && l.startsWith("- "));
    expect(listed.map((l) => l.slice(2))).toEqual(BENCH_BUDGETS.map(budgetLine));
  });
});

// Formerly diagram.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the architecture diagrams (tools/diagram.ts)", () => {
  /**
   * The architecture diagrams of the product pages (tools/diagram.ts, D190): drawn from the typed config, they must
   * show every module the workspace's output holds. Reads the run's shared synthesis (global setup) and the parsed
   * environments; nothing is synthesized here. That the committed pages are current is docs.test.ts's check.
   */
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
});

// Formerly edit-batches.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("runbook edits that share one HA plan in the Terraform layer (edit-batches.ts, D214)", () => {
  /**
   * The rule that lets several runbook edits share one plan in the Terraform layer's HA check (edit-batches.ts): an edit
   * that can change a data store's nodes, replicas, Multi-AZ or failover, or a rule another edit's variable also meets,
   * gets a plan of its own; edits that cannot share one. A small stack, no synthesis.
   */
  const stack: SynthesizedStack = {
    workspace: "dev",
    dir: "",
    tfvars: "",
    root: {
      variable: {
        nodes: { type: "number", validation: [{ condition: "${var.nodes >= 1}" }] },
        failover: { type: "bool" },
        node_type: { type: "string" },
        apply_now: { type: "bool", validation: [{ condition: '${var.apply_now || var.node_type != "x"}' }] },
        snapshot: { type: "string" },
        name: { type: "string" },
      },
      module: {
        cache: {
          source: "./modules/cache",
          nodes: "${var.nodes}",
          failover: "${var.failover}",
          node_type: "${var.node_type}",
          apply_now: "${var.apply_now}",
        },
        database: { source: "./modules/database", snapshot: "${var.snapshot}", name: "${var.name}" },
      },
    },
    modules: {
      cache: {
        locals: { node_count: "${var.nodes}" },
        resource: {
          aws_elasticache_replication_group: {
            redis: {
              num_cache_clusters: "${local.node_count}",
              automatic_failover_enabled: "${var.failover}",
              node_type: "${var.node_type}",
              apply_immediately: "${var.apply_now}",
            },
          },
        },
      },
      database: {
        resource: {
          aws_db_instance: {
            primary: { identifier: "${var.name}-db", snapshot_identifier: "${var.snapshot}" },
            replica: { count: 1, replicate_source_db: "${aws_db_instance.primary.identifier}" },
          },
        },
      },
    },
  };

  const edit = (settings: Record<string, string>, refused = false): RunbookEdit => ({
    section: Object.keys(settings).join(","),
    settings,
    refused,
  });

  test("edits that cannot change each other's data stores or rules share one plan", () => {
    const a = edit({ node_type: '"cache.t4g.small"' });
    const b = edit({ snapshot: "snap-1" });
    expect(editBatches(stack, [a, b], ["cache", "database"])).toEqual([[a, b]]);
  });

  test("an edit reaching a data store's nodes through a local is kept apart from another edit that does", () => {
    const a = edit({ nodes: "2" });
    const b = edit({ failover: "true" });
    expect(editBatches(stack, [a, b], ["cache"])).toEqual([[a], [b]]);
  });

  test("edits whose variables one rule reads are kept apart (each passes or fails its rules as alone)", () => {
    const a = edit({ node_type: '"cache.t4g.small"' });
    const b = edit({ apply_now: "true" });
    expect(editBatches(stack, [a, b], ["cache"])).toEqual([[a], [b]]);
  });

  test("a variable a replica's source reads (through the primary's identifier) counts as reaching the replicas", () => {
    const a = edit({ name: "x" });
    const b = edit({ name: "y" });
    const c = edit({ snapshot: "snap-1" });
    // Same variable twice never shares a plan; the snapshot does not reach the replica's source.
    expect(editBatches(stack, [a, b, c], ["database"])).toEqual([[a, c], [b]]);
  });

  test("an edit reaches a data store's HA values only through its HA attributes (D215: only those plans are shown)", () => {
    // The node count (through a local) and the replica's source (through the primary's identifier) reach; the node
    // type, the apply switch and the snapshot do not, so their plans cannot lose a node, a replica or failover.
    expect(haReach(stack, edit({ nodes: "2" }), ["cache", "database"])).toEqual(["cache"]);
    expect(haReach(stack, edit({ name: "x" }), ["cache", "database"])).toEqual(["database"]);
    const others: Record<string, string>[] = [
      { node_type: '"cache.t4g.small"' },
      { apply_now: "true" },
      { snapshot: "snap-1" },
    ];
    for (const settings of others)
      expect({ settings, reach: haReach(stack, edit(settings), ["cache", "database"]) }).toEqual({
        settings,
        reach: [],
      });
  });

  test("a refused edit never shares a plan with an accepted one", () => {
    const a = edit({ nodes: "0" }, true);
    const b = edit({ snapshot: "snap-1" });
    const c = edit({ snapshot: "bad name" }, true);
    expect(editBatches(stack, [a, b, c], ["cache", "database"])).toEqual([[a, c], [b]]);
  });
});
