/**
 * Semantic validation of a parsed Flow JSON document: schemas (zod) per node, then cross-cutting rules
 * (screens, components, limits, actions, dynamic references, data models, routing). See README.md.
 */
import type { z } from "zod";
import { EXPRESSION_SINCE, checkExpression, parseExpression, type ExprNode, type ExprRef, type ExprType } from "./expressions";
import { fastAccept } from "./fastpath";
import { formatRootPath, type PathSegment } from "./parser";
import type { AddOptions, Reporter } from "./report";
import {
  CHAR_LIMITS,
  DATA_SOURCE_ITEM_LIMITS,
  DATA_SOURCE_ITEM_SINCE,
  INPUT_TYPES,
  PICKER_TYPES,
  componentSchema,
  documentSchema,
  screenSchema,
  COMPONENTS,
  COMPONENT_SINCE,
  type ComponentType,
} from "./schemas";
import { DATA_API_VERSIONS, LATEST_FLOW_JSON_VERSION, versionInfo, versionNumber } from "./versions";
import type { ValidateOptions } from "./types";

type Obj = Record<string, unknown>;
type Path = PathSegment[];

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isDynamic = (s: string) => s.includes("${") || s.startsWith("`");
const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

interface Comp {
  c: Obj;
  type: string;
  path: Path;
  /** If nesting depth (0 = not in an If). */
  ifDepth: number;
  inSwitch: boolean;
  inForm: boolean;
  parentIf: boolean;
}

interface ActionRef {
  a: Obj;
  path: Path;
  /** Property holding the action, e.g. `on-click-action`. */
  prop: string;
  comp: Comp;
  /** Data-source or list item holding the action, when not the component itself. */
  item: boolean;
}

interface ScreenInfo {
  index: number;
  s: Obj;
  id: string | undefined;
  path: Path;
  terminal: boolean;
  data: Obj | undefined;
  comps: Comp[];
  inputs: Map<string, Comp>;
  forms: Comp[];
  actions: ActionRef[];
  children: unknown[];
  /** Components of an unknown type, or of a type newer than the version: their strings are still checked. */
  unknown: Comp[];
  /** `name`s carried by unknown components: a `${form.x}` to one of them is not reported a second time. */
  looseNames: Set<string>;
}

const EMAIL_INPUTS_FOR_PATTERN = new Set(["text", "number", "password", "passcode"]);

/** Which actions each action-holding property accepts (version gates in ACTION_SINCE). */
function allowedActions(type: string, prop: string, item: boolean): string[] {
  if (item) return prop === "on-click-action" ? ["navigate", "data_exchange"] : ["update_data"];
  if (prop === "on-unselect-action") return ["update_data"];
  switch (type) {
    case "Footer":
      return ["navigate", "complete", "data_exchange"];
    case "EmbeddedLink":
      return ["navigate", "data_exchange", "open_url"];
    case "OptIn":
      return prop === "on-click-action" ? ["navigate", "data_exchange", "open_url"] : ["update_data"];
    case "NavigationList":
      return ["navigate", "data_exchange"];
    case "DatePicker":
    case "CalendarPicker":
      return ["data_exchange"];
    case "CheckboxGroup":
    case "RadioButtonsGroup":
    case "Dropdown":
    case "ChipsSelector":
      return ["data_exchange", "update_data"];
    default:
      return [];
  }
}
const ACTION_SINCE: Record<string, string> = { update_data: "6.0", open_url: "6.0" };
const KNOWN_ACTIONS = new Set(["navigate", "complete", "data_exchange", "update_data", "open_url"]);

