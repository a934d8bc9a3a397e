/**
 * Lifecycle planning: pure functions from (remote state, desired state) to the vendor calls that get
 * from one to the other. No I/O here: the executor (./execute.ts) runs the steps, the hooks decide
 * when to plan. Every rule about what a state allows lives in this file, vendor-neutral.
 *
 * The rules (see docs/design.md and docs/lifecycle.md):
 * - only DRAFT flows are deleted; PUBLISHED (and THROTTLED/BLOCKED) flows are deprecated; DEPRECATED is final;
 * - an edit of a PUBLISHED flow re-drafts it on the vendors we support, so it is immediately followed by
 *   a publish: the flow is never left unpublished longer than the one call that must precede re-publishing;
 * - a flow that is live stays live: even with `publish: false`, a published flow whose JSON changes is re-published;
 * - THROTTLED/BLOCKED are endpoint-health states set by Meta: we report them and refuse edits rather than
 *   risk a live flow (vendors do not document edits in those states).
 */
import type { FlowCategory, FlowStatus } from "../model";
import type { VendorCapabilities } from "../vendors/registry";

/** What the planner needs to know about the vendor and about this flow's past (never a vendor name). */
export interface PlanContext {
  capabilities: Pick<VendorCapabilities, "publishedEdits" | "publishOnCreate" | "clone">;
  /** The vendor already refused an in-place edit of this flow (e.g. Meta's legacy flows answer 139001). */
  editsRefused?: boolean;
  /** Used in messages: the vendor's display name. */
  vendorName: string;
}

/** The endpoint of a data-exchange flow, where the program declares one. */
export interface EndpointSettings {
  endpointUri?: string;
  applicationId?: string;
}

export type Step =
  | ({ call: "updateMetadata"; name?: string; categories?: FlowCategory[] } & EndpointSettings)
  | { call: "uploadFlowJson" }
  | { call: "publish" }
  /** Publish again only if the previous call re-drafted the flow (vendors differ; AWS does not say). */
  | { call: "republishIfRedrafted" }
  | { call: "deprecate" }
  | { call: "delete" }
  /**
   * The vendor will not edit this live flow: a new flow with the desired content is created (cloned
   * where only metadata changes), published, and only then the old one is deprecated.
   */
  | ({ call: "replace"; name: string; categories?: FlowCategory[]; reason: string } & EndpointSettings);

export interface Plan {
  steps: Step[];
  /** Human-readable explanations worth showing (why nothing happens, why a flow is re-published). */
  notes: string[];
  /** Before uploading over a live flow, keep its current JSON so a rejected upload can be rolled back. */
  snapshotBeforeUpload: boolean;
  /**
   * In-place edits of a live flow on a vendor that usually allows them: if the vendor refuses this
   * flow's edit after all (Meta's legacy flows), fall back to replacement.
   */
  replaceOnRefusal: boolean;
}

const emptyPlan = (): Plan => ({ steps: [], notes: [], snapshotBeforeUpload: false, replaceOnRefusal: false });

/** True when an edit of this live flow is refused by the vendor (known in advance), so it must be replaced. */
export const mustReplaceLiveEdits = (ctx: PlanContext): boolean =>
  ctx.capabilities.publishedEdits === "refuse" || ctx.editsRefused === true;

