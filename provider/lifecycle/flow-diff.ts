/**
 * What changed in a flow, for `pulumi preview`: a compact fingerprint of a Flow JSON (kept in state)
 * and a comparison of an earlier fingerprint with the new JSON in a few readable lines.
 *
 * Pure: no I/O, no Pulumi. The hooks record `flowFingerprint(flowJson)` in the outputs after create
 * and update, and in diff call `describeFlowChange(olds.<fingerprint>, news.flowJson)`.
 *
 * Canonical form: the JSON is parsed and re-serialised with object keys sorted, so re-indenting or
 * reordering keys is no change (unlike `flowJsonSha256` in ../hash.ts, which keeps key order: when
 * that hash differs only because of key order, the description says so). Array order is content.
 *
 * What is tracked:
 * - the document: its `version`, `data_api_version`, a hash of `routing_model`, a hash of every
 *   other top-level key (`meta`, legacy `data_channel_uri`, unknown keys) and of the whole document;
 * - per screen (matched by `id`): a hash of the screen, of its routes in `routing_model`, of every
 *   non-layout property (title, terminal, success, data, refresh_on_back, sensitive, …; `layout` for
 *   the layout's own keys besides `children`), and of every component of `layout.children`, in order.
 *   A `Form` counts as one component for its own keys, and its children count as components of the
 *   screen (older flows put everything in one Form). `If` and `Switch` are one component each.
 *   A component is named by type and `name` (`TextInput "email"`), or without a `name` by type and
 *   its index among the screen's components of that type (`TextHeading[0]`), so that inserting an
 *   input does not make every heading look changed.
 *
 * Size: the fingerprint stays within `fingerprintBudget(flowJson.length)` bytes of JSON: 2 KB plus 3%
 * of the Flow JSON, at most 32 KB (the scale issue allows a resource 3 KB plus 15% of its JSON in
 * all; the other outputs are a few hundred bytes). A flow of 10 screens of 10 inputs fits whole. When
 * the full detail does not fit, component detail is kept for the screens in document order as far as
 * it fits (a changed screen without it is reported as changed, without naming components), then
 * per-screen properties and routes are dropped, and last the screen list itself (only counts and the
 * document hash remain). A screen with more than MAX_COMPONENTS_TRACKED components never keeps
 * component detail.
 *
 * Hashes are SHA-256, base64url, truncated: 12 characters (72 bits) for the document and the routing
 * model, 8 (48 bits) for a screen, 4 (24 bits) for properties, routes, components and other top-level
 * keys. A collision of a short hash can only hide which part of an already-changed screen changed
 * (the screen hash still says it changed; the line then reads "~SCREEN (changed)"), or, for a
 * top-level key, hide that change in the description; what diff decides never depends on these.
 */
import { createHash } from "node:crypto";
import { FLOW_FINGERPRINT_FORMAT, type FlowFingerprint, type ScreenFingerprint } from "../model";

export { FLOW_FINGERPRINT_FORMAT, type FlowFingerprint, type ScreenFingerprint };

/** Fixed part of the size budget, in bytes of JSON. */
export const FINGERPRINT_BASE_BYTES = 2048;
/** Share of the Flow JSON's size the fingerprint may add to the fixed part. */
export const FINGERPRINT_JSON_SHARE = 0.03;
/** Hard ceiling, whatever the size of the Flow JSON. */
export const FINGERPRINT_MAX_BYTES = 32 * 1024;
/** A screen with more components than this (Meta allows 50) keeps only its hash and properties. */
export const MAX_COMPONENTS_TRACKED = 64;

const LONG = 12;
const MEDIUM = 8;
const SHORT = 4;
const MAX_ID = 64;
const MAX_NAME = 40;
const MAX_TYPE = 32;
const MAX_KEYS = 16;
const MAX_VALUE = 24;
const OTHER_KEYS = "…";

export interface FingerprintOptions {
  /** Bytes of JSON the fingerprint may take; default `fingerprintBudget(flowJson.length)`. */
  budget?: number;
}

export interface DescribeOptions {
  /** Screens named in the `screens:` line before the rest is counted (default 8). */
  maxScreens?: number;
  /** Changed screens that get a line of their own (default 4). */
  maxScreenLines?: number;
  /** Components or properties named per changed screen before the rest is counted (default 6). */
  maxItems?: number;
}

