/**
 * AWS End User Messaging Social (restJson1, `@aws-sdk/client-socialmessaging` 3.1069.0): the ten Flow
 * operations plus the two linked-WABA helpers, exactly as the SDK puts them on the wire — fixed paths,
 * GET/DELETE members in the query string, POST members in a JSON body, `flowJson` as standard base64,
 * errors as `x-amzn-errortype` + `{"message"}` + `x-amzn-requestid`.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { CoreError, isCoreError } from "../core/errors";
import type { FlowStore, Injection } from "../core/store";
import { MAX_FLOW_JSON_BYTES } from "../../provider/flow-json";
import { FLOW_CATEGORIES, type FlowRecord, type ValidationProblem, type WabaRecord } from "../core/types";
import { DOWNLOAD_URL_TTL_SECONDS, assetUrl, header, serveAsset } from "./common";
import type { Dialect, DialectCall, ErrorSpec, NeutralAction, WireRequest, WireResponse } from "./types";

export const AWS_MAX_FLOW_JSON_BYTES = MAX_FLOW_JSON_BYTES;
/** Page size when the caller sends no maxResults (AWS does not document one). */
export const AWS_DEFAULT_PAGE_SIZE = 20;
/** How long a ListWhatsAppFlowAssets downloadUrl stays valid (Meta: "a short period"). */
export const AWS_DOWNLOAD_URL_TTL_SECONDS = DOWNLOAD_URL_TTL_SECONDS;

export type AwsOperation =
  | "CreateWhatsAppFlow"
  | "GetWhatsAppFlow"
  | "ListWhatsAppFlows"
  | "UpdateWhatsAppFlow"
  | "UpdateWhatsAppFlowAssets"
  | "ListWhatsAppFlowAssets"
  | "PublishWhatsAppFlow"
  | "DeprecateWhatsAppFlow"
  | "DeleteWhatsAppFlow"
  | "GetWhatsAppFlowPreview"
  | "GetLinkedWhatsAppBusinessAccount"
  | "ListLinkedWhatsAppBusinessAccounts";

/** method + path → operation (no path labels in this API). */
export const AWS_ROUTES: Record<string, AwsOperation> = {
  "POST /v1/whatsapp/flow/create": "CreateWhatsAppFlow",
  "GET /v1/whatsapp/flow": "GetWhatsAppFlow",
  "GET /v1/whatsapp/flow/list": "ListWhatsAppFlows",
  "POST /v1/whatsapp/flow/update": "UpdateWhatsAppFlow",
  "POST /v1/whatsapp/flow/assets/update": "UpdateWhatsAppFlowAssets",
  "GET /v1/whatsapp/flow/assets": "ListWhatsAppFlowAssets",
  "POST /v1/whatsapp/flow/publish": "PublishWhatsAppFlow",
  "POST /v1/whatsapp/flow/deprecate": "DeprecateWhatsAppFlow",
  "DELETE /v1/whatsapp/flow": "DeleteWhatsAppFlow",
  "GET /v1/whatsapp/flow/preview": "GetWhatsAppFlowPreview",
  "GET /v1/whatsapp/waba/details": "GetLinkedWhatsAppBusinessAccount",
  "GET /v1/whatsapp/waba/list": "ListLinkedWhatsAppBusinessAccounts",
};

/** Operation → vendor-neutral action (fault rules and log queries). */
export const AWS_ACTIONS: Record<AwsOperation, NeutralAction> = {
  CreateWhatsAppFlow: "create",
  GetWhatsAppFlow: "get",
  ListWhatsAppFlows: "list",
  UpdateWhatsAppFlow: "update",
  UpdateWhatsAppFlowAssets: "upload",
  ListWhatsAppFlowAssets: "get",
  PublishWhatsAppFlow: "publish",
  DeprecateWhatsAppFlow: "deprecate",
  DeleteWhatsAppFlow: "delete",
  GetWhatsAppFlowPreview: "preview",
  GetLinkedWhatsAppBusinessAccount: "account",
  ListLinkedWhatsAppBusinessAccounts: "account",
};

