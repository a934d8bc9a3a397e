/**
 * Normalises validation errors as vendors return them into `FlowJsonProblem`s. Total: never throws.
 * - Meta / 360dialog: snake_case objects (`error_type`, `line_start`, …; 360dialog without `pointers`)
 * - 8x8: camelCase objects (`errorType`, `lineStart`, … and camelCase pointers)
 * - AWS End User Messaging Social: strings — either `JSON.stringify(<Meta object>)` (our emulator) or plain text
 */
import { positionlessProblem } from "./report";
import type { FlowJsonPointer, FlowJsonProblem } from "./types";

const num = (...xs: unknown[]): number => {
  for (const x of xs) {
    if (typeof x === "number" && Number.isFinite(x)) return x;
    if (typeof x === "string" && /^\d+$/.test(x)) return Number(x);
  }
  return 0;
};
const text = (...xs: unknown[]): string | undefined => {
  for (const x of xs) if (typeof x === "string" && x.length) return x;
  return undefined;
};

const plain = (message: string): FlowJsonProblem => positionlessProblem("FLOW_JSON_ERROR", message);

function pointer(p: unknown): FlowJsonPointer | null {
  if (typeof p === "string") return { path: p, line_start: 0, line_end: 0, column_start: 0, column_end: 0 };
  if (p === null || typeof p !== "object") return null;
  const o = p as Record<string, unknown>;
  return {
    path: text(o.path) ?? "",
    line_start: num(o.line_start, o.lineStart),
    line_end: num(o.line_end, o.lineEnd),
    column_start: num(o.column_start, o.columnStart),
    column_end: num(o.column_end, o.columnEnd),
  };
}

function fromObject(o: Record<string, unknown>, depth: number): FlowJsonProblem[] {
  // wrappers: {validation_errors: [...]}, {validationErrors: [...]}, {errors: [...]}
  for (const key of ["validation_errors", "validationErrors", "errors"]) {
    const inner = o[key];
    if (Array.isArray(inner) && depth < 4 && o.error === undefined) return inner.flatMap((x) => one(x, depth + 1));
  }
  const message = text(o.message, o.error_user_msg, o.errorMessage, o.description, o.detail) ?? "";
  const error = text(o.error, o.code, o.errorCode, o.error_code) ?? "FLOW_JSON_ERROR";
  const pointers = Array.isArray(o.pointers) ? o.pointers.map(pointer).filter((x): x is FlowJsonPointer => x !== null) : [];
  const severity = o.severity === "warning" ? "warning" : "error";
  return [
    {
      error: typeof o.error === "number" ? String(o.error) : error,
      error_type: text(o.error_type, o.errorType, o.type) ?? "FLOW_JSON_ERROR",
      message: message || (error !== "FLOW_JSON_ERROR" ? error : safeJson(o)),
      line_start: num(o.line_start, o.lineStart),
      line_end: num(o.line_end, o.lineEnd),
      column_start: num(o.column_start, o.columnStart),
      column_end: num(o.column_end, o.columnEnd),
      pointers,
      severity,
    },
  ];
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return "[unserialisable vendor error]";
  }
}

function one(item: unknown, depth: number): FlowJsonProblem[] {
  try {
    if (typeof item === "string") {
      const t = item.trim();
      if (t.startsWith("{") || t.startsWith("[")) {
        try {
          const parsed: unknown = JSON.parse(t);
          if (parsed !== null && typeof parsed === "object" && depth < 4) return one(parsed, depth + 1);
        } catch {
          /* plain text */
        }
      }
      return [plain(item)];
    }
    if (Array.isArray(item)) return depth < 4 ? item.flatMap((x) => one(x, depth + 1)) : [plain(safeJson(item))];
    if (item !== null && typeof item === "object") return fromObject(item as Record<string, unknown>, depth);
    if (item === undefined || item === null) return [];
    return [plain(String(item))];
  } catch {
    return [plain(safeJson(item))];
  }
}

export function normaliseVendorErrors(raw: unknown[]): FlowJsonProblem[] {
  try {
    if (!Array.isArray(raw)) return raw === undefined || raw === null ? [] : one(raw, 0);
    return raw.flatMap((x) => one(x, 0));
  } catch {
    return [];
  }
}
