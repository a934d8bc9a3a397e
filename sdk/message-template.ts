import * as pulumi from "@pulumi/pulumi";
import { parseAccountRef, vendorOf } from "../provider/vendors/registry";
import { templateContentSha256 } from "../provider/promotion";
import { toMetaComponents, type TemplateCategory, type TemplateComponentInput, type TemplateStatus } from "../provider/templates/model";
import { bindFlows } from "./flow-refs";
import { providerShim } from "./provider-shim";
import type { PromotionGate } from "./environments";
import { supersededFlowIdsOf } from "./template-links";
import { quietPromiseStacks } from "./registration";

export type { TemplateCategory, TemplateStatus } from "../provider/templates/model";

/** A button, in Meta's template JSON with camelCase keys. FLOW buttons: `flowId` (e.g. `myFlow.flowId`), `flowAction`, `navigateScreen`. */
export interface TemplateButtonArgs {
  type: pulumi.Input<string>;
  text?: pulumi.Input<string>;
  flowId?: pulumi.Input<string>;
  flowAction?: pulumi.Input<"navigate" | "data_exchange">;
  navigateScreen?: pulumi.Input<string>;
  url?: pulumi.Input<string>;
  phoneNumber?: pulumi.Input<string>;
  example?: pulumi.Input<pulumi.Input<string>[]>;
  [key: string]: unknown;
}

/** A component (HEADER, BODY, FOOTER, BUTTONS), in Meta's template JSON with camelCase keys (`example.bodyText`). */
export interface TemplateComponentArgs {
  type: pulumi.Input<string>;
  format?: pulumi.Input<string>;
  text?: pulumi.Input<string>;
  example?: pulumi.Input<{ bodyText?: pulumi.Input<pulumi.Input<string>[]>[]; headerText?: pulumi.Input<pulumi.Input<string>[]> }>;
  buttons?: pulumi.Input<pulumi.Input<TemplateButtonArgs>[]>;
  [key: string]: unknown;
}

export interface MessageTemplateArgs {
  /** The account, as for `Flow` (`meta:<WABA id>`, `aws:waba-…`, `360dialog:<partner>/<account>`, `8x8:<account>/<channel>`). */
  waba: pulumi.Input<string>;
  /** Lowercase letters, digits and underscores (Meta's rule); default: the resource name. Changing it replaces the template. */
  name?: pulumi.Input<string>;
  /** Meta's language code, e.g. `en_US`. Changing it replaces the template. */
  language: pulumi.Input<string>;
  category: pulumi.Input<TemplateCategory>;
  /**
   * Meta's template components in camelCase: `{type: "BODY", text, example: {bodyText: [[…]]}}`,
   * `{type: "BUTTONS", buttons: [{type: "FLOW", text, flowId: myFlow.flowId, navigateScreen, flowAction}]}`.
   */
  components: pulumi.Input<pulumi.Input<TemplateComponentArgs>[]>;
  /** Wait in `up` for the review's verdict (progress shown; a rejection fails `up` with the reason). Default false: `up` reports PENDING and goes on. */
  waitForApproval?: pulumi.Input<boolean>;
  /** Bound of that wait, in seconds (default 600). */
  approvalTimeoutSeconds?: pulumi.Input<number>;
  /**
   * The Flow JSON of the flow the FLOW button opens (e.g. `myWhatsAppFlow.assets.flowJsonText`), so
   * `preview` checks that `navigateScreen` is one of its screens. Only read by the checks.
   */
  flowJson?: pulumi.Input<string>;
  /**
   * Require exactly the content another stack's review APPROVED (see PromotionGate): name, language,
   * category and components, each FLOW button's flow compared by its declared name (pass the flow's own
   * output as `flowId`, e.g. `signup.flowId`), never by its id. Checked at preview, no vendor call.
   */
  promotion?: PromotionGate;
  /**
   * Take over the existing template with this id on the first `up` instead of creating one (what
   * `whatsapp-flows import` writes): one read, no write, when its name, language and content are the
   * declared ones; refused otherwise, before any write. Read at creation only.
   */
  adoptTemplateId?: pulumi.Input<string>;
}

/**
 * A WhatsApp message template, bound to its flow through a FLOW button. Created PENDING and reviewed by
 * Meta; edited in place where the vendor allows it (Meta's budget: 1 edit per 24 hours, 10 per 30 days of
 * an APPROVED template, refused at preview when spent), otherwise replaced by `<name>_v2` (created first,
 * the old one deleted after). Removal deletes the template by its id.
 */
