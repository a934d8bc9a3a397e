/**
 * 360dialog Partner API, message templates: `GET|POST /api/v2/partners/{partner_id}/waba_accounts/
 * {waba_account_id}/waba_templates` (documented), `PATCH …/waba_templates/{template_id}` (edit: not in
 * the Partner reference, used by clients; served under Meta's edit rules) and `DELETE
 * …/waba_templates/{template_name}` (every language, as 360dialog's documented Messaging API delete).
 * Meta-shaped snake_case bodies, lower-case statuses, `external_id` = Meta's id. Sources: docs/templates.md.
 */
import { createHash } from "node:crypto";
import type { FlowStore } from "../../core/store";
import { isTemplateError, TemplateError, type TemplateRecord, type TemplateStore } from "../../core/templates";
import type { WabaRecord } from "../../core/types";
import { jsonObject } from "../common";
import type { Dialog360Dialect } from "../dialog360";
import type { DialectCall, WireRequest, WireResponse } from "../types";
import { TEMPLATE_ACTIONS, type TemplateDialect, type TemplateOp } from "./shared";

const PREFIX = /^\/api\/v2\/partners\/([^/]+)\/waba_accounts\/([^/]+)\/waba_templates(?:\/([^/]+))?\/?$/;
const OPERATIONS: Record<TemplateOp, string> = {
  create: "CreateWabaTemplate",
  get: "GetWabaTemplate",
  list: "ListWabaTemplates",
  update: "UpdateWabaTemplate",
  delete: "DeleteWabaTemplate",
};
/** Members of the create body (closed schema) and of the edit body. */
const CREATE_MEMBERS = [
  "name",
  "category",
  "language",
  "components",
  "allow_category_change",
  "message_send_ttl_seconds",
  "cta_url_link_tracking_opted_out",
];
const EDIT_MEMBERS = ["components", "category", "allow_category_change", "message_send_ttl_seconds"];
export const DIALOG360_TEMPLATE_DEFAULT_LIMIT = 1000;

/** 360dialog's own template id (not Meta's: that one is `external_id`). */
export const dialog360TemplateId = (metaId: string) =>
  createHash("sha256").update(`360dialog/template/${metaId}`).digest("hex").slice(0, 24);

interface Account {
  waba: WabaRecord;
  partnerId: string;
  wabaAccountId: string;
}

class WireError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function checkMembers(body: Record<string, unknown> | undefined, allowed: string[], required: string[]): Record<string, unknown> {
  if (!body) throw new WireError(400, "Wrong payload", { json: { _schema: ["Invalid input type."] } });
  const errs: Record<string, string[]> = {};
  for (const r of required) if (body[r] === undefined) errs[r] = ["Missing data for required field."];
  for (const k of Object.keys(body)) if (!allowed.includes(k)) errs[k] = ["Unknown field."];
  for (const k of ["name", "category", "language"])
    if (body[k] !== undefined && typeof body[k] !== "string") errs[k] = ["Not a valid string."];
  if (body.components !== undefined && !Array.isArray(body.components)) errs.components = ["Not a valid list."];
  if (Object.keys(errs).length > 0) throw new WireError(400, "Wrong payload", { json: errs });
  return body;
}

export class Dialog360TemplateDialect implements TemplateDialect {
  readonly vendor = "360dialog" as const;

  constructor(private readonly flowDialect: Dialog360Dialect) {}

  resolve(req: WireRequest, flows: FlowStore, templates: TemplateStore): DialectCall | undefined {
    const m = PREFIX.exec(req.path);
    if (!m) return undefined;
    const [, p, w, x] = m;
    const sub = x === undefined ? undefined : decodeURIComponent(x);
    const op: TemplateOp | undefined =
      sub === undefined
        ? req.method === "GET"
          ? "list"
          : req.method === "POST"
            ? "create"
            : undefined
        : req.method === "PATCH"
          ? "update"
          : req.method === "DELETE"
            ? "delete"
            : undefined;
    if (!op) return undefined;
    const body = op === "create" || op === "update" ? jsonObject(req.body) : undefined;
    return {
      operation: OPERATIONS[op],
      action: TEMPLATE_ACTIONS[op],
      uploadsJson: false,
      logBody: body ?? null,
      execute: () => {
        const denied = this.flowDialect.authFailure(req);
        if (denied) return denied;
        try {
          const waba = this.flowDialect.account(flows, decodeURIComponent(p), decodeURIComponent(w));
          return this.run(op, { waba, partnerId: decodeURIComponent(p), wabaAccountId: decodeURIComponent(w) }, sub, body, req, templates);
        } catch (e) {
          if (e instanceof WireError) return this.error(e.status, e.message, e.details);
          if (isTemplateError(e)) {
            if (e.kind === "TEMPLATE_NOT_FOUND" || e.kind === "WABA_NOT_FOUND")
              return this.flowDialect.error({ status: 404, message: e.message });
            return this.flowDialect.error({ status: 400, message: e.message, code: e.code, subcode: e.subcode });
          }
          const status = (e as { status?: unknown }).status;
          if (typeof status === "number") return this.flowDialect.error({ status, message: (e as Error).message });
          return this.flowDialect.error({ status: 500, message: `Internal server error: ${(e as Error).message}` });
        }
      },
    };
  }

