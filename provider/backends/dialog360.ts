/**
 * 360dialog Partner API v2 — WhatsApp Flows (docs/vendors.md, 360dialog section).
 *
 * `X-API-Key` partner key; every path under `/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}`
 * (360dialog ids). Create takes no Flow JSON and no publish (create → upload → publish); the metadata
 * PATCH requires `name`; the Flow JSON is a multipart asset, read back through the assets list's
 * `download_url`. Errors come as `{meta:{developer_message, http_code, success, 360dialog_trace_id, details}}`.
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
  flowJsonForm,
  HttpRequest,
  HttpResponse,
  HttpTransportError,
  HttpVendorSettings,
  obj,
  seg,
  str,
  vendorRequest,
} from "./http";
import { graphErrorKind, metaDescriptionKind } from "./meta";

export interface Dialog360Account {
  partnerId: string;
  wabaAccountId: string;
}

export const DIALOG360_DEFAULT_BASE_URL = "https://hub.360dialog.io";

export type Dialog360Op =
  "create" | "get" | "list" | "update" | "upload" | "download" | "publish" | "deprecate" | "delete" | "preview" | "migrate";

export interface MigrationResult {
  migrated: { sourceName: string; sourceId?: string; migratedId?: string }[];
  failed: { sourceName: string; errorCode?: string; errorMessage?: string }[];
}

const FIELDS_GET = ["id", "name", "status", "categories", "validation_errors", "json_version", "preview", "endpoint_uri"];
const FIELDS_LIST = ["id", "name", "status", "categories"];

/** The list inside a list answer: `{flows:[…]}` / `{assets:[…]}` (OpenAPI), a bare array (older mocks), `{data:[…]}`. */
function listOf(body: unknown, key: string): unknown[] {
  if (Array.isArray(body)) return body;
  const o = obj(body);
  if (Array.isArray(o[key])) return o[key];
  if (Array.isArray(o.data)) return o.data;
  return [];
}

const ACCOUNT_OPS: Dialog360Op[] = ["create", "list", "migrate"];
const EDIT_OPS: Dialog360Op[] = ["update", "upload"];

/**
 * 360dialog's envelope `{meta:{developer_message, http_code, success, 360dialog_trace_id, details}}`, one
 * table: `meta.http_code` (the status when absent) decides; a 400 whose `details` carries Meta's error
 * (`details.code`, or `details.error.code`: 360dialog relays Meta's refusals) is classified by Meta's table
 * (./meta.ts graphErrorKind). Sources: 360dialog Partner API reference (https://docs.360dialog.com/partner/api-reference),
 * Meta's Flows error codes. docs/errors.md holds the same table.
 */
export const DIALOG360_STATUSES: Readonly<Record<number, BackendErrorKind>> = {
  401: "ACCESS_DENIED",
  403: "ACCESS_DENIED",
  404: "NOT_FOUND", // an unknown flow, or partner / WABA account: the latter is never a gone flow (./hooks/gone-proof.ts)
  429: "THROTTLED",
};

/** Classifies a 360dialog error answer. Exported for tests and the emulator's conformance checks. */
export function classifyDialog360Error(
  op: Dialog360Op,
  status: number,
  body: unknown,
): { kind: BackendErrorKind; text: string; code?: string } {
  const meta = obj(obj(body).meta);
  const details = obj(meta.details);
  // Meta's error object as 360dialog relays it: flat in `details`, or nested as `details.error` / a Graph `error`.
  const graph = details.code !== undefined ? details : obj(details.error ?? obj(body).error);
  const parts = [str(graph.error_user_title), str(graph.error_user_msg), str(graph.message), str(meta.developer_message)].filter(
    (x, i, all): x is string => !!x && all.indexOf(x) === i,
  );
  if (!parts.length && typeof body === "string" && body.trim()) parts.push(body);
  const text = parts.join(" — ") || `HTTP ${status}`;
  const httpCode = typeof meta.http_code === "number" ? meta.http_code : status;
  const code = str(graph.code) ?? (typeof meta.http_code === "number" ? String(meta.http_code) : undefined);

  let kind: BackendErrorKind = DIALOG360_STATUSES[httpCode] ?? (httpCode >= 500 ? "TRANSIENT" : "OTHER");
  if (kind === "OTHER" && graph.code !== undefined) kind = graphErrorKind(op, graph) ?? "OTHER";
  else if (kind === "OTHER" && httpCode < 500) {
    // No Meta code relayed: the Partner API documents no codes of its own, so Meta's documented descriptions
    // in the text are the last resort, and the OpenAPI's own sentence for published flows ("the Flow and its
    // assets become immutable once published") is its refusal to edit one.
    const texts = [str(meta.developer_message), str(graph.message), str(details.message)];
    kind =
      metaDescriptionKind(op, texts) ??
      (texts.some((t) => t && /immutable once published/i.test(t)) ? (EDIT_OPS.includes(op) ? "EDIT_REFUSED" : "INVALID_STATE") : "OTHER");
  }
  if (kind === "NOT_FOUND" && ACCOUNT_OPS.includes(op)) kind = "OTHER";
  const trace = str(meta["360dialog_trace_id"]);
  return { kind, text: trace ? `${text} (360dialog trace ${trace})` : text, code };
}

