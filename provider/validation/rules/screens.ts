/**
 * Screens: collecting each screen's components (the walk through Form/If/Switch), screen properties, the set of
 * screens (terminal, data_api_version), data models and per-screen counts on the worst render path.
 */
import { formatRootPath } from "../parser";
import { COMPONENT_SINCE, INPUT_TYPES, componentSchema, screenSchema } from "../schemas";
import type { ProblemCode } from "../codes";
import {
  MAX_COMPONENTS_PER_SCREEN,
  MAX_IF_NESTING,
  fitsType,
  hasOwn,
  hasType,
  isObj,
  typeName,
  type Comp,
  type Obj,
  type Path,
  type RuleContext,
  type ScreenInfo,
} from "./context";
import { checkComponents, checkStrings } from "./components";
import { checkDynamic } from "./references";
import { zod } from "./schema";

/** Per-screen limits counted on the worst render path through If/Switch branches. */
const PER_SCREEN_MAX: Record<string, [number, ProblemCode]> = {
  EmbeddedLink: [2, "MAX_EMBEDDED_LINK_PER_SCREEN"],
  Image: [3, "MAX_IMAGE_PER_SCREEN"],
  OptIn: [5, "MAX_OPT_IN_PER_SCREEN"],
  PhotoPicker: [1, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"],
  DocumentPicker: [1, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"],
  NavigationList: [2, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"],
  ImageCarousel: [2, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"],
};

const DATA_TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);

export function collectScreen(ctx: RuleContext, s: unknown, index: number): void {
  const path: Path = ["screens", index];
  if (!isObj(s)) {
    ctx.r.add("INVALID_PROPERTY_TYPE", `Screen must be an object, found ${typeName(s)}`, path);
    return;
  }
  zod(ctx, screenSchema(ctx.v), s, path, "screen");
  const id = typeof s.id === "string" ? s.id : undefined;
  const layout = isObj(s.layout) ? s.layout : undefined;
  const children = layout && Array.isArray(layout.children) ? layout.children : [];
  const info: ScreenInfo = {
    index,
    s,
    id,
    path,
    terminal: s.terminal === true,
    data: isObj(s.data) ? s.data : undefined,
    comps: [],
    inputs: new Map(),
    forms: [],
    actions: [],
    children,
    unknown: [],
    looseNames: new Set(),
  };
  ctx.screens.push(info);
  if (id !== undefined) {
    if (ctx.byId.has(id)) ctx.r.add("DUPLICATE_SCREEN_IDS", `Duplicate screen id "${id}"`, path.concat("id"));
    else ctx.byId.set(id, info);
  }
  walk(ctx, info, children, path.concat("layout", "children"), 0, false, false, false);
}

export function walk(
  ctx: RuleContext,
  info: ScreenInfo,
  children: unknown,
  path: Path,
  ifDepth: number,
  inSwitch: boolean,
  inForm: boolean,
  parentIf: boolean,
): void {
  if (!Array.isArray(children)) return;
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    const p = path.concat(i);
    if (!isObj(c)) {
      ctx.r.add("INVALID_PROPERTY_TYPE", `Component must be an object, found ${typeName(c)}`, p);
      continue;
    }
    const type = c.type;
    if (typeof type !== "string") {
      ctx.r.add(
        "MISSING_REQUIRED_TYPE_PROPERTY",
        `Component at "${formatRootPath(p)}" has no "type"`,
        hasOwn(c, "type") ? p.concat("type") : p,
      );
      continue;
    }
    const schema = componentSchema(type, ctx.v);
    if (!schema) {
      const since = hasOwn(COMPONENT_SINCE, type) ? (COMPONENT_SINCE as Record<string, string>)[type] : undefined;
      ctx.r.add(
        "INVALID_PROPERTY_VALUE",
        since ? `Component "${type}" is only available from Flow JSON version ${since}` : `Unknown component type "${type}"`,
        p.concat("type"),
        { value: true },
      );
      // Still check what it carries: its strings (references, expressions) and any nested components.
      const comp: Comp = { c, type, path: p, ifDepth, inSwitch, inForm, parentIf };
      info.unknown.push(comp);
      if (typeof c.name === "string") {
        if (since && INPUT_TYPES.has(type) && !info.inputs.has(c.name)) info.inputs.set(c.name, comp);
        else info.looseNames.add(c.name);
      }
      for (const key of ["children", "then", "else"])
        if (Array.isArray(c[key])) walk(ctx, info, c[key], p.concat(key), ifDepth, inSwitch, inForm, false);
      if (isObj(c.cases))
        for (const k of Object.keys(c.cases)) walk(ctx, info, c.cases[k], p.concat("cases", k), ifDepth, true, inForm, false);
      continue;
    }
    zod(ctx, schema, c, p, "component");
    const comp: Comp = { c, type, path: p, ifDepth, inSwitch, inForm, parentIf };
    info.comps.push(comp);
    if (INPUT_TYPES.has(type) && typeof c.name === "string") {
      if (info.inputs.has(c.name))
        ctx.r.add(
          "DUPLICATE_FORM_COMPONENT_NAMES",
          `Duplicate component name "${c.name}" on screen "${info.id ?? info.index}"`,
          p.concat("name"),
        );
      else info.inputs.set(c.name, comp);
    }
    for (const prop of ["on-click-action", "on-select-action", "on-unselect-action"]) {
      if (isObj(c[prop])) info.actions.push({ a: c[prop] as Obj, path: p.concat(prop), prop, comp, item: false });
    }
    for (const listProp of ["data-source", "list-items"]) {
      const items = c[listProp];
      if (!Array.isArray(items)) continue;
      items.forEach((it, j) => {
        if (!isObj(it)) return;
        for (const prop of ["on-click-action", "on-select-action", "on-unselect-action"]) {
          if (isObj(it[prop])) info.actions.push({ a: it[prop] as Obj, path: p.concat(listProp, j, prop), prop, comp, item: true });
        }
      });
    }
    if (type === "Form") {
      info.forms.push(comp);
      walk(ctx, info, c.children, p.concat("children"), ifDepth, inSwitch, true, false);
    } else if (type === "If") {
      if (ifDepth + 1 > MAX_IF_NESTING)
        ctx.r.add("MAXIMUM_IF_NESTING", `If components can be nested at most ${MAX_IF_NESTING} levels deep`, p.concat("type"));
      walk(ctx, info, c.then, p.concat("then"), ifDepth + 1, inSwitch, inForm, true);
      walk(ctx, info, c.else, p.concat("else"), ifDepth + 1, inSwitch, inForm, true);
    } else if (type === "Switch" && isObj(c.cases)) {
      for (const k of Object.keys(c.cases)) walk(ctx, info, c.cases[k], p.concat("cases", k), ifDepth, true, inForm, false);
    }
  }
}

export function checkScreen(ctx: RuleContext, info: ScreenInfo): void {
  const { s, path } = info;
  const id = info.id;
  if (id !== undefined) {
    if (id.length === 0) ctx.r.add("MIN_CHARS_REQUIRED", "Screen id must not be empty", path.concat("id"));
    else if (id.toLowerCase() === "success")
      ctx.r.add("SCREEN_ID_IS_RESERVED_KEYWORD", `Screen id "${id}" is a reserved keyword`, path.concat("id"));
    else if (!(ctx.since("7.0") ? /^[A-Za-z_]+$/ : /^[A-Za-z_,]+$/).test(id))
      ctx.r.add("PATTERN_MISMATCH", `Screen id "${id}" should only consist of alphabets and underscores`, path.concat("id"));
    else if (ctx.since("7.0") && /^_+$/.test(id))
      ctx.r.add("PATTERN_MISMATCH", `Screen id "${id}" must not consist only of underscores`, path.concat("id"), { builder: true });
  }
  if (s.title === undefined)
    ctx.r.add("MISSING_REQUIRED_PROPERTY", 'Missing required property "title" of the screen', path.concat("title"), { builder: true });
  else if (typeof s.title === "string" && ctx.since("5.0") && s.title.trim() === "")
    ctx.r.add("MIN_CHARS_REQUIRED", "Screen title must not be blank", path.concat("title"), { builder: true });
  if (s.layout === undefined && ctx.since("6.0"))
    ctx.r.add("MISSING_REQUIRED_PROPERTY", 'Missing required property "layout" of the screen', path.concat("layout"), { builder: true });
  if (s.success !== undefined && !info.terminal)
    ctx.r.add(
      "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED",
      "Property 'success' can only be specified on a terminal screen",
      path.concat("success"),
    );
  if (s.refresh_on_back === true && !ctx.hasDataApi)
    ctx.r.add(
      "INVALID_PROPERTY_VALUE",
      '"refresh_on_back" can only be true when "data_api_version" is set',
      path.concat("refresh_on_back"),
    );
  if (info.terminal && !hasType(info.children, "Footer"))
    ctx.r.add("MISSING_FOOTER_ON_TERMINAL_SCREEN", `Terminal screen "${id ?? info.index}" must have a Footer`, path.concat("terminal"));
  if (typeof s.title === "string" && s.title.includes("${")) checkDynamic(ctx, info, s.title, path.concat("title"), "title", false, "");

  checkDataModel(ctx, info);
  checkComponents(ctx, info);
  for (const comp of info.unknown) checkStrings(ctx, comp, info);
  checkCounts(ctx, info);

  if (Array.isArray(s.sensitive)) {
    const names = new Set(info.comps.map((c) => c.c.name).filter((n) => typeof n === "string"));
    s.sensitive.forEach((n, i) => {
      if (typeof n === "string" && !names.has(n))
        ctx.r.add("INVALID_SENSITIVE_FIELD", `Sensitive field "${n}" is not a component on this screen`, path.concat("sensitive", i), {
          value: true,
          builder: true,
        });
    });
  }
}

export function checkScreenSet(ctx: RuleContext, doc: Obj): void {
  if (!Array.isArray(doc.screens) || ctx.screens.length === 0) return;
  const terminals = ctx.screens.filter((x) => x.terminal);
  if (terminals.length === 0) ctx.r.add("MISSING_TERMINAL_SCREEN", "At least one screen must be terminal", ["screens"]);
  else if (!terminals.some((t) => t.s.success !== false))
    ctx.r.add(
      "INVALID_PROPERTY_VALUE",
      'At least one terminal screen must have "success" set to true',
      terminals[0].path.concat("success"),
    );
  const needsDataApi = ctx.screens.some((x) => x.actions.some((a) => a.a.name === "data_exchange"));
  if (needsDataApi && !ctx.hasDataApi) {
    const first = ctx.screens.flatMap((x) => x.actions).find((a) => a.a.name === "data_exchange")!;
    ctx.r.add(
      "MISSING_REQUIRED_PROPERTY",
      'Property "data_api_version" is required when a data_exchange action is used',
      first.path.concat("name"),
      { value: true },
    );
  }
  // warnings: data fields never referenced
  const used = ctx.usedData;
  for (const info of ctx.screens) {
    if (!info.data || ctx.hasDataApi) continue;
    for (const f of Object.keys(info.data)) {
      if (!used.has(`@${info.index}|${f}`) && !used.has(`${info.id}|${f}`))
        ctx.r.add("UNUSED_SCREEN_DATA", `Data field "${f}" of screen "${info.id}" is never used`, info.path.concat("data", f), {
          severity: "warning",
        });
    }
  }
}

function checkDataModel(ctx: RuleContext, info: ScreenInfo): void {
  const data = info.data;
  if (!data) return;
  const base = info.path.concat("data");
  for (const [name, field] of Object.entries(data)) {
    const fp = base.concat(name);
    if (/[-\s`'"]/.test(name))
      ctx.r.add("INVALID_SCREEN_DATA", `Data field name "${name}" should avoid '-', spaces, backticks and quotes`, fp, {
        severity: "warning",
      });
    if (!isObj(field)) {
      ctx.r.add("INVALID_SCREEN_DATA", `Data field "${name}" must be an object with a "type"`, fp);
      continue;
    }
    if (!checkDataSchema(ctx, field, fp, name, true)) continue;
    if (!hasOwn(field, "__example__")) ctx.r.add("INVALID_SCREEN_DATA", `Data field "${name}" has no "__example__"`, fp, { builder: true });
    else if (!fitsType(field.__example__, field.type as string))
      ctx.r.add(
        "INVALID_SCREEN_DATA",
        `"__example__" of data field "${name}" must be of type ${String(field.type)}`,
        fp.concat("__example__"),
      );
  }
}

/** Checks a JSON-Schema-like field model; returns false when unusable. */
function checkDataSchema(ctx: RuleContext, field: Obj, path: Path, name: string, top: boolean): boolean {
  if (!top && hasOwn(field, "__example__"))
    ctx.r.add("INVALID_SCREEN_DATA", `"__example__" is only allowed at the top level of data field "${name}"`, path.concat("__example__"));
  const t = field.type;
  if (typeof t !== "string" || !DATA_TYPES.has(t)) {
    ctx.r.add(
      "INVALID_SCREEN_DATA",
      `Data field "${name}" needs a "type" among ${[...DATA_TYPES].join(", ")}`,
      hasOwn(field, "type") ? path.concat("type") : path,
    );
    return false;
  }
  if (t === "array") {
    const items = field.items;
    if (typeof items !== "boolean" && !isObj(items)) {
      ctx.r.add("INVALID_SCREEN_DATA", `Array data field "${name}" needs "items"`, path);
      return false;
    }
    if (isObj(items) && items.type !== undefined) checkDataSchema(ctx, items, path.concat("items"), name, false);
  }
  if (t === "object" && isObj(field.properties)) {
    for (const [k, sub] of Object.entries(field.properties))
      if (isObj(sub)) checkDataSchema(ctx, sub, path.concat("properties", k), name, false);
  }
  return true;
}

function checkCounts(ctx: RuleContext, info: ScreenInfo): void {
  const counts = pathCounts(info.children);
  const total = counts.get("*") ?? 0;
  if (total > MAX_COMPONENTS_PER_SCREEN)
    ctx.r.add(
      "MAX_ALLOWED_COMPONENTS_PER_SCREEN",
      `A screen can have at most ${MAX_COMPONENTS_PER_SCREEN} components, found ${total}`,
      info.path.concat("layout", "children"),
    );
  const footers = counts.get("Footer") ?? 0;
  if (footers > 1) {
    const all = info.comps.filter((x) => x.type === "Footer");
    const branched = all.some((x) => x.ifDepth > 0 || x.inSwitch);
    ctx.r.add(
      branched ? "MORE_THAN_ONE_FOOTER" : "MAX_FOOTER_PER_SCREEN",
      `A screen can have only one Footer, found ${footers}`,
      all[1].path,
    );
  }
  for (const [type, [max, code]] of Object.entries(PER_SCREEN_MAX)) {
    const n = counts.get(type) ?? 0;
    if (n > max) {
      const all = info.comps.filter((x) => x.type === type);
      ctx.r.add(code, `A screen can have at most ${max} ${type} component(s), found ${n}`, all[max]?.path ?? all[all.length - 1].path);
    }
  }
  if ((counts.get("PhotoPicker") ?? 0) > 0 && (counts.get("DocumentPicker") ?? 0) > 0) {
    const d = info.comps.find((x) => x.type === "DocumentPicker")!;
    ctx.r.add("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", "PhotoPicker and DocumentPicker cannot be used on the same screen", d.path);
  }
}

/** Component counts on the worst render path: sequences add up, If/Switch branches take the maximum. "*" = all. */
function pathCounts(children: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!Array.isArray(children)) return out;
  const add = (m: Map<string, number>) => {
    for (const [k, n] of m) out.set(k, (out.get(k) ?? 0) + n);
  };
  for (const c of children) {
    if (!isObj(c) || typeof c.type !== "string") continue;
    out.set(c.type, (out.get(c.type) ?? 0) + 1);
    out.set("*", (out.get("*") ?? 0) + 1);
    if (c.type === "Form") add(pathCounts(c.children));
    else if (c.type === "If") add(maxOf([pathCounts(c.then), pathCounts(c.else)]));
    else if (c.type === "Switch" && isObj(c.cases)) add(maxOf(Object.keys(c.cases).map((k) => pathCounts((c.cases as Obj)[k]))));
  }
  return out;
}

function maxOf(maps: Map<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of maps) for (const [k, n] of m) out.set(k, Math.max(out.get(k) ?? 0, n));
  return out;
}