export class MessageTemplate extends pulumi.dynamic.Resource {
  declare readonly waba: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly language: pulumi.Output<string>;
  declare readonly category: pulumi.Output<TemplateCategory>;
  /** The vendor's template id (Meta's id; on 8x8, whose API shows none, `<name>/<language>`). */
  declare readonly templateId: pulumi.Output<string>;
  /** The template's name in the account: the declared name, or `<name>_v<N>` after a replacement. */
  declare readonly liveName: pulumi.Output<string>;
  /** PENDING, APPROVED, REJECTED, PAUSED or DISABLED, as last read. */
  declare readonly status: pulumi.Output<TemplateStatus>;
  declare readonly rejectedReason: pulumi.Output<string | null>;
  declare readonly qualityScore: pulumi.Output<string | null>;
  /** The flows its FLOW buttons point at. */
  declare readonly flowIds: pulumi.Output<string[]>;
  declare readonly vendor: pulumi.Output<string>;
  declare readonly components: pulumi.Output<TemplateComponentInput[]>;
  /** The declared names of the flows its FLOW buttons open, in order (null: not one of this program's flows). Not an output of the resource. */
  readonly flowRefs: pulumi.Output<(string | null)[]>;
  /**
   * SHA-256 of the template as deployed (name, language, category, components), each FLOW button's flow
   * named by its declared name instead of its id: what the promotion gate compares between stacks.
   */
  readonly contentSha256: pulumi.Output<string>;

  constructor(name: string, args: MessageTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    const templateName = args.name ?? name;
    guardNames(name, args.waba, templateName, args.language);
    const { promotion: gate, ...rest } = args;
    // Which declared flow each FLOW button opens, known before any id is (see ./flow-refs.ts).
    const bound = bindFlows(args.components);
    const requirement = gate?.templateRequirementFor(templateName, args.language);
    // Pulumi's per-promise debug stacks off while it registers (./registration.ts).
    const quiet = quietPromiseStacks();
    try {
      super(
        providerShim("MessageTemplate"),
        name,
        {
          ...rest,
          // What this template must equal, and its flows by name: checked by the provider's check, not kept in state.
          ...(requirement ? { promotion: pulumi.all([requirement, bound.refs]).apply(([r, flowRefs]) => ({ ...r, flowRefs })) } : {}),
          name: templateName,
          // Flows its flows' replacements kept published for it: retired once it points at the live flow.
          supersededFlowIds: supersededFlowIdsOf(args.components),
          templateId: undefined,
          liveName: undefined,
          status: undefined,
          rejectedReason: undefined,
          qualityScore: undefined,
          flowIds: undefined,
          vendor: undefined,
          generation: undefined,
          approvedEdits: undefined,
          schemaVersion: undefined,
        },
        opts,
        "whatsapp",
        "MessageTemplate",
      );
    } catch (e) {
      throw quiet.failed(e);
    } finally {
      quiet.restore();
    }
    this.flowRefs = bound.refs;
    // From the resource's outputs: what this stack has deployed (drift read by a refresh included).
    this.contentSha256 = pulumi
      .all([this.name, this.language, this.category, this.components, bound.refs])
      .apply(([n, language, category, components, refs]) =>
        templateContentSha256({ name: n, language, category, components: toMetaComponents(components ?? []) }, refs),
      );
    // The program-wide check, on the declared content (known at preview even when the flows are new).
    gate?.trackTemplate(
      templateName,
      args.language,
      pulumi
        .all([templateName, args.language, args.category, bound.gated as pulumi.Input<TemplateComponentInput[]>, bound.refs])
        .apply(([n, language, category, components, refs]) =>
          templateContentSha256({ name: n, language, category, components: toMetaComponents(components) }, refs),
        ),
    );
  }
}

/** (account, name) → the languages declared, and by which resource, in this program. */
const declared = new Map<string, Map<string, string>>();

/**
 * One template (name, language) per resource; and where the vendor deletes by name only (every language
 * at once: 360dialog, 8x8), one resource per name, so removing one cannot delete another's template.
 * Checked when the program runs (at preview), before any vendor call.
 */
function guardNames(resourceName: string, waba: pulumi.Input<string>, name: pulumi.Input<string>, language: pulumi.Input<string>): void {
  const check = (w: string, n: string, l: string) => {
    const parsed = parseAccountRef(w);
    const account = "account" in parsed ? parsed.account : undefined;
    const key = `${account?.canonical ?? w}\u0000${n}`;
    const languages = declared.get(key) ?? new Map<string, string>();
    declared.set(key, languages);
    for (const [otherLanguage, other] of languages) {
      if (other === resourceName) continue;
      if (otherLanguage === l)
        throw new Error(`MessageTemplate "${n}" (${l}) is declared twice for account ${w}: by resources "${other}" and "${resourceName}".`);
      if (account && vendorOf(account).templates.deleteBy === "name")
        throw new Error(
          `MessageTemplate "${n}" is declared in ${otherLanguage} by "${other}" and in ${l} by "${resourceName}" for account ${w}, but ` +
            `${vendorOf(account).displayName} deletes templates by name, every language at once: removing one would delete the other. ` +
            "Give each language its own template name there.",
        );
    }
    languages.set(l, resourceName);
  };
  if (typeof waba === "string" && typeof name === "string" && typeof language === "string") check(waba, name, language);
  else pulumi.all([waba, name, language]).apply(([w, n, l]) => check(w, n, l));
}
