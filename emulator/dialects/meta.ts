/**
 * Meta's Graph API, WhatsApp Flows: `/vNN.N/<WABA id>/flows`, `/vNN.N/<flow id>` (+ `/assets`,
 * `/publish`, `/deprecate`), `/vNN.N/<WABA id>/migrate_flows`; any Graph version. Bearer token (or
 * `access_token`), parameters from the query string and a JSON, urlencoded or multipart body,
 * `fields=` selection with modifiers (`preview.invalidate(true)`) and sub-selections (`x{a,b}`), cursor
 * paging, `{error:{message, type, code, error_subcode?, fbtrace_id}}` errors with Meta's codes.
 * New-style flows are re-drafted by an edit while published; legacy flows answer 139001.
 */
import { isCoreError } from "../core/errors";
import type { FlowStore, Injection } from "../core/store";
import { CallBudget } from "../core/budget";
import type { FlowRecord, WabaRecord } from "../core/types";
import { MAX_FLOW_JSON_BYTES, assetUrl, bearerToken, credentialSet, parseMultipartEntries, serveAsset } from "./common";
import type { Dialect, DialectCall, ErrorSpec, NeutralAction, WireRequest, WireResponse } from "./types";
import {
  DEFAULTS,
  GraphError,
  LATEST_GRAPH_VERSION,
  SHORT_MESSAGE,
  USER_MSG,
  VERSIONED,
  bodyKind,
  bool,
  effectiveMethod,
  graphError,
  graphVersionNumber,
  list,
  mapCoreError,
  ok,
  oldestGraphVersionAt,
  param,
  parseFields,
  plainParams,
  readParams,
  select,
  str,
  unsupported,
  type FieldSpec,
  type Params,
} from "./graph";
import { VENDORS as REGISTRY } from "../../provider/vendors/registry";

export const META_DEFAULT_TOKEN = "emulator-meta-token";
/** Page size of a list call without `limit` (Graph documents none for flows). */
export const META_DEFAULT_PAGE_SIZE = 20;
export const META_MAX_PAGE_SIZE = 100;
/** The categories the vendor accepts (Meta documents eight, no SHOPPING): the registry's, as plain strings. */
export const META_CATEGORIES: readonly string[] = REGISTRY.meta.capabilities.categories;
export const META_FLOW_FIELDS = [
  "id",
  "name",
  "status",
  "categories",
  "validation_errors",
  "json_version",
  "data_api_version",
  "endpoint_uri",
  "data_channel_uri",
  "preview",
  "whatsapp_business_account",
  "application",
  "health_status",
  "metric",
];
const DEFAULT_FIELDS = "id,name,status,categories,validation_errors";
/** Node type named in "nonexisting field" errors. */
const NODE_TYPE = "WhatsAppBusinessFlow";
const APP = { id: "900000000000001", name: "whatsapp-flows-emulator", link: "https://developers.facebook.com/apps/900000000000001" };

export type MetaOperation =
  | "ListFlows"
  | "CreateFlow"
  | "GetFlow"
  | "GetFlowPreview"
  | "UpdateFlowMetadata"
  | "DeleteFlow"
  | "ListFlowAssets"
  | "UploadFlowAsset"
  | "PublishFlow"
  | "DeprecateFlow"
  | "MigrateFlows";

const ACTIONS: Record<MetaOperation, NeutralAction> = {
  ListFlows: "list",
  CreateFlow: "create",
  GetFlow: "get",
  GetFlowPreview: "preview",
  UpdateFlowMetadata: "update",
  DeleteFlow: "delete",
  ListFlowAssets: "get",
  UploadFlowAsset: "upload",
  PublishFlow: "publish",
  DeprecateFlow: "deprecate",
  MigrateFlows: "migrate",
};

