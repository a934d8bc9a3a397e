/** Components: one checker per component type, gathered in the visitor map `COMPONENT_RULES`. */
import type { ProblemCode } from "../codes";
import { DATA_SOURCE_ITEM_LIMITS, PICKER_TYPES, type ComponentType } from "../schemas";
import { get, hasType, isDynamic, isObj, type Comp, type Obj, type Path, type RuleContext, type ScreenInfo } from "./context";
import { checkCondition } from "./references";

const EMAIL_INPUTS_FOR_PATTERN = new Set(["text", "number", "password", "passcode"]);

/** Type of an input's value in a Form's `init-values` (7.0+ type-checks them). */
const INIT_VALUE_TYPES: Record<string, string> = {
  CheckboxGroup: "array",
  ChipsSelector: "array",
  OptIn: "boolean",
  CalendarPicker: "range",
};

/** NavigationList item display limits (characters), warnings. */
const NAV_ITEM_LIMITS: [string[], number][] = [
  [["main-content", "title"], 30],
  [["main-content", "description"], 20],
  [["main-content", "metadata"], 80],
  [["end", "title"], 10],
  [["end", "description"], 10],
  [["end", "metadata"], 10],
  [["badge"], 15],
];

/**
 * Image data must be base64 (Meta: "Base64 of an image"); a URL or a data: URI is not fetched or decoded.
 * Returns true for a literal base64 string (so size checks can follow).
 */
function checkBase64Image(ctx: RuleContext, v: unknown, path: Path): boolean {
  if (typeof v !== "string" || isDynamic(v) || v.trim() === "") return false;
  const problem = base64Problem(v);
  if (problem) ctx.r.add("INVALID_PROPERTY_VALUE_FORMAT", problem, path, { value: true });
  return !problem;
}

function checkFooter(ctx: RuleContext, comp: Comp): void {
  const { c, path } = comp;
  const left = c["left-caption"] !== undefined;
  const right = c["right-caption"] !== undefined;
  if (left !== right)
    ctx.r.add(
      "INVALID_DEPENDENCIES",
      '"left-caption" and "right-caption" must be specified together',
      path.concat(left ? "left-caption" : "right-caption"),
    );
  if (c["center-caption"] !== undefined && (left || right))
    ctx.r.add(
      "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED",
      '"center-caption" cannot be combined with "left-caption" or "right-caption"',
      path.concat("center-caption"),
    );
  if (comp.ifDepth > 1 || (comp.ifDepth > 0 && comp.inSwitch))
    ctx.r.add("INVALID_COMPONENT_PLACEMENT", "A Footer can only be placed in a first-level If", path);
}

export function checkIf(ctx: RuleContext, comp: Comp, info: ScreenInfo): void {
  const { c, path } = comp;
  const thenF = hasType(c.then, "Footer");
  const elseF = hasType(c.else, "Footer");
  if (thenF !== elseF)
    ctx.r.add(
      "MISSING_FOOTER_IN_IF_ELSE_BRANCHES",
      'A Footer in an If must be present in both "then" and "else"',
      path.concat(thenF ? "else" : "then"),
    );
  if (typeof c.condition === "string") checkCondition(ctx, c.condition, path.concat("condition"), info);
}

function checkSwitch(ctx: RuleContext, comp: Comp): void {
  const { c, path } = comp;
  if (!isObj(c.cases)) return;
  const keys = Object.keys(c.cases);
  if (keys.length === 0) {
    ctx.r.add("EMPTY_SWITCH_CASES", "Switch must have at least one case", path.concat("cases"));
    return;
  }
  for (const k of keys)
    if (!/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(k))
      ctx.r.add("PATTERN_MISMATCH", `Switch case key "${k}" must match ^[a-zA-Z][a-zA-Z0-9-_]*$`, path.concat("cases", k));
  const withFooter = keys.filter((k) => hasType(c.cases && (c.cases as Obj)[k], "Footer"));
  if (withFooter.length > 0 && withFooter.length < keys.length) {
    const missing = keys.find((k) => !withFooter.includes(k))!;
    ctx.r.add(
      "MISSING_FOOTER_IN_SWITCH_BRANCHES",
      "A Footer in one Switch case must be present in every case",
      path.concat("cases", missing),
    );
  }
}

