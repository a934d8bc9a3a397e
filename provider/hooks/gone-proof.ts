/**
 * "Gone" only when proven (issue 17, item 2). Vendors answer a flow that no longer exists and a credential
 * that cannot see the account the same way: Meta code 100 subcode 33 ("does not exist, cannot be loaded due
 * to missing permissions…"), AWS ResourceNotFoundException (a WABA of another AWS account), 360dialog 404,
 * 8x8 1300. Taken at its word, a `destroy` or `refresh` run with a credential that lost its access would
 * drop every flow from the state and leave them live.
 *
 * So a not-found for a flow counts only once the same credential has read the account successfully in this
 * deployment: any successful call of this account's backend is that proof (no call is added to the success
 * path); without one, one account-level read (the account's list, shared with every resource through
 * ./account-flows.ts, so the lookups that follow a not-found reuse it) is made, once per account. If that
 * read fails too, the operation fails naming the vendor, the account and where the credential comes from,
 * and the state keeps the resource. If the list shows the flow, the not-found was not the truth either.
 */
import { BackendError, FLOW_BACKEND_METHODS, isBackendError, type FlowBackend } from "../backends/types";
import { onProcessReset } from "../lifecycle/claims";
import { describeSetting } from "../settings";
import { vendorOf, type AccountRef } from "../vendors/registry";

/** Accounts (canonical reference) whose credential answered a call successfully in this process (= deployment). */
const proven = new Set<string>();

/** Forgets every proof (tests: each case is a deployment of its own). */
export function resetGoneProofs(): void {
  proven.clear();
}
onProcessReset(resetGoneProofs);

/**
 * Before the state forgets something of this account that has no vendor object of its own (a FlowAssets),
 * proves that this deployment's credential still reaches the account: no call when a call already succeeded,
 * otherwise the account's list (shared with every resource through ./account-flows.ts, so once per account).
 * A credential without access fails here, naming the vendor, the account and where the credential comes from,
 * and the resource stays in the state.
 */
export async function requireAccountAccess(account: AccountRef, backend: Pick<FlowBackend, "listFlows">, what: string): Promise<void> {
  if (proven.has(account.canonical)) return;
  try {
    await backend.listFlows();
  } catch (e) {
    const entry = vendorOf(account);
    throw new BackendError(
      "ACCESS_DENIED",
      `${what}: ${entry.displayName} did not let this credential read account ${account.canonical} (${(e as Error).message}), ` +
        `so the state keeps it: the flow may still be live. Check the credential (${credentialSource(account)}), then run again.`,
    );
  }
  proven.add(account.canonical);
}

/** Whether this deployment's credential for the account has been seen working (tests and diagnostics). */
export const accountProven = (account: string): boolean => proven.has(account);

/** Methods that address one flow: their not-found is ambiguous until the account is proven readable. */
const FLOW_METHODS = FLOW_BACKEND_METHODS.filter((m) => m !== "createFlow" && m !== "listFlows");

/** Where the account's credential comes from, for messages (never its value). */
function credentialSource(account: AccountRef): string {
  const entry = vendorOf(account);
  const spec = entry.settings.credential;
  return spec ? describeSetting(spec) : (entry.credentialSource ?? "the vendor's default credentials");
}

/**
 * The backend whose flow-level not-founds stand only when the account is proven readable by the same
 * credential in this deployment; otherwise they become an ACCESS_DENIED failure that names the vendor, the
 * account and the credential's config key. Wrap the backend that already serves the shared account list.
 */
export function withGoneProof(account: AccountRef, backend: FlowBackend): FlowBackend {
  const key = account.canonical;
  const wrapped: FlowBackend = Object.create(backend);
  Object.defineProperty(wrapped, "vendor", { value: backend.vendor });

  const noAccess = (flowId: string, said: string, why: string) => {
    const entry = vendorOf(account);
    return new BackendError(
      "ACCESS_DENIED",
      `${entry.displayName} answered that flow ${flowId} does not exist (${said}), but ${why}. ` +
        `${entry.displayName} gives that same answer to a credential without access to the account, so the flow is not taken for deleted ` +
        `and the state keeps it. Check the credential (${credentialSource(account)}) and the account reference ${key}, then run again.`,
    );
  };

  /** Throws unless the not-found of `flowId` may be believed. At most one account-level call, only when not proven yet. */
  const prove = async (flowId: string, said: string): Promise<void> => {
    if (proven.has(key)) return;
    let listed;
    try {
      listed = await wrapped.listFlows();
    } catch (e) {
      throw noAccess(flowId, said, `the same credential cannot read the account either (${(e as Error).message})`);
    }
    const still = listed.find((f) => f.id === flowId);
    if (still) throw noAccess(flowId, said, `the account's list still shows it (${still.status})`);
  };

  wrapped.listFlows = async () => {
    const flows = await backend.listFlows();
    proven.add(key);
    return flows;
  };

  for (const name of FLOW_METHODS) {
    const original = (backend[name] as (flowId: string, ...rest: unknown[]) => Promise<unknown>).bind(backend);
    (wrapped as unknown as Record<string, (flowId: string, ...rest: unknown[]) => Promise<unknown>>)[name] = async (flowId, ...rest) => {
      let answer: unknown;
      try {
        answer = await original(flowId, ...rest);
      } catch (e) {
        if (isBackendError(e, "NOT_FOUND")) await prove(flowId, e.message);
        throw e;
      }
      if (name === "getFlow" && answer === undefined) {
        await prove(flowId, "not found");
        return undefined;
      }
      proven.add(key);
      return answer;
    };
  }
  const create = backend.createFlow.bind(backend);
  wrapped.createFlow = async (req) => {
    const answer = await create(req);
    proven.add(key);
    return answer;
  };
  return wrapped;
}
