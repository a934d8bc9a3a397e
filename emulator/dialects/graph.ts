/**
 * Graph API conventions shared by the emulator's Graph dialects (flows in ./meta.ts, message templates in
 * ./templates/meta.ts): the version window, Graph's error envelope and Meta's short messages, `fields=`
 * selection, and reading parameters the ways Graph clients send them (query, JSON, urlencoded or multipart
 * body, with or without a Content-Type; PHP/Ruby array forms; the `method=` override; `access_token`
 * redacted from the log).
 */
import { randomBytes } from "node:crypto";
import { META_TEXT, type CoreError } from "../core/errors";
import { header, multipartLogBody, parseMultipartEntries, sha256Hex, type MultipartFile } from "./common";
import type { WireRequest, WireResponse } from "./types";

export const VERSIONED = /^\/v(\d+)\.(\d+)(\/.*)?$/;

/**
 * Graph versions and the day each stops being callable (Meta's changelog,
 * https://developers.facebook.com/docs/graph-api/changelog/versions/). A version with no date is still
 * open-ended. Versions newer than the table are accepted (a release the table predates).
 */
export const GRAPH_VERSION_EXPIRY: ReadonlyArray<readonly [version: string, expires: string | null]> = [
  ["v16.0", "2025-05-14"],
  ["v17.0", "2025-09-12"],
  ["v18.0", "2026-01-26"],
  ["v19.0", "2026-05-21"],
  ["v20.0", "2026-09-24"],
  ["v21.0", "2027-01-21"],
  ["v22.0", "2027-05-20"],
  ["v23.0", "2027-10-08"],
  ["v24.0", "2028-02-18"],
  ["v25.0", "2028-07-29"],
  ["v26.0", null],
];

/** `vNN.N` → a comparable number (major * 1000 + minor); NaN when malformed. */
export function graphVersionNumber(v: string): number {
  const m = /^v(\d+)\.(\d+)$/.exec(v);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : NaN;
}

/** The oldest Graph version still callable at `nowMs` per GRAPH_VERSION_EXPIRY (the window's lower edge). */
export function oldestGraphVersionAt(nowMs: number): string {
  for (const [v, expires] of GRAPH_VERSION_EXPIRY) if (expires === null || Date.parse(`${expires}T00:00:00Z`) > nowMs) return v;
  return GRAPH_VERSION_EXPIRY[GRAPH_VERSION_EXPIRY.length - 1][0];
}

/** The newest version Meta lists (named in the refusal of an expired one). */
export const LATEST_GRAPH_VERSION = GRAPH_VERSION_EXPIRY[GRAPH_VERSION_EXPIRY.length - 1][0];

// ------------------------------------------------------------------------------------------ errors

const fbtraceId = () => randomBytes(9).toString("base64").replace(/[+/]/g, "A");

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly type = "OAuthException",
    readonly subcode?: number,
  ) {
    super(message);
  }
}

/** What Graph tells the person using the app: `error_user_title` / `error_user_msg` (present on Flows' business errors). */
interface UserText {
  title: string;
  msg: string;
}

/** Graph codes whose errors are transient (`is_transient: true`): 1 unknown error, 2 service temporarily unavailable. */
const TRANSIENT_CODES = new Set([1, 2]);

export function graphError(
  status: number,
  code: number,
  message: string,
  type = "OAuthException",
  subcode?: number,
  headers: Record<string, string> = {},
  user?: UserText,
): WireResponse {
  const id = fbtraceId();
  const extra: Record<string, string> =
    code === 190 ? { "www-authenticate": `OAuth "Facebook Platform" "invalid_token" "${message.replace(/"/g, "'")}"` } : {};
  return {
    status,
    errorType: String(code),
    requestId: id,
    headers: { "content-type": "application/json; charset=UTF-8", "x-fb-trace-id": id, ...extra, ...headers },
    body: {
      error: {
        message,
        type,
        code,
        ...(subcode !== undefined ? { error_subcode: subcode } : {}),
        is_transient: TRANSIENT_CODES.has(code),
        ...(user ? { error_user_title: user.title, error_user_msg: user.msg } : {}),
        fbtrace_id: id,
      },
    },
  };
}

