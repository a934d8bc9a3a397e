/**
 * Vendor-neutral data model of the emulator. Dialects (AWS, Meta Graph, 360dialog, 8x8)
 * translate their wire format to and from these shapes; nothing here knows about HTTP or casing.
 */

export type FlowStatus = "DRAFT" | "PUBLISHED" | "DEPRECATED" | "BLOCKED" | "THROTTLED";
export const FLOW_STATUSES: readonly FlowStatus[] = ["DRAFT", "PUBLISHED", "DEPRECATED", "BLOCKED", "THROTTLED"];

import { VENDOR_NAMES, type VendorName } from "../../provider/vendors/registry";

/** Union of the category values any vendor accepts (AWS adds SHOPPING to Meta's eight): the provider's list. */
export { FLOW_CATEGORIES, type FlowCategory } from "../../provider/model";

/**
 * A Meta-shaped validation problem (`validation_errors[]` item, snake_case, no severity).
 * Kept as a loose record: injected faults may carry any fields.
 */
export type ValidationProblem = Record<string, unknown>;

export interface PhoneNumberRecord {
  /** AWS phone number id, `phone-number-id-<32 hex>`. */
  id: string;
  arn: string;
  phoneNumber: string;
  metaPhoneNumberId: string;
  displayPhoneNumberName: string;
  displayPhoneNumber: string;
  qualityRating: string;
}

/**
 * The vendors the emulator speaks, as they appear in logs, fault rules, account references and URLs:
 * the provider registry's names (provider/vendors/registry.ts), one dialect each.
 */
export type Vendor = VendorName;
export const VENDORS: readonly Vendor[] = VENDOR_NAMES;

/**
 * One WhatsApp Business Account, with the identifiers each vendor addresses it by. The core keys
 * accounts by `id` (which is also the AWS linked-WABA id, so AWS state files keep working); every
 * dialect finds the account by its own identifiers.
 */
export interface WabaRecord {
  /** Emulator account key, and the AWS linked-WABA id (`waba-<32 hex>`). */
  id: string;
  /** Human name ("dev", "prod"). */
  name: string;
  /** Meta's numeric WABA id (Graph path, `whatsapp_business_account.id` everywhere). */
  metaWabaId: string;
  /** AWS WABA ARN (accepted wherever the AWS API takes an `id`). */
  arn: string;
  /** 360dialog Partner API ids: `/api/v2/partners/{partnerId}/waba_accounts/{wabaAccountId}`. */
  dialog360: { partnerId: string; wabaAccountId: string };
  /** 8x8 Chat Apps ids: `/api/v1/accounts/{accountId}/channels/{channelId}`. */
  eightByEight: { accountId: string; channelId: string };
  /** Link date, epoch seconds. */
  linkDate: number;
  registrationStatus: string;
  currency: string;
  timezoneId: string;
  messageTemplateNamespace: string;
  phoneNumbers: PhoneNumberRecord[];
}

/** Input for configuring WABAs: only `name` is required, the rest is derived deterministically from it. */
export interface WabaInput {
  name: string;
  /** AWS linked-WABA id (also the emulator's account key). */
  id?: string;
  metaWabaId?: string;
  arn?: string;
  dialog360?: { partnerId?: string; wabaAccountId?: string };
  eightByEight?: { accountId?: string; channelId?: string };
  linkDate?: number;
  registrationStatus?: string;
  currency?: string;
  timezoneId?: string;
}

/**
 * How a vendor treats an edit (metadata or Flow JSON) of a PUBLISHED / THROTTLED / BLOCKED flow:
 * `redraft` = the edit succeeds and the flow goes back to DRAFT (AWS, Meta new-style flows);
 * `refuse` = the edit is refused (8x8; 360dialog as documented). DEPRECATED flows refuse every edit.
 */
export type PublishedEditRule = "redraft" | "refuse";

export interface PreviewRecord {
  previewUrl: string;
  /** ISO-like Meta timestamp string, e.g. `2025-06-01T10:00:00+0000`. */
  expiresAt: string;
  /** Epoch milliseconds, for expiry checks. */
  expiresAtMs: number;
}

export interface FlowRecord {
  id: string;
  wabaId: string;
  name: string;
  categories: string[];
  status: FlowStatus;
  /** The stored flow.json bytes, base64 (exact bytes as uploaded); null when no asset was ever uploaded. */
  jsonBase64: string | null;
  /** Hex SHA-256 of the stored bytes (null without JSON). */
  jsonSha256: string | null;
  /** `version` / `data_api_version` read from the stored JSON, when it parses. */
  jsonVersion: string | null;
  dataApiVersion: string | null;
  /** Problems found in the stored JSON (or injected), Meta-shaped without severity. */
  validationErrors: ValidationProblem[];
  preview: PreviewRecord | null;
  /** Endpoint URI set through the API (Meta `endpoint_uri`, 8x8 `endPointUri`); absent = none. */
  endpointUri?: string | null;
  /** Application id set through the API (Meta `application_id`, 8x8 `applicationId`); absent = none. */
  applicationId?: string | null;
  /** Meta legacy flow (created before Nov 2024): edits of it while published answer 139001. */
  legacy?: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a programmatic/admin caller sees of a flow. */
export interface FlowView {
  flowId: string;
  wabaId: string;
  name: string;
  categories: string[];
  status: FlowStatus;
  /** The stored JSON as UTF-8 text, or null when none was uploaded. */
  flowJson: string | null;
  flowJsonBytes: number | null;
  flowJsonSha256: string | null;
  jsonVersion: string | null;
  dataApiVersion: string | null;
  validationErrors: ValidationProblem[];
  preview: { previewUrl: string; expiresAt: string } | null;
  endpointUri: string | null;
  applicationId: string | null;
  legacy: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Out-of-band change a human (WhatsApp Manager) or Meta monitoring could make. */
export interface FlowPatch {
  status?: FlowStatus;
  name?: string;
  categories?: string[];
  /** Replace the JSON: a string is stored as-is (UTF-8), an object is JSON.stringify'd with 2-space indent. */
  flowJson?: string | object;
  /** Override the validation errors reported for the stored JSON. */
  validationErrors?: ValidationProblem[];
  /** Make the flow a Meta legacy flow (published edits answer 139001 "Flow can't be updated") or not. */
  legacy?: boolean;
  /** Set (or clear, with null) the endpoint URI, as another client of the same WABA could (e.g. Graph). */
  endpointUri?: string | null;
}

export interface PersistedState {
  format: "whatsapp-flows-emulator/1";
  nextFlowSeq: number;
  previewSeq: number;
  wabas: WabaRecord[];
  flows: FlowRecord[];
}
