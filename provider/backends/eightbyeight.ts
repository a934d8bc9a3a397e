/**
 * 8x8 Chat Apps — WhatsApp Flows (docs/vendors.md, 8x8 section). Built against the OpenAPI, tolerant of
 * the guide where they disagree: 200/201/204 with or without a body, `validationErrors` or
 * `validation_errors`, Get's `flowJsonUrl` or a `flowJson` string.
 *
 * Bearer API key; paths under `/api/v1/accounts/{accountId}/channels/{channelId}` (the OpenAPI; or the
 * guide's `/config/v1/channels/whatsapp/{channelId}` with the `config` API style) on a regional host
 * (the registry picks it from `EIGHT_BY_EIGHT_REGIONS` or config). Update is one PUT (DRAFT flows only:
 * a published flow answers 409 "must be in draft state"). Errors: `{code, message, errorId, timestamp}`.
 */
import { normaliseVendorErrors } from "../validation";
import type { FlowJsonProblem } from "../validation/types";
import { BackendError, BackendErrorKind, CreateFlowRequest, FlowBackend, MetadataChange, RemoteFlow, RemoteFlowSummary } from "./types";
import {
  arr,
  backendError,
  clip,
  createdId,
  downloadFlowAsset,
  DownloadCredential,
  HttpRequest,
  HttpResponse,
  HttpTransportError,
  HttpVendorSettings,
  obj,
  seg,
  str,
  vendorRequest,
} from "./http";
import { metaDescriptionKind } from "./meta";

export interface EightByEightAccount {
  accountId: string;
  channelId: string;
}

/** Region name → https origin (docs/vendors.md, 8x8 transport). */
export const EIGHT_BY_EIGHT_REGIONS: Record<string, string> = {
  ap: "https://chatapps.8x8.com",
  us: "https://chatapps.us.8x8.com",
  uk: "https://chatapps.8x8.uk",
  id: "https://chatapps.8x8.id",
};

export type EightByEightOp = "create" | "get" | "list" | "update" | "upload" | "download" | "publish" | "deprecate" | "delete" | "preview";

/** Validation errors in either casing (OpenAPI camel `validationErrors`, guide snake `validation_errors`). */
const validationOf = (body: unknown): FlowJsonProblem[] => {
  const o = obj(body);
  return normaliseVendorErrors(arr(o.validationErrors ?? o.validation_errors));
};

const EDIT_OPS: EightByEightOp[] = ["update", "upload"];
const ACCOUNT_OPS: EightByEightOp[] = ["create", "list"];

/**
 * 8x8's platform error codes (`{code, message, errorId, timestamp}`), one table. Source: 8x8's API error
 * codes (https://developer.8x8.com/connect/docs/api-error-codes); the statuses 409 (edit or delete of a
 * published flow), 422 (Flow JSON schema) and 429 come from 8x8's WhatsApp Flows guide. docs/errors.md holds
 * the same table.
 */
export const EIGHT_BY_EIGHT_CODES: Readonly<Record<number, BackendErrorKind>> = {
  1000: "OTHER", // invalid parameter (refined by the status and Meta's descriptions below)
  1001: "ACCESS_DENIED", // illegal sub-account
  1002: "OTHER", // invalid MSISDN
  1200: "ACCESS_DENIED", // unauthorized
  1201: "ACCESS_DENIED", // forbidden
  1300: "NOT_FOUND", // "Object wasn't found or is already expired": a flow, or the account / channel (./hooks/gone-proof.ts)
  2000: "TRANSIENT", // internal error
  2001: "OTHER", // not implemented
  2002: "OTHER", // unsupported API version
};
const EIGHT_BY_EIGHT_STATUSES: Readonly<Record<number, BackendErrorKind>> = {
  401: "ACCESS_DENIED",
  403: "ACCESS_DENIED",
  404: "NOT_FOUND",
  409: "INVALID_STATE", // the guide: update / delete of a published flow (an edit: EDIT_REFUSED)
  422: "VALIDATION",
  429: "THROTTLED",
};

