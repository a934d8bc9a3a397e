/**
 * Which flow a Flow's delete retires when its FlowAssets handed nothing over in this process (issue 18).
 *
 * Within one deployment, the FlowAssets' delete tells the Flow's delete which flow is live
 * (`claims.removed`), so the Flow deprecates it without a read. After a stopped `destroy` (a budget stop:
 * the engine starts no new step after the first failure) the next run finds Flows whose FlowAssets are
 * already gone: each would read its flow (one call) before deprecating it. The state alone is not enough:
 * a replacement may have left a newer generation live (`<name> (v2)`), and the executor takes "already
 * deprecated" for done, so retiring a stale recorded id would leave the successor published.
 *
 * So these deletes answer from the account's flow list (one per deployment, patched by our writes:
 * ./account-flows.ts) when it is conclusive, and fall back to reading the flow (./live.ts) otherwise:
 * - the recorded flow is listed live (PUBLISHED, or another live status) and no newer PUBLISHED generation
 *   of its family is listed → retire it as listed; listed DRAFT → delete it;
 * - listed DEPRECATED → the family's live successor in the same list, or nothing to do when there is none;
 * - not listed (gone must be proven by a read, ./gone-proof.ts), a newer PUBLISHED generation (the recorded
 *   flow kept for its templates: the read path retires both), or no list → undefined: read as before.
 *
 * Cost: a list the deployment already holds is free. Otherwise it is taken (once per account and process)
 * by the second such delete of the account: the first reads its flow (1 call); from the second on the list
 * (1 call a page) serves all of them. A single standalone Flow in a large account thus keeps its one read,
 * and k such deletes cost 1 + pages calls instead of k.
 */
import type { FlowBackend, RemoteFlowSummary } from "../backends/types";
import { onProcessReset } from "../lifecycle/claims";
import { knownAccountFlows } from "./account-flows";
import { fromListing, listedFamily, type LiveFlow } from "./live";

/** Flow deletes without a hand-over started in this process, per account. */
const unhanded = new Map<string, number>();
/** Accounts whose list such a delete already took in this process (taken at most once: a dropped list is not taken again). */
const taken = new Set<string>();

onProcessReset(() => {
  unhanded.clear();
  taken.clear();
});

/** From the second delete without a hand-over on, the account's list is worth taking (see the cost note above). */
const TAKE_FROM = 2;

type LastRead = Parameters<typeof fromListing>[1];

/**
 * The live flow of a Flow being deleted without a hand-over, from the account's list when that is
 * conclusive; undefined when the caller must read the flow (resolveLive). `backend` is the connection's
 * (its list is the shared one, and proves the credential, ./gone-proof.ts).
 */
export async function liveForRemoval(
  backend: FlowBackend,
  account: string,
  recordedId: string,
  declaredName: string,
  recordedGeneration: number,
  last: LastRead,
): Promise<LiveFlow | undefined> {
  const count = (unhanded.get(account) ?? 0) + 1;
  unhanded.set(account, count);
  let listed = await knownAccountFlows(account);
  if (!listed && count >= TAKE_FROM && !taken.has(account)) {
    taken.add(account);
    // A failing list (a budget stop, an outage) leaves the decision to the read path, which reports it.
    listed = await backend.listFlows().catch(() => undefined);
  }
  return listed && conclusive(listed, recordedId, declaredName, recordedGeneration, last);
}

/** What the list says about the recorded flow, when it says enough (see the module comment). */
export function conclusive(
  listed: readonly RemoteFlowSummary[],
  recordedId: string,
  declaredName: string,
  recordedGeneration: number,
  last: LastRead,
): LiveFlow | undefined {
  const family = listedFamily(listed, recordedId, declaredName, recordedGeneration);
  if (!family) return undefined;
  const { recorded, generation, live } = family;
  if (recorded.status === "DEPRECATED") {
    if (!live) return { remote: fromListing(recorded, last), generation, followed: false };
    // The successor's own facts are not in the state of this Flow: only what the list says.
    return { remote: fromListing(live, {}), generation: live.generation, followed: true };
  }
  if (recorded.status === "UNKNOWN" || live) return undefined;
  return { remote: fromListing(recorded, last), generation, followed: false };
}
