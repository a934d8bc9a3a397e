/**
 * `whatsapp-flows import --waba <account reference> --out DIR [--format program|data] [--include-deprecated-report] [--force]`
 * Exit code: 0 imported, 1 the import failed midway (re-run to resume), 2 usage or bad input (nothing written).
 */
import { ACCOUNT_FORMATS, VENDOR_NAMES, VENDORS, type SettingSpec } from "../vendors/registry";
import { ImportFailedError, ImportInputError, runImport, type ImportIo, type ImportOptions } from "./run";

const INDENT = " ".repeat(31);

/** Each HTTP vendor's credential variable and its other settings' variables, from the registry. */
function credentialLines(): string {
  return VENDOR_NAMES.flatMap((v) => {
    const settings: Record<string, SettingSpec> = VENDORS[v].settings;
    const credential = settings.credential?.env[0];
    if (!credential) return [];
    const others = Object.entries(settings)
      .filter(([role, spec]) => role !== "credential" && spec.env.length > 0)
      .map(([role, spec]) => `${role === "baseUrl" ? "base URL" : role}: ${spec.env[0]}`);
    return [`  ${v.padEnd(11)} ${credential.padEnd(34)} (${others.join(", ")})`];
  }).join("\n");
}

export const IMPORT_USAGE = `usage: whatsapp-flows import --waba <account reference> --out DIR [options]

Brings every flow of one WhatsApp Business Account under management: lists the flows, downloads each
Flow JSON into DIR/flows/, and writes a ready-to-run Pulumi program in DIR that adopts them all
(adoptFlowId), so the first \`pulumi up\` changes nothing. The message templates whose FLOW button
opens one of these flows are declared too (adoptTemplateId, flowId wired to the flow's output).
Deprecated flows are listed in DIR/IMPORT-REPORT.md, not managed.

  --waba REF                   the account, as the resources take it, one of:
${ACCOUNT_FORMATS.map((f) => `${INDENT}${f}`).join("\n")}
                               It goes into stack config (\`waba\`), not into the program.
  --out DIR                    where the program goes: a new or empty directory
  --format program|data        program (default): index.ts declares one WhatsAppFlow per flow;
                               data: flows.json lists them and a generic index.ts reads it
  --include-deprecated-report  also download the JSON of deprecated flows into DIR/deprecated/ (reference only)
  --force                      write into a non-empty DIR: index.ts, flows/, … are replaced, other files stay
  --project NAME               Pulumi project name (default: from DIR's name)
  --stack NAME                 also write Pulumi.NAME.yaml with the \`waba\` config value

Credentials come from the environment only, never from arguments (they would land in shell history):
${credentialLines()}
  AWS         the AWS SDK's default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID/…, SSO) with AWS_REGION;
              endpoint: AWS_ENDPOINT_URL_SOCIALMESSAGING (e.g. the emulator)
Read them from a file without echoing, e.g. \`read -rs WHATSAPP_FLOWS_META_TOKEN && export WHATSAPP_FLOWS_META_TOKEN\`.

A failure midway (a vendor error, a full disk) leaves DIR untouched and keeps what was downloaded in
.<DIR>.whatsapp-flows-import beside it: re-run the same command to resume.

Exit code: 0 imported, 1 failed midway (resumable), 2 usage or bad input (nothing written).
`;

export async function runImportCli(argv: string[], io?: Partial<ImportIo>): Promise<number> {
  const out = io?.stdout ?? process.stdout;
  const err = io?.stderr ?? process.stderr;
  const cwd = io?.cwd ?? process.cwd();
  const usage = (msg: string) => {
    err.write(`whatsapp-flows import: ${msg}\n${IMPORT_USAGE}`);
    return 2;
  };
  const opts: Partial<ImportOptions> = {};
  const valued = new Set(["--waba", "--out", "--format", "--project", "--stack"]);
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let value: string | undefined;
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (a === "--help" || a === "-h") {
      out.write(IMPORT_USAGE);
      return 0;
    }
    if (valued.has(a)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined || value.startsWith("--")) return usage(`${a} needs a value`);
      }
      if (a === "--waba") opts.waba = value;
      else if (a === "--out") opts.out = value;
      else if (a === "--project") opts.project = value;
      else if (a === "--stack") opts.stack = value;
      else if (value === "program" || value === "data") opts.format = value;
      else return usage("--format must be program or data");
    } else if (a === "--force" && value === undefined) opts.force = true;
    else if (a === "--include-deprecated-report" && value === undefined) opts.includeDeprecatedReport = true;
    else if (/token|key|secret|password|credential/i.test(a))
      return usage(
        `${a}: credentials are never taken from arguments (they would land in shell history); set the environment variable instead`,
      );
    else return usage(a.startsWith("-") ? `unknown option ${a}` : `unexpected argument ${a}`);
  }
  if (!opts.waba) return usage("--waba is required (the account reference)");
  if (!opts.out) return usage("--out is required (the output directory)");
  try {
    const r = await runImport(opts as ImportOptions, { stdout: out, stderr: err, cwd, beforeDownload: io?.beforeDownload });
    out.write(
      `imported ${r.managed.length + r.deprecated.length} flow(s) of ${r.account} into ${r.dir}: ${r.managed.length} managed, ` +
        `${r.deprecated.length} deprecated (listed in IMPORT-REPORT.md)\n` +
        `next: cd ${JSON.stringify(r.dir)} && npm install && pulumi stack init <stack> && pulumi config set waba '${r.account}' && pulumi preview\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ImportInputError) {
      err.write(`whatsapp-flows import: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ImportFailedError) {
      err.write(`whatsapp-flows import: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
