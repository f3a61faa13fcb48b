/**
 * Test-run lever (docs/testing.md "Speed"): cdktf records a full stack trace for every token it creates, a debugging
 * aid printed only when a token fails to resolve. Under jest and tsx every trace is formatted through source maps:
 * a fifth to a third of a synthesis's CPU. The tests never read those traces, so this file replaces the capture with
 * an empty trace; what is synthesized is unchanged. Loaded by jest (setupFiles) in every test file, and by every
 * command a test spawns (the global setup adds it to NODE_OPTIONS).
 */
try {
  const file = require.resolve("cdktf/lib/tokens/private/stack-trace", { paths: [__dirname] });
  require(file).captureStackTrace = () => [];
} catch {
  // cdktf not installed where this runs: nothing to switch off.
}
