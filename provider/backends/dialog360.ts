/**
 * 360dialog Partner API v2 — WhatsApp Flows (docs/vendors.md, 360dialog section).
 *
 * `X-API-Key` partner key; every path under `/api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}`
 * (360dialog ids). Create takes no Flow JSON and no publish (create → upload → publish); the metadata
 * PATCH requires `name`; the Flow JSON is a multipart asset, read back through the assets list's
 * `download_url`. Errors come as `{meta:{developer_message, http_code, success, 360dialog_trace_id, details}}`.
 */
import { normaliseVendorErrors } from "../validation/vendor";
import type { FlowJsonProblem } from "../validation/types";
import { BackendErrorKind, CreateFlowRequest, FlowBackend, MetadataChange, RemoteFlow, RemoteFlowSummary } from "./types";
import { flowJsonForm, HttpVendorSettings, obj, seg, str } from "./http";
import { ACCOUNT_OPS, EDIT_OPS, FlowOp, HttpFlowBackend, read, record, text, validationErrorsOf, flowJsonAssetUrl } from "./http-backend";
import { graphFlow, graphPreview, graphSummary } from "./graph";
import { graphErrorKind, metaDescriptionKind } from "./meta";

export interface Dialog360Account {
  partnerId: string;
  wabaAccountId: string;
}

export const DIALOG360_DEFAULT_BASE_URL = "https://hub.360dialog.io";

export type Dialog360Op = FlowOp;

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

export class Dialog360Backend extends HttpFlowBackend implements FlowBackend {
  readonly vendor = "360dialog";

  constructor(account: Dialog360Account, settings: HttpVendorSettings) {
    super(settings, {
      vendor: "360dialog",
      account: `partner ${account.partnerId} / WABA account ${account.wabaAccountId}`,
      pathPrefix: `/api/v2/partners/${seg(account.partnerId)}/waba_accounts/${seg(account.wabaAccountId)}`,
      flowsPath: "/flows",
      defaultBaseUrl: DIALOG360_DEFAULT_BASE_URL,
      authHeaders: (key) => ({ "x-api-key": key }),
      classify: classifyDialog360Error,
      hint: (_op, e, status) => (e.kind === "OTHER" && status === 404 ? " (is the partner id / WABA account id right?)" : ""),
    });
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
    const id = this.createdId(read(record({ id: text }), res.body).id, req.name, res.status);
    return { id, validationErrors: normaliseVendorErrors(validationErrorsOf(res.body)) };
  }

  async getFlow(flowId: string): Promise<RemoteFlow | undefined> {
    const res = await this.unlessGone(() =>
      this.call("get", { method: "GET", path: this.flowPath(flowId), query: { fields: FIELDS_GET } }, { flowId }),
    );
    return res && graphFlow(res.body, flowId, { health: false, application: false });
  }

  async listFlows(): Promise<RemoteFlowSummary[]> {
    // No paging is documented: the answer carries the whole list (`count`/`total`).
    const res = await this.call("list", { method: "GET", path: "/flows", query: { fields: FIELDS_LIST } });
    return listOf(res.body, "flows").map(graphSummary);
  }

  async updateMetadata(flowId: string, change: MetadataChange): Promise<void> {
    if (change.name === undefined && change.categories === undefined && change.endpointUri === undefined) return;
    await this.call(
      "update",
      {
        method: "PATCH",
        path: this.flowPath(flowId),
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
      { method: "POST", path: this.flowPath(flowId, "/assets"), form: flowJsonForm(flowJson), idempotent: true },
      { flowId },
    );
    return { validationErrors: normaliseVendorErrors(validationErrorsOf(res.body)) };
  }

  async downloadFlowJson(flowId: string): Promise<string | undefined> {
    const res = await this.call("download", { method: "GET", path: this.flowPath(flowId, "/assets") }, { flowId });
    const url = flowJsonAssetUrl(listOf(res.body, "assets"));
    return url ? this.downloadAsset(url, flowId) : undefined;
  }

  async getPreview(flowId: string, invalidate = false): Promise<{ url: string; expiresAt: string } | undefined> {
    const res = await this.call("preview", { method: "GET", path: this.flowPath(flowId, "/preview"), query: { invalidate } }, { flowId });
    return graphPreview(res.body, "flat-allowed");
  }
}
