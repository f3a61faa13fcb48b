/** Two layers: `unit` (seconds, no Terraform) and `terraform` (runs the real binary). */
const common = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": "<rootDir>/jest.transform.js" },
  moduleFileExtensions: ["ts", "js", "json"],
  // cdktf's per-token stack traces, formatted through source maps, cost a fifth of a synthesis (no-stack-traces.js).
  setupFiles: ["<rootDir>/__tests__/helpers/no-stack-traces.js"],
};

module.exports = {
  // Terraform-layer tests run real init/plan; per-project testTimeout is not supported by jest 29.
  testTimeout: 300000,
  // Synthesize the checked-in environments once per run (see __tests__/helpers/global-setup.ts).
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.ts",
  // Removes every temporary directory of the run (KEEP_TEST_TMP=1 keeps them).
  globalTeardown: "<rootDir>/__tests__/helpers/global-teardown.ts",
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/__tests__/unit/**/*.test.ts"] },
    {
      ...common,
      displayName: "terraform",
      testMatch: ["<rootDir>/__tests__/terraform/**/*.test.ts"],
    },
  ],
};
