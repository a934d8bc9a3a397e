/**
 * A dialect is the thin wire layer of one vendor: routing, authentication, decoding/validating inputs,
 * calling the vendor-neutral core, encoding outputs and mapping `CoreError`s onto the vendor's error
 * envelope. The core knows nothing of paths, casing or envelopes.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { FlowStore, Injection } from "../core/store";
import type { Vendor } from "../core/types";

export interface WireRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `http://host:port` as the client addressed us (used to build download URLs). */
  baseUrl: string;
}

export interface WireResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; Buffers/strings as-is. */
  body?: Buffer | string | object;
  /** Error name for the log (AWS: the `x-amzn-errortype` value; others: the vendor's code or type). */
  errorType?: string;
  /** The vendor's request/trace id we answered with (AWS request id, Graph fbtrace_id, 360dialog trace id, 8x8 errorId). */
  requestId?: string;
}

/**
 * The vendor-neutral name of what a request does, so one fault rule or log query covers every vendor.
 * Listing a flow's assets counts as `get`; fetching a download URL is `download`.
 */
export type NeutralAction =
  | "create"
  | "upload"
  | "publish"
  | "deprecate"
  | "delete"
  | "get"
  | "list"
  | "update"
  | "preview"
  | "download"
  | "migrate"
  | "account"
  | "unknown"
  /** Message templates (emulator/dialects/templates). */
  | "CreateTemplate"
  | "GetTemplate"
  | "ListTemplates"
  | "UpdateTemplate"
  | "DeleteTemplate";

export const NEUTRAL_ACTIONS: readonly NeutralAction[] = [
  "create",
  "upload",
  "publish",
  "deprecate",
  "delete",
  "get",
  "list",
  "update",
  "preview",
  "download",
  "migrate",
  "account",
  "unknown",
  "CreateTemplate",
  "GetTemplate",
  "ListTemplates",
  "UpdateTemplate",
  "DeleteTemplate",
];

export interface DialectCall {
  /** The vendor's operation name as logged (e.g. "CreateWhatsAppFlow"). */
  operation: string;
  action: NeutralAction;
  /** The flow name the request concerns, when known (fault matching). */
  flowName?: string;
  /** The flow id the request addresses, when any (fault matching resolves its name). */
  flowId?: string;
  /** True for requests that upload Flow JSON (only they take a "validation-errors" fault). */
  uploadsJson: boolean;
  /** Body as recorded in the request log (Flow JSON content replaced by size + hash). May be set by `execute`. */
  logBody: unknown;
  /** Authenticates, validates, runs the core operation and encodes the answer. Never throws. */
  execute(inject?: Injection): WireResponse | Promise<WireResponse>;
}

/** An error a fault asks for (or the server needs), in vendor-neutral terms. */
export interface ErrorSpec {
  status: number;
  /** AWS exception class / Graph error type; defaults from the status. */
  errorType?: string;
  message?: string;
  /** The vendor's numeric code (Graph `code`, 8x8 `code`, 360dialog `details.code`); defaults from the status. */
  code?: number;
  /** Graph `error_subcode`. */
  subcode?: number;
}

export interface Dialect {
  readonly vendor: Vendor;
  /** True when the path is in this vendor's URL space (its errors are then answered in its envelope). */
  claims(path: string): boolean;
  /** The call for this request, or undefined when the path is not one of this vendor's. */
  resolve(req: WireRequest, store: FlowStore): DialectCall | undefined;
  /** An error in this vendor's envelope. */
  error(spec: ErrorSpec, headers?: Record<string, string>): WireResponse;
  /** The vendor's answer to a credential that has no access to the account the request names (fault `no-access`). */
  noAccess(req: WireRequest): WireResponse;
  /** The vendor's throttling answer. */
  throttle(retryAfterSeconds: number): WireResponse;
  /** Serves a download URL this dialect handed out: `/_emulator/assets/<vendor>/<rest>`. */
  download(rest: string, req: WireRequest, store: FlowStore): WireResponse;
  /** Retry bookkeeping the client sends (AWS SDK headers), for the request log. */
  logMeta?(req: WireRequest): { attempt?: number; invocationId?: string };
}
