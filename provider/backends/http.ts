/**
 * HTTP transport shared by the HTTP vendors (360dialog, 8x8, Meta Graph) and by plain asset downloads.
 * undici only, loaded on first use inside functions: whoever imports this module without making a request
 * (the validator CLI, a program through the SDK) does not pay for loading undici.
 *
 * Design
 * - One pooled dispatcher per origin (`Pool`), cached process-wide, with connect/headers/body timeouts.
 * - Retries are undici's own: `interceptors.retry` (a `RetryHandler`) composed over
 *   `interceptors.responseError`, which buffers every >= 400 answer so the retry policy sees its
 *   status, headers and parsed body. The policy (the `retry` hook of undici's retry options) retries
 *   429, 500/502/503/504, connection errors and timeouts of *idempotent* requests only, with full-jitter
 *   exponential backoff, honouring `Retry-After` (seconds or HTTP date). A vendor may also mark a 4xx
 *   body as retryable (Meta's throttling codes arrive as HTTP 400). Creates are never retried: their
 *   method is POST and they are not marked idempotent, so the lifecycle looks the name up instead.
 * - A provider-process-wide backoff: a throttled answer pauses every later request to that origin for
 *   the delay it asked for.
 * - Credentials travel in headers only and are redacted from every message this module builds.
 */
import type { Dispatcher, FormData as UndiciFormData, RetryHandler } from "undici";
import { BackendError, BackendErrorKind } from "./types";

export interface HttpVendorSettings {
  /** Vendor origin, optionally with a path prefix (e.g. the emulator's URL). Query and user-info are ignored. */
  baseUrl: string;
  /** The API key or token. Sent in a header only; never in a URL, a message or an error property. */
  credential: string;
  /** Attempts per idempotent call (first try included). Default 4. Creates always get exactly one. */
  maxAttempts?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** First backoff step (doubled per retry, full jitter). Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Cap of one backoff step, and of an honoured `Retry-After`: a longer hint fails the call at once (THROTTLED). Default 30 s. */
  maxRetryDelayMs?: number;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type RetryVerdict = "throttled" | "transient" | undefined;

export interface HttpRequest {
  method: HttpMethod;
  /** Path below the base URL's prefix, with every variable segment already encoded (see `seg`). */
  path: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: UndiciFormData;
  /**
   * Whether repeating the request is harmless. Default: true for GET, PUT, PATCH and DELETE, false for POST.
   * Publish, deprecate, uploads and metadata POSTs say true; a create never does.
   */
  idempotent?: boolean;
  /** Vendor hook: may a >= 400 answer that is not 429/5xx still be retried (e.g. Meta code 4 sent with HTTP 400)? */
  retryableBody?: (status: number, body: unknown) => RetryVerdict;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body is JSON, the text otherwise, `undefined` when empty. */
  body: unknown;
  /** The raw body text (exact bytes as UTF-8; for >= 400 answers, what undici's responseError kept). */
  text: string;
  /** Attempts the call took. */
  attempts: number;
}

/** A request that got no HTTP answer (connection refused/reset, DNS, timeout). Its message is sanitized. */
export class HttpTransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** A network failure or timeout (worth trying later), as opposed to a request undici refused to send. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "HttpTransportError";
  }
}

const DEFAULTS = {
  maxAttempts: 4,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 60_000,
  retryBaseDelayMs: 500,
  maxRetryDelayMs: 30_000,
};

const RETRY_STATUS = [429, 500, 502, 503, 504];
const RETRY_ERROR_CODES = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETDOWN",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
];
const IDEMPOTENT_METHODS = ["GET", "HEAD", "PUT", "PATCH", "DELETE"];

// ---------------------------------------------------------------------------------------------------
// Process-wide state (kept on globalThis, created on first use: nothing is built at module load).

interface SharedState {
  dispatchers: Map<string, Dispatcher>;
  pausedUntil: Map<string, number>;
}

const STATE_KEY = Symbol.for("whatsapp-flows.backends.http");

function shared(): SharedState {
  const g = globalThis as unknown as Record<symbol, SharedState | undefined>;
  let s = g[STATE_KEY];
  if (!s) {
    s = { dispatchers: new Map(), pausedUntil: new Map() };
    g[STATE_KEY] = s;
  }
  return s;
}

