/**
 * A Terraform module written with cdktf.
 *
 * Each module is its own `TerraformStack` (one per workspace) whose resources are direct
 * children, so a resource's Terraform name is its construct id (`aws_vpc.this`), never a hash.
 * It declares its inputs as `variable` blocks and its results as `output` blocks; the workspace
 * stack calls it with `module "<name>" { source = "./modules/<name>" }` and writes its JSON to
 * `modules/<name>/main.tf.json`. A module stack never synthesizes on its own.
 */
import {
  DefaultTokenResolver,
  Fn,
  StringConcat,
  TerraformDataSource,
  conditional,
  TerraformHclModule,
  TerraformIterator,
  type ListTerraformIterator,
  type MapTerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Tokenization,
  type IResolvable,
  type TerraformElement,
} from "cdktf";
import { Node, type Construct } from "constructs";
import { countedNameFindings, countedNameProblem, unguardedInstanceReads } from "./counted-names";
import { assertUniqueAddresses, elementsOf, stripComments } from "./elements";
import { knobNames, type KnobSet, type KnobSpec, type KnobTokens } from "./knobs";
import { hcl, presenceOf, type Presence, type PresenceTable, type Rule, type Term } from "./rules";
import { expression, presenceToken } from "./tokens";

/**
 * A Terraform `validation` block: the condition is a rule of lib/core/rules.ts (printed as HCL), or an
 * HCL expression (without `${}`) for what the rule language does not express.
 */
export interface VariableValidation {
  readonly condition: string | Rule;
  readonly errorMessage: string;
}

/** The HCL of a validation's condition. */
export const conditionText = (v: VariableValidation): string =>
  typeof v.condition === "string" ? v.condition : hcl(v.condition);

export interface InputSpec {
  /** Terraform type constraint, e.g. `string`, `list(string)`, `bool`. */
  readonly type: string;
  readonly description: string;
  /**
   * Whether the root may pass null (an optional setting left out). Module variables carry no defaults of their
   * own: the root passes every input, from the config that owns the default (one declaration). @default false
   */
  readonly nullable?: boolean;
  /** @default false */
  readonly sensitive?: boolean;
  /** @default none */
  readonly validations?: readonly VariableValidation[];
}

/** The value of a variable as a token of the knob's TypeScript type (`var.<name>`). */
function typedValue(variable: TerraformVariable, type: KnobSpec["type"]): unknown {
  if (type === "number") return variable.numberValue;
  if (type === "bool") return variable.booleanValue;
  return variable.stringValue;
}

/** `${expr}` — an HCL expression embedded in Terraform JSON. */
export function expr(hcl: string): string {
  return "${" + hcl + "}";
}

/**
 * Gives an element a readable Terraform name different from its construct id, so siblings of
 * different types can share one (`aws_vpc.this`, `aws_internet_gateway.this`). Uniqueness per
 * address is still enforced at synthesis.
 */
export function named<T extends TerraformElement>(element: T, logicalId: string): T {
  element.overrideLogicalId(logicalId);
  return element;
}

/**
 * `count = <hcl>` on an element (e.g. `var.enable_waf ? 1 : 0`). A count that may exceed one needs every
 * identity argument (`name`, `alarm_name`, `identifier`, …) to vary with `count.index`, or it throws (D130).
 */
export function counted<T extends TerraformElement>(element: T, count: string | number | IResolvable): T {
  element.addOverride("count", typeof count === "string" ? expr(count) : count);
  return assertNamesVary(element);
}

const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Refuses a resource under count/for_each whose identity arguments are the same for every instance (counted-names.ts). */
function assertNamesVary<T extends TerraformElement>(element: T): T {
  if (!(element instanceof TerraformResource)) return element;
  // Resolved, so a count or a name given as tokens (`conditional(flag, 1, 0)`, `count.index`) reads as its HCL.
  const stack = TerraformStack.of(element);
  const block = (
    Tokenization.resolve(element.toTerraform(), { scope: stack, resolver: TOKEN_RESOLVER }) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    }
  ).resource[element.terraformResourceType][element.friendlyUniqueId];
  // The module's locals are read only for a count that reads one (`local.nat_instance`).
  const readsLocal = typeof block.count === "string" && block.count.includes("local.");
  const problem = countedNameProblem(element.terraformResourceType, block, readsLocal ? localsOf(stack) : {});
  if (problem)
    throw new Error(`${element.node.path} (${element.terraformResourceType}.${element.friendlyUniqueId}): ${problem}`);
  return element;
}

