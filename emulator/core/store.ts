/**
 * The vendor-neutral lifecycle core: one in-memory store of linked WABAs and their flows, with the
 * state machine of docs/lifecycle.md enforced here (once), so every dialect behaves the same way.
 * Operations throw `CoreError`; dialects translate.
 */
import { createHash, randomUUID } from "node:crypto";
import { flowJsonVersions } from "../../provider/flow-json";
import { VENDORS as REGISTRY, type ValidationTarget, type VendorName } from "../../provider/vendors/registry";
import { validateFlowJson } from "../../provider/validation";
import { accountMatches, makeWaba, normalizeWaba } from "./accounts";
import { CoreError, META_TEXT, MIGRATE_NAME_EXISTS_CODE } from "./errors";
import {
  FLOW_STATUSES,
  type PublishedEditRule,
  type FlowPatch,
  type FlowRecord,
  type FlowStatus,
  type FlowView,
  type PersistedState,
  type PreviewRecord,
  type ValidationProblem,
  type WabaInput,
  type WabaRecord,
} from "./types";

export type { ValidationTarget } from "../../provider/vendors/registry";
export { makeWaba };

/** First flow id handed out (Meta flow ids are 15-16 digit numbers). */
export const FIRST_FLOW_ID = 1_000_000_000_000_001;
/** How long a preview minted through a vendor's API lives: what the registry says that vendor documents. */
export const previewLifetimeMs = (vendor: VendorName): number => REGISTRY[vendor].capabilities.previewLifetimeHours * 3600 * 1000;

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** Meta's timestamp style for `expires_at`: `2025-06-01T10:00:00+0000`. */
export function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

interface AnalysedJson {
  jsonBase64: string;
  jsonSha256: string;
  jsonVersion: string | null;
  dataApiVersion: string | null;
  validationErrors: ValidationProblem[];
}

/** Turns one validator problem into the stored Meta-shaped object (severity dropped). */
function stripSeverity(p: object): ValidationProblem {
  const { severity: _s, ...rest } = p as Record<string, unknown>;
  return rest;
}

export function analyseJson(bytes: Buffer, target: ValidationTarget): AnalysedJson {
  const text = bytes.toString("utf8");
  // Unparsable JSON has no version (the validator reports why).
  const versions = flowJsonVersions(text);
  const jsonVersion = versions.version ?? null;
  const dataApiVersion = versions.dataApiVersion ?? null;
  let validationErrors: ValidationProblem[];
  if (bytes.length === 0 || text.trim() === "") {
    validationErrors = [
      {
        error: "INVALID_FLOW_JSON",
        error_type: "JSON_SCHEMA_ERROR",
        message: "Flow JSON is empty",
        line_start: 0,
        line_end: 0,
        column_start: 0,
        column_end: 0,
        pointers: [],
      },
    ];
  } else {
    try {
      validationErrors = validateFlowJson(text, { target }).errors.map(stripSeverity);
    } catch (e) {
      // The validator promises never to throw; if it does, report rather than crash.
      validationErrors = [
        {
          error: "INVALID_FLOW_JSON",
          error_type: "FLOW_JSON_ERROR",
          message: `Flow JSON could not be validated: ${(e as Error).message}`,
          line_start: 0,
          line_end: 0,
          column_start: 0,
          column_end: 0,
          pointers: [],
        },
      ];
    }
  }
  return { jsonBase64: bytes.toString("base64"), jsonSha256: sha256(bytes), jsonVersion, dataApiVersion, validationErrors };
}

export interface StoreOptions {
  wabas?: WabaInput[];
  /** Clock (epoch ms); tests may inject one. */
  now?: () => number;
  /** Called after every mutation (persistence hook). */
  onChange?: (state: PersistedState) => void;
}

export interface CreateInput {
  name: string;
  categories: string[];
  json?: Buffer;
  publish?: boolean;
  cloneFlowId?: string;
  endpointUri?: string;
}

