/**
 * Flow JSON expressions: the `If` condition language (4.0+) and backtick-wrapped nested expressions (6.0+).
 *
 * A small tokenizer + precedence-climbing parser over the (decoded) string value, then a type pass driven by a
 * caller-supplied resolver for `${…}` references (data model and form inputs). Every node keeps its offsets in the
 * string, so a problem can be reported at the column of the offending sub-expression.
 *
 * What each version allows is data (`EXPRESSION_SINCE`, `EXPRESSION_OPERATORS`), not code: change the tables when
 * Meta extends the language. Never throws; nesting is capped so hostile input cannot overflow the stack.
 */
import { versionNumber } from "./versions";

export type ExprType = "string" | "number" | "boolean" | "array" | "object" | "unknown";

/** Where expressions exist, per Flow JSON version. */
export const EXPRESSION_SINCE = {
  /** `If.condition` (no backticks needed). */
  condition: "4.0",
  /** A whole property value wrapped in backticks (nested expression). */
  backticks: "6.0",
  /** Meta validates nested expressions inside action payloads from 7.2 (they passed unchecked before). */
  actionPayloads: "7.2",
} as const;

export type OperatorKind = "equality" | "comparison" | "logical" | "not" | "math" | "negate" | "concat" | "ternary";

export interface OperatorInfo {
  /** Operator text; `concat` is juxtaposition (`'Hi ' ${form.name}`), `?:` the conditional operator. */
  op: string;
  kind: OperatorKind;
  /** First version allowing it in an `If` condition written without backticks; null = never. */
  condition: string | null;
  /** First version allowing it in a backtick expression; null = never. */
  nested: string | null;
}

/**
 * Operators by version. Sources: Meta's If component (`== != < <= > >= && || !` and parentheses, 4.0) and
 * "Nested expressions" (6.0: those plus `+ - * / %` on numbers and string concatenation by juxtaposition).
 * Math in a plain If condition is allowed from 6.0 (the same compiler; not excluded by Meta). The conditional
 * operator `?:` is in no Meta document: it parses (so the rest of the expression is still checked) but is
 * reported as unavailable in every version until this table says otherwise.
 */
export const EXPRESSION_OPERATORS: readonly OperatorInfo[] = [
  { op: "==", kind: "equality", condition: "4.0", nested: "6.0" },
  { op: "!=", kind: "equality", condition: "4.0", nested: "6.0" },
  { op: "<", kind: "comparison", condition: "4.0", nested: "6.0" },
  { op: "<=", kind: "comparison", condition: "4.0", nested: "6.0" },
  { op: ">", kind: "comparison", condition: "4.0", nested: "6.0" },
  { op: ">=", kind: "comparison", condition: "4.0", nested: "6.0" },
  { op: "&&", kind: "logical", condition: "4.0", nested: "6.0" },
  { op: "||", kind: "logical", condition: "4.0", nested: "6.0" },
  { op: "!", kind: "not", condition: "4.0", nested: "6.0" },
  { op: "+", kind: "math", condition: "6.0", nested: "6.0" },
  { op: "-", kind: "math", condition: "6.0", nested: "6.0" },
  { op: "*", kind: "math", condition: "6.0", nested: "6.0" },
  { op: "/", kind: "math", condition: "6.0", nested: "6.0" },
  { op: "%", kind: "math", condition: "6.0", nested: "6.0" },
  { op: "neg", kind: "negate", condition: "6.0", nested: "6.0" },
  { op: "concat", kind: "concat", condition: null, nested: "6.0" },
  { op: "?:", kind: "ternary", condition: null, nested: null },
];
const OPS = new Map(EXPRESSION_OPERATORS.map((o) => [o.op, o]));
/** `versionNumber` of each operator's first version (NaN = never), computed once. */
const OPS_SINCE = new Map(
  EXPRESSION_OPERATORS.map((o) => [
    o.op,
    { condition: o.condition === null ? NaN : versionNumber(o.condition), nested: o.nested === null ? NaN : versionNumber(o.nested) },
  ]),
);

export type ExprNode =
  | { k: "lit"; t: ExprType; start: number; end: number }
  | { k: "ref"; path: string; start: number; end: number }
  | { k: "un"; op: string; arg: ExprNode; start: number; end: number }
  | { k: "bin"; op: string; l: ExprNode; r: ExprNode; opStart: number; opEnd: number; start: number; end: number }
  | { k: "tern"; c: ExprNode; a: ExprNode; b: ExprNode; opStart: number; start: number; end: number }
  | { k: "cat"; parts: ExprNode[]; start: number; end: number };

