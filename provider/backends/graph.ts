/**
 * Meta's Graph flow object, as Meta answers it and 360dialog passes it through (same snake_case fields):
 * the one mapper from it to our RemoteFlow, for backends/meta.ts and backends/dialog360.ts.
 */
import { flowStatusOf } from "../model";
import { normaliseVendorErrors } from "../validation/vendor";
import type { RemoteFlow, RemoteFlowSummary } from "./types";
import { anything, list, read, record, text, texts } from "./http-backend";

/** A flow's preview: `{preview_url, expires_at}` (expiry as `2025-06-01T10:00:00+0000`). */
export const GraphPreviewSchema = record({ preview_url: text, expires_at: text });

/**
 * `GET /{flow-id}?fields=id,name,status,categories,validation_errors,json_version,preview,health_status,endpoint_uri,application`
 * (https://developers.facebook.com/docs/whatsapp/flows/reference/flowsapi): one flow. 360dialog's Get
 * carries the same fields but `health_status` and `application`.
 */
export const GraphFlowSchema = record({
  id: text,
  name: text,
  /** DRAFT | PUBLISHED | DEPRECATED | BLOCKED | THROTTLED. */
  status: text,
  categories: texts,
  /** Meta's validation problems, `{error, error_type, message, line_start, …, pointers}`. */
  validation_errors: list,
  json_version: text,
  preview: GraphPreviewSchema,
  /** `can_send_message`: AVAILABLE | LIMITED | BLOCKED. */
  health_status: record({ can_send_message: text }),
  endpoint_uri: text,
  /** The connected app (`{id, name, link}`). */
  application: record({ id: text }),
});

/** The fields a vendor's Get reports besides the common ones. */
export interface GraphFlowFields {
  /** `health_status` (Meta). */
  health: boolean;
  /** `application` (Meta). */
  application: boolean;
}

/** One Graph flow answer as a RemoteFlow; fields the vendor does not report stay undefined (never invented drift). */
export function graphFlow(body: unknown, flowId: string, fields: GraphFlowFields): RemoteFlow {
  const f = read(GraphFlowSchema, body);
  return {
    id: f.id ?? flowId,
    name: f.name ?? "",
    status: flowStatusOf(f.status),
    categories: f.categories,
    validationErrors: normaliseVendorErrors(f.validation_errors),
    jsonVersion: f.json_version ?? null,
    previewUrl: f.preview.preview_url ?? null,
    previewExpiresAt: f.preview.expires_at ?? null,
    ...(fields.health ? { healthStatus: f.health_status.can_send_message ?? null } : {}),
    endpointUri: f.endpoint_uri ?? null,
    ...(fields.application ? { applicationId: f.application.id ?? null } : {}),
  };
}

/** A list entry (`fields=id,name,status,categories`). */
export const GraphFlowSummarySchema = record({ id: text, name: text, status: text, categories: texts });

export function graphSummary(entry: unknown): RemoteFlowSummary {
  const f = read(GraphFlowSummarySchema, entry);
  return { id: f.id ?? "", name: f.name ?? "", status: flowStatusOf(f.status), categories: f.categories };
}

/**
 * A preview answer's link, when it carries one: Meta's `GET /{flow}?fields=preview.invalidate(…)` answers
 * `{preview: {preview_url, expires_at}, id}`; 360dialog's `/preview` the same, or the preview object flat.
 */
export function graphPreview(body: unknown, flat: "flat-allowed" | "nested" = "nested"): { url: string; expiresAt: string } | undefined {
  const nested = read(record({ preview: anything }), body).preview;
  const p = read(GraphPreviewSchema, nested ?? (flat === "flat-allowed" ? body : undefined));
  return p.preview_url ? { url: p.preview_url, expiresAt: p.expires_at ?? "" } : undefined;
}
