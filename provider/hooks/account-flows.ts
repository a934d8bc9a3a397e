/**
 * One list of an account's flows per provider process (= per deployment), shared by every resource that
 * reads it, for as long as this process has not written to that account.
 *
 * Why: a refresh or a preview of a stack with hundreds of flows would otherwise page through the same
 * list once per resource, against a management budget of about 200 calls per hour (Meta, without a
 * phone number), and a deployment creating hundreds of flows would list again after each create. Every
 * write through the wrapped backend either patches the list with what it certainly did, or drops it
 * (failed writes may have been applied; some effects depend on the vendor). So a list served from here
 * reflects every write of ours; writes by other processes are seen at the next list, as without a cache
 * they would be seen at the next call.
 */
import type { FlowBackend, RemoteFlowSummary } from "../backends/types";
import { onProcessReset } from "../lifecycle/claims";

/** account (canonical reference) → its list, listed or being listed. */
const entries = new Map<string, Promise<RemoteFlowSummary[]>>();

/** Accounts this process has written to (a write was started), and each account's list as it was before any. */
const written = new Set<string>();
const beforeWrites = new Map<string, Promise<RemoteFlowSummary[]>>();

/** Forgets every account's list (tests: each case is a deployment of its own). */
export function resetAccountFlows(): void {
  entries.clear();
  written.clear();
  beforeWrites.clear();
}
onProcessReset(resetAccountFlows);

/** Drops the account's list: the next reader lists again. */
export function invalidateAccountFlows(account: string): void {
  entries.delete(account);
}

/** The account's flows: listed once per deployment, then served from memory (see withAccountFlows). */
export function accountFlows(account: string, list: () => Promise<RemoteFlowSummary[]>): Promise<RemoteFlowSummary[]> {
  const known = entries.get(account);
  if (known) return known;
  const flows = list().catch((err) => {
    // A failed list is not remembered: the next caller tries again.
    if (entries.get(account) === flows) entries.delete(account);
    throw err;
  });
  entries.set(account, flows);
  return flows;
}

/** The account's flows when this deployment already listed them (no call), else undefined. */
export function knownAccountFlows(account: string): Promise<RemoteFlowSummary[] | undefined> | undefined {
  return entries.get(account)?.catch(() => undefined);
}

/**
 * The account's flows as they were before this process wrote anything to it: taken once (the shared list
 * when it is there), and kept even when later writes drop the shared list. Undefined once this process has
 * written to the account without taking it first: a preview never writes, so only `up` gets there.
 */
export function accountFlowsBeforeWrites(
  account: string,
  list: () => Promise<RemoteFlowSummary[]>,
): Promise<RemoteFlowSummary[]> | undefined {
  const known = beforeWrites.get(account);
  if (known) return known;
  if (written.has(account)) return undefined;
  const taken = accountFlows(account, list);
  beforeWrites.set(account, taken);
  // A failed list is not kept: the next caller tries again (while no write has started).
  taken.catch(() => {
    if (beforeWrites.get(account) === taken) beforeWrites.delete(account);
  });
  return taken;
}

type Patch = (flows: RemoteFlowSummary[]) => RemoteFlowSummary[] | "unknown";

/**
 * Applies what a successful write of ours did to the account's list, when that is certain; "unknown"
 * (e.g. an edit of a published flow, which some vendors re-draft) drops the list instead. A patch is an
 * upsert or a transform by id, so it is right whether the list was taken before or after the write landed.
 */
function patchAccountFlows(account: string, patch: Patch): void {
  const known = entries.get(account);
  if (!known) return;
  const patched: Promise<RemoteFlowSummary[]> = known.then((flows) => {
    const next = patch(flows);
    if (next === "unknown") {
      if (entries.get(account) === patched) entries.delete(account);
      return flows;
    }
    return next;
  });
  // A failed list was already dropped by accountFlows; keep the rejection from going unhandled here.
  patched.catch(() => undefined);
  entries.set(account, patched);
}

