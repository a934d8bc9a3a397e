/**
 * 360dialog Partner API v2, WhatsApp Flows (OpenAPI "Partners V2 API" 2.0.0): every path under
 * `/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/flows…`, `X-API-Key` (or
 * `Authorization: Bearer`), snake_case bodies with closed schemas, multipart asset upload, and
 * `{meta:{developer_message, http_code, success:false, 360dialog_trace_id, details?}}` errors.
 * Published flows are immutable, as 360dialog documents ("create a new Flow").
 */
import { isCoreError, type CoreError } from "../core/errors";
import type { FlowStore, Injection } from "../core/store";
import type { FlowRecord, ValidationProblem, WabaRecord } from "../core/types";
import {
  MAX_FLOW_JSON_BYTES,
  assetUrl,
  bearerToken,
  credentialSet,
  header,
  jsonLogBody,
  jsonObject,
  multipartLogBody,
  parseMultipart,
  pickProblemFields,
  queryBoolean,
  randomHex,
  serveAsset,
} from "./common";
import type { Dialect, DialectCall, ErrorSpec, NeutralAction, WireRequest, WireResponse } from "./types";
import { VENDORS as REGISTRY } from "../../provider/vendors/registry";

export const DIALOG360_DEFAULT_KEY = "emulator-360dialog-key";

export type Dialog360Operation =
  | "ListFlows"
  | "CreateFlow"
  | "GetFlow"
  | "UpdateFlow"
  | "DeleteFlow"
  | "ListFlowAssets"
  | "UploadFlowAsset"
  | "PublishFlow"
  | "DeprecateFlow"
  | "PreviewFlow"
  | "MigrateFlows";

const ACTIONS: Record<Dialog360Operation, NeutralAction> = {
  ListFlows: "list",
  CreateFlow: "create",
  GetFlow: "get",
  UpdateFlow: "update",
  DeleteFlow: "delete",
  ListFlowAssets: "get",
  UploadFlowAsset: "upload",
  PublishFlow: "publish",
  DeprecateFlow: "deprecate",
  PreviewFlow: "preview",
  MigrateFlows: "migrate",
};

/** The categories the vendor accepts (its OpenAPI enum: Meta's eight, no SHOPPING): the registry's, as plain strings. */
export const DIALOG360_CATEGORIES: readonly string[] = REGISTRY["360dialog"].capabilities.categories;
/** `fields` values of list/get. */
export const DIALOG360_FIELDS = [
  "id",
  "name",
  "categories",
  "validation_errors",
  "status",
  "json_version",
  "data_api_version",
  "data_channel_uri",
  "endpoint_uri",
  "preview",
  "whatsapp_business_account",
  "metric",
];
const DEFAULT_FIELDS = ["id", "name", "categories", "validation_errors", "status"];
/** `FlowAssetUpdateError` is a closed schema: no `pointers`. */
const PROBLEM_KEYS = ["error", "error_type", "message", "line_start", "line_end", "column_start", "column_end"] as const;

const PREFIX = /^\/api\/v2\/partners\/([^/]+)\/waba_accounts\/([^/]+)\/flows(?:\/([^/]+))?(?:\/([^/]+))?\/?$/;

/** Marshmallow-style field errors (`details`), e.g. `{json: {name: ["Missing data for required field."]}}`. */
type FieldErrors = Record<string, unknown>;

class WireError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function traceId(): string {
  return randomHex(16);
}

function d360Error(status: number, message: string, details?: Record<string, unknown>, headers: Record<string, string> = {}): WireResponse {
  const id = traceId();
  return {
    status,
    errorType: `http_${status}`,
    requestId: id,
    headers: { "content-type": "application/json", ...headers },
    body: {
      meta: { developer_message: message, http_code: status, success: false, "360dialog_trace_id": id, ...(details ? { details } : {}) },
    },
  };
}

const DEFAULT_MESSAGE: Record<number, string> = {
  400: "Wrong payload",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
};

const ok = (body: object): WireResponse => ({ status: 200, headers: { "content-type": "application/json" }, body });

