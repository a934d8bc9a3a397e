/**
 * `whatsapp-flows emulator [--port N] [--host H] [--state FILE] [--page-size N] [--meta-token T]
 * [--360dialog-key K] [--8x8-key K] [--oldest-graph-version vNN.N] [--redirect-downloads[=HOST]]
 * [--template-review MS|manual]` (one credential option per dialect that checks one, from
 * CREDENTIAL_OPTIONS): runs the emulator until SIGINT/SIGTERM, then resolves 0.
 * Prints the URL, each account's reference per vendor and the accepted credentials.
 */
import { VENDORS } from "./core/types";
import { startEmulator, type EmulatorCredentials } from "./index";
import { CREDENTIAL_OPTIONS, type CredentialVendor } from "./server";

const CREDENTIAL_VENDORS = Object.keys(CREDENTIAL_OPTIONS) as CredentialVendor[];

const USAGE = `usage: whatsapp-flows emulator [--port N] [--host H] [--state FILE] [--page-size N]
                                ${CREDENTIAL_VENDORS.map((v) => `[${CREDENTIAL_OPTIONS[v].flag} K]`).join(" ")}
                                [--oldest-graph-version vNN.N] [--redirect-downloads[=HOST]]
                                [--template-review MS|manual]
                                [--meta-budget N] [--meta-app-budget N]

  --port N            port to listen on (default 4010; 0 picks a free port)
  --host H            interface to bind (default 127.0.0.1)
  --state FILE        keep flows in FILE across restarts (written on every change)
  --page-size N       page size of AWS / Graph list calls that send none (default 20)
${CREDENTIAL_VENDORS.map((v) => {
  const o = CREDENTIAL_OPTIONS[v];
  return `  ${`${o.flag} K`.padEnd(19)} ${o.what} to accept (repeatable; default ${o.default})`;
}).join("\n")}
  --oldest-graph-version vNN.N
                      oldest Graph version served; older ones are refused like an expired
                      version (default: the oldest Meta still lists as available today)
  --redirect-downloads[=HOST]
                      answer download links with a 302 to another path (with HOST: to that
                      host name on the same port, which refuses credential headers)
  --template-review MS|manual
                      simulated template review: a new or edited template is APPROVED MS ms later
                      (default 0: PENDING in the create answer, APPROVED on the next read);
                      "manual" = only by POST /_emulator/templates/{id}/approve|reject
  --meta-budget N     Graph calls an hour per token and WABA (Meta answers HTTP 400 code 80007 past it; off by default)
  --meta-app-budget N Graph calls an hour per token over all WABAs (HTTP 400 code 4 past it; off by default)

Admin API under /_emulator/ (requests, faults, reset, state, flows/{id}, templates/{id}); see emulator/README.md.
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
  let oldestGraphVersion: string | undefined;
  let redirectDownloads: boolean | { host: string } | undefined;
  let templateReviewMs: number | null | undefined;
  let metaBudget: number | undefined;
  let metaAppBudget: number | undefined;
  const positive = (flag: string, v: string) => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`invalid ${flag} ${v} (calls an hour, at least 1)`);
    return Number(v);
  };
  const creds: { [V in CredentialVendor]?: string[] } = {};
  const addCred = (vendor: CredentialVendor, v: string) => {
    if (v.trim() === "") throw new Error(`${CREDENTIAL_OPTIONS[vendor].flag} must not be empty`);
    (creds[vendor] ??= []).push(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
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
        case "--template-review": {
          const v = value();
          if (v === "manual") templateReviewMs = null;
          else if (/^\d+$/.test(v)) templateReviewMs = Number(v);
          else throw new Error(`invalid --template-review ${v} (milliseconds or "manual")`);
          break;
        }
        case "--meta-budget":
          metaBudget = positive(flag, value());
          break;
        case "--meta-app-budget":
          metaAppBudget = positive(flag, value());
          break;
        case "--redirect-downloads":
          if (inline !== undefined && !/^[A-Za-z0-9.-]+$/.test(inline)) throw new Error(`invalid --redirect-downloads host ${inline}`);
          redirectDownloads = inline === undefined ? true : { host: inline };
          break;
        case "--oldest-graph-version": {
          const v = value();
          if (!/^v\d+\.\d+$/.test(v)) throw new Error(`invalid --oldest-graph-version ${v} (expected vNN.N)`);
          oldestGraphVersion = v;
          break;
        }
        default: {
          const vendor = CREDENTIAL_VENDORS.find((v) => CREDENTIAL_OPTIONS[v].flag === flag);
          if (!vendor) throw new Error(`unknown option ${a}`);
          addCred(vendor, value());
        }
      }
    } catch (e) {
      err(`whatsapp-flows emulator: ${(e as Error).message}\n${USAGE}`);
      return 2;
    }
  }

  const credentials: EmulatorCredentials = creds;
  const emu = await startEmulator({
    port,
    host,
    stateFile,
    defaultPageSize: pageSize,
    credentials,
    oldestGraphVersion,
    redirectDownloads,
    templateReviewMs,
    metaBudget,
    metaAppBudget,
  });
  out(`WhatsApp Flows emulator (${VENDORS.join(", ")}) listening on ${emu.url}\n`);
  out(`  endpoint:  AWS_ENDPOINT_URL_SOCIALMESSAGING=${emu.url}  (Graph: ${emu.url}/v23.0, 360dialog and 8x8: ${emu.url})\n`);
  for (const w of emu.wabas) {
    out(`  WABA ${w.name.padEnd(6)} ${w.id}  (Meta WABA id ${w.metaWabaId})\n`);
    for (const v of VENDORS) if (v !== "aws") out(`       ${v.padEnd(10)} ${emu.accountRef(v, w.name)}\n`);
  }
  const accepted = CREDENTIAL_VENDORS.map(
    (v) => `${CREDENTIAL_OPTIONS[v].label} ${(creds[v] ?? [CREDENTIAL_OPTIONS[v].default]).join(", ")}`,
  );
  out(`  credentials: ${accepted.join("; ")}\n`);
  if (stateFile) out(`  state:     ${stateFile}\n`);
  if (metaBudget !== undefined)
    out(`  budget:    Meta ${metaBudget} calls an hour per token and WABA (admin clock: POST ${emu.url}/_emulator/clock)\n`);
  if (metaAppBudget !== undefined) out(`  budget:    Meta app ${metaAppBudget} calls an hour per token\n`);
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