const upsert = (flows: RemoteFlowSummary[], flow: RemoteFlowSummary) => [...flows.filter((f) => f.id !== flow.id), flow];
const withFlow =
  (id: string, change: (f: RemoteFlowSummary) => RemoteFlowSummary | "unknown"): Patch =>
  (flows) => {
    const found = flows.find((f) => f.id === id);
    if (!found) return "unknown";
    const next = change(found);
    return next === "unknown" ? next : upsert(flows, next);
  };

/** The backend's writes: each one patches or drops the list. */
type Write = "createFlow" | "updateMetadata" | "uploadFlowJson" | "publish" | "deprecate" | "deleteFlow";

/**
 * What each write does to the list, given its arguments and answer, typed from `FlowBackend` itself: a
 * renamed or re-typed backend method is a compile error here, not a cache that silently stops updating.
 */
type Patches = { [K in Write]: (args: Parameters<FlowBackend[K]>, answer: Awaited<ReturnType<FlowBackend[K]>>) => Patch };

const PATCHES: Patches = {
  createFlow:
    ([req], answer) =>
    (flows) =>
      // Created and published in one call: PUBLISHED unless the vendor's answer lists validation errors
      // (then it stays a DRAFT), so the list stays valid for every other new flow of the deployment.
      upsert(flows, {
        id: answer.id,
        name: req.name,
        status: req.publish && (answer.validationErrors?.length ?? 0) === 0 ? "PUBLISHED" : "DRAFT",
        categories: [...req.categories],
      }),
  updateMetadata: ([id, change]) =>
    withFlow(id, (f) =>
      f.status !== "DRAFT"
        ? "unknown"
        : {
            ...f,
            ...(change.name !== undefined ? { name: change.name } : {}),
            ...(change.categories ? { categories: [...change.categories] } : {}),
          },
    ),
  uploadFlowJson: ([id]) => withFlow(id, (f) => (f.status === "DRAFT" ? f : "unknown")),
  publish: ([id]) => withFlow(id, (f) => ({ ...f, status: "PUBLISHED" })),
  deprecate: ([id]) => withFlow(id, (f) => ({ ...f, status: "DEPRECATED" })),
  deleteFlow:
    ([id]) =>
    (flows) =>
      flows.filter((f) => f.id !== id),
};

/**
 * The backend with `listFlows` served by `accountFlows`. A successful write patches the account's list
 * with what it certainly did (a create adds the flow, a publish marks it PUBLISHED, ...), so a deployment
 * creating hundreds of flows still lists the account once; a failed write (it may have been applied)
 * or one whose effect is uncertain drops the list. Reads of single flows are never cached.
 */
export function withAccountFlows(account: string, backend: FlowBackend): FlowBackend {
  const wrapped: FlowBackend = Object.create(backend);
  Object.defineProperty(wrapped, "vendor", { value: backend.vendor });
  wrapped.listFlows = () => accountFlows(account, () => backend.listFlows());
  const wrap = <K extends Write>(name: K): void => {
    const original = backend[name].bind(backend) as unknown as (...args: Parameters<FlowBackend[K]>) => ReturnType<FlowBackend[K]>;
    const patchFor: Patches[K] = PATCHES[name];
    const write = async (...args: Parameters<FlowBackend[K]>): Promise<Awaited<ReturnType<FlowBackend[K]>>> => {
      let answer: Awaited<ReturnType<FlowBackend[K]>>;
      written.add(account);
      try {
        answer = await original(...args);
      } catch (e) {
        invalidateAccountFlows(account);
        throw e;
      }
      patchAccountFlows(account, patchFor(args, answer));
      return answer;
    };
    Object.defineProperty(wrapped, name, { value: write, writable: true, configurable: true, enumerable: true });
  };
  for (const name of Object.keys(PATCHES) as Write[]) wrap(name);
  return wrapped;
}
