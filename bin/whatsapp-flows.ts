#!/usr/bin/env node
/**
 * `whatsapp-flows` command: `emulator` runs the local vendor emulator, `validate` checks Flow JSON files,
 * `import` writes a program that brings a whole account's flows under management.
 * Sub-commands are loaded lazily so `validate` stays fast and needs no HTTP stack.
 */
const USAGE = `usage: whatsapp-flows <command> [options]

commands:
  emulator [--port N] [--host H] [--state FILE]   run the local emulator of the four vendor APIs: AWS End User
                                                   Messaging Social, Meta Graph, 360dialog, 8x8 (emulator --help)
  validate [--format text|json] [--target aws|meta|360dialog|8x8] FILE...
                                                   validate Flow JSON files offline
  import --waba REF --out DIR [--format program|data] [--include-deprecated-report]
                                                   write a program adopting every flow of an account
                                                   (credentials from the environment only: import --help)
`;

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
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(command ? `unknown command: ${command}\n${USAGE}` : USAGE);
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
