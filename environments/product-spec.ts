/**
 * What a product tells the platform about itself at validation and composition time: its name on
 * dashboards and alarms, the defaults under its environment files, the extra fields of its config
 * sections, its app settings that are tfvars knobs, and its application metrics. The modules stay
 * product-neutral (D94); a product is values.
 */
import type { AppMetricsProps } from "../modules/monitoring/config";
import type { BootstrapInput } from "./bootstrap";
import type { EnvironmentConfig, EnvironmentInput, ProductRules } from "./schema";

/** A partial environment: objects merge into the environment file's, which wins on every value it sets. */
export type Defaults<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: Defaults<T[K]> } : T;

/**
 * A product's environment file: what the product's `defaults` leave to the workspace. Every field may come from
 * the defaults except the workspace's identity; the merged environment is checked by the schema
 * (loadEnvironments), which names every field neither sets.
 */
export type WorkspaceInput = Defaults<EnvironmentInput> & Pick<EnvironmentInput, "workspace" | "tier" | "accountId">;

/** The product's production workspace, sections and app settings are the schema's (ProductRules). */
export interface ProductSpec extends ProductRules {
  /** Product id (lowercase): its output directory `cdktf.out/<id>/stacks/<ws>` unless it is the first product. */
  readonly id: string;
  /** Prefix of dashboards and alarms: `<shortName>-<environment>`. */
  readonly shortName: string;
  /** What every environment of the product has unless its file says otherwise. */
  readonly defaults: Defaults<EnvironmentInput>;
  /** The app's own metrics (filters, alarms, widgets) for an environment. @default none */
  readonly appMetrics?: (env: EnvironmentConfig) => AppMetricsProps | undefined;
  /**
   * Policy checks the product's guide deliberately does not meet, each with the guide's reason (seed 004:
   * tasks with public IPs instead of a NAT gateway). They hold in every environment of the product, a
   * production-like one included, because the guide decides them, not an environment file; the policy report
   * shows them as exempted with the reason. Each must name an existing check (loadEnvironments refuses
   * others). EduAutismo declares none (docs/decisions.md D122). @default none
   */
  readonly policyExemptions?: readonly ProductPolicyExemption[];
}

/** A product-level policy exemption: the check's id and why the product's guide chooses less. */
export interface ProductPolicyExemption {
  readonly control: string;
  /** Why, in a sentence (at least 15 characters). */
  readonly reason: string;
}

/** A product: what the platform needs to validate and compose it, its environments, and where its output goes. */
export interface Product extends ProductSpec {
  /** Human name, for docs and messages. */
  readonly title: string;
  /** The seed guides it implements. */
  readonly guides: readonly string[];
  /** Output under cdktf.out: `""` for `cdktf.out/stacks/<ws>`, `<id>` for `cdktf.out/<id>/stacks/<ws>`. */
  readonly outDir: string;
  /** Folder of its environment files, from the repository root (`environments/<id>` for a new product). */
  readonly sourceDir: string;
  /** Its environment files by workspace, in synthesis order. */
  readonly environments: Readonly<Record<string, WorkspaceInput>>;
  /** Its state bootstrap stack (environments/bootstrap.ts shape). */
  readonly bootstrap: BootstrapInput;
  /**
   * The image tag each workspace deploys: `<sourceDir>/images.json`, written by `npm run image -- set`
   * (environments/deployed-images.ts). A workspace it does not name runs the placeholder tag.
   */
  readonly images: Readonly<Record<string, string>>;
}

/** The environment file over the product's defaults: nested objects merge, anything else is the file's. */
export function withDefaults<T>(defaults: Defaults<T>, input: T): T {
  if (!isPlainObject(defaults) || !isPlainObject(input)) return input === undefined ? (defaults as T) : input;
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(input)) out[k] = k in out ? withDefaults(out[k] as Defaults<unknown>, v) : v;
  return out as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
