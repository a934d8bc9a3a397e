/** The validator entry point (wrapped by index.ts). */
import {
  countJsonMembers,
  countValueMembers,
  parseJsonWithLocations,
  readString,
  SourceLocator,
  type LocIndex,
  type ParseOutcome,
} from "./parser";
import { MAX_FLOW_JSON_BYTES } from "../flow-json";
import { Reporter } from "./report";
import { FlowValidator } from "./rules/index";
import type { ValidateOptions, ValidationResult } from "./types";

/** Whole file limit (Meta): 10 MB. */
export { MAX_FLOW_JSON_BYTES };

/**
 * Positions are resolved lazily. The fast path parses with the native `JSON.parse` and proves there is no
 * duplicate key by counting members in the text (one ':' outside strings each) against the parsed objects;
 * the location-preserving parser runs only when something must be located (a syntax error, a duplicate key, or
 * any problem to report), and the rules' problems are then positioned from its offsets.
 */
export function validate(source: string, options: ValidateOptions): ValidationResult {
  if (typeof source !== "string") source = String(source);
  // A byte-order mark is not JSON (RFC 8259 §8.1: parsers MAY ignore it). Meta's parser is not documented to; see
  // README "Byte-order mark": reported as an error, then the rest is validated as if it were a space (offsets kept).
  const bom = source.charCodeAt(0) === 0xfeff;
  if (bom) source = " " + source.slice(1);
  let value: unknown;
  let native = true;
  try {
    value = JSON.parse(source);
  } catch {
    native = false;
  }
  let located: ParseOutcome | undefined;
  const locate = (): ParseOutcome => (located ??= parseJsonWithLocations(source));
  // offsets only (no values) when JSON.parse already built the tree
  const offsets = (): ParseOutcome => located ?? parseJsonWithLocations(source, { values: false });
  let needParse = !native || options.positions === "eager";
  if (!needParse) {
    try {
      needParse = countJsonMembers(source) !== countValueMembers(value);
    } catch {
      needParse = true; // nested too deep: the location-preserving parser reports it
    }
  }
  if (needParse) {
    const parsed = locate();
    value = parsed.value;
  }
  // The locator parses on first use only.
  const locator = new LazyLocator(source, offsets);
  const r = new Reporter(locator, options);
  if (bom)
    r.add(
      "INVALID_FLOW_JSON",
      "Flow JSON starts with a byte-order mark (U+FEFF), which JSON does not allow; save the file as UTF-8 without BOM",
      [],
      {
        span: { start: 0, end: 1 },
        category: "syntax",
      },
    );
  if (source.length > MAX_FLOW_JSON_BYTES / 4 && Buffer.byteLength(source, "utf8") > MAX_FLOW_JSON_BYTES)
    r.add("INVALID_FLOW_JSON", `Flow JSON is larger than ${MAX_FLOW_JSON_BYTES / 1024 / 1024} MB`, [], { span: { start: 0, end: 1 } });
  if (located && !located.ok) {
    const off = located.syntaxError!.offset;
    r.add("INVALID_FLOW_JSON", `Flow JSON is not valid JSON: ${located.syntaxError!.message}`, [], {
      span: { start: off, end: off + 1 },
      category: "syntax",
    });
    return r.result();
  }
  if (located) {
    for (const d of located.duplicates) {
      const [, end] = readString(source, d.offset);
      r.add("DUPLICATE_JSON_KEY", `Duplicate key "${d.key}": only the last value is used`, d.path, {
        severity: "warning",
        span: { start: d.offset, end },
      });
    }
  }
  new FlowValidator(value, r, options).run();
  return r.result();
}

/** A `SourceLocator` whose offsets are collected on first use (offsets only, or the full parse if done). */
class LazyLocator extends SourceLocator {
  constructor(
    src: string,
    private readonly parse: () => ParseOutcome,
  ) {
    super(src, undefined);
  }

  protected override index(): LocIndex {
    return (this.locs ??= this.parse().locs);
  }
}
