/**
 * Message templates (issue 19): the resource's inputs and state, the translation of its camelCase
 * inputs to Meta's template JSON (which AWS and 360dialog relay, and which the backends speak), and the
 * edit budget Meta sets on APPROVED templates. Vendor-neutral: no vendor is named here.
 */

export const TEMPLATE_CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];
export type TemplateStatus = "PENDING" | "APPROVED" | "REJECTED" | "PAUSED" | "DISABLED" | string;

/** A button as declared (camelCase); `type` FLOW carries `flowId`, `flowAction`, `navigateScreen`. */
export interface TemplateButtonInput {
  type: string;
  text?: string;
  flowId?: string;
  flowAction?: "navigate" | "data_exchange";
  navigateScreen?: string;
  url?: string;
  phoneNumber?: string;
  example?: string[];
  [key: string]: unknown;
}

export interface TemplateComponentInput {
  type: "HEADER" | "BODY" | "FOOTER" | "BUTTONS" | string;
  format?: string;
  text?: string;
  example?: { bodyText?: string[][]; headerText?: string[]; [key: string]: unknown };
  buttons?: TemplateButtonInput[];
  [key: string]: unknown;
}

export interface TemplateInputs {
  waba: string;
  name: string;
  language: string;
  category: TemplateCategory;
  components: TemplateComponentInput[];
  /** Wait for the review's verdict in `up` (bounded by approvalTimeoutSeconds). */
  waitForApproval?: boolean;
  approvalTimeoutSeconds?: number;
  /** The Flow JSON of the flow the FLOW button opens, when known: `navigateScreen` is checked against its screens. */
  flowJson?: string;
  /** Adopt the existing template with this id at creation (what `whatsapp-flows import` writes); read at creation only. */
  adoptTemplateId?: string;
  /** The promotion gate's requirement (provider/promotion.ts): checked by `check`, not kept in state. */
  promotion?: { stack: string; contentSha256: string | null; status: string | null; flowRefs?: (string | null)[] };
  /**
   * Set by the SDK: flows the replacements of the flows this template sends kept published for their
   * templates (the linked resources' `retiringFlowIds`). Once the template points elsewhere, it retires
   * those it sent before. A change here alone is no change.
   */
  supersededFlowIds?: string[];
}

/** Meta-shaped components (snake_case keys), as the backends send and read them. */
export type MetaComponent = Record<string, unknown>;

export const TEMPLATE_STATE_VERSION = 1;

export interface TemplateOutputs extends TemplateInputs {
  schemaVersion: number;
  vendor: string;
  /** The vendor's template id (Meta's id; on 8x8, whose API answers none, `<name>/<language>`). */
  templateId: string;
  /** The template's name in the account: the declared name, or `<name>_v<N>` after a replacement. */
  liveName: string;
  generation: number;
  status: TemplateStatus;
  rejectedReason: string | null;
  qualityScore: string | null;
  /** The flows its FLOW buttons point at (item 3 repoints these when a flow is replaced). */
  flowIds: string[];
  /** Epoch ms of each edit applied while the template was APPROVED (Meta's edit budget). */
  approvedEdits: number[];
  /** Flows this template stopped sending whose retirement an error interrupted: the next update retries (absent normally). */
  retiringFlowIds?: string[];
  /** Flows the last update deprecated once this template no longer sent them (absent normally). */
  retiredFlowIds?: string[];
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function mapKeys(v: unknown, f: (k: string) => string): unknown {
  if (Array.isArray(v)) return v.map((x) => mapKeys(x, f));
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [f(k), mapKeys(x, f)]),
    );
  }
  return v;
}

/** Declared camelCase components → Meta's template JSON (`bodyText` → `body_text`, `flowId` → `flow_id`, …). */
export function toMetaComponents(components: TemplateComponentInput[]): MetaComponent[] {
  return (mapKeys(components, snake) as MetaComponent[]).map((c) => ({
    ...c,
    ...(typeof c.type === "string" ? { type: c.type.toUpperCase() } : {}),
    ...(Array.isArray(c.buttons)
      ? {
          buttons: (c.buttons as Record<string, unknown>[]).map((b) =>
            typeof b.type === "string" ? { ...b, type: b.type.toUpperCase() } : b,
          ),
        }
      : {}),
  }));
}

/** Meta's template JSON → the camelCase shape of the inputs (refresh shows drift in the declared shape). */
export function fromMetaComponents(components: MetaComponent[]): TemplateComponentInput[] {
  return mapKeys(components, camel) as TemplateComponentInput[];
}

/** The flow ids the FLOW buttons point at, in order. */
export function flowIdsOf(components: MetaComponent[]): string[] {
  const ids: string[] = [];
  for (const c of components) {
    if (String(c.type).toUpperCase() !== "BUTTONS" || !Array.isArray(c.buttons)) continue;
    for (const b of c.buttons as Record<string, unknown>[]) {
      if (String(b.type).toUpperCase() === "FLOW" && b.flow_id !== undefined && b.flow_id !== null) ids.push(String(b.flow_id));
    }
  }
  return ids;
}

/** Sorted keys, no null/undefined members, numbers as strings: equal content gives equal JSON text. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined && (v as Record<string, unknown>)[k] !== null)
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  if (typeof v === "number") return String(v);
  return v;
}

/** Same content (category and components), whatever the key order or number-vs-string ids. */
export function sameContent(
  a: { category: string; components: MetaComponent[] },
  b: { category: string; components: MetaComponent[] },
): boolean {
  return (
    a.category.toUpperCase() === b.category.toUpperCase() &&
    JSON.stringify(canonical(a.components)) === JSON.stringify(canonical(b.components))
  );
}

// ------------------------------------------------------------------------------------------------
// Meta's edit budget of an APPROVED template (docs/templates.md, "Edit"): 1 per 24 hours, 10 per 30 days.

export const EDIT_DAY_MS = 24 * 3600 * 1000;
export const EDIT_MONTH_MS = 30 * EDIT_DAY_MS;
export const MAX_EDITS_PER_DAY = 1;
export const MAX_EDITS_PER_MONTH = 10;

export interface EditBudget {
  day: number;
  month: number;
  /** When the next edit becomes possible (epoch ms), when none is left now. */
  nextAt?: number;
}

export function editBudget(edits: readonly number[], now = Date.now()): EditBudget {
  const inDay = edits.filter((t) => t > now - EDIT_DAY_MS).sort((a, b) => a - b);
  const inMonth = edits.filter((t) => t > now - EDIT_MONTH_MS).sort((a, b) => a - b);
  const day = Math.max(0, MAX_EDITS_PER_DAY - inDay.length);
  const month = Math.max(0, MAX_EDITS_PER_MONTH - inMonth.length);
  let nextAt: number | undefined;
  if (day === 0 || month === 0) {
    const dayFree = day > 0 ? now : inDay[inDay.length - MAX_EDITS_PER_DAY] + EDIT_DAY_MS;
    const monthFree = month > 0 ? now : inMonth[inMonth.length - MAX_EDITS_PER_MONTH] + EDIT_MONTH_MS;
    nextAt = Math.max(dayFree, monthFree);
  }
  return { day, month, ...(nextAt !== undefined ? { nextAt } : {}) };
}

/** Edits recorded in the last 30 days (older ones no longer count and are dropped from state). */
export const recentEdits = (edits: readonly number[], now = Date.now()): number[] => edits.filter((t) => t > now - EDIT_MONTH_MS);

/** The live name of generation `n` of a declared name: `name`, then `name_v2`, `name_v3`… */
export const templateLiveName = (name: string, generation: number): string => (generation <= 1 ? name : `${name}_v${generation}`);
