// ESLint flat config: the recommended JavaScript and typescript-eslint rules (syntax-only, no type
// information, so `npm run lint` stays fast), for the TypeScript sources, tests and scripts.
// Formatting is prettier's job (.prettierrc), not ESLint's.
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");
// Node's globals for the CommonJS scripts (the TypeScript sources get theirs from @types/node).
const globals = Object.fromEntries(
  [
    "require",
    "module",
    "exports",
    "process",
    "__dirname",
    "__filename",
    "console",
    "setTimeout",
    "setInterval",
    "clearInterval",
    "clearTimeout",
    "Buffer",
  ].map((g) => [g, "readonly"]),
);

module.exports = tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", ".demo/", ".pulumi-state/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Production code is typed at its boundaries: zod schemas for inputs and vendors' answers, the AWS
      // SDK's own types, `unknown` where a value is really unknown (tests below may use `any`).
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // The provider shim and lazy sub-commands load modules at run time on purpose (sdk/provider-shim.ts).
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // Layering: the provider runs in Pulumi's provider process and never loads the SDK (which loads
    // @pulumi/pulumi); sdk/index.test.ts checks the same for require() calls.
    files: ["provider/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/sdk", "**/sdk/*"], message: "the provider never imports sdk/" }] }],
    },
  },
  {
    files: ["**/*.test.ts", "**/test-helpers.ts", "tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  { files: ["**/*.js"], languageOptions: { sourceType: "commonjs", globals } },
);
