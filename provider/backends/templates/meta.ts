/**
 * Meta Graph API, message templates (docs/templates.md, "Meta"): `POST|GET|DELETE /{WABA}/message_templates`,
 * `GET|POST /{template id}`. Same transport, token header, Graph version and error classification as the
 * flows (../meta.ts), so template calls share the flows' retries, origin backoff and budget.
 */
import { BackendError } from "../types";
import { arr, HttpRequest, HttpResponse, HttpVendorSettings, obj, seg, str } from "../http";
import { DEFAULT_GRAPH_VERSION, MetaBackend, type MetaAccount, type MetaOp } from "../meta";
import type { MetaComponent } from "../../templates/model";
import type { RemoteTemplate, TemplateBackend, TemplateDefinition, TemplateRef } from "./types";

const FIELDS = "id,name,language,status,category,components,rejected_reason,quality_score";
const PAGE_SIZE = 100;
const MAX_PAGES = 1000;

/** A Graph template node (Meta's JSON; AWS's Get relays the same) → RemoteTemplate. */
export function templateFromGraph(t: Record<string, unknown>, fallbackId = ""): RemoteTemplate {
  const quality = t.quality_score;
  const score = quality && typeof quality === "object" ? str((quality as Record<string, unknown>).score) : str(quality);
  return {
    id: str(t.id) ?? fallbackId,
    name: str(t.name) ?? "",
    language: str(t.language) ?? "",
    category: (str(t.category) ?? "").toUpperCase(),
    status: (str(t.status) ?? "UNKNOWN").toUpperCase(),
    rejectedReason: str(t.rejected_reason) ?? null,
    qualityScore: score ?? null,
    components: arr(t.components).map(obj) as MetaComponent[],
  };
}

/**
 * Built on the flows' MetaBackend: the same Graph call (token header, version, retries, origin backoff,
 * error table) and the same budget readings (Meta's usage headers, 80007/4 as the budget used up), so a
 * template call counts against the account's budget like a flow call.
 */
export class MetaTemplateBackend extends MetaBackend implements TemplateBackend {
  private readonly wabaId: string;

  constructor(account: MetaAccount, settings: HttpVendorSettings & { graphVersion?: string }) {
    super(account, { ...settings, graphVersion: settings.graphVersion || DEFAULT_GRAPH_VERSION });
    this.wabaId = account.wabaId;
  }

  private request(op: MetaOp, what: string, req: HttpRequest): Promise<HttpResponse> {
    return this.call(op, req, {}, `meta ${what}`);
  }

  private get edge(): string {
    return `/${seg(this.wabaId)}/message_templates`;
  }

  async createTemplate(def: TemplateDefinition): Promise<{ id?: string; status?: string }> {
    const res = await this.request("create", `create of template "${def.name}" (${def.language}) in WABA ${this.wabaId}`, {
      method: "POST",
      path: this.edge,
      json: { name: def.name, language: def.language, category: def.category, components: def.components },
      idempotent: false, // never repeated: the caller looks the name + language up instead
    });
    const body = obj(res.body);
    return { id: str(body.id), status: str(body.status)?.toUpperCase() };
  }

  async getTemplate(ref: TemplateRef): Promise<RemoteTemplate | undefined> {
    try {
      const res = await this.request("get", `read of template ${ref.id}`, {
        method: "GET",
        path: `/${seg(ref.id)}`,
        query: { fields: FIELDS },
      });
      return templateFromGraph(obj(res.body), ref.id);
    } catch (e) {
      if (e instanceof BackendError && e.kind === "NOT_FOUND") return undefined;
      throw e;
    }
  }

  private async pages(query: Record<string, string | number | undefined>): Promise<RemoteTemplate[]> {
    const out: RemoteTemplate[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      // Cursors are followed against our own base URL, never `paging.next` as given (the token would follow it).
      const res = await this.request("list", `list of templates of WABA ${this.wabaId}`, {
        method: "GET",
        path: this.edge,
        query: { fields: FIELDS, limit: PAGE_SIZE, ...query, after },
      });
      const body = obj(res.body);
      for (const t of arr(body.data)) out.push(templateFromGraph(obj(t)));
      const paging = obj(body.paging);
      const next = str(obj(paging.cursors).after);
      if (!paging.next || !next || seen.has(next)) return out;
      seen.add(next);
      after = next;
    }
    return out;
  }

  async findTemplate(name: string, language: string): Promise<RemoteTemplate | undefined> {
    // Graph's `name` filter matches substrings: keep the exact name and language.
    return (await this.pages({ name, language })).find((t) => t.name === name && t.language === language);
  }

  listTemplates(): Promise<RemoteTemplate[]> {
    return this.pages({});
  }

  async updateTemplate(ref: TemplateRef, change: { category?: string; components?: MetaComponent[] }): Promise<void> {
    await this.request("update", `edit of template ${ref.id}`, {
      method: "POST",
      path: `/${seg(ref.id)}`,
      json: {
        ...(change.category !== undefined ? { category: change.category } : {}),
        ...(change.components ? { components: change.components } : {}),
      },
      // An approved template's edit spends Meta's budget: never repeated blindly.
      idempotent: false,
    });
  }

  async deleteTemplate(ref: TemplateRef): Promise<void> {
    // By name AND hsm_id: exactly this template (the name alone deletes every language).
    await this.request("delete", `delete of template ${ref.id} "${ref.name}"`, {
      method: "DELETE",
      path: this.edge,
      query: { name: ref.name, hsm_id: ref.id },
    });
  }
}
