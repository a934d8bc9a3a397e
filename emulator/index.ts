/**
 * Local, faithful stand-in for the vendor Flow APIs: AWS End User Messaging Social, Meta's Graph API,
 * 360dialog's Partner API v2 and 8x8 Chat Apps, all on one URL at each vendor's real paths.
 *
 *   const emu = await startEmulator();            // http://127.0.0.1:<free port>
 *   const client = new SocialMessagingClient({ endpoint: emu.url, region: "us-east-1", credentials: {...} });
 *   fetch(`${emu.url}/v23.0/${DEV_META_WABA_ID}/flows`, { headers: { authorization: `Bearer ${DEFAULT_CREDENTIALS.meta}` } });
 *   ... emu.requests(), emu.addFault({ operation: "create", ... }), emu.patchFlow(id, { status: "THROTTLED" }) ...
 *   await emu.close();
 *
 * From another process, `emulatorAdmin(url)` offers the same controls over HTTP (`/_emulator/…`).
 */
import { accountRefOf, makeWaba } from "./core/accounts";
import { VENDORS, type FlowPatch, type FlowView, type Vendor, type WabaRecord } from "./core/types";
import type { TemplatePatch, TemplateSummaryView, TemplateView } from "./core/templates";
import type { FaultRule, PendingFault } from "./faults";
import type { RequestFilter, RequestLogEntry } from "./log";
import { ADMIN_PREFIX, EmulatorServer, type EmulatorServerOptions } from "./server";

export type { FlowPatch, FlowView, FlowStatus, PublishedEditRule, Vendor, WabaInput, WabaRecord, ValidationProblem } from "./core/types";
export type { FaultAction, FaultRule, PendingFault } from "./faults";
export type {
  TemplatePatch,
  TemplateStatus,
  TemplateSummaryView,
  TemplateView,
  TemplateEdit,
  TemplateCategory,
  QualityScore,
} from "./core/templates";
export { TemplateStore, TemplateError } from "./core/templates";
export type { RequestFilter, RequestLogEntry } from "./log";
export type { NeutralAction } from "./dialects/types";
export { VENDORS } from "./core/types";
export { CoreError, META_TEXT } from "./core/errors";
export { FlowStore } from "./core/store";
export { accountRefOf, DEFAULT_360DIALOG_PARTNER_ID } from "./core/accounts";
export { AwsDialect, AWS_DEFAULT_PAGE_SIZE, AWS_MAX_FLOW_JSON_BYTES } from "./dialects/aws";
export { Dialog360Dialect } from "./dialects/dialog360";
export { EightByEightDialect } from "./dialects/eightbyeight";
export { MetaDialect } from "./dialects/meta";
export { parseFields as parseGraphFields } from "./dialects/graph";
export { EmulatorServer, ADMIN_PREFIX, DEFAULT_CREDENTIALS, type EmulatorCredentials } from "./server";

/** Seeded linked WABA "dev" (AWS linked-account id). */
export const DEV_WABA_ID = "waba-d087c4781397207cae3eed123864121a";
/** Seeded linked WABA "prod" (AWS linked-account id). */
export const PROD_WABA_ID = "waba-f0d51e68ee23062ca6d06b7624c321a2";
/** Meta's numeric WABA ids of the seeded accounts (`whatsAppBusinessAccount.id` in GetWhatsAppFlow). */
export const DEV_META_WABA_ID = "100000000000001";
export const PROD_META_WABA_ID = "100000000000002";
/** The default WABAs, fully described. */
export const DEFAULT_WABAS: WabaRecord[] = [makeWaba({ name: "dev" }, 0), makeWaba({ name: "prod" }, 1)];

/**
 * The account reference string the provider takes in stack config for a seeded account ("dev" or
 * "prod"; or any of `wabas`), in the registry's format for `vendor` (AWS: the plain `waba-…` id).
 */
export function accountRef(vendor: Vendor, name: string, wabas: readonly WabaRecord[] = DEFAULT_WABAS): string {
  const w = wabas.find((x) => x.name === name);
  if (!w) throw new Error(`no emulator account named ${JSON.stringify(name)} (have ${wabas.map((x) => x.name).join(", ")})`);
  return accountRefOf(vendor, w);
}

const refsOf = (name: string) => Object.fromEntries(VENDORS.map((v) => [v, accountRef(v, name)])) as { readonly [V in Vendor]: string };

/** Account references of the seeded accounts, per vendor. */
export const ACCOUNT_REFS = { dev: refsOf("dev"), prod: refsOf("prod") } as const;

/** Options of `startEmulator` (port 0 picks a free port; host defaults to 127.0.0.1). */
export type StartEmulatorOptions = EmulatorServerOptions;

