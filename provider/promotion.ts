/**
 * The promotion rule: a stack may require exactly the Flow JSON another stack has published. The SDK's
 * `PromotionGate` (sdk/environments.ts) reads the other stack and checks the whole program; FlowAssets'
 * `check` applies the same rule per flow, so it lives here, on the provider's side (the provider never
 * loads the SDK, nor `@pulumi/pulumi` through it).
 */

/** What one flow must match, as FlowAssets receives it (plain JSON). */
export interface PromotionRequirement {
  /** The stack the JSON must come from, for messages. */
  stack: string;
  /** The JSON hash that stack has published; null when it has no such flow or has not published it. */
  flowJsonSha256: string | null;
  /** That stack's status of the flow (null: no such flow). */
  status: string | null;
}

/** Why a flow fails the gate (undefined: it passes). Shared by the program-wide check and FlowAssets' check. */
export function promotionProblem(name: string, here: string, req: PromotionRequirement): string | undefined {
  if (req.status === null) {
    return `Flow "${name}": promotion gate: stack ${req.stack} has no flow named "${name}"; deploy and publish it there first (this JSON: ${here})`;
  }
  if (req.flowJsonSha256 === null) {
    return `Flow "${name}": promotion gate: stack ${req.stack} has not published "${name}" (its status there: ${req.status}); publish it there first (this JSON: ${here})`;
  }
  if (req.flowJsonSha256 !== here) {
    return (
      `Flow "${name}": promotion gate: this Flow JSON differs from what stack ${req.stack} has published ` +
      `(${req.stack}: ${req.flowJsonSha256}, here: ${here}); deploy it to ${req.stack} first, or opt out for this flow`
    );
  }
  return undefined;
}