// ------------------------------------------------------------------------------------------ members

type MemberType = "string" | "blob" | "boolean" | "integer" | "categories";
interface MemberSpec {
  type: MemberType;
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternText?: string;
}

const WABA_ID: MemberSpec = {
  type: "string",
  min: 1,
  max: 115,
  pattern: /^(waba-.*|arn:.*:waba\/[0-9a-zA-Z]+)$/s,
  patternText: ".*(^waba-.*$)|(^arn:.*:waba/[0-9a-zA-Z]+$).*",
};
const FLOW_ID: MemberSpec = { type: "string", min: 1, max: 100, pattern: /^[0-9]+$/, patternText: "[0-9]+" };
const MEMBERS: Record<string, MemberSpec> = {
  id: WABA_ID,
  flowId: FLOW_ID,
  cloneFlowId: FLOW_ID,
  flowName: { type: "string", min: 1, max: 200 },
  categories: { type: "categories", min: 1, max: 9 },
  flowJson: { type: "blob", min: 1, max: AWS_MAX_FLOW_JSON_BYTES },
  publish: { type: "boolean" },
  invalidate: { type: "boolean" },
  nextToken: { type: "string", min: 1, max: 600 },
  maxResults: { type: "integer", min: 1, max: 100 },
};

interface OpShape {
  location: "query" | "body";
  members: string[];
  required: string[];
}
const SHAPES: Record<AwsOperation, OpShape> = {
  CreateWhatsAppFlow: {
    location: "body",
    members: ["id", "flowName", "categories", "flowJson", "publish", "cloneFlowId"],
    required: ["id", "flowName", "categories"],
  },
  GetWhatsAppFlow: { location: "query", members: ["id", "flowId"], required: ["id", "flowId"] },
  ListWhatsAppFlows: { location: "query", members: ["id", "nextToken", "maxResults"], required: ["id"] },
  UpdateWhatsAppFlow: { location: "body", members: ["id", "flowId", "flowName", "categories"], required: ["id", "flowId"] },
  UpdateWhatsAppFlowAssets: { location: "body", members: ["id", "flowId", "flowJson"], required: ["id", "flowId", "flowJson"] },
  ListWhatsAppFlowAssets: { location: "query", members: ["id", "flowId", "nextToken", "maxResults"], required: ["id", "flowId"] },
  PublishWhatsAppFlow: { location: "body", members: ["id", "flowId"], required: ["id", "flowId"] },
  DeprecateWhatsAppFlow: { location: "body", members: ["id", "flowId"], required: ["id", "flowId"] },
  DeleteWhatsAppFlow: { location: "query", members: ["id", "flowId"], required: ["id", "flowId"] },
  GetWhatsAppFlowPreview: { location: "query", members: ["id", "flowId", "invalidate"], required: ["id", "flowId"] },
  GetLinkedWhatsAppBusinessAccount: { location: "query", members: ["id"], required: ["id"] },
  ListLinkedWhatsAppBusinessAccounts: { location: "query", members: ["nextToken", "maxResults"], required: [] },
};

/** Decoded, validated input. `flowJson` is the decoded bytes. */
interface AwsInput {
  id?: string;
  flowId?: string;
  cloneFlowId?: string;
  flowName?: string;
  categories?: string[];
  flowJson?: Buffer;
  publish?: boolean;
  invalidate?: boolean;
  nextToken?: string;
  maxResults?: number;
}

/** A wire-level failure detected while decoding (answered before touching the core). */
class WireError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const show = (v: unknown) => (typeof v === "string" ? (v.length > 64 ? `'${v.slice(0, 64)}…'` : `'${v}'`) : JSON.stringify(v));