/** Core refusals: unknown account/flow → 404; everything else → 400 with Meta's code in `details`. */
function mapCoreError(e: CoreError): WireResponse {
  // An unknown partner / WABA account: the Partner API's documented 404 "Not found"; an unknown flow: Meta's text relayed.
  if (e.kind === "WABA_NOT_FOUND") return d360Error(404, DEFAULT_MESSAGE[404]);
  if (e.kind === "NOT_FOUND") return d360Error(404, e.message);
  if (e.kind === "NOT_EDITABLE") {
    return d360Error(
      400,
      `${e.message}: the Flow and its assets become immutable once published; create a new Flow with clone_flow_id to change it`,
      {
        code: e.code,
        message: e.message,
      },
    );
  }
  return d360Error(400, e.message, { code: e.code, message: e.message, ...(e.subcode !== undefined ? { error_subcode: e.subcode } : {}) });
}

/** Validates a JSON body against a closed schema: required members, string / enum-list types, no extra members. */
function checkBody(
  body: Record<string, unknown> | undefined,
  spec: Record<string, "string" | "categories" | "string[]">,
  required: string[],
): Record<string, unknown> {
  if (!body) throw new WireError(400, "Wrong payload", { json: { _schema: ["Invalid input type."] } });
  const errs: FieldErrors = {};
  for (const r of required) if (body[r] === undefined) errs[r] = ["Missing data for required field."];
  for (const [k, v] of Object.entries(body)) {
    const t = spec[k];
    if (!t) {
      errs[k] = ["Unknown field."];
      continue;
    }
    if (v === undefined) continue;
    if (t === "string" && typeof v !== "string") errs[k] = ["Not a valid string."];
    if (t === "string[]" || t === "categories") {
      if (!Array.isArray(v)) errs[k] = ["Not a valid list."];
      else {
        const bad: Record<string, string[]> = {};
        v.forEach((c, i) => {
          if (typeof c !== "string") bad[String(i)] = ["Not a valid string."];
          else if (t === "categories" && !DIALOG360_CATEGORIES.includes(c))
            bad[String(i)] = [`Must be one of: ${DIALOG360_CATEGORIES.join(", ")}.`];
        });
        if (Object.keys(bad).length > 0) errs[k] = bad;
      }
    }
  }
  if (Object.keys(errs).length > 0) throw new WireError(400, "Wrong payload", { json: errs });
  return body;
}

function parseFields(req: WireRequest): string[] {
  const raw = req.query.getAll("fields").flatMap((v) => v.split(","));
  const fields = raw.map((f) => f.trim()).filter((f) => f !== "");
  if (fields.length === 0) return DEFAULT_FIELDS;
  const bad: Record<string, string[]> = {};
  fields.forEach((f, i) => {
    if (!DIALOG360_FIELDS.includes(f)) bad[String(i)] = [`Must be one of: ${DIALOG360_FIELDS.join(", ")}.`];
  });
  if (Object.keys(bad).length > 0) throw new WireError(400, "Wrong payload", { query: { fields: bad } });
  return [...new Set(fields)];
}

export interface Dialog360DialectOptions {
  /** Accepted Partner API keys (default "emulator-360dialog-key"). */
  keys?: string | readonly string[];
}

export class Dialog360Dialect implements Dialect {
  readonly vendor = "360dialog" as const;
  private readonly keys: Set<string>;

  constructor(opts: Dialog360DialectOptions = {}) {
    this.keys = credentialSet(opts.keys, DIALOG360_DEFAULT_KEY);
  }

  claims(path: string): boolean {
    return path.startsWith("/api/v2/");
  }

  error(spec: ErrorSpec, headers?: Record<string, string>): WireResponse {
    const details =
      spec.status === 400 && spec.code !== undefined
        ? { code: spec.code, ...(spec.subcode !== undefined ? { error_subcode: spec.subcode } : {}) }
        : undefined;
    return d360Error(
      spec.status,
      spec.message ?? DEFAULT_MESSAGE[spec.status] ?? (spec.status >= 500 ? "Internal server error" : "Error"),
      details,
      headers,
    );
  }