/** The size budget, in bytes of JSON, of the fingerprint of a Flow JSON of `jsonLength` characters. */
export function fingerprintBudget(jsonLength: number): number {
  return Math.min(FINGERPRINT_MAX_BYTES, FINGERPRINT_BASE_BYTES + Math.floor(FINGERPRINT_JSON_SHARE * Math.max(0, jsonLength)));
}

/** Bytes the fingerprint takes as JSON (what it adds to state). */
export function fingerprintBytes(fp: FlowFingerprint): number {
  return bytes(fp);
}

// ---------------------------------------------------------------------------------------------------
// Fingerprint

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), "utf8");
const hash = (text: string, len: number) => createHash("sha256").update(text, "utf8").digest("base64url").slice(0, len);
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const without = (o: Obj, key: string): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

/** Canonical JSON: keys sorted. `memo` holds the canonical text of objects already serialised. */
function canon(v: Json, memo: Map<object, string>): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  const known = memo.get(v);
  if (known !== undefined) return known;
  if (Array.isArray(v)) return `[${v.map((x) => canon(x, memo)).join(",")}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canon(v[k], memo)}`).join(",")}}`;
}

function remember(v: Json, memo: Map<object, string>): string {
  const text = canon(v, memo);
  if (v !== null && typeof v === "object") memo.set(v, text);
  return text;
}

/** A short scalar for display: strings as they are, anything else as canonical JSON with its type. */
function scalar(v: Json | undefined): string | null {
  if (v === undefined) return null;
  if (typeof v === "string") return cut(v, MAX_VALUE);
  return cut(`${JSON.stringify(v) ?? "?"} (${Array.isArray(v) ? "array" : v === null ? "null" : typeof v})`, MAX_VALUE);
}

/** Hash per key, at most MAX_KEYS keys by name; the rest share one hash under "…". */
function keyHashes(entries: [string, Json][], memo: Map<object, string>): Record<string, string> {
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const kept = entries.slice(0, MAX_KEYS).map(([k, v]): [string, string] => [cut(k, MAX_NAME), hash(canon(v, memo), SHORT)]);
  const rest = entries.slice(MAX_KEYS);
  if (rest.length > 0) kept.push([OTHER_KEYS, hash(rest.map(([k, v]) => `${JSON.stringify(k)}:${canon(v, memo)}`).join(","), SHORT)]);
  // fromEntries defines own properties, so a key such as "__proto__" stays data.
  return Object.fromEntries(kept);
}

/** Two-letter codes of the documented component types, to keep `c` short. Other types: `*Type*`. */
const TYPE_CODES: Record<string, string> = {
  TextHeading: "TH",
  TextSubheading: "TS",
  TextBody: "TB",
  TextCaption: "TC",
  RichText: "RT",
  TextInput: "TI",
  TextArea: "TA",
  CheckboxGroup: "CG",
  RadioButtonsGroup: "RB",
  Dropdown: "DD",
  ChipsSelector: "CS",
  DatePicker: "DP",
  CalendarPicker: "CP",
  OptIn: "OI",
  EmbeddedLink: "EL",
  Footer: "FT",
  Image: "IM",
  ImageCarousel: "IC",
  PhotoPicker: "PP",
  DocumentPicker: "DO",
  NavigationList: "NL",
  If: "IF",
  Switch: "SW",
  Form: "FO",
};
const CODE_TYPES = new Map(Object.entries(TYPE_CODES).map(([t, c]) => [c, t]));

function typeCode(c: Json): string {
  if (!isObj(c) || typeof c.type !== "string") return "?";
  if (has(TYPE_CODES, c.type)) return TYPE_CODES[c.type];
  return `*${cut(c.type, MAX_TYPE).replace(/[*|]/g, "_")}*`;
}

/** `TI:email` for a named component, `TH0` for the first unnamed TextHeading; `#2`… for repeats. */
function componentKey(c: Json, counters: Map<string, number>, seen: Set<string>): string {
  const type = typeCode(c);
  let key: string;
  if (isObj(c) && typeof c.name === "string" && c.name !== "") {
    key = `${type}:${cut(c.name, MAX_NAME).replace(/\|/g, "_")}`;
  } else {
    const i = counters.get(type) ?? 0;
    counters.set(type, i + 1);
    key = `${type}${i}`;
  }
  let unique = key;
  for (let n = 2; seen.has(unique); n++) unique = `${key}#${n}`;
  seen.add(unique);
  return unique;
}

