/**
 * What `pulumi preview` says about a flow being created: which existing flow `up` will adopt and what
 * it will change about it, or why the create cannot work. Read-only, and only for resources without
 * state (a preview of an existing stack makes no call from here).
 *
 * The lookups go through `connect(waba).backend`, whose `listFlows` is shared per account by the
 * provider process (./account-flows.ts): N new flows of one account cost one list. Three findings
 * refuse the preview (check failures): an `adoptFlowId` that does not exist, an `adoptFlowId` of a
 * DEPRECATED flow, and a name held only by a DEPRECATED flow. Any vendor error in a lookup only prints a
 * line: `up` checks the same things again (createOrAdopt), so a preview is never failed by a lookup.
 */
import type { FlowAssetsInputs, FlowInputs } from "../model";
import { isUnknown } from "../model";
import type { FlowBackend, RemoteFlow } from "../backends/types";
import { flowJsonSha256 } from "../hash";
import { describeFlowChange, flowFingerprint } from "../lifecycle/flow-diff";
import { mustReplaceLiveEdits, sameCategories, type PlanContext } from "../lifecycle/plan";
import type { CheckFailure } from "./inputs";
import { connect } from "./context";
import { progress } from "./messages";

/** One line of a vendor error, never credentials (backend errors are redacted already). */
function reasonOf(e: unknown): string {
  const text = String((e as Error)?.message ?? e)
    .split("\n")[0]
    .trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text || "unknown error";
}

const lookupFailed = (account: string, e: unknown) =>
  progress(`could not look up existing flows in ${account} (${reasonOf(e)}); checked at \`pulumi up\` instead`);

const list = (values: readonly string[]) => `[${[...values].sort().join(", ")}]`;

/** What `up` changes about an existing flow's metadata to match the program (as planMetadataChange decides). */
function metadataChanges(remote: RemoteFlow, desired: FlowInputs): string[] {
  const changes: string[] = [];
  if (remote.name !== desired.name) changes.push(`name "${remote.name}" → "${desired.name}"`);
  if (!sameCategories(remote.categories, desired.categories))
    changes.push(`categories ${list(remote.categories)} → ${list(desired.categories)}`);
  if (desired.endpointUri !== undefined && (remote.endpointUri ?? undefined) !== desired.endpointUri)
    changes.push(`endpoint ${remote.endpointUri ? remote.endpointUri : "(none)"} → ${desired.endpointUri}`);
  if (desired.applicationId !== undefined && (remote.applicationId ?? undefined) !== desired.applicationId)
    changes.push(`application id ${remote.applicationId ?? "(none)"} → ${desired.applicationId}`);
  return changes;
}

/** How `up` applies metadata changes to an adopted flow of this status. */
function metadataAction(remote: RemoteFlow, ctx: PlanContext): string {
  if (remote.status === "THROTTLED" || remote.status === "BLOCKED")
    return `flow ${remote.id} is ${remote.status}: \`pulumi up\` refuses to edit it until the vendor clears that state`;
  if (remote.status === "PUBLISHED" && mustReplaceLiveEdits(ctx))
    return (
      `${ctx.vendorName} does not edit published flows: \`pulumi up\` replaces flow ${remote.id} with a new flow ` +
      `(published first, then the old one is deprecated); its id changes`
    );
  if (remote.status === "PUBLISHED") return "updated in place, and published again if the vendor re-drafts it";
  return "updated in place";
}

function describeAdoption(name: string, how: string, remote: RemoteFlow, desired: FlowInputs, ctx: PlanContext): void {
  const changes = metadataChanges(remote, desired);
  const head = `flow "${name}": \`pulumi up\` will adopt flow ${remote.id} "${remote.name}" (${remote.status}) (${how}) instead of creating one`;
  if (changes.length === 0) {
    progress(`${head}; name and categories already match`);
    return;
  }
  progress([`${head}; it aligns:`, ...changes.map((c) => `  ${c}`), `  ${metadataAction(remote, ctx)}`].join("\n"));
}

const known = (...values: unknown[]) => values.every((v) => !isUnknown(v));

/**
 * Flow.check of a resource being created (no state), inputs valid: adoption preview and the
 * preview-time refusals. Returns check failures (empty when the create may go ahead).
 */