function replacementReason(ctx: PlanContext, what: string): string {
  return ctx.editsRefused && ctx.capabilities.publishedEdits !== "refuse"
    ? `${ctx.vendorName} refused an earlier in-place edit of this flow (a legacy flow), so its ${what} change is published as a new flow`
    : `${ctx.vendorName} does not edit published flows, so the ${what} change is published as a new flow`;
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
export function planMetadataChange(
  remote: FlowRef & { categories: string[]; endpointUri?: string | null; applicationId?: string | null },
  desired: { name: string; categories: FlowCategory[] } & EndpointSettings,
  ctx?: PlanContext,
): Plan {
  const plan = emptyPlan();
  const nameChanged = remote.name !== desired.name;
  const categoriesChanged = !sameCategories(remote.categories, desired.categories);
  // An endpoint the program does not declare is left as it is (vendors offer no way to clear one).
  const endpointChanged = desired.endpointUri !== undefined && (remote.endpointUri ?? undefined) !== desired.endpointUri;
  const applicationChanged = desired.applicationId !== undefined && (remote.applicationId ?? undefined) !== desired.applicationId;
  if (!nameChanged && !categoriesChanged && !endpointChanged && !applicationChanged) return plan;
  const endpoint: EndpointSettings = {
    ...(endpointChanged ? { endpointUri: desired.endpointUri } : {}),
    ...(applicationChanged ? { applicationId: desired.applicationId } : {}),
  };
  if (remote.status === "DEPRECATED") refuseDeprecated(remote);
  if (isHealthState(remote.status)) refuseHealthState(remote, "name or categories");
  if (remote.status === "PUBLISHED" && ctx && mustReplaceLiveEdits(ctx)) {
    const reason = replacementReason(ctx, "metadata");
    plan.steps.push({
      call: "replace",
      name: desired.name,
      categories: desired.categories,
      reason,
      ...(desired.endpointUri !== undefined ? { endpointUri: desired.endpointUri } : {}),
      ...(desired.applicationId !== undefined ? { applicationId: desired.applicationId } : {}),
    });
    plan.notes.push(`${describe(remote)} is PUBLISHED: ${reason}; the current flow is deprecated once the new one is live`);
    return plan;
  }
  plan.steps.push({
    call: "updateMetadata",
    ...(nameChanged ? { name: desired.name } : {}),
    ...(categoriesChanged ? { categories: desired.categories } : {}),
    ...endpoint,
  });
  if (remote.status === "PUBLISHED") {
    plan.steps.push({ call: "republishIfRedrafted" });
    plan.replaceOnRefusal = true;
    plan.notes.push(`${describe(remote)} is PUBLISHED: it is published again right after the metadata update if the vendor re-drafted it`);
  }
  return plan;
}

/**
 * The Flow JSON and publish state of an existing flow.
 * `remoteSha` is the hash of the JSON the vendor holds, or `null` when unknown (then we upload).
 */
export function planAssetsChange(
  remote: FlowRef & { remoteSha: string | null; categories?: string[]; validationErrors?: readonly unknown[] },
  desired: { sha: string; publish: boolean },
  ctx?: PlanContext,
): Plan {
  const plan = emptyPlan();
  // A draft the vendor found errors in is uploaded again even with the same JSON: the vendor validates
  // anew (its reasons, such as a version not yet available, can go away), and publishing needs that.
  const revalidate = remote.status === "DRAFT" && desired.publish && (remote.validationErrors?.length ?? 0) > 0;
  const jsonChanged = remote.remoteSha !== desired.sha || revalidate;
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
  if (live && jsonChanged && ctx && mustReplaceLiveEdits(ctx)) {
    const reason = replacementReason(ctx, "Flow JSON");
    plan.steps.push({ call: "replace", name: remote.name, reason });
    plan.notes.push(`${describe(remote)} is PUBLISHED: ${reason}; the current flow is deprecated once the new one is live`);
    return plan;
  }
  if (jsonChanged) {
    plan.steps.push({ call: "uploadFlowJson" });
    plan.snapshotBeforeUpload = live;
    plan.replaceOnRefusal = live;
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
  const plan = emptyPlan();
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
 * - never a flow another resource of this deployment created or adopted (`claimedByOther`): two
 *   resources must never manage one flow (a name declared twice);
 * - never a DEPRECATED flow (it cannot be revived);
 * - the user asked for it (`adoptExisting`); or
 * - it looks exactly like what an interrupted create of this resource leaves behind: a DRAFT with the
 *   same categories and no Flow JSON yet (a plain create uploads no JSON; FlowAssets does that later),
 *   or, for a clone, a DRAFT with the source's JSON (`matchesClone`), or, for a create that carried the
 *   Flow JSON (and maybe `publish`), a DRAFT or PUBLISHED flow with the same categories holding exactly
 *   that JSON (`matchesJson`: same hash).
 */
export function decideAdoption(
  existing: FlowRef & {
    categories: string[];
    hasFlowJson: boolean;
    matchesClone?: boolean;
    matchesJson?: boolean;
    claimedByOther?: string;
  },
  desired: { categories: FlowCategory[]; adoptExisting: boolean; cloning?: boolean; withJson?: boolean },
  account: string,
): AdoptionDecision {
  if (existing.claimedByOther) {
    return {
      adopt: false,
      reason:
        `flow "${existing.name}" (id ${existing.id}) in account ${account} is already managed by ${existing.claimedByOther} in this deployment; ` +
        `two resources must never manage one flow. Give one of them another name.`,
    };
  }
  if (existing.status === "DEPRECATED") {
    return {
      adopt: false,
      reason:
        `the name "${existing.name}" is held by DEPRECATED flow ${existing.id} in account ${account}; deprecated flows keep their names ` +
        `and cannot be revived. Choose another name.`,
    };
  }
  if (desired.adoptExisting)
    return { adopt: true, reason: `adopting existing ${existing.status} flow ${existing.id} (adoptExisting is set)` };
  const sameKind = sameCategories(existing.categories, desired.categories);
  const bareDraft = existing.status === "DRAFT" && sameKind && !existing.hasFlowJson;
  const leftByUs = desired.withJson
    ? bareDraft || (sameKind && (existing.status === "DRAFT" || existing.status === "PUBLISHED") && existing.matchesJson === true)
    : desired.cloning
      ? existing.status === "DRAFT" && sameKind && existing.matchesClone === true
      : bareDraft;
  if (leftByUs) {
    return {
      adopt: true,
      reason: `adopting ${existing.status} flow ${existing.id}${desired.withJson ? ", which holds this resource's Flow JSON," : ""} left by an earlier interrupted create of this resource`,
    };
  }
  return {
    adopt: false,
    reason:
      `a ${existing.status} flow named "${existing.name}" (id ${existing.id}) already exists in account ${account} and was not created by this ` +
      `resource. Set \`adoptExisting: true\` to manage it with Pulumi, or choose another name.`,
  };
}

// ------------------------------------------------------------------------------------ replacement names

/** Flow names are at most 200 characters on every vendor (AWS documents it; the others are silent). */
export const MAX_FLOW_NAME = 200;

/**
 * The name of generation `g` of a declared flow: generation 1 is the declared name itself; a
 * replacement (a vendor that does not edit published flows) takes `<name> (v<g>)`, because the
 * deprecated predecessor keeps its name in the account.
 */
export function liveNameFor(name: string, generation: number): string {
  return generation <= 1 ? name : `${name} (v${generation})`;
}

/** The generation a live name stands for, relative to the declared name; undefined when it is not of that family. */
export function generationOf(liveName: string, name: string): number | undefined {
  if (liveName === name) return 1;
  if (!liveName.startsWith(`${name} (v`) || !liveName.endsWith(")")) return undefined;
  const digits = liveName.slice(name.length + 3, -1);
  return /^[1-9][0-9]{0,5}$/.test(digits) && Number(digits) >= 2 ? Number(digits) : undefined;
}

export interface SuccessorChoice {
  name: string;
  generation: number;
  /** A flow already holding that name, to be checked (its JSON) before it is resumed. */
  existing?: FlowRef;
}

/**
 * Where the next generation of a flow goes: the first name of the family from `startGeneration` on
 * (the current generation + 1; or 1 for a renamed flow) that no flow holds, or that a flow holds which may be our own interrupted replacement (not
 * deprecated, not the current flow, not managed by another resource). `flows` is the account's list.
 */
export function chooseSuccessor(
  flows: readonly FlowRef[],
  name: string,
  from: { currentId: string; startGeneration: number },
  isClaimed: (id: string) => boolean = () => false,
  skip: ReadonlySet<string> = new Set(),
): SuccessorChoice {
  const byName = new Map(flows.map((f) => [f.name, f]));
  const start = Math.max(from.startGeneration, 1);
  for (let g = start; g < start + 100; g++) {
    const candidate = liveNameFor(name, g);
    if (candidate.length > MAX_FLOW_NAME) {
      throw new PlanRefused(
        `flow "${name}" must be replaced, but its replacement name "${candidate}" is longer than ${MAX_FLOW_NAME} characters; shorten the flow's name`,
      );
    }
    const holder = byName.get(candidate);
    if (!holder) return { name: candidate, generation: g };
    if (holder.id !== from.currentId && holder.status !== "DEPRECATED" && !isClaimed(holder.id) && !skip.has(holder.id)) {
      return { name: candidate, generation: g, existing: holder };
    }
  }
  throw new PlanRefused(`flow "${name}": no free replacement name after 100 generations`);
}

/**
 * The live member of a flow's family when the recorded one was retired by a replacement: the highest
 * generation above `fromGeneration` that is not DEPRECATED (undefined when there is none).
 */
export function findLiveSuccessor(
  flows: readonly FlowRef[],
  name: string,
  fromGeneration: number,
): (FlowRef & { generation: number }) | undefined {
  let best: (FlowRef & { generation: number }) | undefined;
  for (const f of flows) {
    const g = generationOf(f.name, name);
    if (g === undefined || g <= fromGeneration || f.status === "DEPRECATED") continue;
    if (!best || g > best.generation) best = { ...f, generation: g };
  }
  return best;
}
