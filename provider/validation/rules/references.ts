/**
 * References and expressions: every string holding `${…}` (whole references, static text mixed with references,
 * backtick expressions) and If conditions; reference resolution through screens, inputs and data models.
 */
import { EXPRESSION_SINCE, checkExpression, parseExpression, type ExprNode, type ExprRef, type ExprType } from "../expressions";
import type { AddOptions } from "../report";
import { hasOwn, isDynamic, isObj, type Comp, type Obj, type Path, type RuleContext, type ScreenInfo } from "./context";

/** Properties that take a string (a `${data.x}` bound to them must not be an array/object). */
const STRING_PROPS = new Set([
  "label",
  "helper-text",
  "description",
  "error-message",
  "title",
  "left-caption",
  "right-caption",
  "center-caption",
  "alt-text",
  "src",
]);
/** Properties that take an array (a `${data.x}` bound to them must be an array). */
const ARRAY_PROPS = new Set(["data-source", "list-items", "unavailable-dates", "images"]);

/** Properties that take a boolean (a binding or expression there must give a boolean). */
const BOOL_PROPS = new Set(["visible", "enabled", "required", "strikethrough"]);
/** Properties that take a number. */
const NUMBER_PROPS = new Set([
  "min-chars",
  "max-chars",
  "max-length",
  "min-selected-items",
  "max-selected-items",
  "min-days",
  "max-days",
  "width",
  "height",
  "max-file-size-kb",
  "min-uploaded-photos",
  "max-uploaded-photos",
  "min-uploaded-documents",
  "max-uploaded-documents",
]);

/** The dotted path at the start of a reference (`data.items.length` of `data.items.length > 0`). */
const REF_LEAD = /^[A-Za-z_][\w-]*(?:\.[\w-]+)*/;

/** An If condition: its own expression language (4.0+), boolean result; a backtick-wrapped one is checked by `checkDynamic`. */
export function checkCondition(ctx: RuleContext, cond: string, path: Path, info: ScreenInfo): void {
  if (isBacktickExpression(cond)) return;
  const literal = literalConditionProblem(cond);
  if (literal) {
    ctx.r.add("INVALID_PROPERTY_VALUE", literal, path, { value: true });
    return;
  }
  const parsed = parseExpression(cond, 0, cond.length, "condition");
  if (parsed.syntax) {
    ctx.r.add("INVALID_PROPERTY_VALUE", `Invalid condition: ${parsed.syntax.message}`, path, {
      inString: [parsed.syntax.start, parsed.syntax.end],
    });
    return;
  }
  const node = parsed.node!;
  const res = checkExpression(node, "condition", ctx.v, (p) => refType(ctx, info, p), describeIn(cond));
  for (const issue of res.issues) ctx.r.add("INVALID_PROPERTY_VALUE", issue.message, path, { inString: [issue.start, issue.end] });
  if (res.type !== "unknown" && res.type !== "boolean") {
    const single = node.k === "ref" || node.k === "lit";
    ctx.r.add(
      "INVALID_PROPERTY_VALUE",
      single
        ? `Expected single operand to be a boolean, but ${describeIn(cond)(node)} is a ${res.type}`
        : `The condition gives a ${res.type}; it must be a boolean`,
      path,
      {
        inString: [node.start, node.end],
      },
    );
  }
}

/**
 * Every string holding `${…}`: a backtick expression (6.0+) is parsed and type-checked; otherwise the string must
 * be one whole reference (static text mixed with a reference is a compile error), except If conditions (their
 * own language, checked by `checkIf`) and RichText (its own rule). `payload`: inside an action payload.
 */