export interface EmulatorState {
  wabas: WabaRecord[];
  flows: FlowView[];
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` — use as the SDK `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly wabas: WabaRecord[];
  /** The account reference of one of this emulator's accounts for a vendor (see `accountRef`). */
  accountRef(vendor: Vendor, name: string): string;
  close(): Promise<void>;
  /** `operation` matches the vendor operation name or the neutral action. */
  requests(filter?: RequestFilter): RequestLogEntry[];
  clearRequests(): void;
  addFault(rule: FaultRule | FaultRule[]): void;
  faults(): PendingFault[];
  clearFaults(): void;
  /** Forgets all flows, faults and logged requests (flow ids keep increasing). */
  reset(): void;
  state(): EmulatorState;
  flows(wabaId?: string): FlowView[];
  flow(flowId: string): FlowView | undefined;
  /** Out-of-band change (status incl. THROTTLED/BLOCKED/DEPRECATED, name, categories, JSON). */
  patchFlow(flowId: string, patch: FlowPatch): FlowView;
  /** Deletes a flow whatever its status; false when it did not exist. */
  deleteFlow(flowId: string): boolean;
  /** Message templates: `{templateId, wabaId, name, language, status, category, flowIds}` of one account or all. */
  templates(wabaId?: string): TemplateSummaryView[];
  /** One template's full view (components, rejected reason, quality, edits, edits left), or undefined. */
  template(templateId: string): TemplateView | undefined;
  /** Meta's review and monitoring, out of band: `{status?, rejectedReason?, qualityScore?, category?}`. */
  patchTemplate(templateId: string, patch: TemplatePatch): TemplateView;
  /** Moves the emulator's clock on by `seconds` (budget windows, preview expiry): no test waits an hour. */
  advanceClock(seconds: number): void;
  /** The underlying server (store, templates, faults, log) for advanced use. */
  readonly server: EmulatorServer;
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const server = new EmulatorServer({ host: "127.0.0.1", ...opts });
  const url = await server.listen();
  return {
    url,
    port: Number(new URL(url).port),
    wabas: server.store.listWabas(),
    accountRef: (vendor, name) => accountRef(vendor, name, server.store.listWabas()),
    server,
    close: () => server.close(),
    requests: (filter) => server.log.list(filter),
    clearRequests: () => server.log.clear(),
    addFault: (rule) => void server.faults.add(rule),
    faults: () => server.faults.pending(),
    clearFaults: () => server.faults.clear(),
    reset: () => server.reset(),
    state: () => ({ wabas: server.store.listWabas(), flows: server.store.allFlows() }),
    flows: (wabaId) => server.store.allFlows(wabaId),
    flow: (flowId) => server.store.flowView(flowId),
    patchFlow: (flowId, patch) => server.store.patchFlow(flowId, patch),
    deleteFlow: (flowId) => server.store.adminDeleteFlow(flowId),
    templates: (wabaId) => server.templates.all(wabaId),
    template: (templateId) => server.templates.view(templateId),
    patchTemplate: (templateId, patch) => server.templates.patch(templateId, patch),
    advanceClock: (seconds) => server.advanceClock(seconds),
  };
}

/** The same controls as RunningEmulator, over the admin HTTP endpoints (for another process). */
export interface EmulatorAdmin {
  readonly url: string;
  health(): Promise<{ ok: boolean; url: string; vendors: string[]; wabas: WabaRecord[] }>;
  requests(filter?: RequestFilter): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;
  addFault(rule: FaultRule | FaultRule[]): Promise<void>;
  faults(): Promise<PendingFault[]>;
  clearFaults(): Promise<void>;
  reset(): Promise<void>;
  state(): Promise<EmulatorState>;
  flows(wabaId?: string): Promise<FlowView[]>;
  flow(flowId: string): Promise<FlowView | undefined>;
  patchFlow(flowId: string, patch: FlowPatch): Promise<FlowView>;
  deleteFlow(flowId: string): Promise<boolean>;
  templates(wabaId?: string): Promise<TemplateSummaryView[]>;
  template(templateId: string): Promise<TemplateView | undefined>;
  patchTemplate(templateId: string, patch: TemplatePatch): Promise<TemplateView>;
  /** `POST /_emulator/clock {"advanceSeconds": N}`. */
  advanceClock(seconds: number): Promise<void>;
}

export function emulatorAdmin(url: string): EmulatorAdmin {
  const base = url.replace(/\/+$/, "") + ADMIN_PREFIX;
  async function call<T>(method: string, path: string, body?: unknown, allow404 = false): Promise<T | undefined> {
    const res = await fetch(base + path, {
      method,
      headers: body !== undefined ? { "content-type": "application/json" } : undefined,
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (allow404 && res.status === 404) return undefined;
    if (!res.ok) {
      let msg = text;
      try {
        msg = JSON.parse(text).error ?? text;
      } catch {
        /* raw text */
      }
      throw new Error(`emulator admin ${method} ${path} → ${res.status}: ${msg}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const qs = (o: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) if (v !== undefined) p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : "";
  };
  return {
    url,
    health: async () => (await call("GET", "/health"))!,
    requests: async (f) =>
      (await call<RequestLogEntry[]>(
        "GET",
        `/requests${qs({ operation: f?.operation, action: f?.action, vendor: f?.vendor, since: f?.since })}`,
      ))!,
    clearRequests: async () => void (await call("DELETE", "/requests")),
    addFault: async (rule) => void (await call("POST", "/faults", rule)),
    faults: async () => (await call<PendingFault[]>("GET", "/faults"))!,
    clearFaults: async () => void (await call("DELETE", "/faults")),
    reset: async () => void (await call("POST", "/reset")),
    state: async () => (await call<EmulatorState>("GET", "/state"))!,
    flows: async (wabaId) => (await call<FlowView[]>("GET", `/flows${qs({ wabaId })}`))!,
    flow: async (flowId) => call<FlowView>("GET", `/flows/${encodeURIComponent(flowId)}`, undefined, true),
    patchFlow: async (flowId, patch) => (await call<FlowView>("POST", `/flows/${encodeURIComponent(flowId)}`, patch))!,
    deleteFlow: async (flowId) =>
      (await call<{ deleted: boolean }>("DELETE", `/flows/${encodeURIComponent(flowId)}`, undefined, true)) !== undefined,
    templates: async (wabaId) => (await call<TemplateSummaryView[]>("GET", `/templates${qs({ wabaId })}`))!,
    template: async (templateId) => call<TemplateView>("GET", `/templates/${encodeURIComponent(templateId)}`, undefined, true),
    patchTemplate: async (templateId, patch) => (await call<TemplateView>("POST", `/templates/${encodeURIComponent(templateId)}`, patch))!,
    advanceClock: async (seconds) => void (await call("POST", "/clock", { advanceSeconds: seconds })),
  };
}