function checkForm(ctx: RuleContext, comp: Comp, info: ScreenInfo): void {
  const { c, path } = comp;
  for (const prop of ["init-values", "error-messages"]) {
    const vals = c[prop];
    if (!isObj(vals)) continue;
    for (const k of Object.keys(vals)) {
      const input = info.inputs.get(k);
      if (input && PICKER_TYPES.has(input.type) && prop === "init-values")
        ctx.r.add("NATIVE_COMPONENT_IN_FORM_INIT_VALUES", `${input.type} "${k}" cannot have an initial value`, path.concat(prop, k));
      else if (!input && ctx.since("7.0"))
        ctx.r.add("INVALID_PROPERTY_VALUE", `"${prop}" names "${k}", which is not an input of this Form`, path.concat(prop, k));
      else if (input && ctx.since("7.0")) {
        const v = vals[k];
        if (typeof v === "string" && isDynamic(v)) continue;
        const want = prop === "error-messages" ? "string" : (INIT_VALUE_TYPES[input.type] ?? "string");
        const ok =
          want === "array"
            ? Array.isArray(v) && v.every((x) => typeof x === "string")
            : want === "range"
              ? typeof v === "string" || isObj(v)
              : typeof v === want;
        if (!ok)
          ctx.r.add(
            "INVALID_PROPERTY_VALUE",
            `"${prop}.${k}" must be ${want === "array" ? "an array of strings" : want === "range" ? "a date or {start-date, end-date}" : `a ${want}`} for ${input.type} "${k}"`,
            path.concat(prop, k),
            { value: true },
          );
      }
    }
  }
}

function checkTextInput(ctx: RuleContext, comp: Comp): void {
  const { c, path } = comp;
  if (c.pattern === undefined) return;
  const it = typeof c["input-type"] === "string" ? (c["input-type"] as string) : "text";
  if (!isDynamic(it) && !EMAIL_INPUTS_FOR_PATTERN.has(it))
    ctx.r.add("INVALID_PROPERTY_VALUE", `"pattern" cannot be used with input-type "${it}"`, path.concat("pattern"));
  if (c["helper-text"] === undefined)
    ctx.r.add("INVALID_DEPENDENCIES", '"helper-text" is required when "pattern" is set', path.concat("pattern"));
  if (typeof c.pattern === "string" && !isDynamic(c.pattern)) {
    try {
      new RegExp(c.pattern);
    } catch {
      ctx.r.add("INVALID_PROPERTY_VALUE_FORMAT", `"pattern" is not a valid regular expression`, path.concat("pattern"), { value: true });
    }
  }
}

function checkDates(ctx: RuleContext, comp: Comp): void {
  const { c, type, path } = comp;
  const iso = type === "CalendarPicker" || ctx.since("5.0");
  const ok = (d: string) => (iso ? /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d)) : /^\d+$/.test(d));
  const fmt = iso ? "YYYY-MM-DD" : "a timestamp in milliseconds";
  const check = (v: unknown, p: Path, code: ProblemCode = "INVALID_PROPERTY_VALUE_FORMAT") => {
    if (typeof v === "string" && !isDynamic(v) && !ok(v)) ctx.r.add(code, `Date "${v}" must be ${fmt}`, p, { value: true });
  };
  check(c["min-date"], path.concat("min-date"));
  check(c["max-date"], path.concat("max-date"));
  if (Array.isArray(c["unavailable-dates"])) c["unavailable-dates"].forEach((d, i) => check(d, path.concat("unavailable-dates", i)));
  const range = c.mode === "range";
  const init = c["init-value"];
  if (typeof init === "string")
    check(init, path.concat("init-value"), range ? "INVALID_PROPERTY_VALUE_FORMAT" : "INVALID_DATE_SINGLE_INIT_VALUE_FORMAT");
  else if (isObj(init)) for (const k of Object.keys(init)) check(init[k], path.concat("init-value", k));
  const lo = c["min-date"];
  const hi = c["max-date"];
  if (typeof lo === "string" && typeof hi === "string" && ok(lo) && ok(hi) && (iso ? lo > hi : Number(lo) > Number(hi)))
    ctx.r.add("INVALID_DATE_RANGE", `"min-date" (${lo}) is after "max-date" (${hi})`, path.concat("min-date"));
  if (type !== "CalendarPicker") return;
  const rangeProps = ["label", "helper-text", "required", "init-value", "error-message"];
  if (!range) {
    for (const prop of rangeProps)
      if (isObj(c[prop]))
        ctx.r.add(
          "UNEXPECTED_CALENDAR_PICKER_RANGE_MODE_PROP",
          `"${prop}" as {start-date, end-date} is only valid in range mode`,
          path.concat(prop),
        );
    for (const prop of ["min-days", "max-days", "title", "description"])
      if (c[prop] !== undefined)
        ctx.r.add("UNEXPECTED_CALENDAR_PICKER_RANGE_MODE_PROP", `"${prop}" is only valid in range mode`, path.concat(prop));
  } else {
    if (typeof c.label === "string")
      ctx.r.add(
        "MISSING_CALENDAR_PICKER_RANGE_MODE_PROP",
        'In range mode "label" must be {"start-date", "end-date"}',
        path.concat("label"),
      );
    for (const prop of rangeProps) {
      const v = c[prop];
      if (isObj(v) && (v["start-date"] === undefined || v["end-date"] === undefined))
        ctx.r.add(
          "MISSING_CALENDAR_PICKER_RANGE_MODE_PROP",
          `In range mode "${prop}" needs both "start-date" and "end-date"`,
          path.concat(prop),
        );
    }
  }
}

