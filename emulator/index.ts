/**
 * Local, faithful stand-in for the vendor Flow APIs (today: AWS End User Messaging Social).
 *
 *   const emu = await startEmulator();            // http://127.0.0.1:<free port>
 *   const client = new SocialMessagingClient({ endpoint: emu.url, region: "us-east-1", credentials: {...} });
 *   ... emu.requests(), emu.addFault({...}), emu.patchFlow(id, { status: "THROTTLED" }) ...
 *   await emu.close();
 *
 * From another process, `emulatorAdmin(url)` offers the same controls over HTTP (`/_emulator/…`).
 */
import { makeWaba } from "./core/store";
import type { FlowPatch, FlowView, WabaInput, WabaRecord } from "./core/types";
import type { FaultRule, PendingFault } from "./faults";
import type { RequestLogEntry } from "./log";
import { ADMIN_PREFIX, EmulatorServer, type EmulatorServerOptions } from "./server";

export type { FlowPatch, FlowView, FlowStatus, WabaInput, WabaRecord, ValidationProblem } from "./core/types";
export type { FaultAction, FaultRule, PendingFault } from "./faults";
export type { RequestLogEntry } from "./log";
export { CoreError, META_TEXT } from "./core/errors";
export { FlowStore } from "./core/store";
export { AwsDialect, AWS_DEFAULT_PAGE_SIZE, AWS_MAX_FLOW_JSON_BYTES } from "./dialects/aws";
export { EmulatorServer, ADMIN_PREFIX } from "./server";

/** Seeded linked WABA "dev" (AWS linked-account id). */
export const DEV_WABA_ID = "waba-d087c4781397207cae3eed123864121a";
/** Seeded linked WABA "prod" (AWS linked-account id). */
export const PROD_WABA_ID = "waba-f0d51e68ee23062ca6d06b7624c321a2";
/** Meta's numeric WABA ids of the seeded accounts (`whatsAppBusinessAccount.id` in GetWhatsAppFlow). */
export const DEV_META_WABA_ID = "100000000000001";
export const PROD_META_WABA_ID = "100000000000002";
/** The default WABAs, fully described. */
export const DEFAULT_WABAS: WabaRecord[] = [makeWaba({ name: "dev" }, 0), makeWaba({ name: "prod" }, 1)];

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
  close(): Promise<void>;
  requests(filter?: { operation?: string; since?: number }): RequestLogEntry[];
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
  /** The underlying server (store, faults, log) for advanced use. */
  readonly server: EmulatorServer;
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const server = new EmulatorServer({ host: "127.0.0.1", ...opts });
  const url = await server.listen();
  return {
    url,
    port: Number(new URL(url).port),
    wabas: server.store.listWabas(),
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
  };
}

/** The same controls as RunningEmulator, over the admin HTTP endpoints (for another process). */
export interface EmulatorAdmin {
  readonly url: string;
  health(): Promise<{ ok: boolean; url: string; vendors: string[]; wabas: WabaRecord[] }>;
  requests(filter?: { operation?: string; since?: number }): Promise<RequestLogEntry[]>;
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
    requests: async (f) => (await call<RequestLogEntry[]>("GET", `/requests${qs({ operation: f?.operation, since: f?.since })}`))!,
    clearRequests: async () => void (await call("DELETE", "/requests")),
    addFault: async (rule) => void (await call("POST", "/faults", rule)),
    faults: async () => (await call<PendingFault[]>("GET", "/faults"))!,
    clearFaults: async () => void (await call("DELETE", "/faults")),
    reset: async () => void (await call("POST", "/reset")),
    state: async () => (await call<EmulatorState>("GET", "/state"))!,
    flows: async (wabaId) => (await call<FlowView[]>("GET", `/flows${qs({ wabaId })}`))!,
    flow: async (flowId) => call<FlowView>("GET", `/flows/${encodeURIComponent(flowId)}`, undefined, true),
    patchFlow: async (flowId, patch) => (await call<FlowView>("POST", `/flows/${encodeURIComponent(flowId)}`, patch))!,
    deleteFlow: async (flowId) => (await call<{ deleted: boolean }>("DELETE", `/flows/${encodeURIComponent(flowId)}`, undefined, true)) !== undefined,
  };
}
