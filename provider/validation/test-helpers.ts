/** Helpers shared by the validator's tests (not part of the runtime API). */
import { validateFlowJson } from "./index";
import type { FlowJsonProblem, ValidateOptions, ValidationResult } from "./types";

export type Doc = any;

/** A small valid 7.3 flow: FIRST (input + navigate) → LAST (terminal, complete). */
export function baseFlow(): Doc {
  return {
    version: "7.3",
    screens: [
      {
        id: "FIRST",
        title: "First",
        data: { name: { type: "string", __example__: "Ann" } },
        layout: {
          type: "SingleColumnLayout",
          children: [
            { type: "TextHeading", text: "${data.name}" },
            { type: "TextInput", name: "email", label: "Email", "input-type": "email" },
            {
              type: "Footer",
              label: "Next",
              "on-click-action": { name: "navigate", next: { type: "screen", name: "LAST" }, payload: { email: "${form.email}" } },
            },
          ],
        },
      },
      {
        id: "LAST",
        title: "Last",
        terminal: true,
        data: { email: { type: "string", __example__: "a@b.c" } },
        layout: {
          type: "SingleColumnLayout",
          children: [
            { type: "TextBody", text: "${data.email}" },
            { type: "Footer", label: "Done", "on-click-action": { name: "complete", payload: { email: "${data.email}" } } },
          ],
        },
      },
    ],
  };
}

export interface Run {
  src: string;
  result: ValidationResult;
}

export function run(doc: Doc, options?: ValidateOptions): Run {
  const src = typeof doc === "string" ? doc : JSON.stringify(doc, null, 2);
  return { src, result: validateFlowJson(src, options) };
}

/** 1-based line/column of the `nth` occurrence of `needle` in `src` (throws when absent, so tests fail). */
export function at(src: string, needle: string, nth = 0): { line: number; column: number } {
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = src.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`needle ${JSON.stringify(needle)} #${nth} not in source`);
  }
  const before = src.slice(0, idx);
  const line = before.split("\n").length;
  return { line, column: idx - before.lastIndexOf("\n") };
}

/**
 * Start of the array element (object) whose first key line contains `needle`, for 2-space pretty JSON:
 * the `{` sits on the previous line, two columns left of that key.
 */
export function elem(src: string, needle: string, nth = 0): { line: number; column: number } {
  const p = at(src, needle, nth);
  const lineText = src.split("\n")[p.line - 1];
  const keyCol = lineText.search(/\S/) + 1;
  return { line: p.line - 1, column: keyCol - 2 };
}

export function find(r: Run, code: string, path?: string, severity: "error" | "warning" = "error"): FlowJsonProblem {
  const list = severity === "error" ? r.result.errors : r.result.warnings;
  const hit = list.find((p) => p.error === code && (path === undefined || p.pointers[0]?.path === path));
  if (!hit) {
    const seen = [...r.result.errors, ...r.result.warnings]
      .map((p) => `${p.severity} ${p.error} ${p.pointers[0]?.path} ${p.message}`)
      .join("\n  ");
    throw new Error(`expected ${severity} ${code} at ${path}; got:\n  ${seen}`);
  }
  return hit;
}

/** Asserts a problem with `code` at pointer `path` starting at `pos`. */
export function expectAt(
  r: Run,
  code: string,
  path: string,
  pos: { line: number; column: number },
  severity: "error" | "warning" = "error",
): FlowJsonProblem {
  const p = find(r, code, path, severity);
  const got = {
    code: p.error,
    path: p.pointers[0].path,
    line: p.line_start,
    column: p.column_start,
    pl: p.pointers[0].line_start,
    pc: p.pointers[0].column_start,
  };
  const want = { code, path, line: pos.line, column: pos.column, pl: pos.line, pc: pos.column };
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`problem position mismatch: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  return p;
}

/** Pointer paths into baseFlow()'s two screens. */
export const S0 = "screens[0]";
export const S1 = "screens[1]";
export const C0 = `${S0}.layout.children`;
export const C1 = `${S1}.layout.children`;

/** Shortcuts into baseFlow(). */
export const kids0 = (d: Doc) => d.screens[0].layout.children as Doc[];
export const kids1 = (d: Doc) => d.screens[1].layout.children as Doc[];
/** baseFlow() changed by `mutate`. */
export const flow = (mutate: (d: Doc) => void): Doc => {
  const d = baseFlow();
  mutate(d);
  return d;
};
