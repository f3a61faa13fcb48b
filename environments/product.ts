/**
 * EduAutismo IA as a product of the platform: what only this product knows, given to the neutral
 * modules as values. Today: the app's cache TTL settings (seed 000 §3.2), knobs an operator may
 * shorten in tfvars during an incident (§8.4), passed to the containers as BNCC_CACHE_TTL and
 * NLP_CACHE_TTL. Their config fields sit in the `cache` section (`cache.bnccCacheTtl`).
 */
import { defineKnobs, type KnobRule } from "../lib/core/knobs";

/** Names the product gives its resources: the dashboard `eduautismo-<env>`, alarms `eduautismo-<env>-…`. */
export const PRODUCT = { shortName: "eduautismo" } as const;

const ttlRule = (variable: "bncc_cache_ttl" | "nlp_cache_ttl"): KnobRule<typeof variable> => ({
  variable,
  ok: (v) => Number.isInteger(v[variable]) && Number(v[variable]) > 0,
  condition: `var.${variable} > 0 && floor(var.${variable}) == var.${variable}`,
  message: `a TTL must be a positive whole number of seconds, got {${variable}}`,
});

/** App settings that are knobs: each becomes the container variable of its name in upper case. */
export const APP_SETTINGS = defineKnobs(
  {
    bncc_cache_ttl: { type: "number", field: "bnccCacheTtl", default: 3600, description: "BNCC_CACHE_TTL for the app, seconds (seed 000 §3.2)." },
    nlp_cache_ttl: { type: "number", field: "nlpCacheTtl", default: 1800, description: "NLP_CACHE_TTL for the app, seconds (seed 000 §3.2)." },
  },
  () => [ttlRule("bncc_cache_ttl"), ttlRule("nlp_cache_ttl")],
);
