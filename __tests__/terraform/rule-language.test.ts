/**
 * The rule language's two back ends agree (lib/core/rules.ts): for every kind, and for every rule the
 * knob sets declare, the JavaScript check (`holds`) and the printed HCL evaluated by Terraform give the
 * same verdict on the same values — including the case where Terraform's lack of short-circuit
 * matters (an unguarded `||` fails in both back ends; `implies` guards it in both).
 *
 * One module per rule (its knobs as variables, `output "ok" = try(<printed HCL>, "error")`), one module
 * call per set of values, one `terraform init` and ONE `terraform console` for all of them.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { APP_SETTINGS } from "../../environments/eduautismo/product";
import type { KnobRule, RuleContext } from "../../lib/core/knobs";
import {
  all,
  any,
  compare,
  evaluate,
  hcl,
  hclString,
  hclTerm,
  holds,
  implies,
  EMPTY_MAP_TERM,
  isTerm,
  isTrue,
  itemAt,
  items,
  join,
  knob,
  lengthOf,
  knobsOf,
  lit,
  lookup,
  matches,
  member,
  not,
  NULL_TERM,
  oneOf,
  range,
  RuleEvaluationError,
  type Literal,
  type Rule,
  type RuleValues,
  times,
  type Term,
  when,
} from "../../lib/core/rules";
import { CACHE_KNOBS } from "../../modules/cache/config";
import { FARGATE_CPUS, IMAGE_KNOBS, serviceKnobs } from "../../modules/compute/config";
import { DATABASE_KNOBS } from "../../modules/database/config";
import { describeTerraform, terraformOk } from "../helpers/terraform";

interface Case {
  readonly name: string;
  readonly rule: Rule | Term;
  readonly values: readonly RuleValues[];
}

const TABLE = { 256: [512, 1024], 512: [1024, 2048] } as const;
/** Values with list inputs (presence terms read lists of AZs, subnets, endpoints): RuleValues holds literals only. */
const lists = (values: Record<string, Literal | readonly Literal[]>[]) => values as unknown as RuleValues[];
const cpuMemory = { cpu: 300, mem: 512 };

/** Hand-made cases: each kind, precedence, and the short-circuit case. */
const KIND_CASES: readonly Case[] = [
  { name: "is-true", rule: isTrue("a"), values: [{ a: true }, { a: false }] },
  {
    name: "range min/max",
    rule: range("n", { min: 1, max: 6 }),
    values: [{ n: 0 }, { n: 1 }, { n: 6 }, { n: 7 }],
  },
  {
    name: "range integer",
    rule: range("n", { min: 0, integer: true }),
    values: [{ n: 1.5 }, { n: 2 }, { n: -1 }],
  },
  { name: "one-of numbers", rule: oneOf("cpu", FARGATE_CPUS), values: [{ cpu: 256 }, { cpu: 300 }] },
  {
    name: "one-of strings (quotes, template sequences)",
    rule: oneOf("s", ["a", 'b"q', "${x}"]),
    values: [{ s: "a" }, { s: 'b"q' }, { s: "${x}" }, { s: "c" }],
  },
  {
    name: "regex with escapes",
    rule: matches("t", "^cache\\.(t3|r7g)\\.[0-9]+xlarge$"),
    values: [{ t: "cache.t3.2xlarge" }, { t: "cachext3.2xlarge" }, { t: "cache.t3.micro" }],
  },
  {
    name: "compare operators",
    rule: all(
      compare("a", "<=", "b"),
      compare("b", "<", 10),
      compare("a", ">=", 0),
      compare("b", ">", "a"),
      compare("a", "!=", 3),
      compare(knob("s"), "==", lit("x")),
    ),
    values: [
      { a: 1, b: 2, s: "x" },
      { a: 3, b: 4, s: "x" },
      { a: 1, b: 2, s: "y" },
      { a: 2, b: 2, s: "x" },
    ],
  },
  {
    name: "member of a table entry with a fallback",
    rule: member("mem", lookup(TABLE, knob("cpu"), [])),
    values: [
      { cpu: 256, mem: 512 },
      { cpu: 256, mem: 2048 },
      { cpu: 300, mem: 512 },
    ],
  },
  {
    name: "short-circuit: an unguarded || fails in both back ends",
    rule: any(not(oneOf("cpu", [256, 512])), member("mem", lookup(TABLE, knob("cpu")))),
    values: [cpuMemory, { cpu: 256, mem: 512 }],
  },
  {
    name: "short-circuit: implies guards the table entry in both back ends",
    rule: implies(oneOf("cpu", [256, 512]), member("mem", lookup(TABLE, knob("cpu")))),
    values: [cpuMemory, { cpu: 256, mem: 512 }, { cpu: 256, mem: 4096 }],
  },
  {
    name: "precedence: not of a conjunction, implies inside and/or",
    rule: any(not(all(isTrue("a"), isTrue("b"))), all(implies(isTrue("a"), isTrue("b")), not(isTrue("c")))),
    values: [
      { a: true, b: true, c: true },
      { a: true, b: true, c: false },
      { a: false, b: true, c: true },
    ],
  },
  {
    name: "nested implies",
    rule: implies(isTrue("a"), implies(isTrue("b"), range("n", { min: 2 }))),
    values: [
      { a: true, b: true, n: 1 },
      { a: true, b: false, n: 1 },
      { a: false, b: true, n: 1 },
      { a: true, b: true, n: 2 },
    ],
  },
  {
    name: "term: a joined table entry (message placeholder)",
    rule: join(", ", lookup(TABLE, knob("cpu"), [])),
    values: [{ cpu: 256 }, { cpu: 300 }],
  },
  // Presence terms (D211): what a resource's count, for_each and a module's switch locals are made of.
  { name: "length", rule: lengthOf("l"), values: lists([{ l: [] }, { l: ["a", "b"] }]) },
  {
    name: "times",
    rule: times("a", "b"),
    values: [
      { a: 2, b: 3 },
      { a: 0, b: 4 },
    ],
  },
  {
    name: "conditional, nested in its else branch",
    rule: when(isTrue("a"), "n", when(isTrue("b"), 2, 3)),
    values: [
      { a: true, b: true, n: 5 },
      { a: false, b: true, n: 5 },
      { a: false, b: false, n: 5 },
    ],
  },
  { name: "list index, out of range fails", rule: itemAt("l", 0), values: lists([{ l: ["x"] }, { l: [] }]) },
  { name: "a list of terms", rule: items(knob("s"), lit("x")), values: [{ s: "y" }] },
  {
    name: "null and the empty map",
    rule: when(isTrue("a"), NULL_TERM, EMPTY_MAP_TERM),
    values: [{ a: true }, { a: false }],
  },
  {
    name: "a count from a comparison of a length",
    rule: when(compare(lengthOf("l"), ">", 0), 1, 0),
    values: lists([{ l: [] }, { l: ["a"] }]),
  },
];