function checkRichText(ctx: RuleContext, comp: Comp, info: ScreenInfo): void {
  const text = comp.c.text;
  const parts = typeof text === "string" ? [text] : Array.isArray(text) ? text : [];
  parts.forEach((t, i) => {
    if (typeof t === "string" && t.includes("${") && !(typeof text === "string" && /^\$\{data\.[\w-]+\}$/.test(t)))
      ctx.r.add(
        "INVALID_PROPERTY_VALUE",
        "RichText text must be static or one whole ${data.x} binding",
        typeof text === "string" ? comp.path.concat("text") : comp.path.concat("text", i),
        { value: true },
      );
  });
  const others = info.comps.filter((x) => x !== comp && !(ctx.since("6.3") && x.type === "Footer"));
  if (others.length > 0)
    ctx.r.add(
      "INVALID_RICHTEXT_PLACEMENT",
      ctx.since("6.3") ? "RichText can only share its screen with a Footer" : "RichText must be the only component on its screen",
      comp.path,
    );
}

function checkNavigationList(ctx: RuleContext, comp: Comp, info: ScreenInfo): void {
  const { c, path } = comp;
  if (info.terminal) ctx.r.add("INVALID_COMPONENT_PLACEMENT", "NavigationList cannot be used on a terminal screen", path);
  const other = info.comps.find((x) => x.type !== "NavigationList");
  if (other) ctx.r.add("INVALID_COMPONENT_PLACEMENT", `NavigationList cannot be combined with ${other.type} on one screen`, other.path);
  const items = c["list-items"];
  if (!Array.isArray(items)) return;
  items.forEach((it, i) => {
    if (!isObj(it)) return;
    for (const [keys, lim] of NAV_ITEM_LIMITS) {
      const v = get(it, keys);
      if (typeof v === "string" && v.length > lim && !isDynamic(v) && [...v].length > lim)
        ctx.r.add(
          "MAX_CHARS_EXCEEDED",
          `NavigationList item ${keys.join(".")} is ${[...v].length} characters; at most ${lim} are displayed`,
          path.concat("list-items", i, ...keys),
          { severity: "warning" },
        );
    }
    if (Array.isArray(it.tags))
      it.tags.forEach((t, k) => {
        if (typeof t === "string" && [...t].length > 15)
          ctx.r.add(
            "MAX_CHARS_EXCEEDED",
            `NavigationList tag is ${[...t].length} characters; at most 15 are displayed`,
            path.concat("list-items", i, "tags", k),
            { severity: "warning" },
          );
      });
  });
  const itemActions = items.some((it) => isObj(it) && it["on-click-action"] !== undefined);
  if (itemActions && c["on-click-action"] !== undefined)
    ctx.r.add(
      "INVALID_PROPERTY_VALUE",
      '"on-click-action" can be set on the NavigationList or on its items, not both',
      path.concat("on-click-action"),
    );
  const badges = items.map((it, i) => (isObj(it) && it.badge !== undefined ? i : -1)).filter((i) => i >= 0);
  if (badges.length > 1)
    ctx.r.add("INVALID_PROPERTY_VALUE", "Only one NavigationList item can have a badge", path.concat("list-items", badges[1], "badge"));
  if (c["media-size"] === "large") {
    const i = items.findIndex((it) => isObj(it) && it.end !== undefined);
    if (i >= 0) ctx.r.add("INVALID_PROPERTY_VALUE", '"end" cannot be used with media-size "large"', path.concat("list-items", i, "end"));
  }
}

