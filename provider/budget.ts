/**
 * Vendor call budgets, vendor-neutral (issue 18, item 3). Each backend reads its own vendor's usage
 * headers and budget error codes into a `BudgetReading`; this module turns the readings into decisions,
 * per account, for the rest of the provider process (= the deployment):
 *
 * - Above 80% of a budget, calls to the account go one at a time, `paceMs` apart (default 500 ms).
 * - A budget is used up when the vendor says so (Meta: HTTP 400, code 80007 or 4) or when the calls left
 *   (estimated from the usage percentages and our own call count) no longer cover what a resource is
 *   about to start: from then on every call to that account fails at once, without a call, with one
 *   message saying how many flows are done and when access returns. Never retried (an hourly window).
 * - Nothing is left half-done: an edit that may re-draft a published flow (upload, metadata update) is
 *   only started when the budget still holds its publish, and that publish is reserved for it: a stop
 *   we decide lets a reserved publish through.
 *
 * Message templates spend the same budget (Meta counts their calls against the same app and WABA): their
 * backend goes through the same admission and pacing (`withTemplateBudget`).
 *
 * "N of M flows (and K of L templates) are done" counts resources by kind and declared name, not calls:
 * `trackResource` (provider/runtime.ts) sees every resource's check, diff and operation.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { BackendError, FLOW_BACKEND_METHODS, type FlowBackend } from "./backends/types";
import { TEMPLATE_BACKEND_METHODS, type TemplateBackend } from "./backends/templates/types";
import { onProcessReset } from "./lifecycle/claims";

/** What one vendor answer said about the account's budget. */
export interface BudgetReading {
  /** The budget's name in messages: "Meta's hourly API budget for WABA 1234". */
  budget: string;
  /** Percent used of the tightest budget the answer reports (usage headers); undefined when not reported. */
  usedPercent?: number;
  /** Seconds until access returns, when the vendor says. */
  regainSeconds?: number;
  /** The vendor refused the call because the budget is used up. */
  exhausted?: boolean;
  /** The documented size of the budget, for messages: "200 calls an hour without a registered phone number, 5,000 with one". */
  documented?: string;
  /** The smallest documented budget in calls per window, used until the readings allow an estimate. */
  assumedCalls?: number;
  /** The budget's window in seconds (Meta: an hour): bounds when access returns after a stop we decide. */
  windowSeconds?: number;
}

/** A backend that reports budget readings sets this hook's receiver (see `withBudget`). */
export interface BudgetAware {
  onBudgetReading?: (reading: BudgetReading) => void;
}

/** The error every call to a stopped account fails with. Its message is the user's message. */
export class BudgetExhaustedError extends BackendError {
  constructor(
    message: string,
    readonly account: string,
  ) {
    super("BUDGET_EXHAUSTED", message);
    this.name = "BudgetExhaustedError";
  }
}

export const isBudgetExhausted = (e: unknown): e is BudgetExhaustedError => e instanceof BudgetExhaustedError;

/** Share of a budget above which calls are paced. */
export const PACE_ABOVE_PERCENT = 80;

/** What the "done" count groups resources by: flows (a Flow and its FlowAssets count as one) and templates. */
type Group = "flow" | "template";

interface FlowProgress {
  group: Group;
  /** Operations expected (create/update seen at check or diff) and not yet finished. */
  pending: number;
  failed: boolean;
  kinds: Set<string>;
  worked: boolean;
}

interface AccountBudget {
  budget?: string;
  documented?: string;
  assumedCalls?: number;
  usedPercent: number;
  /** First reading with a percentage, and the calls we had sent by then (at most what it had counted of ours). */
  first?: { percent: number; sent: number };
  /** Percent one call costs, measured (an upper bound: see recordReading); undefined before two readings. */
  perCall?: number;
  sent: number;
  /** First reading while calls go one at a time (above the pace threshold): an exact estimate from there. */
  serial?: { percent: number; readings: number };
  windowSeconds?: number;
  /** When this process first called the account: our calls leave a window at most `windowSeconds` later. */
  firstCallAt?: number;
  answered: number;
  inFlight: number;
  /** Flow ids whose publish is reserved (an edit that may re-draft a published flow is under way). */
  reserved: Set<string>;
  stop?: { vendorSaid: boolean; until?: number };
  /** Serializes calls above the pace threshold. */
  queue: Promise<void>;
  /** Calls waiting for an answer before they are decided. */
  waiters: Array<() => void>;
  lastCallAt: number;
  /** By `<group>\0<declared name>`. */
  flows: Map<string, FlowProgress>;
}