export class Dialog360Backend implements FlowBackend {
  readonly vendor = "360dialog";
  private readonly prefix: string;

  constructor(
    private readonly account: Dialog360Account,
    private readonly settings: HttpVendorSettings,
  ) {
    this.prefix = `/api/v2/partners/${seg(account.partnerId)}/waba_accounts/${seg(account.wabaAccountId)}`;
  }

  private what(op: Dialog360Op, flowId?: string, name?: string): string {
    const acct = `partner ${this.account.partnerId} / WABA account ${this.account.wabaAccountId}`;
    switch (op) {
      case "create":
        return `360dialog create of flow "${name}" in ${acct}`;
      case "list":
        return `360dialog list of flows of ${acct}`;
      case "migrate":
        return `360dialog migration of flows into ${acct}`;
      case "update":
        return `360dialog metadata update of flow ${flowId}`;
      case "upload":
        return `360dialog upload of the Flow JSON of flow ${flowId}`;
      case "download":
        return `360dialog download of the Flow JSON of flow ${flowId}`;
      default:
        return `360dialog ${op} of flow ${flowId}`;
    }
  }

  private async call(op: Dialog360Op, req: HttpRequest, ids: { flowId?: string; name?: string } = {}): Promise<HttpResponse> {
    const what = this.what(op, ids.flowId, ids.name);
    const secret = this.settings.credential;
    let res: HttpResponse;
    try {
      res = await vendorRequest(
        { ...this.settings, baseUrl: this.settings.baseUrl || DIALOG360_DEFAULT_BASE_URL },
        { ...req, path: `${this.prefix}${req.path}`, headers: { "x-api-key": secret, ...(req.headers ?? {}) } },
      );
    } catch (e) {
      if (e instanceof HttpTransportError)
        throw backendError(secret, e.retryable ? "TRANSIENT" : "OTHER", `${what} failed: ${e.message}`, e.code);
      throw backendError(secret, "OTHER", `${what} failed: ${(e as Error)?.message ?? String(e)}`);
    }
    if (res.status >= 200 && res.status < 300) return res;
    const { kind, text, code } = classifyDialog360Error(op, res.status, res.body);
    const hint = kind === "OTHER" && res.status === 404 ? " (is the partner id / WABA account id right?)" : "";
    throw backendError(secret, kind, `${what} failed: ${clip(text)}${hint} (HTTP ${res.status})`, code, res.status);
  }

  async createFlow(req: CreateFlowRequest): Promise<{ id: string; validationErrors: FlowJsonProblem[] }> {
    if (req.flowJson !== undefined || req.publish === true) {
      // The planner only sends these to vendors whose capabilities offer them: reaching here is a bug.
      throw new Error(
        "internal error: 360dialog's create takes neither flowJson nor publish (its capabilities say so); the planner must create, upload, then publish",
      );
    }
    const res = await this.call(
      "create",
      {
        method: "POST",
        path: "/flows",
        json: {
          name: req.name,
          categories: req.categories,
          ...(req.cloneFlowId ? { clone_flow_id: req.cloneFlowId } : {}),
          ...(req.endpointUri !== undefined ? { endpoint_uri: req.endpointUri } : {}),
        },
        idempotent: false,
      },
      { name: req.name },
    );
    const body = obj(res.body);
    const id = createdId(str(body.id), this.settings.credential, this.what("create", undefined, req.name), res.status);
    return { id, validationErrors: normaliseVendorErrors(arr(body.validation_errors)) };
  }

