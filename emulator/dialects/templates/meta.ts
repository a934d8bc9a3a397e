/**
 * Meta Graph API, message templates: `GET|POST|DELETE /vNN.N/{WABA id}/message_templates` and
 * `GET|POST /vNN.N/{template id}`, with the flow dialect's parameter parsing, authentication and
 * `{error:{message,type,code,error_subcode,fbtrace_id}}` envelope. Sources: docs/templates.md.
 */
import type { FlowStore } from "../../core/store";
import { isTemplateError, type TemplateRecord, type TemplateStore } from "../../core/templates";
import type { WabaRecord } from "../../core/types";
import { GraphError, effectiveMethod, graphError, param, parseFields, readParams, select, type Params } from "../graph";
import type { MetaDialect } from "../meta";
import type { DialectCall, WireRequest, WireResponse } from "../types";
import {
  META_TEMPLATE_DEFAULT_FIELDS,
  META_TEMPLATE_FIELDS,
  TEMPLATE_ACTIONS,
  jsonValue,
  metaTemplateJson,
  type TemplateDialect,
  type TemplateOp,
} from "./shared";

const VERSIONED = /^\/v(\d+)\.(\d+)\/([^/]+)(?:\/([^/]+))?\/?$/;
const OPERATIONS: Record<TemplateOp, string> = {
  create: "CreateMessageTemplate",
  get: "GetMessageTemplate",
  list: "ListMessageTemplates",
  update: "UpdateMessageTemplate",
  delete: "DeleteMessageTemplate",
};
const META_MAX_PAGE_SIZE = 100;

const ok = (body: object): WireResponse => ({ status: 200, headers: { "content-type": "application/json; charset=UTF-8" }, body });