/** One source flow's outcome in `migrateFlows` (Meta's keys; the dialects stringify as needed). */
export type MigrationResult =
  | { ok: true; sourceName: string; sourceId: string; migratedId: string }
  | { ok: false; sourceName: string; errorCode: number; errorMessage: string };

/** Extra behaviour a fault may ask of a mutation: report these problems as if Meta found them. */
export interface Injection {
  validationErrors?: ValidationProblem[];
}

export class FlowStore {
  private wabas: WabaRecord[] = [];
  private flows = new Map<string, FlowRecord>();
  private nextFlowSeq = FIRST_FLOW_ID;
  private previewSeq = 0;
  private readonly configuredWabas: WabaInput[];
  readonly now: () => number;
  private readonly onChange?: (state: PersistedState) => void;

  constructor(opts: StoreOptions = {}) {
    this.configuredWabas = opts.wabas ?? DEFAULT_WABA_INPUTS;
    this.now = opts.now ?? Date.now;
    this.onChange = opts.onChange;
    this.wabas = this.configuredWabas.map(makeWaba);
  }

  // ---------------------------------------------------------------- state & persistence

  snapshot(): PersistedState {
    return {
      format: "whatsapp-flows-emulator/1",
      nextFlowSeq: this.nextFlowSeq,
      previewSeq: this.previewSeq,
      wabas: this.wabas.map((w) => structuredClone(w)),
      flows: [...this.flows.values()].map((f) => structuredClone(f)),
    };
  }

  /** Loads a persisted state; WABAs given explicitly to the constructor win over persisted ones. */
  load(state: PersistedState, keepConfiguredWabas: boolean): void {
    if (state.format !== "whatsapp-flows-emulator/1") throw new Error(`unsupported state format: ${String(state.format)}`);
    if (!keepConfiguredWabas && Array.isArray(state.wabas) && state.wabas.length > 0) this.wabas = state.wabas.map(normalizeWaba);
    this.flows = new Map((state.flows ?? []).map((f) => [f.id, f]));
    this.nextFlowSeq = Math.max(state.nextFlowSeq ?? FIRST_FLOW_ID, FIRST_FLOW_ID);
    this.previewSeq = state.previewSeq ?? 0;
  }

  /** Forgets every flow and restores the configured WABAs. Flow ids keep increasing (never reused). */
  reset(): void {
    this.flows.clear();
    this.wabas = this.configuredWabas.map(makeWaba);
    this.changed();
  }

  private changed(): void {
    this.onChange?.(this.snapshot());
  }

  // ---------------------------------------------------------------- accounts

  listWabas(): WabaRecord[] {
    return this.wabas.map((w) => structuredClone(w));
  }

  /**
   * Finds an account by any name it has: its key (the AWS id), the AWS ARN, Meta's WABA id, or any
   * vendor's account reference (`meta:…`, `360dialog:…/…`, `8x8:…/…`). Dialects use `findWabaBy`.
   */
  findWaba(key: string): WabaRecord | undefined {
    return this.wabas.find((w) => accountMatches(w, key));
  }

  /** The account a dialect addresses by its own identifiers (live record: do not mutate). */
  findWabaBy(pred: (w: WabaRecord) => boolean): WabaRecord | undefined {
    return this.wabas.find(pred);
  }

  requireWaba(key: string): WabaRecord {
    const w = this.findWaba(key);
    if (!w) throw new CoreError("WABA_NOT_FOUND", 100, `WhatsApp Business Account ${key} not found`);
    return w;
  }

  // ---------------------------------------------------------------- flows (vendor operations)

  private requireFlow(wabaKey: string, flowId: string): { waba: WabaRecord; flow: FlowRecord } {
    const waba = this.requireWaba(wabaKey);
    const flow = this.flows.get(flowId);
    if (!flow || flow.wabaId !== waba.id) throw new CoreError("NOT_FOUND", 100, META_TEXT.flowNotFound);
    return { waba, flow };
  }

  private assertNameFree(wabaId: string, name: string, exceptFlowId?: string): void {
    for (const f of this.flows.values()) {
      if (f.wabaId === wabaId && f.name === name && f.id !== exceptFlowId) {
        throw new CoreError("NAME_TAKEN", 100, META_TEXT.nameNotUnique);
      }
    }
  }