/** Decodes raw members (strings from the query, JSON values from the body) and checks the model's constraints. */
function decodeInput(op: AwsOperation, req: WireRequest): AwsInput {
  const shape = SHAPES[op];
  const raw: Record<string, unknown> = {};
  if (shape.location === "body") {
    let parsed: unknown = {};
    const text = req.body.toString("utf8");
    if (text.trim() !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new WireError(400, "SerializationException", "Unable to parse request body as JSON");
      }
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new WireError(400, "SerializationException", "Request body must be a JSON object");
    }
    for (const m of shape.members) {
      const v = (parsed as Record<string, unknown>)[m];
      if (v !== undefined && v !== null) raw[m] = v;
    }
  } else {
    for (const m of shape.members) {
      const v = req.query.get(m);
      if (v !== null) raw[m] = v;
    }
  }

  const violations: string[] = [];
  const out: AwsInput = {};
  for (const m of shape.required) {
    if (raw[m] === undefined) violations.push(`Value null at '${m}' failed to satisfy constraint: Member must not be null`);
  }
  for (const [m, v] of Object.entries(raw)) {
    const spec = MEMBERS[m];
    switch (spec.type) {
      case "string": {
        if (typeof v !== "string") throw new WireError(400, "SerializationException", `Expected a string for '${m}'`);
        if (spec.min !== undefined && v.length < spec.min) {
          violations.push(
            `Value ${show(v)} at '${m}' failed to satisfy constraint: Member must have length greater than or equal to ${spec.min}`,
          );
        } else if (spec.max !== undefined && v.length > spec.max) {
          violations.push(
            `Value ${show(v)} at '${m}' failed to satisfy constraint: Member must have length less than or equal to ${spec.max}`,
          );
        } else if (spec.pattern && !spec.pattern.test(v)) {
          violations.push(
            `Value ${show(v)} at '${m}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${spec.patternText}`,
          );
        }
        (out as Record<string, unknown>)[m] = v;
        break;
      }
      case "blob": {
        if (typeof v !== "string" || v.length % 4 !== 0 || !BASE64.test(v)) {
          throw new WireError(400, "SerializationException", `Invalid base64 value for '${m}'`);
        }
        const bytes = Buffer.from(v, "base64");
        if (bytes.length < (spec.min ?? 0)) {
          violations.push(`Value at '${m}' failed to satisfy constraint: Member must have length greater than or equal to ${spec.min}`);
        } else if (spec.max !== undefined && bytes.length > spec.max) {
          violations.push(`Value at '${m}' failed to satisfy constraint: Member must have length less than or equal to ${spec.max}`);
        }
        (out as Record<string, unknown>)[m] = bytes;
        break;
      }
      case "boolean": {
        let b: boolean;
        if (typeof v === "boolean") b = v;
        else if (v === "true" && shape.location === "query") b = true;
        else if (v === "false" && shape.location === "query") b = false;
        else throw new WireError(400, "SerializationException", `Expected a boolean for '${m}'`);
        (out as Record<string, unknown>)[m] = b;
        break;
      }
      case "integer": {
        const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : typeof v === "number" ? v : NaN;
        if (!Number.isInteger(n)) throw new WireError(400, "SerializationException", `Expected an integer for '${m}'`);
        if (spec.min !== undefined && n < spec.min) {
          violations.push(
            `Value '${n}' at '${m}' failed to satisfy constraint: Member must have value greater than or equal to ${spec.min}`,
          );
        } else if (spec.max !== undefined && n > spec.max) {
          violations.push(`Value '${n}' at '${m}' failed to satisfy constraint: Member must have value less than or equal to ${spec.max}`);
        }
        (out as Record<string, unknown>)[m] = n;
        break;
      }
      case "categories": {
        if (!Array.isArray(v) || v.some((c) => typeof c !== "string")) {
          throw new WireError(400, "SerializationException", `Expected a list of strings for '${m}'`);
        }
        const bad = v.filter((c) => !(FLOW_CATEGORIES as readonly string[]).includes(c));
        if (v.length < (spec.min ?? 0)) {
          violations.push(
            `Value '[]' at '${m}' failed to satisfy constraint: Member must have length greater than or equal to ${spec.min}`,
          );
        } else if (spec.max !== undefined && v.length > spec.max) {
          violations.push(`Value at '${m}' failed to satisfy constraint: Member must have length less than or equal to ${spec.max}`);
        } else if (bad.length > 0) {
          violations.push(
            `Value '[${v.join(", ")}]' at '${m}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${FLOW_CATEGORIES.join(", ")}]]`,
          );
        }
        out.categories = v as string[];
        break;
      }
    }
  }
  if (violations.length > 0) {
    const n = violations.length;
    throw new WireError(400, "ValidationException", `${n} validation error${n === 1 ? "" : "s"} detected: ${violations.join("; ")}`);
  }
  return out;
}

