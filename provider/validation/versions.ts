/**
 * Flow JSON versions as data (reference: Meta's versioning guide and changelog, AWS limitations page).
 * Change this table, not code, when Meta freezes or releases a version.
 *
 * - `active`: can be created, updated, published.
 * - `frozen`: can no longer be created/updated/published (`UNSUPPORTED_FLOW_JSON_VERSION`, an error kept in its
 *   own `error_type` "FLOW_JSON_VERSION_ERROR" so callers can tell it apart from structural errors).
 * - `early`: accepted by Meta's builder but not in a public changelog (7.4) — a warning in general.
 *
 * A version not in the table but well-formed (`major.minor`) is "unknown": a warning
 * (`UNAVAILABLE_FLOW_JSON_VERSION`, severity warning) for Meta targets; for `target: "aws"` it is an error with
 * the same code, because AWS End User Messaging Social only accepts the versions marked `aws: true`.
 */
export type FlowJsonVersionStatus = "active" | "frozen" | "early";

export interface FlowJsonVersionInfo {
  version: string;
  status: FlowJsonVersionStatus;
  /** Date the version was frozen (ISO), when frozen. */
  frozenOn?: string;
  /** Release date (ISO), when known. */
  released?: string;
  /** Accepted by AWS End User Messaging Social. */
  aws: boolean;
  notes?: string;
}

export const FLOW_JSON_VERSIONS: readonly FlowJsonVersionInfo[] = [
  { version: "2.1", status: "frozen", frozenOn: "2025-04-08", aws: false },
  { version: "3.0", status: "frozen", frozenOn: "2025-04-08", aws: false },
  { version: "3.1", status: "frozen", frozenOn: "2025-04-08", aws: false },
  {
    version: "4.0",
    status: "frozen",
    frozenOn: "2025-04-08",
    aws: false,
    notes: "If, Switch, PhotoPicker, DocumentPicker, global references",
  },
  { version: "5.0", status: "frozen", frozenOn: "2025-09-10", aws: false, notes: "DatePicker dates as YYYY-MM-DD" },
  { version: "5.1", status: "active", aws: true, notes: "RichText, markdown, sensitive" },
  { version: "6.0", status: "active", released: "2024-11-12", aws: true, notes: "no empty strings, update_data, open_url" },
  { version: "6.1", status: "active", released: "2024-11-12", aws: true, notes: "CalendarPicker" },
  { version: "6.2", status: "active", released: "2024-12-10", aws: true, notes: "NavigationList, TextInput pattern" },
  { version: "6.3", status: "active", released: "2025-01-14", aws: true, notes: "ChipsSelector, RichText with Footer" },
  { version: "7.0", status: "active", released: "2025-03-11", aws: true, notes: "label-variant" },
  { version: "7.1", status: "active", released: "2025-06-10", aws: true, notes: "ImageCarousel" },
  { version: "7.2", status: "active", released: "2025-07-08", aws: true },
  { version: "7.3", status: "active", released: "2025-09-10", aws: true, notes: "recommended; Data API 4.0" },
  { version: "7.4", status: "early", aws: false, notes: "accepted by Meta's Flow Builder, in no public changelog" },
];

/** Data API versions accepted in `data_api_version`, with the first Flow JSON version allowing each. */
export const DATA_API_VERSIONS: Readonly<Record<string, string>> = { "3.0": "2.1", "4.0": "7.3" };

export const LATEST_FLOW_JSON_VERSION = "7.3";

export function versionInfo(version: string): FlowJsonVersionInfo | undefined {
  return FLOW_JSON_VERSIONS.find((v) => v.version === version);
}

/** `major.minor` as a comparable number (7.3 → 703); NaN when malformed. */
export function versionNumber(version: string): number {
  const m = /^(\d{1,3})\.(\d{1,2})$/.exec(version);
  return m ? Number(m[1]) * 100 + Number(m[2]) : NaN;
}

/** True when `version` ≥ `since` ("6.0" style). */
export function atLeast(version: number, since: string): boolean {
  return version >= versionNumber(since);
}
