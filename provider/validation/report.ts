/** Building problems in Meta's shape; positions resolved from the source through `SourceLocator`. */
import { formatPath, stringCharOffset, type PathSegment, type Range, type SourceLocator, type Span } from "./parser";
import { categoryOf, errorTypeOf, type ProblemCode } from "./codes";
import type { FlowJsonProblem, ProblemCategory, Severity, ValidateOptions, ValidationResult } from "./types";

const ZERO: Range = { line_start: 0, line_end: 0, column_start: 0, column_end: 0 };

/** A problem with no known source position (vendor text without one, an internal failure). */
export function positionlessProblem(error: string, message: string, extra: Partial<FlowJsonProblem> = {}): FlowJsonProblem {
  return { error, error_type: "FLOW_JSON_ERROR", message, ...ZERO, pointers: [], severity: "error", ...extra };
}

export interface AddOptions {
  severity?: Severity;
  category?: ProblemCategory;
  /** Point at the value rather than the key of an object member. */
  value?: boolean;
  /** Explicit source span (overrides the path's). */
  span?: Span;
  /** Rule only enforced by Meta's Flow Builder: severity follows `options.builderRules`. */
  builder?: boolean;
  /**
   * Part of a string value: [start, end) character offsets in its decoded text (e.g. one sub-expression). The
   * problem is then located at those columns inside the string rather than at the whole property.
   */
  inString?: readonly [number, number];
}

export class Reporter {
  readonly errors: FlowJsonProblem[] = [];
  readonly warnings: FlowJsonProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly locator: SourceLocator | null,
    private readonly options: ValidateOptions,
  ) {}

  add(code: ProblemCode, message: string, path: readonly PathSegment[], opts: AddOptions = {}): void {
    let severity: Severity = opts.severity ?? "error";
    if (opts.builder) {
      const mode = this.options.builderRules ?? "error";
      if (mode === "off") return;
      severity = mode;
    }
    const pathText = formatPath(path);
    const dedupe = `${code}|${pathText}|${message}|${opts.inString ? opts.inString.join(",") : ""}`;
    if (this.seen.has(dedupe)) return;
    this.seen.add(dedupe);
    let range = ZERO;
    if (this.locator) {
      try {
        let span = opts.span ?? (opts.value || opts.inString ? this.locator.valueSpanOf(path) : this.locator.spanOf(path));
        if (opts.inString && !opts.span && this.locator.src.charCodeAt(span.start) === 34) {
          const src = this.locator.src;
          const start = stringCharOffset(src, span.start, opts.inString[0]);
          span = { start, end: Math.max(start + 1, stringCharOffset(src, span.start, opts.inString[1])) };
        }
        range = this.locator.range(span);
      } catch {
        range = ZERO;
      }
    }
    const problem: FlowJsonProblem = {
      error: code,
      error_type: errorTypeOf(code),
      message,
      ...range,
      pointers: [{ path: pathText, ...range }],
      severity,
      category: opts.category ?? categoryOf(code, severity),
    };
    (severity === "error" ? this.errors : this.warnings).push(problem);
  }

  result(): ValidationResult {
    const byPos = (a: FlowJsonProblem, b: FlowJsonProblem) => a.line_start - b.line_start || a.column_start - b.column_start;
    return { errors: this.errors.sort(byPos), warnings: this.warnings.sort(byPos) };
  }
}
