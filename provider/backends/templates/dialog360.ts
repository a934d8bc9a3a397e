/**
 * 360dialog Partner API, message templates (docs/templates.md, "360dialog"):
 * `GET|POST /api/v2/partners/{partner_id}/waba_accounts/{waba_account_id}/waba_templates` (documented),
 * `DELETE …/waba_templates/{template_name}` (every language of the name, as the documented Messaging API
 * delete) and `PATCH …/waba_templates/{id}` (undocumented: the registry marks 360dialog replace-only, so
 * the lifecycle does not call it). Meta-shaped bodies, lower-case statuses, Meta's id in `external_id`.
 * Same transport, key header and error classification as the flows (../dialog360.ts).
 */
import { BackendError } from "../types";
import { arr, HttpRequest, HttpResponse, HttpVendorSettings, obj, seg, str } from "../http";
import type { FlowOp } from "../http-backend";
import { Dialog360Backend, type Dialog360Account } from "../dialog360";
import type { MetaComponent } from "../../templates/model";
import type { RemoteTemplate, TemplateBackend, TemplateDefinition, TemplateRef } from "./types";
import { templateFromGraph } from "./meta";

const PAGE_SIZE = 200;
const MAX_PAGES = 1000;

/** A 360dialog template object → RemoteTemplate (id: Meta's, from `external_id`). */
export function templateFrom360(t: Record<string, unknown>): RemoteTemplate & { dialogId?: string } {
  // 360dialog relays Meta's template node; its own id sits beside Meta's (`external_id`).
  return { ...templateFromGraph(t), id: str(t.external_id) ?? str(t.id) ?? "", dialogId: str(t.id) };
}

/**
 * Built on the flows' backend (../dialog360.ts): the same transport, credential header, retries, error table
 * and messages; templates live under `/waba_templates` of the same account.
 */
export class Dialog360TemplateBackend extends Dialog360Backend implements TemplateBackend {
  constructor(
    private readonly account: Dialog360Account,
    settings: HttpVendorSettings,
  ) {
    super(account, settings);
  }

  /** One template call: the flows' call below the account's templates path, named as a template call in messages. */
  private request(op: FlowOp, what: string, req: HttpRequest): Promise<HttpResponse> {
    return this.call(op, { ...req, path: `/waba_templates${req.path}` }, {}, `360dialog ${what}`);
  }

  private acct(): string {
    return `partner ${this.account.partnerId} / WABA account ${this.account.wabaAccountId}`;
  }

  async createTemplate(def: TemplateDefinition): Promise<{ id?: string; status?: string }> {
    const res = await this.request("create", `create of template "${def.name}" (${def.language}) in ${this.acct()}`, {
      method: "POST",
      path: "",
      json: { name: def.name, category: def.category, language: def.language, components: def.components },
      idempotent: false,
    });
    const t = templateFrom360(obj(res.body));
    return { id: t.id || undefined, status: t.status };
  }

  private async pages(filters?: Record<string, string>): Promise<(RemoteTemplate & { dialogId?: string })[]> {
    const out: (RemoteTemplate & { dialogId?: string })[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await this.request("list", `list of templates of ${this.acct()}`, {
        method: "GET",
        path: "",
        query: { limit: PAGE_SIZE, offset: page * PAGE_SIZE, ...(filters ? { filters: JSON.stringify(filters) } : {}) },
      });
      const body = obj(res.body);
      const items = arr(body.waba_templates);
      for (const t of items) out.push(templateFrom360(obj(t)));
      const total = typeof body.total === "number" ? body.total : undefined;
      if (items.length < PAGE_SIZE || (total !== undefined && out.length >= total)) return out;
    }
    return out;
  }

  async findTemplate(name: string, language: string): Promise<RemoteTemplate | undefined> {
    return (await this.pages({ "business_templates.name": name, language })).find((t) => t.name === name && t.language === language);
  }

  async getTemplate(ref: TemplateRef): Promise<RemoteTemplate | undefined> {
    // The Partner API has no read of one template: the list filtered by name and language, matched on Meta's id.
    const t = await this.findTemplate(ref.name, ref.language);
    return t && t.id === ref.id ? t : undefined;
  }

  listTemplates(): Promise<RemoteTemplate[]> {
    return this.pages();
  }

  async updateTemplate(ref: TemplateRef, change: { category?: string; components?: MetaComponent[] }) {
    const t = (await this.pages({ "business_templates.name": ref.name, language: ref.language })).find((x) => x.id === ref.id);
    if (!t?.dialogId) throw new BackendError("NOT_FOUND", `360dialog template ${ref.id} "${ref.name}" (${ref.language}) no longer exists`);
    await this.request("update", `edit of template ${ref.id}`, {
      method: "PATCH",
      path: `/${seg(t.dialogId)}`,
      json: {
        ...(change.category !== undefined ? { category: change.category } : {}),
        ...(change.components ? { components: change.components } : {}),
      },
      idempotent: false,
    });
  }

  async deleteTemplate(ref: TemplateRef): Promise<void> {
    // 360dialog deletes by name: every language of it. The lifecycle makes sure no other language is declared or live.
    await this.request("delete", `delete of template ${ref.id} "${ref.name}"`, { method: "DELETE", path: `/${seg(ref.name)}` });
  }
}