export function checkDynamic(
  ctx: RuleContext,
  info: ScreenInfo,
  text: string,
  path: Path,
  prop: string,
  payload: boolean,
  compType: string,
): void {
  if (isBacktickExpression(text)) {
    if (!ctx.since(EXPRESSION_SINCE.backticks)) {
      ctx.r.add("INVALID_PROPERTY_VALUE", `Backtick expressions need Flow JSON ${EXPRESSION_SINCE.backticks} or later`, path, {
        value: true,
      });
      checkRefs(ctx, info, text, path, prop, payload, scanRefs(text), false);
      return;
    }
    const parsed = parseExpression(text, 1, text.length - 1, "nested");
    checkRefs(ctx, info, text, path, prop, payload, parsed.refs, false);
    // Meta validates expressions inside actions only from 7.2
    if (payload && !ctx.since(EXPRESSION_SINCE.actionPayloads)) return;
    if (parsed.syntax) {
      ctx.r.add("INVALID_PROPERTY_VALUE", `Invalid expression: ${parsed.syntax.message}`, path, {
        inString: [parsed.syntax.start, parsed.syntax.end],
      });
      return;
    }
    const res = checkExpression(parsed.node!, "nested", ctx.v, (p) => refType(ctx, info, p), describeIn(text));
    for (const issue of res.issues) ctx.r.add("INVALID_PROPERTY_VALUE", issue.message, path, { inString: [issue.start, issue.end] });
    const want = expectedType(compType, prop);
    if (want && res.type !== "unknown" && res.type !== want)
      ctx.r.add("INVALID_PROPERTY_VALUE", `"${prop}" needs a ${want}, but the expression gives a ${res.type}`, path, { value: true });
    return;
  }
  const whole = isWholeRef(text);
  const refs = scanRefs(text);
  if (!whole && refs.length > 0 && !(compType === "If" && prop === "condition") && !(compType === "RichText" && prop === "text")) {
    const first = refs[0];
    const fix = ctx.since(EXPRESSION_SINCE.backticks)
      ? `; write a backtick expression: ${suggestExpression(text, refs)}`
      : ` (a backtick expression needs Flow JSON ${EXPRESSION_SINCE.backticks}+)`;
    ctx.r.add("INVALID_PROPERTY_VALUE", `Static text cannot be mixed with \${${first.path.trim()}} outside backticks${fix}`, path, {
      inString: [first.start, first.end],
    });
  }
  checkRefs(ctx, info, text, path, prop, payload, refs, whole);
}

/** Checks each `${…}` reference of `text`; a whole-value reference is located at the value, others inside the string. */
function checkRefs(
  ctx: RuleContext,
  info: ScreenInfo,
  text: string,
  path: Path,
  prop: string,
  payload: boolean,
  refs: readonly ExprRef[],
  whole: boolean,
): void {
  for (const ref of refs) checkRef(ctx, info, ref, path, prop, payload, whole);
}

