/**
 * Which flow is live for a declared flow. Usually the recorded one; after a replacement made by the
 * other resource (FlowAssets replaces a flow whose JSON a vendor will not edit; Flow replaces it for
 * metadata) the recorded flow is DEPRECATED and its successor carries the declared name with a
 * generation suffix (`<name> (v2)`): follow it, so both resources keep managing the flow that is live.
 */
import type { FlowBackend, RemoteFlow, RemoteFlowSummary } from "../backends/types";
import { findLiveSuccessor, generationOf } from "../lifecycle/plan";

export interface LiveFlow {
  /** undefined when the recorded flow no longer exists and has no successor. */
  remote?: RemoteFlow;
  generation: number;
  /** True when the live flow is a successor found by name, not the recorded one. */
  followed: boolean;
}

export async function resolveLive(
  backend: FlowBackend,
  recordedId: string,
  declaredName: string,
  recordedGeneration = 1,
): Promise<LiveFlow> {
  const remote = await backend.getFlow(recordedId);
  const generation = (remote && generationOf(remote.name, declaredName)) ?? recordedGeneration;
  if (remote && remote.status !== "DEPRECATED") return { remote, generation, followed: false };
  // Retired (or gone): a replacement made by the other resource, or an interrupted one, may be live.
  const successor = findLiveSuccessor(await backend.listFlows(), declaredName, generation);
  if (successor && successor.id !== recordedId) {
    const live = await backend.getFlow(successor.id);
    if (live) return { remote: live, generation: successor.generation, followed: true };
  }
  return { remote, generation, followed: false };
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
