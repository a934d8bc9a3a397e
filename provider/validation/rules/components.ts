/**
 * Components: rules common to every component (Form placement, names, strings, min/max pairs) and the visitor map
 * `COMPONENT_RULES` (component type → its own checker, in ./component-types.ts).
 */
import type { ProblemCode } from "../codes";
import { formatRootPath, type PathSegment } from "../parser";
import { CHAR_LIMITS, INPUT_TYPES, type ComponentType } from "../schemas";
import { isDynamic, type Comp, type Obj, type RuleContext, type ScreenInfo } from "./context";
import { COMPONENT_RULES, checkDataSource } from "./component-types";
import { checkDynamic } from "./references";

/** Properties that must not be greater than their pair, with the code reported. */
const MIN_MAX_PAIRS: readonly (readonly [string, string, ProblemCode])[] = [
  ["min-chars", "max-chars", "MIN_VALUE_GREATER_THAN_MAX"],
  ["min-selected-items", "max-selected-items", "MIN_VALUE_GREATER_THAN_MAX"],
  ["min-uploaded-photos", "max-uploaded-photos", "MIN_VALUE_GREATER_THAN_MAX"],
  ["min-uploaded-documents", "max-uploaded-documents", "MIN_VALUE_GREATER_THAN_MAX"],
  ["min-days", "max-days", "INVALID_MIN_MAX_DAYS"],
];

/** Rules of every known component of a screen, then its type's own checker (`COMPONENT_RULES`). */
export function checkComponents(ctx: RuleContext, info: ScreenInfo): void {
  const hasForm = info.forms.length > 0;
  for (const comp of info.comps) {
    const { c, type, path } = comp;
    // Form rules
    if (INPUT_TYPES.has(type) && !comp.inForm) {
      if (hasForm) ctx.r.add("COMPONENTS_OUTSIDE_FORM", `Component "${String(c.name)}" must be inside the Form of its screen`, path);
      else if (!ctx.since("4.0"))
        ctx.r.add("KEYWORD_ONE_OF", `Before Flow JSON 4.0 an input component ("${String(c.name)}") must be inside a Form`, path);
    }
    if (INPUT_TYPES.has(type) && comp.inForm && ctx.since("4.0")) {
      for (const prop of ["init-value", "error-message"]) {
        if (c[prop] !== undefined)
          ctx.r.add(
            "INVALID_PROPERTY",
            `The property "${prop}" cannot be specified inside a Form; use the Form's "${prop === "init-value" ? "init-values" : "error-messages"}"`,
            path.concat(prop),
          );
      }
    }
    if (INPUT_TYPES.has(type) && typeof c.name === "string" && ctx.since("6.0") && (c.name.trim() === "" || isDynamic(c.name)))
      ctx.r.add("INVALID_PROPERTY_VALUE", `Component name "${c.name}" must be a non-blank literal`, path.concat("name"), {
        value: true,
        builder: true,
      });

    checkStrings(ctx, comp, info);
    if (type === "TextHeading" && typeof c.text === "string" && c.text.trim() === "" && !ctx.since("6.0"))
      ctx.r.add("MIN_CHARS_REQUIRED", "TextHeading text must not be blank", path.concat("text"));
    // the component type's own checker (only known types reach `info.comps`)
    COMPONENT_RULES[type as ComponentType]?.(ctx, comp, info);
    for (const [lo, hi, code] of MIN_MAX_PAIRS) {
      if (typeof c[lo] === "number" && typeof c[hi] === "number" && (c[lo] as number) > (c[hi] as number))
        ctx.r.add(code, `"${lo}" (${c[lo]}) must not be greater than "${hi}" (${c[hi]})`, path.concat(lo));
    }
    if (Array.isArray(c["data-source"])) checkDataSource(ctx, comp);
  }
  if (ctx.since("7.0") && info.forms.length > 1)
    ctx.r.add("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", "Only one Form is allowed per screen", info.forms[1].path, { builder: true });
}

/** Empty strings (6.0+), character limits (warnings) and dynamic references in a component's own properties. */
export function checkStrings(ctx: RuleContext, comp: Comp, info: ScreenInfo): void {
  const { c, type, path } = comp;
  const limits = (CHAR_LIMITS as Record<string, Record<string, number> | undefined>)[type];
  const noEmpty = ctx.since("6.0");
  for (const key in c) {
    if (key === "type" || key === "children" || key === "then" || key === "else" || key === "cases") continue;
    const v = c[key];
    if (typeof v === "string") {
      if (noEmpty && v.trim() === "") ctx.r.add("MIN_CHARS_REQUIRED", `Property "${key}" must not be empty`, path.concat(key));
      const lim = limits?.[key];
      if (lim !== undefined && v.length > lim && !isDynamic(v) && [...v].length > lim)
        ctx.r.add("MAX_CHARS_EXCEEDED", `"${key}" is ${[...v].length} characters; ${type} displays at most ${lim}`, path.concat(key), {
          severity: "warning",
        });
      if (v.includes("${")) checkDynamic(ctx, info, v, path.concat(key), key, false, type);
    } else if (v !== null && typeof v === "object") {
      const isAction = key.endsWith("-action");
      const stack: PathSegment[] = path.concat(key);
      deepStrings(ctx, v, stack, (str) => {
        if (!isAction && noEmpty && str.trim() === "")
          ctx.r.add("MIN_CHARS_REQUIRED", `Property "${formatRootPath(stack)}" must not be empty`, stack.slice());
        if (str.includes("${")) {
          // the property the string sits in: `enabled` of a data-source item, not `data-source`
          const leaf = stack[stack.length - 1];
          const prop = typeof leaf === "string" && !(isAction && stack.includes("payload")) ? leaf : key;
          checkDynamic(ctx, info, str, stack.slice(), prop, isAction && stack.includes("payload"), type);
        }
      });
    }
  }
}

/** Calls `fn` for every string under `v`; `stack` holds the current path (copy it to keep it). */
function deepStrings(ctx: RuleContext, v: unknown, stack: PathSegment[], fn: (s: string) => void): void {
  if (typeof v === "string") fn(v);
  else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      stack.push(i);
      deepStrings(ctx, v[i], stack, fn);
      stack.pop();
    }
  } else if (v !== null && typeof v === "object") {
    for (const k in v as Obj) {
      stack.push(k);
      deepStrings(ctx, (v as Obj)[k], stack, fn);
      stack.pop();
    }
  }
}