export interface ExprIssue {
  message: string;
  /** Offsets in the string value, end exclusive. */
  start: number;
  end: number;
}

export interface ExprRef {
  /** Text between `${` and `}`, untrimmed. */
  path: string;
  start: number;
  end: number;
}

export type ExprMode = "condition" | "nested";

export interface ParsedExpression {
  node: ExprNode | null;
  refs: ExprRef[];
  /** The first syntax error (parsing stops there), if any. */
  syntax: ExprIssue | null;
}

type Tok = { t: "ref" | "str" | "num" | "bool" | "null" | "op" | "end"; v: string; start: number; end: number };

const MAX_NESTING = 64;
/** Binary operators by precedence, lowest first. */
const LEVELS: readonly (readonly string[])[] = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]];
const TWO_CHAR = new Set(["==", "!=", "<=", ">=", "&&", "||"]);
const ONE_CHAR = new Set(["<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "?", ":"]);

class Syntax extends Error {
  constructor(readonly issue: ExprIssue) {
    super(issue.message);
  }
}

function tokenize(s: string, from: number, to: number, mode: ExprMode): { toks: Tok[]; refs: ExprRef[]; error: ExprIssue | null } {
  const toks: Tok[] = [];
  const refs: ExprRef[] = [];
  let i = from;
  const fail = (message: string, start: number, end = start + 1) => ({
    toks,
    refs,
    error: { message, start, end: Math.min(Math.max(end, start + 1), to) },
  });
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    if (c === 36 && s.charCodeAt(i + 1) === 123) {
      // ${…}
      const close = s.indexOf("}", i + 2);
      if (close < 0 || close >= to) return fail("Unterminated ${ in the expression", start, to);
      const path = s.slice(i + 2, close);
      toks.push({ t: "ref", v: path, start, end: close + 1 });
      refs.push({ path, start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (c === 39 || c === 34) {
      // 'text' or "text"; a backslash escapes the next character
      let j = i + 1;
      while (j < to && s.charCodeAt(j) !== c) j += s.charCodeAt(j) === 92 ? 2 : 1;
      if (j >= to) return fail("Unterminated string literal in the expression", start, to);
      toks.push({ t: "str", v: s.slice(i + 1, j), start, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let j = i;
      while (j < to && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      if (s.charCodeAt(j) === 46 && s.charCodeAt(j + 1) >= 48 && s.charCodeAt(j + 1) <= 57) {
        j++;
        while (j < to && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      }
      toks.push({ t: "num", v: s.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      let j = i;
      while (j < to && /[\w.-]/.test(s[j])) j++;
      const word = s.slice(i, j);
      if (word === "true" || word === "false") toks.push({ t: "bool", v: word, start, end: j });
      else if (word === "null") toks.push({ t: "null", v: word, start, end: j });
      else {
        const hint = /^(data|form|screen)\b/.test(word) ? `; write the reference as \${${word}}` : "; quote text as 'text'";
        return fail(`Unexpected '${word}' in the expression${hint}`, start, j);
      }
      i = j;
      continue;
    }
    const next = s.charCodeAt(i + 1);
    const two = i + 1 < to && (next === 61 || next === 38 || next === 124) ? s.slice(i, i + 2) : "";
    if (two && TWO_CHAR.has(two)) {
      toks.push({ t: "op", v: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    const one = s[i];
    if (ONE_CHAR.has(one)) {
      toks.push({ t: "op", v: one, start, end: i + 1 });
      i++;
      continue;
    }
    if (one === "=") return fail("Unexpected '=' in the expression: compare with '=='", start);
    if (one === "&" || one === "|") return fail(`Unexpected '${one}' in the expression: use '${one}${one}'`, start);
    if (one === "`")
      return fail(
        mode === "nested" ? "Unescaped backtick inside the expression (escape it as \\`)" : "Unexpected backtick in the condition",
        start,
      );
    return fail(`Unexpected character '${one}' in the expression`, start);
  }
  toks.push({ t: "end", v: "", start: to, end: to });
  return { toks, refs, error: null };
}

/** Parses `s[from, to)` (the text inside the backticks, or a whole condition). Never throws. */
export function parseExpression(s: string, from: number, to: number, mode: ExprMode): ParsedExpression {
  const { toks, refs, error } = tokenize(s, from, to, mode);
  if (error) return { node: null, refs, syntax: error };
  let p = 0;
  let depth = 0;
  const peek = () => toks[p];
  const fail = (message: string, tok: Tok = toks[p]): never => {
    const atEnd = tok.t === "end";
    throw new Syntax({
      message: atEnd ? message.replace(/ at '.*'$/, " at the end") : message,
      start: atEnd ? Math.max(from, to - 1) : tok.start,
      end: atEnd ? to : tok.end,
    });
  };
  const startsOperand = (t: Tok) =>
    t.t === "ref" || t.t === "str" || t.t === "num" || t.t === "bool" || t.t === "null" || (t.t === "op" && (t.v === "(" || t.v === "!"));

  const sequence = (): ExprNode => {
    const first = ternary();
    if (!startsOperand(peek())) return first;
    const parts = [first];
    while (startsOperand(peek())) parts.push(ternary());
    return { k: "cat", parts, start: first.start, end: parts[parts.length - 1].end };
  };
  const ternary = (): ExprNode => {
    const c = binary(0);
    const q = peek();
    if (q.t === "op" && q.v === "?") {
      p++;
      if (++depth > MAX_NESTING) fail("Expression nested too deeply", q);
      const a = ternary();
      const colon = peek();
      if (colon.t !== "op" || colon.v !== ":") fail(`Expected ':' of the conditional operator at '${colon.v}'`, colon);
      p++;
      const b = ternary();
      depth--;
      return { k: "tern", c, a, b, opStart: q.start, start: c.start, end: b.end };
    }
    return c;
  };
  const binary = (level: number): ExprNode => {
    if (level === LEVELS.length) return unary();
    let l = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t.t !== "op" || !LEVELS[level].includes(t.v)) return l;
      p++;
      const r = binary(level + 1);
      l = { k: "bin", op: t.v, l, r, opStart: t.start, opEnd: t.end, start: l.start, end: r.end };
    }
  };
  const unary = (): ExprNode => {
    const t = peek();
    if (t.t === "op" && (t.v === "!" || t.v === "-")) {
      p++;
      if (++depth > MAX_NESTING) fail("Expression nested too deeply", t);
      const arg = unary();
      depth--;
      return { k: "un", op: t.v === "-" ? "neg" : "!", arg, start: t.start, end: arg.end };
    }
    return primary();
  };
  const primary = (): ExprNode => {
    const t = peek();
    switch (t.t) {
      case "ref":
        p++;
        return { k: "ref", path: t.v, start: t.start, end: t.end };
      case "str":
        p++;
        return { k: "lit", t: "string", start: t.start, end: t.end };
      case "num":
        p++;
        return { k: "lit", t: "number", start: t.start, end: t.end };
      case "bool":
        p++;
        return { k: "lit", t: "boolean", start: t.start, end: t.end };
      case "null":
        p++;
        return { k: "lit", t: "unknown", start: t.start, end: t.end };
      case "end":
        return fail("Missing operand at the end of the expression");
      default:
        if (t.v === "(") {
          p++;
          if (++depth > MAX_NESTING) fail("Expression nested too deeply", t);
          if (peek().t === "op" && peek().v === ")") fail("Empty parentheses in the expression", peek());
          const inner = sequence();
          depth--;
          const close = peek();
          if (close.t !== "op" || close.v !== ")")
            fail(close.t === "end" ? "Missing ')' for the '(' opened here" : `Expected ')' at '${close.v}'`, close.t === "end" ? t : close);
          p++;
          return inner;
        }
        if (t.v === ")")
          return fail(
            p > 0 && toks[p - 1].t === "op" && toks[p - 1].v !== ")" ? "Missing operand before ')'" : "Unexpected ')' in the expression",
            t,
          );
        return fail(`Missing operand before '${t.v}'`, t);
    }
  };
  try {
    const node = sequence();
    const rest = peek();
    if (rest.t !== "end")
      fail(rest.t === "op" && rest.v === ")" ? "Unexpected ')' in the expression" : `Unexpected '${rest.v}' in the expression`, rest);
    return { node, refs, syntax: null };
  } catch (e) {
    if (e instanceof Syntax) return { node: null, refs, syntax: e.issue };
    return { node: null, refs, syntax: { message: "Expression too complex to check", start: from, end: to } };
  }
}

/** Resolves a `${…}` path to the type of its value ("unknown" when it cannot be known offline). */
export type RefTyper = (path: string) => ExprType;

export interface TypeCheck {
  type: ExprType;
  issues: ExprIssue[];
}

/** True when no reference occurs under `n` (iterative: operator chains can be long). */
function isLiteral(n: ExprNode): boolean {
  const stack: ExprNode[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.k === "ref") return false;
    if (x.k === "un") stack.push(x.arg);
    else if (x.k === "bin") stack.push(x.l, x.r);
    else if (x.k === "cat") stack.push(...x.parts);
    else if (x.k === "tern") stack.push(x.c, x.a, x.b);
  }
  return true;
}

/**
 * Operand types, version gates and (in conditions) literal-only operators. `version` is a `versionNumber`.
 * Only known types are compared: an "unknown" side never produces an issue.
 */
export function checkExpression(
  node: ExprNode,
  mode: ExprMode,
  version: number,
  typeOf: RefTyper,
  describe: (n: ExprNode) => string,
): TypeCheck {
  const issues: ExprIssue[] = [];
  const at = (n: { start: number; end: number }, message: string) => issues.push({ message, start: n.start, end: n.end });
  const gate = (op: string, span: { start: number; end: number }, label: string) => {
    const info = OPS.get(op);
    if (!info) return;
    const num = OPS_SINCE.get(op)!;
    if (version >= (mode === "condition" ? num.condition : num.nested)) return;
    const since = mode === "condition" ? info.condition : info.nested;
    if (since === null) {
      const other = mode === "condition" ? info.nested : null;
      at(
        span,
        other
          ? `${label} is only available in backtick expressions (Flow JSON ${other}+)`
          : `${label} is not supported in Flow JSON expressions`,
      );
    } else if (version < versionNumber(since))
      at(span, `${label} needs Flow JSON ${since} or later${mode === "condition" ? " in an If condition" : ""}`);
  };
  const want = (n: ExprNode, t: ExprType, expected: ExprType, what: string) => {
    if (t !== "unknown" && t !== expected) at(n, `${what} needs a ${expected}, but ${describe(n)} is a ${t}`);
  };
  const visit = (n: ExprNode, d: number): ExprType => {
    if (d > MAX_NESTING * 2) return "unknown";
    switch (n.k) {
      case "lit":
        return n.t;
      case "ref":
        return typeOf(n.path);
      case "cat":
        gate("concat", n, "String concatenation");
        for (const part of n.parts) visit(part, d + 1);
        return "string";
      case "tern": {
        gate("?:", { start: n.opStart, end: n.opStart + 1 }, "The conditional operator '?:'");
        want(n.c, visit(n.c, d + 1), "boolean", "The condition of '?:'");
        const a = visit(n.a, d + 1);
        const b = visit(n.b, d + 1);
        return a === b ? a : "unknown";
      }
      case "un": {
        const t = visit(n.arg, d + 1);
        const opSpan = { start: n.start, end: n.start + 1 };
        if (n.op === "!") {
          gate("!", opSpan, "Operator '!'");
          want(n.arg, t, "boolean", "Operator '!'");
          return "boolean";
        }
        gate("neg", opSpan, "Unary '-'");
        want(n.arg, t, "number", "Unary '-'");
        return "number";
      }
      case "bin": {
        const opSpan = { start: n.opStart, end: n.opEnd };
        gate(n.op, opSpan, `Operator '${n.op}'`);
        const l = visit(n.l, d + 1);
        const r = visit(n.r, d + 1);
        const kind = OPS.get(n.op)?.kind;
        if (mode === "condition" && kind !== "math" && isLiteral(n.l) && isLiteral(n.r))
          at(opSpan, `An operator cannot have literals on both sides ('${n.op}')`);
        switch (kind) {
          case "equality":
            if (l !== "unknown" && r !== "unknown" && l !== r)
              at(opSpan, `'${n.op}' compares a ${l} (${describe(n.l)}) with a ${r} (${describe(n.r)}): both sides must have the same type`);
            return "boolean";
          case "comparison":
            want(n.l, l, "number", `'${n.op}'`);
            want(n.r, r, "number", `'${n.op}'`);
            return "boolean";
          case "logical":
            want(n.l, l, "boolean", `'${n.op}'`);
            want(n.r, r, "boolean", `'${n.op}'`);
            return "boolean";
          default: {
            const hint = n.op === "+" && (l === "string" || r === "string") ? " (concatenate text by juxtaposition: 'a' ${form.x})" : "";
            if (l !== "unknown" && l !== "number") at(n.l, `'${n.op}' needs numbers, but ${describe(n.l)} is a ${l}${hint}`);
            if (r !== "unknown" && r !== "number") at(n.r, `'${n.op}' needs numbers, but ${describe(n.r)} is a ${r}${hint}`);
            return "number";
          }
        }
      }
    }
  };
  const type = visit(node, 0);
  return { type, issues };
}
