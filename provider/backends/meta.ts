/**
 * Meta WhatsApp Cloud API (Graph) — Flows API (docs/vendors.md, docs/lifecycle.md).
 *
 * System-user token as `Authorization: Bearer` (never an `access_token` query parameter); pinned,
 * configurable Graph version; flows under `/{version}/{WABA id}/flows`, then addressed by id alone.
 * Errors: `{error:{message, type, code, error_subcode, error_user_title, error_user_msg, fbtrace_id}}`,
 * classified on `code` then message (one code covers several conditions), never on status alone.
 */
import { normaliseVendorErrors } from "../validation/vendor";
import type { FlowJsonProblem } from "../validation/types";
import { BackendError, BackendErrorKind, CreateFlowRequest, FlowBackend, MetadataChange, RemoteFlow, RemoteFlowSummary } from "./types";
import { arr, backendError, clip, flowJsonForm, HttpResponse, HttpVendorSettings, obj, RetryVerdict, seg, str } from "./http";
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
import type { BudgetReading } from "../budget";

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

/**
 * Graph's error codes, one table: a code that means one thing decides alone; a code Meta's Flows error
 * table uses for several conditions (100, 139001-139003) is refined by the condition's documented
 * description (GRAPH_CONDITIONS). Sources: Cloud API error codes
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes), Graph error handling
 * (https://developers.facebook.com/docs/graph-api/guides/error-handling), Flows error codes
 * (https://developers.facebook.com/docs/whatsapp/flows/reference/error-codes). docs/errors.md holds the same table.
 */
export const GRAPH_CODES: Readonly<Record<number, BackendErrorKind>> = {
  1: "TRANSIENT", // unknown error
  2: "TRANSIENT", // service temporarily unavailable
  131000: "TRANSIENT", // something went wrong
  131016: "TRANSIENT", // service unavailable
  4: "THROTTLED", // app call limit (with HTTP 400: the hourly budget, BUDGET_EXHAUSTED: see isBudgetAnswer)
  17: "THROTTLED", // user call limit
  32: "THROTTLED", // page call limit
  613: "THROTTLED", // custom rate limit
  80007: "THROTTLED", // WABA rate limit (with HTTP 400: the hourly budget, BUDGET_EXHAUSTED: see isBudgetAnswer)
  130429: "THROTTLED", // throughput
  10: "ACCESS_DENIED", // permission denied
  190: "ACCESS_DENIED", // access token invalid or expired
  139000: "OTHER", // blocked by integrity: not retryable
  139004: "INVALID_STATE", // can't delete published Flow
  139006: "OTHER", // metrics threshold not reached
};

/** 200-299: API permission codes. */
const isPermissionCode = (code: number) => code >= 200 && code <= 299;

/**
 * Conditions that share a code. Meta documents no subcode for them (only 100/33 below), so the text of the
 * documented description is the last resort: Graph sends it as `error_user_title` (searched first), and some
 * clients and relays carry it in `error_user_msg` or `message`. Only Meta's published descriptions are
 * matched, never wording of our own.
 */
