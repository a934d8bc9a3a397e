/**
 * 8x8 Chat Apps, WhatsApp Flows, as the OpenAPI (`business_messaging_api.json`) describes it:
 * `/api/v1/accounts/{accountId}/channels/{channelId}/flows…`, `Authorization: Bearer <API key>`;
 * and, at the WhatsApp Flows guide's `/config/v1/channels/whatsapp/{channelId}/flows…`, in the guide's
 * shapes (201 create, 204 delete, `{id,name,status}` publish / deprecate, Get with the `flowJson` string).
 * camelCase bodies, Flow JSON as a *stringified* JSON member, JSON read back through `flowJsonUrl`,
 * 200 everywhere (no body for delete/publish/deprecate), preview flat snake_case, errors
 * `{code, message, errorId, timestamp}`. Update (PUT) only while DRAFT: a published flow → 409.
 */
import { randomUUID } from "node:crypto";
import { isCoreError, type CoreError } from "../core/errors";
import type { FlowStore, Injection } from "../core/store";
import type { FlowRecord, WabaRecord } from "../core/types";
import { assetUrl, bearerToken, camelKeys, credentialSet, jsonLogBody, jsonObject, queryBoolean, serveAsset } from "./common";
import type { Dialect, DialectCall, ErrorSpec, NeutralAction, WireRequest, WireResponse } from "./types";
import { VENDORS as REGISTRY } from "../../provider/vendors/registry";

export const EIGHT_BY_EIGHT_DEFAULT_KEY = "emulator-8x8-key";
/** `limit` of the list call: 1–1000, default 100. */
export const EIGHT_BY_EIGHT_DEFAULT_LIMIT = 100;
export const EIGHT_BY_EIGHT_MAX_LIMIT = 1000;
/** The accountId path pattern of the OpenAPI (32–36 characters). */
export const EIGHT_BY_EIGHT_ACCOUNT_ID = /^[0-9A-Fa-f]{8}[-]?(?:[0-9A-Fa-f]{4}[-]?){3}[0-9A-Fa-f]{12}$/;
/** The categories the vendor accepts (its OpenAPI enum: Meta's eight, no SHOPPING): the registry's, as plain strings. */
export const EIGHT_BY_EIGHT_CATEGORIES: readonly string[] = REGISTRY["8x8"].capabilities.categories;

/** 8x8 platform error codes. */
export const EIGHT_BY_EIGHT_CODES = {
  invalidParameter: 1000,
  unauthorized: 1200,
  forbidden: 1201,
  notFound: 1300,
  internal: 2000,
  notImplemented: 2001,
} as const;

export type EightByEightOperation =
  "ListFlows" | "CreateFlow" | "GetFlow" | "UpdateFlow" | "DeleteFlow" | "PublishFlow" | "DeprecateFlow" | "PreviewFlow";

const ACTIONS: Record<EightByEightOperation, NeutralAction> = {
  ListFlows: "list",
  CreateFlow: "create",
  GetFlow: "get",
  UpdateFlow: "update",
  DeleteFlow: "delete",
  PublishFlow: "publish",
  DeprecateFlow: "deprecate",
  PreviewFlow: "preview",
};

const PREFIX = /^\/api\/v1\/accounts\/([^/]+)\/channels\/([^/]+)\/flows(?:\/([^/]+))?(?:\/([^/]+))?\/?$/;
/** The WhatsApp Flows guide's path: the channel alone (the API key names the account). */
const CONFIG_PREFIX = /^\/config\/v1\/channels\/whatsapp\/([^/]+)\/flows(?:\/([^/]+))?(?:\/([^/]+))?\/?$/;

/**
 * Which of 8x8's two documented APIs a request used: `accounts` = the OpenAPI reference
 * (`/api/v1/accounts/{accountId}/channels/{channelId}/flows`), `config` = the WhatsApp Flows guide
 * (`/config/v1/channels/whatsapp/{channelId}/flows`). Each answers in the shapes its document shows.
 */
export type EightByEightApiStyle = "accounts" | "config";

