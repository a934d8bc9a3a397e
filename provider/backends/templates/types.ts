/**
 * The small interface every vendor's message-template API implements (issue 19). Bodies are Meta's
 * template JSON (snake_case components) whatever the vendor's wire shape; a backend is bound to one
 * account, like a FlowBackend. What each vendor allows is in the registry entry (`templates`).
 */
import type { MetaComponent } from "../../templates/model";
import type { AllMethodsListed } from "../types";

export interface RemoteTemplate {
  /** Meta's template id; `<name>/<language>` on a vendor whose API shows none (8x8). */
  id: string;
  name: string;
  language: string;
  category: string;
  /** Upper case: PENDING, APPROVED, REJECTED, PAUSED, DISABLED… */
  status: string;
  rejectedReason: string | null;
  qualityScore: string | null;
  components: MetaComponent[];
}

export interface TemplateDefinition {
  name: string;
  language: string;
  category: string;
  components: MetaComponent[];
}

/** How a template is addressed: its id, and its name and language for vendors that find or delete by them. */
export interface TemplateRef {
  id: string;
  name: string;
  language: string;
}

export interface TemplateBackend {
  readonly vendor: string;
  /** Never repeated blindly: after a failure the caller looks the template up by name + language. `id` absent when the vendor answers none. */
  createTemplate(def: TemplateDefinition): Promise<{ id?: string; status?: string }>;
  /** `undefined` when the template no longer exists. `ref` carries the name and language for vendors that find templates by them. */
  getTemplate(ref: TemplateRef): Promise<RemoteTemplate | undefined>;
  /** The template of this name and language, if any. */
  findTemplate(name: string, language: string): Promise<RemoteTemplate | undefined>;
  /** Every template of the account (the backend pages through the vendor's list). */
  listTemplates(): Promise<RemoteTemplate[]>;
  /** Only on vendors whose capabilities say `edit`. Components are replaced wholesale. */
  updateTemplate(ref: TemplateRef, change: { category?: string; components?: MetaComponent[] }): Promise<void>;
  /** Deletes this template: by id where the vendor can, by name (every language) where it cannot (capabilities `deleteBy`). */
  deleteTemplate(ref: TemplateRef): Promise<void>;
}

/** Every method of `TemplateBackend`, for the wrappers that decorate them all (the budget); checked below. */
export const TEMPLATE_BACKEND_METHODS = [
  "createTemplate",
  "getTemplate",
  "findTemplate",
  "listTemplates",
  "updateTemplate",
  "deleteTemplate",
] as const satisfies readonly Exclude<keyof TemplateBackend, "vendor">[];
// A method added to TemplateBackend and missing above is a compile error here (the type names what is missing).
export const TEMPLATE_BACKEND_METHODS_COMPLETE: AllMethodsListed<TemplateBackend, typeof TEMPLATE_BACKEND_METHODS> = true;
