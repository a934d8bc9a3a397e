/**
 * `whatsapp-flows validate [--format text|json] FILE...`
 * Exit code: 0 no file has errors, 1 some file has errors, 2 usage or read error.
 */
import { promises as fs } from "fs";
import * as path from "path";
import { formatProblemLine } from "./format";
import { validateFlowJson } from "./index";
import type { ValidateOptions } from "./types";
import { isVendorName, validationTargetOf, VENDOR_NAMES, VENDORS } from "../vendors/registry";

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
}

const TARGETS = VENDOR_NAMES.join("|");
const USAGE = `usage: whatsapp-flows validate [--format text|json] [--target ${TARGETS}] FILE...
`;

export async function runValidateCli(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const out = io?.stdout ?? process.stdout;
  const err = io?.stderr ?? process.stderr;
  const cwd = io?.cwd ?? process.cwd();
  let format: "text" | "json" = "text";
  let target: ValidateOptions["target"];
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      out.write(USAGE);
      return 0;
    }
    if (a === "--format" || a === "-f" || a.startsWith("--format=")) {
      const v = a.startsWith("--format=") ? a.slice(9) : argv[++i];
      if (v !== "text" && v !== "json") {
        err.write(`whatsapp-flows validate: --format must be text or json\n${USAGE}`);
        return 2;
      }
      format = v;
    } else if (a === "--target" || a.startsWith("--target=")) {
      const v = a.startsWith("--target=") ? a.slice(9) : argv[++i];
      const entry = v !== undefined && isVendorName(v) ? VENDORS[v] : undefined;
      if (!entry) {
        err.write(`whatsapp-flows validate: --target must be one of ${VENDOR_NAMES.join(", ")}\n${USAGE}`);
        return 2;
      }
      target = validationTargetOf(entry);
    } else if (a === "--") {
      files.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith("-") && a !== "-") {
      err.write(`whatsapp-flows validate: unknown option ${a}\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    err.write(`whatsapp-flows validate: no file given\n${USAGE}`);
    return 2;
  }
  let readFailed = false;
  let anyErrors = false;
  const json: { file: string; errors: unknown[]; warnings: unknown[] }[] = [];
  for (const file of files) {
    let source: string;
    try {
      source = await fs.readFile(path.resolve(cwd, file), "utf8");
    } catch (e) {
      readFailed = true;
      err.write(`whatsapp-flows validate: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      continue;
    }
    const result = validateFlowJson(source, target ? { target } : {});
    if (result.errors.length) anyErrors = true;
    if (format === "json") json.push({ file, errors: result.errors, warnings: result.warnings });
    else {
      const all = [...result.errors, ...result.warnings].sort((a, b) => a.line_start - b.line_start || a.column_start - b.column_start);
      for (const p of all) out.write(formatProblemLine(file, p) + "\n");
    }
  }
  if (format === "json") out.write(JSON.stringify(json, null, 2) + "\n");
  if (readFailed) return 2;
  return anyErrors ? 1 : 0;
}