/** 8x8's timestamp style: `2018-08-02T09:42:38.8988997+00:00`. */
function timestamp(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, ".$10000+00:00");
}

function x8Error(status: number, code: number, message: string, headers: Record<string, string> = {}): WireResponse {
  const errorId = randomUUID();
  return {
    status,
    errorType: String(code),
    requestId: errorId,
    headers: { "content-type": "application/json", ...headers },
    body: { code, message, errorId, timestamp: timestamp() },
  };
}

const DEFAULTS: Record<number, [number, string]> = {
  400: [1000, "Invalid parameter"],
  401: [1200, "Request was not authenticated properly"],
  403: [1201, "Forbidden"],
  404: [1300, "Object wasn't found or is already expired"],
  409: [1000, "Conflict"],
  422: [1000, "Invalid Flow JSON"],
  429: [1000, "Too many requests"],
  500: [2000, "Internal server error"],
  501: [2001, "Not implemented"],
};

class WireError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
const invalid = (message: string) => new WireError(400, EIGHT_BY_EIGHT_CODES.invalidParameter, message);

/** The flow's state forbids the operation → 409 (the guide's status for published-flow edits and deletes). */
const CONFLICT_TEXT = "flow must be in draft state";

function mapCoreError(e: CoreError): WireResponse {
  switch (e.kind) {
    case "WABA_NOT_FOUND":
    case "NOT_FOUND":
      // 8x8's one not-found answer, code 1300 with its documented text, for a flow, an account or a channel alike.
      return x8Error(404, EIGHT_BY_EIGHT_CODES.notFound, DEFAULTS[404][1]);
    case "NOT_EDITABLE":
      return x8Error(409, EIGHT_BY_EIGHT_CODES.invalidParameter, CONFLICT_TEXT);
    case "INVALID_STATE":
      return x8Error(409, EIGHT_BY_EIGHT_CODES.invalidParameter, e.message);
    default:
      return x8Error(400, EIGHT_BY_EIGHT_CODES.invalidParameter, e.message);
  }
}

const ok = (body?: object): WireResponse =>
  body === undefined ? { status: 200 } : { status: 200, headers: { "content-type": "application/json" }, body };

/** Validation problems as 8x8 sends them: camelCase, only when there are some. */
const problems = (f: FlowRecord) => (f.validationErrors.length > 0 ? { validationErrors: camelKeys(f.validationErrors) } : {});

/** A flow as the WhatsApp Flows guide's create / update / get answers show it (snake `validation_errors`, always present). */
const guideFlow = (f: FlowRecord) => ({
  id: f.id,
  name: f.name,
  status: f.status,
  categories: f.categories,
  validation_errors: f.validationErrors,
});

interface FlowBody {
  name?: string;
  categories?: string[];
  publish?: boolean;
  flowJson?: string;
  cloneFlowId?: string;
  endPointUri?: string;
  applicationId?: string;
}

function decodeFlowBody(raw: Record<string, unknown> | undefined, required: string[]): FlowBody {
  if (!raw) throw invalid("Request body must be a JSON object");
  for (const r of required) if (raw[r] === undefined || raw[r] === null) throw invalid(`${r} must not be null`);
  const out: FlowBody = {};
  const str = (k: keyof FlowBody) => {
    const v = raw[k];
    if (v === undefined || v === null) return;
    if (typeof v !== "string") throw invalid(`${k} must be a string`);
    (out as Record<string, unknown>)[k] = v;
  };
  str("name");
  if (out.name !== undefined && out.name.trim() === "") throw invalid("name must not be blank");
  str("flowJson");
  str("endPointUri");
  if (out.endPointUri !== undefined && !/^https?:\/\/\S+$/i.test(out.endPointUri)) throw invalid("endPointUri must be a valid URI");
  for (const k of ["cloneFlowId", "applicationId"] as const) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string" && typeof v !== "number") throw invalid(`${k} must be a string`);
    out[k] = String(v);
  }
  if (raw.publish !== undefined && raw.publish !== null) {
    if (typeof raw.publish !== "boolean") throw invalid("publish must be a boolean");
    out.publish = raw.publish;
  }
  if (raw.categories !== undefined && raw.categories !== null) {
    const c = raw.categories;
    if (!Array.isArray(c) || c.length === 0) throw invalid("categories must contain at least one item");
    const bad = c.find((x) => typeof x !== "string" || !EIGHT_BY_EIGHT_CATEGORIES.includes(x));
    if (bad !== undefined) throw invalid(`categories: ${JSON.stringify(bad)} is not one of [${EIGHT_BY_EIGHT_CATEGORIES.join(", ")}]`);
    out.categories = c as string[];
  }
  return out;
}