/** Classifies an 8x8 error answer. `code` is 8x8's platform code (1000, 1200, 1300, 2000…), not Meta's. */
export function classifyEightByEightError(
  op: EightByEightOp,
  status: number,
  body: unknown,
): { kind: BackendErrorKind; text: string; code?: string } {
  const b = obj(body);
  const code = typeof b.code === "number" ? b.code : typeof b.code === "string" && /^\d+$/.test(b.code) ? Number(b.code) : undefined;
  let text = str(b.message) ?? (typeof body === "string" && body.trim() ? body : `HTTP ${status}`);
  if (str(b.errorId)) text = `${text} (8x8 errorId ${b.errorId})`;

  const byCode = code !== undefined ? EIGHT_BY_EIGHT_CODES[code] : undefined;
  let kind: BackendErrorKind =
    byCode && byCode !== "OTHER" ? byCode : (EIGHT_BY_EIGHT_STATUSES[status] ?? (status >= 500 ? "TRANSIENT" : (byCode ?? "OTHER")));
  if (kind === "OTHER" || kind === "INVALID_STATE") {
    // 8x8 relays Meta's refusals under its own code 1000 (or a 409): Meta's documented descriptions in the
    // message are the only finer signal (8x8 documents no codes for them), the documented last resort.
    kind = metaDescriptionKind(op, [str(b.message)]) ?? kind;
  }
  if (kind === "INVALID_STATE" && status === 409 && EDIT_OPS.includes(op)) kind = "EDIT_REFUSED";
  // A conflict on a create can only be the name: a new flow has no state to conflict with.
  if (status === 409 && op === "create" && kind === "INVALID_STATE") kind = "NAME_TAKEN";
  if (kind === "NOT_FOUND" && ACCOUNT_OPS.includes(op)) kind = "OTHER"; // the account or channel, never a gone flow
  return { kind, text, code: code !== undefined ? String(code) : undefined };
}

/**
 * Which of 8x8's two documented Flows APIs to call (docs/design.md, "8x8 API path"):
 * `accounts` (default) — the OpenAPI reference, `/api/v1/accounts/{accountId}/channels/{channelId}/flows`;
 * `config` — the WhatsApp Flows guide, `/config/v1/channels/whatsapp/{channelId}/flows` (no account id in the path).
 */
export type EightByEightApiStyle = "accounts" | "config";
export const EIGHT_BY_EIGHT_API_STYLES: readonly EightByEightApiStyle[] = ["accounts", "config"];

/** The path every flow call of an account lives under, per API style. */
export function eightByEightPrefix(account: EightByEightAccount, style: EightByEightApiStyle = "accounts"): string {
  return style === "config"
    ? `/config/v1/channels/whatsapp/${seg(account.channelId)}`
    : `/api/v1/accounts/${seg(account.accountId)}/channels/${seg(account.channelId)}`;
}

export class EightByEightBackend implements FlowBackend {
  readonly vendor = "8x8";
  private readonly prefix: string;

  constructor(
    private readonly account: EightByEightAccount,
    private readonly settings: HttpVendorSettings & { apiStyle?: EightByEightApiStyle },
  ) {
    const style = settings.apiStyle ?? "accounts";
    if (!EIGHT_BY_EIGHT_API_STYLES.includes(style))
      throw new BackendError("OTHER", `invalid 8x8 API style "${style}" (expected ${EIGHT_BY_EIGHT_API_STYLES.join(" or ")})`);
    this.prefix = eightByEightPrefix(account, style);
  }

