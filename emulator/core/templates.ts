/**
 * The vendor-neutral message-template store, beside the flow store: per account (WABA), templates keyed
 * by (name, language) with Meta's numeric id, Meta's lifecycle enforced here once (simulated review,
 * edit limits, name reuse after deletion, FLOW buttons bound to PUBLISHED flows of the same account).
 * Components are kept in Meta's JSON shape (snake_case); dialects translate (8x8 camelCase, AWS base64).
 * Operations throw `TemplateError`; dialects map them onto their envelopes. See docs/templates.md.
 */
import type { FlowStore } from "./store";

export type TemplateStatus = "PENDING" | "APPROVED" | "REJECTED" | "PAUSED" | "DISABLED";
export const TEMPLATE_STATUSES: readonly TemplateStatus[] = ["PENDING", "APPROVED", "REJECTED", "PAUSED", "DISABLED"];
export const TEMPLATE_CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];
/** Meta's `rejected_reason` values. */
export const REJECTED_REASONS = [
  "ABUSIVE_CONTENT",
  "INCORRECT_CATEGORY",
  "INVALID_FORMAT",
  "SCAM",
  "PROMOTIONAL",
  "TAG_CONTENT_MISMATCH",
  "NONE",
] as const;
export const QUALITY_SCORES = ["GREEN", "YELLOW", "RED", "UNKNOWN"] as const;
export type QualityScore = (typeof QUALITY_SCORES)[number];

/** First template id handed out (Meta template ids are 15-16 digit numbers; flows start at 1e15). */
export const FIRST_TEMPLATE_ID = 2_000_000_000_000_001;
/** Meta: an APPROVED template may be edited once per 24 hours and 10 times per 30 days. */
export const EDIT_WINDOW_DAY_MS = 24 * 3600 * 1000;
export const EDIT_WINDOW_MONTH_MS = 30 * 24 * 3600 * 1000;
export const MAX_EDITS_PER_DAY = 1;
export const MAX_EDITS_PER_MONTH = 10;
/** Meta: the name of a deleted APPROVED template cannot be used again for 30 days. */
export const NAME_REUSE_BLOCK_MS = 30 * 24 * 3600 * 1000;
/** Default simulated review: approve on the first read after creation/edit (0 ms). */
export const DEFAULT_TEMPLATE_REVIEW_MS = 0;

export const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
/** Meta's language codes: `en`, `en_US`, `zh_CN`, `es_MX`… (2-3 letters, optional region). */
export const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2,4})?$/;
export const MAX_BODY_CHARS = 1024;
export const MAX_HEADER_TEXT_CHARS = 60;
export const MAX_FOOTER_CHARS = 60;
export const MAX_BUTTONS = 10;
export const MAX_BUTTON_TEXT_CHARS = 25;

export type TemplateErrorKind =
  /** Unknown account. */
  | "WABA_NOT_FOUND"
  /** Unknown template id / name, or one of another account. */
  | "TEMPLATE_NOT_FOUND"
  /** The (name, language) pair exists already (Meta 100 / 2388024). */
  | "TEMPLATE_EXISTS"
  /** The name belonged to a deleted APPROVED template less than 30 days ago (Meta 100 / 2388023). */
  | "NAME_REUSE_BLOCKED"
  /** The template's status forbids the operation (PENDING edit, DISABLED delete). */
  | "INVALID_STATE"
  /** Meta's edit budget of an APPROVED template is spent (1 per 24 h, 10 per 30 days). */
  | "EDIT_LIMIT"
  /** An APPROVED template's category cannot change; name and language never change. */
  | "NOT_EDITABLE_FIELD"
  /** A FLOW button names a flow that is not a PUBLISHED flow of the same account. */
  | "FLOW_NOT_PUBLISHED"
  /** Semantically bad input (Meta 100). */
  | "INVALID_ARGUMENT";

export class TemplateError extends Error {
  constructor(
    readonly kind: TemplateErrorKind,
    /** Meta's error code (100 for every template refusal Meta documents). */
    readonly code: number,
    message: string,
    /** Meta's error_subcode, when one is known. */
    readonly subcode?: number,
  ) {
    super(message);
    this.name = "TemplateError";
  }
}
export const isTemplateError = (e: unknown): e is TemplateError => e instanceof TemplateError;

