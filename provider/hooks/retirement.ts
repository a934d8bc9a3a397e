/**
 * Retiring the flows a replacement kept published for their templates (issue 19 item 3; docs/design.md
 * "A flow's replacement never strands its templates"). A flow is deprecated only when no template of
 * the account sends it any more (a fresh list: this deployment's, dropped by every template write of
 * ours), decided under a per-(account, flow) lock so two templates repointed at once cannot both miss it.
 */
import { retireFlow } from "../lifecycle/execute";
import { forgetRetirement, withFlowLock } from "../templates/retirements";
import { connect, executionContext } from "./context";
import { templatesSending } from "./template-connection";

export type RetireOutcome = { kind: "deprecated" } | { kind: "gone" } | { kind: "sent"; templates: string[] };

/**
 * Deprecates `flowId` unless a template still sends it (`force`: even then, naming them; a destroy
 * retires every generation of its flow). Already DEPRECATED or no longer listed: nothing to do.
 */
export function retireUnlessSent(
  waba: string,
  flowId: string,
  opts: { flowName: string; log: (m: string) => void; force?: boolean; checkStatus?: boolean },
): Promise<RetireOutcome> {
  const conn = connect(waba);
  const account = conn.account.canonical;
  return withFlowLock(account, flowId, async () => {
    if (opts.checkStatus) {
      // The account's flow list is shared by the deployment (often read already): a retired or gone flow needs nothing more.
      const listed = (await conn.backend.listFlows()).find((f) => f.id === flowId);
      if (!listed || listed.status === "DEPRECATED") {
        forgetRetirement(account, flowId);
        return { kind: "gone" };
      }
    }
    const sending = await templatesSending(waba, flowId);
    if (sending.length > 0 && !opts.force) return { kind: "sent", templates: sending };
    if (sending.length > 0)
      opts.log(`deprecating flow ${flowId} although templates ${sending.join(", ")} still send it: the flow is being removed`);
    await retireFlow(executionContext(conn, { flowId, flowName: opts.flowName, file: "(vendor)" }), flowId);
    forgetRetirement(account, flowId);
    return { kind: "deprecated" };
  });
}

/**
 * The next operation of a resource that kept flows published: retire those no template sends any more.
 * Returns the ids still kept. An error keeps the flow (logged): retiring is never worth failing an `up` for.
 */
export async function retryRetirements(
  waba: string,
  ids: readonly string[] | undefined,
  opts: { flowName: string; log: (m: string) => void; force?: boolean },
): Promise<string[]> {
  const kept: string[] = [];
  for (const id of ids ?? []) {
    try {
      const outcome = await retireUnlessSent(waba, id, { ...opts, checkStatus: true });
      if (outcome.kind === "deprecated") opts.log(`deprecated flow ${id}: no template sends it any more`);
      if (outcome.kind === "sent") {
        opts.log(`flow ${id} stays published: templates ${outcome.templates.join(", ")} still send it; repoint them to the live flow`);
        kept.push(id);
      }
    } catch (e) {
      if (opts.force) throw e;
      opts.log(`flow ${id} stays published for now: its retirement failed (${(e as Error).message.split("\n")[0]})`);
      kept.push(id);
    }
  }
  return kept;
}