function dispatcherFor(origin: string, connectTimeoutMs: number): Dispatcher {
  const key = `${origin} ${connectTimeoutMs}`;
  const s = shared();
  let d = s.dispatchers.get(key);
  if (!d) {
    const undici = require("undici") as typeof import("undici");
    const pool = new undici.Pool(origin, {
      connections: 8,
      connect: { timeout: connectTimeoutMs },
      keepAliveTimeout: 10_000,
    });
    // compose: the last interceptor is the outermost. responseError buffers >= 400 answers into a
    // ResponseError (status, headers, parsed body) that the retry handler above it hands to our policy.
    d = pool.compose(
      undici.interceptors.responseError(),
      undici.interceptors.retry({
        methods: IDEMPOTENT_METHODS as Dispatcher.HttpMethod[],
        statusCodes: RETRY_STATUS,
        errorCodes: RETRY_ERROR_CODES,
        throwOnError: false,
      }),
    );
    s.dispatchers.set(key, d);
  }
  return d;
}

/** Redirects a download follows (CDN links may bounce through a signing or edge host). */
export const MAX_DOWNLOAD_REDIRECTS = 5;

/** Removes the named headers (any case) from undici dispatch headers: an object, a flat list or a list of pairs. */
function withoutHeaders(headers: unknown, names: readonly string[]): unknown {
  if (!headers || !names.length) return headers;
  const drop = new Set(names.map((n) => n.toLowerCase()));
  const keep = (k: unknown) => !drop.has(String(k).toLowerCase());
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) return (headers as [unknown, unknown][]).filter(([k]) => keep(k));
    const out: unknown[] = [];
    for (let i = 0; i < headers.length; i += 2) if (keep(headers[i])) out.push(headers[i], headers[i + 1]);
    return out;
  }
  if (typeof headers === "object") return Object.fromEntries(Object.entries(headers as Record<string, unknown>).filter(([k]) => keep(k)));
  return headers;
}

/**
 * Innermost interceptor of the download dispatcher: every hop (first request, each redirect, each retry)
 * to an origin other than the one the credential belongs to is sent without the credential headers.
 * undici's redirect handler drops `authorization` across origins but not a vendor's own key header
 * (360dialog's `x-api-key`), so the rule is enforced here for all of them.
 */
function credentialGuard(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const o = opts as Dispatcher.DispatchOptions & { credentialOrigin?: string; credentialHeaders?: string[] };
    const names = o.credentialHeaders ?? [];
    const hop = o.origin === undefined ? undefined : new URL(String(o.origin)).origin;
    if (names.length && hop !== o.credentialOrigin) {
      return dispatch({ ...o, headers: withoutHeaders(o.headers, names) as Dispatcher.DispatchOptions["headers"] }, handler);
    }
    return dispatch(opts, handler);
  };
}

/** The download dispatcher: any origin (an Agent), redirects followed, retries of each hop, credentials kept on their origin. */
function downloadDispatcher(connectTimeoutMs: number): Dispatcher {
  const key = `download ${connectTimeoutMs}`;
  const s = shared();
  let d = s.dispatchers.get(key);
  if (!d) {
    const undici = require("undici") as typeof import("undici");
    const agent = new undici.Agent({ connections: 8, connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 10_000 });
    // Last is outermost: redirect → retry → responseError → credential guard → agent.
    d = agent.compose(
      credentialGuard(),
      undici.interceptors.responseError(),
      undici.interceptors.retry({
        methods: IDEMPOTENT_METHODS as Dispatcher.HttpMethod[],
        statusCodes: RETRY_STATUS,
        errorCodes: RETRY_ERROR_CODES,
        throwOnError: false,
      }),
      undici.interceptors.redirect({ maxRedirections: MAX_DOWNLOAD_REDIRECTS }),
    );
    s.dispatchers.set(key, d);
  }
  return d;
}

