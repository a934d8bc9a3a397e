/**
 * Flows a killed run may have left unsendable (issue 17): on a vendor that edits published flows in
 * place, an upload re-drafts the flow and the publish after it makes it live again. The provider
 * finishes that pair when only the engine dies (lifecycle/critical.ts); when the whole machine dies,
 * the flow stays a DRAFT, and the state still says PUBLISHED (the interrupted update never returned).
 *
 * Such an interrupted update leaves its change pending in the diff (the state keeps the old hash), so
 * the check runs only where a diff shows a JSON change of a flow the state records PUBLISHED on such a
 * vendor: one list per account per provider process (shared with every other reader, account-flows.ts).
 * A no-op preview makes no call. `up` then publishes the flow again whatever `publish` says
 * (flow-assets.ts: a flow that was live stays live).
 */
import type { FlowAssetsOutputs } from "../model";
import { mustReplaceLiveEdits } from "../lifecycle/plan";
import { connect } from "./context";
import { progress } from "./messages";

/**
 * For a JSON change of a flow the state records PUBLISHED, on a vendor that edits it in place: says (a
 * progress line) when the flow is not live at the vendor. Never fails the preview.
 */
export async function reportIfNotLive(olds: FlowAssetsOutputs): Promise<void> {
  if (olds.status !== "PUBLISHED") return;
  const live = olds.liveFlowId ?? olds.flowId;
  try {
    const conn = connect(olds.waba, olds.vendor);
    // A replacing vendor (or a flow it refused to edit) never re-drafts the live flow: nothing to check.
    if (mustReplaceLiveEdits({ ...conn.planContext, editsRefused: olds.editsRefused === true })) return;
    const listed = (await conn.backend.listFlows()).find((f) => f.id === live);
    if (listed && listed.status === "DRAFT") {
      progress(
        `flow "${olds.flowName}": flow ${live} is not live: the vendor says DRAFT, the state PUBLISHED (a run interrupted between ` +
          "an upload and its publish leaves this); `pulumi up` publishes it again first",
      );
    }
  } catch (e) {
    progress(`flow "${olds.flowName}": could not check that flow ${live} is live (${(e as Error).message}); \`pulumi up\` reads it again`);
  }
}

/** The flow the state records PUBLISHED is a DRAFT at the vendor now: it was live, so it is published again. */
export const leftUnpublished = (olds: Pick<FlowAssetsOutputs, "status"> | undefined, remote: { status: string }): boolean =>
  olds?.status === "PUBLISHED" && remote.status === "DRAFT";
