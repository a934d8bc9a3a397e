/**
 * The data the resources exchange with Pulumi: checked inputs and recorded outputs of `Flow` and
 * `FlowAssets`. Plain JSON only (no `undefined`, no class instances): these objects travel through
 * protobuf Structs and land in state.
 */
import type { FlowJsonProblem } from "./validation/types";
import type { FlowInputs } from "./hooks/inputs";

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

/** The statuses Meta documents for a flow (every vendor reports Meta's). */
export const FLOW_STATUSES = ["DRAFT", "PUBLISHED", "DEPRECATED", "THROTTLED", "BLOCKED"] as const;

/**
 * A flow's status: one of Meta's, or `UNKNOWN` when a vendor answered none or one this code does not
 * know (a read never fails on a status: the planner never calls such a flow live, and never deletes it).
 */
export type FlowStatus = (typeof FLOW_STATUSES)[number] | "UNKNOWN";

/** A vendor's status text as a FlowStatus. */
export const flowStatusOf = (s: unknown): FlowStatus =>
  typeof s === "string" && (FLOW_STATUSES as readonly string[]).includes(s) ? (s as FlowStatus) : "UNKNOWN";

/** Flow ids are Meta's numeric ids on every vendor (what inputs and the emulator accept). */
export const FLOW_ID_PATTERN = /^[0-9]{1,100}$/;

export { MAX_FLOW_JSON_BYTES } from "./flow-json";

/** What Pulumi sends for a value not known yet during preview (runtime/rpc.ts `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const isUnknown = (v: unknown): boolean => v === UNKNOWN || (Array.isArray(v) && v.some((x) => x === UNKNOWN));

/**
 * The program's `pulumi.runtime.isDryRun()`, which the SDK hands to `FlowAssets` under this input so the
 * provider knows a preview from an update (the engine tells a dynamic provider neither). `check` takes it
 * out of the inputs (hooks/deployment-mode.ts): it never reaches the state, a diff, or `preview --diff`.
 */
export const DRY_RUN_INPUT = "__dryRun";

/** Bumped when the shape of recorded outputs changes, so newer code can read older state. */
export const STATE_SCHEMA_VERSION = 2;

/** The checked inputs are what the zod schemas of hooks/inputs.ts produce (`z.output`), not a copy of them. */
export type { FlowInputs, FlowAssetsInputs } from "./hooks/inputs";

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
  /**
   * Flows a replacement kept PUBLISHED because templates still sent them (absent or empty normally): the
   * templates are repointed, then retire them; this resource's next update and its delete retry.
   */
  retiringFlowIds: string[];
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
  /**
   * Set by the create only, when it carried the Flow JSON (WhatsAppFlow's `initialAssets`): the hash of that
   * JSON and the status the create left. Its FlowAssets, when it has no state yet (e.g. the engine stopped
   * after this create: an exhausted call budget), plans from it instead of reading and downloading the flow.
   * Dropped by every later operation of the Flow.
   */
  createdWith?: { flowJsonSha256: string; status: FlowStatus };
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
  fingerprint?: FlowFingerprint;
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

/** Bumped when the shape of the fingerprint changes; a fingerprint of another format is not compared (lifecycle/flow-diff.ts computes them). */
export const FLOW_FINGERPRINT_FORMAT = 1;

/** One screen of a fingerprint. Optional keys are omitted, never `undefined`. */
export interface ScreenFingerprint {
  /** The screen's id (cut to 64 characters); `#<index>` without a string id; `<id>#<n>` for a repeated id. */
  id: string;
  /** Hash of the canonical screen (8 characters). */
  h: string;
  /** Hash of the screen's routes in `routing_model`; omitted when it has none (or when not kept). */
  r?: string;
  /** Hash (4 characters) per property other than `id` and `layout.children`; omitted when not kept for size. */
  p?: Record<string, string>;
  /**
   * Components in order, joined by `|`, each a key then a 4-character hash: `TI:emailAbC1|TH0x_9Z`
   * (`recordedComponents` reads it). Key: a two-letter type code (`*Type*` for other types, `?`
   * without a type), then `:name`, or the index among unnamed components of that type; `#n` for a
   * repeated key. Omitted when not kept for size; `""` for a screen without components.
   */
  c?: string;
}

/** A compact summary of a Flow JSON, plain JSON (no `undefined`), meant to be kept in state. */
export interface FlowFingerprint {
  format: typeof FLOW_FINGERPRINT_FORMAT;
  /** `unparsable`: not JSON; `other`: JSON but not an object with a `screens` array. */
  kind: "flow" | "unparsable" | "other";
  /** Hash of the canonical document (of the raw text when it does not parse). */
  h: string;
  /** Length of the Flow JSON text, in characters. */
  size: number;
  version: string | null;
  dataApiVersion: string | null;
  /** Hash of `routing_model`; null when absent. */
  routing: string | null;
  /** Hash per other top-level key (`meta`, `data_channel_uri`, unknown keys). */
  top: Record<string, string>;
  screenCount: number;
  /** Null when not a flow, or when even one line per screen did not fit the budget. */
  screens: ScreenFingerprint[] | null;
}