/** Closes every pooled dispatcher (tests; a provider process simply exits, its idle sockets are unref'd). */
export async function closeHttpDispatchers(): Promise<void> {
  const s = shared();
  const all = [...s.dispatchers.values()];
  s.dispatchers.clear();
  s.pausedUntil.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForOrigin(origin: string): Promise<void> {
  const until = shared().pausedUntil.get(origin);
  if (until !== undefined && until > Date.now()) await sleep(until - Date.now());
}

/** Pauses every later request to `origin` for `ms` (a throttled answer asked for it). Never shortens a pause. */
export function pauseOrigin(origin: string, ms: number): void {
  const s = shared();
  const until = Date.now() + Math.max(0, ms);
  if ((s.pausedUntil.get(origin) ?? 0) < until) s.pausedUntil.set(origin, until);
}

/** `Retry-After` in ms (delta-seconds or an HTTP date), `undefined` when absent or unusable. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== "string" || !v.trim()) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface PolicyContext {
  origin: string;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  retryableBody?: HttpRequest["retryableBody"];
  attempts: { n: number };
}

/**
 * What the policy and the transport read of undici's errors: a `ResponseError` (code `UND_ERR_RESPONSE`,
 * the buffered >= 400 answer's status, headers and parsed body) or a failure with a code (`ECONNRESET`, …).
 */
interface UndiciFailure {
  code?: unknown;
  statusCode?: unknown;
  body?: unknown;
  headers?: Record<string, string | string[] | undefined> | null;
  message?: unknown;
}
const failureOf = (e: unknown): UndiciFailure => (e !== null && typeof e === "object" ? (e as UndiciFailure) : {});

/** The `retry` hook of undici's RetryHandler: decides, and waits, between attempts. */
function retryPolicy(ctx: PolicyContext): RetryHandler.RetryCallback {
  return (error, { state, opts }, cb): void => {
    const err = failureOf(error);
    const attempt = state.counter; // attempts made so far
    ctx.attempts.n = attempt;
    const ro = opts.retryOptions ?? {};
    const methods: string[] = ro.methods ?? IDEMPOTENT_METHODS;
    let verdict: RetryVerdict;
    if (err.code === "UND_ERR_RESPONSE" && typeof err.statusCode === "number") {
      const status: number = err.statusCode;
      if ((ro.statusCodes ?? RETRY_STATUS).includes(status)) verdict = status === 429 ? "throttled" : "transient";
      else verdict = ctx.retryableBody?.(status, err.body);
    } else if (typeof err.code === "string" && (ro.errorCodes ?? RETRY_ERROR_CODES).includes(err.code)) {
      verdict = "transient";
    }
    if (!verdict) return cb(error);
    const hinted = retryAfterMs(err.headers?.["retry-after"]);
    const step = Math.min(ctx.maxDelayMs, ctx.baseDelayMs * 2 ** (attempt - 1));
    const delay = hinted ?? Math.round(step / 2 + (Math.random() * step) / 2);
    // Throttling slows every request to the origin down, including those that will not be retried (a create).
    if (verdict === "throttled" || hinted !== undefined) pauseOrigin(ctx.origin, Math.min(delay, ctx.maxDelayMs));
    if (attempt >= ctx.maxAttempts || !methods.includes(opts.method)) return cb(error);
    if (hinted !== undefined && hinted > ctx.maxDelayMs) return cb(error); // asked to wait longer than we will: surface it
    ctx.attempts.n = attempt + 1;
    setTimeout(() => cb(null), delay);
  };
}

// ---------------------------------------------------------------------------------------------------
// Helpers for building requests and messages.

/** Encodes one path segment (an id from config or state). */
export const seg = (s: string): string => encodeURIComponent(s);

/** Removes the secret (raw and URL-encoded) from a text. Secrets shorter than 4 characters are not searched. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4 || typeof text !== "string") return text;
  let out = text.split(secret).join("[REDACTED]");
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) out = out.split(encoded).join("[REDACTED]");
  return out;
}

/** A BackendError whose message and vendor code cannot carry the secret. */
export function backendError(
  secret: string,
  kind: BackendErrorKind,
  message: string,
  vendorCode?: string,
  httpStatus?: number,
): BackendError {
  return new BackendError(kind, redact(message, secret), vendorCode === undefined ? undefined : redact(vendorCode, secret), httpStatus);
}

/** The multipart body both Meta and 360dialog take for a Flow JSON asset. */
export function flowJsonForm(flowJson: string): UndiciFormData {
  const undici = require("undici") as typeof import("undici");
  const form = new undici.FormData();
  form.append("file", new Blob([flowJson], { type: "application/json" }), "flow.json");
  form.append("name", "flow.json");
  form.append("asset_type", "FLOW_JSON");
  return form;
}

/** Vendor text shortened for a message. */
export function clip(text: string, max = 600): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function parseBody(text: string): unknown {
  if (!text.length) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function splitBase(baseUrl: string): { origin: string; prefix: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new BackendError("OTHER", `invalid vendor base URL (expected http(s)://host[:port][/prefix])`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new BackendError("OTHER", `invalid vendor base URL protocol ${url.protocol} (expected https:)`);
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, "") };
}

function queryString(query: HttpRequest["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) params.append(k, x);
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

function transportError(failure: unknown, secret: string, attempts: number): HttpTransportError {
  const e = failureOf(failure);
  const code = typeof e.code === "string" ? e.code : "UNKNOWN";
  const what: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "DNS lookup failed",
    UND_ERR_SOCKET: "connection closed by the server",
    UND_ERR_CONNECT_TIMEOUT: "connect timeout",
    UND_ERR_HEADERS_TIMEOUT: "no response headers in time",
    UND_ERR_BODY_TIMEOUT: "response body timed out",
  };
  // Only the code and undici's own short message: never the error object, its cause or its options.
  const detail = what[code] ?? (typeof e.message === "string" ? clip(e.message, 200) : "request failed");
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new HttpTransportError(code, redact(`${detail} (${code})${tries}`, secret), RETRY_ERROR_CODES.includes(code));
}

/**
 * Sends one vendor request through the origin's pooled dispatcher. Resolves with every HTTP answer,
 * whatever its status (the backend classifies it); rejects only with `HttpTransportError`.
 */
export async function vendorRequest(settings: HttpVendorSettings, req: HttpRequest): Promise<HttpResponse> {
  const maxAttempts = Math.max(1, Math.floor(settings.maxAttempts ?? DEFAULTS.maxAttempts));
  const idempotent = req.idempotent ?? req.method !== "POST";
  for (let sent = 1; ; sent++) {
    const res = await sendOnce(settings, req, maxAttempts, idempotent);
    // A throttled answer (429, or the vendor's rate-limit code) means the vendor refused the request before
    // doing anything, so even a create may go again, once the origin's pause (set by the retry policy from
    // Retry-After) is over. Other failures of a non-idempotent call are never repeated blindly.
    const throttled = res.status === 429 || (res.status >= 400 && req.retryableBody?.(res.status, res.body) === "throttled");
    if (idempotent || !throttled || sent >= maxAttempts) return { ...res, attempts: Math.max(res.attempts, sent) };
  }
}

async function sendOnce(settings: HttpVendorSettings, req: HttpRequest, maxAttempts: number, idempotent: boolean): Promise<HttpResponse> {
  const { origin, prefix } = splitBase(settings.baseUrl);
  const attempts = { n: 1 };
  const headers: Record<string, string> = { accept: "application/json", ...(req.headers ?? {}) };
  let body: string | UndiciFormData | undefined;
  if (req.form) body = req.form;
  else if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers["content-type"] = "application/json";
  }
  const methods = idempotent ? [...IDEMPOTENT_METHODS, "POST"] : [];
  await waitForOrigin(origin);
  const dispatcher = dispatcherFor(origin, settings.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs);
  try {
    const res = await dispatcher.request({
      origin,
      path: `${prefix}${req.path}${queryString(req.query)}`,
      method: req.method,
      headers,
      body,
      headersTimeout: settings.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
      bodyTimeout: settings.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs,
      retryOptions: {
        methods: methods as Dispatcher.HttpMethod[],
        retry: retryPolicy({
          origin,
          maxAttempts: idempotent ? maxAttempts : 1,
          baseDelayMs: settings.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs,
          maxDelayMs: settings.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs,
          retryableBody: req.retryableBody,
          attempts,
        }),
      },
    } as Dispatcher.RequestOptions);
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: parseBody(text), text, attempts: attempts.n };
  } catch (failure) {
    const e = failureOf(failure);
    if (e.code === "UND_ERR_RESPONSE" && typeof e.statusCode === "number") {
      const b = e.body;
      return {
        status: e.statusCode,
        headers: e.headers ?? {},
        body: typeof b === "string" ? parseBody(b) : b,
        text: typeof b === "string" ? b : b === undefined ? "" : JSON.stringify(b),
        attempts: attempts.n,
      };
    }
    throw transportError(failure, settings.credential, attempts.n);
  }
}

