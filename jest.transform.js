// Transpile-only TypeScript for jest through esbuild (the same compiler tsx uses for synth).
// Type checking happens once, in `npm run typecheck`.
const { transformSync } = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "external",
      sourcefile: filename,
    });
    return { code, map };
  },
};
