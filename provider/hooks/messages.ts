/** User-facing texts: every message names the flow, and Flow JSON problems carry file:line:column. */
import { formatProblemLine } from "../validation/format";
import type { FlowJsonProblem } from "../validation/types";
import { sections } from "../lifecycle/critical";

/** The validator's eslint-like line, plus the JSON path when the problem carries one. */
export function problemLine(file: string, p: FlowJsonProblem): string {
  const path = p.pointers?.[0]?.path ? ` (at ${p.pointers[0].path})` : "";
  return `${formatProblemLine(file, p)}${path}`;
}

export function describeProblems(flowName: string, file: string, problems: FlowJsonProblem[], headline: string): string {
  const lines = problems.map((p) => `  ${problemLine(file, p)}`);
  return `Flow "${flowName}": ${headline}:\n${lines.join("\n")}`;
}

export class FlowValidationError extends Error {
  constructor(
    message: string,
    readonly problems: FlowJsonProblem[],
  ) {
    super(message);
    this.name = "FlowValidationError";
  }
}

/**
 * Progress that Pulumi shows. The dynamic-provider host has no engine connection for `pulumi.log`,
 * but the engine relays what a provider plugin writes to stderr.
 */
export function progress(message: string): void {
  // Once the engine is gone (provider/watchdog.ts finishes critical sections, then exits) nobody reads
  // stderr: writing is pointless, and would fail with EPIPE.
  if (sections.gone === undefined && process.stderr.writable) process.stderr.write(`whatsapp-flows: ${message}\n`, () => {});
}
