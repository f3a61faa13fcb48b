/**
 * What each module declares once, in its own config.ts, for the readers outside it: the controls a development
 * tier may exempt (environments/schema.ts), which of its resources exist and the locals its switches are made of
 * (the policy gate: tools/policy/presence.ts and inputs.ts, D211, D213). One registry: a module adds a declaration
 * here and every reader has it.
 */
import type { Controls } from "../lib/core/controls";
import type { PresenceTable, Term } from "../lib/core/rules";
import { CACHE_CONTROLS, CACHE_PRESENCE } from "./cache/config";
import { CDN_PRESENCE } from "./cdn/config";
import { COMPUTE_CONTROLS, COMPUTE_LOCALS, COMPUTE_PRESENCE } from "./compute/config";
import { DATABASE_PRESENCE } from "./database/config";
import { MONITORING_PRESENCE } from "./monitoring/config";
import { NETWORK_CONTROLS, NETWORK_LOCALS, NETWORK_PRESENCE } from "./network/config";
import { SECURITY_CONTROLS, SECURITY_PRESENCE } from "./security/config";
import { STORAGE_CONTROLS, STORAGE_PRESENCE } from "./storage/config";

/** A module's declarations; each is optional (a module without exemptible controls declares none). */
export interface ModuleDeclarations {
  /** Controls a development tier may turn off through a named exemption, by policy check id. @default none */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly controls?: Controls<any>;
  /** Which of its resources exist, over its inputs (D211). @default none: every resource exists */
  readonly presence?: PresenceTable;
  /** Locals written from rule-language terms, read by their term (D211, D213). @default none */
  readonly locals?: Readonly<Record<string, Term>>;
}

/** Every module's declarations, by Terraform module name. */
export const MODULE_DECLARATIONS: Readonly<Record<string, ModuleDeclarations>> = {
  cache: { controls: CACHE_CONTROLS, presence: CACHE_PRESENCE },
  cdn: { presence: CDN_PRESENCE },
  compute: { controls: COMPUTE_CONTROLS, presence: COMPUTE_PRESENCE, locals: COMPUTE_LOCALS },
  database: { presence: DATABASE_PRESENCE },
  monitoring: { presence: MONITORING_PRESENCE },
  network: { controls: NETWORK_CONTROLS, presence: NETWORK_PRESENCE, locals: NETWORK_LOCALS },
  security: { controls: SECURITY_CONTROLS, presence: SECURITY_PRESENCE },
  storage: { controls: STORAGE_CONTROLS, presence: STORAGE_PRESENCE },
};