/** The locals of a module stack, resolved, so a local written from tokens (`declaredLocal`) reads as its HCL. */
function localsOf(stack: TerraformStack): Record<string, unknown> {
  const locals: Record<string, unknown> = {};
  for (const c of stack.node.findAll())
    if (c instanceof TerraformLocal)
      Object.assign(locals, Tokenization.resolve(c.toTerraform(), { scope: stack, resolver: TOKEN_RESOLVER }).locals);
  return locals;
}

/** Puts a resource on the aliased aws provider `aws.<alias>` (one of its module's `providerAliases`). */
export function onProvider<T extends TerraformElement>(element: T, alias: string): T {
  element.addOverride("provider", `aws.${alias}`);
  return element;
}

/** `for_each = <hcl>` on an element; every identity argument must vary with `each.key` / `each.value`, or it throws (D130). */
export function forEachOf<T extends TerraformElement>(element: T, hcl: string | IResolvable): T {
  element.addOverride("for_each", typeof hcl === "string" ? expr(hcl) : hcl);
  return assertNamesVary(element);
}

/**
 * `count`/`for_each` of a resource from its module's presence table (rules.ts `Presence`, declared in the module's
 * config.ts, D211), looked up by the resource's address; the policy gate reads the same declaration.
 */
export function present<T extends TerraformResource>(element: T, table: PresenceTable): T {
  const address = `${element.terraformResourceType}.${element.friendlyUniqueId}`;
  const presence = presenceOf(table, element.terraformResourceType, element.friendlyUniqueId);
  if (!presence) throw new Error(`${element.node.path} (${address}) is not in its module's presence table`);
  const token = presenceCount(element, presence);
  return presence.each ? forEachOf(element, token) : counted(element, token);
}

/** The `count`/`for_each` token of a presence in `scope`'s module (for names that need `count.index` first). */
export function presenceCount(scope: Construct, presence: Presence): IResolvable {
  const stack = TerraformStack.of(scope);
  return presenceToken(presence, (name) => moduleName(stack, name, scope));
}

/** The variable `name`, or the local of `local.<name>`, of a module stack, as a token; throws when it has none. */
function moduleName(stack: TerraformStack, name: string, scope: Construct): unknown {
  const local = /^local\.(.+)$/.exec(name);
  const v = stack.node.tryFindChild(local ? local[1] : name);
  if (local && v instanceof TerraformLocal) return v.asAnyMap;
  if (!local && v instanceof TerraformVariable) return v.value;
  throw new Error(`${scope.node.path}: a presence reads ${local ? name : `var.${name}`}, not declared`);
}

/**
 * The `for_each` of each `dynamic "<block>"` of a resource, by its content's `name`, from its module's presence table:
 * `rule ? [1] : []` (D211). A content the table does not declare stops synthesis.
 */
export function blockPresence(
  element: TerraformResource,
  table: PresenceTable,
  block: string,
): (content: string) => IResolvable {
  const presence = presenceOf(table, element.terraformResourceType, element.friendlyUniqueId);
  const stack = TerraformStack.of(element);
  return (content) => {
    const rule = presence && !presence.each ? presence.blocks?.[block]?.[content] : undefined;
    if (!rule) throw new Error(`${element.node.path}: dynamic "${block}" ${content} is not in its presence table`);
    return conditional(
      expression(rule, (n) => moduleName(stack, n, element)),
      [1],
      [],
    );
  };
}

/** A local declared in the module's `<MODULE>_LOCALS` (rules.ts terms), written by cdktf (D211). */
export function declaredLocal(scope: Construct, name: string, term: Term): TerraformLocal {
  const stack = TerraformStack.of(scope);
  return new TerraformLocal(
    scope,
    name,
    expression(term, (n) => moduleName(stack, n, scope)),
  );
}

/**
 * A JSON document (container definitions, an IAM policy) written as `jsonencode(local.<name>)` over a module local in
 * Terraform's JSON syntax (D213). Each value is a literal or one reference, so Terraform keeps its type (a `${var.n}`
 * alone stays a number) and plans the same text `jsonencode({...})` gave; the policy gate reads the local by name
 * (tools/policy/inputs.ts), with no HCL expression to evaluate. A literal string may not hold `${` or `%{`: Terraform
 * would read a template there.
 */