  /**
   * A partner key without access to the WABA account: the Partner API documents only 400/403/404 answers;
   * the emulator answers 404 "Not found" (the answer that could pass for a deleted flow, so the provider
   * must never take it as one). Source: https://docs.360dialog.com/partner/api-reference (Flows endpoints).
   */
  noAccess(_req: WireRequest): WireResponse {
    return d360Error(404, DEFAULT_MESSAGE[404]);
  }

  throttle(retryAfterSeconds: number): WireResponse {
    return d360Error(429, "Too many requests", undefined, { "retry-after": String(retryAfterSeconds) });
  }

  download(rest: string, req: WireRequest, store: FlowStore): WireResponse {
    return serveAsset(rest, req, store);
  }

  private route(req: WireRequest): { op: Dialog360Operation; partnerId: string; wabaAccountId: string; flowId?: string } | undefined {
    const m = PREFIX.exec(req.path);
    if (!m) return undefined;
    const [, p, w, a, b] = m;
    const partnerId = decodeURIComponent(p);
    const wabaAccountId = decodeURIComponent(w);
    const id = a === undefined ? undefined : decodeURIComponent(a);
    const at = (op: Dialog360Operation, flowId?: string) => ({ op, partnerId, wabaAccountId, flowId });
    if (id === undefined) {
      if (req.method === "GET") return at("ListFlows");
      if (req.method === "POST") return at("CreateFlow");
      return undefined;
    }
    if (id === "migrate_flows" && b === undefined) return req.method === "POST" ? at("MigrateFlows") : undefined;
    if (b === undefined) {
      if (req.method === "GET") return at("GetFlow", id);
      if (req.method === "PATCH") return at("UpdateFlow", id);
      if (req.method === "DELETE") return at("DeleteFlow", id);
      return undefined;
    }
    if (b === "assets")
      return req.method === "GET" ? at("ListFlowAssets", id) : req.method === "POST" ? at("UploadFlowAsset", id) : undefined;
    if (b === "publish" && req.method === "POST") return at("PublishFlow", id);
    if (b === "deprecate" && req.method === "POST") return at("DeprecateFlow", id);
    if (b === "preview" && req.method === "GET") return at("PreviewFlow", id);
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
        execute: () => this.authFailure(req) ?? d360Error(404, `Not found: ${req.method} ${req.path}`),
      };
    }
    const body = req.method === "GET" || req.method === "DELETE" ? undefined : jsonObject(req.body);
    const call: DialectCall = {
      operation: r.op,
      action: ACTIONS[r.op],
      flowId: r.flowId,
      flowName: typeof body?.name === "string" ? body.name : undefined,
      uploadsJson: r.op === "UploadFlowAsset",
      logBody:
        r.op === "UploadFlowAsset"
          ? { multipart: true, length: req.body.length }
          : req.method === "GET" || req.method === "DELETE"
            ? null
            : jsonLogBody(req.body, "flow_json"),
      execute: async (inject?: Injection) => {
        const denied = this.authFailure(req);
        if (denied) return denied;
        try {
          const waba = this.account(store, r.partnerId, r.wabaAccountId);
          return await this.run(r.op, waba, r.flowId, req, store, call, inject);
        } catch (e) {
          if (e instanceof WireError) return d360Error(e.status, e.message, e.details);
          if (isCoreError(e)) return mapCoreError(e);
          return d360Error(500, `Emulator failure: ${(e as Error).message}`);
        }
      },
    };
    return call;
  }

  /** 401 unless `X-API-Key` (or `Authorization: Bearer`) carries an accepted key. */
  authFailure(req: WireRequest): WireResponse | undefined {
    const key = header(req, "x-api-key") ?? bearerToken(req);
    if (key === undefined) return d360Error(401, "Missing API key: send your Partner API key in the X-API-Key header");
    if (!this.keys.has(key)) return d360Error(401, "Invalid API key");
    return undefined;
  }

  account(store: FlowStore, partnerId: string, wabaAccountId: string): WabaRecord {
    if (!store.findWabaBy((w) => w.dialog360.partnerId === partnerId)) throw new WireError(404, `Partner ${partnerId} not found`);
    const w = store.findWabaBy((x) => x.dialog360.partnerId === partnerId && x.dialog360.wabaAccountId === wabaAccountId);
    if (!w) throw new WireError(404, `WABA account ${wabaAccountId} not found for partner ${partnerId}`);
    return w;
  }

  private flowOut(flow: FlowRecord, waba: WabaRecord, fields: string[], store: FlowStore): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const f of fields) {
      switch (f) {
        case "id":
          o.id = flow.id;
          break;
        case "name":
          o.name = flow.name;
          break;
        case "status":
          o.status = flow.status;
          break;
        case "categories":
          o.categories = flow.categories;
          break;
        case "validation_errors":
          o.validation_errors = pickProblemFields(flow.validationErrors, PROBLEM_KEYS);
          break;
        case "json_version":
          if (flow.jsonVersion !== null) o.json_version = flow.jsonVersion;
          break;
        case "data_api_version":
          if (flow.dataApiVersion !== null) o.data_api_version = flow.dataApiVersion;
          break;
        case "endpoint_uri":
          if (flow.endpointUri) o.endpoint_uri = flow.endpointUri;
          break;
        case "preview": {
          const p = store.currentPreview(waba.id, flow.id, this.vendor);
          if (p) o.preview = { preview_url: p.previewUrl, expires_at: p.expiresAt };
          break;
        }
        case "whatsapp_business_account":
          o.whatsapp_business_account = {
            id: waba.metaWabaId,
            name: waba.name,
            currency: waba.currency,
            timezone_id: waba.timezoneId,
            message_template_namespace: waba.messageTemplateNamespace,
          };
          break;
        // data_channel_uri (deprecated since Graph v19.0) and metric (deprecated metrics API): never set here.
      }
    }
    return o;
  }

  private async run(
    op: Dialog360Operation,
    waba: WabaRecord,
    flowId: string | undefined,
    req: WireRequest,
    store: FlowStore,
    call: DialectCall,
    inject?: Injection,
  ): Promise<WireResponse> {
    const problems = (ps: ValidationProblem[]) => pickProblemFields(ps, PROBLEM_KEYS);
    switch (op) {
      case "ListFlows": {
        const fields = parseFields(req);
        const flows = store.listFlows(waba.id).map((f) => this.flowOut(f, waba, fields, store));
        return ok({ flows, count: flows.length, total: flows.length });
      }
      case "CreateFlow": {
        const b = checkBody(
          jsonObject(req.body),
          { name: "string", categories: "categories", clone_flow_id: "string", endpoint_uri: "string" },
          ["name", "categories"],
        );
        const flow = store.createFlow(
          waba.id,
          {
            name: b.name as string,
            categories: b.categories as string[],
            cloneFlowId: b.clone_flow_id as string | undefined,
            endpointUri: b.endpoint_uri as string | undefined,
          },
          "360dialog",
          inject,
        );
        return ok({ id: flow.id });
      }
      case "GetFlow": {
        const fields = parseFields(req);
        return ok(this.flowOut(store.getFlow(waba.id, flowId!), waba, fields, store));
      }
      case "UpdateFlow": {
        const b = checkBody(jsonObject(req.body), { name: "string", categories: "categories", endpoint_uri: "string" }, ["name"]);
        store.getFlow(waba.id, flowId!);
        store.updateFlow(
          waba.id,
          flowId!,
          { name: b.name as string, categories: b.categories as string[] | undefined, endpointUri: b.endpoint_uri as string | undefined },
          "refuse",
        );
        return ok({ success: true });
      }
      case "DeleteFlow":
        store.deleteFlow(waba.id, flowId!);
        return ok({ success: true });
      case "ListFlowAssets": {
        const flow = store.getFlow(waba.id, flowId!);
        const assets =
          flow.jsonBase64 === null
            ? []
            : [{ name: "flow.json", asset_type: "FLOW_JSON", download_url: assetUrl("360dialog", req, store, flow) }];
        return ok({ assets, count: assets.length, total: assets.length });
      }
      case "UploadFlowAsset": {
        const form = await parseMultipart(req);
        if (!form) throw new WireError(400, "Wrong payload", { _schema: ["Request body must be multipart/form-data"] });
        call.logBody = multipartLogBody(form);
        const errs: FieldErrors = {};
        const file = form.get("file");
        if (file === undefined) errs.files = { file: ["Missing data for required field."] };
        else if (typeof file === "string") errs.files = { file: ["Not a valid file."] };
        const formErrs: Record<string, string[]> = {};
        const name = form.get("name");
        const assetType = form.get("asset_type");
        if (name === undefined) formErrs.name = ["Missing data for required field."];
        else if (name !== "flow.json") formErrs.name = ["Only 'flow.json' is supported."];
        if (assetType === undefined) formErrs.asset_type = ["Missing data for required field."];
        else if (assetType !== "FLOW_JSON") formErrs.asset_type = ["Only 'FLOW_JSON' is supported."];
        if (Object.keys(formErrs).length > 0) errs.form = formErrs;
        if (Object.keys(errs).length > 0) throw new WireError(400, "Wrong payload", errs);
        const bytes = (file as { bytes: Buffer }).bytes;
        if (bytes.length > MAX_FLOW_JSON_BYTES)
          throw new WireError(400, "Flow JSON file is larger than 10 MB", { files: { file: ["File too large."] } });
        store.getFlow(waba.id, flowId!);
        const flow = store.updateAssets(waba.id, flowId!, bytes, "360dialog", inject, "refuse");
        return ok({ success: true, validation_errors: problems(flow.validationErrors) });
      }
      case "PublishFlow":
        store.publishFlow(waba.id, flowId!);
        return ok({ success: true });
      case "DeprecateFlow":
        store.deprecateFlow(waba.id, flowId!);
        return ok({ success: true });
      case "PreviewFlow": {
        const inv = queryBoolean(req.query.get("invalidate"));
        if (inv === null) throw new WireError(400, "Wrong payload", { query: { invalidate: ["Not a valid boolean."] } });
        const p = store.preview(waba.id, flowId!, inv === true, this.vendor);
        return ok({ id: flowId, preview: { preview_url: p.previewUrl, expires_at: p.expiresAt } });
      }
      case "MigrateFlows": {
        const b = checkBody(jsonObject(req.body), { source_waba_account_id: "string", source_flow_names: "string[]" }, [
          "source_waba_account_id",
        ]);
        const names = b.source_flow_names as string[] | undefined;
        if (names && names.length > 100)
          throw new WireError(400, "Wrong payload", { json: { source_flow_names: ["Longer than maximum length 100."] } });
        const sourceId = b.source_waba_account_id as string;
        const source = store.findWabaBy(
          (w) => w.dialog360.partnerId === waba.dialog360.partnerId && w.dialog360.wabaAccountId === sourceId,
        );
        if (!source) {
          if (store.findWabaBy((w) => w.dialog360.wabaAccountId === sourceId)) {
            throw new WireError(403, `WABA account ${sourceId} belongs to another partner`);
          }
          throw new WireError(404, `WABA account ${sourceId} not found for partner ${waba.dialog360.partnerId}`);
        }
        const results = store.migrateFlows(source.id, waba.id, names, "360dialog");
        return ok({
          migrated_flows: results.flatMap((x) =>
            x.ok ? [{ source_name: x.sourceName, source_id: x.sourceId, migrated_id: x.migratedId }] : [],
          ),
          failed_flows: results.flatMap((x) =>
            x.ok ? [] : [{ source_name: x.sourceName, error_code: String(x.errorCode), error_message: x.errorMessage }],
          ),
        });
      }
    }
  }
}
