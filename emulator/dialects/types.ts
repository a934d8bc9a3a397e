/**
 * A dialect is the thin wire layer of one vendor: routing, decoding/validating inputs, calling the
 * vendor-neutral core, encoding outputs and mapping `CoreError`s onto the vendor's error envelope.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { FlowStore, Injection } from "../core/store";

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
  /** Error name for the log (AWS: the `x-amzn-errortype` value). */
  errorType?: string;
}

export interface DialectCall {
  operation: string;
  /** The flow name the request concerns, when known (fault matching). */
  flowName?: string;
  /** The flow id the request addresses, when any (fault matching resolves its name). */
  flowId?: string;
  /** True for operations that upload Flow JSON (only they take a "validation-errors" fault). */
  uploadsJson: boolean;
  /** Body as recorded in the request log (Flow JSON content replaced by size + hash). */
  logBody: unknown;
  /** Validates, runs the core operation and encodes the answer. Never throws. */
  execute(inject?: Injection): WireResponse;
}

export interface Dialect {
  readonly vendor: string;
  /** The call for this request, or undefined when the path is not one of this vendor's. */
  resolve(req: WireRequest, store: FlowStore): DialectCall | undefined;
  /** An error in this vendor's envelope. `errorType` defaults from the status. */
  error(status: number, errorType: string | undefined, message: string | undefined, headers?: Record<string, string>): WireResponse;
  /** The vendor's throttling answer. */
  throttle(retryAfterSeconds: number): WireResponse;
  /** Serves a downloadUrl this dialect handed out: `/_emulator/assets/<vendor>/<rest>`. */
  download(rest: string, req: WireRequest, store: FlowStore): WireResponse;
}
