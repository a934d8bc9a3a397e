// Unit tests sit beside the code (`*.test.ts`); end-to-end tests live in tests/e2e and drive the real
// Pulumi CLI in separate processes against the emulator, so they get their own project and timeout.
/** @type {import('jest').Config} */
const tsJest = ["ts-jest", { tsconfig: { ...require("./tsconfig.json").compilerOptions, sourceMap: true }, diagnostics: { warnOnly: false } }];
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      roots: ["<rootDir>/sdk", "<rootDir>/provider", "<rootDir>/emulator", "<rootDir>/bin"],
      testMatch: ["**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      modulePathIgnorePatterns: ["<rootDir>/dist/"],
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      roots: ["<rootDir>/tests/e2e"],
      testMatch: ["**/*.e2e.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      modulePathIgnorePatterns: ["<rootDir>/dist/"],
      setupFilesAfterEnv: ["<rootDir>/tests/e2e/setup.ts"],
    },
  ],
};
