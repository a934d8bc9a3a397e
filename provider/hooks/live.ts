/**
 * Which flow is live for a declared flow. Usually the recorded one; after a replacement made by the
 * other resource (FlowAssets replaces a flow whose JSON a vendor will not edit; Flow replaces it for
 * metadata) the recorded flow is DEPRECATED and its successor carries the declared name with a
 * generation suffix (`<name> (v2)`): follow it, so both resources keep managing the flow that is live.
 * A replacement may also have kept the recorded flow PUBLISHED for a template that still sends it
 * (docs/design.md "A flow's replacement never strands its templates"): a newer PUBLISHED generation of
 * the family is then the live flow, seen in the account's flow list (see `ResolveOptions`).
 */
import type { FlowBackend, RemoteFlow, RemoteFlowSummary } from "../backends/types";
import { findLiveSuccessor, generationOf } from "../lifecycle/plan";
import { knownAccountFlows } from "./account-flows";

export interface LiveFlow {
  /** undefined when the recorded flow no longer exists and has no successor. */
  remote?: RemoteFlow;
  generation: number;
  /** True when the live flow is a successor found by name, not the recorded one. */
  followed: boolean;
  /**
   * The recorded flow, when a newer generation was followed although the recorded one is not DEPRECATED
   * (kept for its templates, or a replacement interrupted before its deprecation): still to be retired.
   */
  passed?: string;
}

/**
 * A replacement may have kept the recorded flow PUBLISHED for its templates; a newer PUBLISHED generation
 * is then looked for in the account's flow list (one per deployment, ./account-flows.ts), never at the
 * price of a call of its own on the common path: `account` consults the list only when this deployment
 * already took it; `listIfPublished` lists it when the recorded flow reads PUBLISHED, for a caller that
 * lists anyway then (a replacement reads the list to name its successor).
 */
export interface ResolveOptions {
  account?: string;
  listIfPublished?: boolean;
}

export async function resolveLive(
  backend: FlowBackend,
  recordedId: string,
  declaredName: string,
  recordedGeneration = 1,
  opts: ResolveOptions = {},
): Promise<LiveFlow> {
  const remote = await backend.getFlow(recordedId);
  const generation = (remote && generationOf(remote.name, declaredName)) ?? recordedGeneration;
  if (remote && remote.status === "PUBLISHED") {
    const listed = opts.listIfPublished ? await backend.listFlows() : opts.account ? await knownAccountFlows(opts.account) : undefined;
    const newer = listed && newerPublished(listed, recordedId, declaredName, generation);
    const live = newer ? await backend.getFlow(newer.id) : undefined;
    if (newer && live?.status === "PUBLISHED") return { remote: live, generation: newer.generation, followed: true, passed: recordedId };
  }
  if (remote && remote.status !== "DEPRECATED") return { remote, generation, followed: false };
  // Retired (or gone): a replacement made by the other resource, or an interrupted one, may be live.
  const successor = findLiveSuccessor(await backend.listFlows(), declaredName, generation);
  if (successor && successor.id !== recordedId) {
    const live = await backend.getFlow(successor.id);
    if (live) return { remote: live, generation: successor.generation, followed: true };
  }
  return { remote, generation, followed: false };
}

/**
 * The live flow of a replacing update, from the state's picture of the recorded flow and the account's list
 * alone: no read (issue 18; docs/design.md "A metadata change on a vendor that replaces published flows").
 * Only when the list shows the recorded flow PUBLISHED (whatever the state says: a Flow created as a DRAFT
 * is published by its FlowAssets) and no newer PUBLISHED generation of its family (`newerPublished`): then
 * the recorded flow is the live one, as a read would say. The name and status are
 * the listed ones, the categories too where the list carries them (8x8's does not: the state's), the rest
 * (endpoint, JSON version, preview) as the state records it, which a replacement does not take from the
 * old flow anyway. Listed DEPRECATED (the FlowAssets replaced it since): its PUBLISHED successor in the same
 * list (`listedSuccessor`). Undefined for any other picture (not listed, DRAFT, a newer generation live
 * beside it, no published successor, or the list failing): the caller falls back to `resolveLive`, which reads.
 */
export async function listedLive(
  backend: FlowBackend,
  recorded: RemoteFlow,
  declaredName: string,
  recordedGeneration = 1,
): Promise<LiveFlow | undefined> {
  let listed: RemoteFlowSummary[];
  try {
    listed = await backend.listFlows();
  } catch {
    return undefined;
  }
  const family = listedFamily(listed, recorded.id, declaredName, recordedGeneration);
  if (family?.recorded.status === "DEPRECATED") return listedSuccessor(recorded, family);
  if (!family || family.recorded.status !== "PUBLISHED" || family.live) return undefined;
  const { recorded: entry, generation } = family;
  return {
    remote: {
      ...recorded,
      name: entry.name,
      status: "PUBLISHED",
      // A published flow has none (a state that says DRAFT may have recorded some before its publish).
      validationErrors: recorded.status === "PUBLISHED" ? recorded.validationErrors : [],
      categories: entry.categories.length > 0 ? [...entry.categories] : [...recorded.categories],
    },
    generation,
    followed: false,
  };
}