export interface EightByEightDialectOptions {
  /** Accepted API keys (default "emulator-8x8-key"). */
  keys?: string | readonly string[];
}

export class EightByEightDialect implements Dialect {
  readonly vendor = "8x8" as const;
  private readonly keys: Set<string>;

  constructor(opts: EightByEightDialectOptions = {}) {
    this.keys = credentialSet(opts.keys, EIGHT_BY_EIGHT_DEFAULT_KEY);
  }

  claims(path: string): boolean {
    return path.startsWith("/api/v1/accounts/") || path.startsWith("/config/v1/channels/whatsapp/");
  }

  error(spec: ErrorSpec, headers?: Record<string, string>): WireResponse {
    const [code, message] = DEFAULTS[spec.status] ?? (spec.status >= 500 ? [2000, "Internal server error"] : [1000, "Invalid parameter"]);
    return x8Error(spec.status, spec.code ?? code, spec.message ?? message, headers);
  }

  /**
   * An API key without access to the account or channel: 404 with 8x8's platform code 1300 "Object wasn't
   * found or is already expired" (8x8's error-code table, https://developer.8x8.com/connect/docs/api-error-codes),
   * the same answer as for a deleted flow.
   */
  noAccess(_req: WireRequest): WireResponse {
    return x8Error(404, EIGHT_BY_EIGHT_CODES.notFound, DEFAULTS[404][1]);
  }

  throttle(retryAfterSeconds: number): WireResponse {
    return x8Error(429, 1000, "Too many requests", { "retry-after": String(retryAfterSeconds) });
  }

  download(rest: string, req: WireRequest, store: FlowStore): WireResponse {
    return serveAsset(rest, req, store);
  }

  private route(
    req: WireRequest,
  ): { op: EightByEightOperation; style: EightByEightApiStyle; accountId?: string; channelId: string; flowId?: string } | undefined {
    const m = PREFIX.exec(req.path);
    const g = m ? undefined : CONFIG_PREFIX.exec(req.path);
    if (!m && !g) return undefined;
    const [a, c, id, sub] = m ? m.slice(1) : [undefined, ...g!.slice(1)];
    const at = (op: EightByEightOperation) => ({
      op,
      style: (m ? "accounts" : "config") as EightByEightApiStyle,
      accountId: a === undefined ? undefined : decodeURIComponent(a),
      channelId: decodeURIComponent(c!),
      flowId: id === undefined ? undefined : decodeURIComponent(id),
    });
    if (id === undefined) return req.method === "GET" ? at("ListFlows") : req.method === "POST" ? at("CreateFlow") : undefined;
    if (sub === undefined) {
      if (req.method === "GET") return at("GetFlow");
      if (req.method === "PUT") return at("UpdateFlow");
      if (req.method === "DELETE") return at("DeleteFlow");
      return undefined;
    }
    if (sub === "publish" && req.method === "POST") return at("PublishFlow");
    if (sub === "deprecate" && req.method === "POST") return at("DeprecateFlow");
    if (sub === "preview" && req.method === "GET") return at("PreviewFlow");
    return undefined;
  }