/**
 * The short `message` Graph puts on a Flows business error; the condition itself (the description of
 * Meta's Flows error table) travels in `error_user_title`, advice in `error_user_msg`. Meta does not
 * publish the exact `message` strings: these are the emulator's, deliberately generic, so that no client
 * can tell conditions apart by `message` (emulator/README.md, "Error shapes").
 */
export const SHORT_MESSAGE: Record<number, string> = {
  100: "Invalid parameter",
  139000: "(#139000) Integrity error",
  139001: "(#139001) Flow update error",
  139002: "(#139002) Flow publishing error",
  139003: "(#139003) Flow deprecation error",
  139004: "(#139004) Flow deletion error",
};

/** What to tell the user, per documented condition (Meta's "Possible solutions", in our words). */
export const USER_MSG: Record<string, string> = {
  [META_TEXT.nameNotUnique]: "Another Flow of this WhatsApp Business Account already has this name. Use a different name.",
  [META_TEXT.flowNotFound]: "Check the Flow ID and the WhatsApp Business Account it belongs to.",
  [META_TEXT.publishInvalidState]: "Only a Flow in DRAFT status can be published.",
  [META_TEXT.publishValidationErrors]: "Fix the validation errors of the Flow JSON, then publish again.",
  [META_TEXT.deprecateUnpublished]: "A DRAFT Flow cannot be deprecated; delete it instead.",
  [META_TEXT.alreadyDeprecated]: "This Flow is already deprecated.",
  [META_TEXT.deletePublished]: "Only a DRAFT Flow can be deleted; deprecate a published Flow instead.",
  [META_TEXT.cantUpdate]: "This published Flow cannot be updated. Clone it to make changes.",
  [META_TEXT.previewDeprecated]: "Deprecated Flows have no preview.",
};

export const param = (message: string) => new GraphError(400, 100, `(#100) ${message}`);

export const DEFAULTS: Record<number, [number, string, string?]> = {
  400: [100, "(#100) Invalid parameter"],
  401: [190, "Invalid OAuth access token - Cannot parse access token"],
  403: [10, "(#10) Application does not have permission for this action"],
  404: [100, "Unsupported request - method type: get", "GraphMethodException"],
  429: [80007, "(#80007) Rate limit hit for WhatsApp Business Account"],
  500: [1, "An unknown error occurred"],
  503: [2, "Service temporarily unavailable"],
};

export function unsupported(method: string, id: string): GraphError {
  return new GraphError(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    "GraphMethodException",
    33,
  );
}

/**
 * Core refusals → Meta's code (HTTP 400, as Graph answers them), a short `message`, the documented
 * condition in `error_user_title` and advice in `error_user_msg`.
 */
export function mapCoreError(e: CoreError): WireResponse {
  const message = SHORT_MESSAGE[e.code];
  if (!message) return graphError(400, e.code, e.message, "OAuthException", e.subcode);
  const title = e.message.split(":")[0];
  const msg = USER_MSG[e.message] ?? (title !== e.message ? e.message.slice(title.length + 1).trim() : e.message);
  return graphError(400, e.code, message, "OAuthException", e.subcode, {}, { title, msg });
}

export const ok = (body: object): WireResponse => ({
  status: 200,
  headers: { "content-type": "application/json; charset=UTF-8", "x-fb-trace-id": fbtraceId() },
  body,
});

// ------------------------------------------------------------------------------------------ fields

export interface FieldSpec {
  name: string;
  /** `.name(args)` modifiers, e.g. invalidate → "true". */
  mods: Record<string, string>;
  sub?: FieldSpec[];
}

