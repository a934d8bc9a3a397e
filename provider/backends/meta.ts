/**
 * Meta WhatsApp Cloud API (Graph) — Flows API (docs/vendors.md, docs/lifecycle.md).
 *
 * System-user token as `Authorization: Bearer` (never an `access_token` query parameter); pinned,
 * configurable Graph version; flows under `/{version}/{WABA id}/flows`, then addressed by id alone.
 * Errors: `{error:{message, type, code, error_subcode, error_user_title, error_user_msg, fbtrace_id}}`,
 * classified on `code` then message (one code covers several conditions), never on status alone.
 */
import { normaliseVendorErrors } from "../validation";
import type { FlowJsonProblem } from "../validation/types";
import { BackendError, BackendErrorKind, CreateFlowRequest, FlowBackend, MetadataChange, RemoteFlow, RemoteFlowSummary } from "./types";
import { backendError, clip, flowJsonForm, HttpResponse, HttpVendorSettings, obj, RetryVerdict, seg, str } from "./http";
import {
  ACCOUNT_OPS,
  changesNothing,
  EDIT_OPS,
  FlowOp,
  HttpFlowBackend,
  list,
  read,
  record,
  text,
  validationErrorsOf,
  flowJsonAssetUrl,
} from "./http-backend";
import { graphFlow, graphPreview, graphSummary } from "./graph";

export interface MetaAccount {
  wabaId: string;
}

export const DEFAULT_GRAPH_VERSION = "v23.0";
export const META_DEFAULT_BASE_URL = "https://graph.facebook.com";

export type MetaOp = FlowOp;

// `preview` (not `preview.invalidate(false)`): the current preview; a deprecated flow has none rather than failing the read.
const GET_FIELDS = "id,name,status,categories,validation_errors,json_version,preview,health_status,endpoint_uri,application";
const LIST_FIELDS = "id,name,status,categories";
const PAGE_SIZE = 100;
const MAX_PAGES = 1000;

/** Graph codes that mean "back off" (4 app limit, 80007 WABA limit, 130429 throughput; 17/32/613 Graph's other rate limits). */
const THROTTLE_CODES = new Set([4, 17, 32, 613, 80007, 130429]);
/** Graph codes that mean "try again" (1 unknown, 2 service, 131000 something went wrong, 131016 service unavailable). */
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);

const num = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;

/** `GET /{WABA id}/flows`: `{data: [flow…], paging: {cursors: {before, after}, next?}}` (`next` absent on the last page). */
const FlowPageSchema = record({ data: list, paging: record({ cursors: record({ after: text }), next: text }) });

/** "Error while processing Flow JSON" (139001): the JSON was saved but processing failed; worth one identical retry. */
const PROCESSING = /error while processing flow json/i;

/** For undici's retry policy: which Graph error bodies are worth another attempt of an idempotent call. */
export function graphRetryVerdict(_status: number, body: unknown): RetryVerdict {
  const e = obj(obj(body).error);
  const code = num(e.code);
  if (code !== undefined && THROTTLE_CODES.has(code)) return "throttled";
  if ((code !== undefined && TRANSIENT_CODES.has(code)) || e.is_transient === true) return "transient";
  return undefined;
}