  resolve(req: WireRequest, store: FlowStore): DialectCall | undefined {
    if (!this.claims(req.path)) return undefined;
    const r = this.route(req);
    if (!r) {
      return {
        operation: "Unknown",
        action: "unknown",
        uploadsJson: false,
        logBody: null,
        execute: () => this.authFailure(req) ?? x8Error(404, EIGHT_BY_EIGHT_CODES.notFound, `No resource for ${req.method} ${req.path}`),
      };
    }
    const body = r.op === "CreateFlow" || r.op === "UpdateFlow" ? jsonObject(req.body) : undefined;
    return {
      operation: r.op,
      // A PUT carrying Flow JSON is 8x8's asset upload (its only way to change the JSON of a draft).
      action: r.op === "UpdateFlow" && typeof body?.flowJson === "string" ? "upload" : ACTIONS[r.op],
      flowId: r.flowId,
      flowName: typeof body?.name === "string" ? body.name : undefined,
      uploadsJson: (r.op === "CreateFlow" || r.op === "UpdateFlow") && typeof body?.flowJson === "string",
      logBody: body === undefined ? null : jsonLogBody(req.body, "flowJson"),
      execute: (inject?: Injection) => {
        const denied = this.authFailure(req);
        if (denied) return denied;
        try {
          const waba = this.account(store, r.accountId, r.channelId);
          return this.run(r.op, r.style, waba, r.flowId, req, store, inject);
        } catch (e) {
          if (e instanceof WireError) return x8Error(e.status, e.code, e.message);
          if (isCoreError(e)) return mapCoreError(e);
          return x8Error(500, EIGHT_BY_EIGHT_CODES.internal, `Internal server error: ${(e as Error).message}`);
        }
      },
    };
  }

  authFailure(req: WireRequest): WireResponse | undefined {
    const key = bearerToken(req);
    if (key === undefined || !this.keys.has(key))
      return x8Error(401, EIGHT_BY_EIGHT_CODES.unauthorized, "Request was not authenticated properly");
    return undefined;
  }

  account(store: FlowStore, accountId: string | undefined, channelId: string): WabaRecord {
    if (accountId === undefined) {
      const w = store.findWabaBy((x) => x.eightByEight.channelId === channelId);
      if (!w) throw new WireError(404, EIGHT_BY_EIGHT_CODES.notFound, `Channel ${channelId} wasn't found`);
      return w;
    }
    if (accountId.length < 32 || accountId.length > 36 || !EIGHT_BY_EIGHT_ACCOUNT_ID.test(accountId)) {
      throw invalid(`accountId must match ${EIGHT_BY_EIGHT_ACCOUNT_ID.source}`);
    }
    const norm = (s: string) => s.replace(/-/g, "").toLowerCase();
    const accounts = (w: WabaRecord) => norm(w.eightByEight.accountId) === norm(accountId);
    if (!store.findWabaBy(accounts)) throw new WireError(404, EIGHT_BY_EIGHT_CODES.notFound, DEFAULTS[404][1]);
    const w = store.findWabaBy((x) => accounts(x) && x.eightByEight.channelId === channelId);
    if (!w) throw new WireError(404, EIGHT_BY_EIGHT_CODES.notFound, DEFAULTS[404][1]);
    return w;
  }