/** Request body as logged: JSON with `flowJson` replaced by its decoded size and SHA-256. */
function logBodyOf(op: AwsOperation, req: WireRequest): unknown {
  if (SHAPES[op].location !== "body" || req.body.length === 0) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString("utf8"));
  } catch {
    return { unparsable: true, length: req.body.length };
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && "flowJson" in parsed) {
    const o = { ...(parsed as Record<string, unknown>) };
    const v = o.flowJson;
    if (typeof v === "string" && v.length % 4 === 0 && BASE64.test(v)) {
      const bytes = Buffer.from(v, "base64");
      o.flowJson = { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    } else {
      o.flowJson = { invalidBase64: true, length: typeof v === "string" ? v.length : null };
    }
    return o;
  }
  return parsed;
}

// ------------------------------------------------------------------------------------------ errors

const DEFAULT_ERROR_TYPE: Record<number, string> = {
  400: "InvalidParametersException",
  403: "AccessDeniedException",
  404: "ResourceNotFoundException",
  429: "ThrottledRequestException",
  500: "InternalServiceException",
  502: "DependencyException",
};
const DEFAULT_MESSAGE: Record<string, string> = {
  InternalServiceException: "Internal service error",
  DependencyException: "Error from dependency Meta",
  ThrottledRequestException: "Rate exceeded",
  AccessDeniedException: "Access denied",
  AccessDeniedByMetaException: "Access denied by Meta",
  ResourceNotFoundException: "Resource not found",
  InvalidParametersException: "Invalid parameters",
  ValidationException: "Validation failed",
};

function awsError(
  status: number,
  errorType: string | undefined,
  message: string | undefined,
  headers: Record<string, string> = {},
): WireResponse {
  const type = errorType ?? DEFAULT_ERROR_TYPE[status] ?? (status >= 500 ? "InternalServiceException" : "InvalidParametersException");
  const requestId = randomUUID();
  return {
    status,
    errorType: type,
    requestId,
    headers: { "x-amzn-errortype": type, "x-amzn-requestid": requestId, ...headers },
    body: { message: message ?? DEFAULT_MESSAGE[type] ?? type },
  };
}

/**
 * Lifecycle/business refusals carry Meta's text; AWS's exception class for them is undocumented.
 * Choice: unknown WABA/flow → ResourceNotFoundException 404; every other refusal (name taken, wrong
 * state, publish with validation errors) → InvalidParametersException 400 (not retried by the SDK).
 */
function mapCoreError(e: CoreError): WireResponse {
  switch (e.kind) {
    case "WABA_NOT_FOUND":
    case "NOT_FOUND":
      return awsError(404, "ResourceNotFoundException", e.message);
    default:
      return awsError(400, "InvalidParametersException", e.message);
  }
}

const ok = (body: object): WireResponse => {
  const requestId = randomUUID();
  return { status: 200, headers: { "x-amzn-requestid": requestId }, body, requestId };
};

// ------------------------------------------------------------------------------------------ encoding