export async function previewFlowCreation(inputs: FlowInputs): Promise<CheckFailure[]> {
  const adoptById = inputs.adoptFlowId !== undefined;
  const adoptByName = inputs.adoptExisting === true;
  if (!known(inputs.waba, inputs.name, inputs.categories, inputs.adoptFlowId, inputs.adoptExisting)) {
    // Nothing to look up yet; say what a create will try.
    if (adoptById)
      progress(
        `flow "${isUnknown(inputs.name) ? "(name not known yet)" : inputs.name}": will adopt existing flow (adoptFlowId) instead of creating one`,
      );
    else if (adoptByName && !isUnknown(inputs.name))
      progress(`flow "${inputs.name}": will adopt the existing flow of this name if there is one (adoptExisting); otherwise it is created`);
    return [];
  }
  let conn: ReturnType<typeof connect>;
  try {
    conn = connect(inputs.waba);
  } catch (e) {
    lookupFailed(inputs.waba, e);
    return [];
  }
  const account = conn.account.canonical;
  const { backend } = conn;
  try {
    if (adoptById) {
      const remote = await backend.getFlow(inputs.adoptFlowId!);
      if (!remote) {
        return [
          {
            property: "adoptFlowId",
            reason: `flow ${inputs.adoptFlowId} (adoptFlowId) does not exist in ${account}; check the id, or remove adoptFlowId to create the flow`,
          },
        ];
      }
      if (remote.status === "DEPRECATED") {
        return [
          {
            property: "adoptFlowId",
            reason:
              `flow ${remote.id} "${remote.name}" (adoptFlowId) in ${account} is DEPRECATED and cannot be revived; ` +
              "remove adoptFlowId to create a new flow under another name",
          },
        ];
      }
      describeAdoption(inputs.name, "adoptFlowId", remote, inputs, conn.planContext);
      return [];
    }
    const holders = (await backend.listFlows()).filter((f) => f.name === inputs.name);
    const live = holders.find((f) => f.status !== "DEPRECATED");
    const deprecated = holders.find((f) => f.status === "DEPRECATED");
    if (!live && deprecated) {
      return [
        {
          property: "name",
          reason:
            `the name "${inputs.name}" is owned by deprecated flow ${deprecated.id} in ${account}; deprecated flows keep their names ` +
            "(and cannot be revived or adopted), so no flow can be created or adopted under it: choose another name",
        },
      ];
    }
    if (adoptByName) {
      if (!live) {
        progress(
          `flow "${inputs.name}": no flow of this name in ${account}: \`pulumi up\` creates it (adoptExisting finds nothing to adopt)`,
        );
        return [];
      }
      // Some lists carry no categories (8x8), and none carries the endpoint: read the flow where they matter.
      const needsRead = live.categories.length === 0 || inputs.endpointUri !== undefined || inputs.applicationId !== undefined;
      const remote: RemoteFlow = (needsRead ? await backend.getFlow(live.id) : undefined) ?? {
        ...live,
        validationErrors: [],
        jsonVersion: null,
        previewUrl: null,
        previewExpiresAt: null,
      };
      describeAdoption(inputs.name, "adoptExisting", remote, inputs, conn.planContext);
      return [];
    }
    if (live) {
      progress(
        `flow "${inputs.name}": warning: a ${live.status} flow of this name (id ${live.id}) already exists in ${account}. ` +
          "`pulumi up` takes it over only if it is a bare DRAFT left by an interrupted create of this resource, and fails otherwise; " +
          "set `adoptExisting: true` to take it over, or choose another name",
      );
    }
    return [];
  } catch (e) {
    lookupFailed(account, e);
    return [];
  }
}

/** The flow FlowAssets will manage once its Flow adopted it: by id, or by its name in the account's list. */
async function adoptedFlow(backend: FlowBackend, inputs: FlowAssetsInputs): Promise<{ id: string; status: string } | undefined> {
  const adopt = inputs.adopt!;
  const byId =
    adopt.flowId !== undefined && !isUnknown(adopt.flowId) ? adopt.flowId : !isUnknown(inputs.flowId) ? inputs.flowId : undefined;
  if (byId !== undefined) return backend.getFlow(byId);
  if (adopt.byName !== true || isUnknown(inputs.flowName)) return undefined;
  return (await backend.listFlows()).find((f) => f.name === inputs.flowName && f.status !== "DEPRECATED");
}

/**
 * FlowAssets.check of a resource being created with `adopt` set: what `up` will do to the adopted
 * flow's JSON. `flowJson` is the text check received and `sha` the hash check computed. Prints only;
 * every refusal is the Flow's (its check runs first).
 */
export async function previewAssetsAdoption(inputs: FlowAssetsInputs, flowJson: string, sha: string): Promise<void> {
  const adopt = inputs.adopt;
  if (!adopt || isUnknown(adopt) || isUnknown(inputs.waba) || isUnknown(adopt.byName)) return;
  if (adopt.flowId === undefined && adopt.byName !== true) return;
  const name = isUnknown(inputs.flowName) ? "(name not known yet)" : inputs.flowName;
  let conn: ReturnType<typeof connect>;
  try {
    conn = connect(inputs.waba);
  } catch (e) {
    lookupFailed(inputs.waba, e);
    return;
  }
  const { backend, planContext } = conn;
  try {
    const remote = await adoptedFlow(backend, inputs);
    if (!remote || remote.status === "DEPRECATED") return; // nothing to adopt: the Flow creates one, or refuses
    const json = await backend.downloadFlowJson(remote.id);
    const publishing = inputs.publish === true && remote.status !== "PUBLISHED";
    if (json !== undefined && flowJsonSha256(json) === sha) {
      progress(
        `flow "${name}": adopted flow ${remote.id} (${remote.status}): Flow JSON identical: nothing uploaded` +
          (publishing ? "; `pulumi up` publishes it" : ""),
      );
      return;
    }
    const lines =
      json === undefined ? ["the flow has no Flow JSON yet"] : describeFlowChange(flowFingerprint(json, { budget: Infinity }), flowJson);
    let action: string;
    if (remote.status === "PUBLISHED" && mustReplaceLiveEdits(planContext)) {
      action =
        `${planContext.vendorName} will not edit published flow ${remote.id}: \`pulumi up\` publishes the new Flow JSON as a new flow ` +
        `"${name} (v2)" (or the next free name), and deprecates flow ${remote.id} once no template sends it (its id changes).`;
    } else if (remote.status === "PUBLISHED") {
      action = `flow ${remote.id} is PUBLISHED: \`pulumi up\` uploads the new JSON in place and publishes it again right after (same id)`;
    } else {
      action = `flow ${remote.id} is ${remote.status}: \`pulumi up\` uploads the new JSON${publishing ? ", then publishes the flow" : " (nothing live is touched)"}`;
    }
    progress([`flow "${name}": Flow JSON of adopted flow ${remote.id} changes:`, ...lines.map((l) => `  ${l}`), `  ${action}`].join("\n"));
  } catch (e) {
    lookupFailed(conn.account.canonical, e);
  }
}