export function jsonDocument(scope: Construct, name: string, value: unknown): string {
  const literal = (v: unknown): void => {
    if (typeof v === "string" && /[$%]\{/.test(v.replace(/\$\{TfToken\[[^\]]*\]\}/g, "")))
      throw new Error(`${scope.node.path}: local.${name} holds a template sequence in a literal: ${v}`);
    if (Array.isArray(v)) v.forEach(literal);
    else if (v && typeof v === "object" && !Tokenization.isResolvable(v)) Object.values(v).forEach(literal);
  };
  literal(value);
  return Fn.jsonencode(new TerraformLocal(scope, name, value).asAnyMap);
}

/**
 * The `for_each` iterator of `<type>.<name>` from its module's presence table (a `TerraformIterator` over the
 * declared list or map), for a resource that reads `each.key` in its arguments (D211).
 */
export function iteratorOf(
  scope: Construct,
  table: PresenceTable,
  type: string,
  name: string,
): ListTerraformIterator | MapTerraformIterator {
  const presence = presenceOf(table, type, name);
  if (!presence?.each) throw new Error(`${scope.node.path}: ${type}.${name} has no for_each in its presence table`);
  const stack = TerraformStack.of(scope);
  const each = expression(presence.each, (n) => moduleName(stack, n, scope));
  return presence.map
    ? TerraformIterator.fromMap(each as Record<string, unknown>)
    : TerraformIterator.fromList(each as string[]);
}

export abstract class ModuleStack extends TerraformStack {
  /** Terraform module name: `module.<moduleName>` and `modules/<moduleName>/`. */
  readonly moduleName: string;
  readonly workspace: string;
  private readonly inputValues: Record<string, unknown> = {};
  private readonly outputNames = new Set<string>();
  private call?: TerraformHclModule;
  private readonly moves: { from: string; to: string }[] = [];

  protected constructor(scope: Construct, workspace: string, moduleName: string) {
    super(scope, `${workspace}-module-${moduleName}`);
    this.moduleName = moduleName;
    this.workspace = workspace;
    // Written by the workspace stack into its own directory; never a CLI stack of its own.
    this.synthesizer = { synthesize: () => undefined };
  }

  /**
   * Declares a module variable and records the value the root passes for it.
   * `value` may be a literal or a token of the workspace stack (a root variable or another
   * module's output); `undefined` leaves the module default in force.
   */
  protected input(name: string, value: unknown, spec: InputSpec): TerraformVariable {
    if (value === undefined)
      throw new Error(
        `module "${this.moduleName}" input "${name}" has no value: the root passes every input (null when it is optional)`,
      );
    if (value === null && !spec.nullable)
      throw new Error(`module "${this.moduleName}" input "${name}" is null but not declared nullable`);
    const variable = new TerraformVariable(this, name, {
      type: spec.type,
      description: spec.description,
      nullable: spec.nullable,
      sensitive: spec.sensitive,
      validation: spec.validations?.map((v) => ({ condition: expr(conditionText(v)), errorMessage: v.errorMessage })),
    });
    this.inputValues[name] = value;
    return variable;
  }

  /**
   * Declares one input per knob of a set (type and description from the set), fed by the root
   * variables' tokens. The rules live on the root variables only: a plan reports each once.
   */
  protected knobInputs<S extends Record<string, KnobSpec>>(set: KnobSet<S>, tokens: KnobTokens<S>): KnobTokens<S> {
    const inside: Record<string, unknown> = {};
    for (const name of knobNames(set)) {
      const spec = set.knobs[name];
      const variable = this.input(name, tokens[name], { type: spec.type, description: spec.description });
      inside[name] = typedValue(variable, spec.type);
    }
    return inside as KnobTokens<S>;
  }

  /** Declares a module output. */
  protected output(name: string, value: unknown, description: string, sensitive = false): TerraformOutput {
    this.outputNames.add(name);
    return named(
      new TerraformOutput(this, `output_${name}`, { value, description, sensitive: sensitive || undefined }),
      name,
    );
  }

  /**
   * Records a rename inside this module (`moved { from = aws_vpc.main, to = aws_vpc.this }`), so
   * Terraform moves the state entry instead of destroying and recreating the resource. Keep it until
   * every workspace has applied it; the address contract test demands one for every vanished address.
   */
  moved(from: string, to: string): void {
    this.moves.push({ from, to });
  }

  /** Values the root passes to this module's variables. */
  get inputs(): Record<string, unknown> {
    return { ...this.inputValues };
  }