/** Each problem becomes one AWS string: the Meta-shaped object (no severity) as JSON. */
const encodeProblems = (ps: ValidationProblem[]) => ps.map((p) => JSON.stringify(p));

function healthOf(flow: FlowRecord, waba: WabaRecord) {
  const flowState =
    flow.status === "THROTTLED"
      ? "LIMITED"
      : flow.status === "BLOCKED" || flow.status === "DEPRECATED" || (flow.status === "DRAFT" && flow.validationErrors.length > 0)
        ? "BLOCKED"
        : "AVAILABLE";
  return {
    canSendMessage: flowState,
    entities: [
      { entityType: "FLOW", id: flow.id, canSendMessage: flowState },
      { entityType: "WABA", id: waba.metaWabaId, canSendMessage: "AVAILABLE" },
      { entityType: "BUSINESS", id: String(BigInt(waba.metaWabaId) + 500_000_000_000n), canSendMessage: "AVAILABLE" },
    ],
  };
}

function accountSummary(w: WabaRecord) {
  return {
    arn: w.arn,
    id: w.id,
    wabaId: w.metaWabaId,
    registrationStatus: w.registrationStatus,
    linkDate: w.linkDate,
    wabaName: w.name,
    eventDestinations: [],
  };
}

// ------------------------------------------------------------------------------------------ dialect

export interface AwsDialectOptions {
  defaultPageSize?: number;
}

export class AwsDialect implements Dialect {
  readonly vendor = "aws";
  private tokenSeq = 0;
  private readonly tokenNonce = randomBytes(4).toString("hex");
  private readonly defaultPageSize: number;

  constructor(opts: AwsDialectOptions = {}) {
    this.defaultPageSize = opts.defaultPageSize ?? AWS_DEFAULT_PAGE_SIZE;
  }

  claims(path: string): boolean {
    return path.startsWith("/v1/whatsapp/");
  }

  error(spec: ErrorSpec, headers?: Record<string, string>): WireResponse {
    return awsError(spec.status, spec.errorType, spec.message, headers);
  }

  logMeta(req: WireRequest): { attempt?: number; invocationId?: string } {
    const attempt = /attempt=(\d+)/.exec(header(req, "amz-sdk-request") ?? "");
    const invocationId = header(req, "amz-sdk-invocation-id");
    return { ...(attempt ? { attempt: Number(attempt[1]) } : {}), ...(invocationId ? { invocationId } : {}) };
  }

  /**
   * AWS resources are scoped to the AWS account: a linked WABA the caller's account (or IAM policy) cannot
   * see answers as an unknown one, `ResourceNotFoundException` ("The resource was not found"), on every
   * operation, the account's list included. Source: the SocialMessaging API reference's error list of
   * each WhatsApp Flow operation (https://docs.aws.amazon.com/social-messaging/latest/APIReference/API_GetWhatsAppFlow.html).
   */
  noAccess(_req: WireRequest): WireResponse {
    return awsError(404, "ResourceNotFoundException", "The resource was not found.");
  }

  throttle(retryAfterSeconds: number): WireResponse {
    return awsError(429, "ThrottledRequestException", "Rate exceeded", { "retry-after": String(retryAfterSeconds) });
  }

