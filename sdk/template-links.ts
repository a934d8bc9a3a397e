/**
 * Links a template to the flows its FLOW buttons open (issue 19 item 3): `WhatsAppFlow.flowId`,
 * `FlowAssets.liveFlowId` and `Flow.flowId` are registered here with the resource's `retiringFlowIds`
 * (flows a replacement kept published for their templates), so a `MessageTemplate` whose button takes one
 * of them passes those ids to its provider (`supersededFlowIds`) and retires them once it points at the
 * live flow: in the `up` that replaced the flow, and in any later one that finishes an interrupted run.
 * By object identity, not by name; a flow id built with `apply` is not linked (the provider's
 * per-deployment record still covers the `up` that replaced the flow).
 */
import * as pulumi from "@pulumi/pulumi";

const links = new WeakMap<object, pulumi.Output<string[] | undefined>>();

/** Registers a resource's live flow id output with the flows its replacements keep for their templates. */
export function linkLiveFlowId(liveId: pulumi.Output<string> | undefined, retiring: pulumi.Output<string[] | undefined>): void {
  if (liveId) links.set(liveId, retiring);
}

const isPlainArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v) && !pulumi.Output.isInstance(v) && !(v instanceof Promise);

/**
 * The union of the `retiringFlowIds` of the flow resources whose live id a FLOW button takes, or
 * undefined when none is linked. Walks plain arrays and objects only (an Output as a whole cannot be walked).
 */
export function supersededFlowIdsOf(components: unknown): pulumi.Output<string[]> | undefined {
  const found: pulumi.Output<string[] | undefined>[] = [];
  if (!isPlainArray(components)) return undefined;
  for (const c of components) {
    if (!isPlainObject(c) || !isPlainArray(c.buttons)) continue;
    for (const b of c.buttons) {
      if (!isPlainObject(b) || !pulumi.Output.isInstance(b.flowId)) continue;
      const retiring = links.get(b.flowId as object);
      if (retiring && !found.includes(retiring)) found.push(retiring);
    }
  }
  if (found.length === 0) return undefined;
  return pulumi.all(found).apply((lists) => [...new Set(lists.flatMap((l) => l ?? []))].sort());
}

/** The union of several resources' `retiringFlowIds` (a component's flow and assets). */
export function unionOfRetiring(...lists: pulumi.Output<string[] | undefined>[]): pulumi.Output<string[]> {
  return pulumi.all(lists).apply((ls) => [...new Set(ls.flatMap((l) => l ?? []))].sort());
}