/** Meta's health rule for the FLOW node: LIMITED when THROTTLED; BLOCKED when BLOCKED, DEPRECATED, or an unpublished flow failing a publishing check. */
export function metaHealth(flow: FlowRecord, waba: WabaRecord) {
  let flowEntity: Record<string, unknown>;
  if (flow.status === "THROTTLED") {
    flowEntity = {
      entity_type: "FLOW",
      id: flow.id,
      can_send_message: "LIMITED",
      additional_info: ["The Flow is throttled: at most 10 messages per hour can be sent until its endpoint is healthy again."],
    };
  } else if (
    flow.status === "BLOCKED" ||
    flow.status === "DEPRECATED" ||
    (flow.status === "DRAFT" && (flow.validationErrors.length > 0 || flow.jsonBase64 === null))
  ) {
    const error =
      flow.status === "BLOCKED"
        ? {
            error_code: 132068,
            error_description: "The Flow is blocked.",
            possible_solution: "Fix the Flow's endpoint; the Flow is unblocked once it is healthy.",
          }
        : flow.status === "DEPRECATED"
          ? { error_code: 132068, error_description: "The Flow is deprecated.", possible_solution: "Send a published Flow instead." }
          : {
              error_code: 139002,
              error_description: "The Flow does not pass the publishing checks.",
              possible_solution: "Upload a Flow JSON without validation errors and publish the Flow.",
            };
    flowEntity = { entity_type: "FLOW", id: flow.id, can_send_message: "BLOCKED", errors: [error] };
  } else {
    flowEntity = { entity_type: "FLOW", id: flow.id, can_send_message: "AVAILABLE" };
  }
  return {
    can_send_message: flowEntity.can_send_message,
    entities: [
      flowEntity,
      { entity_type: "WABA", id: waba.metaWabaId, can_send_message: "AVAILABLE" },
      { entity_type: "BUSINESS", id: String(BigInt(waba.metaWabaId) + 500_000_000_000n), can_send_message: "AVAILABLE" },
      { entity_type: "APP", id: APP.id, can_send_message: "AVAILABLE" },
    ],
  };
}

function categories(p: Record<string, unknown>, required: boolean): string[] | undefined {
  const c = list(p, "categories");
  if (c === undefined) {
    if (required) throw param("The parameter categories is required");
    return undefined;
  }
  if (c.length === 0) throw param("Param categories must be a non-empty array");
  c.forEach((x, i) => {
    if (!META_CATEGORIES.includes(x)) throw param(`Param categories[${i}] must be one of {${META_CATEGORIES.join(", ")}} - got "${x}"`);
  });
  return c;
}

// ------------------------------------------------------------------------------------------ dialect

export interface MetaDialectOptions {
  /** Accepted access tokens (default "emulator-meta-token"). */
  tokens?: string | readonly string[];
  defaultPageSize?: number;
  /**
   * Oldest Graph version served (`vNN.N`); older ones answer 2635 like an expired version. Default: the
   * oldest version Meta's changelog lists as still available at the emulator clock's date.
   */
  oldestGraphVersion?: string;
  /** Graph calls an hour per token and WABA (Meta's WABA budget, error 80007 past it); off when undefined. */
  budget?: number;
  /** Graph calls an hour per token, over all WABAs (the app's budget, error 4 past it); off when undefined. */
  appBudget?: number;
  /** The emulator's clock (epoch ms), which the admin clock advances. */
  now?: () => number;
}

/** The Business Use Case type Graph reports for WABA management calls. */
export const META_BUDGET_TYPE = "whatsapp_business_management";
/** Meta's texts for the two hourly budgets (Graph error codes 80007 and 4). */
export const META_BUDGET_TEXT = {
  waba: "(#80007) There have been too many calls to this WhatsApp Business account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
  app: "(#4) Application request limit reached",
} as const;

interface Route {
  op: MetaOperation;
  waba?: WabaRecord;
  flowId?: string;
}

export class MetaDialect implements Dialect {
  readonly vendor = "meta" as const;
  private readonly tokens: Set<string>;
  private readonly defaultPageSize: number;
  private readonly oldestGraphVersion?: string;
  private readonly wabaBudget?: CallBudget;
  private readonly appBudget?: CallBudget;

  constructor(opts: MetaDialectOptions = {}) {
    this.tokens = credentialSet(opts.tokens, META_DEFAULT_TOKEN);
    this.defaultPageSize = opts.defaultPageSize ?? META_DEFAULT_PAGE_SIZE;
    if (opts.oldestGraphVersion !== undefined && Number.isNaN(graphVersionNumber(opts.oldestGraphVersion)))
      throw new Error(`invalid oldest Graph version "${opts.oldestGraphVersion}" (expected vNN.N, e.g. v21.0)`);
    this.oldestGraphVersion = opts.oldestGraphVersion;
    const now = opts.now ?? Date.now;
    if (opts.budget !== undefined) this.wabaBudget = new CallBudget(opts.budget, now);
    if (opts.appBudget !== undefined) this.appBudget = new CallBudget(opts.appBudget, now);
  }