/** Every context-dependent rule on: a production-like, scheduled workspace. */
const strict: RuleContext = { label: "production", strict: true, scheduled: true };
/** Values of the declared rules: a passing and failing vector per knob set. */
const DECLARED_VALUES: Record<string, readonly RuleValues[]> = {
  cache: [
    {
      redis_node_type: "cache.t4g.micro",
      redis_num_cache_nodes: 1,
      redis_automatic_failover_enabled: false,
      redis_multi_az_enabled: false,
      redis_transit_encryption_enabled: true,
      redis_auth_enabled: true,
    },
    {
      redis_node_type: "cache.x1.big",
      redis_num_cache_nodes: 1,
      redis_automatic_failover_enabled: true,
      redis_multi_az_enabled: true,
      redis_transit_encryption_enabled: false,
      redis_auth_enabled: true,
    },
    {
      redis_node_type: "cache.r7g.2xlarge",
      redis_num_cache_nodes: 7,
      redis_automatic_failover_enabled: false,
      redis_multi_az_enabled: true,
      redis_transit_encryption_enabled: true,
      redis_auth_enabled: false,
    },
  ],
  database: [
    {
      db_instance_class: "db.t4g.micro",
      db_allocated_storage: 20,
      db_multi_az: true,
      db_backup_retention_period: 7,
      db_replica_count: 2,
      db_snapshot_identifier: "rds:atena-prod-postgres-2026-12-01-03-10",
      db_final_snapshot_identifier: "",
    },
    {
      db_instance_class: "db.z9.micro",
      db_allocated_storage: 19,
      db_multi_az: false,
      db_backup_retention_period: 0,
      db_replica_count: 6,
      db_snapshot_identifier: "snapshot of monday",
      db_final_snapshot_identifier: "final--copy",
    },
  ],
  compute: [
    {
      app_image_tag: "v1.2.3",
      app_cpu: 1024,
      app_memory: 2048,
      app_desired_count: 2,
      app_min_capacity: 1,
      app_max_capacity: 4,
    },
    {
      app_image_tag: ".bad",
      app_cpu: 300,
      app_memory: 2048,
      app_desired_count: 5,
      app_min_capacity: 1,
      app_max_capacity: 0,
    },
    {
      app_image_tag: "x",
      app_cpu: 256,
      app_memory: 4096,
      app_desired_count: 0,
      app_min_capacity: 1,
      app_max_capacity: 1,
    },
  ],
  app: [
    { bncc_cache_ttl: 3600, nlp_cache_ttl: 0 },
    { bncc_cache_ttl: 1.5, nlp_cache_ttl: 60 },
  ],
};

