/** The validator entry point (wrapped by index.ts). */
import { parseJsonWithLocations, SourceLocator, readString } from "./parser";
import { Reporter } from "./report";
import { FlowValidator } from "./rules";
import type { ValidateOptions, ValidationResult } from "./types";

/** Whole file limit (Meta): 10 MB. */
export const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;

export function validate(source: string, options: ValidateOptions): ValidationResult {
  if (typeof source !== "string") source = String(source);
  if (source.charCodeAt(0) === 0xfeff) source = " " + source.slice(1); // BOM: keep offsets
  const parsed = parseJsonWithLocations(source);
  const locator = new SourceLocator(source, parsed.value, parsed.locs);
  const r = new Reporter(locator, options);
  if (Buffer.byteLength(source, "utf8") > MAX_FLOW_JSON_BYTES)
    r.add("INVALID_FLOW_JSON", `Flow JSON is larger than ${MAX_FLOW_JSON_BYTES / 1024 / 1024} MB`, [], { span: { start: 0, end: 1 } });
  if (!parsed.ok) {
    const off = parsed.syntaxError!.offset;
    r.add("INVALID_FLOW_JSON", `Flow JSON is not valid JSON: ${parsed.syntaxError!.message}`, [], { span: { start: off, end: off + 1 }, category: "syntax" });
    return r.result();
  }
  for (const d of parsed.duplicates) {
    const [, end] = readString(source, d.offset);
    r.add("DUPLICATE_JSON_KEY", `Duplicate key "${d.key}": only the last value is used`, d.path, { severity: "warning", span: { start: d.offset, end } });
  }
  new FlowValidator(parsed.value, r, options).run();
  return r.result();
}
