/**
 * One list of an account's flows per provider process (= per deployment), shared by every resource that
 * reads it, for as long as this process has not written to that account.
 *
 * Why: a refresh or a preview of a stack with hundreds of flows would otherwise page through the same
 * list once per resource, against a management budget of about 200 calls per hour (Meta, without a
 * phone number). Every write through the wrapped backend (create, update, upload, publish, deprecate,
 * delete; successful or not, since a failed call may have been applied) drops the account's list before
 * it starts and again when it ends (a list made while the write ran is not kept). So a list served from here never predates
 * a write of ours; writes by other processes are as visible as with an uncached list made at that
 * moment, i.e. not at all until the next list.
 */
import type { FlowBackend, RemoteFlowSummary } from "../backends/types";
import { onProcessReset } from "../lifecycle/claims";

/** account (canonical reference) → its list, listed or being listed. */
const entries = new Map<string, Promise<RemoteFlowSummary[]>>();

/** Forgets every account's list (tests: each case is a deployment of its own). */
export function resetAccountFlows(): void {
  entries.clear();
}
onProcessReset(resetAccountFlows);

/** Drops the account's list: called around every write to the account. */
export function invalidateAccountFlows(account: string): void {
  entries.delete(account);
}

/** The account's flows: listed once, then served from memory until this process writes to the account. */
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

const WRITES = ["createFlow", "updateMetadata", "uploadFlowJson", "publish", "deprecate", "deleteFlow"] as const;

/**
 * The backend with `listFlows` served by `accountFlows`, and every write invalidating the account's list
 * before and after it runs. Reads of single flows (`getFlow`, downloads, previews) are never cached.
 */
export function withAccountFlows(account: string, backend: FlowBackend): FlowBackend {
  const wrapped: FlowBackend = Object.create(backend);
  Object.defineProperty(wrapped, "vendor", { value: backend.vendor });
  wrapped.listFlows = () => accountFlows(account, () => backend.listFlows());
  for (const name of WRITES) {
    const original = (backend[name] as (...args: unknown[]) => Promise<unknown>).bind(backend);
    (wrapped as any)[name] = async (...args: unknown[]) => {
      invalidateAccountFlows(account);
      try {
        return await original(...args);
      } finally {
        invalidateAccountFlows(account);
      }
    };
  }
  return wrapped;
}