  private touch(flow: FlowRecord): void {
    flow.updatedAt = new Date(this.now()).toISOString();
  }

  private storeJson(flow: FlowRecord, bytes: Buffer, target: ValidationTarget, inject?: Injection): void {
    const a = analyseJson(bytes, target);
    flow.jsonBase64 = a.jsonBase64;
    flow.jsonSha256 = a.jsonSha256;
    flow.jsonVersion = a.jsonVersion;
    flow.dataApiVersion = a.dataApiVersion;
    flow.validationErrors = inject?.validationErrors ? inject.validationErrors.map(stripSeverity) : a.validationErrors;
  }

  createFlow(wabaKey: string, input: CreateInput, target: ValidationTarget, inject?: Injection): FlowRecord {
    const waba = this.requireWaba(wabaKey);
    let source: FlowRecord | undefined;
    if (input.cloneFlowId !== undefined) {
      source = this.flows.get(input.cloneFlowId);
      if (!source || source.wabaId !== waba.id) throw new CoreError("NOT_FOUND", 100, META_TEXT.flowNotFound);
    }
    this.assertNameFree(waba.id, input.name);
    const nowIso = new Date(this.now()).toISOString();
    const flow: FlowRecord = {
      id: String(this.nextFlowSeq++),
      wabaId: waba.id,
      name: input.name,
      categories: [...input.categories],
      status: "DRAFT",
      jsonBase64: null,
      jsonSha256: null,
      jsonVersion: null,
      dataApiVersion: null,
      validationErrors: [],
      preview: null,
      endpointUri: input.endpointUri ?? null,
      createdAt: nowIso,
      updatedAt: nowIso,
    };
    if (input.json !== undefined) {
      this.storeJson(flow, input.json, target, inject);
    } else if (source && source.jsonBase64 !== null) {
      this.storeJson(flow, Buffer.from(source.jsonBase64, "base64"), target, inject);
    } else if (inject?.validationErrors) {
      flow.validationErrors = inject.validationErrors.map(stripSeverity);
    }
    if (input.publish && flow.jsonBase64 !== null && flow.validationErrors.length === 0 && !needsEndpoint(flow)) flow.status = "PUBLISHED";
    this.flows.set(flow.id, flow);
    this.changed();
    return structuredClone(flow);
  }

  getFlow(wabaKey: string, flowId: string): FlowRecord {
    return structuredClone(this.requireFlow(wabaKey, flowId).flow);
  }

  /** Flows of one WABA, ordered by id (creation order). */
  listFlows(wabaKey: string): FlowRecord[] {
    const waba = this.requireWaba(wabaKey);
    return this.sortedFlows()
      .filter((f) => f.wabaId === waba.id)
      .map((f) => structuredClone(f));
  }

