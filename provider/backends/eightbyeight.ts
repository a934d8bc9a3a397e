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
import { z } from "zod";
import { flowStatusOf } from "../model";
import { normaliseVendorErrors } from "../validation/vendor";
import type { FlowJsonProblem } from "../validation/types";
import { BackendError, BackendErrorKind, CreateFlowRequest, FlowBackend, MetadataChange, RemoteFlow, RemoteFlowSummary } from "./types";
import { HttpVendorSettings, obj, seg, str } from "./http";
import { ACCOUNT_OPS, anything, changesNothing, EDIT_OPS, FlowOp, HttpFlowBackend, list, read, record, text, texts } from "./http-backend";
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

export type EightByEightOp = FlowOp;

/** Validation errors in either casing (OpenAPI camel `validationErrors`, guide snake `validation_errors`). */
const ValidationSchema = record({ validationErrors: anything, validation_errors: anything });
const validationOf = (body: unknown): FlowJsonProblem[] => {
  const o = read(ValidationSchema, body);
  return normaliseVendorErrors(read(list, o.validationErrors ?? o.validation_errors));
};

/** A create's answer: `{id}` (OpenAPI) or `{flowId}` (guide), with the validation errors. */
const CreatedSchema = record({ id: text, flowId: text });

/** The preview object: snake_case per the OpenAPI, camelCase tolerated. */
const PreviewSchema = record({ preview_url: text, previewUrl: text, expires_at: text, expiresAt: text });

/**
 * `GET …/flows/{flowId}`: `{flowId|id, name, status, categories, validationErrors, jsonVersion, preview,
 * flowJsonUrl}` (OpenAPI; the guide's carries `flowJson` itself, as text or object, and snake_case names).
 */
const FlowSchema = record({
  flowId: text,
  id: text,
  name: text,
  status: text,
  categories: texts,
  jsonVersion: text,
  json_version: text,
  preview: PreviewSchema,
  endPointUri: text,
  endpointUri: text,
  endpoint_uri: text,
  flowJson: anything,
  flowJsonUrl: text,
});

/** `GET …/flows?limit=`: a bare array (OpenAPI), or `{flows: […]}` / `{data: […]}`. */
const ListSchema = z.union([z.array(z.unknown()), record({ flows: anything, data: anything })]);
const SummarySchema = record({ id: text, flowId: text, name: text, status: text, categories: texts });

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

/** The style, checked before any call. */
function apiStyleOf(settings: { apiStyle?: EightByEightApiStyle }): EightByEightApiStyle {
  const style = settings.apiStyle ?? "accounts";
  if (!EIGHT_BY_EIGHT_API_STYLES.includes(style))
    throw new BackendError("OTHER", `invalid 8x8 API style "${style}" (expected ${EIGHT_BY_EIGHT_API_STYLES.join(" or ")})`);
  return style;
}

export class EightByEightBackend extends HttpFlowBackend implements FlowBackend {
  readonly vendor = "8x8";

  constructor(account: EightByEightAccount, settings: HttpVendorSettings & { apiStyle?: EightByEightApiStyle }) {
    super(settings, {
      vendor: "8x8",
      account: `account ${account.accountId} / channel ${account.channelId}`,
      pathPrefix: eightByEightPrefix(account, apiStyleOf(settings)),
      flowsPath: "/flows",
      authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
      // 8x8's internal error (code 2000) is worth another try even when sent with a 4xx status.
      retryableBody: (_status, body) => (Number(obj(body).code) === 2000 ? "transient" : undefined),
      classify: classifyEightByEightError,
      hint: (_op, e, status) =>
        e.kind === "OTHER" && (status === 404 || e.code === "1300") ? " (are the account id, channel id and region right?)" : "",
    });
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
    const created = read(CreatedSchema, res.body);
    return { id: this.createdId(created.id ?? created.flowId, req.name, res.status), validationErrors: validationOf(res.body) };
  }

  private async getRaw(op: EightByEightOp, flowId: string): Promise<{ body: unknown; flow: z.output<typeof FlowSchema> }> {
    const res = await this.call(op, { method: "GET", path: this.flowPath(flowId) }, { flowId });
    return { body: res.body, flow: read(FlowSchema, res.body) };
  }

  async getFlow(flowId: string): Promise<RemoteFlow | undefined> {
    const got = await this.unlessGone(() => this.getRaw("get", flowId));
    if (!got) return undefined;
    const f = got.flow;
    return {
      id: f.flowId ?? f.id ?? flowId,
      name: f.name ?? "",
      status: flowStatusOf(f.status),
      categories: f.categories,
      validationErrors: validationOf(got.body),
      jsonVersion: f.jsonVersion ?? f.json_version ?? null,
      previewUrl: f.preview.preview_url ?? f.preview.previewUrl ?? null,
      previewExpiresAt: f.preview.expires_at ?? f.preview.expiresAt ?? null,
      // 8x8's Get documents no endpoint: undefined (not reported) rather than null (none), so no drift is invented.
      endpointUri: f.endPointUri ?? f.endpointUri ?? f.endpoint_uri,
    };
  }

  async listFlows(): Promise<RemoteFlowSummary[]> {
    // The API has no cursor; 1000 is its maximum page (flows beyond it cannot be listed).
    const res = await this.call("list", { method: "GET", path: "/flows", query: { limit: 1000 } });
    const body = read(ListSchema, res.body);
    const entries = Array.isArray(body) ? body : read(list, body.flows ?? body.data);
    return entries.map((x) => {
      const f = read(SummarySchema, x);
      return { id: f.id ?? f.flowId ?? "", name: f.name ?? "", status: flowStatusOf(f.status), categories: f.categories };
    });
  }

  async updateMetadata(flowId: string, change: MetadataChange): Promise<void> {
    // The PUT needs at least one property; nothing changing means nothing to send.
    if (changesNothing(change)) return;
    await this.call(
      "update",
      {
        method: "PUT",
        path: this.flowPath(flowId),
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
    const res = await this.call("upload", { method: "PUT", path: this.flowPath(flowId), json: { flowJson } }, { flowId });
    return { validationErrors: validationOf(res.body) };
  }

  async downloadFlowJson(flowId: string): Promise<string | undefined> {
    const { flow: f } = await this.getRaw("download", flowId);
    // The guide's Get carries the JSON itself; the OpenAPI's a CDN URL.
    if (typeof f.flowJson === "string") return f.flowJson;
    if (f.flowJson && typeof f.flowJson === "object") return JSON.stringify(f.flowJson);
    return f.flowJsonUrl ? this.downloadAsset(f.flowJsonUrl, flowId) : undefined;
  }

  async getPreview(flowId: string, invalidate = false): Promise<{ url: string; expiresAt: string } | undefined> {
    const res = await this.call(
      "preview",
      { method: "GET", path: this.flowPath(flowId, "/preview"), query: { refresh: invalidate } },
      { flowId },
    );
    const nested = read(record({ preview: anything }), res.body).preview;
    const p = read(PreviewSchema, nested ?? res.body); // flat snake_case per the OpenAPI; nested tolerated
    const url = p.preview_url ?? p.previewUrl;
    return url ? { url, expiresAt: p.expires_at ?? p.expiresAt ?? "" } : undefined;
  }
}