/** Components of a screen, a Form's children flattened in, each key + 4-character hash; memoises what it serialises. */
function components(children: Json[], memo: Map<object, string>): string[] {
  const out: string[] = [];
  const counters = new Map<string, number>();
  const seen = new Set<string>();
  const add = (c: Json, container: string) => {
    const key = componentKey(c, counters, seen);
    if (isObj(c) && c.type === "Form" && Array.isArray(c.children)) {
      out.push(key + hash(`${container}|${canon(without(c, "children"), memo)}`, SHORT));
      for (const child of c.children) add(child, `${container}/${key}`);
      remember(c, memo);
    } else {
      out.push(key + hash(`${container}|${remember(c, memo)}`, SHORT));
    }
  };
  for (const c of children) add(c, "");
  return out;
}

function screenFingerprint(screen: Json, id: string, routes: Obj | null, memo: Map<object, string>): ScreenFingerprint {
  const fp: ScreenFingerprint = { id, h: "" };
  if (routes && isObj(screen) && typeof screen.id === "string" && has(routes, screen.id)) {
    fp.r = hash(canon(routes[screen.id], memo), SHORT);
  }
  if (isObj(screen)) {
    const props: [string, Json][] = Object.entries(screen).filter(([k]) => k !== "id" && k !== "layout");
    const layout = screen.layout;
    const children = isObj(layout) && Array.isArray(layout.children) ? layout.children : null;
    if (isObj(layout) && children) props.push(["layout", without(layout, "children")]);
    else if (layout !== undefined) props.push(["layout", layout]);
    fp.p = keyHashes(props, memo);
    if (children) {
      const list = components(children, memo);
      if (list.length <= MAX_COMPONENTS_TRACKED) fp.c = list.join("|");
      remember(layout, memo);
    }
  }
  fp.h = hash(remember(screen, memo), MEDIUM);
  return fp;
}

function screenIds(screens: Json[]): string[] {
  const seen = new Set<string>();
  return screens.map((s, i) => {
    const base = isObj(s) && typeof s.id === "string" ? cut(s.id, MAX_ID) : `#${i}`;
    let id = base;
    for (let n = 2; seen.has(id); n++) id = `${base}#${n}`;
    seen.add(id);
    return id;
  });
}

/** Keeps the fingerprint within budget: drops component detail, then per-screen detail, then screens. */
function fit(fp: FlowFingerprint, budget: number): FlowFingerprint {
  if (!fp.screens || budget === Infinity || bytes(fp) <= budget) return fp;
  const full = fp.screens;
  const bare = full.map((s): ScreenFingerprint => {
    const { c: _c, ...rest } = s;
    return rest;
  });
  let size = bytes({ ...fp, screens: bare });
  if (size <= budget) {
    // Add component detail back screen by screen, in document order, while it fits.
    const screens = bare.map((s, i) => {
      const c = full[i].c;
      if (!c) return s;
      const extra = bytes(c) + 5; // ,"c":
      if (size + extra > budget) return s;
      size += extra;
      return { ...s, c };
    });
    return { ...fp, screens };
  }
  const minimal = full.map((s) => ({ id: s.id, h: s.h }));
  if (bytes({ ...fp, screens: minimal }) <= budget) return { ...fp, screens: minimal };
  return { ...fp, screens: null };
}

/**
 * A compact summary of a Flow JSON, to keep in state and compare later. Never throws: text that does
 * not parse gives a fingerprint of kind `unparsable` (hash of the raw text).
 */
