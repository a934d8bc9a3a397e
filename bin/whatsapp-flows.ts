#!/usr/bin/env node
/**
 * `whatsapp-flows` command: `emulator` runs the local vendor emulator, `validate` checks Flow JSON files,
 * `import` writes a program that brings a whole account's flows under management.
 * Sub-commands are loaded lazily so `validate` stays fast and needs no HTTP stack.
 */
/** The command's help; the vendor lists come from the registry (provider/vendors/registry.ts). */
function usage(): string {
  const { VENDOR_NAMES, VENDORS } = require("../provider/vendors/registry") as typeof import("../provider/vendors/registry");
  const pad = " ".repeat(51);
  return `usage: whatsapp-flows <command> [options]

commands:
  emulator [--port N] [--host H] [--state FILE]   run the local emulator of the vendor APIs (emulator --help):
${pad}${VENDOR_NAMES.map((v) => VENDORS[v].displayName).join(", ")}
  validate [--format text|json] [--target ${VENDOR_NAMES.join("|")}] FILE...
${pad}validate Flow JSON files offline
  import --waba REF --out DIR [--format program|data] [--include-deprecated-report]
${pad}write a program adopting every flow of an account
${pad}(credentials from the environment only: import --help)
`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "emulator":
      return require("../emulator/cli").runEmulatorCli(rest);
    case "validate":
      return require("../provider/validation/cli").runValidateCli(rest);
    case "import":
      return require("../provider/import/cli").runImportCli(rest);
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(usage());
      return 0;
    default:
      process.stderr.write(command ? `unknown command: ${command}\n${usage()}` : usage());
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === "number") process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`whatsapp-flows: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
