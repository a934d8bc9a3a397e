/**
 * Typed, vendor-neutral failures of the lifecycle core: `(kind, code, subcode, message)`. `code` /
 * `subcode` are Meta's numbers (the partners relay Meta's objects) and `message` is Meta's text; each
 * dialect maps them onto its own envelope (AWS exception class, Graph `{error:{code,…}}`, 360dialog
 * `{meta:{…}}`, 8x8 `{code, message, errorId}`). Nothing here knows about HTTP.
 */
export type CoreErrorKind =
  /** Unknown account (WABA) for this vendor key. */
  | "WABA_NOT_FOUND"
  /** Unknown flow id, or a flow that lives in another WABA. */
  | "NOT_FOUND"
  /** Another flow of the WABA already has this name (Meta 100 "Flow name is not unique"). */
  | "NAME_TAKEN"
  /** Operation not allowed in the flow's current status (Meta 139001/139002/139003/139004). */
  | "INVALID_STATE"
  /**
   * An edit (metadata or Flow JSON) of a PUBLISHED / THROTTLED / BLOCKED flow that this vendor refuses
   * (8x8, 360dialog) or that a Meta legacy flow refuses (139001 "Flow can't be updated").
   */
  | "NOT_EDITABLE"
  /** Publish refused because the stored JSON has validation errors (Meta 139002). */
  | "HAS_VALIDATION_ERRORS"
  /** Request is well-formed on the wire but semantically bad (Meta 100). */
  | "INVALID_ARGUMENT";

export class CoreError extends Error {
  constructor(
    readonly kind: CoreErrorKind,
    /** Meta's error code (100, 139001…). */
    readonly code: number,
    message: string,
    /** Meta's error_subcode, when one applies. */
    readonly subcode?: number,
    /** Why an edit was refused (NOT_EDITABLE only): the vendor's rule, or a Meta legacy flow. */
    readonly reason?: "vendor-rule" | "legacy",
  ) {
    super(message);
    this.name = "CoreError";
  }

  /** @deprecated use `code` (kept for callers of the first release). */
  get metaCode(): number {
    return this.code;
  }
}

/** Meta's texts, verbatim, so clients can match on them. */
export const META_TEXT = {
  nameNotUnique: "Flow name is not unique",
  flowNotFound: "Flow with specified ID does not exist",
  publishInvalidState: "Publishing Flow in invalid state",
  publishValidationErrors: "Publishing Flow with validation errors",
  deprecateUnpublished: "Can't deprecate unpublished flow",
  alreadyDeprecated: "Flow is already deprecated",
  deletePublished: "Can't delete published Flow",
  cantUpdate: "Flow can't be updated",
  publishWithoutEndpoint:
    "Publishing Flow without an endpoint_uri: a Flow JSON with data_api_version (3.0 and later) needs the flow's endpoint URI",
  previewDeprecated: "Can't generate preview for a deprecated Flow",
  migrateNameExists: "Flow with the same name exists in destination WABA",
  migrateSourceMissing: "Flow with the specified name does not exist in source WABA",
} as const;

/** Meta's per-flow failure code of migrate_flows when the name exists in the destination. */
export const MIGRATE_NAME_EXISTS_CODE = 4233041;

export const isCoreError = (e: unknown): e is CoreError => e instanceof CoreError;