  private run(
    op: EightByEightOperation,
    style: EightByEightApiStyle,
    waba: WabaRecord,
    flowId: string | undefined,
    req: WireRequest,
    store: FlowStore,
    inject?: Injection,
  ): WireResponse {
    switch (op) {
      case "ListFlows": {
        const raw = req.query.get("limit");
        let limit = EIGHT_BY_EIGHT_DEFAULT_LIMIT;
        if (raw !== null) {
          if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > EIGHT_BY_EIGHT_MAX_LIMIT)
            throw invalid(`limit must be between 1 and ${EIGHT_BY_EIGHT_MAX_LIMIT}`);
          limit = Number(raw);
        }
        return ok({
          flows: store
            .listFlows(waba.id)
            .slice(0, limit)
            .map((f) => ({ id: f.id, name: f.name, status: f.status })),
        });
      }
      case "CreateFlow": {
        const b = decodeFlowBody(jsonObject(req.body), ["name", "categories"]);
        const flow = store.createFlow(
          waba.id,
          {
            name: b.name!,
            categories: b.categories!,
            json: b.flowJson !== undefined ? Buffer.from(b.flowJson, "utf8") : undefined,
            publish: b.publish,
            cloneFlowId: b.cloneFlowId,
            endpointUri: b.endPointUri,
          },
          "8x8",
          inject,
        );
        if (style === "config") return { ...ok(guideFlow(flow)), status: 201 };
        return ok({ id: flow.id, success: true, ...problems(flow) });
      }
      case "GetFlow": {
        const flow = store.getFlow(waba.id, flowId!);
        if (style === "config")
          return ok({
            ...guideFlow(flow),
            ...(flow.jsonBase64 !== null ? { flowJson: Buffer.from(flow.jsonBase64, "base64").toString("utf8") } : {}),
          });
        return ok({
          flowId: flow.id,
          ...(flow.jsonBase64 !== null ? { flowJsonUrl: assetUrl("8x8", req, store, flow) } : {}),
          name: flow.name,
          status: flow.status,
          categories: flow.categories,
          ...problems(flow),
        });
      }
      case "UpdateFlow": {
        const b = decodeFlowBody(jsonObject(req.body), []);
        const keys = ["name", "categories", "publish", "flowJson", "cloneFlowId", "endPointUri", "applicationId"] as const;
        if (!keys.some((k) => b[k] !== undefined)) throw invalid("At least one property must be present in the request body");
        // Everything is checked before anything changes: flow, draft state, clone source, name.
        store.checkEditable(waba.id, flowId!, "refuse");
        const current = store.getFlow(waba.id, flowId!);
        let json: Buffer | undefined = b.flowJson !== undefined ? Buffer.from(b.flowJson, "utf8") : undefined;
        if (json === undefined && b.cloneFlowId !== undefined) {
          const src = store.getFlow(waba.id, b.cloneFlowId);
          json = src.jsonBase64 !== null ? Buffer.from(src.jsonBase64, "base64") : undefined;
        }
        if (b.publish === true && json === undefined && current.jsonBase64 === null)
          throw invalid("Publishing Flow with validation errors");
        if (b.name !== undefined && b.name !== current.name && store.listFlows(waba.id).some((f) => f.name === b.name))
          throw invalid("Flow name is not unique");
        if (b.name !== undefined || b.categories !== undefined || b.endPointUri !== undefined || b.applicationId !== undefined) {
          store.updateFlow(
            waba.id,
            flowId!,
            { name: b.name, categories: b.categories, endpointUri: b.endPointUri, applicationId: b.applicationId },
            "refuse",
          );
        }
        let flow =
          json !== undefined ? store.updateAssets(waba.id, flowId!, json, "8x8", inject, "refuse") : store.getFlow(waba.id, flowId!);
        if (b.publish === true && flow.jsonBase64 !== null && flow.validationErrors.length === 0)
          flow = store.publishFlow(waba.id, flowId!);
        if (style === "config") return ok(guideFlow(flow));
        return ok({ id: flow.id, success: true, ...problems(flow) });
      }
      case "DeleteFlow":
        store.deleteFlow(waba.id, flowId!);
        return style === "config" ? { status: 204 } : ok();
      case "PublishFlow": {
        const flow = store.publishFlow(waba.id, flowId!);
        return style === "config" ? ok({ id: flow.id, name: flow.name, status: flow.status }) : ok();
      }
      case "DeprecateFlow": {
        const flow = store.deprecateFlow(waba.id, flowId!);
        return style === "config" ? ok({ id: flow.id, name: flow.name, status: flow.status }) : ok();
      }
      case "PreviewFlow": {
        const refresh = queryBoolean(req.query.get("refresh"));
        if (refresh === null) throw invalid("refresh must be a boolean");
        const p = store.preview(waba.id, flowId!, refresh === true, this.vendor);
        if (style === "config") return ok({ preview_url: p.previewUrl, expires_at: p.expiresAt });
        return ok({ id: flowId, preview_url: p.previewUrl, expires_at: p.expiresAt });
      }
    }
  }
}