/** Per-screen limits counted on the worst render path through If/Switch branches. */
const PER_SCREEN_MAX: Record<string, [number, string]> = {
  EmbeddedLink: [2, "MAX_EMBEDDED_LINK_PER_SCREEN"],
  Image: [3, "MAX_IMAGE_PER_SCREEN"],
  OptIn: [5, "MAX_OPT_IN_PER_SCREEN"],
  PhotoPicker: [1, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"],
  DocumentPicker: [1, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"],
  NavigationList: [2, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"],
  ImageCarousel: [2, "COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN"],
};
const MAX_COMPONENTS_PER_SCREEN = 50;
const MAX_SCREENS = 100;
const MAX_BRANCHES = 10;
const MAX_IF_NESTING = 3;

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

const DATA_TYPES = new Set(["string", "number", "integer", "boolean", "array", "object"]);
const REF_RE = /\$\{([^}]*)\}/g;
/** The dotted path at the start of a reference (`data.items.length` of `data.items.length > 0`). */
const REF_LEAD = /^[A-Za-z_][\w-]*(?:\.[\w-]+)*/;

export class FlowValidator {
  private v = versionNumber(LATEST_FLOW_JSON_VERSION);
  private versionText = LATEST_FLOW_JSON_VERSION;
  private screens: ScreenInfo[] = [];
  private byId = new Map<string, ScreenInfo>();
  private hasDataApi = false;
  private carouselCount = 0;
  /** Data-source item properties not yet available in this version. */
  private dsSince: [string, string][] = [];
  private sinceMemo = new Map<string, boolean>();
  /** `${screen|@}|${field}` for every data field referenced somewhere. */
  private usedData = new Set<string>();

  constructor(
    private readonly doc: unknown,
    private readonly r: Reporter,
    private readonly options: ValidateOptions,
  ) {}

  private since(version: string): boolean {
    let hit = this.sinceMemo.get(version);
    if (hit === undefined) this.sinceMemo.set(version, (hit = this.v >= versionNumber(version)));
    return hit;
  }

  run(): void {
    const doc = this.doc;
    if (!isObj(doc)) {
      this.r.add("INVALID_PROPERTY_TYPE", `Flow JSON must be an object, found ${typeName(doc)}`, [], { value: true });
      return;
    }
    this.checkVersion(doc);
    this.dsSince = Object.entries(DATA_SOURCE_ITEM_SINCE).filter(([, since]) => !this.since(since));
    this.zod(documentSchema(this.v), doc, [], "document");
    this.checkDocument(doc);
    const screens = doc.screens;
    if (!Array.isArray(screens)) return;
    screens.forEach((s, i) => this.collectScreen(s, i));
    for (const info of this.screens) this.checkScreen(info);
    this.checkScreenSet(doc);
    for (const info of this.screens) for (const a of info.actions) this.checkAction(info, a, doc);
    this.checkRouting(doc);
  }

  // ------------------------------------------------------------------------------------------ versions
  private checkVersion(doc: Obj): void {
    const target = this.options.target;
    if (!hasOwn(doc, "version")) {
      this.r.add("MISSING_FLOW_JSON_VERSION", "Property 'version' is required", ["version"], { category: "schema" });
      return;
    }
    const version = doc.version;
    if (typeof version !== "string" || Number.isNaN(versionNumber(version))) {
      this.r.add(
        "INVALID_FLOW_JSON_VERSION",
        `Flow JSON version ${JSON.stringify(version)} is not a "major.minor" version string`,
        ["version"],
        {
          value: true,
          category: "schema",
        },
      );
      return;
    }
    // schemas of versions older than the oldest documented one (2.1) are those of 2.1
    this.v = Math.max(versionNumber(version), versionNumber("2.1"));
    this.versionText = version;
    const info = versionInfo(version);
    if (info?.status === "frozen" || (!info && this.v < versionNumber("5.1"))) {
      const when = info?.frozenOn ? ` since ${info.frozenOn}` : "";
      this.r.add(
        "UNSUPPORTED_FLOW_JSON_VERSION",
        `Flow JSON version ${version} is ${info ? `frozen${when}` : "not supported"}: flows on it cannot be created, updated or published`,
        ["version"],
        { value: true, category: "version" },
      );
    } else if (!info || info.status === "early") {
      // AWS accepts exactly the versions marked `aws` in FLOW_JSON_VERSIONS; elsewhere an early/unknown version is advice.
      const aws = target === "aws";
      this.r.add(
        "UNAVAILABLE_FLOW_JSON_VERSION",
        info
          ? `Flow JSON version ${version} is an early release not in Meta's public changelog${aws ? " and is not accepted by AWS End User Messaging Social" : ""}`
          : `Flow JSON version ${version} is unknown${aws ? "; AWS End User Messaging Social accepts 5.1, 6.0-6.3 and 7.0-7.3" : " (not released yet?)"}`,
        ["version"],
        { value: true, severity: aws ? "error" : "warning", category: "version" },
      );
    } else if (target === "aws" && !info.aws) {
      this.r.add(
        "UNAVAILABLE_FLOW_JSON_VERSION",
        `Flow JSON version ${version} is not accepted by AWS End User Messaging Social`,
        ["version"],
        {
          value: true,
          category: "version",
        },
      );
    }
  }

  // ------------------------------------------------------------------------------------------ zod
  /** Runs a zod schema on `value` (at `path`) and reports its issues in Meta's vocabulary. */
  private zod(schema: z.ZodType, value: unknown, path: Path, kind: "document" | "screen" | "component"): boolean {
    if (fastAccept(schema)(value)) return true;
    const res = schema.safeParse(value);
    if (res.success) return true;
    for (const issue of res.error.issues) this.zodIssue(issue as any, value, path, kind);
    return false;
  }

  private zodIssue(issue: any, root: unknown, base: Path, kind: string): void {
    const rel: Path = (issue.path ?? []).map((p: unknown) => (typeof p === "number" ? p : String(p)));
    const path = base.concat(rel);
    const actual = get(root, rel);
    const where = formatRootPath(path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys as string[]) {
          const code = kind === "component" && rel.length === 0 ? "INVALID_PROPERTY" : "INVALID_PROPERTY_KEY";
          this.r.add(code, `The property "${key}" cannot be specified at "${where}"${this.sinceHint(root, rel, key)}`, path.concat(key));
        }
        return;
      case "invalid_type":
        if (actual === undefined)
          this.r.add(
            "MISSING_REQUIRED_PROPERTY",
            `Missing required property "${String(rel[rel.length - 1] ?? "")}" at "${formatRootPath(path.slice(0, -1))}"`,
            path,
          );
        else this.r.add("INVALID_PROPERTY_TYPE", `Expected ${issue.expected} at "${where}", found ${typeName(actual)}`, path);
        return;
      case "invalid_union": {
        if (actual === undefined) {
          this.r.add(
            "MISSING_REQUIRED_PROPERTY",
            `Missing required property "${String(rel[rel.length - 1] ?? "")}" at "${formatRootPath(path.slice(0, -1))}"`,
            path,
          );
          return;
        }
        const branches: any[][] = issue.errors ?? [];
        const matched = branches.find((b) => b.length > 0 && !b.some(isTypeMismatch));
        if (matched) {
          for (const sub of matched)
            this.zodIssue({ ...sub, path: rel.concat(sub.path ?? []) }, root, base, kind === "component" ? "component-nested" : kind);
          return;
        }
        const expected = branches
          .map((b) => b.find((i) => i.code === "invalid_type")?.expected ?? (b.some(isTypeMismatch) ? "a ${…} binding" : undefined))
          .filter(Boolean);
        this.r.add(
          "INVALID_PROPERTY_TYPE",
          `Expected ${expected.join(" or ") || "another type"} at "${where}", found ${typeName(actual)}`,
          path,
        );
        return;
      }
      case "invalid_value":
        this.r.add(
          "INVALID_ENUM_VALUE",
          `Invalid value ${JSON.stringify(actual)} at "${where}": expected one of ${(issue.values ?? []).map((x: unknown) => JSON.stringify(x)).join(", ")}`,
          path,
          { value: true },
        );
        return;
      case "too_small":
        if (issue.origin === "array") this.r.add("MIN_ITEMS_REQUIRED", `At least ${issue.minimum} item(s) required at "${where}"`, path);
        else if (issue.origin === "string")
          this.r.add("MIN_CHARS_REQUIRED", `At least ${issue.minimum} character(s) required at "${where}"`, path);
        else this.r.add("MINIMUM_VALUE_REQUIRED", `Value at "${where}" must be at least ${issue.minimum}`, path);
        return;
      case "too_big":
        if (issue.origin === "array") this.r.add("MAX_ITEMS_REQUIRED", `At most ${issue.maximum} item(s) allowed at "${where}"`, path);
        else this.r.add("MAXIMUM_VALUE_REQUIRED", `Value at "${where}" must be at most ${issue.maximum}`, path);
        return;
      case "invalid_format":
        this.r.add("PATTERN_MISMATCH", `Value ${JSON.stringify(actual)} at "${where}" does not match the expected format`, path, {
          value: true,
        });
        return;
      default:
        this.r.add("INVALID_PROPERTY_VALUE", `${issue.message ?? "Invalid value"} at "${where}"`, path);
    }
  }

  /** " (available from version X)" when an unknown component property exists in a later version. */
  private sinceHint(root: unknown, rel: Path, key: string): string {
    if (rel.length !== 0 || !isObj(root) || typeof root.type !== "string") return "";
    const t = root.type as ComponentType;
    const full = (COMPONENTS as any)[t];
    if (!full || !(key in full.shape)) return "";
    return ` in Flow JSON version ${this.versionText}`;
  }

  // ------------------------------------------------------------------------------------------ document
  private checkDocument(doc: Obj): void {
    const screens = doc.screens;
    if (Array.isArray(screens)) {
      if (screens.length === 0) this.r.add("MIN_ITEMS_REQUIRED", "At least one screen is required", ["screens"]);
      if (screens.length > MAX_SCREENS)
        this.r.add("MAX_SCREENS_NUMBER", `A flow can have at most ${MAX_SCREENS} screens, found ${screens.length}`, ["screens"]);
    }
    const dav = doc.data_api_version;
    if (typeof dav === "string") {
      this.hasDataApi = true;
      const from = hasOwn(DATA_API_VERSIONS, dav) ? DATA_API_VERSIONS[dav] : undefined;
      if (!from)
        this.r.add(
          "INVALID_DATA_API_VERSION",
          `Invalid data_api_version "${dav}": expected one of ${Object.keys(DATA_API_VERSIONS).join(", ")}`,
          ["data_api_version"],
          { value: true },
        );
      else if (!this.since(from))
        this.r.add(
          "NO_SUPPORTED_DATA_API_VERSION",
          `data_api_version "${dav}" requires Flow JSON version ${from} or later`,
          ["data_api_version"],
          { value: true },
        );
      if (!hasOwn(doc, "routing_model"))
        this.r.add("MISSING_REQUIRED_PROPERTY", 'Property "routing_model" is required when "data_api_version" is set', ["routing_model"]);
    }
    const uri = doc.data_channel_uri;
    if (typeof uri === "string" && !this.since("3.0") && !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(uri)) {
      this.r.add("INVALID_PROPERTY_VALUE_FORMAT", `data_channel_uri "${uri}" is not a valid URI`, ["data_channel_uri"], { value: true });
    }
  }

  // ------------------------------------------------------------------------------------------ screens
  private collectScreen(s: unknown, index: number): void {
    const path: Path = ["screens", index];
    if (!isObj(s)) {
      this.r.add("INVALID_PROPERTY_TYPE", `Screen must be an object, found ${typeName(s)}`, path);
      return;
    }
    this.zod(screenSchema(this.v), s, path, "screen");
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
    this.screens.push(info);
    if (id !== undefined) {
      if (this.byId.has(id)) this.r.add("DUPLICATE_SCREEN_IDS", `Duplicate screen id "${id}"`, path.concat("id"));
      else this.byId.set(id, info);
    }
    this.walk(info, children, path.concat("layout", "children"), 0, false, false, false);
  }

  private walk(
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
        this.r.add("INVALID_PROPERTY_TYPE", `Component must be an object, found ${typeName(c)}`, p);
        continue;
      }
      const type = c.type;
      if (typeof type !== "string") {
        this.r.add(
          "MISSING_REQUIRED_TYPE_PROPERTY",
          `Component at "${formatRootPath(p)}" has no "type"`,
          hasOwn(c, "type") ? p.concat("type") : p,
        );
        continue;
      }
      const schema = componentSchema(type, this.v);
      if (!schema) {
        const since = hasOwn(COMPONENT_SINCE, type) ? (COMPONENT_SINCE as Record<string, string>)[type] : undefined;
        this.r.add(
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
          if (Array.isArray(c[key])) this.walk(info, c[key], p.concat(key), ifDepth, inSwitch, inForm, false);
        if (isObj(c.cases))
          for (const k of Object.keys(c.cases)) this.walk(info, c.cases[k], p.concat("cases", k), ifDepth, true, inForm, false);
        continue;
      }
      this.zod(schema, c, p, "component");
      const comp: Comp = { c, type, path: p, ifDepth, inSwitch, inForm, parentIf };
      info.comps.push(comp);
      if (INPUT_TYPES.has(type) && typeof c.name === "string") {
        if (info.inputs.has(c.name))
          this.r.add(
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
        this.walk(info, c.children, p.concat("children"), ifDepth, inSwitch, true, false);
      } else if (type === "If") {
        if (ifDepth + 1 > MAX_IF_NESTING)
          this.r.add("MAXIMUM_IF_NESTING", `If components can be nested at most ${MAX_IF_NESTING} levels deep`, p.concat("type"));
        this.walk(info, c.then, p.concat("then"), ifDepth + 1, inSwitch, inForm, true);
        this.walk(info, c.else, p.concat("else"), ifDepth + 1, inSwitch, inForm, true);
      } else if (type === "Switch" && isObj(c.cases)) {
        for (const k of Object.keys(c.cases)) this.walk(info, c.cases[k], p.concat("cases", k), ifDepth, true, inForm, false);
      }
    }
  }

  private checkScreen(info: ScreenInfo): void {
    const { s, path } = info;
    const id = info.id;
    if (id !== undefined) {
      if (id.length === 0) this.r.add("MIN_CHARS_REQUIRED", "Screen id must not be empty", path.concat("id"));
      else if (id.toLowerCase() === "success")
        this.r.add("SCREEN_ID_IS_RESERVED_KEYWORD", `Screen id "${id}" is a reserved keyword`, path.concat("id"));
      else if (!(this.since("7.0") ? /^[A-Za-z_]+$/ : /^[A-Za-z_,]+$/).test(id))
        this.r.add("PATTERN_MISMATCH", `Screen id "${id}" should only consist of alphabets and underscores`, path.concat("id"));
      else if (this.since("7.0") && /^_+$/.test(id))
        this.r.add("PATTERN_MISMATCH", `Screen id "${id}" must not consist only of underscores`, path.concat("id"), { builder: true });
    }
    if (s.title === undefined)
      this.r.add("MISSING_REQUIRED_PROPERTY", 'Missing required property "title" of the screen', path.concat("title"), { builder: true });
    else if (typeof s.title === "string" && this.since("5.0") && s.title.trim() === "")
      this.r.add("MIN_CHARS_REQUIRED", "Screen title must not be blank", path.concat("title"), { builder: true });
    if (s.layout === undefined && this.since("6.0"))
      this.r.add("MISSING_REQUIRED_PROPERTY", 'Missing required property "layout" of the screen', path.concat("layout"), { builder: true });
    if (s.success !== undefined && !info.terminal)
      this.r.add(
        "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED",
        "Property 'success' can only be specified on a terminal screen",
        path.concat("success"),
      );
    if (s.refresh_on_back === true && !this.hasDataApi)
      this.r.add(
        "INVALID_PROPERTY_VALUE",
        '"refresh_on_back" can only be true when "data_api_version" is set',
        path.concat("refresh_on_back"),
      );
    if (info.terminal && !hasType(info.children, "Footer"))
      this.r.add("MISSING_FOOTER_ON_TERMINAL_SCREEN", `Terminal screen "${id ?? info.index}" must have a Footer`, path.concat("terminal"));
    if (typeof s.title === "string" && s.title.includes("${")) this.checkDynamic(info, s.title, path.concat("title"), "title", false, "");

    this.checkDataModel(info);
    this.checkComponents(info);
    for (const comp of info.unknown) this.checkStrings(comp, info);
    this.checkCounts(info);

    if (Array.isArray(s.sensitive)) {
      const names = new Set(info.comps.map((c) => c.c.name).filter((n) => typeof n === "string"));
      s.sensitive.forEach((n, i) => {
        if (typeof n === "string" && !names.has(n))
          this.r.add("INVALID_SENSITIVE_FIELD", `Sensitive field "${n}" is not a component on this screen`, path.concat("sensitive", i), {
            value: true,
            builder: true,
          });
      });
    }
  }

  private checkScreenSet(doc: Obj): void {
    if (!Array.isArray(doc.screens) || this.screens.length === 0) return;
    const terminals = this.screens.filter((x) => x.terminal);
    if (terminals.length === 0) this.r.add("MISSING_TERMINAL_SCREEN", "At least one screen must be terminal", ["screens"]);
    else if (!terminals.some((t) => t.s.success !== false))
      this.r.add(
        "INVALID_PROPERTY_VALUE",
        'At least one terminal screen must have "success" set to true',
        terminals[0].path.concat("success"),
      );
    const needsDataApi = this.screens.some((x) => x.actions.some((a) => a.a.name === "data_exchange"));
    if (needsDataApi && !this.hasDataApi) {
      const first = this.screens.flatMap((x) => x.actions).find((a) => a.a.name === "data_exchange")!;
      this.r.add(
        "MISSING_REQUIRED_PROPERTY",
        'Property "data_api_version" is required when a data_exchange action is used',
        first.path.concat("name"),
        { value: true },
      );
    }
    // warnings: data fields never referenced
    const used = this.usedData;
    for (const info of this.screens) {
      if (!info.data || this.hasDataApi) continue;
      for (const f of Object.keys(info.data)) {
        if (!used.has(`@${info.index}|${f}`) && !used.has(`${info.id}|${f}`))
          this.r.add("UNUSED_SCREEN_DATA", `Data field "${f}" of screen "${info.id}" is never used`, info.path.concat("data", f), {
            severity: "warning",
          });
      }
    }
  }

  // ------------------------------------------------------------------------------------------ data model
  private checkDataModel(info: ScreenInfo): void {
    const data = info.data;
    if (!data) return;
    const base = info.path.concat("data");
    for (const [name, field] of Object.entries(data)) {
      const fp = base.concat(name);
      if (/[-\s`'"]/.test(name))
        this.r.add("INVALID_SCREEN_DATA", `Data field name "${name}" should avoid '-', spaces, backticks and quotes`, fp, {
          severity: "warning",
        });
      if (!isObj(field)) {
        this.r.add("INVALID_SCREEN_DATA", `Data field "${name}" must be an object with a "type"`, fp);
        continue;
      }
      if (!this.checkDataSchema(field, fp, name, true)) continue;
      if (!hasOwn(field, "__example__"))
        this.r.add("INVALID_SCREEN_DATA", `Data field "${name}" has no "__example__"`, fp, { builder: true });
      else if (!fitsType(field.__example__, field.type as string))
        this.r.add(
          "INVALID_SCREEN_DATA",
          `"__example__" of data field "${name}" must be of type ${String(field.type)}`,
          fp.concat("__example__"),
        );
    }
  }

  /** Checks a JSON-Schema-like field model; returns false when unusable. */
  private checkDataSchema(field: Obj, path: Path, name: string, top: boolean): boolean {
    if (!top && hasOwn(field, "__example__"))
      this.r.add(
        "INVALID_SCREEN_DATA",
        `"__example__" is only allowed at the top level of data field "${name}"`,
        path.concat("__example__"),
      );
    const t = field.type;
    if (typeof t !== "string" || !DATA_TYPES.has(t)) {
      this.r.add(
        "INVALID_SCREEN_DATA",
        `Data field "${name}" needs a "type" among ${[...DATA_TYPES].join(", ")}`,
        hasOwn(field, "type") ? path.concat("type") : path,
      );
      return false;
    }
    if (t === "array") {
      const items = field.items;
      if (typeof items !== "boolean" && !isObj(items)) {
        this.r.add("INVALID_SCREEN_DATA", `Array data field "${name}" needs "items"`, path);
        return false;
      }
      if (isObj(items) && items.type !== undefined) this.checkDataSchema(items, path.concat("items"), name, false);
    }
    if (t === "object" && isObj(field.properties)) {
      for (const [k, sub] of Object.entries(field.properties))
        if (isObj(sub)) this.checkDataSchema(sub, path.concat("properties", k), name, false);
    }
    return true;
  }

  // ------------------------------------------------------------------------------------------ components
  private checkComponents(info: ScreenInfo): void {
    const hasForm = info.forms.length > 0;
    for (const comp of info.comps) {
      const { c, type, path } = comp;
      // Form rules
      if (INPUT_TYPES.has(type) && !comp.inForm) {
        if (hasForm) this.r.add("COMPONENTS_OUTSIDE_FORM", `Component "${String(c.name)}" must be inside the Form of its screen`, path);
        else if (!this.since("4.0"))
          this.r.add("KEYWORD_ONE_OF", `Before Flow JSON 4.0 an input component ("${String(c.name)}") must be inside a Form`, path);
      }
      if (INPUT_TYPES.has(type) && comp.inForm && this.since("4.0")) {
        for (const prop of ["init-value", "error-message"]) {
          if (c[prop] !== undefined)
            this.r.add(
              "INVALID_PROPERTY",
              `The property "${prop}" cannot be specified inside a Form; use the Form's "${prop === "init-value" ? "init-values" : "error-messages"}"`,
              path.concat(prop),
            );
        }
      }
      if (INPUT_TYPES.has(type) && typeof c.name === "string" && this.since("6.0") && (c.name.trim() === "" || isDynamic(c.name)))
        this.r.add("INVALID_PROPERTY_VALUE", `Component name "${c.name}" must be a non-blank literal`, path.concat("name"), {
          value: true,
          builder: true,
        });

      this.checkStrings(comp, info);
      if (type === "TextHeading" && typeof c.text === "string" && c.text.trim() === "" && !this.since("6.0"))
        this.r.add("MIN_CHARS_REQUIRED", "TextHeading text must not be blank", path.concat("text"));
      switch (type) {
        case "Footer":
          this.checkFooter(comp, info);
          break;
        case "If":
          this.checkIf(comp, info);
          break;
        case "Switch":
          this.checkSwitch(comp);
          break;
        case "Form":
          this.checkForm(comp, info);
          break;
        case "TextInput":
          this.checkTextInput(comp);
          break;
        case "DatePicker":
        case "CalendarPicker":
          this.checkDates(comp);
          break;
        case "RichText":
          this.checkRichText(comp, info);
          break;
        case "NavigationList":
          this.checkNavigationList(comp, info);
          break;
        case "ChipsSelector":
          if ((comp.ifDepth > 0 || comp.inSwitch) && !this.since("7.1"))
            this.r.add("INVALID_COMPONENT_PLACEMENT", "ChipsSelector can be used inside If/Switch only from Flow JSON 7.1", path);
          break;
        case "ImageCarousel":
          if (Array.isArray(c.images))
            c.images.forEach((img, i) => isObj(img) && this.checkBase64Image(img.src, path.concat("images", i, "src")));
          this.carouselCount++;
          if (this.carouselCount === 4)
            this.r.add("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", "A flow can have at most 3 ImageCarousel components", path);
          break;
        case "Image":
          if (this.checkBase64Image(c.src, path.concat("src")) && (c.src as string).length * 0.75 > 300 * 1024)
            this.r.add("MAX_IMAGE_SIZE_EXCEEDED", "Image is larger than the recommended 300 KB", path.concat("src"), {
              severity: "warning",
            });
          break;
      }
      // min/max pairs
      const pairs: [string, string, string][] = [
        ["min-chars", "max-chars", "MIN_VALUE_GREATER_THAN_MAX"],
        ["min-selected-items", "max-selected-items", "MIN_VALUE_GREATER_THAN_MAX"],
        ["min-uploaded-photos", "max-uploaded-photos", "MIN_VALUE_GREATER_THAN_MAX"],
        ["min-uploaded-documents", "max-uploaded-documents", "MIN_VALUE_GREATER_THAN_MAX"],
        ["min-days", "max-days", "INVALID_MIN_MAX_DAYS"],
      ];
      for (const [lo, hi, code] of pairs) {
        if (typeof c[lo] === "number" && typeof c[hi] === "number" && (c[lo] as number) > (c[hi] as number))
          this.r.add(code, `"${lo}" (${c[lo]}) must not be greater than "${hi}" (${c[hi]})`, path.concat(lo));
      }
      if (Array.isArray(c["data-source"])) this.checkDataSource(comp);
    }
    if (this.since("7.0") && info.forms.length > 1)
      this.r.add("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", "Only one Form is allowed per screen", info.forms[1].path, { builder: true });
  }

  /** Empty strings (6.0+), character limits (warnings) and dynamic references in a component's own properties. */
  private checkStrings(comp: Comp, info: ScreenInfo): void {
    const { c, type, path } = comp;
    const limits = (CHAR_LIMITS as Record<string, Record<string, number> | undefined>)[type];
    const noEmpty = this.since("6.0");
    for (const key in c) {
      if (key === "type" || key === "children" || key === "then" || key === "else" || key === "cases") continue;
      const v = c[key];
      if (typeof v === "string") {
        if (noEmpty && v.trim() === "") this.r.add("MIN_CHARS_REQUIRED", `Property "${key}" must not be empty`, path.concat(key));
        const lim = limits?.[key];
        if (lim !== undefined && v.length > lim && !isDynamic(v) && [...v].length > lim)
          this.r.add("MAX_CHARS_EXCEEDED", `"${key}" is ${[...v].length} characters; ${type} displays at most ${lim}`, path.concat(key), {
            severity: "warning",
          });
        if (v.includes("${")) this.checkDynamic(info, v, path.concat(key), key, false, type);
      } else if (v !== null && typeof v === "object") {
        const isAction = key.endsWith("-action");
        const stack: PathSegment[] = path.concat(key);
        this.deepStrings(v, stack, (str) => {
          if (!isAction && noEmpty && str.trim() === "")
            this.r.add("MIN_CHARS_REQUIRED", `Property "${formatRootPath(stack)}" must not be empty`, stack.slice());
          if (str.includes("${")) {
            // the property the string sits in: `enabled` of a data-source item, not `data-source`
            const leaf = stack[stack.length - 1];
            const prop = typeof leaf === "string" && !(isAction && stack.includes("payload")) ? leaf : key;
            this.checkDynamic(info, str, stack.slice(), prop, isAction && stack.includes("payload"), type);
          }
        });
      }
    }
  }

  /** Calls `fn` for every string under `v`; `stack` holds the current path (copy it to keep it). */
  private deepStrings(v: unknown, stack: PathSegment[], fn: (s: string) => void): void {
    if (typeof v === "string") fn(v);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        stack.push(i);
        this.deepStrings(v[i], stack, fn);
        stack.pop();
      }
    } else if (v !== null && typeof v === "object") {
      for (const k in v as Obj) {
        stack.push(k);
        this.deepStrings((v as Obj)[k], stack, fn);
        stack.pop();
      }
    }
  }

  /**
   * Image data must be base64 (Meta: "Base64 of an image"); a URL or a data: URI is not fetched or decoded.
   * Returns true for a literal base64 string (so size checks can follow).
   */
  private checkBase64Image(v: unknown, path: Path): boolean {
    if (typeof v !== "string" || isDynamic(v) || v.trim() === "") return false;
    const problem = base64Problem(v);
    if (problem) this.r.add("INVALID_PROPERTY_VALUE_FORMAT", problem, path, { value: true });
    return !problem;
  }

  private checkFooter(comp: Comp, info: ScreenInfo): void {
    const { c, path } = comp;
    const left = c["left-caption"] !== undefined;
    const right = c["right-caption"] !== undefined;
    if (left !== right)
      this.r.add(
        "INVALID_DEPENDENCIES",
        '"left-caption" and "right-caption" must be specified together',
        path.concat(left ? "left-caption" : "right-caption"),
      );
    if (c["center-caption"] !== undefined && (left || right))
      this.r.add(
        "NOT_KEYWORD_SCHEMA_VALIDATION_FAILED",
        '"center-caption" cannot be combined with "left-caption" or "right-caption"',
        path.concat("center-caption"),
      );
    if (comp.ifDepth > 1 || (comp.ifDepth > 0 && comp.inSwitch))
      this.r.add("INVALID_COMPONENT_PLACEMENT", "A Footer can only be placed in a first-level If", path);
    void info;
  }

  private checkIf(comp: Comp, info: ScreenInfo): void {
    const { c, path } = comp;
    const thenF = hasType(c.then, "Footer");
    const elseF = hasType(c.else, "Footer");
    if (thenF !== elseF)
      this.r.add(
        "MISSING_FOOTER_IN_IF_ELSE_BRANCHES",
        'A Footer in an If must be present in both "then" and "else"',
        path.concat(thenF ? "else" : "then"),
      );
    if (typeof c.condition === "string") this.checkCondition(c.condition, path.concat("condition"), info);
  }

  /** An If condition: its own expression language (4.0+), boolean result; a backtick-wrapped one is checked by `checkDynamic`. */
  private checkCondition(cond: string, path: Path, info: ScreenInfo): void {
    if (isBacktickExpression(cond)) return;
    const literal = literalConditionProblem(cond);
    if (literal) {
      this.r.add("INVALID_PROPERTY_VALUE", literal, path, { value: true });
      return;
    }
    const parsed = parseExpression(cond, 0, cond.length, "condition");
    if (parsed.syntax) {
      this.r.add("INVALID_PROPERTY_VALUE", `Invalid condition: ${parsed.syntax.message}`, path, {
        inString: [parsed.syntax.start, parsed.syntax.end],
      });
      return;
    }
    const node = parsed.node!;
    const res = checkExpression(node, "condition", this.v, (p) => this.refType(info, p), describeIn(cond));
    for (const issue of res.issues) this.r.add("INVALID_PROPERTY_VALUE", issue.message, path, { inString: [issue.start, issue.end] });
    if (res.type !== "unknown" && res.type !== "boolean") {
      const single = node.k === "ref" || node.k === "lit";
      this.r.add(
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

  private checkSwitch(comp: Comp): void {
    const { c, path } = comp;
    if (!isObj(c.cases)) return;
    const keys = Object.keys(c.cases);
    if (keys.length === 0) {
      this.r.add("EMPTY_SWITCH_CASES", "Switch must have at least one case", path.concat("cases"));
      return;
    }
    for (const k of keys)
      if (!/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(k))
        this.r.add("PATTERN_MISMATCH", `Switch case key "${k}" must match ^[a-zA-Z][a-zA-Z0-9-_]*$`, path.concat("cases", k));
    const withFooter = keys.filter((k) => hasType(c.cases && (c.cases as Obj)[k], "Footer"));
    if (withFooter.length > 0 && withFooter.length < keys.length) {
      const missing = keys.find((k) => !withFooter.includes(k))!;
      this.r.add(
        "MISSING_FOOTER_IN_SWITCH_BRANCHES",
        "A Footer in one Switch case must be present in every case",
        path.concat("cases", missing),
      );
    }
  }

  private checkForm(comp: Comp, info: ScreenInfo): void {
    const { c, path } = comp;
    for (const prop of ["init-values", "error-messages"]) {
      const vals = c[prop];
      if (!isObj(vals)) continue;
      for (const k of Object.keys(vals)) {
        const input = info.inputs.get(k);
        if (input && PICKER_TYPES.has(input.type) && prop === "init-values")
          this.r.add("NATIVE_COMPONENT_IN_FORM_INIT_VALUES", `${input.type} "${k}" cannot have an initial value`, path.concat(prop, k));
        else if (!input && this.since("7.0"))
          this.r.add("INVALID_PROPERTY_VALUE", `"${prop}" names "${k}", which is not an input of this Form`, path.concat(prop, k));
        else if (input && this.since("7.0")) {
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
            this.r.add(
              "INVALID_PROPERTY_VALUE",
              `"${prop}.${k}" must be ${want === "array" ? "an array of strings" : want === "range" ? "a date or {start-date, end-date}" : `a ${want}`} for ${input.type} "${k}"`,
              path.concat(prop, k),
              { value: true },
            );
        }
      }
    }
  }

  private checkTextInput(comp: Comp): void {
    const { c, path } = comp;
    if (c.pattern === undefined) return;
    const it = typeof c["input-type"] === "string" ? (c["input-type"] as string) : "text";
    if (!isDynamic(it) && !EMAIL_INPUTS_FOR_PATTERN.has(it))
      this.r.add("INVALID_PROPERTY_VALUE", `"pattern" cannot be used with input-type "${it}"`, path.concat("pattern"));
    if (c["helper-text"] === undefined)
      this.r.add("INVALID_DEPENDENCIES", '"helper-text" is required when "pattern" is set', path.concat("pattern"));
    if (typeof c.pattern === "string" && !isDynamic(c.pattern)) {
      try {
        new RegExp(c.pattern);
      } catch {
        this.r.add("INVALID_PROPERTY_VALUE_FORMAT", `"pattern" is not a valid regular expression`, path.concat("pattern"), { value: true });
      }
    }
  }

  private checkDates(comp: Comp): void {
    const { c, type, path } = comp;
    const iso = type === "CalendarPicker" || this.since("5.0");
    const ok = (d: string) => (iso ? /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d)) : /^\d+$/.test(d));
    const fmt = iso ? "YYYY-MM-DD" : "a timestamp in milliseconds";
    const check = (v: unknown, p: Path, code = "INVALID_PROPERTY_VALUE_FORMAT") => {
      if (typeof v === "string" && !isDynamic(v) && !ok(v)) this.r.add(code, `Date "${v}" must be ${fmt}`, p, { value: true });
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
      this.r.add("INVALID_DATE_RANGE", `"min-date" (${lo}) is after "max-date" (${hi})`, path.concat("min-date"));
    if (type !== "CalendarPicker") return;
    const rangeProps = ["label", "helper-text", "required", "init-value", "error-message"];
    if (!range) {
      for (const prop of rangeProps)
        if (isObj(c[prop]))
          this.r.add(
            "UNEXPECTED_CALENDAR_PICKER_RANGE_MODE_PROP",
            `"${prop}" as {start-date, end-date} is only valid in range mode`,
            path.concat(prop),
          );
      for (const prop of ["min-days", "max-days", "title", "description"])
        if (c[prop] !== undefined)
          this.r.add("UNEXPECTED_CALENDAR_PICKER_RANGE_MODE_PROP", `"${prop}" is only valid in range mode`, path.concat(prop));
    } else {
      if (typeof c.label === "string")
        this.r.add(
          "MISSING_CALENDAR_PICKER_RANGE_MODE_PROP",
          'In range mode "label" must be {"start-date", "end-date"}',
          path.concat("label"),
        );
      for (const prop of rangeProps) {
        const v = c[prop];
        if (isObj(v) && (v["start-date"] === undefined || v["end-date"] === undefined))
          this.r.add(
            "MISSING_CALENDAR_PICKER_RANGE_MODE_PROP",
            `In range mode "${prop}" needs both "start-date" and "end-date"`,
            path.concat(prop),
          );
      }
    }
  }

  private checkRichText(comp: Comp, info: ScreenInfo): void {
    const text = comp.c.text;
    const parts = typeof text === "string" ? [text] : Array.isArray(text) ? text : [];
    parts.forEach((t, i) => {
      if (typeof t === "string" && t.includes("${") && !(typeof text === "string" && /^\$\{data\.[\w-]+\}$/.test(t)))
        this.r.add(
          "INVALID_PROPERTY_VALUE",
          "RichText text must be static or one whole ${data.x} binding",
          typeof text === "string" ? comp.path.concat("text") : comp.path.concat("text", i),
          { value: true },
        );
    });
    const others = info.comps.filter((x) => x !== comp && !(this.since("6.3") && x.type === "Footer"));
    if (others.length > 0)
      this.r.add(
        "INVALID_RICHTEXT_PLACEMENT",
        this.since("6.3") ? "RichText can only share its screen with a Footer" : "RichText must be the only component on its screen",
        comp.path,
      );
  }

  private checkNavigationList(comp: Comp, info: ScreenInfo): void {
    const { c, path } = comp;
    if (info.terminal) this.r.add("INVALID_COMPONENT_PLACEMENT", "NavigationList cannot be used on a terminal screen", path);
    const other = info.comps.find((x) => x.type !== "NavigationList");
    if (other) this.r.add("INVALID_COMPONENT_PLACEMENT", `NavigationList cannot be combined with ${other.type} on one screen`, other.path);
    const items = c["list-items"];
    if (!Array.isArray(items)) return;
    items.forEach((it, i) => {
      if (!isObj(it)) return;
      for (const [keys, lim] of NAV_ITEM_LIMITS) {
        const v = get(it, keys);
        if (typeof v === "string" && v.length > lim && !isDynamic(v) && [...v].length > lim)
          this.r.add(
            "MAX_CHARS_EXCEEDED",
            `NavigationList item ${keys.join(".")} is ${[...v].length} characters; at most ${lim} are displayed`,
            path.concat("list-items", i, ...keys),
            { severity: "warning" },
          );
      }
      if (Array.isArray(it.tags))
        it.tags.forEach((t, k) => {
          if (typeof t === "string" && [...t].length > 15)
            this.r.add(
              "MAX_CHARS_EXCEEDED",
              `NavigationList tag is ${[...t].length} characters; at most 15 are displayed`,
              path.concat("list-items", i, "tags", k),
              { severity: "warning" },
            );
        });
    });
    const itemActions = items.some((it) => isObj(it) && it["on-click-action"] !== undefined);
    if (itemActions && c["on-click-action"] !== undefined)
      this.r.add(
        "INVALID_PROPERTY_VALUE",
        '"on-click-action" can be set on the NavigationList or on its items, not both',
        path.concat("on-click-action"),
      );
    const badges = items.map((it, i) => (isObj(it) && it.badge !== undefined ? i : -1)).filter((i) => i >= 0);
    if (badges.length > 1)
      this.r.add("INVALID_PROPERTY_VALUE", "Only one NavigationList item can have a badge", path.concat("list-items", badges[1], "badge"));
    if (c["media-size"] === "large") {
      const i = items.findIndex((it) => isObj(it) && it.end !== undefined);
      if (i >= 0) this.r.add("INVALID_PROPERTY_VALUE", '"end" cannot be used with media-size "large"', path.concat("list-items", i, "end"));
    }
  }

  private checkDataSource(comp: Comp): void {
    const { c, type, path } = comp;
    const items = c["data-source"] as unknown[];
    let image = -1;
    let color = -1;
    const compAction = c["on-select-action"] !== undefined || c["on-unselect-action"] !== undefined;
    const ds = this.dsSince;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (!isObj(it)) continue;
      const ip = () => path.concat("data-source", i);
      if (it.image !== undefined && image < 0) image = i;
      if (it.color !== undefined && color < 0) color = i;
      for (const [prop, since] of ds)
        if (it[prop] !== undefined)
          this.r.add("INVALID_PROPERTY", `The property "${prop}" of a data-source item needs Flow JSON ${since}`, ip().concat(prop));
      if (typeof it.color === "string" && !/^#[0-9A-Fa-f]{6}$/.test(it.color))
        this.r.add("PATTERN_MISMATCH", `Color "${it.color}" must be #RRGGBB`, ip().concat("color"), { value: true });
      if (compAction && (it["on-select-action"] !== undefined || it["on-unselect-action"] !== undefined))
        this.r.add(
          "INVALID_PROPERTY_VALUE",
          "An action cannot be set on both the component and its data-source items",
          ip().concat(it["on-select-action"] !== undefined ? "on-select-action" : "on-unselect-action"),
        );
      for (const prop in DATA_SOURCE_ITEM_LIMITS) {
        const lim = DATA_SOURCE_ITEM_LIMITS[prop];
        const v = it[prop];
        if (typeof v === "string" && v.length > lim && !isDynamic(v) && [...v].length > lim)
          this.r.add(
            "MAX_CHARS_EXCEEDED",
            `"${prop}" of a data-source item is ${[...v].length} characters; at most ${lim} are displayed`,
            ip().concat(prop),
            { severity: "warning" },
          );
      }
      if (typeof it.image === "string" && this.checkBase64Image(it.image, ip().concat("image"))) {
        const kb = ((it.image as string).length * 3) / 4 / 1024;
        const max = this.since("6.0") ? 100 : 300;
        if (kb > max)
          this.r.add("MAX_IMAGE_SIZE_EXCEEDED", `Data-source image is ${Math.round(kb)} KB; at most ${max} KB`, ip().concat("image"), {
            severity: "warning",
          });
      }
    }
    if (image >= 0 && color >= 0)
      this.r.add(
        "DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR",
        "Data-source items cannot mix images and colors",
        path.concat("data-source", Math.max(image, color), image > color ? "image" : "color"),
      );
    if (type === "Dropdown" && image >= 0 && items.length > 100)
      this.r.add("MAX_ITEMS_REQUIRED", "A Dropdown with images can have at most 100 options", path.concat("data-source"));
  }

  // ------------------------------------------------------------------------------------------ counts
  private checkCounts(info: ScreenInfo): void {
    const counts = pathCounts(info.children);
    const total = counts.get("*") ?? 0;
    if (total > MAX_COMPONENTS_PER_SCREEN)
      this.r.add(
        "MAX_ALLOWED_COMPONENTS_PER_SCREEN",
        `A screen can have at most ${MAX_COMPONENTS_PER_SCREEN} components, found ${total}`,
        info.path.concat("layout", "children"),
      );
    const footers = counts.get("Footer") ?? 0;
    if (footers > 1) {
      const all = info.comps.filter((x) => x.type === "Footer");
      const branched = all.some((x) => x.ifDepth > 0 || x.inSwitch);
      this.r.add(
        branched ? "MORE_THAN_ONE_FOOTER" : "MAX_FOOTER_PER_SCREEN",
        `A screen can have only one Footer, found ${footers}`,
        all[1].path,
      );
    }
    for (const [type, [max, code]] of Object.entries(PER_SCREEN_MAX)) {
      const n = counts.get(type) ?? 0;
      if (n > max) {
        const all = info.comps.filter((x) => x.type === type);
        this.r.add(code, `A screen can have at most ${max} ${type} component(s), found ${n}`, all[max]?.path ?? all[all.length - 1].path);
      }
    }
    if ((counts.get("PhotoPicker") ?? 0) > 0 && (counts.get("DocumentPicker") ?? 0) > 0) {
      const d = info.comps.find((x) => x.type === "DocumentPicker")!;
      this.r.add("COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN", "PhotoPicker and DocumentPicker cannot be used on the same screen", d.path);
    }
  }

  // ------------------------------------------------------------------------------------------ references
  /**
   * Every string holding `${…}`: a backtick expression (6.0+) is parsed and type-checked; otherwise the string must
   * be one whole reference (static text mixed with a reference is a compile error), except If conditions (their
   * own language, checked by `checkIf`) and RichText (its own rule). `payload`: inside an action payload.
   */
  private checkDynamic(info: ScreenInfo, text: string, path: Path, prop: string, payload: boolean, compType: string): void {
    if (isBacktickExpression(text)) {
      if (!this.since(EXPRESSION_SINCE.backticks)) {
        this.r.add("INVALID_PROPERTY_VALUE", `Backtick expressions need Flow JSON ${EXPRESSION_SINCE.backticks} or later`, path, {
          value: true,
        });
        this.checkRefs(info, text, path, prop, payload, scanRefs(text), false);
        return;
      }
      const parsed = parseExpression(text, 1, text.length - 1, "nested");
      this.checkRefs(info, text, path, prop, payload, parsed.refs, false);
      // Meta validates expressions inside actions only from 7.2
      if (payload && !this.since(EXPRESSION_SINCE.actionPayloads)) return;
      if (parsed.syntax) {
        this.r.add("INVALID_PROPERTY_VALUE", `Invalid expression: ${parsed.syntax.message}`, path, {
          inString: [parsed.syntax.start, parsed.syntax.end],
        });
        return;
      }
      const res = checkExpression(parsed.node!, "nested", this.v, (p) => this.refType(info, p), describeIn(text));
      for (const issue of res.issues) this.r.add("INVALID_PROPERTY_VALUE", issue.message, path, { inString: [issue.start, issue.end] });
      const want = expectedType(compType, prop);
      if (want && res.type !== "unknown" && res.type !== want)
        this.r.add("INVALID_PROPERTY_VALUE", `"${prop}" needs a ${want}, but the expression gives a ${res.type}`, path, { value: true });
      return;
    }
    const whole = isWholeRef(text);
    const refs = scanRefs(text);
    if (!whole && refs.length > 0 && !(compType === "If" && prop === "condition") && !(compType === "RichText" && prop === "text")) {
      const first = refs[0];
      const fix = this.since(EXPRESSION_SINCE.backticks)
        ? `; write a backtick expression: ${suggestExpression(text, refs)}`
        : ` (a backtick expression needs Flow JSON ${EXPRESSION_SINCE.backticks}+)`;
      this.r.add("INVALID_PROPERTY_VALUE", `Static text cannot be mixed with \${${first.path.trim()}} outside backticks${fix}`, path, {
        inString: [first.start, first.end],
      });
    }
    this.checkRefs(info, text, path, prop, payload, refs, whole);
  }

  /** Checks each `${…}` reference of `text`; a whole-value reference is located at the value, others inside the string. */
  private checkRefs(
    info: ScreenInfo,
    text: string,
    path: Path,
    prop: string,
    payload: boolean,
    refs: readonly ExprRef[],
    whole: boolean,
  ): void {
    for (const ref of refs) this.checkRef(info, ref, path, prop, payload, whole);
  }

  private checkRef(info: ScreenInfo, ref: ExprRef, path: Path, prop: string, payload: boolean, whole: boolean): void {
    const at: AddOptions = whole ? { value: true } : { inString: [ref.start, ref.end] };
    const refText = ref.path.trim();
    const lead = REF_LEAD.exec(refText)?.[0] ?? "";
    let plain = true;
    if (lead.length !== refText.length) {
      if (lead && /^\s*(?:[<>=!&|+*/%?:-]|\(|\))/.test(refText.slice(lead.length))) {
        plain = false;
        this.r.add(
          "INVALID_PROPERTY_VALUE",
          `\${${refText}}: a reference cannot hold operators; use a backtick expression such as \`\${${lead}} …\` (Flow JSON ${EXPRESSION_SINCE.backticks}+)`,
          path,
          at,
        );
      } else {
        this.r.add(
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
      this.usedData.add(`@${info.index}|${parts[1]}`);
      const field = info.data?.[parts[1]];
      if (!isObj(field)) {
        if (payload)
          this.r.add(
            "INVALID_ON_CLICK_ACTION_PAYLOAD",
            `Missing dynamic data "${parts[1]}" in the data model of screen "${info.id}" for \${${refText}}`,
            path,
            at,
          );
        else
          this.r.add(
            "INVALID_SCREEN_DYNAMIC_DATA",
            `\${${refText}}: "${parts[1]}" is not declared in the data of screen "${info.id}"`,
            path,
            at,
          );
        return;
      }
      const res = walkModel(field, parts[1], parts.slice(2));
      if (res.problem) {
        this.r.add("INVALID_SCREEN_DYNAMIC_DATA", `\${${lead}} is invalid as ${res.problem}`, path, at);
        return;
      }
      if (!whole || !plain) return;
      const t = res.type;
      if (ARRAY_PROPS.has(prop) && t !== "array" && t !== "unknown")
        this.r.add("INVALID_SCREEN_DYNAMIC_DATA", `"${prop}" needs an array but \${${refText}} is ${res.declared}`, path, at);
      else if (
        prop === "data-source" &&
        parts.length === 2 &&
        isObj(field.items) &&
        isObj(field.items.properties) &&
        !(hasOwn(field.items.properties, "id") && hasOwn(field.items.properties, "title"))
      )
        this.r.add(
          "INVALID_SCREEN_DYNAMIC_DATA",
          `"data-source" needs items with "id" and "title" but \${${refText}} items lack them`,
          path,
          at,
        );
      else if (STRING_PROPS.has(prop) && (t === "array" || t === "object"))
        this.r.add("INVALID_SCREEN_DYNAMIC_DATA", `"${prop}" needs a string but \${${refText}} is ${res.declared}`, path, at);
      else if (BOOL_PROPS.has(prop) && t !== "boolean" && t !== "unknown")
        this.r.add("INVALID_SCREEN_DYNAMIC_DATA", `"${prop}" needs a boolean but \${${refText}} is ${res.declared}`, path, at);
      else if (NUMBER_PROPS.has(prop) && t !== "number" && t !== "unknown")
        this.r.add("INVALID_SCREEN_DYNAMIC_DATA", `"${prop}" needs a number but \${${refText}} is ${res.declared}`, path, at);
    } else if (parts[0] === "form" && parts.length >= 2) {
      const name = parts[1];
      const input = info.inputs.get(name);
      if (!input) {
        if (info.looseNames.has(name)) return; // the unknown component was reported
        const isForm = info.forms.some((f) => f.c.name === name);
        const msg = isForm
          ? `\${${refText}} refers to the Form itself; refer to an input`
          : `Missing Form component \${${refText}} for screen "${info.id}"`;
        this.r.add(payload ? "INVALID_ON_CLICK_ACTION_PAYLOAD" : "INVALID_PROPERTY_VALUE", msg, path, at);
      } else if (parts.length > 2 && input.type !== "CalendarPicker") {
        this.r.add("INVALID_PROPERTY_VALUE", `\${${lead}}: the value of ${input.type} "${name}" has no property "${parts[2]}"`, path, at);
      }
    } else if (parts[0] === "screen" && parts.length >= 4 && (parts[2] === "form" || parts[2] === "data")) {
      if (parts[2] === "data") this.usedData.add(`${parts[1]}|${parts[3]}`);
      if (!this.since("4.0")) {
        this.r.add("INVALID_PROPERTY_VALUE", `Global reference \${${refText}} needs Flow JSON 4.0 or later`, path, at);
        return;
      }
      const target = this.byId.get(parts[1]);
      if (!target) this.r.add("INVALID_SCREEN_DATA", `\${${refText}}: screen "${parts[1]}" does not exist`, path, at);
      else if (target === info)
        this.r.add("INVALID_SCREEN_DATA", `\${${refText}} points to the current screen; convert to local referencing`, path, at);
      else if (parts[2] === "form" ? !target.inputs.has(parts[3]) && !target.looseNames.has(parts[3]) : !isObj(target.data?.[parts[3]]))
        this.r.add(
          "INVALID_SCREEN_DATA",
          `\${${refText}}: screen "${parts[1]}" has no ${parts[2] === "form" ? "input" : "data field"} "${parts[3]}"`,
          path,
          at,
        );
      else if (parts[2] === "data" && parts.length > 4) {
        const res = walkModel(target.data![parts[3]] as Obj, parts[3], parts.slice(4));
        if (res.problem) this.r.add("INVALID_SCREEN_DYNAMIC_DATA", `\${${lead}} is invalid as ${res.problem}`, path, at);
      }
    } else {
      this.r.add(
        "INVALID_PROPERTY_VALUE",
        `Invalid dynamic reference \${${refText}}: expected \${data.x}, \${form.x} or \${screen.ID.form|data.x}`,
        path,
        at,
      );
    }
  }

  /** Type of the value a reference path gives ("unknown" when not known offline or not resolvable). */
  private refType(info: ScreenInfo, pathText: string): ExprType {
    const p = pathText.trim().split(".");
    let screen = info;
    let i = 0;
    if (p[0] === "screen" && p.length >= 4) {
      const t = this.byId.get(p[1]);
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

  // ------------------------------------------------------------------------------------------ actions
  private checkAction(info: ScreenInfo, ref: ActionRef, _doc: Obj): void {
    const { a, path, prop, comp, item } = ref;
    const name = a.name;
    if (typeof name !== "string") return; // zod reported it
    const np = path.concat("name");
    if (!KNOWN_ACTIONS.has(name)) {
      this.r.add("INVALID_ENUM_VALUE", `Unknown action "${name}"`, np, { value: true });
      return;
    }
    const allowed = allowedActions(comp.type, prop, item);
    const since = ACTION_SINCE[name];
    if (since && !this.since(since)) {
      this.r.add("INVALID_ENUM_VALUE", `Action "${name}" is only available from Flow JSON ${since}`, np, { value: true });
      return;
    }
    if (name === "complete" && comp.type === "Footer") {
      if (!info.terminal)
        this.r.add("INVALID_COMPLETE_ACTION", 'The "complete" action can only be used on a terminal screen', np, { value: true });
    } else if (!allowed.includes(name)) {
      this.r.add(
        "INVALID_ENUM_VALUE",
        `Action "${name}" is not allowed in "${prop}" of ${comp.type}${item ? " items" : ""}; allowed: ${allowed.join(", ") || "none"}`,
        np,
        { value: true },
      );
      return;
    }
    if (name !== "navigate" && a.next !== undefined)
      this.r.add("INVALID_PROPERTY", `The property "next" cannot be specified on a "${name}" action`, path.concat("next"));
    if (name !== "open_url" && a.url !== undefined)
      this.r.add("INVALID_PROPERTY", `The property "url" cannot be specified on a "${name}" action`, path.concat("url"));
    if (name === "open_url") {
      if (a.url === undefined) this.r.add("MISSING_REQUIRED_PROPERTY", 'The "open_url" action needs "url"', path.concat("url"));
      if (a.payload !== undefined)
        this.r.add("INVALID_PROPERTY", 'The property "payload" cannot be specified on an "open_url" action', path.concat("payload"));
      return;
    }
    if ((name === "complete" || name === "data_exchange" || name === "update_data") && a.payload === undefined)
      this.r.add("MISSING_REQUIRED_PROPERTY", `The "${name}" action needs "payload"`, path.concat("payload"));
    const payload = isObj(a.payload) ? a.payload : undefined;
    if (name === "navigate") this.checkNavigate(info, ref, payload);
    if (name === "update_data" && payload) {
      for (const k of Object.keys(payload))
        if (!isObj(info.data?.[k]))
          this.r.add(
            "INVALID_ACTION_PAYLOAD_PROPERTY",
            `update_data payload property "${k}" is not in the data model of screen "${info.id}"`,
            path.concat("payload", k),
          );
    }
    if (payload) this.checkPickerPayload(info, name, payload, path.concat("payload"));
  }

  private checkNavigate(info: ScreenInfo, ref: ActionRef, payload: Obj | undefined): void {
    const { a, path } = ref;
    if (!isObj(a.next)) {
      if (a.next === undefined) this.r.add("MISSING_REQUIRED_PROPERTY", 'The "navigate" action needs "next"', path.concat("next"));
      return;
    }
    const target = typeof a.next.name === "string" ? a.next.name : undefined;
    if (target === undefined || a.next.type !== "screen") return;
    const np = path.concat("next", "name");
    const t = this.byId.get(target);
    if (!t) {
      this.r.add("INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", `Unknown screen ids: ${target}`, np, { value: true });
      return;
    }
    if (t === info) {
      this.r.add("INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME", `Screen "${target}" cannot navigate to itself`, np, { value: true });
      return;
    }
    // payload keys must equal the target's data keys (when navigating, the target's data comes from the payload)
    if (this.hasDataApi && !payload) return;
    const sent = payload ? Object.keys(payload) : [];
    const model = t.data ?? {};
    const expected = Object.keys(model);
    const pp = path.concat("payload");
    for (const k of sent) {
      if (!hasOwn(model, k))
        this.r.add(
          "INVALID_NAVIGATE_ACTION_PAYLOAD",
          `Payload property "${k}" is not in the data model of screen "${target}"`,
          pp.concat(k),
        );
      else {
        const v = payload![k];
        const ft = isObj(model[k]) ? (model[k] as Obj).type : undefined;
        if (typeof ft === "string" && !(typeof v === "string" && isDynamic(v)) && !fitsType(v, ft))
          this.r.add(
            "INVALID_NAVIGATE_ACTION_PAYLOAD",
            `Payload property "${k}" must be of type ${ft} for screen "${target}"`,
            pp.concat(k),
            { value: true },
          );
      }
    }
    const missing = expected.filter((k) => !payload || !hasOwn(payload, k));
    if (missing.length && !this.hasDataApi)
      this.r.add(
        "INVALID_NAVIGATE_ACTION_PAYLOAD",
        `Payload is missing ${missing.map((m) => `"${m}"`).join(", ")} declared in the data of screen "${target}"`,
        payload ? pp : path.concat("next"),
      );
  }

  private checkPickerPayload(info: ScreenInfo, action: string, payload: Obj, path: Path): void {
    const pickers: string[] = [];
    const visit = (v: unknown, p: Path, top: boolean) => {
      if (typeof v === "string") {
        REF_RE.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = REF_RE.exec(v))) {
          const parts = m[1].trim().split(".");
          const local = parts[0] === "form" ? info.inputs.get(parts[1]) : undefined;
          const global = parts[0] === "screen" && parts[2] === "form" ? this.byId.get(parts[1])?.inputs.get(parts[3]) : undefined;
          const input = local ?? global;
          if (!input || !PICKER_TYPES.has(input.type)) continue;
          if (action === "navigate") {
            this.r.add("INVALID_ON_CLICK_ACTION_PAYLOAD", `${input.type} values cannot be sent in a navigate payload`, p, { value: true });
            continue;
          }
          if (!top || v.trim() !== m[0])
            this.r.add(
              "INVALID_ON_CLICK_ACTION_PAYLOAD",
              `${input.type} "${input.c.name}" can only be used as a whole top-level payload value`,
              p,
              { value: true },
            );
          pickers.push(String(input.c.name));
          if (action === "complete") {
            const maxProp = input.type === "PhotoPicker" ? "max-uploaded-photos" : "max-uploaded-documents";
            const max = input.c[maxProp];
            if (typeof max !== "number" || max > 1)
              this.r.add(
                "INVALID_ON_CLICK_ACTION_PAYLOAD",
                `${input.type} "${input.c.name}" can be sent in a complete payload only with "${maxProp}" set to 1 (default 30)`,
                p,
                { value: true },
              );
          }
        }
      } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, p.concat(i), false));
      else if (isObj(v)) for (const k of Object.keys(v)) visit(v[k], p.concat(k), false);
    };
    for (const k of Object.keys(payload)) visit(payload[k], path.concat(k), true);
    if (pickers.length > 1 && action !== "navigate")
      this.r.add("INVALID_ON_CLICK_ACTION_PAYLOAD", "At most one media picker can be used per payload", path);
  }

  // ------------------------------------------------------------------------------------------ routing
  private checkRouting(doc: Obj): void {
    const ids = this.screens.map((s) => s.id).filter((x): x is string => x !== undefined);
    // far beyond MAX_SCREENS_NUMBER (already reported): skip the graph walk rather than recurse that deep
    if (ids.length === 0 || ids.length > MAX_SCREENS * 10) return;
    const explicit = isObj(doc.routing_model);
    const suffix = explicit ? "" : " via navigate screen action";
    const base: Path = explicit ? ["routing_model"] : ["screens"];
    const edges = new Map<string, string[]>();
    const navEdges: { from: string; to: string; path: Path }[] = [];
    for (const s of this.screens) {
      if (s.id === undefined) continue;
      for (const a of s.actions) {
        if (a.a.name !== "navigate" || !isObj(a.a.next) || typeof a.a.next.name !== "string") continue;
        if (this.byId.has(a.a.next.name) && a.a.next.name !== s.id)
          navEdges.push({ from: s.id, to: a.a.next.name, path: a.path.concat("next", "name") });
      }
    }
    const ok = (msg: string, path: Path = base) => this.r.add("INVALID_ROUTING_MODEL", msg + suffix, path);
    if (explicit) {
      const rm = doc.routing_model as Obj;
      const invalid: string[] = [];
      const mentioned = new Set<string>();
      for (const [from, tos] of Object.entries(rm)) {
        mentioned.add(from);
        if (!this.byId.has(from)) invalid.push(from);
        const list = Array.isArray(tos) ? tos.filter((t): t is string => typeof t === "string") : [];
        for (const t of list) {
          mentioned.add(t);
          if (!this.byId.has(t)) invalid.push(t);
        }
        edges.set(from, list);
        if (list.length > MAX_BRANCHES)
          ok(`Screen "${from}" has ${list.length} routes; at most ${MAX_BRANCHES} are allowed`, ["routing_model", from]);
        if (list.includes(from)) ok(`Screen "${from}" cannot route to itself`, ["routing_model", from]);
      }
      if (invalid.length) ok(`Invalid screen(s) found in the routing model: ${[...new Set(invalid)].join(", ")}`);
      const missing = ids.filter((id) => !mentioned.has(id));
      if (missing.length && ids.length > 1) ok(`Following screens are missing in the routing model: ${missing.join(", ")}`);
      for (const e of navEdges) {
        if (!(edges.get(e.from) ?? []).includes(e.to))
          ok(`Missing direct route from screen "${e.from}" to screen "${e.to}" in the routing model`, e.path);
      }
    } else {
      for (const e of navEdges) {
        const list = edges.get(e.from) ?? [];
        if (!list.includes(e.to)) list.push(e.to);
        edges.set(e.from, list);
      }
      for (const [from, list] of edges)
        if (list.length > MAX_BRANCHES)
          ok(`Screen "${from}" has ${list.length} routes; at most ${MAX_BRANCHES} are allowed`, this.byId.get(from)!.path);
    }
    // graph checks over real screens
    const real = (x: string) => this.byId.has(x);
    const adj = new Map<string, string[]>();
    for (const id of ids) adj.set(id, []);
    for (const [from, list] of edges) if (real(from)) adj.set(from, [...new Set(list.filter((t) => real(t) && t !== from))]);
    let cyclic = false;
    for (const [from, list] of adj) {
      for (const to of list) {
        if ((adj.get(to) ?? []).includes(from) && from < to) {
          cyclic = true;
          ok(
            `Backward route from screen "${to}" to screen "${from}" is not allowed`,
            explicit ? ["routing_model", to] : this.byId.get(to)!.path,
          );
        }
      }
    }
    if (!cyclic) {
      const cycle = findCycle(adj);
      if (cycle) {
        cyclic = true;
        ok(
          `Loop detected in the routing model: ${cycle.join(" -> ")}`,
          explicit ? ["routing_model", cycle[0]] : this.byId.get(cycle[0])!.path,
        );
      }
    }
    const inbound = new Set<string>();
    for (const list of adj.values()) for (const t of list) inbound.add(t);
    const entries = ids.filter((id) => !inbound.has(id));
    if (!cyclic && entries.length === 0) ok("No entry screen found in the routing model");
    if (ids.length > 1) {
      // undirected connectivity
      const und = new Map<string, string[]>();
      for (const id of ids) und.set(id, []);
      for (const [f, list] of adj)
        for (const t of list) {
          und.get(f)!.push(t);
          und.get(t)!.push(f);
        }
      const seen = new Set<string>([ids[0]]);
      const stack = [ids[0]];
      while (stack.length) {
        for (const n of und.get(stack.pop()!) ?? []) {
          if (!seen.has(n)) {
            seen.add(n);
            stack.push(n);
          }
        }
      }
      const lonely = ids.filter((id) => !seen.has(id));
      if (
        lonely.length &&
        (!explicit || lonely.every((l) => hasOwn(doc.routing_model as Obj, l) || [...adj.values()].some((x) => x.includes(l))))
      )
        ok(`Screens ${lonely.join(", ")} are not connected with the rest of the screens`);
    }
    // advice: non-terminal leaves
    for (const s of this.screens) {
      if (
        s.id !== undefined &&
        !s.terminal &&
        (adj.get(s.id) ?? []).length === 0 &&
        (ids.length > 1 || true) &&
        !s.actions.some((a) => a.a.name === "data_exchange")
      )
        this.r.add("NON_TERMINAL_LEAF_SCREEN", `Screen "${s.id}" is not terminal and has no outgoing route`, s.path.concat("id"), {
          severity: "warning",
        });
    }
  }
}

/** A zod issue saying "wrong kind of value here" (so this union branch was not the one meant). */
function isTypeMismatch(i: any): boolean {
  if ((i.path ?? []).length !== 0) return false;
  if (i.code === "invalid_type") return true;
  if (i.code === "invalid_format" && i.format === "template_literal") return true;
  if (i.code === "invalid_union") return (i.errors ?? []).every((b: any[]) => b.some(isTypeMismatch));
  return false;
}

function get(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (!hasOwn(cur as object, String(seg))) return undefined;
    cur = (cur as any)[seg];
  }
  return cur;
}

function fitsType(v: unknown, t: string): boolean {
  switch (t) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "array":
      return Array.isArray(v);
    case "object":
      return isObj(v);
    default:
      return true;
  }
}

/** True when a component of `type` is anywhere in `children` (through Form/If/Switch). */
function hasType(children: unknown, type: string): boolean {
  if (!Array.isArray(children)) return false;
  for (const c of children) {
    if (!isObj(c)) continue;
    if (c.type === type) return true;
    if (hasType(c.children, type) || hasType(c.then, type) || hasType(c.else, type)) return true;
    if (isObj(c.cases)) for (const k of Object.keys(c.cases)) if (hasType(c.cases[k], type)) return true;
  }
  return false;
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

function findCycle(adj: Map<string, string[]>): string[] | null {
  const state = new Map<string, number>();
  const stack: string[] = [];
  const dfs = (n: string): string[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const t of adj.get(n) ?? []) {
      const st = state.get(t) ?? 0;
      if (st === 1) return stack.slice(stack.indexOf(t)).concat(t);
      if (st === 0) {
        const r = dfs(t);
        if (r) return r;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of adj.keys())
    if (!state.get(n)) {
      const r = dfs(n);
      if (r) return r;
    }
  return null;
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
