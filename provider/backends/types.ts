/**
 * The one small interface every vendor implements. The lifecycle logic speaks only this; a vendor's
 * wire format, casing, error envelope and quirks stay inside its own file.
 *
 * A backend is bound to one account (the parsed account reference: an AWS linked WABA, a 360dialog
 * partner + WABA account, an 8x8 account + channel, a Meta WABA): methods address flows by id only.
 */
import type { FlowJsonProblem } from "../validation/types";
import type { FlowCategory, FlowStatus } from "../model";

export interface RemoteFlow {
  id: string;
  name: string;
  status: FlowStatus;
  categories: string[];
  validationErrors: FlowJsonProblem[];
  jsonVersion: string | null;
  previewUrl: string | null;
  previewExpiresAt: string | null;
  /** The vendor's health summary (Meta `health_status.can_send_message`: AVAILABLE | LIMITED | BLOCKED), when reported. */
  healthStatus?: string | null;
  /** The endpoint URI the vendor reports for the flow, when it reports one. */
  endpointUri?: string | null;
  /** The application id the vendor reports (Meta `application.id`), when it reports one. */
  applicationId?: string | null;
}

export interface RemoteFlowSummary {
  id: string;
  name: string;
  status: FlowStatus;
  /** Empty when the vendor's list does not carry categories (8x8). */
  categories: string[];
}

export interface CreateFlowRequest {
  name: string;
  categories: FlowCategory[];
  cloneFlowId?: string;
  /** Only sent by the planner to vendors whose capabilities say `publishOnCreate` / `jsonOnCreate`. */
  flowJson?: string;
  publish?: boolean;
  /** Only sent to vendors whose capabilities say `endpointUri` (data-exchange flows, Flow JSON 3.0+). */
  endpointUri?: string;
}

export interface MetadataChange {
  /** Set only when the name changes. */
  name?: string;
  /** Set only when the categories change. */
  categories?: FlowCategory[];
  /** Set only when the endpoint URI changes. */
  endpointUri?: string;
  /** Set only when the application id changes (Meta: the connected app; 8x8 `applicationId`). */
  applicationId?: string;
  /** The flow's current name and categories: vendors whose update needs them whole (360dialog's PATCH requires `name`). */
  current: { name: string; categories: string[] };
}

export interface FlowBackend {
  /** Registry name of the vendor, recorded in state (a string: the registry's entries build backends, so the type cannot name them). */
  readonly vendor: string;
  createFlow(req: CreateFlowRequest): Promise<{ id: string; validationErrors: FlowJsonProblem[] }>;
  /** `undefined` when the flow no longer exists. */
  getFlow(flowId: string): Promise<RemoteFlow | undefined>;
  /** Every flow of the account (the backend pages through the vendor's list). */
  listFlows(): Promise<RemoteFlowSummary[]>;
  updateMetadata(flowId: string, change: MetadataChange): Promise<void>;
  /** Uploads the Flow JSON; the vendor stores it even when invalid and reports what it found. */
  uploadFlowJson(flowId: string, flowJson: string): Promise<{ validationErrors: FlowJsonProblem[] }>;
  /** The Flow JSON currently stored, or `undefined` when the flow has none. */
  downloadFlowJson(flowId: string): Promise<string | undefined>;
  publish(flowId: string): Promise<void>;
  deprecate(flowId: string): Promise<void>;
  deleteFlow(flowId: string): Promise<void>;
  getPreview(flowId: string, invalidate?: boolean): Promise<{ url: string; expiresAt: string } | undefined>;
}

/** Every method of `FlowBackend`, for the wrappers that decorate them all (budget, gone-proof); checked below. */
export const FLOW_BACKEND_METHODS = [
  "createFlow",
  "getFlow",
  "listFlows",
  "updateMetadata",
  "uploadFlowJson",
  "downloadFlowJson",
  "publish",
  "deprecate",
  "deleteFlow",
  "getPreview",
] as const satisfies readonly Exclude<keyof FlowBackend, "vendor">[];
/**
 * `true` when `Listed` names every method of backend `B`, else the names missing: a constant of this type
 * initialised with `true` is a compile error naming what a method list lacks.
 */
export type AllMethodsListed<B, Listed extends readonly PropertyKey[]> = [Exclude<Exclude<keyof B, "vendor">, Listed[number]>] extends [
  never,
]
  ? true
  : Exclude<Exclude<keyof B, "vendor">, Listed[number]>;
// A method added to FlowBackend and missing above is a compile error here (the type names what is missing).
export const FLOW_BACKEND_METHODS_COMPLETE: AllMethodsListed<FlowBackend, typeof FLOW_BACKEND_METHODS> = true;

/**
 * Vendor failures classified by what the caller should do about them, with the vendor's own text kept.
 * NAME_TAKEN, NOT_FOUND, INVALID_STATE and EDIT_REFUSED drive lifecycle decisions; the rest are reported.
 */
export type BackendErrorKind =
  | "NOT_FOUND"
  | "NAME_TAKEN"
  | "INVALID_STATE"
  | "ALREADY_DEPRECATED"
  /** The vendor refuses to edit this (published) flow: 8x8 409, 360dialog's "immutable once published", Meta legacy 139001. */
  | "EDIT_REFUSED"
  | "VALIDATION"
  | "THROTTLED"
  /** The vendor's hourly (or longer) call budget is used up (Meta HTTP 400 with code 80007 or 4): never retried. */
  | "BUDGET_EXHAUSTED"
  | "TRANSIENT"
  /** Credentials missing, rejected or lacking permission (401/403, Meta 190, 10, 200-299): never retried. */
  | "ACCESS_DENIED"
  | "OTHER";

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly vendorCode?: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "BackendError";
  }
}

export const isBackendError = (e: unknown, kind?: BackendErrorKind): e is BackendError =>
  e instanceof BackendError && (kind === undefined || e.kind === kind);