  resolve(req: WireRequest, store: FlowStore): DialectCall | undefined {
    if (!req.path.startsWith("/v1/whatsapp/")) return undefined;
    const path = req.path.length > 1 && req.path.endsWith("/") ? req.path.slice(0, -1) : req.path;
    const op = AWS_ROUTES[`${req.method} ${path}`];
    if (!op) {
      return {
        operation: "Unknown",
        action: "unknown",
        uploadsJson: false,
        logBody: null,
        execute: () => awsError(404, "UnknownOperationException", `No operation for ${req.method} ${req.path}`),
      };
    }
    const peek = (m: string): string | undefined => {
      if (SHAPES[op].location === "query") return req.query.get(m) ?? undefined;
      try {
        const v = JSON.parse(req.body.toString("utf8"))?.[m];
        return typeof v === "string" ? v : undefined;
      } catch {
        return undefined;
      }
    };
    return {
      operation: op,
      action: AWS_ACTIONS[op],
      flowName: peek("flowName"),
      flowId: peek("flowId"),
      uploadsJson: op === "CreateWhatsAppFlow" || op === "UpdateWhatsAppFlowAssets",
      logBody: logBodyOf(op, req),
      execute: (inject?: Injection) => {
        try {
          const input = decodeInput(op, req);
          // The AWS API addresses an account by its linked-WABA id or its ARN; the core by its key.
          if (input.id !== undefined) input.id = awsAccount(store, input.id).id;
          return this.run(op, input, req, store, inject);
        } catch (e) {
          if (e instanceof WireError) return awsError(e.status, e.errorType, e.message);
          if (isCoreError(e)) return mapCoreError(e);
          return awsError(500, "InternalServiceException", `Emulator failure: ${(e as Error).message}`);
        }
      },
    };
  }

  // ---------------------------------------------------------------------------- pagination tokens

  private makeToken(scope: string, after: string): string {
    return Buffer.from(JSON.stringify({ s: scope, a: after, n: ++this.tokenSeq, i: this.tokenNonce })).toString("base64url");
  }

  private readToken(scope: string, token: string | undefined): string | undefined {
    if (token === undefined) return undefined;
    try {
      const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
      if (t && t.s === scope && typeof t.a === "string") return t.a;
    } catch {
      /* fall through */
    }
    throw new WireError(400, "InvalidParametersException", "The pagination token is invalid or expired");
  }

  // ---------------------------------------------------------------------------- operations

