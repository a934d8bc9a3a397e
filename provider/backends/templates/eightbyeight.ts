/**
 * 8x8 Chat Apps, WhatsApp templates (docs/templates.md, "8x8"): `GET|POST /api/v1/accounts/{accountId}/
 * channels/{channelId}/templates`, `DELETE …/templates/{templateName}` (every language). No edit; the create
 * answers `200 {}` and no answer carries Meta's id, so a template is known by `<name>/<language>`.
 * 8x8's component shape: camelCase FLOW buttons (`flowId`, `flowAction`, `navigateScreen`), `format` in
 * mixed case, `examples` lists instead of Meta's `example` object. Same transport, bearer key and error
 * classification as the flows (../eightbyeight.ts).
 */
import { BackendError } from "../types";
import { arr, HttpRequest, HttpResponse, HttpVendorSettings, obj, seg, str } from "../http";
import type { FlowOp } from "../http-backend";
import { EightByEightBackend, type EightByEightAccount } from "../eightbyeight";
import type { MetaComponent } from "../../templates/model";
import type { RemoteTemplate, TemplateBackend, TemplateDefinition, TemplateRef } from "./types";

const FORMAT: Record<string, string> = {
  TEXT: "Text",
  IMAGE: "Image",
  GIF: "Gif",
  VIDEO: "Video",
  DOCUMENT: "Document",
  LOCATION: "Location",
};
const TO_8X8: Record<string, string> = {
  flow_id: "flowId",
  flow_action: "flowAction",
  navigate_screen: "navigateScreen",
  phone_number: "phoneNumber",
  ttl_minutes: "ttlMinutes",
};
const FROM_8X8 = Object.fromEntries(Object.entries(TO_8X8).map(([a, b]) => [b, a]));

/** Meta's components → 8x8's. */
export function componentsTo8x8(components: MetaComponent[]): Record<string, unknown>[] {
  return components.map((c) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) {
      if (k === "format" && typeof v === "string") o.format = FORMAT[v.toUpperCase()] ?? v;
      else if (k === "example" && v && typeof v === "object") {
        const e = v as Record<string, unknown>;
        if (Array.isArray(e.body_text) && Array.isArray(e.body_text[0])) o.examples = e.body_text[0];
        else if (Array.isArray(e.header_text)) o.examples = e.header_text;
      } else if (k === "buttons" && Array.isArray(v)) {
        o.buttons = v.map((b) => Object.fromEntries(Object.entries(obj(b)).map(([bk, bv]) => [TO_8X8[bk] ?? bk, bv])));
      } else o[k] = v;
    }
    return o;
  });
}

/** 8x8's components → Meta's. */
export function componentsFrom8x8(components: unknown[]): MetaComponent[] {
  return components.map((x) => {
    const c = obj(x);
    const type = typeof c.type === "string" ? c.type.toUpperCase() : c.type;
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) {
      if (k === "type") o.type = type;
      else if (k === "format" && typeof v === "string") o.format = v.toUpperCase();
      else if (k === "examples" && Array.isArray(v)) {
        if (type === "BODY") o.example = { body_text: [v] };
        else if (type === "HEADER") o.example = { header_text: v };
        else o.examples = v;
      } else if (k === "buttons" && Array.isArray(v)) {
        o.buttons = v.map((b) =>
          Object.fromEntries(
            Object.entries(obj(b)).map(([bk, bv]) => [FROM_8X8[bk] ?? bk, bk === "type" && typeof bv === "string" ? bv.toUpperCase() : bv]),
          ),
        );
      } else o[k] = v;
    }
    return o;
  });
}

/** The id this backend gives a template: 8x8 shows no Meta id, and (name, language) is unique. */
export const eightByEightTemplateId = (name: string, language: string) => `${name}/${language}`;

/**
 * Built on the flows' backend (../eightbyeight.ts): the same transport, credential header, retries, error table
 * and messages; templates live under `/templates` of the same account.
 */
export class EightByEightTemplateBackend extends EightByEightBackend implements TemplateBackend {
  constructor(
    private readonly account: EightByEightAccount,
    settings: HttpVendorSettings,
  ) {
    super(account, { ...settings, apiStyle: "accounts" });
  }

  /** One template call: the flows' call below the account's templates path, named as a template call in messages. */
  private request(op: FlowOp, what: string, req: HttpRequest): Promise<HttpResponse> {
    return this.call(op, { ...req, path: `/templates${req.path}` }, {}, `8x8 ${what}`);
  }

  private acct(): string {
    return `account ${this.account.accountId} / channel ${this.account.channelId}`;
  }

  async createTemplate(def: TemplateDefinition): Promise<{ id?: string; status?: string }> {
    await this.request("create", `create of template "${def.name}" (${def.language}) in ${this.acct()}`, {
      method: "POST",
      path: "",
      json: { name: def.name, language: def.language, category: def.category, components: componentsTo8x8(def.components) },
      idempotent: false,
    });
    // 8x8 answers `{}`: the caller reads the template back by name + language.
    return { id: eightByEightTemplateId(def.name, def.language) };
  }

  async listTemplates(): Promise<RemoteTemplate[]> {
    // One call, no paging (8x8's OpenAPI documents none).
    const res = await this.request("list", `list of templates of ${this.acct()}`, { method: "GET", path: "" });
    return arr(obj(res.body).templates).map((x) => {
      const t = obj(x);
      const name = str(t.templateName) ?? "";
      const language = str(t.language) ?? "";
      return {
        id: eightByEightTemplateId(name, language),
        name,
        language,
        category: (str(t.category) ?? "").toUpperCase(),
        status: (str(t.status) ?? "UNKNOWN").toUpperCase(),
        rejectedReason: str(t.rejectedReason) ?? null,
        qualityScore: str(t.qualityScore) ?? null,
        components: componentsFrom8x8(arr(t.components)),
      };
    });
  }

  async findTemplate(name: string, language: string): Promise<RemoteTemplate | undefined> {
    return (await this.listTemplates()).find((t) => t.name === name && t.language === language);
  }

  getTemplate(ref: TemplateRef): Promise<RemoteTemplate | undefined> {
    return this.findTemplate(ref.name, ref.language);
  }

  async updateTemplate(): Promise<void> {
    // The registry says 8x8 does not edit: the lifecycle replaces instead. Reaching here is a bug.
    throw new BackendError(
      "OTHER",
      "internal error: 8x8 cannot edit WhatsApp templates (its capabilities say so); the change needs a new template",
    );
  }

  async deleteTemplate(ref: TemplateRef): Promise<void> {
    // 8x8 deletes by name: every language of it. The lifecycle makes sure no other language is declared or live.
    await this.request("delete", `delete of template "${ref.name}"`, { method: "DELETE", path: `/${seg(ref.name)}` });
  }
}
