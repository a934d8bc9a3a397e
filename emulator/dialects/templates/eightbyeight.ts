/**
 * 8x8 Chat Apps, WhatsApp templates, as the OpenAPI (`business_messaging_api.json`) describes them:
 * `GET|POST /api/v1/accounts/{accountId}/channels/{channelId}/templates` and `DELETE …/templates/
 * {templateName}` (every language). camelCase FLOW buttons (`flowId`, `flowAction`, `navigateScreen`),
 * `format` in mixed case, `examples` lists; create answers `200 {}` and no answer carries Meta's id;
 * no edit. 409 code 3060 when a deleted name is reused too early. Sources: docs/templates.md.
 */
import type { FlowStore } from "../../core/store";
import { isTemplateError, TemplateError, type TemplateRecord, type TemplateStore } from "../../core/templates";
import type { WabaRecord } from "../../core/types";
import { jsonObject } from "../common";
import type { EightByEightDialect } from "../eightbyeight";
import type { DialectCall, WireRequest, WireResponse } from "../types";
import { TEMPLATE_ACTIONS, componentsFrom8x8, componentsTo8x8, type TemplateDialect, type TemplateOp } from "./shared";

const PREFIX = /^\/api\/v1\/accounts\/([^/]+)\/channels\/([^/]+)\/templates(?:\/([^/]+))?\/?$/;
const OPERATIONS: Record<TemplateOp, string> = {
  create: "AddWhatsAppTemplate",
  get: "GetWhatsAppTemplates",
  list: "GetWhatsAppTemplates",
  update: "UpdateWhatsAppTemplate",
  delete: "RemoveWhatsAppTemplate",
};
/** 8x8's OpenAPI caps button text at 20 characters (Meta: 25). */
export const EIGHT_BY_EIGHT_MAX_BUTTON_TEXT = 20;
/** 8x8 allows one FLOW button per template. */
export const EIGHT_BY_EIGHT_MAX_FLOW_BUTTONS = 1;
/** The code of 8x8's documented 409 "Template name cannot be reused within 30 days of deletion". */
export const EIGHT_BY_EIGHT_NAME_REUSE_CODE = 3060;

const LANGUAGE_NAMES: Record<string, string> = {
  en: "English",
  en_US: "English (US)",
  en_GB: "English (UK)",
  es: "Spanish",
  pt_BR: "Portuguese (BR)",
  id: "Indonesian",
  fr: "French",
  de: "German",
};
const title = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

class WireError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
const invalid = (m: string) => new WireError(400, 1000, m);

export class EightByEightTemplateDialect implements TemplateDialect {
  readonly vendor = "8x8" as const;

  constructor(private readonly flowDialect: EightByEightDialect) {}

  resolve(req: WireRequest, flows: FlowStore, templates: TemplateStore): DialectCall | undefined {
    const m = PREFIX.exec(req.path);
    if (!m) return undefined;
    const [, a, c, x] = m;
    const name = x === undefined ? undefined : decodeURIComponent(x);
    const op: TemplateOp | undefined =
      name === undefined
        ? req.method === "GET"
          ? "list"
          : req.method === "POST"
            ? "create"
            : undefined
        : req.method === "DELETE"
          ? "delete"
          : undefined;
    if (!op) return undefined;
    const body = op === "create" ? jsonObject(req.body) : undefined;
    return {
      operation: OPERATIONS[op],
      action: TEMPLATE_ACTIONS[op],
      uploadsJson: false,
      logBody: body ?? null,
      execute: () => {
        const denied = this.flowDialect.authFailure(req);
        if (denied) return denied;
        try {
          const waba = this.flowDialect.account(flows, decodeURIComponent(a), decodeURIComponent(c));
          return this.run(op, waba, decodeURIComponent(c), name, body, templates);
        } catch (e) {
          if (e instanceof WireError) return this.flowDialect.error({ status: e.status, code: e.code, message: e.message });
          if (isTemplateError(e)) return this.mapError(e);
          const err = e as { status?: unknown; code?: unknown; message?: string };
          if (typeof err.status === "number")
            return this.flowDialect.error({
              status: err.status,
              code: typeof err.code === "number" ? err.code : undefined,
              message: err.message,
            });
          return this.flowDialect.error({ status: 500, code: 2000, message: `Internal server error: ${(e as Error).message}` });
        }
      },
    };
  }