/** Parses Graph's `fields` syntax: `a,b.mod(x).mod2(y),c{d,e}`. */
export function parseFields(text: string): FieldSpec[] {
  let i = 0;
  const fail = () => param(`Syntax error "Expected end of string instead of "${text.slice(i, i + 1)}"." at character ${i}: ${text}`);
  const ident = () => {
    const m = /^[A-Za-z0-9_]+/.exec(text.slice(i));
    if (!m) throw fail();
    i += m[0].length;
    return m[0];
  };
  const list = (): FieldSpec[] => {
    const out: FieldSpec[] = [];
    for (;;) {
      while (text[i] === " ") i++;
      const f: FieldSpec = { name: ident(), mods: {} };
      while (text[i] === ".") {
        i++;
        const mod = ident();
        if (text[i] !== "(") throw fail();
        const close = text.indexOf(")", i);
        if (close < 0) throw fail();
        f.mods[mod] = text.slice(i + 1, close);
        i = close + 1;
      }
      if (text[i] === "{") {
        i++;
        f.sub = list();
        if (text[i] !== "}") throw fail();
        i++;
      }
      out.push(f);
      while (text[i] === " ") i++;
      if (text[i] !== ",") return out;
      i++;
    }
  };
  const fields = list();
  if (i !== text.length) throw fail();
  return fields;
}

export function select(value: unknown, sub: FieldSpec[] | undefined): unknown {
  if (!sub || !value || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => select(v, sub));
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of sub) if (f.name in o) out[f.name] = select(o[f.name], f.sub);
  return out;
}

// ------------------------------------------------------------------------------------------ params

export interface Params {
  values: Record<string, unknown>;
  files: Map<string, MultipartFile>;
  /** Body as logged. */
  logBody: unknown;
}

/** How a request body is encoded. Graph reads a body sent without a Content-Type as form fields (a JSON object is told by its brace). */
type BodyKind = "none" | "json" | "form" | "multipart";

export function bodyKind(req: WireRequest): BodyKind {
  if (req.body.length === 0) return "none";
  const ct = (header(req, "content-type") ?? "").toLowerCase();
  if (ct.startsWith("multipart/form-data")) return "multipart";
  if (ct.includes("json")) return "json";
  if (ct.startsWith("application/x-www-form-urlencoded")) return "form";
  return req.body.toString("utf8").trimStart().startsWith("{") ? "json" : "form";
}

/** `name[]` (Ruby / Rails) and `name[0]` (PHP) parameter names. */
const ARRAY_PARAM = /^([^[\]]+)\[(\d*)\]$/;

/**
 * Folds form / query fields into values: a plain name keeps its last value; `name[]=a&name[]=b` and
 * `name[0]=a&name[1]=b` become the array `name` (indexed ones in index order, then the `[]` ones).
 */
export function foldParams<T>(entries: Iterable<[string, T]>): Record<string, T | T[]> {
  const out: Record<string, T | T[]> = {};
  const arrays = new Map<string, { indexed: [number, T][]; pushed: T[] }>();
  for (const [k, v] of entries) {
    const m = ARRAY_PARAM.exec(k);
    if (!m) {
      out[k] = v;
      continue;
    }
    let a = arrays.get(m[1]);
    if (!a) arrays.set(m[1], (a = { indexed: [], pushed: [] }));
    if (m[2] === "") a.pushed.push(v);
    else a.indexed.push([Number(m[2]), v]);
  }
  for (const [name, a] of arrays) out[name] = [...a.indexed.sort((x, y) => x[0] - y[0]).map(([, v]) => v), ...a.pushed];
  return out;
}

