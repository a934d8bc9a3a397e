/**
 * What every rule module shares: the state of one validation run (`RuleContext`: the reporter, the Flow JSON
 * version, the screens collected so far) and the node shapes the rules work on (`Comp`, `ScreenInfo`, `ActionRef`).
 * Rule modules are plain functions `(ctx, node…) => void` that report through `ctx.r`; see ../README.md.
 */
import type { PathSegment } from "../parser";
import type { Reporter } from "../report";
import type { ValidateOptions } from "../types";
import { LATEST_FLOW_JSON_VERSION, versionNumber } from "../versions";

export type Obj = Record<string, unknown>;
export type Path = PathSegment[];

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
export const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
export const isDynamic = (s: string) => s.includes("${") || s.startsWith("`");
export const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

export interface Comp {
  c: Obj;
  type: string;
  path: Path;
  /** If nesting depth (0 = not in an If). */
  ifDepth: number;
  inSwitch: boolean;
  inForm: boolean;
  parentIf: boolean;
}

export interface ActionRef {
  a: Obj;
  path: Path;
  /** Property holding the action, e.g. `on-click-action`. */
  prop: string;
  comp: Comp;
  /** Data-source or list item holding the action, when not the component itself. */
  item: boolean;
}

export interface ScreenInfo {
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

/** State of one validation run, shared by the rule modules. */
export class RuleContext {
  /** Flow JSON version as a number (`versionNumber`); the latest until the document's version is read. */
  v = versionNumber(LATEST_FLOW_JSON_VERSION);
  versionText = LATEST_FLOW_JSON_VERSION;
  readonly screens: ScreenInfo[] = [];
  readonly byId = new Map<string, ScreenInfo>();
  hasDataApi = false;
  carouselCount = 0;
  /** Data-source item properties not yet available in this version. */
  dsSince: [string, string][] = [];
  private readonly sinceMemo = new Map<string, boolean>();
  /** `${screen|@}|${field}` for every data field referenced somewhere. */
  readonly usedData = new Set<string>();

  constructor(
    readonly r: Reporter,
    readonly options: ValidateOptions,
  ) {}

  /** True when the document's version is `version` or later. */
  since(version: string): boolean {
    let hit = this.sinceMemo.get(version);
    if (hit === undefined) this.sinceMemo.set(version, (hit = this.v >= versionNumber(version)));
    return hit;
  }
}

export const MAX_COMPONENTS_PER_SCREEN = 50;
export const MAX_SCREENS = 100;
export const MAX_BRANCHES = 10;
export const MAX_IF_NESTING = 3;

export function get(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (!hasOwn(cur as object, String(seg))) return undefined;
    cur = (cur as Obj)[seg];
  }
  return cur;
}

export function fitsType(v: unknown, t: string): boolean {
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
export function hasType(children: unknown, type: string): boolean {
  if (!Array.isArray(children)) return false;
  for (const c of children) {
    if (!isObj(c)) continue;
    if (c.type === type) return true;
    if (hasType(c.children, type) || hasType(c.then, type) || hasType(c.else, type)) return true;
    if (isObj(c.cases)) for (const k of Object.keys(c.cases)) if (hasType(c.cases[k], type)) return true;
  }
  return false;
}
