// Unit tests sit beside the code (`*.test.ts`); end-to-end tests live in tests/e2e and drive the real
// Pulumi CLI in separate processes against the emulator, so they get their own project and timeout.
/** @type {import('jest').Config} */
const tsJest = [
  "ts-jest",
  { tsconfig: { ...require("./tsconfig.json").compilerOptions, sourceMap: true }, diagnostics: { warnOnly: false } },
];
// .ci/run's second toolchain: unit tests load the @pulumi/pulumi installed in WF_PULUMI_SDK_MODULES
// (scripts/ensure-toolchain.sh) instead of ours, as the e2e harness does for programs.
const sdk = process.env.WF_PULUMI_SDK_MODULES && require("path").resolve(process.env.WF_PULUMI_SDK_MODULES, "@pulumi", "pulumi");
const moduleNameMapper = sdk ? { "^@pulumi/pulumi$": sdk, "^@pulumi/pulumi/(.*)$": `${sdk}/$1` } : {};
module.exports = {
  // jest's 5 s default is too tight for the emulator's 10 MB and pagination tests on a busy 2-core
  // machine running two suites at once (a global option in jest 29; e2e files set their own).
  testTimeout: 30_000,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      roots: ["<rootDir>/sdk", "<rootDir>/provider", "<rootDir>/emulator", "<rootDir>/bin"],
      testMatch: ["**/*.test.ts"],
      transform: { "^.+\\.ts$": tsJest },
      moduleNameMapper,
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