  async getFlow(flowId: string): Promise<RemoteFlow | undefined> {
    let res: HttpResponse;
    try {
      res = await this.call("get", { method: "GET", path: `/flows/${seg(flowId)}`, query: { fields: FIELDS_GET } }, { flowId });
    } catch (e) {
      if (e instanceof BackendError && e.kind === "NOT_FOUND") return undefined;
      throw e;
    }
    const f = obj(res.body);
    const preview = obj(f.preview);
    return {
      id: str(f.id) ?? flowId,
      name: str(f.name) ?? "",
      status: str(f.status) ?? "UNKNOWN",
      categories: arr(f.categories).map(String),
      validationErrors: normaliseVendorErrors(arr(f.validation_errors)),
      jsonVersion: str(f.json_version) ?? null,
      previewUrl: str(preview.preview_url) ?? null,
      previewExpiresAt: str(preview.expires_at) ?? null,
      endpointUri: str(f.endpoint_uri) ?? null,
    };
  }

  async listFlows(): Promise<RemoteFlowSummary[]> {
    // No paging is documented: the answer carries the whole list (`count`/`total`).
    const res = await this.call("list", { method: "GET", path: "/flows", query: { fields: FIELDS_LIST } });
    return listOf(res.body, "flows").map((x) => {
      const f = obj(x);
      return {
        id: str(f.id) ?? "",
        name: str(f.name) ?? "",
        status: str(f.status) ?? "UNKNOWN",
        categories: arr(f.categories).map(String),
      };
    });
  }

  async updateMetadata(flowId: string, change: MetadataChange): Promise<void> {
    if (change.name === undefined && change.categories === undefined && change.endpointUri === undefined) return;
    await this.call(
      "update",
      {
        method: "PATCH",
        path: `/flows/${seg(flowId)}`,
        // `name` is required by the PATCH even when only the categories change; there is no application id.
        json: {
          name: change.name ?? change.current.name,
          ...(change.categories !== undefined ? { categories: change.categories } : {}),
          ...(change.endpointUri !== undefined ? { endpoint_uri: change.endpointUri } : {}),
        },
      },
      { flowId },
    );
  }

  async uploadFlowJson(flowId: string, flowJson: string): Promise<{ validationErrors: FlowJsonProblem[] }> {
    const res = await this.call(
      "upload",
      { method: "POST", path: `/flows/${seg(flowId)}/assets`, form: flowJsonForm(flowJson), idempotent: true },
      { flowId },
    );
    return { validationErrors: normaliseVendorErrors(arr(obj(res.body).validation_errors)) };
  }

  /** The credential for a download link on the API's own origin (links elsewhere, or redirected elsewhere, get none). */
  private downloadCredential(): DownloadCredential {
    return {
      baseUrl: this.settings.baseUrl || DIALOG360_DEFAULT_BASE_URL,
      headers: { "x-api-key": this.settings.credential },
      secret: this.settings.credential,
    };
  }

  async downloadFlowJson(flowId: string): Promise<string | undefined> {
    const res = await this.call("download", { method: "GET", path: `/flows/${seg(flowId)}/assets` }, { flowId });
    const asset = listOf(res.body, "assets")
      .map(obj)
      .find((a) => a.asset_type === "FLOW_JSON" || a.name === "flow.json");
    const url = str(asset?.download_url);
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
    const res = await this.call("preview", { method: "GET", path: `/flows/${seg(flowId)}/preview`, query: { invalidate } }, { flowId });
    const body = obj(res.body);
    const preview = obj(body.preview ?? body);
    const url = str(preview.preview_url);
    return url ? { url, expiresAt: str(preview.expires_at) ?? "" } : undefined;
  }

  /** Copies flows of another WABA account of the same partner into this one (`names` omitted: all). Not retried. */
  async migrate(sourceWabaAccountId: string, names?: string[]): Promise<MigrationResult> {
    const res = await this.call("migrate", {
      method: "POST",
      path: "/flows/migrate_flows",
      json: { source_waba_account_id: sourceWabaAccountId, ...(names ? { source_flow_names: names } : {}) },
      idempotent: false,
    });
    const body = obj(res.body);
    return {
      migrated: arr(body.migrated_flows).map((x) => {
        const m = obj(x);
        return { sourceName: str(m.source_name) ?? "", sourceId: str(m.source_id), migratedId: str(m.migrated_id) };
      }),
      failed: arr(body.failed_flows).map((x) => {
        const m = obj(x);
        return { sourceName: str(m.source_name) ?? "", errorCode: str(m.error_code), errorMessage: str(m.error_message) };
      }),
    };
  }
}
