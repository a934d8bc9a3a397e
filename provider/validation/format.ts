/** Output formats for problems. */
import type { FlowJsonProblem } from "./types";

/** eslint-like: `file:line:column  severity  CODE  message`. */
export function formatProblemLine(file: string, p: FlowJsonProblem): string {
  const message = String(p.message ?? "").replace(/\s*\n\s*/g, " ");
  return `${file}:${p.line_start}:${p.column_start}  ${p.severity}  ${p.error}  ${message}`;
}
