/**
 * Which declared flow a template's FLOW button opens, known without its id (ids differ per account and
 * are unknown at the preview of a new stack): every flow resource registers the outputs that carry its
 * id, and a `flowId` given as one of those outputs names that flow. The promotion gate compares
 * templates with their flows named this way (sdk/environments.ts, provider/promotion.ts).
 */
import * as pulumi from "@pulumi/pulumi";

/** An output carrying a flow id → the declared flow name. */
const byOutput = new WeakMap<object, pulumi.Input<string>>();
/** Every flow of the program: its declared name and the outputs carrying its ids (the fallback: a match by value). */
const flows: { name: pulumi.Input<string>; ids: pulumi.Output<string | null | undefined>[] }[] = [];

/** Called by Flow, FlowAssets and WhatsAppFlow for the outputs that carry their flow's id. */
export function registerFlowIds(name: pulumi.Input<string>, ...ids: pulumi.Output<string | null | undefined>[]): void {
  const outputs = ids.filter((id) => id !== null && typeof id === "object");
  for (const id of outputs) byOutput.set(id, name);
  flows.push({ name, ids: outputs });
}

/** The declared flow name behind this `flowId` input, when it is a registered output itself. */
export function flowRefOf(flowId: unknown): pulumi.Input<string> | undefined {
  return flowId !== null && typeof flowId === "object" ? byOutput.get(flowId) : undefined;
}

/** The declared name of the program's flow whose id is this value (null: none of the program's flows). */
export function flowRefByValue(flowId: pulumi.Input<unknown>): pulumi.Output<string | null> {
  const known = pulumi.all(flows.map((f) => pulumi.all([f.name, ...f.ids])));
  return pulumi.all([flowId, known]).apply(([id, list]) => {
    if (id === undefined || id === null) return null;
    const hit = list.find(([, ...ids]) => ids.some((x) => x !== undefined && x !== null && String(x) === String(id)));
    return hit ? (hit[0] as string) : null;
  });
}

const FLOW_PLACEHOLDER = "(flow)";
const isPlain = (x: unknown): x is Record<string, unknown> =>
  !!x && typeof x === "object" && !Array.isArray(x) && !pulumi.Output.isInstance(x) && !(x instanceof Promise);

/** The flow ids of resolved camelCase components, a buttons list or one button, in order. */
function flowIdsIn(level: "components" | "component" | "buttons" | "button", v: unknown): unknown[] {
  const button = (b: unknown) => (isPlain(b) && b.flowId !== undefined && b.flowId !== null ? [b.flowId] : []);
  const buttons = (bs: unknown) => (Array.isArray(bs) ? bs.flatMap(button) : []);
  const component = (c: unknown) => (isPlain(c) ? buttons(c.buttons) : []);
  if (level === "button") return button(v);
  if (level === "buttons") return buttons(v);
  if (level === "component") return component(v);
  return Array.isArray(v) ? v.flatMap(component) : [];
}

/**
 * The template's components as the gate compares them, and the declared names of the flows its FLOW
 * buttons open (by position: the buttons that carry a `flowId`). Where a `flowId` is a registered flow
 * output, it is replaced by a placeholder before anything resolves, so the comparison is known at the
 * preview even when the flow does not exist yet; anything else is matched by value once known.
 */
export function bindFlows(components: unknown): { gated: unknown; refs: pulumi.Output<(string | null)[]> } {
  const refs: pulumi.Input<(string | null)[]>[] = [];
  const byValue = (level: Parameters<typeof flowIdsIn>[0], x: unknown) =>
    refs.push(
      (pulumi.output(x as pulumi.Input<string>) as pulumi.Output<unknown>).apply((v) =>
        pulumi.all(flowIdsIn(level, v).map((id) => flowRefByValue(id))),
      ),
    );
  if (!Array.isArray(components)) {
    byValue("components", components);
    return { gated: components, refs: pulumi.all(refs).apply((rs) => rs.flat()) };
  }
  const gated = components.map((c) => {
    if (!isPlain(c)) {
      byValue("component", c);
      return c;
    }
    if (c.buttons === undefined || c.buttons === null) return c;
    if (!Array.isArray(c.buttons)) {
      byValue("buttons", c.buttons);
      return c;
    }
    return {
      ...c,
      buttons: c.buttons.map((b: unknown) => {
        if (!isPlain(b)) {
          byValue("button", b);
          return b;
        }
        if (b.flowId === undefined || b.flowId === null) return b;
        const ref = flowRefOf(b.flowId);
        if (ref === undefined) {
          byValue("button", b);
          return b;
        }
        refs.push(pulumi.output(ref).apply((n) => [n]));
        return { ...b, flowId: FLOW_PLACEHOLDER };
      }),
    };
  });
  return { gated, refs: pulumi.all(refs).apply((rs) => rs.flat()) };
}