  /** Forgets every budget window (admin reset). */
  resetBudgets(): void {
    this.wabaBudget?.reset();
    this.appBudget?.reset();
  }

  /**
   * Charges an authenticated call to the app's and the WABA's budgets. Returns Meta's refusal (HTTP 400,
   * code 4 for the app, 80007 for the WABA; nothing charged) when one is used up, and the usage headers
   * Graph sends on every answer: `X-App-Usage` and, for a WABA's calls, `X-Business-Use-Case-Usage`.
   */
  private charge(token: string | undefined, wabaId: string | undefined): { refusal?: WireResponse; headers: Record<string, string> } {
    const appKey = token ?? "";
    const wabaKey = `${appKey} ${wabaId ?? ""}`;
    let refusal: "app" | "waba" | undefined;
    if (token !== undefined) {
      const appPeek = this.appBudget?.usage(appKey);
      const wabaPeek = wabaId !== undefined ? this.wabaBudget?.usage(wabaKey) : undefined;
      if (appPeek && appPeek.count >= appPeek.limit) refusal = "app";
      else if (wabaPeek && wabaPeek.count >= wabaPeek.limit) refusal = "waba";
      else {
        this.appBudget?.take(appKey);
        if (wabaId !== undefined) this.wabaBudget?.take(wabaKey);
      }
    }
    const app = this.appBudget?.usage(appKey);
    const headers: Record<string, string> = {
      "x-app-usage": JSON.stringify({ call_count: app?.percent ?? 0, total_cputime: 0, total_time: 0 }),
    };
    if (wabaId !== undefined) {
      const u = this.wabaBudget?.usage(wabaKey);
      const exhausted = u !== undefined && u.count >= u.limit;
      headers["x-business-use-case-usage"] = JSON.stringify({
        [wabaId]: [
          {
            type: META_BUDGET_TYPE,
            call_count: u?.percent ?? 0,
            total_cputime: 0,
            total_time: 0,
            estimated_time_to_regain_access: exhausted ? Math.ceil(u.regainSeconds / 60) : 0,
          },
        ],
      });
    }
    if (refusal === "waba")
      return { refusal: graphError(400, 80007, META_BUDGET_TEXT.waba, "OAuthException", undefined, headers), headers };
    if (refusal === "app") {
      const r = graphError(400, 4, META_BUDGET_TEXT.app, "OAuthException", undefined, headers);
      (r.body as { error: Record<string, unknown> }).error.is_transient = true;
      return { refusal: r, headers };
    }
    return { headers };
  }

  /** The oldest version served now (configured, else from Meta's changelog at the emulator clock). */
  oldestVersion(store: FlowStore): string {
    return this.oldestGraphVersion ?? oldestGraphVersionAt(store.now());
  }

  /** Meta's refusal of a version past its end of life (Marketing API error table: 2635), or undefined. */
  versionFailure(major: string, minor: string, store: FlowStore): GraphError | undefined {
    const oldest = this.oldestVersion(store);
    if (Number(major) * 1000 + Number(minor) >= graphVersionNumber(oldest)) return undefined;
    const latest = graphVersionNumber(LATEST_GRAPH_VERSION) > graphVersionNumber(oldest) ? LATEST_GRAPH_VERSION : oldest;
    return new GraphError(
      400,
      2635,
      `(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: ${latest}.`,
    );
  }

  claims(path: string): boolean {
    return VERSIONED.test(path);
  }