  private run(op: AwsOperation, i: AwsInput, req: WireRequest, store: FlowStore, inject?: Injection): WireResponse {
    switch (op) {
      case "CreateWhatsAppFlow": {
        const flow = store.createFlow(
          i.id!,
          { name: i.flowName!, categories: i.categories!, json: i.flowJson, publish: i.publish, cloneFlowId: i.cloneFlowId },
          "aws",
          inject,
        );
        return ok(
          flow.validationErrors.length > 0
            ? { flowId: flow.id, validationErrors: encodeProblems(flow.validationErrors) }
            : { flowId: flow.id },
        );
      }
      case "GetWhatsAppFlow": {
        const flow = store.getFlow(i.id!, i.flowId!);
        const waba = store.requireWaba(i.id!);
        const preview = store.currentPreview(i.id!, i.flowId!, this.vendor);
        return ok({
          flowId: flow.id,
          flowName: flow.name,
          flowStatus: flow.status,
          categories: flow.categories,
          validationErrors: encodeProblems(flow.validationErrors),
          ...(flow.jsonVersion !== null ? { jsonVersion: flow.jsonVersion } : {}),
          ...(flow.dataApiVersion !== null ? { dataApiVersion: flow.dataApiVersion } : {}),
          // In the SDK model (GetWhatsAppFlowOutput.endpointUri); AWS's create has no such member, so it is set elsewhere (Graph).
          ...(flow.endpointUri ? { endpointUri: flow.endpointUri } : {}),
          ...(preview ? { preview: { previewUrl: preview.previewUrl, expiresAt: preview.expiresAt } } : {}),
          whatsAppBusinessAccount: {
            id: waba.metaWabaId,
            name: waba.name,
            currency: waba.currency,
            timezoneId: waba.timezoneId,
            messageTemplateNamespace: waba.messageTemplateNamespace,
          },
          application: {
            id: "900000000000001",
            name: "whatsapp-flows-emulator",
            link: "https://developers.facebook.com/apps/900000000000001",
          },
          healthStatus: healthOf(flow, waba),
        });
      }
      case "ListWhatsAppFlows": {
        const waba = store.requireWaba(i.id!);
        const scope = `flows/${waba.id}`;
        const after = this.readToken(scope, i.nextToken);
        const all = store.listFlows(waba.id).filter((f) => after === undefined || BigInt(f.id) > BigInt(after));
        const size = i.maxResults ?? this.defaultPageSize;
        const page = all.slice(0, size);
        return ok({
          flows: page.map((f) => ({
            flowId: f.id,
            flowName: f.name,
            flowStatus: f.status,
            flowCategories: f.categories,
            validationErrors: encodeProblems(f.validationErrors),
          })),
          ...(all.length > size ? { nextToken: this.makeToken(scope, page[page.length - 1].id) } : {}),
        });
      }
      case "UpdateWhatsAppFlow":
        store.updateFlow(i.id!, i.flowId!, { name: i.flowName, categories: i.categories });
        return ok({});
      case "UpdateWhatsAppFlowAssets": {
        const flow = store.updateAssets(i.id!, i.flowId!, i.flowJson!, "aws", inject);
        return ok(flow.validationErrors.length > 0 ? { validationErrors: encodeProblems(flow.validationErrors) } : {});
      }
      case "ListWhatsAppFlowAssets": {
        const flow = store.getFlow(i.id!, i.flowId!);
        this.readToken(`assets/${flow.id}`, i.nextToken); // only one asset: any token is stale
        if (flow.jsonBase64 === null) return ok({ flowAssets: [] });
        return ok({ flowAssets: [{ name: "flow.json", assetType: "FLOW_JSON", downloadUrl: assetUrl("aws", req, store, flow) }] });
      }
      case "PublishWhatsAppFlow":
        store.publishFlow(i.id!, i.flowId!);
        return ok({});
      case "DeprecateWhatsAppFlow":
        store.deprecateFlow(i.id!, i.flowId!);
        return ok({});
      case "DeleteWhatsAppFlow":
        store.deleteFlow(i.id!, i.flowId!);
        return ok({});
      case "GetWhatsAppFlowPreview": {
        const p = store.preview(i.id!, i.flowId!, i.invalidate === true, this.vendor);
        return ok({ flowId: i.flowId!, preview: { previewUrl: p.previewUrl, expiresAt: p.expiresAt } });
      }
      case "GetLinkedWhatsAppBusinessAccount": {
        const w = store.requireWaba(i.id!);
        return ok({
          account: {
            ...accountSummary(w),
            phoneNumbers: w.phoneNumbers.map((p) => ({
              arn: p.arn,
              phoneNumber: p.phoneNumber,
              phoneNumberId: p.id,
              metaPhoneNumberId: p.metaPhoneNumberId,
              displayPhoneNumberName: p.displayPhoneNumberName,
              displayPhoneNumber: p.displayPhoneNumber,
              qualityRating: p.qualityRating,
            })),
          },
        });
      }
      case "ListLinkedWhatsAppBusinessAccounts": {
        const after = this.readToken("wabas", i.nextToken);
        const wabas = store.listWabas();
        const start = after === undefined ? 0 : Number(after);
        const size = i.maxResults ?? this.defaultPageSize;
        const page = wabas.slice(start, start + size);
        return ok({
          linkedAccounts: page.map(accountSummary),
          ...(start + size < wabas.length ? { nextToken: this.makeToken("wabas", String(start + size)) } : {}),
        });
      }
    }
  }

  download(rest: string, req: WireRequest, store: FlowStore): WireResponse {
    return serveAsset(rest, req, store);
  }
}

/** The account an AWS `id` (linked-WABA id or WABA ARN) names. */
function awsAccount(store: FlowStore, id: string): WabaRecord {
  const w = store.findWabaBy((a) => a.id === id || a.arn === id);
  if (!w) throw new CoreError("WABA_NOT_FOUND", 100, `WhatsApp Business Account ${id} not found`);
  return w;
}

export { CoreError };