export function checkDataSource(ctx: RuleContext, comp: Comp): void {
  const { c, type, path } = comp;
  const items = c["data-source"] as unknown[];
  let image = -1;
  let color = -1;
  const compAction = c["on-select-action"] !== undefined || c["on-unselect-action"] !== undefined;
  const ds = ctx.dsSince;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (!isObj(it)) continue;
    const ip = () => path.concat("data-source", i);
    if (it.image !== undefined && image < 0) image = i;
    if (it.color !== undefined && color < 0) color = i;
    for (const [prop, since] of ds)
      if (it[prop] !== undefined)
        ctx.r.add("INVALID_PROPERTY", `The property "${prop}" of a data-source item needs Flow JSON ${since}`, ip().concat(prop));
    if (typeof it.color === "string" && !/^#[0-9A-Fa-f]{6}$/.test(it.color))
      ctx.r.add("PATTERN_MISMATCH", `Color "${it.color}" must be #RRGGBB`, ip().concat("color"), { value: true });
    if (compAction && (it["on-select-action"] !== undefined || it["on-unselect-action"] !== undefined))
      ctx.r.add(
        "INVALID_PROPERTY_VALUE",
        "An action cannot be set on both the component and its data-source items",
        ip().concat(it["on-select-action"] !== undefined ? "on-select-action" : "on-unselect-action"),
      );
    for (const prop in DATA_SOURCE_ITEM_LIMITS) {
      const lim = DATA_SOURCE_ITEM_LIMITS[prop];
      const v = it[prop];
      if (typeof v === "string" && v.length > lim && !isDynamic(v) && [...v].length > lim)
        ctx.r.add(
          "MAX_CHARS_EXCEEDED",
          `"${prop}" of a data-source item is ${[...v].length} characters; at most ${lim} are displayed`,
          ip().concat(prop),
          { severity: "warning" },
        );
    }
    if (typeof it.image === "string" && checkBase64Image(ctx, it.image, ip().concat("image"))) {
      const kb = ((it.image as string).length * 3) / 4 / 1024;
      const max = ctx.since("6.0") ? 100 : 300;
      if (kb > max)
        ctx.r.add("MAX_IMAGE_SIZE_EXCEEDED", `Data-source image is ${Math.round(kb)} KB; at most ${max} KB`, ip().concat("image"), {
          severity: "warning",
        });
    }
  }
  if (image >= 0 && color >= 0)
    ctx.r.add(
      "DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR",
      "Data-source items cannot mix images and colors",
      path.concat("data-source", Math.max(image, color), image > color ? "image" : "color"),
    );
  if (type === "Dropdown" && image >= 0 && items.length > 100)
    ctx.r.add("MAX_ITEMS_REQUIRED", "A Dropdown with images can have at most 100 options", path.concat("data-source"));
}

function checkChipsSelector(ctx: RuleContext, comp: Comp): void {
  if ((comp.ifDepth > 0 || comp.inSwitch) && !ctx.since("7.1"))
    ctx.r.add("INVALID_COMPONENT_PLACEMENT", "ChipsSelector can be used inside If/Switch only from Flow JSON 7.1", comp.path);
}

function checkImageCarousel(ctx: RuleContext, comp: Comp): void {
  const { c, path } = comp;
  if (Array.isArray(c.images)) c.images.forEach((img, i) => isObj(img) && checkBase64Image(ctx, img.src, path.concat("images", i, "src")));
  ctx.carouselCount++;
  if (ctx.carouselCount === 4)
    ctx.r.add("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", "A flow can have at most 3 ImageCarousel components", path);
}

function checkImage(ctx: RuleContext, comp: Comp): void {
  const { c, path } = comp;
  if (checkBase64Image(ctx, c.src, path.concat("src")) && (c.src as string).length * 0.75 > 300 * 1024)
    ctx.r.add("MAX_IMAGE_SIZE_EXCEEDED", "Image is larger than the recommended 300 KB", path.concat("src"), {
      severity: "warning",
    });
}

/** A checker run on every component of one type (after the rules common to all components). */
export type ComponentRule = (ctx: RuleContext, comp: Comp, info: ScreenInfo) => void;

/** The visitor map: component type → its own checker. A type without an entry has only the common rules. */
export const COMPONENT_RULES: Readonly<Partial<Record<ComponentType, ComponentRule>>> = {
  Footer: checkFooter,
  If: checkIf,
  Switch: checkSwitch,
  Form: checkForm,
  TextInput: checkTextInput,
  DatePicker: checkDates,
  CalendarPicker: checkDates,
  RichText: checkRichText,
  NavigationList: checkNavigationList,
  ChipsSelector: checkChipsSelector,
  ImageCarousel: checkImageCarousel,
  Image: checkImage,
};

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why `v` is not base64 image data, or null. Whitespace (wrapped lines) is tolerated. */
function base64Problem(v: string): string | null {
  const t = v.trim();
  if (/^https?:\/\//i.test(t)) return "Image data must be base64-encoded; a URL is not accepted";
  if (/^data:/i.test(t)) return "Image data must be plain base64, without a data: URI prefix";
  const compact = /\s/.test(t) ? t.replace(/\s+/g, "") : t;
  if (!BASE64_RE.test(compact) || compact.length % 4 === 1) return "Image data is not valid base64";
  return null;
}
