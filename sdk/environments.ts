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
 *
 * Templates promote with their flows: `export const templates = templateOutputs([invite])` in every
 * stack, and `new MessageTemplate("invite", { …, promotion: gate })` in prod requires the content dev's
 * review APPROVED, with each FLOW button's flow compared by its declared name, never by its id.
 */
import * as pulumi from "@pulumi/pulumi";
import { flowJsonSha256 } from "../provider/hash";
import type { FlowStatus } from "../provider/model";
import {
  promotionProblem,
  templateKey,
  templatePromotionProblem,
  type PromotionRequirement,
  type TemplatePromotionRequirement,
} from "../provider/promotion";
import type { TemplateStatus } from "../provider/templates/model";
import type { WhatsAppFlow } from "./whatsapp-flow";
import type { MessageTemplate } from "./message-template";

export { promotionProblem, templatePromotionProblem, type PromotionRequirement, type TemplatePromotionRequirement };

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

/** Per template, what application code and other stacks read (keyed by `<name>/<language>`). */
export interface TemplateOutput {
  /** The declared name (the stable key across environments with the language: ids differ per account). */
  name: string;
  language: string;
  /** The vendor's template id in this stack's account. */
  templateId: string;
  /** The template's name in the account (`<name>_v<N>` after a replacement). */
  liveName: string;
  status: TemplateStatus;
  /** The declared names of the flows its FLOW buttons open (null: a flow that is not one of the program's). */
  flows: (string | null)[];
  /** SHA-256 of the canonical template deployed, flows named instead of their ids (what the promotion gate compares). */
  contentSha256: string;
}

/** The `templates` stack output: `{ ["<name>/<language>"]: TemplateOutput }`. */
export function templateOutputs(templates: MessageTemplate[]): pulumi.Output<Record<string, TemplateOutput>> {
  return pulumi
    .all(
      templates.map((t) =>
        pulumi
          .all([t.name, t.language, t.templateId, t.liveName, t.status, t.flowRefs, t.contentSha256])
          .apply(([name, language, templateId, liveName, status, flows, contentSha256]) => ({
            name,
            language,
            templateId,
            liveName,
            status,
            flows,
            contentSha256,
          })),
      ),
    )
    .apply((list) => Object.fromEntries(list.map((o) => [templateKey(o.name, o.language), o])));
}

/**
 * Requires each flow given to it to carry exactly the Flow JSON another stack (read through a
 * StackReference, from its `flows` output) has published. The check runs in `pulumi preview`
 * (FlowAssets' check) and costs no vendor call. Opt out per program with `enabled: false` (e.g. from
 * stack config), or per flow by not passing the gate.
 *
 * The same for each MessageTemplate given to it: its content (name, language, category, components,
 * with each FLOW button's flow named by its declared name) must be what the other stack's review
 * APPROVED, read from its `templates` output (`templateOutputs`). Checked by MessageTemplate's check.
 */
export class PromotionGate {
  readonly enabled: boolean;
  private readonly flows: pulumi.Output<Record<string, FlowOutput> | undefined>;
  private readonly templates: pulumi.Output<Record<string, TemplateOutput> | undefined>;
  private readonly tracked: { name: pulumi.Input<string>; flowJson: pulumi.Input<string> }[] = [];
  private readonly trackedTemplates: { name: pulumi.Input<string>; language: pulumi.Input<string>; sha: pulumi.Input<string> }[] = [];
  private scheduled = false;

  constructor(
    readonly source: pulumi.StackReference,
    opts: { outputName?: string; templatesOutputName?: string; enabled?: boolean } = {},
  ) {
    this.enabled = opts.enabled ?? true;
    this.flows = source.getOutput(opts.outputName ?? "flows") as pulumi.Output<Record<string, FlowOutput> | undefined>;
    this.templates = source.getOutput(opts.templatesOutputName ?? "templates") as pulumi.Output<Record<string, TemplateOutput> | undefined>;
  }