  private what(op: EightByEightOp, flowId?: string, name?: string): string {
    const acct = `account ${this.account.accountId} / channel ${this.account.channelId}`;
    switch (op) {
      case "create":
        return `8x8 create of flow "${name}" in ${acct}`;
      case "list":
        return `8x8 list of flows of ${acct}`;
      case "update":
        return `8x8 metadata update of flow ${flowId}`;
      case "upload":
        return `8x8 upload of the Flow JSON of flow ${flowId}`;
      case "download":
        return `8x8 download of the Flow JSON of flow ${flowId}`;
      default:
        return `8x8 ${op} of flow ${flowId}`;
    }
  }

  private async call(op: EightByEightOp, req: HttpRequest, ids: { flowId?: string; name?: string } = {}): Promise<HttpResponse> {
    const what = this.what(op, ids.flowId, ids.name);
    const secret = this.settings.credential;
    let res: HttpResponse;
    try {
      res = await vendorRequest(this.settings, {
        ...req,
        path: `${this.prefix}${req.path}`,
        headers: { authorization: `Bearer ${secret}`, ...(req.headers ?? {}) },
        // 8x8's internal error (code 2000) is worth another try even when sent with a 4xx status.
        retryableBody: (_status, body) => (Number(obj(body).code) === 2000 ? "transient" : undefined),
      });
    } catch (e) {
      if (e instanceof HttpTransportError)
        throw backendError(secret, e.retryable ? "TRANSIENT" : "OTHER", `${what} failed: ${e.message}`, e.code);
      throw backendError(secret, "OTHER", `${what} failed: ${(e as Error)?.message ?? String(e)}`);
    }
    if (res.status >= 200 && res.status < 300) return res;
    const { kind, text, code } = classifyEightByEightError(op, res.status, res.body);
    const hint = kind === "OTHER" && (res.status === 404 || code === "1300") ? " (are the account id, channel id and region right?)" : "";
    throw backendError(secret, kind, `${what} failed: ${clip(text)}${hint} (HTTP ${res.status})`, code, res.status);
  }

  async createFlow(req: CreateFlowRequest): Promise<{ id: string; validationErrors: FlowJsonProblem[] }> {
    const res = await this.call(
      "create",
      {
        method: "POST",
        path: "/flows",
        json: {
          name: req.name,
          categories: req.categories,
          ...(req.flowJson !== undefined ? { flowJson: req.flowJson } : {}), // already a string: sent stringified
          ...(req.publish !== undefined ? { publish: req.publish } : {}),
          ...(req.cloneFlowId ? { cloneFlowId: req.cloneFlowId } : {}),
          ...(req.endpointUri !== undefined ? { endPointUri: req.endpointUri } : {}),
        },
        idempotent: false,
      },
      { name: req.name },
    );
    const body = obj(res.body);
    const id = createdId(str(body.id) ?? str(body.flowId), this.settings.credential, this.what("create", undefined, req.name), res.status);
    return { id, validationErrors: validationOf(body) };
  }

  private async getRaw(op: EightByEightOp, flowId: string): Promise<Record<string, any>> {
    const res = await this.call(op, { method: "GET", path: `/flows/${seg(flowId)}` }, { flowId });
    return obj(res.body);
  }

  async getFlow(flowId: string): Promise<RemoteFlow | undefined> {
    let f: Record<string, any>;
    try {
      f = await this.getRaw("get", flowId);
    } catch (e) {
      if (e instanceof BackendError && e.kind === "NOT_FOUND") return undefined;
      throw e;
    }
    const preview = obj(f.preview);
    return {
      id: str(f.flowId) ?? str(f.id) ?? flowId,
      name: str(f.name) ?? "",
      status: str(f.status) ?? "UNKNOWN",
      categories: arr(f.categories).map(String),
      validationErrors: validationOf(f),
      jsonVersion: str(f.jsonVersion) ?? str(f.json_version) ?? null,
      previewUrl: str(preview.preview_url) ?? str(preview.previewUrl) ?? null,
      previewExpiresAt: str(preview.expires_at) ?? str(preview.expiresAt) ?? null,
      // 8x8's Get documents no endpoint: undefined (not reported) rather than null (none), so no drift is invented.
      endpointUri: str(f.endPointUri) ?? str(f.endpointUri) ?? str(f.endpoint_uri),
    };
  }

