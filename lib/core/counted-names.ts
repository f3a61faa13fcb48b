/**
 * Names under `count` / `for_each` (issue 21 item 1, D130): AWS identifies most resources by a name the
 * configuration sets (`alarm_name`, `name`, `identifier`, `bucket`, …). When several instances of one
 * resource block set the same name, the API does not refuse the second: `PutMetricAlarm` on an existing
 * name updates that alarm ("Creates or updates an alarm": https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html),
 * so N resource instances make one alarm, the last writer wins and every plan shows drift. The rule: a resource block that may have more than one instance and
 * sets an identity argument must vary it with `count.index` / `each.key` / `each.value`.
 *
 * Read structurally from the Terraform JSON (no HCL evaluation): used where counted resources are made
 * (module-stack.ts `counted` / `forEachOf` and every module's JSON at synthesis) and by the policy gate on
 * every synthesized workspace (apply-checks.ts `counted-names-vary`).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Identity arguments every type may set. */
const ALWAYS = ["name", "name_prefix", "identifier", "identifier_prefix"];
/** Identity arguments of one type only (elsewhere the same argument refers to another resource or is not a name). */
const BY_TYPE: Record<string, readonly string[]> = {
  aws_s3_bucket: ["bucket", "bucket_prefix"],
  aws_ecs_task_definition: ["family"],
};

/**
 * The identity arguments of a resource type: `name`, `name_prefix`, `identifier(_prefix)`, the type's own
 * (`bucket` of aws_s3_bucket, `family` of aws_ecs_task_definition), and `<x>_name` / `<x>_id` where the
 * type ends with `_<x>` (`alarm_name` of aws_cloudwatch_metric_alarm, `replication_group_id` of
 * aws_elasticache_replication_group, `function_name` of aws_lambda_function). `metric_name`,
 * `parameter_group_name` or `s3_bucket_name` name another thing and are not identity arguments.
 */
export function identityArguments(type: string, block: Json): string[] {
  const stem = type.split("_").slice(1).join("_");
  const own = (arg: string) => {
    const m = /^(.+)_(name|id)$/.exec(arg);
    return m !== null && (stem === m[1] || stem.endsWith(`_${m[1]}`));
  };
  return Object.keys(block)
    .filter((arg) => block[arg] !== undefined && block[arg] !== null)
    .filter((arg) => ALWAYS.includes(arg) || (BY_TYPE[type] ?? []).includes(arg) || own(arg));
}

const TOGGLE = /^\$\{\(?[^]*\?\s*1\s*:\s*0\s*\)?\}$/;

/**
 * Whether a `count` may create more than one instance, read from its text: `cond ? 1 : 0`, a literal 0 or 1,
 * or a local defined that way is a switch (at most one); anything else (`var.redis_node_count`) may be several.
 */
export function countMayExceedOne(count: unknown, locals: Json = {}): boolean {
  if (count === 0 || count === 1 || count === "0" || count === "1") return false;
  if (typeof count !== "string") return true;
  if (TOGGLE.test(count)) return false;
  const local = /^\$\{local\.([A-Za-z0-9_-]+)\}$/.exec(count);
  if (local && local[1] in locals) return countMayExceedOne(locals[local[1]]);
  return true;
}

/** Whether a value refers to the instance key (`count.index`, `each.key`, `each.value`). */
const variesPerInstance = (value: unknown, meta: "count" | "for_each") =>
  meta === "count"
    ? /\bcount\.index\b/.test(JSON.stringify(value))
    : /\beach\.(key|value)\b/.test(JSON.stringify(value));

/** The problem of one resource block, or undefined when it has at most one instance or its names vary. */
export function countedNameProblem(type: string, block: Json, locals: Json = {}): string | undefined {
  const meta =
    block.for_each !== undefined
      ? "for_each"
      : block.count !== undefined && countMayExceedOne(block.count, locals)
        ? "count"
        : undefined;
  if (!meta) return undefined;
  const key = meta === "count" ? "count.index" : "each.key or each.value";
  const fixed = identityArguments(type, block).filter((arg) => !variesPerInstance(block[arg], meta));
  return fixed.length === 0
    ? undefined
    : `${fixed.map((a) => `${a} = ${JSON.stringify(block[a])}`).join(", ")} is the same for every instance of its ${meta}: vary it with ${key}, or AWS keeps one resource under that name (D130)`;
}

/** Every resource block of a module's (or root's) JSON that may have several instances: its address and its problem, if any. */
export function countedNameFindings(tf: Json, prefix = ""): { address: string; problem?: string }[] {
  const out: { address: string; problem?: string }[] = [];
  for (const [type, byName] of Object.entries<Json>(tf.resource ?? {})) {
    for (const [name, block] of Object.entries<Json>(byName)) {
      const several =
        block.for_each !== undefined || (block.count !== undefined && countMayExceedOne(block.count, tf.locals ?? {}));
      if (several)
        out.push({ address: `${prefix}${type}.${name}`, problem: countedNameProblem(type, block, tf.locals ?? {}) });
    }
  }
  return out;
}

/** `<type>.<name>[0]`, `<type>.<name>["key"]` or `<type>.<name>.0.`: one fixed instance of a resource (not `[*]`, not a loop's `[az]`). */
const INSTANCE = /\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(?:\d+|\\?"[^"\]]*\\?")\]|\.\d+\.)/g;

/**
 * Locals that read one instance of a counted resource outside a conditional (D213). Terraform evaluates every local
 * of a module whether or not the resource that reads it exists, so `aws_cloudwatch_log_group.flow_logs[0].arn` in a
 * local fails the plan ("Invalid index") wherever the group has `count = 0`: read every instance with a splat
 * (`formatlist("%s:*", x[*].arn)`), or guard the read with the same switch (`cond ? x[0].arn : null`). Read
 * structurally: a local written as one conditional counts as guarded.
 */
export function unguardedInstanceReads(tf: Json): { local: string; problem: string }[] {
  const counted = (type: string, name: string) => {
    const r = tf.resource?.[type]?.[name];
    return r !== undefined && (r.count !== undefined || r.for_each !== undefined);
  };
  const found: { local: string; problem: string }[] = [];
  for (const [local, value] of Object.entries<unknown>(tf.locals ?? {})) {
    if (typeof value === "string" && /^\$\{[^]*\?[^]*:[^]*\}$/.test(value)) continue;
    for (const m of JSON.stringify(value).matchAll(INSTANCE)) {
      if (!counted(m[1], m[2])) continue;
      found.push({
        local,
        problem: `reads ${m[0].replace(/\.$/, "").replace(/\.(\d+)$/, "[$1]")} of a counted resource: Terraform evaluates a local even where ${m[1]}.${m[2]} has no instance, and the plan fails (Invalid index); read ${m[1]}.${m[2]}[*] or guard the read with its switch`,
      });
      break;
    }
  }
  return found;
}