/** Meta's texts (the cooldown text is the one 8x8's OpenAPI quotes from Meta). */
export const TEMPLATE_TEXT = {
  exists: (lang: string) => `Content in this language already exists: there is already ${lang} content for this template`,
  reuseBlocked: (lang: string) =>
    `New ${lang} content can't be added while the existing ${lang} content is being deleted. Try again in 4 weeks or consider creating a new message template.`,
  notFound: "Message template not found",
  pendingEdit: "Message templates in PENDING status can't be edited",
  disabledEdit: "Message templates in DISABLED status can't be edited",
  disabledDelete: "Message templates in DISABLED status can't be deleted",
  editDay: "Message template edit limit reached: an approved template can be edited once in 24 hours",
  editMonth: "Message template edit limit reached: an approved template can be edited 10 times in 30 days",
  categoryLocked: "The category of an approved message template can't be changed",
  flowNotPublished: (id: string) => `Flow ${id} must be a published flow of this WhatsApp Business Account`,
} as const;
/** Subcodes client libraries branch on (no official table: see docs/templates.md). */
export const TEMPLATE_SUBCODES = { reuseBlocked: 2388023, exists: 2388024 } as const;

export type TemplateComponent = Record<string, unknown>;

export interface TemplateEdit {
  /** Epoch ms of the edit. */
  at: number;
  /** Status before the edit (only edits of APPROVED templates count against the limits). */
  fromStatus: TemplateStatus;
  /** What changed. */
  fields: string[];
}

export interface TemplateRecord {
  /** Meta's template id (numeric string). */
  id: string;
  /** Emulator account key. */
  wabaId: string;
  name: string;
  language: string;
  category: TemplateCategory;
  /** Meta-shaped components (snake_case keys), replaced wholesale by an edit. */
  components: TemplateComponent[];
  status: TemplateStatus;
  /** Meta's `rejected_reason` ("NONE" unless REJECTED). */
  rejectedReason: string;
  qualityScore: QualityScore;
  /** Ids of the flows the FLOW buttons point at. */
  flowIds: string[];
  parameterFormat?: string;
  messageSendTtlSeconds?: number;
  /** When a PENDING template is approved by the simulated review (epoch ms); null = waits for an admin. */
  reviewDueAt: number | null;
  edits: TemplateEdit[];
  createdAt: string;
  updatedAt: string;
}

/** A name that cannot be used again until `until` (epoch ms). */
export interface BlockedName {
  wabaId: string;
  name: string;
  until: number;
}

export interface TemplateSnapshot {
  nextTemplateSeq: number;
  templates: TemplateRecord[];
  blockedNames: BlockedName[];
}

/** What `GET /_emulator/templates` lists. */
export interface TemplateSummaryView {
  templateId: string;
  wabaId: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  flowIds: string[];
}

