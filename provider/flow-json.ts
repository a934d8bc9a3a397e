/**
 * Facts about a Flow JSON document that the provider, the validator and the emulator all use: one copy.
 */

/** The largest Flow JSON any vendor takes: 10 MB, 10,485,760 bytes (Meta's asset limit, which every vendor keeps). */
export const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;

/**
 * A document's `version` or `data_api_version` as text, the way vendors report `json_version`: a string
 * as it is, a number as its text (`7.2`); anything else (absent, an object…) is undefined.
 */
export function versionText(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** `version` and `data_api_version` of a Flow JSON text; both undefined when it does not parse as an object. */
export function flowJsonVersions(flowJson: string): { version?: string; dataApiVersion?: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(flowJson);
  } catch {
    return {};
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return {};
  const d = doc as { version?: unknown; data_api_version?: unknown };
  return { version: versionText(d.version), dataApiVersion: versionText(d.data_api_version) };
}
