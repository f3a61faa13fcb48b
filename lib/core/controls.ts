/**
 * Exemptible controls: the policy checks an environment may switch off (in a development-tier
 * environment, through a named exemption with its reason). Each is declared once, by the module whose
 * config holds the switch (`CACHE_CONTROLS` in modules/cache/config.ts …), keyed by the policy check's
 * id; the environment schema and the policy gate both read those declarations.
 */

/** The config switch that turns a control off, over the part of the environment `E` it reads. */
export interface Exemptible<E = never> {
  /** The config field that switches the control, as an operator writes it (`network.flowLogs.enabled`). */
  readonly switch: string;
  /** Whether the environment has the control off. */
  isOff(env: E): boolean;
  /**
   * Whether what the control protects exists at all (default: always). When it does not (the cache
   * disabled, seed 000 §7.3), the control is not off and an exemption of it is kept for when it returns.
   */
  present?(env: E): boolean;
}

/** A module's exemptible controls, keyed by policy check id. */
export type Controls<E> = Readonly<Record<string, Exemptible<E>>>;

/** Why a production-like environment has no exemptions, in the words of the schema and the gate. */
export const EXEMPTION_TIER_RULE =
  "a production-like environment keeps every control; only a development-tier environment may be exempted";