/** Everything an admin caller sees of one template. */
export interface TemplateView extends TemplateSummaryView {
  components: TemplateComponent[];
  rejectedReason: string;
  qualityScore: QualityScore;
  parameterFormat: string | null;
  edits: TemplateEdit[];
  /** Edits left before Meta's limits refuse one (APPROVED templates only; null otherwise). */
  editsLeft: { day: number; month: number } | null;
  reviewDueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TemplateCreateInput {
  name: string;
  language: string;
  category: string;
  components: TemplateComponent[];
  parameterFormat?: string;
  messageSendTtlSeconds?: number;
}

export interface TemplateEditInput {
  category?: string;
  components?: TemplateComponent[];
  parameterFormat?: string;
  messageSendTtlSeconds?: number;
}

/** Out-of-band change (Meta's review, quality monitoring, WhatsApp Manager). */
export interface TemplatePatch {
  status?: TemplateStatus;
  rejectedReason?: string;
  qualityScore?: QualityScore;
  category?: TemplateCategory;
}

export interface TemplateStoreOptions {
  /**
   * Delay of the simulated review: a PENDING template becomes APPROVED this many ms after its
   * creation or edit (checked on every access). null = never on its own (admin approve/reject only).
   * Default 0: the create/edit answer says PENDING, the next read APPROVED.
   */
  reviewMs?: number | null;
  /** Persistence hook, called after every mutation. */
  onChange?: () => void;
}

const bad = (message: string) => new TemplateError("INVALID_ARGUMENT", 100, message);

/** Checks Meta's documented component limits; returns the FLOW button flow references. */
export function checkComponents(components: unknown): { flowRefs: { index: string; flowId?: string; flowName?: string }[] } {
  if (!Array.isArray(components) || components.length === 0) throw bad("Param components must be a non-empty array");
  const flowRefs: { index: string; flowId?: string; flowName?: string }[] = [];
  const seen = new Set<string>();
  let bodies = 0;
  components.forEach((c, i) => {
    if (!c || typeof c !== "object" || Array.isArray(c)) throw bad(`Param components[${i}] must be an object`);
    const comp = c as Record<string, unknown>;
    const type = typeof comp.type === "string" ? comp.type.toUpperCase() : undefined;
    if (!type) throw bad(`Param components[${i}][type] is required`);
    if (type !== "BUTTONS" && type !== "BODY" && type !== "HEADER" && type !== "FOOTER" && type !== "CAROUSEL") {
      if (!["LIMITED_TIME_OFFER", "CALL_PERMISSION_REQUEST"].includes(type)) throw bad(`Param components[${i}][type] is invalid: ${type}`);
    }
    if (seen.has(type)) throw bad(`Param components can contain at most one ${type} component`);
    seen.add(type);
    const text = comp.text;
    if (type === "BODY") {
      bodies++;
      if (typeof text !== "string" || text === "") throw bad(`Param components[${i}][text] is required for a BODY component`);
      if (text.length > MAX_BODY_CHARS) throw bad(`Param components[${i}][text] must be at most ${MAX_BODY_CHARS} characters long`);
    }
    if (type === "HEADER" && typeof text === "string" && text.length > MAX_HEADER_TEXT_CHARS)
      throw bad(`Param components[${i}][text] must be at most ${MAX_HEADER_TEXT_CHARS} characters long`);
    if (type === "FOOTER") {
      if (typeof text !== "string" || text === "") throw bad(`Param components[${i}][text] is required for a FOOTER component`);
      if (text.length > MAX_FOOTER_CHARS) throw bad(`Param components[${i}][text] must be at most ${MAX_FOOTER_CHARS} characters long`);
    }
    if (type === "BUTTONS") {
      const buttons = comp.buttons;
      if (!Array.isArray(buttons) || buttons.length === 0) throw bad(`Param components[${i}][buttons] must be a non-empty array`);
      if (buttons.length > MAX_BUTTONS) throw bad(`Param components[${i}][buttons] must have at most ${MAX_BUTTONS} elements`);
      buttons.forEach((b, j) => {
        if (!b || typeof b !== "object" || Array.isArray(b)) throw bad(`Param components[${i}][buttons][${j}] must be an object`);
        const btn = b as Record<string, unknown>;
        const btype = typeof btn.type === "string" ? btn.type.toUpperCase() : undefined;
        if (!btype) throw bad(`Param components[${i}][buttons][${j}][type] is required`);
        if (btype !== "OTP" && (typeof btn.text !== "string" || btn.text === ""))
          throw bad(`Param components[${i}][buttons][${j}][text] is required`);
        if (typeof btn.text === "string" && btn.text.length > MAX_BUTTON_TEXT_CHARS)
          throw bad(`Param components[${i}][buttons][${j}][text] must be at most ${MAX_BUTTON_TEXT_CHARS} characters long`);
        if (btype === "FLOW") {
          const refs = ["flow_id", "flow_name", "flow_json"].filter((k) => btn[k] !== undefined && btn[k] !== null);
          if (refs.length !== 1)
            throw bad(`Param components[${i}][buttons][${j}] must have exactly one of flow_id, flow_name or flow_json`);
          if (refs[0] === "flow_json")
            throw bad(`Param components[${i}][buttons][${j}][flow_json] is not supported by the emulator: create the flow and use flow_id`);
          const action = btn.flow_action;
          if (action !== undefined && action !== "navigate" && action !== "data_exchange")
            throw bad(`Param components[${i}][buttons][${j}][flow_action] must be one of {navigate, data_exchange}`);
          const id = btn.flow_id;
          if (id !== undefined && typeof id !== "string" && typeof id !== "number")
            throw bad(`Param components[${i}][buttons][${j}][flow_id] must be a string`);
          flowRefs.push({
            index: `components[${i}][buttons][${j}]`,
            flowId: id !== undefined ? String(id) : undefined,
            flowName: typeof btn.flow_name === "string" ? btn.flow_name : undefined,
          });
        }
      });
    }
  });
  if (bodies === 0) throw bad("Param components must contain a BODY component");
  return { flowRefs };
}

function checkCategory(category: unknown): TemplateCategory {
  if (typeof category !== "string" || !(TEMPLATE_CATEGORIES as readonly string[]).includes(category.toUpperCase()))
    throw bad(`Param category must be one of {${TEMPLATE_CATEGORIES.join(", ")}} - got "${String(category)}"`);
  return category.toUpperCase() as TemplateCategory;
}

export class TemplateStore {
  private templates = new Map<string, TemplateRecord>();
  private blocked: BlockedName[] = [];
  private nextSeq = FIRST_TEMPLATE_ID;
  reviewMs: number | null;
  private readonly onChange?: () => void;