/**
 * What the account's list says of a recorded flow's family: its entry, its generation (from the listed name,
 * else the recorded one), and the family's live flow when that is another one: above a DEPRECATED recorded
 * flow, the newest live generation (`findLiveSuccessor`); beside a listed one, a newer PUBLISHED generation
 * (`newerPublished`: kept for its templates, or a replacement killed before its deprecation). Undefined when
 * the recorded flow is not listed. Read by a replacing update (`listedLive`) and by a delete without a
 * hand-over (./removal-live.ts), each with its own rule for what is conclusive.
 */
export function listedFamily(
  listed: readonly RemoteFlowSummary[],
  recordedId: string,
  declaredName: string,
  recordedGeneration: number,
): { recorded: RemoteFlowSummary; generation: number; live?: RemoteFlowSummary & { generation: number } } | undefined {
  const recorded = listed.find((f) => f.id === recordedId);
  if (!recorded) return undefined;
  const generation = generationOf(recorded.name, declaredName) ?? recordedGeneration;
  const other =
    recorded.status === "DEPRECATED"
      ? findLiveSuccessor(listed, declaredName, generation)
      : newerPublished(listed, recordedId, declaredName, generation);
  const entry = other && listed.find((f) => f.id === other.id);
  return { recorded, generation, ...(other && entry ? { live: { ...entry, generation: other.generation } } : {}) };
}

/**
 * The recorded flow is listed DEPRECATED: a replacement made by the other resource (FlowAssets replaces a flow
 * whose JSON the vendor will not edit, and the Flow's state keeps the old id until its next operation). The
 * family's newest live generation in the same list is the live flow, as `resolveLive` would find it with two
 * reads, when it is PUBLISHED; its endpoint and categories where the list has none are the state's (the
 * replacement took them from the flow it replaced), its JSON version unknown (the FlowAssets' state has it).
 * Undefined when no successor is listed, or the newest is not PUBLISHED (an interrupted replacement): read then.
 */
function listedSuccessor(recorded: RemoteFlow, family: NonNullable<ReturnType<typeof listedFamily>>): LiveFlow | undefined {
  const successor = family.live;
  if (!successor || successor.status !== "PUBLISHED") return undefined;
  return {
    remote: {
      ...recorded,
      id: successor.id,
      name: successor.name,
      status: "PUBLISHED",
      validationErrors: [],
      jsonVersion: null,
      previewUrl: null,
      previewExpiresAt: null,
      healthStatus: null,
      categories: successor.categories.length > 0 ? [...successor.categories] : [...recorded.categories],
    },
    generation: successor.generation,
    followed: true,
  };
}

/**
 * The newest PUBLISHED generation of the family above the recorded flow's (its listed name's generation,
 * or the recorded one), other than the recorded flow. A DRAFT successor is not live yet (an interrupted
 * replacement, which the next replacement resumes), so it is not followed.
 */
export function newerPublished(
  listed: readonly RemoteFlowSummary[],
  recordedId: string,
  declaredName: string,
  recordedGeneration: number,
): (RemoteFlowSummary & { generation: number }) | undefined {
  const recorded = listed.find((f) => f.id === recordedId);
  const from = (recorded && generationOf(recorded.name, declaredName)) ?? recordedGeneration;
  const published = listed.filter((f) => f.status === "PUBLISHED" && f.id !== recordedId);
  const newer = findLiveSuccessor(published, declaredName, from);
  return newer as (RemoteFlowSummary & { generation: number }) | undefined;
}

/** What both resources record of a flow beyond what an account's list carries. */
type LastRead = Partial<Pick<RemoteFlow, "validationErrors" | "jsonVersion" | "previewUrl" | "previewExpiresAt" | "healthStatus">>;

/**
 * A flow as refresh sees it from the account's list: name, status and categories as listed, the rest
 * (validation errors, JSON version, preview link, health) as last read, since a list carries none of it.
 */
export function fromListing(listed: RemoteFlowSummary, last: LastRead): RemoteFlow {
  return {
    id: listed.id,
    name: listed.name,
    status: listed.status,
    categories: listed.categories,
    validationErrors: last.validationErrors ?? [],
    jsonVersion: last.jsonVersion ?? null,
    previewUrl: last.previewUrl ?? null,
    previewExpiresAt: last.previewExpiresAt ?? null,
    healthStatus: last.healthStatus ?? null,
  };
}

/** What both resources' outputs record of the vendor's read of a flow (status, errors, version, preview, health). */
export function remoteFacts(remote: RemoteFlow) {
  return {
    status: remote.status,
    validationErrors: remote.validationErrors,
    jsonVersion: remote.jsonVersion,
    previewUrl: remote.previewUrl,
    previewExpiresAt: remote.previewExpiresAt,
    healthStatus: remote.healthStatus ?? null,
  };
}
