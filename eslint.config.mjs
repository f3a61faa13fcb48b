// ESLint (flat config): the recommended JavaScript and typescript-eslint rules over every source file.
// Formatting is Prettier's (.prettierrc.json); `npm run lint` runs both, and `npm test` runs lint first.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** A Terraform reference: `var.x`, `local.x`, `module.x`, `data.aws_x`, `each.key`, `count.index`, `aws_x.y`, `terraform_data.x`. */
const TERRAFORM_REFERENCE = String.raw`/(^|[^\w.:\/-])(var|local|module|each|count|terraform_data)\.[a-z_]|(^|[^\w.:\/-])data\.aws_[a-z0-9_]+\.[a-z_]|(^|[^\w.:\/-])aws_[a-z0-9_]+\.[a-z_]/`;

export default tseslint.config(
  { ignores: ["cdktf.out/", "node_modules/", "coverage/", "bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        __dirname: "readonly",
        require: "readonly",
        module: "writable",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        URL: "readonly",
      },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring that drops a field, required callback parameters).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          caughtErrors: "none",
        },
      ],
    },
  },
  {
    // Modules reach Terraform values through typed tokens (variables' `stringValue`, resources' attributes,
    // cdktf's `Fn`/`conditional`/iterators), never through a reference written inside a string, which no
    // type checker reads (issue 22: `"${var.x}"`, `expr("aws_x.y.id")`). An error: modules have none left, and
    // __tests__/unit/architecture.test.ts ("the lint rule: tokens, not strings") proves the rule still bites.
    files: ["modules/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: `Literal[value=${TERRAFORM_REFERENCE}]`,
          message:
            "Terraform reference inside a string: use the variable's or resource's token (Fn, conditional, propertyAccess).",
        },
        {
          selector: `TemplateElement[value.raw=${TERRAFORM_REFERENCE}]`,
          message:
            "Terraform reference inside a template string: use the variable's or resource's token (Fn, conditional, propertyAccess).",
        },
      ],
    },
  },
  {
    // `npm run <command>` runs a bundle (scripts/run.mjs) whose `__dirname` is node_modules/.cache/run/ and
    // whose entry is not `require.main`: code that runs as a command finds the repository through
    // tools/repo-root.ts (REPO_ROOT, repoPath, isCommand), the one way that holds under tsx, jest and a bundle.
    files: ["**/*.ts"],
    ignores: ["__tests__/**", "tools/repo-root.ts"],
    rules: {
      "no-restricted-globals": [
        "error",
        {
          name: "__dirname",
          message: "A bundle's __dirname is its cache directory: use REPO_ROOT / repoPath (tools/repo-root.ts).",
        },
        {
          name: "__filename",
          message: "A bundle's __filename is the bundle: use REPO_ROOT / repoPath (tools/repo-root.ts).",
        },
      ],
      "no-restricted-properties": [
        "error",
        {
          object: "require",
          property: "main",
          message: "A bundle's entry is not require.main: use isCommand (tools/repo-root.ts).",
        },
        {
          object: "require",
          property: "resolve",
          message:
            "Resolved inside a bundle, a relative path starts at its cache directory: use repoPath (tools/repo-root.ts).",
        },
      ],
    },
  },
  {
    // CommonJS configuration files of jest.
    files: ["**/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