// ---------------------------------------------------------------------------------------------------

/**
 * The vendor credential a download may carry: only to the vendor API's own origin. A presigned or CDN
 * link on any other origin gets none, and a redirect that leaves the API's origin drops it.
 */
export interface DownloadCredential {
  /** The vendor API base URL the credential is configured for (its origin is the only one that gets it). */
  baseUrl: string;
  /** The credential headers (e.g. `authorization`, `x-api-key`). */
  headers: Record<string, string>;
  /** The secret, redacted from messages. */
  secret: string;
}

/**
 * Fetches a Flow JSON download link: follows up to MAX_DOWNLOAD_REDIRECTS redirects (undici's redirect
 * interceptor), retries each hop like an idempotent call, and sends `credential` only to its own origin.
 */
export async function downloadText(url: string, credential?: DownloadCredential): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BackendError("OTHER", "download of Flow JSON failed: the vendor gave an invalid download URL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new BackendError("OTHER", `download of Flow JSON failed: the vendor gave a ${parsed.protocol} download URL`);
  }
  const credentialOrigin = credential ? splitBase(credential.baseUrl).origin : undefined;
  const credentialHeaders = Object.keys(credential?.headers ?? {});
  const headers: Record<string, string> = {
    accept: "*/*",
    ...(credential && parsed.origin === credentialOrigin ? credential.headers : {}),
  };
  const secret = credential?.secret ?? "";
  const attempts = { n: 1 };
  let status: number;
  let text: string;
  try {
    const dispatcher = downloadDispatcher(DEFAULTS.connectTimeoutMs);
    const res = await dispatcher.request({
      origin: parsed.origin,
      path: `${parsed.pathname}${parsed.search}`,
      method: "GET",
      headers,
      headersTimeout: DEFAULTS.headersTimeoutMs,
      bodyTimeout: DEFAULTS.bodyTimeoutMs,
      credentialOrigin,
      credentialHeaders,
      retryOptions: {
        methods: IDEMPOTENT_METHODS as Dispatcher.HttpMethod[],
        retry: retryPolicy({
          origin: parsed.origin,
          maxAttempts: DEFAULTS.maxAttempts,
          baseDelayMs: DEFAULTS.retryBaseDelayMs,
          maxDelayMs: DEFAULTS.maxRetryDelayMs,
          attempts,
        }),
      },
    } as Dispatcher.RequestOptions);
    status = res.statusCode;
    text = await res.body.text();
  } catch (failure) {
    const e = failureOf(failure);
    if (e.code === "UND_ERR_RESPONSE" && typeof e.statusCode === "number") {
      status = e.statusCode;
      text = "";
    } else {
      // The URL itself is never repeated (presigned URLs carry signatures in their query), nor undici's text.
      const t = transportError(failure, secret, attempts.n);
      const loop = typeof e.message === "string" && /redirect loop/i.test(e.message);
      const detail = loop ? `the link redirects in a loop (${t.code})` : t.message;
      throw new BackendError(t.retryable ? "TRANSIENT" : "OTHER", `download of Flow JSON failed: ${detail}`);
    }
  }
  if (status === 200) return text;
  const kind: BackendErrorKind =
    status === 404
      ? "NOT_FOUND"
      : status === 429
        ? "THROTTLED"
        : status >= 500
          ? "TRANSIENT"
          : status === 401 || status === 403
            ? "ACCESS_DENIED"
            : "OTHER";
  const more = status >= 300 && status < 400 ? ` (more than ${MAX_DOWNLOAD_REDIRECTS} redirects, or one without a Location)` : "";
  throw new BackendError(kind, `download of Flow JSON failed: HTTP ${status}${more}`, undefined, status);
}

// ------------------------------------------------------------------------------------ shared by the HTTP backends

/** Readers of untrusted JSON bodies: never throw, give a neutral value when the shape is off. */
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * Downloads a flow's JSON from the CDN/presigned link a vendor handed out. A 404 there is the link
 * (expired), not the flow: never reported as a gone flow. `what` names the operation in messages.
 */
export async function downloadFlowAsset(url: string, what: string, credential?: DownloadCredential): Promise<string> {
  try {
    return await downloadText(url, credential);
  } catch (e) {
    if (e instanceof BackendError) {
      throw new BackendError(e.kind === "NOT_FOUND" ? "TRANSIENT" : e.kind, `${what} failed: ${e.message}`, e.vendorCode, e.httpStatus);
    }
    throw e;
  }
}
