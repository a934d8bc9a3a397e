/**
 * What the three HTTP backends (Meta Graph, 360dialog, 8x8) share: naming an operation in messages,
 * sending one call through the pooled transport (./http.ts) with the vendor's authentication and path
 * prefix, turning transport failures and error answers into a `BackendError` (classified by the vendor's
 * own rules, the credential redacted), and the zod readers of untrusted answer bodies.
 *
 * A vendor's backend extends `HttpFlowBackend` with its wire description (`HttpWire`) and writes only
 * its requests and its answer schemas.
 */
import { z } from "zod";
import { BackendError, type BackendErrorKind, type MetadataChange } from "./types";
import {
  backendError,
  clip,
  downloadFlowAsset,
  HttpTransportError,
  type DownloadCredential,
  seg,
  vendorRequest,
  type HttpRequest,
  type HttpResponse,
  type HttpVendorSettings,
} from "./http";

/** The operations of the FlowBackend interface, as error classification and messages name them. */
export type FlowOp = "create" | "get" | "list" | "update" | "upload" | "download" | "publish" | "deprecate" | "delete" | "preview";

/** Operations addressed to the account itself: a 404 there names the account, never a gone flow. */
export const ACCOUNT_OPS: readonly FlowOp[] = ["create", "list"];
/** Operations that edit a flow: a vendor's refusal to edit it there is EDIT_REFUSED. */
export const EDIT_OPS: readonly FlowOp[] = ["update", "upload"];

/** A vendor error answer, classified: what the lifecycle does about it, the vendor's text, its code. */
export interface ClassifiedError {
  kind: BackendErrorKind;
  text: string;
  code?: string;
}

/** How one vendor's HTTP API is addressed and how its error answers read. */
export interface HttpWire {
  /** Registry name, first word of every message (`meta create of flow …`). */
  vendor: string;
  /** The account as messages name it (`WABA 123`, `partner P / WABA account W`). */
  account: string;
  /** Prefix of every path of this account below the base URL (ids already encoded). */
  pathPrefix: string;
  /** Where flows are addressed by id below the prefix: `/flows` (`/flows/{id}`), or "" (Graph: `/{id}`). */
  flowsPath: string;
  /** Used when the settings give no base URL. */
  defaultBaseUrl?: string;
  /** The credential's header(s). */
  authHeaders(credential: string): Record<string, string>;
  /** May a >= 400 answer that is not 429/5xx still be retried (the vendor's throttling codes)? */
  retryableBody?: HttpRequest["retryableBody"];
  classify(op: FlowOp, status: number, body: unknown): ClassifiedError;
  /** Advice appended to an error message (e.g. "is the WABA id right?"), or "". */
  hint?(op: FlowOp, error: ClassifiedError, status: number, body: unknown): string;
}

export abstract class HttpFlowBackend {
  abstract readonly vendor: string;

  constructor(
    protected readonly settings: HttpVendorSettings,
    private readonly wire: HttpWire,
  ) {}

  /** A flow's path below the account's prefix: `/flows/{id}` (or Graph's `/{id}`), then `rest`. */
  protected flowPath(flowId: string, rest = ""): string {
    return `${this.wire.flowsPath}/${seg(flowId)}${rest}`;
  }

  // Publish, deprecate and delete are the same call on every HTTP vendor: POST …/publish, POST …/deprecate
  // (both harmless to repeat), DELETE on the flow.

  async publish(flowId: string): Promise<void> {
    await this.call("publish", { method: "POST", path: this.flowPath(flowId, "/publish"), idempotent: true }, { flowId });
  }

  async deprecate(flowId: string): Promise<void> {
    await this.call("deprecate", { method: "POST", path: this.flowPath(flowId, "/deprecate"), idempotent: true }, { flowId });
  }

  async deleteFlow(flowId: string): Promise<void> {
    await this.call("delete", { method: "DELETE", path: this.flowPath(flowId) }, { flowId });
  }

  /** The operation as messages name it. */
  protected what(op: FlowOp, flowId?: string, name?: string): string {
    const { vendor, account } = this.wire;
    switch (op) {
      case "create":
        return `${vendor} create of flow "${name}" in ${account}`;
      case "list":
        return `${vendor} list of flows of ${account}`;
      case "update":
        return `${vendor} metadata update of flow ${flowId}`;
      case "upload":
        return `${vendor} upload of the Flow JSON of flow ${flowId}`;
      case "download":
        return `${vendor} download of the Flow JSON of flow ${flowId}`;
      default:
        return `${vendor} ${op} of flow ${flowId}`;
    }
  }

