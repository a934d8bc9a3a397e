/**
 * One program, many environments: the documented shape of a stack's flow outputs, and the promotion
 * gate that lets a prod stack require exactly the Flow JSON a dev stack has published.
 *
 *   // every stack
 *   export const flows = flowOutputs([signup, contact]);
 *
 *   // prod: fail `pulumi preview` unless dev has published this very JSON (no vendor call)
 *   const gate = new PromotionGate(new pulumi.StackReference("acme/flows/dev"));
 *   new WhatsAppFlow("signup", { waba, categories: ["SIGN_UP"], file: "flows/signup.json", promotion: gate });
 */
import * as pulumi from "@pulumi/pulumi";
import { flowJsonSha256 } from "../provider/hash";
import type { FlowStatus } from "../provider/model";
import { promotionProblem, type PromotionRequirement } from "../provider/promotion";
import type { WhatsAppFlow } from "./whatsapp-flow";

export { promotionProblem, type PromotionRequirement };

/** Per flow, what application code and other stacks read (keyed by the declared flow name). */
export interface FlowOutput {
  /** The declared name (the stable key across environments: ids differ per account). */
  name: string;
  /** The live flow's id in this stack's account. */
  flowId: string;
  /** The live flow's name (`<name> (v<N>)` after a replacement). */
  liveName: string;
  status: FlowStatus;
  /** SHA-256 of the canonical Flow JSON deployed (what the promotion gate compares). */
  flowJsonSha256: string;
}

/** The `flows` stack output: `{ [declared name]: FlowOutput }`. */
export function flowOutputs(flows: WhatsAppFlow[]): pulumi.Output<Record<string, FlowOutput>> {
  return pulumi
    .all(
      flows.map((f) =>
        pulumi
          .all([f.flow.name, f.flowId, f.liveName, f.status, f.assets.flowJsonSha256])
          .apply(([name, flowId, liveName, status, sha]) => ({
            name,
            flowId,
            liveName,
            status,
            flowJsonSha256: sha,
          })),
      ),
    )
    .apply((list) => Object.fromEntries(list.map((o) => [o.name, o])));
}

/**
 * Requires each flow given to it to carry exactly the Flow JSON another stack (read through a
 * StackReference, from its `flows` output) has published. The check runs in `pulumi preview`
 * (FlowAssets' check) and costs no vendor call. Opt out per program with `enabled: false` (e.g. from
 * stack config), or per flow by not passing the gate.
 */
export class PromotionGate {
  readonly enabled: boolean;
  private readonly flows: pulumi.Output<Record<string, FlowOutput> | undefined>;
  private readonly tracked: { name: pulumi.Input<string>; flowJson: pulumi.Input<string> }[] = [];
  private scheduled = false;

  constructor(
    readonly source: pulumi.StackReference,
    opts: { outputName?: string; enabled?: boolean } = {},
  ) {
    this.enabled = opts.enabled ?? true;
    this.flows = source.getOutput(opts.outputName ?? "flows") as pulumi.Output<Record<string, FlowOutput> | undefined>;
  }

  /**
   * Checks every flow given to the gate at once, once the program has declared them, and fails the
   * program naming each flow that differs (Pulumi stops at the first failing resource, so this is what
   * lists them all). The same rule also runs per flow in FlowAssets' check.
   */
  track(name: pulumi.Input<string>, flowJson: pulumi.Input<string>): void {
    if (!this.enabled) return;
    this.tracked.push({ name, flowJson });
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      pulumi
        .all([this.source.name, this.flows, pulumi.all(this.tracked.map((t) => pulumi.all([t.name, t.flowJson])))])
        .apply(([stack, flows, entries]) => {
          const problems = entries.flatMap(([name, json]) => {
            const problem = promotionProblem(name, flowJsonSha256(json), requirementOf(stack, flows, name));
            return problem ? [problem] : [];
          });
          if (problems.length > 0)
            throw new Error(`promotion gate: ${problems.length} flow(s) differ from stack ${stack}:\n  ${problems.join("\n  ")}`);
        });
    });
  }

  /** The requirement for the flow declared under `name` (undefined when the gate is disabled). */
  requirementFor(name: pulumi.Input<string>): pulumi.Output<PromotionRequirement> | undefined {
    if (!this.enabled) return undefined;
    return pulumi.all([this.source.name, this.flows, name]).apply(([stack, flows, flowName]) => requirementOf(stack, flows, flowName));
  }
}

function requirementOf(stack: string, flows: Record<string, FlowOutput> | undefined, name: string): PromotionRequirement {
  const hit = flows && Object.prototype.hasOwnProperty.call(flows, name) ? flows[name] : undefined;
  return { stack, flowJsonSha256: hit && hit.status === "PUBLISHED" ? hit.flowJsonSha256 : null, status: hit ? hit.status : null };
}
