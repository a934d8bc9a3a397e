/**
 * Typed, vendor-neutral failures of the lifecycle core. Each dialect maps `kind` (plus Meta's code and
 * text) onto its own envelope: AWS → exception class + status, Meta Graph → `{error:{code,…}}`, etc.
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
  /** Publish refused because the stored JSON has validation errors (Meta 139002). */
  | "HAS_VALIDATION_ERRORS"
  /** Request is well-formed on the wire but semantically bad (Meta 100). */
  | "INVALID_ARGUMENT";

export class CoreError extends Error {
  constructor(
    readonly kind: CoreErrorKind,
    readonly metaCode: number,
    message: string,
    readonly metaSubcode?: number,
  ) {
    super(message);
    this.name = "CoreError";
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
  previewDeprecated: "Can't generate preview for a deprecated Flow",
} as const;

export const isCoreError = (e: unknown): e is CoreError => e instanceof CoreError;
