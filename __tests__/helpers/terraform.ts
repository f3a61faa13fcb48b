/** Test-side Terraform helpers; the runner itself lives in tools/terraform.ts. */
import * as fs from "fs";
import { type PlanJson, plannedValues, showPlan, terraformOk, terraformUnavailable } from "../../tools/terraform";
import { identityArguments } from "../../lib/core/counted-names";

export {
  changesOf,
  initializedWorkdir,
  plannedChanges,
  plannedValues,
  planVariables,
  showPlan,
  streamedPlan,
  streamedPlanOk,
  terraform,
  terraformOk,
  terraformUnavailable,
  workdirFrom,
  type PlannedChange,
  type TfResult,
} from "../../tools/terraform";

/**
 * `describe` for the Terraform layer: runs when Terraform and the mirror are present; with CI=true
 * their absence fails the suite instead of skipping it.
 */
export function describeTerraform(name: string, fn: () => void): void {
  const missing = terraformUnavailable();
  if (!missing) return describe(name, fn);
  if (process.env.CI === "true") {
    describe(name, () => {
      test("Terraform and the provider mirror are available (required when CI=true)", () => {
        throw new Error(`Terraform layer cannot run: ${missing}`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${missing})`, fn);
}

type StateJson = {
  serial: number;
  resources: {
    module?: string;
    type: string;
    name: string;
    instances: { index_key?: unknown; attributes: Record<string, unknown>; dependencies: string[] }[];
  }[];
};

/** `module.x.type.name[key]` of every instance in a crafted state, with its attributes. */
export function stateInstances(
  state: StateJson,
): Map<string, { attributes: Record<string, unknown>; dependencies: string[] }> {
  const out = new Map<string, { attributes: Record<string, unknown>; dependencies: string[] }>();
  for (const r of state.resources) {
    for (const inst of r.instances) {
      out.set(
        `${r.module ? r.module + "." : ""}${r.type}.${r.name}${inst.index_key !== undefined ? `[${JSON.stringify(inst.index_key)}]` : ""}`,
        inst,
      );
    }
  }
  return out;
}

/**
 * Settles a crafted state (stateFromPlan) for the resources a targeted plan covers: arguments that
 * were unknown when the state was crafted (null in it) get the values the plan now computes from the
 * placeholders, so a later plan shows what a config change does rather than the placeholders' drift.
 * Writes the state to `stateFile` and returns it.
 */
export function settleState(
  dir: string,
  stateFile: string,
  state: StateJson,
  varArgs: string | readonly string[],
  targets: string[],
): StateJson {
  fs.writeFileSync(stateFile, JSON.stringify(state));
  terraformOk(dir, [
    "plan",
    "-input=false",
    "-refresh=false",
    ...[varArgs].flat(),
    "-out=tfplan-settle",
    ...targets.map((t) => `-target=${t}`),
  ]);
  const plan = showPlan(dir, "tfplan-settle");
  const instances = stateInstances(state);
  for (const c of plan.resource_changes ?? []) {
    const attrs = instances.get(c.address)?.attributes;
    if (!attrs || c.change.actions.join() === "no-op") continue;
    const after = (c.change.after ?? {}) as Record<string, unknown>;
    const unknown = (c.change.after_unknown ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(after)) {
      if (unknown[k] !== true && v !== null && v !== undefined && (attrs[k] === null || attrs[k] === undefined))
        attrs[k] = v;
    }
  }
  state.serial += 1;
  fs.writeFileSync(stateFile, JSON.stringify(state));
  return state;
}

/**
 * Plan invariant (D130): instances of one resource block that a saved plan creates or changes, sharing a
 * planned identity value (`alarm_name`, `name`, `identifier`, … as lib/core/counted-names.ts defines them).
 * AWS would keep one resource under that name; the answer lists `<block> <argument>=<value>` per clash.
 */
export function sharedInstanceNames(plan: PlanJson): string[] {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const [address, after] of plannedValues(plan)) {
    const block = address.replace(/\[[^\]]*\]$/, "");
    if (block === address) continue;
    const type = block.split(".").slice(-2)[0];
    for (const arg of identityArguments(type, after)) {
      const value = after[arg];
      if (typeof value !== "string") continue;
      const key = `${block} ${arg}=${value}`;
      if (seen.has(key)) clashes.push(`${key} (${seen.get(key)} and ${address})`);
      else seen.set(key, address);
    }
  }
  return clashes;
}

/**
 * Changes read from a `plan -json` stream, which names one action per change, with a replacement (`replace`) as a
 * delete and a create, as `terraform show -json` lists it.
 */
export function asShownActions<C extends { actions: string[] }>(changes: C[]): C[] {
  return changes.map((c) => (c.actions.join() === "replace" ? { ...c, actions: ["delete", "create"] } : c));
}

/** The VPC flow logs' KMS key (D58). */
export const FLOW_LOG_KEY = "module.network.aws_kms_key.flow_logs[0]";

/** The arguments of a `-refresh=false` plan that destroys the flow logs' key alone. */
export const destroyFlowLogKey = (varFile: string): string[] => [
  "-destroy",
  "-input=false",
  "-refresh=false",
  varFile,
  `-target=${FLOW_LOG_KEY}`,
  "-out=tfplan-destroy-key",
];
