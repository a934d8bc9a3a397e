/**
 * The promotion rule: a stack may require exactly the Flow JSON another stack has published. The SDK's
 * `PromotionGate` (sdk/environments.ts) reads the other stack and checks the whole program; FlowAssets'
 * `check` applies the same rule per flow, so it lives here, on the provider's side (the provider never
 * loads the SDK, nor `@pulumi/pulumi` through it). MessageTemplate's rule is the same, on the template's
 * content with its flows named instead of their ids.
 */
import { createHash } from "node:crypto";
import { canonical, type MetaComponent } from "./templates/model";

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

// ------------------------------------------------------------------------------------------------
// Message templates (issue 19 item 5): the gate compares the template's content, never its ids.

/** What one template must match, as MessageTemplate receives it (plain JSON). */
export interface TemplatePromotionRequirement {
  /** The stack the content must come from, for messages. */
  stack: string;
  /** The content hash of that stack's APPROVED template; null when it has no such template or its review has not approved it. */
  contentSha256: string | null;
  /** That stack's status of the template (null: no such template). */
  status: string | null;
  /**
   * This program's references to the flows the FLOW buttons open (their declared flow names), in the
   * order of the buttons that carry a `flowId`; null where the flow is not one of this program's.
   */
  flowRefs?: (string | null)[];
}

/** The content the gate compares: the declared template, Meta-shaped (snake_case components). */
export interface TemplateContent {
  name: string;
  language: string;
  category: string;
  components: MetaComponent[];
}

/** The buttons that point at a flow (`flow_id` set), in order: the positions `flowRefs` follows. */
export function flowButtons(components: MetaComponent[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const c of components) {
    if (!c || typeof c !== "object" || !Array.isArray(c.buttons)) continue;
    for (const b of c.buttons as unknown[]) {
      if (
        b &&
        typeof b === "object" &&
        (b as Record<string, unknown>).flow_id !== undefined &&
        (b as Record<string, unknown>).flow_id !== null
      )
        out.push(b as Record<string, unknown>);
    }
  }
  return out;
}

/**
 * SHA-256 of the canonical template (name, language, category, components), each FLOW button's
 * `flow_id` replaced by `flow:<declared flow name>` (`flowRefs`, by position): flow ids differ per
 * account, so two environments with the same template and the same flows hash alike, while a changed
 * body, button, category or navigateScreen changes the hash. A button whose flow is not known by name
 * keeps `id:<flow id>`.
 */
export function templateContentSha256(t: TemplateContent, flowRefs: readonly (string | null | undefined)[] = []): string {
  const components = structuredClone(t.components);
  flowButtons(components).forEach((b, i) => {
    const ref = flowRefs[i];
    b.flow_id = typeof ref === "string" ? `flow:${ref}` : `id:${String(b.flow_id)}`;
  });
  const doc = canonical({ name: t.name, language: t.language, category: String(t.category).toUpperCase(), components });
  return createHash("sha256").update(JSON.stringify(doc), "utf8").digest("hex");
}

/** The key of a template in the `templates` stack output: `<name>/<language>` (one template per name and language). */
export const templateKey = (name: string, language: string): string => `${name}/${language}`;

/** Why a template fails the gate (undefined: it passes). Shared by the program-wide check and MessageTemplate's check. */
export function templatePromotionProblem(
  name: string,
  language: string,
  here: string,
  req: Pick<TemplatePromotionRequirement, "stack" | "contentSha256" | "status">,
): string | undefined {
  const what = `MessageTemplate "${name}" (${language})`;
  if (req.status === null) {
    return `${what}: promotion gate: stack ${req.stack} has no template "${name}" (${language}); deploy it there and let its review approve it first (this content: ${here})`;
  }
  if (req.contentSha256 === null) {
    return `${what}: promotion gate: stack ${req.stack} has no APPROVED "${name}" (${language}) (its status there: ${req.status}); let its review approve it there first (this content: ${here})`;
  }
  if (req.contentSha256 !== here) {
    return (
      `${what}: promotion gate: this template's content differs from what stack ${req.stack} has approved ` +
      `(${req.stack}: ${req.contentSha256}, here: ${here}); deploy it to ${req.stack} first, or opt out for this template`
    );
  }
  return undefined;
}
