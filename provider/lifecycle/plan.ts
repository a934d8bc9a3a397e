/**
 * Lifecycle planning: pure functions from (remote state, desired state) to the vendor calls that get
 * from one to the other. No I/O here: the executor (./execute.ts) runs the steps, the hooks decide
 * when to plan. Every rule about what a state allows lives in this file, vendor-neutral.
 *
 * The rules (see docs/design.md and shared/reference/lifecycle.md):
 * - only DRAFT flows are deleted; PUBLISHED (and THROTTLED/BLOCKED) flows are deprecated; DEPRECATED is final;
 * - an edit of a PUBLISHED flow re-drafts it on the vendors we support, so it is immediately followed by
 *   a publish: the flow is never left unpublished longer than the one call that must precede re-publishing;
 * - a flow that is live stays live: even with `publish: false`, a published flow whose JSON changes is re-published;
 * - THROTTLED/BLOCKED are endpoint-health states set by Meta: we report them and refuse edits rather than
 *   risk a live flow (vendors do not document edits in those states).
 */
import type { FlowCategory, FlowStatus } from "../model";

export type Step =
  | { call: "updateMetadata"; name?: string; categories?: FlowCategory[] }
  | { call: "uploadFlowJson" }
  | { call: "publish" }
  /** Publish again only if the previous call re-drafted the flow (vendors differ; AWS does not say). */
  | { call: "republishIfRedrafted" }
  | { call: "deprecate" }
  | { call: "delete" };

export interface Plan {
  steps: Step[];
  /** Human-readable explanations worth showing (why nothing happens, why a flow is re-published). */
  notes: string[];
  /** Before uploading over a live flow, keep its current JSON so a rejected upload can be rolled back. */
  snapshotBeforeUpload: boolean;
}

export class PlanRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanRefused";
  }
}

const LIVE: FlowStatus[] = ["PUBLISHED", "THROTTLED", "BLOCKED"];
export const isLive = (status: FlowStatus | undefined): boolean => !!status && LIVE.includes(status);
const isHealthState = (status: FlowStatus): boolean => status === "THROTTLED" || status === "BLOCKED";

export const sameCategories = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");

const describe = (flow: FlowRef) => `flow "${flow.name}" (id ${flow.id})`;

export interface FlowRef {
  id: string;
  name: string;
  status: FlowStatus;
}

export function refuseDeprecated(flow: FlowRef): never {
  throw new PlanRefused(
    `${describe(flow)} is DEPRECATED, and a deprecated flow cannot be edited, published or revived. ` +
      `Give the resource a new name (or a new resource name) to create a fresh flow; the deprecated one keeps its name in the WABA.`,
  );
}

function refuseHealthState(flow: FlowRef, what: string): never {
  throw new PlanRefused(
    `${describe(flow)} is ${flow.status} (Meta's endpoint-health monitoring). Editing its ${what} now is not attempted, ` +
      `because vendors do not document edits in this state and the flow is live. Fix the endpoint, wait until it is PUBLISHED again, then run \`pulumi up\`.`,
  );
}

/** Metadata (name, categories) of an existing flow. */
export function planMetadataChange(remote: FlowRef & { categories: string[] }, desired: { name: string; categories: FlowCategory[] }): Plan {
  const plan: Plan = { steps: [], notes: [], snapshotBeforeUpload: false };
  const nameChanged = remote.name !== desired.name;
  const categoriesChanged = !sameCategories(remote.categories, desired.categories);
  if (!nameChanged && !categoriesChanged) return plan;
  if (remote.status === "DEPRECATED") refuseDeprecated(remote);
  if (isHealthState(remote.status)) refuseHealthState(remote, "name or categories");
  plan.steps.push({
    call: "updateMetadata",
    ...(nameChanged ? { name: desired.name } : {}),
    ...(categoriesChanged ? { categories: desired.categories } : {}),
  });
  if (remote.status === "PUBLISHED") {
    plan.steps.push({ call: "republishIfRedrafted" });
    plan.notes.push(`${describe(remote)} is PUBLISHED: it is published again right after the metadata update if the vendor re-drafted it`);
  }
  return plan;
}