  error(spec: ErrorSpec, headers?: Record<string, string>): WireResponse {
    const short = spec.code !== undefined && spec.message !== undefined ? SHORT_MESSAGE[spec.code] : undefined;
    if (short) {
      // A Flows business error as Graph shapes it: the fault's text is the condition (`error_user_title`).
      return graphError(spec.status, spec.code!, short, spec.errorType ?? "OAuthException", spec.subcode, headers, {
        title: spec.message!,
        msg: USER_MSG[spec.message!] ?? spec.message!,
      });
    }
    const [code, message, type] =
      DEFAULTS[spec.status] ?? (spec.status >= 500 ? [1, "An unknown error occurred"] : [100, "(#100) Invalid parameter"]);
    return graphError(
      spec.status,
      spec.code ?? code,
      spec.message ?? message,
      spec.errorType ?? type ?? "OAuthException",
      spec.subcode ?? (spec.status === 404 ? 33 : undefined),
      headers,
    );
  }

  /**
   * Graph answers a token that cannot see an object exactly as it answers a deleted one: code 100, subcode
   * 33, "Object with ID '…' does not exist, cannot be loaded due to missing permissions, or does not support
   * this operation" (https://developers.facebook.com/docs/graph-api/guides/error-handling).
   */
  noAccess(req: WireRequest): WireResponse {
    const segs = (VERSIONED.exec(req.path)?.[3] ?? "/").split("/").filter((s) => s !== "");
    const e = unsupported(req.method, decodeURIComponent(segs[0] ?? ""));
    return graphError(e.status, e.code, e.message, e.type, e.subcode);
  }

  throttle(retryAfterSeconds: number): WireResponse {
    return graphError(429, 80007, "(#80007) Rate limit hit for WhatsApp Business Account", "OAuthException", undefined, {
      "retry-after": String(retryAfterSeconds),
    });
  }

  download(rest: string, req: WireRequest, store: FlowStore): WireResponse {
    return serveAsset(rest, req, store);
  }

  /** Which operation and object a path names; a GraphError for unknown objects / edges. */
  private route(req: WireRequest, segs: string[], store: FlowStore): Route {
    const method = effectiveMethod(req);
    const [id, edge, extra] = segs;
    if (!id || extra !== undefined) throw new GraphError(400, 2500, `Unknown path components: /${segs.slice(1).join("/")}`);
    const waba = store.findWabaBy((w) => w.metaWabaId === id);
    const flow = waba ? undefined : store.flowView(id);
    if (waba) {
      if (edge === "flows" && method === "GET") return { op: "ListFlows", waba };
      if (edge === "flows" && method === "POST") return { op: "CreateFlow", waba };
      if (edge === "migrate_flows" && method === "POST") return { op: "MigrateFlows", waba };
      if (edge === undefined) throw unsupported(method, id);
      throw new GraphError(400, 2500, `Unknown path components: /${edge}`);
    }
    if (!flow) throw unsupported(method, id);
    const owner = store.findWaba(flow.wabaId)!;
    const at = (op: MetaOperation): Route => ({ op, waba: owner, flowId: id });
    if (edge === undefined) {
      if (method === "GET") return at(/(^|,)\s*preview\.invalidate\(/.test(req.query.get("fields") ?? "") ? "GetFlowPreview" : "GetFlow");
      if (method === "POST") return at("UpdateFlowMetadata");
      if (method === "DELETE") return at("DeleteFlow");
    }
    if (edge === "assets" && method === "GET") return at("ListFlowAssets");
    if (edge === "assets" && method === "POST") return at("UploadFlowAsset");
    if (edge === "publish" && method === "POST") return at("PublishFlow");
    if (edge === "deprecate" && method === "POST") return at("DeprecateFlow");
    if (edge === undefined) throw unsupported(method, id);
    throw new GraphError(400, 2500, `Unknown path components: /${edge}`);
  }

  resolve(req: WireRequest, store: FlowStore): DialectCall | undefined {
    const m = VERSIONED.exec(req.path);
    if (!m) return undefined;
    const segs = (m[3] ?? "/")
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent);
    let route: Route | undefined;
    let routeError: GraphError | undefined;
    // An expired version is refused before the token is looked at, like an unknown path.
    const versionError = this.versionFailure(m[1], m[2], store);
    if (!versionError) {
      try {
        route = this.route(req, segs, store);
      } catch (e) {
        routeError = e as GraphError;
      }
    }
    const peekName = (): string | undefined => {
      const v = plainParams(req).name;
      return typeof v === "string" ? v : undefined;
    };
    const call: DialectCall = {
      operation: route?.op ?? "Unknown",
      action: route ? ACTIONS[route.op] : "unknown",
      flowId: route?.flowId,
      flowName: route?.op === "CreateFlow" || route?.op === "UpdateFlowMetadata" ? peekName() : undefined,
      uploadsJson: route?.op === "UploadFlowAsset" || (route?.op === "CreateFlow" && req.body.includes("flow_json")),
      logBody: null,
      execute: async (inject?: Injection) => {
        if (versionError) return graphError(versionError.status, versionError.code, versionError.message, versionError.type);
        const token = await this.tokenOf(req);
        const denied = this.tokenFailure(token);
        const { refusal, headers } = this.charge(denied ? undefined : token, route?.waba?.metaWabaId);
        const withUsage = (r: WireResponse): WireResponse => ({ ...r, headers: { ...(r.headers ?? {}), ...headers } });
        if (denied) return withUsage(denied);
        if (refusal) return refusal;
        try {
          if (routeError) throw routeError;
          const params = await readParams(req);
          call.logBody = params.logBody;
          return withUsage(await this.run(route!, params, req, store, inject));
        } catch (e) {
          if (e instanceof GraphError) return withUsage(graphError(e.status, e.code, e.message, e.type, e.subcode));
          if (isCoreError(e)) return withUsage(mapCoreError(e));
          return withUsage(graphError(500, 1, `An unknown error occurred (emulator: ${(e as Error).message})`));
        }
      },
    };
    return call;
  }