  /** The flow dialect's envelope, with marshmallow-style `details` for payload errors. */
  private error(status: number, message: string, details?: Record<string, unknown>): WireResponse {
    const r = this.flowDialect.error({ status, message });
    if (details && r.body && typeof r.body === "object" && !Buffer.isBuffer(r.body)) {
      const b = r.body as { meta?: Record<string, unknown> };
      if (b.meta) b.meta.details = details;
    }
    return r;
  }

  private out(t: TemplateRecord, a: Account): Record<string, unknown> {
    return {
      id: dialog360TemplateId(t.id),
      external_id: t.id,
      name: t.name,
      language: t.language,
      category: t.category,
      components: structuredClone(t.components),
      status: t.status.toLowerCase(),
      rejected_reason: t.rejectedReason,
      quality_score: { score: t.qualityScore, date: t.updatedAt },
      namespace: a.waba.messageTemplateNamespace,
      partner_id: a.partnerId,
      waba_account_id: a.wabaAccountId,
      created_at: t.createdAt,
      modified_at: t.updatedAt,
    };
  }

  private byId(waba: WabaRecord, id: string, templates: TemplateStore): TemplateRecord {
    const t = templates.list(waba.id).find((x) => dialog360TemplateId(x.id) === id || x.id === id);
    if (!t) throw new TemplateError("TEMPLATE_NOT_FOUND", 100, `Template ${id} not found`);
    return t;
  }

  private run(
    op: TemplateOp,
    a: Account,
    sub: string | undefined,
    body: Record<string, unknown> | undefined,
    req: WireRequest,
    templates: TemplateStore,
  ): WireResponse {
    const ok = (status: number, b: object): WireResponse => ({ status, headers: { "content-type": "application/json" }, body: b });
    const waba = a.waba;
    switch (op) {
      case "create": {
        const b = checkMembers(body, CREATE_MEMBERS, ["name", "category", "language", "components"]);
        const t = templates.create(waba.id, {
          name: b.name as string,
          language: b.language as string,
          category: b.category as string,
          components: b.components as Record<string, unknown>[],
          messageSendTtlSeconds: typeof b.message_send_ttl_seconds === "number" ? b.message_send_ttl_seconds : undefined,
        });
        return ok(201, this.out(t, a));
      }
      case "update": {
        const b = checkMembers(body, EDIT_MEMBERS, []);
        const t = this.byId(waba, sub!, templates);
        templates.edit(waba.id, t.id, {
          category: b.category as string | undefined,
          components: b.components as Record<string, unknown>[] | undefined,
          messageSendTtlSeconds: typeof b.message_send_ttl_seconds === "number" ? b.message_send_ttl_seconds : undefined,
        });
        return ok(200, { success: true });
      }
      case "delete": {
        templates.deleteByName(waba.id, sub!);
        return ok(200, { meta: { developer_message: `Template ${sub} deleted`, http_code: 200, success: true } });
      }
      case "get":
        throw new WireError(404, "Not found");
      case "list": {
        const num = (k: string, def: number) => {
          const v = req.query.get(k);
          if (v === null) return def;
          if (!/^\d+$/.test(v)) throw new WireError(400, "Wrong payload", { query: { [k]: ["Not a valid integer."] } });
          return Number(v);
        };
        const limit = num("limit", DIALOG360_TEMPLATE_DEFAULT_LIMIT);
        const offset = num("offset", 0);
        let filters: Record<string, unknown> = {};
        const f = req.query.get("filters");
        if (f !== null) {
          try {
            const parsed = JSON.parse(f);
            if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
            filters = parsed as Record<string, unknown>;
          } catch {
            throw new WireError(400, "Wrong payload", { query: { filters: ["Not a valid JSON object."] } });
          }
        }
        const eq = (want: unknown, have: string) =>
          want === undefined || (typeof want === "string" && want.toLowerCase() === have.toLowerCase());
        const all = templates
          .list(waba.id)
          .filter(
            (t) =>
              eq(filters["business_templates.name"] ?? filters.name, t.name) &&
              eq(filters.status, t.status) &&
              eq(filters.category, t.category) &&
              eq(filters.language, t.language) &&
              (filters.id === undefined || filters.id === dialog360TemplateId(t.id)),
          );
        const page = all.slice(offset, offset + limit);
        return ok(200, {
          count: page.length,
          filters,
          limit,
          offset,
          sort: [req.query.get("sort") ?? "id"],
          total: all.length,
          waba_templates: page.map((t) => this.out(t, a)),
        });
      }
    }
  }
}