  constructor(
    private readonly flows: FlowStore,
    opts: TemplateStoreOptions = {},
  ) {
    this.reviewMs = opts.reviewMs === undefined ? DEFAULT_TEMPLATE_REVIEW_MS : opts.reviewMs;
    this.onChange = opts.onChange;
  }

  private now(): number {
    return this.flows.now();
  }

  // ---------------------------------------------------------------- state

  snapshot(): TemplateSnapshot {
    return {
      nextTemplateSeq: this.nextSeq,
      templates: [...this.templates.values()].map((t) => structuredClone(t)),
      blockedNames: this.blocked.map((b) => ({ ...b })),
    };
  }

  load(s: TemplateSnapshot | undefined): void {
    if (!s) return;
    this.templates = new Map((s.templates ?? []).map((t) => [t.id, t]));
    this.blocked = [...(s.blockedNames ?? [])];
    this.nextSeq = Math.max(s.nextTemplateSeq ?? FIRST_TEMPLATE_ID, FIRST_TEMPLATE_ID);
  }

  /** Forgets every template and blocked name (ids keep increasing). */
  reset(): void {
    this.templates.clear();
    this.blocked = [];
    this.changed();
  }

  private changed(): void {
    this.onChange?.();
  }

  /** Applies the simulated review: PENDING templates whose review is due become APPROVED. */
  private settle(): void {
    const now = this.now();
    let any = false;
    for (const t of this.templates.values()) {
      if (t.status === "PENDING" && t.reviewDueAt !== null && t.reviewDueAt <= now) {
        t.status = "APPROVED";
        t.rejectedReason = "NONE";
        t.reviewDueAt = null;
        t.updatedAt = new Date(now).toISOString();
        any = true;
      }
    }
    if (any) this.changed();
  }