  /** Graph's 190 (HTTP 401) unless a Bearer token or `access_token` is accepted. */
  async authFailure(req: WireRequest): Promise<WireResponse | undefined> {
    return this.tokenFailure(await this.tokenOf(req));
  }

  /**
   * Another Graph edge of a WABA (message templates): authenticated and charged to the same app and WABA
   * budgets as the flow calls (Meta budgets the WhatsApp Business Management API per app and WABA, templates
   * included), with the usage headers on every answer and 80007/4 once a budget is used up.
   */
  async budgeted(req: WireRequest, metaWabaId: string, run: () => Promise<WireResponse>): Promise<WireResponse> {
    const token = await this.tokenOf(req);
    const denied = this.tokenFailure(token);
    const { refusal, headers } = this.charge(denied ? undefined : token, metaWabaId);
    const withUsage = (r: WireResponse): WireResponse => ({ ...r, headers: { ...(r.headers ?? {}), ...headers } });
    if (denied) return withUsage(denied);
    if (refusal) return refusal;
    return withUsage(await run());
  }

  private tokenFailure(token: string | undefined): WireResponse | undefined {
    if (token === undefined) return graphError(401, 190, "An access token is required to request this resource.");
    if (!this.tokens.has(token)) return graphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
    return undefined;
  }

  /** The access token a request carries (Bearer header, `access_token` in the query, a form or a multipart body). */
  private async tokenOf(req: WireRequest): Promise<string | undefined> {
    let token = bearerToken(req);
    if (token === undefined) {
      const p = plainParams(req).access_token;
      if (typeof p === "string") token = p;
    }
    if (token === undefined && bodyKind(req) === "multipart") {
      const field = (await parseMultipartEntries(req))?.find(([k, v]) => k === "access_token" && typeof v === "string");
      if (field) token = field[1] as string;
    }
    return token;
  }

  // ---------------------------------------------------------------------------- serialisation