  async listFlows(): Promise<RemoteFlowSummary[]> {
    // The API has no cursor; 1000 is its maximum page (flows beyond it cannot be listed).
    const res = await this.call("list", { method: "GET", path: "/flows", query: { limit: 1000 } });
    const list = Array.isArray(res.body) ? res.body : arr(obj(res.body).flows ?? obj(res.body).data);
    return list.map((x) => {
      const f = obj(x);
      return {
        id: str(f.id) ?? str(f.flowId) ?? "",
        name: str(f.name) ?? "",
        status: str(f.status) ?? "UNKNOWN",
        categories: arr(f.categories).map(String),
      };
    });
  }

  async updateMetadata(flowId: string, change: MetadataChange): Promise<void> {
    // The PUT needs at least one property; nothing changing means nothing to send.
    if (
      change.name === undefined &&
      change.categories === undefined &&
      change.endpointUri === undefined &&
      change.applicationId === undefined
    )
      return;
    await this.call(
      "update",
      {
        method: "PUT",
        path: `/flows/${seg(flowId)}`,
        json: {
          ...(change.name !== undefined ? { name: change.name } : {}),
          ...(change.categories !== undefined ? { categories: change.categories } : {}),
          ...(change.endpointUri !== undefined ? { endPointUri: change.endpointUri } : {}),
          ...(change.applicationId !== undefined ? { applicationId: change.applicationId } : {}),
        },
      },
      { flowId },
    );
  }

  async uploadFlowJson(flowId: string, flowJson: string): Promise<{ validationErrors: FlowJsonProblem[] }> {
    const res = await this.call("upload", { method: "PUT", path: `/flows/${seg(flowId)}`, json: { flowJson } }, { flowId });
    return { validationErrors: validationOf(res.body) };
  }

  /** The credential for a download link on the API's own origin (links elsewhere, or redirected elsewhere, get none). */
  private downloadCredential(): DownloadCredential {
    return {
      baseUrl: this.settings.baseUrl,
      headers: { authorization: `Bearer ${this.settings.credential}` },
      secret: this.settings.credential,
    };
  }

  async downloadFlowJson(flowId: string): Promise<string | undefined> {
    const f = await this.getRaw("download", flowId);
    // The guide's Get carries the JSON itself; the OpenAPI's a CDN URL.
    if (typeof f.flowJson === "string") return f.flowJson;
    if (f.flowJson && typeof f.flowJson === "object") return JSON.stringify(f.flowJson);
    const url = str(f.flowJsonUrl);
    if (!url) return undefined;
    return downloadFlowAsset(url, this.what("download", flowId), this.downloadCredential());
  }

  async publish(flowId: string): Promise<void> {
    await this.call("publish", { method: "POST", path: `/flows/${seg(flowId)}/publish`, idempotent: true }, { flowId });
  }

  async deprecate(flowId: string): Promise<void> {
    await this.call("deprecate", { method: "POST", path: `/flows/${seg(flowId)}/deprecate`, idempotent: true }, { flowId });
  }

  async deleteFlow(flowId: string): Promise<void> {
    await this.call("delete", { method: "DELETE", path: `/flows/${seg(flowId)}` }, { flowId });
  }

  async getPreview(flowId: string, invalidate = false): Promise<{ url: string; expiresAt: string } | undefined> {
    const res = await this.call(
      "preview",
      { method: "GET", path: `/flows/${seg(flowId)}/preview`, query: { refresh: invalidate } },
      { flowId },
    );
    const b = obj(res.body);
    const p = obj(b.preview ?? b); // flat snake_case per the OpenAPI; nested tolerated
    const url = str(p.preview_url) ?? str(p.previewUrl);
    return url ? { url, expiresAt: str(p.expires_at) ?? str(p.expiresAt) ?? "" } : undefined;
  }
}