  private sorted(): TemplateRecord[] {
    return [...this.templates.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
  }

  private requireWaba(wabaKey: string) {
    const w = this.flows.findWaba(wabaKey);
    if (!w) throw new TemplateError("WABA_NOT_FOUND", 100, `WhatsApp Business Account ${wabaKey} not found`);
    return w;
  }

  private require(wabaKey: string, templateId: string): TemplateRecord {
    const waba = this.requireWaba(wabaKey);
    this.settle();
    const t = this.templates.get(templateId);
    if (!t || t.wabaId !== waba.id) throw new TemplateError("TEMPLATE_NOT_FOUND", 100, TEMPLATE_TEXT.notFound);
    return t;
  }

  /** The account a template belongs to (dialects addressing a template by id alone). */
  ownerOf(templateId: string): string | undefined {
    return this.templates.get(templateId)?.wabaId;
  }

  /**
   * Checks the components and resolves each FLOW button to a PUBLISHED flow of the account; returns the
   * flow ids. A button naming its flow by `flow_name` is stored with the `flow_id` instead (Meta keeps the
   * id: renaming the flow later does not touch the template).
   */
  private boundFlows(wabaId: string, components: TemplateComponent[]): string[] {
    const { flowRefs } = checkComponents(components);
    const flows = this.flows.listFlows(wabaId);
    const ids: string[] = [];
    const flowButtons = components.flatMap((c) =>
      String(c.type).toUpperCase() === "BUTTONS" && Array.isArray(c.buttons)
        ? (c.buttons as Record<string, unknown>[]).filter((b) => String(b.type).toUpperCase() === "FLOW")
        : [],
    );
    for (const [i, ref] of flowRefs.entries()) {
      const flow = ref.flowId !== undefined ? flows.find((f) => f.id === ref.flowId) : flows.find((f) => f.name === ref.flowName);
      const shown = ref.flowId ?? ref.flowName ?? "?";
      if (!flow || flow.status !== "PUBLISHED") throw new TemplateError("FLOW_NOT_PUBLISHED", 100, TEMPLATE_TEXT.flowNotPublished(shown));
      ids.push(flow.id);
      const button = flowButtons[i];
      if (button && button.flow_name !== undefined) {
        delete button.flow_name;
        button.flow_id = flow.id;
      }
    }
    return ids;
  }

  private dueAt(): number | null {
    return this.reviewMs === null ? null : this.now() + this.reviewMs;
  }

  // ---------------------------------------------------------------- vendor operations

  create(wabaKey: string, input: TemplateCreateInput): TemplateRecord {
    const waba = this.requireWaba(wabaKey);
    this.settle();
    if (typeof input.name !== "string" || !TEMPLATE_NAME.test(input.name))
      throw bad("Param name must be at most 512 characters: lowercase letters, digits and underscores");
    if (typeof input.language !== "string" || !TEMPLATE_LANGUAGE.test(input.language))
      throw bad(`Param language must be a language code such as en_US - got "${String(input.language)}"`);
    const category = checkCategory(input.category);
    const components = structuredClone(input.components);
    const flowIds = this.boundFlows(waba.id, components);
    const now = this.now();
    this.blocked = this.blocked.filter((b) => b.until > now);
    if (this.blocked.some((b) => b.wabaId === waba.id && b.name === input.name))
      throw new TemplateError("NAME_REUSE_BLOCKED", 100, TEMPLATE_TEXT.reuseBlocked(input.language), TEMPLATE_SUBCODES.reuseBlocked);
    for (const t of this.templates.values()) {
      if (t.wabaId === waba.id && t.name === input.name && t.language === input.language)
        throw new TemplateError("TEMPLATE_EXISTS", 100, TEMPLATE_TEXT.exists(input.language), TEMPLATE_SUBCODES.exists);
    }
    const iso = new Date(now).toISOString();
    const t: TemplateRecord = {
      id: String(this.nextSeq++),
      wabaId: waba.id,
      name: input.name,
      language: input.language,
      category,
      components,
      status: "PENDING",
      rejectedReason: "NONE",
      qualityScore: "UNKNOWN",
      flowIds,
      ...(input.parameterFormat !== undefined ? { parameterFormat: input.parameterFormat } : {}),
      ...(input.messageSendTtlSeconds !== undefined ? { messageSendTtlSeconds: input.messageSendTtlSeconds } : {}),
      reviewDueAt: this.dueAt(),
      edits: [],
      createdAt: iso,
      updatedAt: iso,
    };
    this.templates.set(t.id, t);
    this.changed();
    return structuredClone(t);
  }

  get(wabaKey: string, templateId: string): TemplateRecord {
    return structuredClone(this.require(wabaKey, templateId));
  }

  /** The template of this account with this name and language, if any. */
  find(wabaKey: string, name: string, language: string): TemplateRecord | undefined {
    const waba = this.requireWaba(wabaKey);
    this.settle();
    const t = [...this.templates.values()].find((x) => x.wabaId === waba.id && x.name === name && x.language === language);
    return t ? structuredClone(t) : undefined;
  }

  /** Templates of one account in id (creation) order. */
  list(wabaKey: string): TemplateRecord[] {
    const waba = this.requireWaba(wabaKey);
    this.settle();
    return this.sorted()
      .filter((t) => t.wabaId === waba.id)
      .map((t) => structuredClone(t));
  }

  /** Edits left under Meta's limits for an APPROVED template at time `now`. */
  editsLeft(t: TemplateRecord, now = this.now()): { day: number; month: number } {
    const counted = t.edits.filter((e) => e.fromStatus === "APPROVED");
    const day = counted.filter((e) => e.at > now - EDIT_WINDOW_DAY_MS).length;
    const month = counted.filter((e) => e.at > now - EDIT_WINDOW_MONTH_MS).length;
    return { day: Math.max(0, MAX_EDITS_PER_DAY - day), month: Math.max(0, MAX_EDITS_PER_MONTH - month) };
  }

  /**
   * Meta's edit: APPROVED, REJECTED and PAUSED templates only; components replaced wholesale; the
   * category of an APPROVED template is fixed; APPROVED: 1 edit / 24 h and 10 / 30 days. The edited
   * template goes back to review (PENDING).
   */
  edit(wabaKey: string, templateId: string, input: TemplateEditInput): TemplateRecord {
    const t = this.require(wabaKey, templateId);
    if (t.status === "PENDING") throw new TemplateError("INVALID_STATE", 100, TEMPLATE_TEXT.pendingEdit);
    if (t.status === "DISABLED") throw new TemplateError("INVALID_STATE", 100, TEMPLATE_TEXT.disabledEdit);
    const fields: string[] = [];
    let category: TemplateCategory | undefined;
    if (input.category !== undefined) {
      category = checkCategory(input.category);
      if (category !== t.category) {
        if (t.status === "APPROVED") throw new TemplateError("NOT_EDITABLE_FIELD", 100, TEMPLATE_TEXT.categoryLocked);
        fields.push("category");
      }
    }
    let flowIds: string[] | undefined;
    const components = input.components === undefined ? undefined : structuredClone(input.components);
    if (components !== undefined) {
      flowIds = this.boundFlows(t.wabaId, components);
      fields.push("components");
    }
    if (input.parameterFormat !== undefined) fields.push("parameter_format");
    if (input.messageSendTtlSeconds !== undefined) fields.push("message_send_ttl_seconds");
    if (fields.length === 0) throw bad("Nothing to update: send components, category, parameter_format or message_send_ttl_seconds");
    const now = this.now();
    if (t.status === "APPROVED") {
      const left = this.editsLeft(t, now);
      if (left.day <= 0) throw new TemplateError("EDIT_LIMIT", 100, TEMPLATE_TEXT.editDay);
      if (left.month <= 0) throw new TemplateError("EDIT_LIMIT", 100, TEMPLATE_TEXT.editMonth);
    }
    t.edits.push({ at: now, fromStatus: t.status, fields });
    if (category !== undefined) t.category = category;
    if (components !== undefined) {
      t.components = components;
      t.flowIds = flowIds!;
    }
    if (input.parameterFormat !== undefined) t.parameterFormat = input.parameterFormat;
    if (input.messageSendTtlSeconds !== undefined) t.messageSendTtlSeconds = input.messageSendTtlSeconds;
    t.status = "PENDING";
    t.rejectedReason = "NONE";
    t.reviewDueAt = this.dueAt();
    t.updatedAt = new Date(now).toISOString();
    this.changed();
    return structuredClone(t);
  }

  private remove(ts: TemplateRecord[]): void {
    const now = this.now();
    for (const t of ts) {
      if (t.status === "DISABLED") throw new TemplateError("INVALID_STATE", 100, TEMPLATE_TEXT.disabledDelete);
    }
    for (const t of ts) {
      this.templates.delete(t.id);
      if (t.status === "APPROVED" && !this.blocked.some((b) => b.wabaId === t.wabaId && b.name === t.name && b.until > now)) {
        this.blocked.push({ wabaId: t.wabaId, name: t.name, until: now + NAME_REUSE_BLOCK_MS });
      }
    }
    this.changed();
  }

  /**
   * Meta's delete: by name = every language of that name; by name + id = that one template. An
   * APPROVED template's name is blocked for 30 days. Returns the deleted templates.
   */
  deleteByName(wabaKey: string, name: string, templateId?: string): TemplateRecord[] {
    const waba = this.requireWaba(wabaKey);
    this.settle();
    const hits = [...this.templates.values()].filter(
      (t) => t.wabaId === waba.id && t.name === name && (templateId === undefined || t.id === templateId),
    );
    if (hits.length === 0) throw new TemplateError("TEMPLATE_NOT_FOUND", 100, TEMPLATE_TEXT.notFound);
    const out = hits.map((t) => structuredClone(t));
    this.remove(hits);
    return out;
  }

  /** Deletes one template by id (the AWS and 360dialog forms resolve to this or `deleteByName`). */
  deleteById(wabaKey: string, templateId: string): TemplateRecord {
    const t = this.require(wabaKey, templateId);
    const out = structuredClone(t);
    this.remove([t]);
    return out;
  }

  // ---------------------------------------------------------------- admin

  all(wabaKey?: string): TemplateSummaryView[] {
    this.settle();
    const waba = wabaKey !== undefined ? this.flows.findWaba(wabaKey) : undefined;
    if (wabaKey !== undefined && !waba) return [];
    return this.sorted()
      .filter((t) => !waba || t.wabaId === waba.id)
      .map((t) => ({
        templateId: t.id,
        wabaId: t.wabaId,
        name: t.name,
        language: t.language,
        status: t.status,
        category: t.category,
        flowIds: [...t.flowIds],
      }));
  }

  view(templateId: string): TemplateView | undefined {
    this.settle();
    const t = this.templates.get(templateId);
    if (!t) return undefined;
    return {
      templateId: t.id,
      wabaId: t.wabaId,
      name: t.name,
      language: t.language,
      status: t.status,
      category: t.category,
      flowIds: [...t.flowIds],
      components: structuredClone(t.components),
      rejectedReason: t.rejectedReason,
      qualityScore: t.qualityScore,
      parameterFormat: t.parameterFormat ?? null,
      edits: t.edits.map((e) => ({ ...e, fields: [...e.fields] })),
      editsLeft: t.status === "APPROVED" ? this.editsLeft(t) : null,
      reviewDueAt: t.reviewDueAt === null ? null : new Date(t.reviewDueAt).toISOString(),
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }

  /** Meta's review and monitoring, out of band: approve, reject (with a reason), pause, disable, quality. */
  patch(templateId: string, p: TemplatePatch): TemplateView {
    this.settle();
    const t = this.templates.get(templateId);
    if (!t) throw new TemplateError("TEMPLATE_NOT_FOUND", 100, TEMPLATE_TEXT.notFound);
    if (p.status !== undefined && !TEMPLATE_STATUSES.includes(p.status)) throw bad(`Unknown status ${String(p.status)}`);
    if (p.qualityScore !== undefined && !(QUALITY_SCORES as readonly string[]).includes(p.qualityScore))
      throw bad(`Unknown quality score ${String(p.qualityScore)}`);
    if (p.rejectedReason !== undefined && typeof p.rejectedReason !== "string") throw bad("rejectedReason must be a string");
    if (p.category !== undefined) t.category = checkCategory(p.category);
    if (p.status !== undefined) {
      t.status = p.status;
      t.reviewDueAt = p.status === "PENDING" ? this.dueAt() : null;
      t.rejectedReason = p.status === "REJECTED" ? (p.rejectedReason ?? "INVALID_FORMAT") : "NONE";
    } else if (p.rejectedReason !== undefined) t.rejectedReason = p.rejectedReason;
    if (p.qualityScore !== undefined) t.qualityScore = p.qualityScore;
    t.updatedAt = new Date(this.now()).toISOString();
    this.changed();
    return this.view(t.id)!;
  }

  /** Names blocked by a deletion, still in force. */
  blockedNames(): BlockedName[] {
    const now = this.now();
    return this.blocked.filter((b) => b.until > now).map((b) => ({ ...b }));
  }
}