function checkRef(ctx: RuleContext, info: ScreenInfo, ref: ExprRef, path: Path, prop: string, payload: boolean, whole: boolean): void {
  const at: AddOptions = whole ? { value: true } : { inString: [ref.start, ref.end] };
  const refText = ref.path.trim();
  const lead = REF_LEAD.exec(refText)?.[0] ?? "";
  let plain = true;
  if (lead.length !== refText.length) {
    if (lead && /^\s*(?:[<>=!&|+*/%?:-]|\(|\))/.test(refText.slice(lead.length))) {
      plain = false;
      ctx.r.add(
        "INVALID_PROPERTY_VALUE",
        `\${${refText}}: a reference cannot hold operators; use a backtick expression such as \`\${${lead}} …\` (Flow JSON ${EXPRESSION_SINCE.backticks}+)`,
        path,
        at,
      );
    } else {
      ctx.r.add(
        "INVALID_PROPERTY_VALUE",
        `Invalid dynamic reference \${${refText}}: expected \${data.x}, \${form.x} or \${screen.ID.form|data.x}`,
        path,
        at,
      );
      return;
    }
  }
  const parts = lead.split(".");
  if (parts[0] === "data" && parts.length >= 2) {
    ctx.usedData.add(`@${info.index}|${parts[1]}`);
    const field = info.data?.[parts[1]];
    if (!isObj(field)) {
      if (payload)
        ctx.r.add(
          "INVALID_ON_CLICK_ACTION_PAYLOAD",
          `Missing dynamic data "${parts[1]}" in the data model of screen "${info.id}" for \${${refText}}`,
          path,
          at,
        );
      else
        ctx.r.add(
          "INVALID_SCREEN_DYNAMIC_DATA",
          `\${${refText}}: "${parts[1]}" is not declared in the data of screen "${info.id}"`,
          path,
          at,
        );
      return;
    }
    const res = walkModel(field, parts[1], parts.slice(2));
    if (res.problem) {
      ctx.r.add("INVALID_SCREEN_DYNAMIC_DATA", `\${${lead}} is invalid as ${res.problem}`, path, at);
      return;
    }
    if (!whole || !plain) return;
    const t = res.type;
    if (ARRAY_PROPS.has(prop) && t !== "array" && t !== "unknown")
      ctx.r.add("INVALID_SCREEN_DYNAMIC_DATA", `"${prop}" needs an array but \${${refText}} is ${res.declared}`, path, at);
    else if (
      prop === "data-source" &&
      parts.length === 2 &&
      isObj(field.items) &&
      isObj(field.items.properties) &&
      !(hasOwn(field.items.properties, "id") && hasOwn(field.items.properties, "title"))
    )
      ctx.r.add(
        "INVALID_SCREEN_DYNAMIC_DATA",
        `"data-source" needs items with "id" and "title" but \${${refText}} items lack them`,
        path,
        at,
      );
    else if (STRING_PROPS.has(prop) && (t === "array" || t === "object"))
      ctx.r.add("INVALID_SCREEN_DYNAMIC_DATA", `"${prop}" needs a string but \${${refText}} is ${res.declared}`, path, at);
    else if (BOOL_PROPS.has(prop) && t !== "boolean" && t !== "unknown")
      ctx.r.add("INVALID_SCREEN_DYNAMIC_DATA", `"${prop}" needs a boolean but \${${refText}} is ${res.declared}`, path, at);
    else if (NUMBER_PROPS.has(prop) && t !== "number" && t !== "unknown")
      ctx.r.add("INVALID_SCREEN_DYNAMIC_DATA", `"${prop}" needs a number but \${${refText}} is ${res.declared}`, path, at);
  } else if (parts[0] === "form" && parts.length >= 2) {
    const name = parts[1];
    const input = info.inputs.get(name);
    if (!input) {
      if (info.looseNames.has(name)) return; // the unknown component was reported
      const isForm = info.forms.some((f) => f.c.name === name);
      const msg = isForm
        ? `\${${refText}} refers to the Form itself; refer to an input`
        : `Missing Form component \${${refText}} for screen "${info.id}"`;
      ctx.r.add(payload ? "INVALID_ON_CLICK_ACTION_PAYLOAD" : "INVALID_PROPERTY_VALUE", msg, path, at);
    } else if (parts.length > 2 && input.type !== "CalendarPicker") {
      ctx.r.add("INVALID_PROPERTY_VALUE", `\${${lead}}: the value of ${input.type} "${name}" has no property "${parts[2]}"`, path, at);
    }
  } else if (parts[0] === "screen" && parts.length >= 4 && (parts[2] === "form" || parts[2] === "data")) {
    if (parts[2] === "data") ctx.usedData.add(`${parts[1]}|${parts[3]}`);
    if (!ctx.since("4.0")) {
      ctx.r.add("INVALID_PROPERTY_VALUE", `Global reference \${${refText}} needs Flow JSON 4.0 or later`, path, at);
      return;
    }
    const target = ctx.byId.get(parts[1]);
    if (!target) ctx.r.add("INVALID_SCREEN_DATA", `\${${refText}}: screen "${parts[1]}" does not exist`, path, at);
    else if (target === info)
      ctx.r.add("INVALID_SCREEN_DATA", `\${${refText}} points to the current screen; convert to local referencing`, path, at);
    else if (parts[2] === "form" ? !target.inputs.has(parts[3]) && !target.looseNames.has(parts[3]) : !isObj(target.data?.[parts[3]]))
      ctx.r.add(
        "INVALID_SCREEN_DATA",
        `\${${refText}}: screen "${parts[1]}" has no ${parts[2] === "form" ? "input" : "data field"} "${parts[3]}"`,
        path,
        at,
      );
    else if (parts[2] === "data" && parts.length > 4) {
      const res = walkModel(target.data![parts[3]] as Obj, parts[3], parts.slice(4));
      if (res.problem) ctx.r.add("INVALID_SCREEN_DYNAMIC_DATA", `\${${lead}} is invalid as ${res.problem}`, path, at);
    }
  } else {
    ctx.r.add(
      "INVALID_PROPERTY_VALUE",
      `Invalid dynamic reference \${${refText}}: expected \${data.x}, \${form.x} or \${screen.ID.form|data.x}`,
      path,
      at,
    );
  }
}

/** Type of the value a reference path gives ("unknown" when not known offline or not resolvable). */
function refType(ctx: RuleContext, info: ScreenInfo, pathText: string): ExprType {
  const p = pathText.trim().split(".");
  let screen = info;
  let i = 0;
  if (p[0] === "screen" && p.length >= 4) {
    const t = ctx.byId.get(p[1]);
    if (!t) return "unknown";
    screen = t;
    i = 2;
  }
  if (p[i] === "data" && p.length > i + 1) {
    const field = screen.data?.[p[i + 1]];
    return isObj(field) ? walkModel(field, p[i + 1], p.slice(i + 2)).type : "unknown";
  }
  if (p[i] === "form" && p.length === i + 2) {
    const input = screen.inputs.get(p[i + 1]);
    return input ? inputValueType(input) : "unknown";
  }
  return "unknown";
}

/** An If condition that is empty or has no dynamic operand; returns a message or null. */
function literalConditionProblem(cond: string): string | null {
  if (cond.trim() === "") return "If condition must not be empty";
  if (!cond.includes("${")) return "An operator cannot have literals on both sides: the condition needs at least one dynamic operand";
  return null;
}

/** Syntax check of an If condition (no types); returns a message (with its column) or null. */
export function conditionProblem(cond: string): string | null {
  const literal = literalConditionProblem(cond);
  if (literal) return literal;
  const { syntax } = parseExpression(cond, 0, cond.length, "condition");
  return syntax ? `${syntax.message} (column ${syntax.start + 1} of the condition)` : null;
}