export function flowFingerprint(flowJson: string, opts: FingerprintOptions = {}): FlowFingerprint {
  const text = typeof flowJson === "string" ? flowJson : String(flowJson);
  const base = (kind: FlowFingerprint["kind"], h: string): FlowFingerprint => ({
    format: FLOW_FINGERPRINT_FORMAT,
    kind,
    h,
    size: text.length,
    version: null,
    dataApiVersion: null,
    routing: null,
    top: {},
    screenCount: 0,
    screens: null,
  });
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch {
    return base("unparsable", hash(text, LONG));
  }
  try {
    const memo = new Map<object, string>();
    if (!isObj(doc) || !Array.isArray(doc.screens)) return base("other", hash(canon(doc, memo), LONG));
    const routes = isObj(doc.routing_model) ? doc.routing_model : null;
    const ids = screenIds(doc.screens);
    const screens = doc.screens.map((s, i) => screenFingerprint(s, ids[i], routes, memo));
    remember(doc.screens, memo);
    const others = Object.entries(doc).filter(([k]) => !["version", "data_api_version", "routing_model", "screens"].includes(k));
    const fp: FlowFingerprint = {
      ...base("flow", hash(canon(doc, memo), LONG)),
      version: scalar(doc.version),
      dataApiVersion: scalar(doc.data_api_version),
      routing: has(doc, "routing_model") ? hash(canon(doc.routing_model, memo), LONG) : null,
      top: keyHashes(others, memo),
      screenCount: doc.screens.length,
      screens,
    };
    return fit(fp, opts.budget ?? fingerprintBudget(text.length));
  } catch {
    // e.g. nesting too deep to serialise: still a usable, comparable fingerprint.
    return base("other", hash(text, LONG));
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading a fingerprint back from state (it may come from another release, or be damaged)

const isStr = (v: unknown): v is string => typeof v === "string";
const isStrMap = (v: unknown): v is Record<string, string> => isObj(v) && Object.values(v).every(isStr);
const ENTRY = new RegExp(`^[^|]+[A-Za-z0-9_-]{${SHORT}}$`);

function isScreenFingerprint(v: unknown): v is ScreenFingerprint {
  if (!isObj(v) || !isStr(v.id) || !isStr(v.h)) return false;
  if (v.r !== undefined && !isStr(v.r)) return false;
  if (v.p !== undefined && !isStrMap(v.p)) return false;
  if (v.c !== undefined && !(isStr(v.c) && (v.c === "" || v.c.split("|").every((e) => ENTRY.test(e))))) return false;
  return true;
}

/** Whether a value read from state is a fingerprint this code can compare with. */
export function isFlowFingerprint(v: unknown): v is FlowFingerprint {
  if (!isObj(v) || v.format !== FLOW_FINGERPRINT_FORMAT) return false;
  if (!["flow", "unparsable", "other"].includes(v.kind as string) || !isStr(v.h)) return false;
  if (typeof v.size !== "number" || typeof v.screenCount !== "number") return false;
  const nullableStr = (x: unknown) => x === null || isStr(x);
  if (!nullableStr(v.version) || !nullableStr(v.dataApiVersion) || !nullableStr(v.routing) || !isStrMap(v.top)) return false;
  return v.screens === null || (Array.isArray(v.screens) && v.screens.every(isScreenFingerprint));
}

// ---------------------------------------------------------------------------------------------------
// Description

export const NO_EARLIER_FINGERPRINT = "the Flow JSON changed (no earlier fingerprint to compare)";
export const ONLY_FORMATTING = "the Flow JSON changed only in whitespace or key order (same content)";

const shown = (v: string | null) => (v === null ? "none" : v);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `a, b, c, +2 more` */
function capped(items: string[], max: number): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")}, +${items.length - max} more`;
}

function parseEntries(c: string): { keys: string[]; hashes: Map<string, string> } {
  const hashes = new Map<string, string>();
  const keys = (c === "" ? [] : c.split("|")).map((e) => {
    const key = e.slice(0, e.length - SHORT);
    hashes.set(key, e.slice(e.length - SHORT));
    return key;
  });
  return { keys, hashes };
}

/** `TI:email` → `TextInput "email"`; `TH0` → `TextHeading[0]`; `*Custom*1#2` → `Custom[1]#2`. */
export function componentLabel(key: string): string {
  let type: string;
  let rest: string;
  if (key.startsWith("*") && key.indexOf("*", 1) > 0) {
    const end = key.indexOf("*", 1);
    type = key.slice(1, end);
    rest = key.slice(end + 1);
  } else if (key.startsWith("?")) {
    type = "(no type)";
    rest = key.slice(1);
  } else {
    type = CODE_TYPES.get(key.slice(0, 2)) ?? key.slice(0, 2);
    rest = key.slice(2);
  }
  if (rest.startsWith(":")) return `${type} ${JSON.stringify(rest.slice(1))}`;
  const [index, ...repeat] = rest.split("#");
  return `${type}[${index}]${repeat.length ? `#${repeat.join("#")}` : ""}`;
}

/** The components a screen's fingerprint records, in order: key, readable label, hash. */
export function recordedComponents(screen: ScreenFingerprint): { key: string; label: string; hash: string }[] | null {
  if (screen.c === undefined) return null;
  const { keys, hashes } = parseEntries(screen.c);
  return keys.map((key) => ({ key, label: componentLabel(key), hash: hashes.get(key)! }));
}

const sameOrder = (a: string[], b: string[]) => {
  const inB = new Set(b);
  const inA = new Set(a);
  const x = a.filter((k) => inB.has(k));
  const y = b.filter((k) => inA.has(k));
  return x.length === y.length && x.every((k, i) => k === y[i]);
};

/** `+a, -b, ~c` over two key→hash maps (keys in the order given). */
function mapDiff(
  beforeKeys: string[],
  before: Map<string, string>,
  afterKeys: string[],
  after: Map<string, string>,
  label: (k: string) => string,
): string[] {
  const out: string[] = [];
  for (const k of afterKeys) {
    if (!before.has(k)) out.push(`+${label(k)}`);
    else if (before.get(k) !== after.get(k)) out.push(`~${label(k)}`);
  }
  for (const k of beforeKeys) if (!after.has(k)) out.push(`-${label(k)}`);
  return out;
}

function describeScreen(before: ScreenFingerprint, after: ScreenFingerprint, maxItems: number): string {
  const parts: string[] = [];
  if (before.c && after.c) {
    const b = parseEntries(before.c);
    const a = parseEntries(after.c);
    const diff = mapDiff(b.keys, b.hashes, a.keys, a.hashes, componentLabel);
    if (diff.length > 0) parts.push(`components: ${capped(diff, maxItems)}`);
    else if (!sameOrder(b.keys, a.keys)) parts.push("components: reordered");
  } else {
    parts.push("components: not recorded in detail for this screen");
  }
  if (before.p && after.p) {
    const bk = Object.keys(before.p);
    const ak = Object.keys(after.p);
    const diff = mapDiff(bk, new Map(Object.entries(before.p)), ak, new Map(Object.entries(after.p)), (k) => k).map((d) =>
      d.startsWith("~") ? d.slice(1) : d,
    );
    if (diff.length > 0) parts.push(`properties: ${capped(diff, maxItems)}`);
  }
  // Same components and properties but another hash: components moved between containers, an
  // unlikely collision of short hashes, or detail that was not kept.
  if (parts.length === 0) parts.push("changed");
  return `~${after.id} (${parts.join("; ")})`;
}

function describeScreens(before: FlowFingerprint, after: FlowFingerprint, o: Required<DescribeOptions>): string[] {
  if (!before.screens || !after.screens) {
    const counts =
      before.screenCount === after.screenCount ? plural(after.screenCount, "screen") : `${before.screenCount} → ${after.screenCount}`;
    return [`screens: ${counts} (no per-screen detail recorded${before.screens ? "" : " earlier"})`];
  }
  const b = new Map(before.screens.map((s) => [s.id, s]));
  const a = new Map(after.screens.map((s) => [s.id, s]));
  const added = after.screens.filter((s) => !b.has(s.id)).map((s) => `+${s.id}`);
  const removed = before.screens.filter((s) => !a.has(s.id)).map((s) => `-${s.id}`);
  const changed = after.screens.filter((s) => b.has(s.id) && b.get(s.id)!.h !== s.h);
  const reordered = !sameOrder(
    before.screens.map((s) => s.id),
    after.screens.map((s) => s.id),
  );
  const lines: string[] = [];
  const items = [...added, ...removed, ...changed.map((s) => `~${s.id}`)];
  if (changed.length === 1 && items.length <= o.maxScreens) {
    // The common case fits one line: screens: +THANK_YOU, ~SIGN_UP (components: …)
    items[items.length - 1] = describeScreen(b.get(changed[0].id)!, changed[0], o.maxItems);
    lines.push(`screens: ${items.join(", ")}`);
  } else {
    if (items.length <= o.maxScreens) {
      if (items.length > 0) lines.push(`screens: ${items.join(", ")}`);
    } else {
      // Too many to name: a few of each kind, and how many more of that kind.
      const kinds = [
        [added, "added"],
        [removed, "removed"],
        [changed.map((s) => `~${s.id}`), "changed"],
      ].filter(([list]) => list.length > 0) as [string[], string][];
      const each = Math.max(1, Math.floor(o.maxScreens / kinds.length));
      const parts = kinds.map(([list, what]) =>
        list.length <= each ? list.join(", ") : `${list.slice(0, each).join(", ")} and ${list.length - each} more ${what}`,
      );
      lines.push(`screens: ${parts.join("; ")}`);
    }
    for (const s of changed.slice(0, o.maxScreenLines)) lines.push(`  ${describeScreen(b.get(s.id)!, s, o.maxItems)}`);
    if (changed.length > o.maxScreenLines) lines.push(`  … ${plural(changed.length - o.maxScreenLines, "more changed screen")}`);
  }
  if (reordered) {
    const first = before.screens[0]?.id !== after.screens[0]?.id && after.screens[0] ? ` (first screen now ${after.screens[0].id})` : "";
    lines.push(`screen order changed${first}`);
  }
  return lines;
}

function describeRouting(before: FlowFingerprint, after: FlowFingerprint, maxItems: number): string | null {
  if (before.routing === after.routing) return null;
  if (before.routing === null) return "routing_model added";
  if (after.routing === null) return "routing_model removed";
  if (before.screens && after.screens) {
    const b = new Map(before.screens.map((s) => [s.id, s]));
    const from = after.screens.filter((s) => b.has(s.id) && b.get(s.id)!.r !== s.r).map((s) => s.id);
    if (from.length > 0) return `routing_model changed (routes from ${capped(from, maxItems)})`;
  }
  return "routing_model changed";
}

/**
 * A few readable lines saying what changed from the flow `before` describes to `after` (the new
 * Flow JSON, or its fingerprint). `before` may be anything read from state: a missing, damaged or
 * other-format fingerprint gives NO_EARLIER_FINGERPRINT. Never throws. At most about a dozen lines,
 * however large the change; call it when the JSON's hash changed (it says so when only formatting did).
 */
export function describeFlowChange(
  before: FlowFingerprint | null | undefined,
  after: FlowFingerprint | string,
  opts: DescribeOptions = {},
): string[] {
  const o: Required<DescribeOptions> = { maxScreens: 8, maxScreenLines: 4, maxItems: 6, ...opts };
  try {
    if (!isFlowFingerprint(before)) return [NO_EARLIER_FINGERPRINT];
    const now = typeof after === "string" ? flowFingerprint(after, { budget: Infinity }) : after;
    if (!isFlowFingerprint(now)) return [NO_EARLIER_FINGERPRINT];
    if (before.kind === now.kind && before.h === now.h) return [ONLY_FORMATTING];
    if (now.kind === "unparsable") return ["the Flow JSON is now not valid JSON"];
    if (now.kind === "other") return ["the Flow JSON is now not a flow (no screens array)"];
    if (before.kind !== "flow") {
      const was = before.kind === "unparsable" ? "was not valid JSON" : "was not a flow";
      const ids = now.screens
        ? `: ${capped(
            now.screens.map((s) => s.id),
            o.maxScreens,
          )}`
        : "";
      return [`the Flow JSON ${was}; now ${plural(now.screenCount, "screen")}${ids}`];
    }
    const lines: string[] = [];
    if (before.version !== now.version) lines.push(`version: ${shown(before.version)} → ${shown(now.version)}`);
    if (before.dataApiVersion !== now.dataApiVersion)
      lines.push(`data_api_version: ${shown(before.dataApiVersion)} → ${shown(now.dataApiVersion)}`);
    const routing = describeRouting(before, now, o.maxItems);
    if (routing) lines.push(routing);
    const bk = Object.keys(before.top);
    const ak = Object.keys(now.top);
    const top = mapDiff(bk, new Map(Object.entries(before.top)), ak, new Map(Object.entries(now.top)), (k) => k);
    if (top.length > 0) lines.push(`top-level keys: ${capped(top, o.maxItems)}`);
    lines.push(...describeScreens(before, now, o));
    return lines.length > 0 ? lines : ["the Flow JSON changed (no difference found in what the fingerprint records)"];
  } catch {
    return ["the Flow JSON changed (could not compare it with the earlier fingerprint)"];
  }
}
