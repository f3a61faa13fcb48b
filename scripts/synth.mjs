#!/usr/bin/env node
/**
 * `npm run synth` and `cdktf synth` (cdktf.json "app"): runs main.ts from its cached esbuild bundle
 * (scripts/run.mjs, the runner of every `npm run` command). Env vars (CDKTF_OUTDIR, …), the exit code
 * and the ConfigError message are main.ts's own. SYNTH_REBUILD=1 forces a rebuild. Started by
 * `cdktf deploy`, `destroy` or `watch`, it refuses (scripts/cdktf-guard.mjs).
 */
import { refuseUnsupportedCdktfCommand } from "./cdktf-guard.mjs";
import { runCommand } from "./run.mjs";

// `cdktf deploy` / `destroy` / `watch` stop here with the supported path (scripts/cdktf-guard.mjs).
refuseUnsupportedCdktfCommand();
await runCommand("synth");