  private mapError(e: TemplateError): WireResponse {
    switch (e.kind) {
      case "TEMPLATE_NOT_FOUND":
      case "WABA_NOT_FOUND":
        return this.flowDialect.error({ status: 404, code: 1300, message: e.message });
      case "NAME_REUSE_BLOCKED":
        return this.flowDialect.error({ status: 409, code: EIGHT_BY_EIGHT_NAME_REUSE_CODE, message: e.message });
      default:
        return this.flowDialect.error({ status: 400, code: 1000, message: e.message });
    }
  }

  private out(t: TemplateRecord, waba: WabaRecord, channelId: string): Record<string, unknown> {
    return {
      channelId,
      channelName: `${waba.name} WhatsApp`,
      templateName: t.name,
      language: t.language,
      languageName: LANGUAGE_NAMES[t.language] ?? t.language,
      components: componentsTo8x8(t.components),
      category: t.category,
      categoryName: title(t.category),
      status: t.status,
      statusName: title(t.status),
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }

  private run(
    op: TemplateOp,
    waba: WabaRecord,
    channelId: string,
    name: string | undefined,
    body: Record<string, unknown> | undefined,
    templates: TemplateStore,
  ): WireResponse {
    const ok = (b: object): WireResponse => ({ status: 200, headers: { "content-type": "application/json" }, body: b });
    switch (op) {
      case "create": {
        if (!body) throw invalid("Request body must be a JSON object");
        for (const r of ["language", "name", "category", "components"])
          if (body[r] === undefined || body[r] === null) throw invalid(`${r} must not be null`);
        for (const r of ["language", "name", "category"]) if (typeof body[r] !== "string") throw invalid(`${r} must be a string`);
        if (!Array.isArray(body.components)) throw invalid("components must be an array");
        const components = componentsFrom8x8(body.components) as Record<string, unknown>[];
        let flowButtons = 0;
        for (const comp of components) {
          const buttons = (comp as { buttons?: unknown }).buttons;
          if (!Array.isArray(buttons)) continue;
          for (const b of buttons as Record<string, unknown>[]) {
            if (typeof b?.text === "string" && b.text.length > EIGHT_BY_EIGHT_MAX_BUTTON_TEXT)
              throw invalid(`buttons.text must be at most ${EIGHT_BY_EIGHT_MAX_BUTTON_TEXT} characters long`);
            if (b?.type === "FLOW") {
              flowButtons++;
              if (b.flow_id === undefined) throw invalid("flowId is required for a FLOW button");
              for (const k of ["flow_name", "flow_json", "icon"])
                if (b[k] !== undefined) throw invalid(`${k} is not a property of an 8x8 button`);
            }
          }
        }
        if (flowButtons > EIGHT_BY_EIGHT_MAX_FLOW_BUTTONS) throw invalid("A template can have at most one FLOW button");
        templates.create(waba.id, {
          name: body.name as string,
          language: body.language as string,
          category: body.category as string,
          components,
          messageSendTtlSeconds: typeof body.message_send_ttl_seconds === "number" ? body.message_send_ttl_seconds : undefined,
        });
        return ok({});
      }
      case "delete":
        templates.deleteByName(waba.id, name!);
        return ok({});
      case "list":
      case "get":
        return ok({ templates: templates.list(waba.id).map((t) => this.out(t, waba, channelId)) });
      case "update":
        throw new WireError(404, 1300, "Template edit is not available");
    }
  }
}