/** A whole value wrapped in backticks that holds a reference: a nested expression (6.0+). */
function isBacktickExpression(s: string): boolean {
  return s.length >= 2 && s.charCodeAt(0) === 96 && s.charCodeAt(s.length - 1) === 96 && s.includes("${");
}

function isWholeRef(s: string): boolean {
  return s.length >= 3 && s.startsWith("${") && s.indexOf("}") === s.length - 1;
}

/** The `${…}` references of a string outside backticks, with their offsets. */
function scanRefs(text: string): ExprRef[] {
  const out: ExprRef[] = [];
  let i = text.indexOf("${");
  while (i >= 0) {
    const close = text.indexOf("}", i + 2);
    if (close < 0) break;
    out.push({ path: text.slice(i + 2, close), start: i, end: close + 1 });
    i = text.indexOf("${", close + 1);
  }
  return out;
}

/** "Hello ${data.name}!" → "`'Hello ' ${data.name} '!'`" (the 6.0+ way to mix text and references). */
function suggestExpression(text: string, refs: readonly ExprRef[]): string {
  const parts: string[] = [];
  let last = 0;
  const quote = (t: string) => `'${t.replace(/[\\'`]/g, (ch) => "\\" + ch)}'`;
  for (const r of refs) {
    if (r.start > last) parts.push(quote(text.slice(last, r.start)));
    parts.push(`\${${r.path.trim()}}`);
    last = r.end;
  }
  if (last < text.length) parts.push(quote(text.slice(last)));
  const out = "`" + parts.join(" ") + "`";
  return out.length > 120 ? out.slice(0, 117) + "…`" : out;
}

/** Source text of a sub-expression, for messages (shortened). */
function describeIn(text: string): (n: ExprNode) => string {
  return (n) => {
    const t = text.slice(n.start, n.end);
    return t.length > 40 ? t.slice(0, 37) + "…" : t;
  };
}

/** Type a property needs from an expression, when it is fixed. */
function expectedType(compType: string, prop: string): ExprType | undefined {
  if (compType === "If" && prop === "condition") return "boolean";
  if (BOOL_PROPS.has(prop)) return "boolean";
  if (NUMBER_PROPS.has(prop)) return "number";
  if (ARRAY_PROPS.has(prop)) return "array";
  return undefined;
}

const MODEL_TYPES: Record<string, ExprType> = {
  string: "string",
  number: "number",
  integer: "number",
  boolean: "boolean",
  array: "array",
  object: "object",
};

/**
 * Follows a reference tail (`${data.a.b.c}` → a, then b, c) through a data field's schema. A tail reaching into
 * an array or past a scalar is Meta's "… is invalid as 'x' is defined in an array schema".
 */
function walkModel(field: Obj, name: string, tail: readonly string[]): { type: ExprType; declared: string; problem?: string } {
  let cur: Obj = field;
  let curName = name;
  for (const seg of tail) {
    const t = cur.type;
    if (t === "array") return { type: "unknown", declared: "array", problem: `'${curName}' is defined in an array schema` };
    if (t === "object") {
      const props = cur.properties;
      if (!isObj(props)) return { type: "unknown", declared: "object" };
      if (!isObj(props[seg]) || !hasOwn(props, seg))
        return { type: "unknown", declared: "object", problem: `'${seg}' is not a property of '${curName}'` };
      cur = props[seg] as Obj;
      curName = seg;
      continue;
    }
    if (typeof t === "string" && hasOwn(MODEL_TYPES, t))
      return { type: "unknown", declared: t, problem: `'${curName}' is defined as a ${t} and has no property '${seg}'` };
    return { type: "unknown", declared: "unknown" };
  }
  const t = cur.type;
  const type = typeof t === "string" && hasOwn(MODEL_TYPES, t) ? MODEL_TYPES[t] : "unknown";
  return { type, declared: typeof t === "string" ? t : "unknown" };
}

/** Type of an input's value in an expression (`${form.x}`). */
function inputValueType(comp: Comp): ExprType {
  const c = comp.c;
  switch (comp.type) {
    case "TextInput": {
      const it = c["input-type"];
      if (typeof it === "string" && isDynamic(it)) return "unknown";
      return it === "number" ? "number" : "string";
    }
    case "TextArea":
    case "RadioButtonsGroup":
    case "Dropdown":
    case "DatePicker":
      return "string";
    case "CalendarPicker":
      return c.mode === "range" ? "object" : "string";
    case "CheckboxGroup":
    case "ChipsSelector":
    case "PhotoPicker":
    case "DocumentPicker":
      return "array";
    case "OptIn":
      return "boolean";
    default:
      return "unknown";
  }
}
