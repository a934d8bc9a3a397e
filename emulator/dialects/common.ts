/** Helpers several dialects share: credentials, download URLs, multipart parsing, log summaries. */
import { createHash, randomBytes } from "node:crypto";
import { Response } from "undici";
import type { FlowStore } from "../core/store";
import type { FlowRecord, ValidationProblem, Vendor } from "../core/types";
import type { WireRequest, WireResponse } from "./types";

/** How long a download URL stays valid (Meta: "a short period"). */
export const DOWNLOAD_URL_TTL_SECONDS = 3600;
/** Meta's Flow JSON size cap (10 MiB), shared by the vendors that relay uploads (the provider's one constant). */
export { MAX_FLOW_JSON_BYTES } from "../../provider/flow-json";

export const sha256Hex = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** The credentials a dialect accepts, from the server options (one string or several). */
export function credentialSet(value: string | readonly string[] | undefined, fallback: string): Set<string> {
  const list = value === undefined ? [fallback] : typeof value === "string" ? [value] : [...value];
  return new Set(list.filter((s) => s.length > 0));
}

export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), if any. */
export function bearerToken(req: WireRequest): string | undefined {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header(req, "authorization") ?? "");
  return m ? m[1] : undefined;
}

/** The emulator-served download URL of a flow's current JSON (one URL per asset version, expiring). */
export function assetUrl(vendor: Vendor, req: WireRequest, store: FlowStore, flow: FlowRecord): string {
  const expires = Math.floor(store.now() / 1000) + DOWNLOAD_URL_TTL_SECONDS;
  return `${req.baseUrl}/_emulator/assets/${vendor}/${flow.id}/${flow.jsonSha256}/flow.json?expires=${expires}`;
}

/** Serves `/_emulator/assets/<vendor>/<flowId>/<sha>/flow.json?expires=`: the exact bytes, 404 when stale, 403 when expired. */
export function serveAsset(rest: string, req: WireRequest, store: FlowStore): WireResponse {
  const m = /^([0-9]+)\/([0-9a-f]{64})\/flow\.json$/.exec(rest);
  const bytes = m ? store.assetBytes(m[1], m[2]) : null;
  const expires = Number(req.query.get("expires"));
  if (!bytes)
    return {
      status: 404,
      errorType: "NotFound",
      headers: { "content-type": "application/json" },
      body: { error: "asset not found (the flow or its JSON changed)" },
    };
  if (!Number.isFinite(expires) || expires * 1000 < store.now()) {
    return { status: 403, errorType: "Expired", headers: { "content-type": "application/json" }, body: { error: "URL signature expired" } };
  }
  return { status: 200, headers: { "content-type": "application/json" }, body: bytes };
}

export interface MultipartFile {
  bytes: Buffer;
  filename?: string;
  contentType?: string;
}
export type MultipartFields = Map<string, string | MultipartFile>;

/** Every part of a multipart/form-data body in order, repeated names included; undefined when not multipart or malformed. */
export async function parseMultipartEntries(req: WireRequest): Promise<[string, string | MultipartFile][] | undefined> {
  const ct = header(req, "content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(ct)) return undefined;
  let form: Awaited<ReturnType<Response["formData"]>>;
  try {
    form = await new Response(req.body, { headers: { "content-type": ct } }).formData();
  } catch {
    return undefined;
  }
  const out: [string, string | MultipartFile][] = [];
  for (const [k, v] of form.entries()) {
    if (typeof v === "string") out.push([k, v]);
    else {
      const blob = v as unknown as { arrayBuffer(): Promise<ArrayBuffer>; name?: string; type?: string };
      out.push([k, { bytes: Buffer.from(await blob.arrayBuffer()), filename: blob.name, contentType: blob.type || undefined }]);
    }
  }
  return out;
}

/** Parses a multipart/form-data body (undici's parser), first part of each name; undefined when not multipart or malformed. */
export async function parseMultipart(req: WireRequest): Promise<MultipartFields | undefined> {
  const entries = await parseMultipartEntries(req);
  if (!entries) return undefined;
  const out: MultipartFields = new Map();
  for (const [k, v] of entries) if (!out.has(k)) out.set(k, v);
  return out;
}

/** A multipart body as logged: files become `{bytes, sha256, filename}`, text fields stay. */
export function multipartLogBody(fields: MultipartFields): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of fields) {
    o[k] =
      typeof v === "string" ? v : { bytes: v.bytes.length, sha256: sha256Hex(v.bytes), ...(v.filename ? { filename: v.filename } : {}) };
  }
  return o;
}

/** A JSON body as logged, with the Flow JSON string member replaced by its size and hash. */
export function jsonLogBody(body: Buffer, flowJsonMember: string): unknown {
  if (body.length === 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { unparsable: true, length: body.length };
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && flowJsonMember in parsed) {
    const o = { ...(parsed as Record<string, unknown>) };
    const v = o[flowJsonMember];
    o[flowJsonMember] = typeof v === "string" ? { bytes: Buffer.byteLength(v), sha256: sha256Hex(v) } : { notAString: true };
    return o;
  }
  return parsed;
}

/** Parses a JSON object body; undefined when the body is not a JSON object. Empty body = `{}`. */
export function jsonObject(body: Buffer): Record<string, unknown> | undefined {
  const text = body.toString("utf8");
  if (text.trim() === "") return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** snake_case → camelCase keys, deeply (8x8 validation errors). */
export function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [
        k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
        camelKeys(x),
      ]),
    );
  }
  return v;
}

/** Problems reduced to the fields of a closed schema (360dialog: no `pointers`). */
export function pickProblemFields(ps: ValidationProblem[], keys: readonly string[]): ValidationProblem[] {
  return ps.map((p) => Object.fromEntries(keys.filter((k) => k in p).map((k) => [k, p[k]])));
}

/** A random lowercase hex id. */
export const randomHex = (bytes: number) => randomBytes(bytes).toString("hex");

/** Strict boolean query values (`true`/`false`, any case, or 1/0); undefined when absent, null when invalid. */
export function queryBoolean(v: string | null): boolean | undefined | null {
  if (v === null) return undefined;
  const s = v.toLowerCase();
  if (s === "true" || s === "1") return true;
  if (s === "false" || s === "0") return false;
  return null;
}
