/**
 * Test-run lever (docs/testing.md "Speed"): cdktf records a full stack trace for every token it creates (a debugging
 * aid printed only when a token fails to resolve). Under jest every such trace is formatted through source maps, a
 * fifth of a synthesis's CPU. The tests never read those traces, so this setup file replaces the capture with an empty
 * trace; what is synthesized is unchanged.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };
stackTrace.captureStackTrace = () => [];