  get outputs(): readonly string[] {
    return [...this.outputNames];
  }

  /** Called once by the workspace stack when it adds the `module` block. */
  attach(call: TerraformHclModule): void {
    if (this.call) throw new Error(`module "${this.moduleName}" is already used by workspace ${this.workspace}`);
    this.call = call;
  }

  /** `module.<name>.<output>` as a string token of the workspace stack. */
  ref(output: string): string {
    return this.moduleCall(output).getString(output);
  }

  /** `module.<name>.<output>` as a list token of the workspace stack. */
  refList(output: string): string[] {
    return this.moduleCall(output).getList(output);
  }

  /** `module.<name>.<output>` as a number token of the workspace stack. */
  refNumber(output: string): number {
    return this.moduleCall(output).getNumber(output);
  }

  private moduleCall(output: string): TerraformHclModule {
    if (!this.call)
      throw new Error(`module "${this.moduleName}" is not part of a workspace yet: call workspace.use(module) first`);
    if (!this.outputNames.has(output)) {
      throw new Error(
        `module "${this.moduleName}" has no output "${output}" (it has: ${[...this.outputNames].sort().join(", ")})`,
      );
    }
    return this.call;
  }

  /** Direct children keep their construct id; nested constructs join ids with `_`. No hashes. */
  override allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof Node ? element : element.node;
    const index = node.scopes.indexOf(this);
    return node.scopes
      .slice(index + 1)
      .map((c) => c.node.id)
      .join("_");
  }

  /** Same as the base, minus the implicit local backend a module must not declare. */
  override prepareStack(): void {
    super.prepareStack();
    this.node.tryRemoveChild("backend");
  }

  /** Provider aliases (`aws.<alias>`) this module expects its caller to pass. @default none */
  get providerAliases(): readonly string[] {
    return [];
  }

  /** The module's `main.tf.json`: variables, locals, data, resources, outputs. No provider, no backend. */
  toModuleJson(): Record<string, unknown> {
    assertUniqueAddresses(elementsOf(this), `module "${this.moduleName}"`);
    const tf = this.toTerraform() as Record<string, unknown>;
    delete tf["//"];
    delete tf.provider;
    // Also what no helper saw (a raw count override, a name set after the count): one name for many instances is one resource in AWS (D130).
    const unvaried = countedNameFindings(tf, `module.${this.moduleName}.`).filter((f) => f.problem);
    if (unvaried.length > 0) throw new Error(unvaried.map((f) => `${f.address}: ${f.problem}`).join("\n"));
    const unguarded = unguardedInstanceReads(tf);
    if (unguarded.length > 0)
      throw new Error(unguarded.map((f) => `module "${this.moduleName}": local.${f.local} ${f.problem}`).join("\n"));
    const aws: Record<string, unknown> = { source: "hashicorp/aws" };
    if (this.providerAliases.length > 0) aws.configuration_aliases = this.providerAliases.map((a) => `aws.${a}`);
    const moved = this.moves.length > 0 ? { moved: this.moves.map((m) => ({ ...m })) } : {};
    return { terraform: { required_providers: { aws } }, ...stripComments(tf, ["terraform"]), ...moved };
  }
}

/** The workspace a stack belongs to (module and workspace stacks carry one), if any. */
function workspaceOf(stack: TerraformStack): string | undefined {
  return "workspace" in stack && typeof stack.workspace === "string" ? stack.workspace : undefined;
}

/**
 * The Terraform types one workspace plans: `<type>` of every resource and `data.<type>` of every data
 * source in its root and module stacks (the App's stacks whose `workspace` is `scope`'s). Call it at
 * synthesis time (from a Lazy value), when every module of the workspace exists.
 */
export function workspaceTypes(scope: Construct): string[] {
  const own = workspaceOf(TerraformStack.of(scope));
  const app = Node.of(TerraformStack.of(scope)).scope;
  if (own === undefined || !app) throw new Error("workspaceTypes: scope is not inside a workspace's stack");
  const stacks = Node.of(app).children.filter((c) => c instanceof TerraformStack && workspaceOf(c) === own);
  const types = new Set<string>();
  for (const c of stacks.flatMap((s) => Node.of(s).findAll())) {
    if (c instanceof TerraformResource) types.add(c.terraformResourceType);
    else if (c instanceof TerraformDataSource) types.add(`data.${c.terraformResourceType}`);
  }
  return [...types].sort();
}
