/**
 * The one small interface every vendor implements. The lifecycle logic speaks only this; a vendor's
 * wire format, casing, error envelope and quirks stay inside its own file.
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
}

export interface RemoteFlowSummary {
  id: string;
  name: string;
  status: FlowStatus;
  categories: string[];
}

export interface CreateFlowRequest {
  name: string;
  categories: FlowCategory[];
  cloneFlowId?: string;
}

export interface FlowBackend {
  /** Short vendor name recorded in state, e.g. "aws". */
  readonly vendor: string;
  createFlow(waba: string, req: CreateFlowRequest): Promise<{ id: string; validationErrors: FlowJsonProblem[] }>;
  /** `undefined` when the flow no longer exists. */
  getFlow(waba: string, flowId: string): Promise<RemoteFlow | undefined>;
  findFlowByName(waba: string, name: string): Promise<RemoteFlowSummary | undefined>;
  updateMetadata(waba: string, flowId: string, change: { name?: string; categories?: FlowCategory[] }): Promise<void>;
  /** Uploads the Flow JSON; the vendor stores it even when invalid and reports what it found. */
  uploadFlowJson(waba: string, flowId: string, flowJson: string): Promise<{ validationErrors: FlowJsonProblem[] }>;
  /** The Flow JSON currently stored, or `undefined` when the flow has none. */
  downloadFlowJson(waba: string, flowId: string): Promise<string | undefined>;
  publish(waba: string, flowId: string): Promise<void>;
  deprecate(waba: string, flowId: string): Promise<void>;
  deleteFlow(waba: string, flowId: string): Promise<void>;
  getPreview(waba: string, flowId: string): Promise<{ url: string; expiresAt: string } | undefined>;
}

/**
 * Vendor failures classified by what the caller should do about them, with the vendor's own text kept.
 * NAME_TAKEN, NOT_FOUND and INVALID_STATE drive lifecycle decisions; the rest are reported.
 */
export type BackendErrorKind =
  | "NOT_FOUND"
  | "NAME_TAKEN"
  | "INVALID_STATE"
  | "ALREADY_DEPRECATED"
  | "VALIDATION"
  | "THROTTLED"
  | "TRANSIENT"
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