  /**
   * Checks every flow given to the gate at once, once the program has declared them, and fails the
   * program naming each flow that differs (Pulumi stops at the first failing resource, so this is what
   * lists them all). The same rule also runs per flow in FlowAssets' check.
   */
  track(name: pulumi.Input<string>, flowJson: pulumi.Input<string>): void {
    if (!this.enabled) return;
    this.tracked.push({ name, flowJson });
    this.schedule();
  }

  /** As `track`, for a MessageTemplate: `contentSha256` is its content with flows named (MessageTemplate computes it). */
  trackTemplate(name: pulumi.Input<string>, language: pulumi.Input<string>, contentSha256: pulumi.Input<string>): void {
    if (!this.enabled) return;
    this.trackedTemplates.push({ name, language, sha: contentSha256 });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Once the program has declared everything: one check per kind, one message naming every flow (template) that differs.
    queueMicrotask(() => {
      const flowEntries = pulumi.all(this.tracked.map((t) => pulumi.all([t.name, t.flowJson])));
      const flowCheck = pulumi.all([this.source.name, this.flows, flowEntries]).apply(([stack, flows, entries]) =>
        entries.flatMap(([name, json]) => {
          const problem = promotionProblem(name, flowJsonSha256(json), requirementOf(stack, flows, name));
          return problem ? [problem] : [];
        }),
      );
      const templateEntries = pulumi.all(this.trackedTemplates.map((t) => pulumi.all([t.name, t.language, t.sha])));
      const templateCheck = pulumi.all([this.source.name, this.templates, templateEntries]).apply(([stack, templates, entries]) =>
        entries.flatMap(([name, language, sha]) => {
          const problem = templatePromotionProblem(name, language, sha, templateRequirementOf(stack, templates, name, language));
          return problem ? [problem] : [];
        }),
      );
      // Apart: a template whose content is known only during `up` does not hold back the flows' check.
      const fail = (stack: string, problems: string[], what: string) => {
        if (problems.length > 0)
          throw new Error(`promotion gate: ${problems.length} ${what}(s) differ from stack ${stack}:\n  ${problems.join("\n  ")}`);
      };
      if (this.tracked.length > 0) pulumi.all([this.source.name, flowCheck]).apply(([stack, p]) => fail(stack, p, "flow"));
      if (this.trackedTemplates.length > 0) pulumi.all([this.source.name, templateCheck]).apply(([stack, p]) => fail(stack, p, "template"));
    });
  }

  /** The requirement for the flow declared under `name` (undefined when the gate is disabled). */
  requirementFor(name: pulumi.Input<string>): pulumi.Output<PromotionRequirement> | undefined {
    if (!this.enabled) return undefined;
    return pulumi.all([this.source.name, this.flows, name]).apply(([stack, flows, flowName]) => requirementOf(stack, flows, flowName));
  }

  /** The requirement for the template declared as `name` in `language` (undefined when the gate is disabled). */
  templateRequirementFor(
    name: pulumi.Input<string>,
    language: pulumi.Input<string>,
  ): pulumi.Output<TemplatePromotionRequirement> | undefined {
    if (!this.enabled) return undefined;
    return pulumi
      .all([this.source.name, this.templates, name, language])
      .apply(([stack, templates, n, l]) => templateRequirementOf(stack, templates, n, l));
  }
}

function templateRequirementOf(
  stack: string,
  templates: Record<string, TemplateOutput> | undefined,
  name: string,
  language: string,
): TemplatePromotionRequirement {
  const key = templateKey(name, language);
  const hit = templates && Object.prototype.hasOwnProperty.call(templates, key) ? templates[key] : undefined;
  return { stack, contentSha256: hit && hit.status === "APPROVED" ? hit.contentSha256 : null, status: hit ? hit.status : null };
}

function requirementOf(stack: string, flows: Record<string, FlowOutput> | undefined, name: string): PromotionRequirement {
  const hit = flows && Object.prototype.hasOwnProperty.call(flows, name) ? flows[name] : undefined;
  return { stack, flowJsonSha256: hit && hit.status === "PUBLISHED" ? hit.flowJsonSha256 : null, status: hit ? hit.status : null };
}
