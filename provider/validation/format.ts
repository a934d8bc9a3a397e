/** Output formats for problems. */
import type { FlowJsonProblem } from "./types";

/**
 * eslint-like: `file:line:column  severity  CODE  message`. A problem without a known position (a vendor's
 * plain-text error) names the file alone rather than a made-up `:0:0`.
 */
export function formatProblemLine(file: string, p: FlowJsonProblem): string {
  const message = String(p.message ?? "").replace(/\s*\n\s*/g, " ");
  const where = p.line_start > 0 ? `${file}:${p.line_start}:${p.column_start}` : file;
  return `${where}  ${p.severity}  ${p.error}  ${message}`;
}