/** The query string's and a JSON / form body's fields (no multipart): enough for the token, `method` and a flow name. */
export function plainParams(req: WireRequest): Record<string, unknown> {
  const values: Record<string, unknown> = foldParams(req.query);
  const kind = bodyKind(req);
  if (kind === "form") Object.assign(values, foldParams(new URLSearchParams(req.body.toString("utf8"))));
  else if (kind === "json") {
    try {
      const parsed = JSON.parse(req.body.toString("utf8"));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) Object.assign(values, parsed);
    } catch {
      /* not JSON: readParams answers the error */
    }
  }
  return values;
}

const OVERRIDABLE = ["GET", "POST"];
const OVERRIDES = ["GET", "POST", "DELETE"];

/**
 * Graph's `method` parameter: a GET or POST carrying `method=delete` (or get / post) is handled as that
 * method (clients that can only send GET and POST use it). Other values are refused rather than ignored.
 */
export function effectiveMethod(req: WireRequest): string {
  if (!OVERRIDABLE.includes(req.method)) return req.method;
  const m = plainParams(req).method;
  if (m === undefined) return req.method;
  if (typeof m === "string" && OVERRIDES.includes(m.toUpperCase())) return m.toUpperCase();
  throw param(`Param method must be one of {${OVERRIDES.join(", ")}} - got "${typeof m === "string" ? m : JSON.stringify(m)}"`);
}

/** Graph reads parameters from the query string and the body (JSON, urlencoded — with or without a Content-Type — or multipart). */
export async function readParams(req: WireRequest): Promise<Params> {
  const values: Record<string, unknown> = foldParams(req.query);
  const files = new Map<string, MultipartFile>();
  let logBody: unknown = null;
  switch (bodyKind(req)) {
    case "none":
      break;
    case "multipart": {
      const entries = await parseMultipartEntries(req);
      if (!entries) throw param("Invalid multipart body");
      const fields: [string, string][] = [];
      for (const [k, v] of entries) {
        if (typeof v === "string") fields.push([k, v]);
        else if (!files.has(k)) files.set(k, v);
      }
      Object.assign(values, foldParams(fields));
      const form = new Map<string, string | MultipartFile>();
      for (const [k, v] of entries) if (!form.has(k)) form.set(k, v);
      logBody = summarize(multipartLogBody(form));
      break;
    }
    case "form": {
      const fields = foldParams(new URLSearchParams(req.body.toString("utf8")));
      Object.assign(values, fields);
      logBody = summarize({ ...fields });
      break;
    }
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.body.toString("utf8"));
      } catch {
        throw param("Invalid JSON body");
      }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw param("Invalid JSON body");
      Object.assign(values, parsed);
      logBody = summarize({ ...(parsed as Record<string, unknown>) });
      break;
    }
  }
  return { values, files, logBody };
}

function summarize(o: Record<string, unknown>): Record<string, unknown> {
  if (typeof o.flow_json === "string") o.flow_json = { bytes: Buffer.byteLength(o.flow_json), sha256: sha256Hex(o.flow_json) };
  if (o.access_token !== undefined) o.access_token = REDACTED;
  return o;
}

/** What the request log shows instead of an `access_token` (query or body). */
export const REDACTED = "<redacted>";

export const str = (p: Record<string, unknown>, k: string): string | undefined => {
  const v = p[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return String(v);
  if (typeof v !== "string") throw param(`Param ${k} must be a string`);
  return v;
};
export const bool = (p: Record<string, unknown>, k: string): boolean | undefined => {
  const v = p[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw param(`Param ${k} must be a boolean`);
};
/** Arrays arrive as JSON values or, in form/query encodings, as JSON text (`["OTHER"]`) or a comma list. */
export function list(p: Record<string, unknown>, k: string): string[] | undefined {
  let v = p[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") {
    const t = v.trim();
    if (t.startsWith("[")) {
      try {
        v = JSON.parse(t);
      } catch {
        throw param(`Param ${k} must be an array`);
      }
    } else v = t === "" ? [] : t.split(",").map((s) => s.trim());
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw param(`Param ${k} must be an array`);
  return v as string[];
}
