/**
 * `whatsapp-flows emulator [--port N] [--host H] [--state FILE] [--page-size N]`: runs the emulator
 * until SIGINT/SIGTERM, then resolves 0. Prints the URL and the linked WABA ids.
 */
import { startEmulator } from "./index";

const USAGE = `usage: whatsapp-flows emulator [--port N] [--host H] [--state FILE] [--page-size N]

  --port N       port to listen on (default 4010; 0 picks a free port)
  --host H       interface to bind (default 127.0.0.1)
  --state FILE   keep flows in FILE across restarts (written on every change)
  --page-size N  page size of list calls that send no maxResults (default 20)

Admin API under /_emulator/ (requests, faults, reset, state, flows/{id}); see emulator/README.md.
`;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Resolves when the process should stop (default: first SIGINT or SIGTERM). */
  stopSignal?: Promise<unknown>;
}

export async function runEmulatorCli(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const out = io?.out ?? ((s: string) => process.stdout.write(s));
  const err = io?.err ?? ((s: string) => process.stderr.write(s));
  let port = 4010;
  let host = "127.0.0.1";
  let stateFile: string | undefined;
  let pageSize: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    try {
      switch (flag) {
        case "-h":
        case "--help":
          out(USAGE);
          return 0;
        case "--port": {
          const v = value();
          if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`invalid --port ${v}`);
          port = Number(v);
          break;
        }
        case "--host":
          host = value();
          break;
        case "--state":
          stateFile = value();
          break;
        case "--page-size": {
          const v = value();
          if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 100) throw new Error(`invalid --page-size ${v}`);
          pageSize = Number(v);
          break;
        }
        default:
          throw new Error(`unknown option ${a}`);
      }
    } catch (e) {
      err(`whatsapp-flows emulator: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
  }

  const emu = await startEmulator({ port, host, stateFile, defaultPageSize: pageSize });
  out(`WhatsApp Flows emulator (AWS End User Messaging Social) listening on ${emu.url}\n`);
  out(`  endpoint:  AWS_ENDPOINT_URL_SOCIALMESSAGING=${emu.url}\n`);
  for (const w of emu.wabas) out(`  WABA ${w.name.padEnd(6)} ${w.id}  (Meta WABA id ${w.metaWabaId})\n`);
  if (stateFile) out(`  state:     ${stateFile}\n`);
  out(`  admin:     ${emu.url}/_emulator/state\n`);

  const stop =
    io?.stopSignal ??
    new Promise<string>((resolve) => {
      const onSignal = (sig: NodeJS.Signals) => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        resolve(sig);
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    });
  await stop;
  await emu.close();
  out("emulator stopped\n");
  return 0;
}