/**
 * The Flow JSON and publish state of an existing flow.
 * `remoteSha` is the hash of the JSON the vendor holds, or `null` when unknown (then we upload).
 */
export function planAssetsChange(
  remote: FlowRef & { remoteSha: string | null },
  desired: { sha: string; publish: boolean },
): Plan {
  const plan: Plan = { steps: [], notes: [], snapshotBeforeUpload: false };
  const jsonChanged = remote.remoteSha !== desired.sha;
  if (remote.status === "DEPRECATED") {
    if (!jsonChanged && !desired.publish) {
      plan.notes.push(`${describe(remote)} is DEPRECATED; nothing to do`);
      return plan;
    }
    refuseDeprecated(remote);
  }
  if (isHealthState(remote.status)) {
    if (jsonChanged) refuseHealthState(remote, "Flow JSON");
    plan.notes.push(`${describe(remote)} is ${remote.status}; it stays as Meta set it`);
    return plan;
  }
  const live = remote.status === "PUBLISHED";
  if (jsonChanged) {
    plan.steps.push({ call: "uploadFlowJson" });
    plan.snapshotBeforeUpload = live;
  }
  if (live) {
    // An upload re-drafts a published flow: publish straight after, whatever `publish` says, because the
    // flow is in front of customers and publishing cannot be undone anyway.
    if (jsonChanged) plan.steps.push({ call: "publish" });
    if (!desired.publish) plan.notes.push(`${describe(remote)} is already PUBLISHED; publishing cannot be undone, so it stays published`);
  } else if (desired.publish) {
    plan.steps.push({ call: "publish" });
  }
  return plan;
}

/** Removing a flow from the program, or `pulumi destroy`. `remote` undefined = already gone. */
export function planRemoval(remote: FlowRef | undefined): Plan {
  const plan: Plan = { steps: [], notes: [], snapshotBeforeUpload: false };
  if (!remote) {
    plan.notes.push("the flow no longer exists; nothing to delete");
  } else if (remote.status === "DRAFT") {
    plan.steps.push({ call: "delete" });
  } else if (remote.status === "DEPRECATED") {
    plan.notes.push(`${describe(remote)} is already DEPRECATED; nothing to do`);
  } else {
    // PUBLISHED, THROTTLED, BLOCKED, or a status we do not know: never delete what may be live.
    plan.steps.push({ call: "deprecate" });
    plan.notes.push(`${describe(remote)} is ${remote.status}: it is deprecated, never deleted, and keeps its name in the WABA`);
  }
  return plan;
}

/** Outcome of a name clash at creation: adopt the existing flow or refuse. */
export type AdoptionDecision = { adopt: true; reason: string } | { adopt: false; reason: string };

/**
 * A create found a flow with the same name. We take it over only when it is provably safe:
 * - the user asked for it (`adoptExisting`), and it is not DEPRECATED; or
 * - it looks exactly like what an interrupted create of ours leaves behind: a DRAFT with the same
 *   categories and no Flow JSON yet (Flow creates never upload JSON; FlowAssets does that later).
 */
export function decideAdoption(
  existing: FlowRef & { categories: string[]; hasFlowJson: boolean },
  desired: { categories: FlowCategory[]; adoptExisting: boolean },
  waba: string,
): AdoptionDecision {
  if (existing.status === "DEPRECATED") {
    return {
      adopt: false,
      reason:
        `the name "${existing.name}" is held by DEPRECATED flow ${existing.id} in WABA ${waba}; deprecated flows keep their names ` +
        `and cannot be revived. Choose another name.`,
    };
  }
  if (desired.adoptExisting) return { adopt: true, reason: `adopting existing ${existing.status} flow ${existing.id} (adoptExisting is set)` };
  if (existing.status === "DRAFT" && !existing.hasFlowJson && sameCategories(existing.categories, desired.categories)) {
    return { adopt: true, reason: `adopting DRAFT flow ${existing.id}, left by an earlier interrupted create of this resource` };
  }
  return {
    adopt: false,
    reason:
      `a ${existing.status} flow named "${existing.name}" (id ${existing.id}) already exists in WABA ${waba} and was not created by this ` +
      `resource. Set \`adoptExisting: true\` to manage it with Pulumi, or choose another name.`,
  };
}