  /** Sends one call; resolves with a 2xx answer, throws a classified, redacted BackendError otherwise. */
  protected async call(
    op: FlowOp,
    req: HttpRequest,
    ids: { flowId?: string; name?: string } = {},
    /** How messages name the call when it is not a flow call (the template backends). */
    whatOverride?: string,
  ): Promise<HttpResponse> {
    const what = whatOverride ?? this.what(op, ids.flowId, ids.name);
    const secret = this.settings.credential;
    const wire = this.wire;
    let res: HttpResponse;
    try {
      res = await vendorRequest(
        { ...this.settings, baseUrl: this.settings.baseUrl || wire.defaultBaseUrl || "" },
        {
          ...req,
          path: `${wire.pathPrefix}${req.path}`,
          headers: { ...wire.authHeaders(secret), ...(req.headers ?? {}) },
          ...(wire.retryableBody ? { retryableBody: wire.retryableBody } : {}),
        },
      );
    } catch (e) {
      if (e instanceof HttpTransportError)
        throw backendError(secret, e.retryable ? "TRANSIENT" : "OTHER", `${what} failed: ${e.message}`, e.code);
      throw backendError(secret, "OTHER", `${what} failed: ${(e as Error)?.message ?? String(e)}`);
    }
    this.observe(res);
    if (res.status >= 200 && res.status < 300) return res;
    const classified = wire.classify(op, res.status, res.body);
    const hint = wire.hint?.(op, classified, res.status, res.body) ?? "";
    throw backendError(
      secret,
      classified.kind,
      `${what} failed: ${clip(classified.text)}${hint} (HTTP ${res.status})`,
      classified.code,
      res.status,
    );
  }

  /** Sees every answer before it is judged (a vendor reading its budget headers); nothing by default. */
  protected observe(_res: HttpResponse): void {}

  /** The id a create answered, or the error saying it answered none (never retried: the lifecycle looks the name up). */
  protected createdId(id: string | undefined, name: string, httpStatus: number): string {
    if (!id)
      throw backendError(
        this.settings.credential,
        "OTHER",
        `${this.what("create", undefined, name)} answered without an id (HTTP ${httpStatus})`,
      );
    return id;
  }

  /**
   * Downloads the Flow JSON from the link the vendor handed out (see downloadFlowAsset). The credential
   * goes only to the API's own origin: a link elsewhere, or redirected elsewhere, gets none.
   */
  protected downloadAsset(url: string, flowId: string): Promise<string> {
    const secret = this.settings.credential;
    const credential: DownloadCredential = {
      baseUrl: this.settings.baseUrl || this.wire.defaultBaseUrl || "",
      headers: this.wire.authHeaders(secret),
      secret,
    };
    return downloadFlowAsset(url, this.what("download", flowId), credential);
  }

  /** `read` with a NOT_FOUND answer as `undefined` (the flow is gone). */
  protected async unlessGone<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (e) {
      if (e instanceof BackendError && e.kind === "NOT_FOUND") return undefined;
      throw e;
    }
  }
}

/** A metadata change that changes nothing: no call (some vendors' updates need at least one property). */
export const changesNothing = (c: MetadataChange): boolean =>
  c.name === undefined && c.categories === undefined && c.endpointUri === undefined && c.applicationId === undefined;

// ------------------------------------------------------------------ readers of untrusted answer bodies

/**
 * Vendors' answers are read with zod schemas that never fail: a field of the wrong shape reads as absent
 * (a text, an object) or empty (a list), so a vendor adding or changing a field cannot break a refresh.
 * The schemas document the answers' shapes; `read(schema, body)` applies one.
 */

/** A string, or a number read as its text; anything else is absent. */
export const text = z
  .union([z.string(), z.number().transform(String)])
  .optional()
  .catch(undefined);
/** Any value, kept as is (read further with another schema); absent is fine. */
export const anything = z.unknown().optional();
/** A list of anything; anything else is an empty list. */
export const list = z.array(z.unknown()).catch([]);
/** A list read as texts (`categories`). */
export const texts = list.transform((a) => a.map(String));

/** An object with these fields (others kept); anything else reads as an object without them. */
export function record<S extends z.ZodRawShape>(shape: S) {
  const schema = z.looseObject(shape);
  return schema.catch(() => schema.parse({}));
}

/** Reads a body with a never-failing schema. */
export const read = <T extends z.ZodType>(schema: T, body: unknown): z.output<T> => schema.parse(body);

/** Meta's validation problems, as Meta and 360dialog answer them (`validation_errors`); normalised by the validator. */
export const validationErrorsOf = (body: unknown): unknown[] => read(record({ validation_errors: list }), body).validation_errors;

/** An asset list entry (`GET /{flow}/assets`): the Flow JSON is the `FLOW_JSON` asset (named `flow.json`). */
const AssetSchema = record({ name: text, asset_type: text, download_url: text });

/** The download URL of the Flow JSON among a flow's assets, when it has one. */
export function flowJsonAssetUrl(assets: unknown[]): string | undefined {
  return assets.map((a) => read(AssetSchema, a)).find((a) => a.asset_type === "FLOW_JSON" || a.name === "flow.json")?.download_url;
}