function str(p: Record<string, unknown>, k: string): string | undefined {
  const v = p[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return String(v);
  if (typeof v !== "string") throw param(`Param ${k} must be a string`);
  return v;
}
function int(p: Record<string, unknown>, k: string): number | undefined {
  const v = p[k];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw param(`Param ${k} must be an integer`);
  return n;
}
/** Filter lists: JSON arrays, JSON text or comma lists. */
function list(p: Record<string, unknown>, k: string): string[] | undefined {
  const v = jsonValue(p[k]);
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string")
    return v
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  throw param(`Param ${k} must be an array`);
}

export class MetaTemplateDialect implements TemplateDialect {
  readonly vendor = "meta" as const;

  constructor(
    private readonly flowDialect: MetaDialect,
    private readonly defaultPageSize = 20,
  ) {}

  private route(
    req: WireRequest,
    flows: FlowStore,
    templates: TemplateStore,
  ): { op: TemplateOp; waba: WabaRecord; templateId?: string; version: [string, string] } | undefined {
    const m = VERSIONED.exec(req.path);
    if (!m) return undefined;
    let method: string;
    try {
      method = effectiveMethod(req);
    } catch {
      return undefined; // the flow dialect answers the bad `method` parameter
    }
    const id = decodeURIComponent(m[3]);
    const edge = m[4] === undefined ? undefined : decodeURIComponent(m[4]);
    if (edge === "message_templates") {
      const waba = flows.findWabaBy((w) => w.metaWabaId === id);
      if (!waba) return undefined;
      const op: TemplateOp | undefined =
        method === "GET" ? "list" : method === "POST" ? "create" : method === "DELETE" ? "delete" : undefined;
      return op ? { op, waba, version: [m[1], m[2]] } : undefined;
    }
    if (edge !== undefined) return undefined;
    const owner = templates.ownerOf(id);
    if (owner === undefined) return undefined;
    const op: TemplateOp | undefined = method === "GET" ? "get" : method === "POST" ? "update" : undefined;
    return op ? { op, waba: flows.findWaba(owner)!, templateId: id, version: [m[1], m[2]] } : undefined;
  }

  resolve(req: WireRequest, flows: FlowStore, templates: TemplateStore): DialectCall | undefined {
    const r = this.route(req, flows, templates);
    if (!r) return undefined;
    const call: DialectCall = {
      operation: OPERATIONS[r.op],
      action: TEMPLATE_ACTIONS[r.op],
      uploadsJson: false,
      logBody: null,
      execute: async () => {
        // An expired Graph version is refused before the token is looked at, as for flows.
        const expired = this.flowDialect.versionFailure(r.version[0], r.version[1], flows);
        if (expired) return graphError(expired.status, expired.code, expired.message, expired.type);
        // Authenticated and charged to the WABA's budget like a flow call (README, "Budgets").
        return this.flowDialect.budgeted(req, r.waba.metaWabaId, async () => {
          try {
            const params = await readParams(req);
            call.logBody = params.logBody;
            return await this.run(r.op, r.waba, r.templateId, params, req, templates);
          } catch (e) {
            if (e instanceof GraphError) return graphError(e.status, e.code, e.message, e.type, e.subcode);
            if (isTemplateError(e)) return graphError(400, e.code, `(#${e.code}) ${e.message}`, "OAuthException", e.subcode);
            return graphError(500, 1, `An unknown error occurred (emulator: ${(e as Error).message})`);
          }
        });
      },
    };
    return call;
  }

  private fields(params: Params): ReturnType<typeof parseFields> {
    const raw = params.values.fields;
    const fields = parseFields(typeof raw === "string" && raw.trim() !== "" ? raw.trim() : META_TEMPLATE_DEFAULT_FIELDS.join(","));
    for (const f of fields) {
      if (!(META_TEMPLATE_FIELDS as readonly string[]).includes(f.name))
        throw param(`Tried accessing nonexisting field (${f.name}) on node type (WhatsAppMessageTemplate)`);
    }
    return fields;
  }

  private out(t: TemplateRecord, fields: ReturnType<typeof parseFields>): Record<string, unknown> {
    const all = metaTemplateJson(t);
    const o: Record<string, unknown> = {};
    for (const f of fields) if (all[f.name] !== undefined) o[f.name] = select(all[f.name], f.sub);
    if (!("id" in o)) o.id = t.id;
    return o;
  }

  private cursor(id: string): string {
    return Buffer.from(JSON.stringify({ t: id })).toString("base64url");
  }
  private readCursor(c: string): bigint {
    try {
      const v = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
      if (v && typeof v.t === "string" && /^\d+$/.test(v.t)) return BigInt(v.t);
    } catch {
      /* below */
    }
    throw param("Invalid cursor");
  }

  private run(
    op: TemplateOp,
    waba: WabaRecord,
    templateId: string | undefined,
    params: Params,
    req: WireRequest,
    templates: TemplateStore,
  ): WireResponse {
    const p = params.values;
    switch (op) {
      case "create": {
        const name = str(p, "name");
        if (name === undefined) throw param("The parameter name is required");
        const language = str(p, "language");
        if (language === undefined) throw param("The parameter language is required");
        const category = str(p, "category");
        if (category === undefined) throw param("The parameter category is required");
        const components = jsonValue(p.components);
        if (components === undefined) throw param("The parameter components is required");
        const t = templates.create(waba.id, {
          name,
          language,
          category,
          components: components as Record<string, unknown>[],
          parameterFormat: str(p, "parameter_format"),
          messageSendTtlSeconds: int(p, "message_send_ttl_seconds"),
        });
        return ok({ id: t.id, status: t.status, category: t.category });
      }
      case "get":
        return ok(this.out(templates.get(waba.id, templateId!), this.fields(params)));
      case "update": {
        const components = jsonValue(p.components);
        templates.edit(waba.id, templateId!, {
          category: str(p, "category"),
          components: components === undefined ? undefined : (components as Record<string, unknown>[]),
          parameterFormat: str(p, "parameter_format"),
          messageSendTtlSeconds: int(p, "message_send_ttl_seconds"),
        });
        return ok({ success: true });
      }
      case "delete": {
        const name = str(p, "name");
        if (name === undefined) throw param("The parameter name is required");
        templates.deleteByName(waba.id, name, str(p, "hsm_id"));
        return ok({ success: true });
      }
      case "list": {
        const fields = this.fields(params);
        const limitRaw = int(p, "limit");
        if (limitRaw !== undefined && limitRaw < 1) throw param("Param limit must be a positive integer");
        const limit = Math.min(limitRaw ?? this.defaultPageSize, META_MAX_PAGE_SIZE);
        const name = str(p, "name");
        const statuses = list(p, "status");
        const categories = list(p, "category");
        const languages = list(p, "language");
        const all = templates
          .list(waba.id)
          .filter(
            (t) =>
              (name === undefined || t.name.includes(name)) &&
              (statuses === undefined || statuses.includes(t.status)) &&
              (categories === undefined || categories.includes(t.category)) &&
              (languages === undefined || languages.includes(t.language)),
          );
        const after = str(p, "after");
        const before = str(p, "before");
        let start = 0;
        let end: number;
        if (after !== undefined) {
          const a = this.readCursor(after);
          start = all.findIndex((t) => BigInt(t.id) > a);
          if (start < 0) start = all.length;
          end = Math.min(all.length, start + limit);
        } else if (before !== undefined) {
          const b = this.readCursor(before);
          end = all.findIndex((t) => BigInt(t.id) >= b);
          if (end < 0) end = all.length;
          start = Math.max(0, end - limit);
        } else end = Math.min(all.length, limit);
        const page = all.slice(start, end);
        const summary = str(p, "summary");
        const extra = summary?.split(",").includes("total_count") ? { summary: { total_count: all.length } } : {};
        if (page.length === 0) return ok({ data: [], ...extra });
        const cursors = { before: this.cursor(page[0].id), after: this.cursor(page[page.length - 1].id) };
        const url = (k: string, c: string) => {
          const q = new URLSearchParams(req.query);
          q.delete("after");
          q.delete("before");
          q.set(k, c);
          return `${req.baseUrl}${req.path}?${q.toString()}`;
        };
        return ok({
          data: page.map((t) => this.out(t, fields)),
          paging: {
            cursors,
            ...(start > 0 ? { previous: url("before", cursors.before) } : {}),
            ...(end < all.length ? { next: url("after", cursors.after) } : {}),
          },
          ...extra,
        });
      }
    }
  }
}
