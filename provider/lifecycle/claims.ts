/**
 * Which flows the resources of this deployment manage. One provider process serves every dynamic
 * resource of one deployment (docs/pulumi.md), so a process-wide record is enough to
 * guarantee that two resources never manage one flow: a name declared twice fails its second create,
 * and no resource adopts (or resumes as its replacement) a flow another resource created or adopted.
 *
 * Its limits: it knows nothing of other deployments (two stacks creating the same name at the same
 * moment): there the vendor's unique-name rule and the adoption rules decide (docs/design.md).
 */
import type { RemoteFlow } from "../backends/types";

export interface Claims {
  /** `<account>\0<declared name>` of every flow created or adopted in this deployment. */
  names: Set<string>;
  /** flow id (per account) → owner key (`<account>\0<declared name>`). */
  ids: Map<string, string>;
  /**
   * Flows the Flow resource created in this deployment (not cloned), as they are right after the create
   * (per account): they hold no Flow JSON until their FlowAssets uploads it, or the JSON the create carried.
   */
  fresh: Map<string, FreshFlow>;
  /**
   * Flows whose FlowAssets was deleted in this deployment (per account, by the Flow's recorded id): the
   * flow live for them and its status as their state records it, so the Flow's delete, which the engine
   * runs right after, retires that flow without reading it first.
   */
  removed: Map<string, { liveFlowId: string; status: string }>;
  /**
   * Successors the Flow resource published in this deployment in place of a live flow whose metadata the
   * vendor will not edit (per account, by the successor's id): a copy of that flow's content (a clone, or
   * its downloaded JSON) or the declared JSON its create carried, as the replacement's own answers describe it.
   */
  successors: Map<string, Successor>;
}

/** A flow the Flow resource's replacement left live: what it replaced, and what it is. */
export interface Successor {
  replaced: string;
  remote: RemoteFlow;
  generation: number;
  /** The JSON its create carried (the declared JSON); absent when it copies the replaced flow's content. */
  flowJsonSha256?: string;
}

/** A flow as this deployment's create left it; `flowJsonSha256` when the create carried Flow JSON (validated by the vendor in that call). */
export type FreshFlow = RemoteFlow & { flowJsonSha256?: string };

export const ownerKey = (account: string, name: string): string => `${account}\u0000${name}`;
const idKey = (account: string, flowId: string) => `${account}\u0000${flowId}`;

const empty = (): Claims => ({ names: new Set(), ids: new Map(), fresh: new Map(), removed: new Map(), successors: new Map() });
let current: Claims = empty();

export function processClaims(): Claims {
  return current;
}

const resets: Array<() => void> = [];

/** Other process-wide records (caches of this deployment) register here, so a reset forgets them too. */
export function onProcessReset(reset: () => void): void {
  resets.push(reset);
}

/** Tests start each case with a fresh deployment (a new provider process): claims and every cache go. */
export function resetClaims(): void {
  current = empty();
  for (const reset of resets) reset();
}

export function claimFor(claims: Claims | undefined, account: string, flowId: string, owner: string): void {
  claims?.ids.set(idKey(account, flowId), owner);
}

/** The declared name of the other resource managing this flow, or undefined when none (or it is `owner`). */
export function claimedByOther(claims: Claims | undefined, account: string, flowId: string, owner: string): string | undefined {
  const holder = claims?.ids.get(idKey(account, flowId));
  if (holder === undefined || holder === owner) return undefined;
  return `the resource declaring flow "${holder.split("\u0000")[1]}"`;
}

/** Remembers a flow this deployment just created (not cloned), as it is now (a DRAFT without JSON, or what the create carried). */
export function rememberFresh(claims: Claims | undefined, account: string, remote: FreshFlow): void {
  claims?.fresh.set(idKey(account, remote.id), { ...remote });
}

/**
 * The flow as this deployment created it, once: the FlowAssets resource of a flow created moments ago
 * plans from it instead of reading the flow again (nothing else of ours wrote to it in between).
 */
export function takeFresh(claims: Claims | undefined, account: string, flowId: string): FreshFlow | undefined {
  const key = idKey(account, flowId);
  const remote = claims?.fresh.get(key);
  claims?.fresh.delete(key);
  return remote;
}

/** FlowAssets' delete: what its state says is live, for the Flow's delete that follows. */
export function rememberRemoved(
  claims: Claims | undefined,
  account: string,
  flowId: string,
  live: { liveFlowId: string; status: string },
): void {
  claims?.removed.set(idKey(account, flowId), live);
}

/** The Flow's delete: what its FlowAssets (deleted just before, in this deployment) recorded as live, once. */
export function takeRemoved(
  claims: Claims | undefined,
  account: string,
  flowId: string,
): { liveFlowId: string; status: string } | undefined {
  const key = idKey(account, flowId);
  const live = claims?.removed.get(key);
  claims?.removed.delete(key);
  return live;
}

/** The Flow's metadata replacement: its successor holds what the replaced flow held (see Claims.successors). */
export function rememberSuccessor(claims: Claims | undefined, account: string, successor: Successor): void {
  claims?.successors.set(idKey(account, successor.remote.id), { ...successor, remote: { ...successor.remote } });
}

/**
 * The successor the Flow resource made of `replaced` in this deployment, when `flowId` is it (FlowAssets'
 * diff peeks, its update takes it): the FlowAssets follows it without a read or a download.
 */
export function successorOf(
  claims: Claims | undefined,
  account: string,
  flowId: string,
  replaced: string,
  take = false,
): Successor | undefined {
  const key = idKey(account, flowId);
  const found = claims?.successors.get(key);
  if (!found || found.replaced !== replaced) return undefined;
  if (take) claims?.successors.delete(key);
  return found;
}
