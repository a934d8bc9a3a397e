/**
 * The data the resources exchange with Pulumi: checked inputs and recorded outputs of `Flow` and
 * `FlowAssets`. Plain JSON only (no `undefined`, no class instances): these objects travel through
 * protobuf Structs and land in state.
 */
import type { FlowJsonProblem } from "./validation/types";

/** Every category any vendor accepts; Meta, 360dialog and 8x8 document all but SHOPPING. */
export const FLOW_CATEGORIES = [
  "SIGN_UP",
  "SIGN_IN",
  "APPOINTMENT_BOOKING",
  "LEAD_GENERATION",
  "SHOPPING",
  "CONTACT_US",
  "CUSTOMER_SUPPORT",
  "SURVEY",
  "OTHER",
] as const;
export type FlowCategory = (typeof FLOW_CATEGORIES)[number];

export type FlowStatus = "DRAFT" | "PUBLISHED" | "DEPRECATED" | "THROTTLED" | "BLOCKED" | string;

/** What Pulumi sends for a value not known yet during preview (runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const isUnknown = (v: unknown): boolean => v === UNKNOWN || (Array.isArray(v) && v.some((x) => x === UNKNOWN));

/** Bumped when the shape of recorded outputs changes, so newer code can read older state. */
export const STATE_SCHEMA_VERSION = 2;

export interface FlowInputs {
  /**
   * The account reference: `aws:waba-…` (or a plain `waba-…` / WABA ARN), `meta:<WABA id>`,
   * `360dialog:<partner_id>/<waba_account_id>`, `8x8:<accountId>/<channelId>`.
   */
  waba: string;
  name: string;
  categories: FlowCategory[];
  /** Create the flow as a copy of this flow (same WABA). Only used at creation. */
  cloneFlowId?: string;
  /** Take over an existing flow of the same name instead of failing (import does not work for dynamic resources). */
  adoptExisting?: boolean;
  /** Take over this existing flow (by id) instead of creating one. Creation only. */
  adoptFlowId?: string;
  /** The business's endpoint for data-exchange flows (https). Metadata: changed in place like the name. */
  endpointUri?: string;
  /** The application the endpoint belongs to, where the vendor takes one (Meta: the connected app). */
  applicationId?: string;
  /**
   * Creation only (never compared): the Flow JSON and publish intent of the flow's `FlowAssets`, so a
   * vendor whose create takes them creates the flow with its JSON and publishes it in that one call.
   * The program sends the text; `check` validates it offline, keeps it in the deployment's memory and
   * returns only its hash (./hooks/checked-json.ts), like FlowAssets does.
   */
  initialAssets?: InitialAssets;
}

export interface InitialAssets {
  /** What the program sends; never in state. */
  flowJson?: string;
  /** Computed by check. */
  flowJsonSha256?: string;
  publish?: boolean;
  /** For file:line:column in messages. */
  sourcePath?: string;
  /** The promotion gate (FlowAssetsInputs.promotion): checked here too, since this create may publish. Not kept in state. */
  promotion?: { stack: string; flowJsonSha256: string | null; status: string | null };
}

/** What both resources record about the live flow once a vendor made them replace it (absent in older state). */
export interface LiveFlowOutputs {
  /** The flow's name in the account: the declared name, or `<name> (v<N>)` after N-1 replacements. */
  liveName: string;
  /** 1 for the flow first created; +1 per replacement. */
  generation: number;
  /** The vendor refused an in-place edit of this flow (Meta legacy flows): later edits go straight to replacement. */
  editsRefused: boolean;
  /** The vendor's health summary (Meta `health_status.can_send_message`), when it reports one. */
  healthStatus: string | null;
}

export interface FlowOutputs extends Omit<FlowInputs, "endpointUri" | "applicationId">, Partial<LiveFlowOutputs> {
  schemaVersion: number;
  vendor: string;
  /** The live flow's id (after a replacement: the new flow). */
  flowId: string;
  /** As the vendor reports them (null: none). */
  endpointUri?: string | null;
  applicationId?: string | null;
  status: FlowStatus;
  validationErrors: FlowJsonProblem[];
  jsonVersion: string | null;
  /** Volatile: rotates and expires; never compared in diff. */
  previewUrl: string | null;
  previewExpiresAt: string | null;
}

export interface FlowAssetsInputs {
  waba: string;
  flowId: string;
  /** Used in messages only: which flow a problem belongs to. */
  flowName: string;
  /**
   * The Flow JSON text, exactly as uploaded. What the program sends; `check` keeps it in the deployment's
   * memory and returns only `flowJsonSha256`, so the state never holds the text (hooks/checked-json.ts).
   */
  flowJson?: string;
  /** Where the JSON came from (for file:line:column in messages); not compared. */
  sourcePath?: string;
  publish: boolean;
  /** Fetch the vendor's preview link (`previewUrl`) when no read of ours returned one: one call more per create or update. */
  preview?: boolean;
  /** The flow's endpoint URI (from the Flow), for the preview-time rules of endpoint flows; not compared. */
  endpointUri?: string;
  /** Promotion gate: the JSON another stack has published, which this one must equal; not compared. */
  promotion?: { stack: string; flowJsonSha256: string | null; status: string | null };
  /**
   * Informational, creation only (not compared): the Flow adopts an existing flow, by id or by name, so
   * the first preview can say what changes about that flow's JSON (provider/hooks/adoption-preview.ts).
   */
  adopt?: { flowId?: string; byName?: boolean };
  /** Computed by check: canonical hash of `flowJson`, what diff compares. */
  flowJsonSha256?: string;
  /** Computed by check: SHA-256 of the exact text it validated, so the next check of the same text skips the validator. Not compared. */
  checkedTextSha256?: string;
  /** The Flow's categories (informational, not compared): a replacement needs them, and they spare a read. */
  categories?: string[];
}

/** Outputs deliberately omit the JSON text itself: it is already in the inputs, and may be 10 MB. */
export interface FlowAssetsOutputs extends Partial<LiveFlowOutputs> {
  schemaVersion: number;
  vendor: string;
  waba: string;
  /** The flow id given as input (the Flow resource's). */
  flowId: string;
  /** The flow now live for these assets: `flowId`, or the replacement this resource published. */
  liveFlowId?: string;
  flowName: string;
  sourcePath: string | null;
  publish: boolean;
  flowJsonSha256: string;
  /** Compact per-screen summary of the deployed JSON, so a preview can say what changed (../lifecycle/flow-diff.ts). */
  fingerprint?: import("./lifecycle/flow-diff").FlowFingerprint;
  /**
   * Gzip+base64 copy of the deployed JSON, when small enough (../flow-copy.ts): the rollback source of a
   * rejected upload over the live flow, and what a preview describes changes from. Then no fingerprint.
   */
  flowJsonCopy?: string;
  status: FlowStatus;
  validationErrors: FlowJsonProblem[];
  jsonVersion: string | null;
  previewUrl: string | null;
  previewExpiresAt: string | null;
}
