/**
 * Admin endpoints of the template store (`/_emulator/templates…`), in the style of the flow ones:
 *   GET  /templates[?wabaId=]            → [{templateId, wabaId, name, language, status, category, flowIds}]
 *   GET  /templates/{id}                 → the full view (components, rejectedReason, qualityScore, edits, editsLeft…)
 *   POST|PATCH /templates/{id}           → TemplatePatch {status?, rejectedReason?, qualityScore?, category?}
 *   POST /templates/{id}/approve | /reject {reason?} | /pause | /disable   (Meta's review and monitoring)
 *   GET  /templates/blocked-names        → names a deletion blocks, with the end of the block
 *   PUT  /templates/review {reviewMs: number | null}  → changes the simulated review delay
 */
import { isTemplateError, type TemplatePatch, type TemplateStore } from "./core/templates";
import type { WireResponse } from "./dialects/types";

const json = (status: number, body: unknown): WireResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: body as object,
});

/** The answer to an admin request under `/templates`, or undefined when the route is not a template one. */
export function templateAdmin(
  method: string,
  route: string,
  query: URLSearchParams,
  input: unknown,
  templates: TemplateStore,
): WireResponse | undefined {
  if (route !== "/templates" && !route.startsWith("/templates/")) return undefined;
  try {
    if (route === "/templates" && method === "GET") return json(200, templates.all(query.get("wabaId") ?? undefined));
    if (route === "/templates/blocked-names" && method === "GET") return json(200, templates.blockedNames());
    if (route === "/templates/review" && (method === "PUT" || method === "POST")) {
      const ms = (input as { reviewMs?: unknown } | undefined)?.reviewMs;
      if (ms !== null && (typeof ms !== "number" || !(ms >= 0))) return json(400, { error: "reviewMs must be a number >= 0 or null" });
      templates.reviewMs = ms;
      return json(200, { reviewMs: ms });
    }
    const m = /^\/templates\/([^/]+)(?:\/(approve|reject|pause|disable))?$/.exec(route);
    if (!m) return json(404, { error: `no admin endpoint ${method} ${route}` });
    const id = decodeURIComponent(m[1]);
    const action = m[2];
    if (action === undefined) {
      if (method === "GET") {
        const v = templates.view(id);
        return v ? json(200, v) : json(404, { error: "template not found" });
      }
      if (method === "POST" || method === "PATCH") return json(200, templates.patch(id, (input ?? {}) as TemplatePatch));
      return json(404, { error: `no admin endpoint ${method} ${route}` });
    }
    if (method !== "POST") return json(404, { error: `no admin endpoint ${method} ${route}` });
    const reason = (input as { reason?: unknown } | undefined)?.reason;
    const patch: TemplatePatch =
      action === "approve"
        ? { status: "APPROVED" }
        : action === "reject"
          ? { status: "REJECTED", rejectedReason: typeof reason === "string" ? reason : "INVALID_FORMAT" }
          : action === "pause"
            ? { status: "PAUSED" }
            : { status: "DISABLED" };
    return json(200, templates.patch(id, patch));
  } catch (e) {
    if (isTemplateError(e)) return json(e.kind === "TEMPLATE_NOT_FOUND" ? 404 : 400, { error: e.message, kind: e.kind });
    return json(400, { error: (e as Error).message });
  }
}