  private sortedFlows(): FlowRecord[] {
    return [...this.flows.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
  }

  /**
   * May this flow be edited (metadata or JSON)? DEPRECATED: never (139001). PUBLISHED / THROTTLED /
   * BLOCKED: a Meta legacy flow refuses (139001); otherwise the vendor's rule decides: `redraft`
   * (the edit goes through and the flow returns to DRAFT) or `refuse`.
   */
  private assertEditable(flow: FlowRecord, rule: PublishedEditRule): void {
    if (flow.status === "DEPRECATED") throw new CoreError("INVALID_STATE", 139001, META_TEXT.cantUpdate);
    if (flow.status === "DRAFT") return;
    if (flow.legacy) throw new CoreError("NOT_EDITABLE", 139001, META_TEXT.cantUpdate, undefined, "legacy");
    if (rule === "refuse") throw new CoreError("NOT_EDITABLE", 139001, META_TEXT.cantUpdate, undefined, "vendor-rule");
  }

  /**
   * Metadata edit. DRAFT stays DRAFT; PUBLISHED/THROTTLED/BLOCKED go back to DRAFT under the `redraft`
   * rule (Meta new-style behaviour, the documented AWS behaviour for asset edits) or are refused under
   * `refuse` / for legacy flows; DEPRECATED is refused. A patch with nothing in it is a no-op.
   */
  updateFlow(
    wabaKey: string,
    flowId: string,
    patch: { name?: string; categories?: string[]; endpointUri?: string; applicationId?: string },
    rule: PublishedEditRule = "redraft",
  ): FlowRecord {
    const { waba, flow } = this.requireFlow(wabaKey, flowId);
    if (flow.status === "DEPRECATED") throw new CoreError("INVALID_STATE", 139001, META_TEXT.cantUpdate);
    if (
      patch.name === undefined &&
      patch.categories === undefined &&
      patch.endpointUri === undefined &&
      patch.applicationId === undefined
    ) {
      return structuredClone(flow);
    }
    this.assertEditable(flow, rule);
    if (patch.name !== undefined) this.assertNameFree(waba.id, patch.name, flow.id);
    if (patch.name !== undefined) flow.name = patch.name;
    if (patch.categories !== undefined) flow.categories = [...patch.categories];
    if (patch.endpointUri !== undefined) flow.endpointUri = patch.endpointUri;
    if (patch.applicationId !== undefined) flow.applicationId = patch.applicationId;
    if (flow.status !== "DRAFT") flow.status = "DRAFT";
    this.touch(flow);
    this.changed();
    return structuredClone(flow);
  }

  /** Asset upload: stored even when invalid; an editable non-DRAFT flow reverts to DRAFT (see `updateFlow`). */
  updateAssets(
    wabaKey: string,
    flowId: string,
    json: Buffer,
    target: ValidationTarget,
    inject?: Injection,
    rule: PublishedEditRule = "redraft",
  ): FlowRecord {
    const { flow } = this.requireFlow(wabaKey, flowId);
    this.assertEditable(flow, rule);
    this.storeJson(flow, json, target, inject);
    flow.status = "DRAFT";
    this.touch(flow);
    this.changed();
    return structuredClone(flow);
  }

  /** Checks, without changing anything, that an edit of this flow would be accepted under `rule`. */
  checkEditable(wabaKey: string, flowId: string, rule: PublishedEditRule): void {
    this.assertEditable(this.requireFlow(wabaKey, flowId).flow, rule);
  }

  /**
   * Meta's migrate_flows (also 360dialog's): copies flows of `sourceKey` into `destKey` under the same
   * names, with new ids. A PUBLISHED source arrives PUBLISHED, anything else as DRAFT. A name already in
   * the destination (or not in the source) is a per-flow failure; the others proceed. `names` omitted =
   * every flow of the source, in id order.
   */
  migrateFlows(sourceKey: string, destKey: string, names: string[] | undefined, target: ValidationTarget): MigrationResult[] {
    const source = this.requireWaba(sourceKey);
    const dest = this.requireWaba(destKey);
    if (source.id === dest.id)
      throw new CoreError("INVALID_ARGUMENT", 100, "Source and destination WhatsApp Business Accounts must be different");
    const sourceFlows = this.sortedFlows().filter((f) => f.wabaId === source.id);
    const wanted = names ?? sourceFlows.map((f) => f.name);
    const results: MigrationResult[] = [];
    for (const name of wanted) {
      const src = sourceFlows.find((f) => f.name === name);
      if (!src) {
        results.push({ ok: false, sourceName: name, errorCode: 100, errorMessage: META_TEXT.migrateSourceMissing });
        continue;
      }
      if ([...this.flows.values()].some((f) => f.wabaId === dest.id && f.name === name)) {
        results.push({ ok: false, sourceName: name, errorCode: MIGRATE_NAME_EXISTS_CODE, errorMessage: META_TEXT.migrateNameExists });
        continue;
      }
      const copy = this.createFlow(
        dest.id,
        {
          name,
          categories: src.categories,
          json: src.jsonBase64 !== null ? Buffer.from(src.jsonBase64, "base64") : undefined,
          endpointUri: src.endpointUri ?? undefined,
        },
        target,
      );
      const live = this.flows.get(copy.id)!;
      if (src.status === "PUBLISHED") live.status = "PUBLISHED";
      results.push({ ok: true, sourceName: name, sourceId: src.id, migratedId: copy.id });
    }
    if (results.some((r) => r.ok)) this.changed();
    return results;
  }

  publishFlow(wabaKey: string, flowId: string): FlowRecord {
    const { flow } = this.requireFlow(wabaKey, flowId);
    if (flow.status !== "DRAFT") throw new CoreError("INVALID_STATE", 139002, META_TEXT.publishInvalidState);
    if (flow.jsonBase64 === null || flow.validationErrors.length > 0) {
      throw new CoreError("HAS_VALIDATION_ERRORS", 139002, META_TEXT.publishValidationErrors);
    }
    if (needsEndpoint(flow)) throw new CoreError("INVALID_STATE", 139002, META_TEXT.publishWithoutEndpoint);
    flow.status = "PUBLISHED";
    this.touch(flow);
    this.changed();
    return structuredClone(flow);
  }

  deprecateFlow(wabaKey: string, flowId: string): FlowRecord {
    const { flow } = this.requireFlow(wabaKey, flowId);
    if (flow.status === "DEPRECATED") throw new CoreError("INVALID_STATE", 139003, META_TEXT.alreadyDeprecated);
    if (flow.status === "DRAFT") throw new CoreError("INVALID_STATE", 139003, META_TEXT.deprecateUnpublished);
    flow.status = "DEPRECATED";
    flow.preview = null;
    this.touch(flow);
    this.changed();
    return structuredClone(flow);
  }

  deleteFlow(wabaKey: string, flowId: string): void {
    const { flow } = this.requireFlow(wabaKey, flowId);
    if (flow.status !== "DRAFT") throw new CoreError("INVALID_STATE", 139004, META_TEXT.deletePublished);
    this.flows.delete(flow.id);
    this.changed();
  }

  /**
   * The flow's web preview: created on first use, reused until it expires (30 days), rotated when
   * `invalidate` is set. Refused for DEPRECATED flows (AWS lists no action for them).
   */
  /** The flow's preview; a new one (when missing, expired or invalidated) lives as long as `vendor` documents. */
  preview(wabaKey: string, flowId: string, invalidate: boolean, vendor: VendorName): PreviewRecord {
    const { flow } = this.requireFlow(wabaKey, flowId);
    if (flow.status === "DEPRECATED") throw new CoreError("INVALID_STATE", 139002, META_TEXT.previewDeprecated);
    return this.ensurePreview(flow, invalidate, vendor);
  }

  /** Current preview for a Get (created if missing; none for DEPRECATED flows). */
  currentPreview(wabaKey: string, flowId: string, vendor: VendorName): PreviewRecord | null {
    const { flow } = this.requireFlow(wabaKey, flowId);
    if (flow.status === "DEPRECATED") return null;
    return this.ensurePreview(flow, false, vendor);
  }

  private ensurePreview(flow: FlowRecord, invalidate: boolean, vendor: VendorName): PreviewRecord {
    const now = this.now();
    if (!invalidate && flow.preview && flow.preview.expiresAtMs > now) return { ...flow.preview };
    const token = createHash("sha256").update(`${flow.id}/${++this.previewSeq}/${randomUUID()}`).digest("hex").slice(0, 40);
    const expiresAtMs = Math.floor((now + previewLifetimeMs(vendor)) / 1000) * 1000;
    flow.preview = {
      previewUrl: `https://business.facebook.com/wa/manage/flows/${flow.id}/preview/?token=${token}`,
      expiresAt: metaTime(expiresAtMs),
      expiresAtMs,
    };
    this.changed();
    return { ...flow.preview };
  }

  /** The stored JSON bytes of a flow if its current asset has this hash (download URLs are per asset version). */
  assetBytes(flowId: string, sha: string): Buffer | null {
    const flow = this.flows.get(flowId);
    if (!flow || flow.jsonBase64 === null || flow.jsonSha256 !== sha) return null;
    return Buffer.from(flow.jsonBase64, "base64");
  }

  // ---------------------------------------------------------------- out-of-band control (admin)

  allFlows(wabaKey?: string): FlowView[] {
    const waba = wabaKey !== undefined ? this.findWaba(wabaKey) : undefined;
    if (wabaKey !== undefined && !waba) return [];
    return this.sortedFlows()
      .filter((f) => !waba || f.wabaId === waba.id)
      .map((f) => toView(f));
  }

  flowView(flowId: string): FlowView | undefined {
    const f = this.flows.get(flowId);
    return f ? toView(f) : undefined;
  }

  /**
   * What a human in WhatsApp Manager or Meta's monitoring could do. Applies exactly what is asked
   * (a JSON replacement does not change the status unless `status` is given too). Names stay unique.
   */
  patchFlow(flowId: string, patch: FlowPatch, target: ValidationTarget = "aws"): FlowView {
    const flow = this.flows.get(flowId);
    if (!flow) throw new CoreError("NOT_FOUND", 100, META_TEXT.flowNotFound);
    if (patch.status !== undefined && !FLOW_STATUSES.includes(patch.status)) {
      throw new CoreError("INVALID_ARGUMENT", 100, `Unknown status ${String(patch.status)}`);
    }
    if (patch.name !== undefined) this.assertNameFree(flow.wabaId, patch.name, flow.id);
    if (patch.name !== undefined) flow.name = patch.name;
    if (patch.categories !== undefined) flow.categories = [...patch.categories];
    if (patch.flowJson !== undefined) {
      const text = typeof patch.flowJson === "string" ? patch.flowJson : JSON.stringify(patch.flowJson, null, 2);
      this.storeJson(flow, Buffer.from(text, "utf8"), target);
    }
    if (patch.validationErrors !== undefined) flow.validationErrors = patch.validationErrors.map(stripSeverity);
    if (patch.legacy !== undefined) flow.legacy = patch.legacy === true;
    if (patch.endpointUri !== undefined) flow.endpointUri = patch.endpointUri;
    if (patch.status !== undefined) {
      flow.status = patch.status as FlowStatus;
      if (flow.status === "DEPRECATED") flow.preview = null;
    }
    this.touch(flow);
    this.changed();
    return toView(flow);
  }

  /** Deletes a flow whatever its status (out of band). Returns false when it did not exist. */
  adminDeleteFlow(flowId: string): boolean {
    const existed = this.flows.delete(flowId);
    if (existed) this.changed();
    return existed;
  }
}

/**
 * Meta refuses to publish a flow whose JSON exchanges data with an endpoint (Flow JSON 3.0+ with
 * `data_api_version`) while the flow has no endpoint URI (139002).
 */
export function needsEndpoint(flow: Pick<FlowRecord, "dataApiVersion" | "jsonVersion" | "endpointUri">): boolean {
  const major = Number.parseFloat(flow.jsonVersion ?? "0");
  return flow.dataApiVersion !== null && flow.dataApiVersion !== undefined && major >= 3 && !flow.endpointUri;
}

export function toView(f: FlowRecord): FlowView {
  const bytes = f.jsonBase64 === null ? null : Buffer.from(f.jsonBase64, "base64");
  return {
    flowId: f.id,
    wabaId: f.wabaId,
    name: f.name,
    categories: [...f.categories],
    status: f.status,
    flowJson: bytes ? bytes.toString("utf8") : null,
    flowJsonBytes: bytes ? bytes.length : null,
    flowJsonSha256: f.jsonSha256,
    jsonVersion: f.jsonVersion,
    dataApiVersion: f.dataApiVersion,
    validationErrors: structuredClone(f.validationErrors),
    preview: f.preview ? { previewUrl: f.preview.previewUrl, expiresAt: f.preview.expiresAt } : null,
    endpointUri: f.endpointUri ?? null,
    applicationId: f.applicationId ?? null,
    legacy: f.legacy === true,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
  };
}

/** The two default linked WABAs. */
export const DEFAULT_WABA_INPUTS: WabaInput[] = [{ name: "dev" }, { name: "prod" }];