/** Every declared rule's cases; a knob a rule reads without values in DECLARED_VALUES fails here, by name. */
const declared = (set: string, rules: readonly KnobRule[]): Case[] =>
  rules.flatMap((r, i) => {
    for (const k of [r.must, ...Object.values(r.extras ?? {})].flatMap((t) => knobsOf(t))) {
      const missing = DECLARED_VALUES[set].findIndex((v) => v[k] === undefined);
      if (missing >= 0)
        throw new Error(`DECLARED_VALUES.${set}[${missing}] has no value for ${k}, which ${set} rule ${i} reads`);
    }
    return [
      { name: `${set} rule ${i} (${r.variable})`, rule: r.must, values: DECLARED_VALUES[set] },
      ...Object.entries(r.extras ?? {}).map(([k, term]) => ({
        name: `${set} rule ${i} placeholder ${k}`,
        rule: term,
        values: DECLARED_VALUES[set],
      })),
    ];
  });

const CASES: readonly Case[] = [
  ...KIND_CASES,
  ...declared("cache", CACHE_KNOBS.rules(strict)),
  ...declared("database", DATABASE_KNOBS.rules(strict)),
  ...declared("compute", [...IMAGE_KNOBS.rules(strict), ...serviceKnobs("app").rules(strict)]),
  ...declared("app", APP_SETTINGS.rules(strict)),
];

/** The JavaScript back end's answer, as Terraform's console prints it: the value, or "error". */
function js(c: Case, values: RuleValues): Literal {
  try {
    return isTerm(c.rule) ? (evaluate(c.rule, values) as Literal) : holds(c.rule, values);
  } catch (e) {
    if (e instanceof RuleEvaluationError) return "error";
    throw e;
  }
}

/** A knob's value as HCL; a list (a presence term's input) as a tuple. */
const hclValue = (v: Literal | readonly Literal[]): string =>
  Array.isArray(v) ? `[${v.map(hclValue).join(", ")}]` : typeof v === "string" ? hclString(v) : String(v);
const hclType = (v: Literal | readonly Literal[]): string =>
  Array.isArray(v) ? "list(string)" : typeof v === "string" ? "string" : typeof v === "number" ? "number" : "bool";

/** A root with one module per case and one call per values; returns the call names in order. */
function writeConfiguration(dir: string): { call: string; expected: Literal; what: string }[] {
  const calls: { call: string; expected: Literal; what: string }[] = [];
  const root: string[] = [];
  CASES.forEach((c, i) => {
    const knobs = knobsOf(c.rule);
    const mod = path.join(dir, `rule${i}`);
    fs.mkdirSync(mod);
    const text = isTerm(c.rule) ? hclTerm(c.rule) : hcl(c.rule);
    fs.writeFileSync(
      path.join(mod, "main.tf"),
      [
        ...knobs.map((k) => `variable "${k}" { type = ${hclType(c.values[0][k])} }`),
        `output "ok" { value = try(${text}, "error") }`,
      ].join("\n") + "\n",
    );
    c.values.forEach((values, j) => {
      const call = `c${i}_${j}`;
      root.push(
        `module "${call}" {\n  source = "./rule${i}"\n${knobs.map((k) => `  ${k} = ${hclValue(values[k])}\n`).join("")}}`,
      );
      calls.push({ call, expected: js(c, values), what: `${c.name} on ${JSON.stringify(values)}` });
    });
  });
  fs.writeFileSync(path.join(dir, "main.tf"), root.join("\n") + "\n");
  return calls;
}

describeTerraform("the rule language under real Terraform", () => {
  test("the JavaScript check and the printed HCL agree on every kind and every declared rule", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rules-"));
    try {
      const calls = writeConfiguration(dir);
      terraformOk(dir, ["init", "-input=false", "-backend=false"]);
      const expression = `jsonencode([${calls.map((c) => `module.${c.call}.ok`).join(", ")}])`;
      const out = execFileSync("terraform", ["console"], {
        cwd: dir,
        input: expression + "\n",
        env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", NO_COLOR: "1" },
        encoding: "utf8",
      });
      const line = out.trim().split("\n").pop()!;
      const terraform = JSON.parse(JSON.parse(line)) as Literal[];
      expect(calls.map((c, i) => [c.what, terraform[i]])).toEqual(calls.map((c) => [c.what, c.expected]));
      // The short-circuit cases really exercise both outcomes.
      expect(calls.filter((c) => c.expected === "error").length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
