/**
 * Flow JSON validation entry point. PLACEHOLDER: the full version-aware validator (issue 3) replaces
 * this file's body; the exported signatures stay.
 */
import type { FlowJsonProblem, ValidateOptions, ValidationResult } from "./types";
export * from "./types";

function problem(error: string, message: string, path = ""): FlowJsonProblem {
  return {
    error,
    error_type: "JSON_SCHEMA_ERROR",
    message,
    line_start: 0,
    line_end: 0,
    column_start: 0,
    column_end: 0,
    pointers: path ? [{ path, line_start: 0, line_end: 0, column_start: 0, column_end: 0 }] : [],
    severity: "error",
  };
}

/** Validates Flow JSON source text. Never throws: any input yields a result. */
export function validateFlowJson(source: string, _options: ValidateOptions = {}): ValidationResult {
  let doc: any;
  try {
    doc = JSON.parse(source);
  } catch (e) {
    return { errors: [problem("INVALID_FLOW_JSON", `Flow JSON is not valid JSON: ${(e as Error).message}`)], warnings: [] };
  }
  const errors: FlowJsonProblem[] = [];
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    errors.push(problem("INVALID_PROPERTY_TYPE", "Flow JSON must be an object"));
    return { errors, warnings: [] };
  }
  if (doc.version === undefined) errors.push(problem("MISSING_FLOW_JSON_VERSION", "Property 'version' is required", "version"));
  if (!Array.isArray(doc.screens) || doc.screens.length === 0) errors.push(problem("MIN_ITEMS_REQUIRED", "At least one screen is required", "screens"));
  return { errors, warnings: [] };
}

/**
 * Turns validation errors as a vendor returned them (Meta snake_case objects, 8x8 camelCase objects,
 * AWS plain strings) into our one shape.
 */
export function normaliseVendorErrors(raw: unknown[]): FlowJsonProblem[] {
  return (raw ?? []).map((item) => {
    if (typeof item === "string") {
      try {
        const parsed = JSON.parse(item);
        if (parsed && typeof parsed === "object") return normaliseVendorErrors([parsed])[0];
      } catch {
        /* plain text */
      }
      return problem("FLOW_JSON_ERROR", item);
    }
    const o = (item ?? {}) as Record<string, any>;
    const num = (a: unknown, b: unknown) => (typeof a === "number" ? a : typeof b === "number" ? b : 0);
    return {
      error: String(o.error ?? "FLOW_JSON_ERROR"),
      error_type: String(o.error_type ?? o.errorType ?? "FLOW_JSON_ERROR"),
      message: String(o.message ?? ""),
      line_start: num(o.line_start, o.lineStart),
      line_end: num(o.line_end, o.lineEnd),
      column_start: num(o.column_start, o.columnStart),
      column_end: num(o.column_end, o.columnEnd),
      pointers: Array.isArray(o.pointers)
        ? o.pointers.map((p: any) => ({
            path: String(p.path ?? ""),
            line_start: num(p.line_start, p.lineStart),
            line_end: num(p.line_end, p.lineEnd),
            column_start: num(p.column_start, p.columnStart),
            column_end: num(p.column_end, p.columnEnd),
          }))
        : [],
      severity: "error" as const,
    };
  });
}
