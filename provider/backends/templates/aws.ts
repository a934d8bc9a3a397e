/**
 * AWS End User Messaging Social, message templates, through the real `@aws-sdk/client-socialmessaging`
 * (docs/templates.md, "AWS"): Create/Get/List/Update/DeleteWhatsAppMessageTemplate. AWS relays Meta:
 * bodies are Meta's template JSON (base64 blobs on the wire, which the SDK encodes). Same shared SDK
 * client (adaptive retries, one rate limiter per process) and error classification as the flows.
 */
import { AwsBackend, classifyAwsError } from "../aws";
import { BackendError } from "../types";
import type { MetaComponent } from "../../templates/model";
import { templateFromGraph } from "./meta";
import type { RemoteTemplate, TemplateBackend, TemplateDefinition, TemplateRef } from "./types";

const json = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8");

export class AwsTemplateBackend extends AwsBackend implements TemplateBackend {
  async createTemplate(def: TemplateDefinition): Promise<{ id?: string; status?: string }> {
    const out = await this.call(
      (client, sdk) =>
        client.send(
          new sdk.CreateWhatsAppMessageTemplateCommand({
            id: this.waba,
            templateDefinition: json({ name: def.name, language: def.language, category: def.category, components: def.components }),
          }),
        ),
      true, // never resent by the SDK (only throttling): after a failure the lifecycle looks the name + language up
    );
    return { id: out.metaTemplateId, status: out.templateStatus?.toUpperCase() };
  }

  private async get(input: Record<string, string>): Promise<RemoteTemplate | undefined> {
    try {
      const out = await this.call((client, sdk) => client.send(new sdk.GetWhatsAppMessageTemplateCommand({ id: this.waba, ...input })));
      if (!out.template) return undefined;
      return templateFromGraph(JSON.parse(out.template), input.metaTemplateId);
    } catch (e) {
      if (e instanceof BackendError && e.kind === "NOT_FOUND") return undefined;
      throw e;
    }
  }

  getTemplate(ref: TemplateRef): Promise<RemoteTemplate | undefined> {
    return this.get({ metaTemplateId: ref.id });
  }

  findTemplate(name: string, language: string): Promise<RemoteTemplate | undefined> {
    return this.get({ templateName: name, templateLanguageCode: language });
  }

  async listTemplates(): Promise<RemoteTemplate[]> {
    const sdk = require("@aws-sdk/client-socialmessaging") as typeof import("@aws-sdk/client-socialmessaging");
    const out: RemoteTemplate[] = [];
    try {
      for await (const page of sdk.paginateListWhatsAppMessageTemplates({ client: this.client(), pageSize: 100 }, { id: this.waba })) {
        for (const t of page.templates ?? []) {
          out.push({
            id: t.metaTemplateId ?? "",
            name: t.templateName ?? "",
            language: t.templateLanguage ?? "",
            category: (t.templateCategory ?? "").toUpperCase(),
            status: (t.templateStatus ?? "UNKNOWN").toUpperCase(),
            rejectedReason: null,
            qualityScore: t.templateQualityScore ?? null,
            // The list carries no components: read one template for its content.
            components: [],
          });
        }
      }
    } catch (e) {
      throw classifyAwsError(e);
    }
    return out;
  }

  async updateTemplate(ref: TemplateRef, change: { category?: string; components?: MetaComponent[] }): Promise<void> {
    await this.call(
      (client, sdk) =>
        client.send(
          new sdk.UpdateWhatsAppMessageTemplateCommand({
            id: this.waba,
            metaTemplateId: ref.id,
            ...(change.category !== undefined ? { templateCategory: change.category } : {}),
            ...(change.components ? { templateComponents: json(change.components) } : {}),
          }),
        ),
      true, // an edit spends Meta's budget: never resent blindly (the next update finds an applied edit)
    );
  }

  async deleteTemplate(ref: TemplateRef): Promise<void> {
    // templateName + metaTemplateId: exactly this template, never every language of the name.
    await this.call((client, sdk) =>
      client.send(new sdk.DeleteWhatsAppMessageTemplateCommand({ id: this.waba, templateName: ref.name, metaTemplateId: ref.id })),
    );
  }
}
