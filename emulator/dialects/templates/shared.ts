/**
 * What the template dialects share: the interface the server calls, neutral action names, Meta's
 * template JSON (which AWS and 360dialog relay), and 8x8's camelCase translation.
 */
import type { FlowStore } from "../../core/store";
import type { TemplateRecord, TemplateStore } from "../../core/templates";
import type { Vendor } from "../../core/types";
import type { DialectCall, NeutralAction, WireRequest } from "../types";

/** A vendor's template API: resolves only template requests (undefined otherwise); errors use the vendor's flow dialect. */
export interface TemplateDialect {
  readonly vendor: Vendor;
  resolve(req: WireRequest, flows: FlowStore, templates: TemplateStore): DialectCall | undefined;
}

export type TemplateOp = "create" | "get" | "list" | "update" | "delete";
export const TEMPLATE_ACTIONS: Record<TemplateOp, NeutralAction> = {
  create: "CreateTemplate",
  get: "GetTemplate",
  list: "ListTemplates",
  update: "UpdateTemplate",
  delete: "DeleteTemplate",
};

/** Every field of Meta's WhatsAppMessageTemplate node the emulator serves. */
export const META_TEMPLATE_FIELDS = [
  "id",
  "name",
  "language",
  "status",
  "category",
  "components",
  "parameter_format",
  "message_send_ttl_seconds",
  "rejected_reason",
  "quality_score",
] as const;
/** Fields answered when the caller sends no `fields`. */
export const META_TEMPLATE_DEFAULT_FIELDS = ["name", "parameter_format", "components", "language", "status", "category", "id"];

/** The template as Meta's Graph API shows it (all fields). */
export function metaTemplateJson(t: TemplateRecord): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    language: t.language,
    status: t.status,
    category: t.category,
    components: structuredClone(t.components),
    parameter_format: t.parameterFormat ?? "POSITIONAL",
    ...(t.messageSendTtlSeconds !== undefined ? { message_send_ttl_seconds: t.messageSendTtlSeconds } : {}),
    rejected_reason: t.rejectedReason,
    quality_score: { score: t.qualityScore, date: Math.floor(Date.parse(t.updatedAt) / 1000) },
  };
}

/** Parses a JSON-valued parameter that may arrive as a JSON value or as JSON text (form encodings). */
export function jsonValue(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

// ------------------------------------------------------------------------------- 8x8 translation

const FORMAT_8X8: Record<string, string> = {
  TEXT: "Text",
  IMAGE: "Image",
  GIF: "Gif",
  VIDEO: "Video",
  DOCUMENT: "Document",
  LOCATION: "Location",
};
const BUTTON_KEYS_8X8: Record<string, string> = {
  flowId: "flow_id",
  flowAction: "flow_action",
  navigateScreen: "navigate_screen",
  phoneNumber: "phone_number",
  ttlMinutes: "ttl_minutes",
};
const BUTTON_KEYS_META = Object.fromEntries(Object.entries(BUTTON_KEYS_8X8).map(([a, b]) => [b, a]));

/** 8x8 components (camelCase buttons, mixed-case format, `examples` lists) → Meta's shape. */
export function componentsFrom8x8(components: unknown): unknown {
  if (!Array.isArray(components)) return components;
  return components.map((c) => {
    if (!c || typeof c !== "object" || Array.isArray(c)) return c;
    const o: Record<string, unknown> = {};
    const type =
      typeof (c as Record<string, unknown>).type === "string" ? String((c as Record<string, unknown>).type).toUpperCase() : undefined;
    for (const [k, v] of Object.entries(c as Record<string, unknown>)) {
      if (k === "type") o.type = type;
      else if (k === "format" && typeof v === "string") o.format = v.toUpperCase();
      else if (k === "examples" && Array.isArray(v)) {
        if (type === "BODY") o.example = { body_text: [v] };
        else if (type === "HEADER") o.example = { header_text: v };
        else o.examples = v;
      } else if (k === "buttons" && Array.isArray(v)) {
        o.buttons = v.map((b) =>
          b && typeof b === "object" && !Array.isArray(b)
            ? Object.fromEntries(
                Object.entries(b as Record<string, unknown>).map(([bk, bv]) => [
                  BUTTON_KEYS_8X8[bk] ?? bk,
                  bk === "type" && typeof bv === "string" ? bv.toUpperCase() : bv,
                ]),
              )
            : b,
        );
      } else o[k] = v;
    }
    return o;
  });
}

/** Meta's components → 8x8's list shape. */
export function componentsTo8x8(components: Record<string, unknown>[]): Record<string, unknown>[] {
  return components.map((c) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) {
      if (k === "format" && typeof v === "string") o.format = FORMAT_8X8[v.toUpperCase()] ?? v;
      else if (k === "example" && v && typeof v === "object") {
        const e = v as Record<string, unknown>;
        if (Array.isArray(e.body_text) && Array.isArray(e.body_text[0])) o.examples = e.body_text[0];
        else if (Array.isArray(e.header_text)) o.examples = e.header_text;
      } else if (k === "buttons" && Array.isArray(v)) {
        o.buttons = v.map((b) =>
          Object.fromEntries(Object.entries(b as Record<string, unknown>).map(([bk, bv]) => [BUTTON_KEYS_META[bk] ?? bk, bv])),
        );
      } else o[k] = v;
    }
    return o;
  });
}