/** Classifies a Graph error answer (docs/lifecycle.md, Meta's error codes; docs/vendors.md, Meta's errors). Exported for tests and other Meta pass-throughs. */
export function classifyGraphError(op: MetaOp, status: number, body: unknown): { kind: BackendErrorKind; text: string; code?: string } {
  const e = obj(obj(body).error);
  const code = num(e.code);
  const subcode = num(e.error_subcode);
  const parts = [str(e.message), str(e.error_user_title), str(e.error_user_msg)].filter(
    (x, i, all): x is string => !!x && all.indexOf(x) === i,
  );
  if (!parts.length && typeof body === "string" && body.trim()) parts.push(body);
  const said = parts.join(" — ") || `HTTP ${status}`;
  const refs = [
    code !== undefined ? `code ${code}${subcode !== undefined ? `/${subcode}` : ""}` : undefined,
    str(e.fbtrace_id) ? `fbtrace_id ${e.fbtrace_id}` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  const text = refs ? `${said} (${refs})` : said;

  const byStatus = (): BackendErrorKind =>
    status === 401 || status === 403
      ? "ACCESS_DENIED"
      : status === 404
        ? ACCOUNT_OPS.includes(op)
          ? "OTHER"
          : "NOT_FOUND"
        : status === 429
          ? "THROTTLED"
          : status >= 500
            ? "TRANSIENT"
            : "OTHER";

  let kind: BackendErrorKind;
  if (code === undefined) kind = byStatus();
  else if (code === 190 || code === 10 || (code >= 200 && code <= 299)) kind = "ACCESS_DENIED";
  else if (THROTTLE_CODES.has(code)) kind = "THROTTLED";
  else if (TRANSIENT_CODES.has(code)) kind = "TRANSIENT";
  else if (code === 100) {
    if (/not unique/i.test(said)) kind = "NAME_TAKEN";
    else if (/does not exist|not exist/i.test(said) || subcode === 33)
      // On the WABA's own calls the missing object is the WABA: never report that as a gone flow.
      kind = ACCOUNT_OPS.includes(op) ? "OTHER" : "NOT_FOUND";
    else if (/flow json version|data_api_version/i.test(said)) kind = "VALIDATION";
    else kind = "OTHER";
  } else if (code === 139001) {
    if (/can'?t be updated|cannot be updated/i.test(said)) kind = EDIT_OPS.includes(op) ? "EDIT_REFUSED" : "INVALID_STATE";
    else kind = "OTHER"; // "Error while processing Flow JSON" (retried once by the upload), endpoint-URI advice…
  } else if (code === 139002) {
    if (/validation errors/i.test(said)) kind = "VALIDATION";
    else if (/invalid state/i.test(said)) kind = "INVALID_STATE";
    else kind = "OTHER"; // publishing prerequisites (endpoint, public key, phone number, frozen version…)
  } else if (code === 139003) kind = /already deprecated/i.test(said) ? "ALREADY_DEPRECATED" : "INVALID_STATE";
  else if (code === 139004) kind = "INVALID_STATE";
  else if (code >= 139000 && code <= 139999)
    kind = "OTHER"; // 139000 integrity block, 139006 metrics, unlisted: not retryable
  else kind = byStatus();
  return { kind, text, code: code !== undefined ? String(code) : undefined };
}

export class MetaBackend extends HttpFlowBackend implements FlowBackend {
  readonly vendor = "meta";

  constructor(
    private readonly account: MetaAccount,
    settings: HttpVendorSettings & { graphVersion: string },
  ) {
    const version = settings.graphVersion || DEFAULT_GRAPH_VERSION;
    if (!/^v\d+\.\d+$/.test(version))
      throw new BackendError("OTHER", `invalid Graph API version "${version}" (expected e.g. ${DEFAULT_GRAPH_VERSION})`);
    super(settings, {
      vendor: "meta",
      account: `WABA ${account.wabaId}`,
      pathPrefix: `/${version}`,
      flowsPath: "",
      defaultBaseUrl: META_DEFAULT_BASE_URL,
      authHeaders: (token) => ({ authorization: `Bearer ${token}` }),
      retryableBody: graphRetryVerdict,
      classify: classifyGraphError,
      hint: (op, e) =>
        e.kind === "OTHER" && ACCOUNT_OPS.includes(op) && /does not exist/i.test(e.text)
          ? " (is the WABA id right, and shared with the token's system user?)"
          : "",
    });
  }

  async createFlow(req: CreateFlowRequest): Promise<{ id: string; validationErrors: FlowJsonProblem[] }> {
    const res = await this.call(
      "create",
      {
        method: "POST",
        path: `/${seg(this.account.wabaId)}/flows`,
        json: {
          name: req.name,
          categories: req.categories,
          ...(req.flowJson !== undefined ? { flow_json: req.flowJson } : {}),
          ...(req.publish !== undefined ? { publish: req.publish } : {}),
          ...(req.cloneFlowId ? { clone_flow_id: req.cloneFlowId } : {}),
          ...(req.endpointUri !== undefined ? { endpoint_uri: req.endpointUri } : {}),
        },
        idempotent: false, // never repeated: the lifecycle looks the name up instead
      },
      { name: req.name },
    );
    const id = this.createdId(read(record({ id: text }), res.body).id, req.name, res.status);
    return { id, validationErrors: normaliseVendorErrors(validationErrorsOf(res.body)) };
  }

  async getFlow(flowId: string): Promise<RemoteFlow | undefined> {
    const res = await this.unlessGone(() =>
      this.call("get", { method: "GET", path: this.flowPath(flowId), query: { fields: GET_FIELDS } }, { flowId }),
    );
    return res && graphFlow(res.body, flowId, { health: true, application: true });
  }

  async listFlows(): Promise<RemoteFlowSummary[]> {
    const out: RemoteFlowSummary[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      // Cursors are followed against our own base URL: `paging.next` is never fetched as given
      // (it names a host of its own, and the token would follow it there).
      const res = await this.call("list", {
        method: "GET",
        path: `/${seg(this.account.wabaId)}/flows`,
        query: { fields: LIST_FIELDS, limit: PAGE_SIZE, after },
      });
      const body = read(FlowPageSchema, res.body);
      out.push(...body.data.map(graphSummary));
      const next = body.paging.cursors.after;
      if (!body.paging.next || !next) return out;
      if (seen.has(next)) {
        throw backendError(
          this.settings.credential,
          "OTHER",
          `${this.what("list")} failed: Graph repeated the paging cursor ${clip(next, 80)}`,
        );
      }
      seen.add(next);
      after = next;
    }
    throw backendError(this.settings.credential, "OTHER", `${this.what("list")} failed: more than ${MAX_PAGES} pages`);
  }

  async updateMetadata(flowId: string, change: MetadataChange): Promise<void> {
    if (changesNothing(change)) return;
    await this.call(
      "update",
      {
        method: "POST",
        path: this.flowPath(flowId),
        json: {
          ...(change.name !== undefined ? { name: change.name } : {}),
          ...(change.categories !== undefined ? { categories: change.categories } : {}),
          ...(change.endpointUri !== undefined ? { endpoint_uri: change.endpointUri } : {}),
          ...(change.applicationId !== undefined ? { application_id: change.applicationId } : {}),
        },
        idempotent: true,
      },
      { flowId },
    );
  }

  async uploadFlowJson(flowId: string, flowJson: string): Promise<{ validationErrors: FlowJsonProblem[] }> {
    const send = () =>
      this.call(
        "upload",
        { method: "POST", path: this.flowPath(flowId, "/assets"), form: flowJsonForm(flowJson), idempotent: true },
        { flowId },
      );
    let res: HttpResponse;
    try {
      res = await send();
    } catch (e) {
      // 139001 "Error while processing Flow JSON": saved, processing failed. One identical retry, then fail.
      if (!(e instanceof BackendError && e.vendorCode === "139001" && PROCESSING.test(e.message))) throw e;
      res = await send();
    }
    return { validationErrors: normaliseVendorErrors(validationErrorsOf(res.body)) };
  }

  async downloadFlowJson(flowId: string): Promise<string | undefined> {
    const res = await this.call("download", { method: "GET", path: this.flowPath(flowId, "/assets") }, { flowId });
    // `{data: [{name, asset_type, download_url}]}`
    const url = flowJsonAssetUrl(read(record({ data: list }), res.body).data);
    return url ? this.downloadAsset(url, flowId) : undefined;
  }

  async getPreview(flowId: string, invalidate = false): Promise<{ url: string; expiresAt: string } | undefined> {
    const res = await this.call(
      "preview",
      { method: "GET", path: this.flowPath(flowId), query: { fields: `preview.invalidate(${invalidate ? "true" : "false"})` } },
      { flowId },
    );
    return graphPreview(res.body);
  }
}