  private flowFields(flow: FlowRecord, waba: WabaRecord, fields: FieldSpec[], store: FlowStore): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const f of fields) {
      if (!META_FLOW_FIELDS.includes(f.name)) throw param(`Tried accessing nonexisting field (${f.name}) on node type (${NODE_TYPE})`);
      let v: unknown;
      switch (f.name) {
        case "id":
          v = flow.id;
          break;
        case "name":
          v = flow.name;
          break;
        case "status":
          v = flow.status;
          break;
        case "categories":
          v = flow.categories;
          break;
        case "validation_errors":
          v = flow.validationErrors;
          break;
        case "json_version":
          v = flow.jsonVersion ?? undefined;
          break;
        case "data_api_version":
          v = flow.dataApiVersion ?? undefined;
          break;
        case "endpoint_uri":
          v = flow.endpointUri ?? undefined;
          break;
        case "preview": {
          const inv = f.mods.invalidate;
          let p;
          if (inv !== undefined) {
            if (inv !== "true" && inv !== "false") throw param(`Param invalidate must be a boolean`);
            p = store.preview(waba.id, flow.id, inv === "true", this.vendor);
          } else p = store.currentPreview(waba.id, flow.id, this.vendor);
          v = p ? { preview_url: p.previewUrl, expires_at: p.expiresAt } : undefined;
          break;
        }
        case "whatsapp_business_account":
          v = {
            id: waba.metaWabaId,
            name: waba.name,
            currency: waba.currency,
            timezone_id: waba.timezoneId,
            message_template_namespace: waba.messageTemplateNamespace,
          };
          break;
        case "application":
          // The app connected to the flow (set with application_id); none until one is.
          v = flow.applicationId ? { link: APP.link, name: APP.name, id: flow.applicationId } : undefined;
          break;
        case "health_status":
          v = metaHealth(flow, waba);
          break;
        // data_channel_uri (deprecated since v19.0) and metric (deprecated metrics API) are never set.
      }
      if (v !== undefined) o[f.name] = select(v, f.sub);
    }
    if (!("id" in o)) o.id = flow.id;
    return o;
  }

  private fields(req: WireRequest, params: Params): FieldSpec[] {
    const raw = params.values.fields;
    const text = typeof raw === "string" && raw.trim() !== "" ? raw : DEFAULT_FIELDS;
    return parseFields(text.trim());
  }

  // ---------------------------------------------------------------------------- cursors

  private cursor(wabaId: string, flowId: string): string {
    return Buffer.from(JSON.stringify({ w: wabaId, f: flowId })).toString("base64url");
  }

  private readCursor(wabaId: string, c: string): string {
    try {
      const t = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
      if (t && t.w === wabaId && typeof t.f === "string" && /^\d+$/.test(t.f)) return t.f;
    } catch {
      /* fall through */
    }
    throw param("Invalid cursor");
  }

  private pageUrl(req: WireRequest, key: "after" | "before", cursor: string): string {
    const q = new URLSearchParams(req.query);
    q.delete("after");
    q.delete("before");
    // Graph repeats a query-string token in paging links; the emulator never echoes a credential (clients send theirs on every call).
    q.delete("access_token");
    q.set(key, cursor);
    return `${req.baseUrl}${req.path}?${q.toString()}`;
  }

  // ---------------------------------------------------------------------------- operations

  private async run(route: Route, params: Params, req: WireRequest, store: FlowStore, inject?: Injection): Promise<WireResponse> {
    const p = params.values;
    const waba = route.waba!;
    const flowId = route.flowId!;
    switch (route.op) {
      case "ListFlows": {
        const fields = this.fields(req, params);
        const limitRaw = str(p, "limit");
        let limit = this.defaultPageSize;
        if (limitRaw !== undefined) {
          if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1) throw param("Param limit must be a positive integer");
          limit = Math.min(Number(limitRaw), META_MAX_PAGE_SIZE);
        }
        const all = store.listFlows(waba.id);
        const after = str(p, "after");
        const before = str(p, "before");
        let page: FlowRecord[];
        let start: number;
        if (after !== undefined) {
          const a = BigInt(this.readCursor(waba.id, after));
          start = all.findIndex((f) => BigInt(f.id) > a);
          if (start < 0) start = all.length;
          page = all.slice(start, start + limit);
        } else if (before !== undefined) {
          const b = BigInt(this.readCursor(waba.id, before));
          let end = all.findIndex((f) => BigInt(f.id) >= b);
          if (end < 0) end = all.length;
          start = Math.max(0, end - limit);
          page = all.slice(start, end);
        } else {
          start = 0;
          page = all.slice(0, limit);
        }
        const data = page.map((f) => this.flowFields(f, waba, fields, store));
        if (page.length === 0) return ok({ data: [] });
        const cursors = { before: this.cursor(waba.id, String(BigInt(page[0].id))), after: this.cursor(waba.id, page[page.length - 1].id) };
        return ok({
          data,
          paging: {
            cursors,
            ...(start > 0 ? { previous: this.pageUrl(req, "before", cursors.before) } : {}),
            ...(start + page.length < all.length ? { next: this.pageUrl(req, "after", cursors.after) } : {}),
          },
        });
      }
      case "CreateFlow": {
        const name = str(p, "name");
        if (name === undefined || name === "") throw param("The parameter name is required");
        const cats = categories(p, true)!;
        const flowJson = p.flow_json;
        if (flowJson !== undefined && typeof flowJson !== "string") throw param("Param flow_json must be a JSON string");
        if (typeof flowJson === "string" && Buffer.byteLength(flowJson) > MAX_FLOW_JSON_BYTES)
          throw param("Param flow_json must be at most 10 MB");
        const cloneFlowId = str(p, "clone_flow_id");
        if (cloneFlowId !== undefined && p.clone_template !== undefined) throw param("Only one clone source can be set");
        const flow = store.createFlow(
          waba.id,
          {
            name,
            categories: cats,
            json: typeof flowJson === "string" ? Buffer.from(flowJson, "utf8") : undefined,
            publish: bool(p, "publish"),
            cloneFlowId,
            endpointUri: str(p, "endpoint_uri"),
          },
          "meta",
          inject,
        );
        const hasJson = typeof flowJson === "string" || cloneFlowId !== undefined;
        return ok({ id: flow.id, success: true, ...(hasJson ? { validation_errors: flow.validationErrors } : {}) });
      }
      case "GetFlow":
      case "GetFlowPreview":
        return ok(this.flowFields(store.getFlow(waba.id, flowId), waba, this.fields(req, params), store));
      case "UpdateFlowMetadata": {
        const name = str(p, "name");
        if (name === "") throw param("Param name must be a non-empty string");
        store.updateFlow(
          waba.id,
          flowId,
          { name, categories: categories(p, false), endpointUri: str(p, "endpoint_uri"), applicationId: str(p, "application_id") },
          "redraft",
        );
        return ok({ success: true });
      }
      case "DeleteFlow":
        store.deleteFlow(waba.id, flowId);
        return ok({ success: true });
      case "ListFlowAssets": {
        const flow = store.getFlow(waba.id, flowId);
        if (flow.jsonBase64 === null) return ok({ data: [] });
        const c = Buffer.from(`asset:${flow.id}:${flow.jsonSha256}`).toString("base64url");
        return ok({
          data: [{ name: "flow.json", asset_type: "FLOW_JSON", download_url: assetUrl("meta", req, store, flow) }],
          paging: { cursors: { before: c, after: c } },
        });
      }
      case "UploadFlowAsset": {
        const file = params.files.get("file");
        if (!file) throw param(typeof p.file === "string" ? "Param file must be a file upload" : "The parameter file is required");
        const name = str(p, "name");
        if (name === undefined) throw param("The parameter name is required");
        if (name !== "flow.json") throw param(`Param name must be one of {flow.json} - got "${name}"`);
        const assetType = str(p, "asset_type");
        if (assetType === undefined) throw param("The parameter asset_type is required");
        if (assetType !== "FLOW_JSON") throw param(`Param asset_type must be one of {FLOW_JSON} - got "${assetType}"`);
        if (file.bytes.length > MAX_FLOW_JSON_BYTES) throw param("Param file must be at most 10 MB");
        const flow = store.updateAssets(waba.id, flowId, file.bytes, "meta", inject, "redraft");
        return ok({ success: true, validation_errors: flow.validationErrors });
      }
      case "PublishFlow":
        store.publishFlow(waba.id, flowId);
        return ok({ success: true });
      case "DeprecateFlow":
        store.deprecateFlow(waba.id, flowId);
        return ok({ success: true });
      case "MigrateFlows": {
        const sourceId = str(p, "source_waba_id");
        if (sourceId === undefined) throw param("The parameter source_waba_id is required");
        const names = list(p, "source_flow_names");
        if (names && names.length > 100) throw param("Param source_flow_names must have at most 100 elements");
        const source = store.findWabaBy((w) => w.metaWabaId === sourceId);
        if (!source)
          throw param(`Param source_waba_id must be the id of a WhatsApp Business Account of the same business - got "${sourceId}"`);
        const results = store.migrateFlows(source.id, waba.id, names, "meta");
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