const GRAPH_CONDITIONS: Readonly<Record<number, ReadonlyArray<[RegExp, BackendErrorKind]>>> = {
  100: [
    [/flow name is not unique/i, "NAME_TAKEN"],
    [/invalid flow json (version|data_api_version)/i, "VALIDATION"],
    [/flow with specified id does not exist/i, "NOT_FOUND"],
  ],
  139001: [[/flow can'?t be updated/i, "EDIT_REFUSED"]], // "Error while processing Flow JSON": OTHER, retried once by the upload
  139002: [
    [/publishing flow with validation errors/i, "VALIDATION"],
    [/publishing flow in invalid state/i, "INVALID_STATE"],
  ], // other publishing prerequisites (endpoint, public key, phone number, version): OTHER
  139003: [
    [/flow is already deprecated/i, "ALREADY_DEPRECATED"],
    [/can'?t deprecate unpublished flow/i, "INVALID_STATE"],
  ],
};
/**
 * A Flows condition told by its documented description alone, for relays that pass Meta's text without its
 * code (360dialog's `developer_message`, 8x8's `message` under its own code 1000): the descriptions of every
 * shared code, searched in order. `undefined` when none matches.
 */
export function metaDescriptionKind(op: string, texts: Array<string | undefined>): BackendErrorKind | undefined {
  const said = texts.filter((t): t is string => typeof t === "string");
  for (const conditions of Object.values(GRAPH_CONDITIONS)) {
    const found = conditions.find(([re]) => said.some((t) => re.test(t)))?.[1];
    if (found === "NOT_FOUND" && (ACCOUNT_OPS as string[]).includes(op)) return "OTHER";
    if (found === "EDIT_REFUSED" && !(EDIT_OPS as string[]).includes(op)) return "INVALID_STATE";
    if (found) return found;
  }
  if (said.some((t) => /can'?t delete published flow/i.test(t))) return "INVALID_STATE"; // 139004's description
  return undefined;
}

/** When a shared code's condition is not one of the listed ones. */
const GRAPH_CONDITION_DEFAULT: Readonly<Record<number, BackendErrorKind>> = {
  100: "OTHER",
  139001: "OTHER",
  139002: "OTHER",
  139003: "INVALID_STATE",
};

/** Graph's subcode 33: "Object with ID … does not exist, cannot be loaded due to missing permissions, or does not support this operation". */
const SUBCODE_UNAVAILABLE_OBJECT = 33;
/**
 * The hourly budgets (4: the app's, 80007: the WABA's), answered with HTTP 400: used up for the rest of
 * the hour, so never retried (https://developers.facebook.com/docs/graph-api/overview/rate-limiting).
 */
const BUDGET_CODES = new Set([4, 80007]);
const isBudgetAnswer = (status: number, code: number | undefined) => status === 400 && code !== undefined && BUDGET_CODES.has(code);

/** What Meta documents for the WABA management budget (docs/budgets.md). */
const META_BUDGET_DOCUMENTED = "Meta allows 200 calls an hour per app and WABA without a registered phone number, 5,000 with one";

/** A usage header's JSON, or undefined. */
function headerJson(v: string | string[] | undefined): unknown {
  const text = Array.isArray(v) ? v[0] : v;
  if (typeof text !== "string" || !text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads Graph's usage headers (`X-Business-Use-Case-Usage`: per business object id, a list of
 * `{type, call_count, total_cputime, total_time, estimated_time_to_regain_access}`, percentages and
 * minutes; `X-App-Usage`: `{call_count, total_cputime, total_time}`) into the highest percentage used
 * and the longest wait announced, and which budget that percentage belongs to.
 */
export function readGraphUsage(
  headers: Record<string, string | string[] | undefined>,
  wabaId: string,
): { percent?: number; regainSeconds?: number; app: boolean } {
  let percent: number | undefined;
  let regainMinutes: number | undefined;
  let app = false;
  const pct = (o: Record<string, unknown>) => Math.max(...["call_count", "total_cputime", "total_time"].map((k) => num(o[k]) ?? 0));
  const buc = obj(headerJson(headers["x-business-use-case-usage"]));
  for (const [id, list] of Object.entries(buc)) {
    // Our WABA's entry; other business objects the token touched are not this account's budget.
    if (id !== wabaId && Object.keys(buc).length > 1) continue;
    for (const x of arr(list)) {
      const o = obj(x);
      percent = Math.max(percent ?? 0, pct(o));
      const wait = num(o.estimated_time_to_regain_access);
      if (wait !== undefined) regainMinutes = Math.max(regainMinutes ?? 0, wait);
    }
  }
  const appUsage = obj(headerJson(headers["x-app-usage"]));
  if (Object.keys(appUsage).length > 0) {
    const a = pct(appUsage);
    if (a > (percent ?? -1)) {
      percent = a;
      app = true;
    }
  }
  return { percent, regainSeconds: regainMinutes ? regainMinutes * 60 : undefined, app };
}

const num = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;

/** `GET /{WABA id}/flows`: `{data: [flow…], paging: {cursors: {before, after}, next?}}` (`next` absent on the last page). */
const FlowPageSchema = record({ data: list, paging: record({ cursors: record({ after: text }), next: text }) });

/** 139001's documented "Error while processing Flow JSON": the JSON was saved but processing failed; worth one identical retry. */
const PROCESSING = /error while processing flow json/i;

/** For undici's retry policy: which Graph error bodies are worth another attempt of an idempotent call. */
export function graphRetryVerdict(status: number, body: unknown): RetryVerdict {
  const e = obj(obj(body).error);
  const code = num(e.code);
  // An hourly budget used up: a retry lands in the same hour (and code 4 says is_transient: true).
  if (isBudgetAnswer(status, code)) return undefined;
  const kind = graphCodeKind(code);
  if (kind === "THROTTLED") return "throttled";
  if (kind === "TRANSIENT" || e.is_transient === true) return "transient";
  return undefined;
}

function graphCodeKind(code: number | undefined): BackendErrorKind | undefined {
  if (code === undefined) return undefined;
  return GRAPH_CODES[code] ?? (isPermissionCode(code) ? "ACCESS_DENIED" : undefined);
}

/**
 * The kind of a Graph error object `{code, error_subcode, is_transient, error_user_title, error_user_msg, message}`
 * for an operation (a not-found on the account's own calls is the account, never a gone flow). Shared with
 * the partners that relay Graph's errors (360dialog's `details`). `undefined` when it has no Graph code.
 */
export function graphErrorKind(op: string, e: Record<string, unknown>): BackendErrorKind | undefined {
  const code = num(e.code);
  if (code === undefined) return undefined;
  const subcode = num(e.error_subcode);
  const accountOp = (ACCOUNT_OPS as string[]).includes(op);
  let kind = graphCodeKind(code);
  if (kind === undefined && code === 100 && subcode === SUBCODE_UNAVAILABLE_OBJECT) kind = accountOp ? "OTHER" : "NOT_FOUND";
  if (kind === undefined && GRAPH_CONDITIONS[code]) {
    const texts = [e.error_user_title, e.error_user_msg, e.message].filter((t): t is string => typeof t === "string");
    kind = GRAPH_CONDITIONS[code].find(([re]) => texts.some((t) => re.test(t)))?.[1] ?? GRAPH_CONDITION_DEFAULT[code];
  }
  if (kind === undefined && code >= 139000 && code <= 139999) kind = "OTHER"; // unlisted Flows codes: not retryable
  if (kind === "NOT_FOUND" && accountOp) kind = "OTHER";
  if (kind === "EDIT_REFUSED" && !(EDIT_OPS as string[]).includes(op)) kind = "INVALID_STATE";
  if ((kind === undefined || kind === "OTHER") && e.is_transient === true) kind = "TRANSIENT";
  return kind ?? "OTHER";
}

/** Classifies a Graph error answer. Exported for tests and other Meta pass-throughs. */
export function classifyGraphError(op: MetaOp, status: number, body: unknown): { kind: BackendErrorKind; text: string; code?: string } {
  const e = obj(obj(body).error);
  const code = num(e.code);
  const subcode = num(e.error_subcode);
  // What the user reads: Meta's user-facing title and text first, Graph's short message after.
  const title = str(e.error_user_title);
  const msg = str(e.error_user_msg);
  const message = str(e.message);
  const user = title && msg && msg !== title ? `${title}: ${msg}` : (title ?? msg);
  let said = user ?? message ?? (typeof body === "string" && body.trim() ? body : `HTTP ${status}`);
  if (user && message && !user.includes(message)) said = `${said} [${message}]`;
  const refs = [
    code !== undefined ? `code ${code}${subcode !== undefined ? `/${subcode}` : ""}` : undefined,
    str(e.fbtrace_id) ? `fbtrace_id ${e.fbtrace_id}` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  const text = refs ? `${said} (${refs})` : said;

  let kind = graphErrorKind(op, e);
  if (kind === undefined) {
    // No Graph error object (a proxy's or load balancer's answer): the status is all there is.
    kind =
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
  }
  // Meta's hourly budgets (4, 80007) answered with HTTP 400: used up for the hour, not a short throttle.
  if (isBudgetAnswer(status, num(e.code))) kind = "BUDGET_EXHAUSTED";
  return { kind, text, code: code !== undefined ? String(code) : undefined };
}

export class MetaBackend extends HttpFlowBackend implements FlowBackend {
  readonly vendor = "meta";
  /** Set by provider/budget.ts: receives what each Graph answer says about the budgets. */
  onBudgetReading?: (reading: BudgetReading) => void;

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
      hint: (op, e, _status, body) => {
        const error = obj(obj(body).error);
        return e.kind === "OTHER" &&
          ACCOUNT_OPS.includes(op) &&
          num(error.code) === 100 &&
          num(error.error_subcode) === SUBCODE_UNAVAILABLE_OBJECT
          ? " (is the WABA id right, and shared with the token's system user?)"
          : "";
      },
    });
  }

  /** Every Graph answer reports the budgets it counts against (X-Business-Use-Case-Usage, X-App-Usage). */
  protected override observe(res: HttpResponse): void {
    const usage = readGraphUsage(res.headers, this.account.wabaId);
    const errorCode = num(obj(obj(res.body).error).code);
    const budgetCode = isBudgetAnswer(res.status, errorCode) ? errorCode : undefined;
    const app = budgetCode === 4 || (budgetCode === undefined && usage.app);
    this.onBudgetReading?.({
      budget: app ? "Meta's hourly API budget of the app (this token)" : `Meta's hourly API budget for WABA ${this.account.wabaId}`,
      usedPercent: usage.percent,
      regainSeconds: usage.regainSeconds,
      exhausted: budgetCode !== undefined,
      documented: META_BUDGET_DOCUMENTED,
      assumedCalls: 200,
      windowSeconds: 3600,
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
