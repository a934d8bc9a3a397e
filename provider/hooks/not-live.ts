/**
 * Flows a killed run may have left unsendable (issue 17): on a vendor that edits published flows in
 * place, an upload re-drafts the flow and the publish after it makes it live again. The provider
 * finishes that pair when only the engine dies (lifecycle/critical.ts); when the whole machine dies,
 * the flow stays a DRAFT, and the state still says PUBLISHED (the interrupted update never returned).
 *
 * Such an interrupted update leaves its change pending in the diff (the state keeps the old hash), so
 * the check runs only where a diff shows a JSON change of a flow the state records PUBLISHED on such a
 * vendor, against the account's list as it was before this process wrote to it (account-flows.ts,
 * accountFlowsBeforeWrites): at most one list per account per provider process, shared with every other
 * reader, and never a list again after a write. A no-op preview makes no call.
 *
 * Only a preview lists (issue 18): in `up` the check could only print a message, since the plan uploads
 * and publishes the flow anyway (a flow that was live stays live), so a JSON change of N published flows
 * in `up` is 2N calls and no list. The engine does not tell a dynamic provider whether it previews; the
 * program does, through the SDK's dry-run flag (./deployment-mode.ts). Without that flag (a FlowAssets
 * declared without our SDK) the check runs as before: it lists before the process's first write, and once
 * `up` has written to the account without the list, it is skipped. `pulumi up` without `--skip-preview`
 * runs a preview first: that preview lists once per account and shows the message.
 */
import type { FlowAssetsOutputs } from "../model";
import { mustReplaceLiveEdits } from "../lifecycle/plan";
import { connect } from "./context";
import { progress } from "./messages";
import { accountFlowsBeforeWrites } from "./account-flows";
import { isDryRunDeployment } from "./deployment-mode";

/**
 * For a JSON change of a flow the state records PUBLISHED, on a vendor that edits it in place: says (a
 * progress line) when the flow is not live at the vendor. Never fails the preview.
 */
export async function reportIfNotLive(olds: FlowAssetsOutputs): Promise<void> {
  if (olds.status !== "PUBLISHED") return;
  // An update uploads and publishes the flow anyway: the list would only feed a message (see above).
  if (isDryRunDeployment() === false) return;
  const live = olds.liveFlowId ?? olds.flowId;
  try {
    const conn = connect(olds.waba, olds.vendor);
    // A replacing vendor (or a flow it refused to edit) never re-drafts the live flow: nothing to check.
    if (mustReplaceLiveEdits({ ...conn.planContext, editsRefused: olds.editsRefused === true })) return;
    const flows = accountFlowsBeforeWrites(conn.account.canonical, () => conn.backend.listFlows());
    // This process already wrote to the account (only `up` writes): it uploads and publishes this flow anyway.
    if (!flows) return;
    const listed = (await flows).find((f) => f.id === live);
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
