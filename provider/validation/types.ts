/**
 * The shape every Flow JSON problem takes, whoever found it (our offline validator, Meta via a vendor).
 * Field names follow Meta's `validation_errors` objects so users see one vocabulary everywhere.
 */
import type { ValidationTarget } from "../vendors/registry";

export type Severity = "error" | "warning";

export interface FlowJsonPointer {
  /** Dot-and-bracket path, Meta style: `screens[0].layout.children[2].label`. */
  path: string;
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
}

export interface FlowJsonProblem {
  /** Meta's code name, e.g. `MISSING_REQUIRED_PROPERTY`, `INVALID_ROUTING_MODEL`. */
  error: string;
  /** `FLOW_JSON_ERROR` (semantic) or `JSON_SCHEMA_ERROR` (shape), as Meta reports them. */
  error_type: string;
  message: string;
  /** 1-based positions in the source text; 0 when unknown (e.g. a vendor gave none). */
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
  pointers: FlowJsonPointer[];
  severity: Severity;
  /** Our grouping of the problem (absent on problems built by older code). */
  category?: ProblemCategory;
}

export interface ValidationResult {
  errors: FlowJsonProblem[];
  warnings: FlowJsonProblem[];
}

export interface ValidateOptions {
  /** Where the flow is headed (a vendor's registry name); some vendors accept fewer versions (AWS: 5.1, 6.0-6.3, 7.0-7.3). */
  target?: ValidationTarget;
  /**
   * Severity of rules enforced only by Meta's Flow Builder and not documented (required screen title,
   * `__example__` on every data field, …). Default "error".
   */
  builderRules?: "error" | "warning" | "off";
  /**
   * "lazy" (default): parse with the native JSON.parse and collect source offsets only when a problem must be
   * located. "eager": always parse with the location-preserving parser (same results; for benchmarks/debugging).
   */
  positions?: "lazy" | "eager";
}

/**
 * Our own grouping (not Meta's): `syntax` (unparseable), `version` (version status: frozen, unavailable — kept
 * apart from structural problems), `schema` (shape), `semantic` (cross-references, routing, limits),
 * `advice` (warnings: display limits, unused data…).
 */
export type ProblemCategory = "syntax" | "version" | "schema" | "semantic" | "advice";