const STATE_KEY = Symbol.for("whatsapp-flows.budget");
function accounts(): Map<string, AccountBudget> {
  const g = globalThis as unknown as Record<symbol, Map<string, AccountBudget> | undefined>;
  return (g[STATE_KEY] ??= new Map());
}

function entry(account: string): AccountBudget {
  let a = accounts().get(account);
  if (!a) {
    a = {
      usedPercent: 0,
      answered: 0,
      sent: 0,
      inFlight: 0,
      reserved: new Set(),
      queue: Promise.resolve(),
      waiters: [],
      lastCallAt: 0,
      flows: new Map(),
    };
    accounts().set(account, a);
  }
  return a;
}

/** Forgets every account (tests: each case is a deployment of its own). */
export function resetBudgets(): void {
  accounts().clear();
}
onProcessReset(resetBudgets);

function paceMs(): number {
  const v = Number(process.env.WHATSAPP_FLOWS_BUDGET_PACE_MS);
  return Number.isFinite(v) && v >= 0 ? v : 500;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Percent one call costs: measured from the readings, else from the smallest documented budget. */
function percentPerCall(a: AccountBudget): number | undefined {
  if (a.perCall !== undefined) return a.perCall;
  if (!a.assumedCalls) return undefined;
  const assumed = 100 / a.assumedCalls;
  // Nothing measured yet and the budget nearly spent (an earlier run this hour): trust only the next call.
  return a.usedPercent >= PACE_ABOVE_PERCENT ? Math.max(assumed, (100 - a.usedPercent) / 2) : assumed;
}

/** Calls the budget still allows (by the estimate, which already errs on the high side per call), or undefined when unknown. */
function callsLeft(a: AccountBudget): number | undefined {
  const per = percentPerCall(a);
  if (per === undefined || a.first === undefined) return undefined;
  return Math.floor((100 - a.usedPercent) / per + 1e-9) - a.inFlight;
}

/** Takes one reading of a vendor answer for the account. */
export function recordReading(account: string, r: BudgetReading): void {
  const a = entry(account);
  a.budget = r.budget;
  a.documented = r.documented ?? a.documented;
  a.assumedCalls = r.assumedCalls ?? a.assumedCalls;
  a.windowSeconds = r.windowSeconds ?? a.windowSeconds;
  if (r.usedPercent !== undefined && Number.isFinite(r.usedPercent)) {
    // Answers can arrive out of order: a late answer to an older request reports less than one already
    // read, and taking it would admit an upload whose publish then finds no room. Within a stop-free
    // stretch the highest reading stands (a passed window clears the stop and starts afresh).
    const p = a.stop ? r.usedPercent : Math.max(a.usedPercent, r.usedPercent);
    a.usedPercent = p;
    // Percent per call, never underestimated (an underestimate would let an upload start without room
    // for its publish). Percentages are whole (floored): one percent more than they say. This reading
    // counts at least the calls of ours answered before it, and itself; and since the first reading, at
    // least those less the calls we had sent by then. Each bound is loose while many calls are under way,
    // so a call that finds no room waits for the calls under way before the account is stopped.
    const estimates: number[] = [(p + 1) / (a.answered + 1)];
    if (!a.first) a.first = { percent: p, sent: a.sent };
    else if (a.answered + 1 - a.first.sent > 0) estimates.push((p - a.first.percent + 1) / (a.answered + 1 - a.first.sent));
    // One call at a time (above the pace threshold): every reading is exactly one call more.
    if (a.serial) {
      a.serial.readings++;
      estimates.push((p - a.serial.percent + 1) / a.serial.readings);
    } else if (p >= PACE_ABOVE_PERCENT && a.inFlight <= 1) a.serial = { percent: p, readings: 0 };
    if (estimates.length > 0) a.perCall = Math.min(...estimates);
  }
  if (r.exhausted) {
    a.usedPercent = Math.max(a.usedPercent, 100);
    a.stop = { vendorSaid: true, until: r.regainSeconds !== undefined ? Date.now() + r.regainSeconds * 1000 : a.stop?.until };
  } else if (r.regainSeconds && a.stop) {
    a.stop.until = Date.now() + r.regainSeconds * 1000;
  }
}

function doneCount(a: AccountBudget): Record<Group, { done: number; total: number }> {
  const count = { flow: { done: 0, total: 0 }, template: { done: 0, total: 0 } };
  for (const f of a.flows.values()) {
    // A Flow created or changed here whose FlowAssets has not come yet is not done: its JSON follows (a Flow
    // declared without FlowAssets, a draft without JSON, is counted as not done either: the rare case).
    const awaitingAssets = f.worked && f.kinds.has("Flow") && !f.kinds.has("FlowAssets");
    const c = count[f.group];
    c.total++;
    if (f.pending === 0 && !f.failed && !awaitingAssets) c.done++;
  }
  return count;
}

/** "57 of 100 flows", and "3 of 5 templates" when the deployment has templates in this account. */
function doneText(a: AccountBudget): string {
  const { flow, template } = doneCount(a);
  const of = (c: { done: number; total: number }, what: string) => `${c.done} of ${c.total} ${what}${c.total === 1 ? "" : "s"}`;
  const parts = [
    ...(flow.total > 0 || template.total === 0 ? [of(flow, "flow")] : []),
    ...(template.total > 0 ? [of(template, "template")] : []),
  ];
  return `${parts.join(" and ")} are done`;
}

/** The user's message for a stopped account. */
export function budgetMessage(account: string): string {
  const a = entry(account);
  const estimate = percentPerCall(a);
  const size =
    a.perCall !== undefined && estimate
      ? `about ${Math.round(100 / estimate)} calls an hour${a.documented ? `; documented: ${a.documented}` : ""}`
      : (a.documented ?? "");

  const until = a.stop?.until ?? (a.firstCallAt !== undefined && a.windowSeconds ? a.firstCallAt + a.windowSeconds * 1000 : undefined);
  const minutes = until !== undefined ? Math.max(1, Math.ceil((until - Date.now()) / 60_000)) : undefined;
  const when =
    minutes !== undefined ? `access returns in about ${minutes} minute${minutes === 1 ? "" : "s"}` : "access returns within the hour";
  const how = a.stop?.vendorSaid ? "is used up" : "is nearly used up (stopped before a change could be left half-done)";
  return `${a.budget ?? `The API budget of ${account}`} ${how}${size ? ` (${size})` : ""}: ${doneText(a)}; ${when}; run pulumi up again then`;
}

function stopped(account: string): BudgetExhaustedError {
  return new BudgetExhaustedError(budgetMessage(account), account);
}

// -------------------------------------------------------------------------------- the backend wrapper

/** Calls that may re-draft a published flow: they start only when the budget still holds the publish. */
const MAY_REDRAFT = new Set(["uploadFlowJson", "updateMetadata"]);

/** Reservations made inside one resource operation (released when it ends: see `trackResource`). */
const operation = new AsyncLocalStorage<{ account?: string; reserved: Set<string> }>();

async function admit(account: string, call: string, flowId: string | undefined): Promise<() => void> {
  const a = entry(account);
  const reservedPublish = call === "publish" && flowId !== undefined && a.reserved.has(flowId);
  let release: (() => void) | undefined;
  if (a.usedPercent >= PACE_ABOVE_PERCENT && !a.stop) {
    // One call at a time, paceMs apart.
    const previous = a.queue;
    a.queue = new Promise<void>((r) => (release = r));
    await previous;
    const wait = a.lastCallAt + paceMs() - Date.now();
    if (wait > 0) await sleep(wait);
  }
  try {
    for (;;) {
      if (a.stop) {
        if (a.stop.until !== undefined && a.stop.until <= Date.now())
          a.stop = undefined; // the window passed (a long deployment)
        else if (!(reservedPublish && !a.stop.vendorSaid)) throw stopped(account);
      }
      if (reservedPublish) break;
      const left = callsLeft(a);
      const need = 1 + a.reserved.size + (MAY_REDRAFT.has(call) && flowId !== undefined && !a.reserved.has(flowId) ? 1 : 0);
      if (left === undefined || left >= need) break;
      // Calls still under way sharpen the estimate (and may free reservations): decide once they are answered.
      if (a.inFlight > 0) {
        await new Promise<void>((r) => a.waiters.push(r));
        continue;
      }
      a.stop = { vendorSaid: false, until: a.stop?.until };
      throw stopped(account);
    }
  } catch (e) {
    release?.();
    throw e;
  }
  if (MAY_REDRAFT.has(call) && flowId !== undefined) {
    a.reserved.add(flowId);
    operation.getStore()?.reserved.add(flowId);
  }
  a.lastCallAt = Date.now();
  a.firstCallAt ??= a.lastCallAt;
  a.sent++;
  a.inFlight++;
  return () => {
    a.inFlight--;
    a.answered++;
    release?.();
    for (const wake of a.waiters.splice(0)) wake();
  };
}

/**
 * `backend` with every call in `methods` admitted by the account's budget, and the backend's readings
 * recorded. A vendor refusal for a used-up budget becomes the one user message. `flowIdOf` names the flow a
 * call is about (reservations: an edit that may re-draft it, and the publish that ends the reservation).
 */
function admitted<B extends object>(
  account: string,
  backend: B & BudgetAware & { vendor: string },
  methods: readonly (keyof B & string)[],
  flowIdOf: (name: string, args: unknown[]) => string | undefined,
): B {
  backend.onBudgetReading = (r) => recordReading(account, r);
  const wrapped: B = Object.create(backend);
  Object.defineProperty(wrapped, "vendor", { value: backend.vendor });
  for (const name of methods) {
    const original = (backend[name] as (...args: unknown[]) => Promise<unknown>).bind(backend);
    (wrapped as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name] = async (...args: unknown[]) => {
      const flowId = flowIdOf(name, args);
      const done = await admit(account, name, flowId);
      let ok = false;
      try {
        const answer = await original(...args);
        ok = true;
        return answer;
      } catch (e) {
        if (e instanceof BackendError && e.kind === "BUDGET_EXHAUSTED") {
          const a = entry(account);
          a.stop ??= { vendorSaid: true };
          a.stop.vendorSaid = true;
          throw stopped(account);
        }
        throw e;
      } finally {
        done();
        if (name === "publish" && ok && flowId !== undefined) entry(account).reserved.delete(flowId);
      }
    };
  }
  return wrapped;
}

/**
 * The backend with every call admitted by the account's budget, and the backend's readings recorded.
 * A vendor refusal for a used-up budget becomes the one user message; a publish releases its reservation.
 */
export function withBudget(account: string, backend: FlowBackend & BudgetAware): FlowBackend {
  return admitted(account, backend, FLOW_BACKEND_METHODS, (name, args) =>
    typeof args[0] === "string" && name !== "createFlow" ? args[0] : undefined,
  );
}

/**
 * A message-template backend under the same budget as the account's flows (Meta counts template calls
 * against the same app and WABA budgets): admitted, paced above 80%, stopped with the one message. A
 * template write leaves nothing half-done that needs a reserved call (a replacement's old template, when
 * its deletion is refused, stays in the state and the next `up` deletes it), so no call is reserved.
 */
export function withTemplateBudget(account: string, backend: TemplateBackend & BudgetAware): TemplateBackend {
  return admitted(account, backend, TEMPLATE_BACKEND_METHODS, () => undefined);
}

// -------------------------------------------------------------------------------- flows done

/** The account and flow name a resource's inputs or state name, when they are known strings. */
function identify(value: unknown): { account: string; name: string } | undefined {
  const props = value !== null && typeof value === "object" ? (value as { waba?: unknown; name?: unknown; flowName?: unknown }) : undefined;
  const waba = props?.waba;
  const name = props?.name ?? props?.flowName;
  if (typeof waba !== "string" || typeof name !== "string") return undefined;
  // Lazily: the registry is cheap, but keep this module free of vendor knowledge at load time.
  const { parseAccountRef } = require("./vendors/registry") as typeof import("./vendors/registry");
  const parsed = parseAccountRef(waba);
  return "account" in parsed ? { account: parsed.account.canonical, name } : undefined;
}

const groupOf = (kind: string): Group => (kind === "MessageTemplate" ? "template" : "flow");

function flow(account: string, name: string, kind: string): FlowProgress {
  const a = entry(account);
  const group = groupOf(kind);
  const key = `${group}\u0000${name}`;
  let f = a.flows.get(key);
  if (!f) {
    f = { group, pending: 0, failed: false, kinds: new Set(), worked: false };
    a.flows.set(key, f);
  }
  f.kinds.add(kind);
  return f;
}

type Hooks = Record<string, ((...args: unknown[]) => Promise<unknown>) | undefined>;

/**
 * Wraps a resource kind's hooks so the budget knows which flows and templates this deployment declares and
 * which are done, and so a failure of a stopped account names the resource. Hooks keep their signatures.
 */
export function trackResource<T extends object>(kind: string, hooks: T): T {
  const h = hooks as unknown as Hooks;
  const out: Hooks = { ...h };
  if (h.check) {
    out.check = async (olds: unknown, news: unknown) => {
      // Counted from the start of its check, which may wait for a list behind other resources' calls: a stop
      // written meanwhile counts it (not done), instead of leaving its kind out of the message.
      const id = identify(news);
      const f = id ? flow(id.account, id.name, kind) : undefined;
      // A create comes (no state yet): expected work. A resource with state learns at diff.
      const creates = f !== undefined && !(olds as { waba?: unknown } | undefined)?.waba;
      if (creates) f.pending++;
      let result: { failures?: unknown[] } | undefined;
      try {
        result = (await h.check!(olds, news)) as { failures?: unknown[] } | undefined;
      } catch (e) {
        if (f) f.failed = true;
        throw e;
      }
      // Refused inputs: no create comes.
      if (creates && (result?.failures?.length ?? 0) > 0) f.pending = Math.max(0, f.pending - 1);
      return result;
    };
  }
  if (h.diff) {
    out.diff = async (id: unknown, olds: unknown, news: unknown) => {
      const result = (await h.diff!(id, olds, news)) as { changes?: boolean } | undefined;
      const who = identify(news) ?? identify(olds);
      if (who && result?.changes) flow(who.account, who.name, kind).pending++;
      else if (who) flow(who.account, who.name, kind);
      return result;
    };
  }
  for (const op of ["create", "update", "delete"] as const) {
    const original = h[op];
    if (!original) continue;
    out[op] = async (...args: unknown[]) => {
      const props = op === "create" ? args[0] : op === "update" ? args[2] : args[1];
      const who = identify(props) ?? (op === "update" ? identify(args[1]) : undefined);
      const f = who ? flow(who.account, who.name, kind) : undefined;
      if (f && op === "delete") f.pending++;
      const scope = { account: who?.account, reserved: new Set<string>() };
      try {
        const result = await operation.run(scope, () => original(...args));
        if (f) {
          f.pending = Math.max(0, f.pending - 1);
          f.worked = true;
        }
        return result;
      } catch (e) {
        if (f) {
          f.failed = true;
          f.pending = Math.max(0, f.pending - 1);
        }
        if (isBudgetExhausted(e) && who) {
          // The message as of now (the counts moved since the call was refused), naming the flow.
          const label = groupOf(kind) === "template" ? "MessageTemplate" : "Flow";
          const err = new BudgetExhaustedError(`${label} "${who.name}": ${budgetMessage(e.account)}`, e.account);
          throw Object.assign(err, { stack: `${err.name}: ${err.message}` });
        }
        throw e;
      } finally {
        // Reservations this operation made and did not use (no publish followed) are given back.
        if (scope.account) for (const id of scope.reserved) entry(scope.account).reserved.delete(id);
      }
    };
  }
  return out as unknown as T;
}
