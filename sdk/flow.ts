import * as pulumi from "@pulumi/pulumi";
import { registerFlowIds } from "./flow-refs";
import type { FlowCategory, FlowStatus } from "../provider/model";
import type { FlowJsonProblem } from "../provider/validation/types";
import { parseAccountRef } from "../provider/vendors/registry";
import { providerShim } from "./provider-shim";
import { linkLiveFlowId } from "./template-links";
import { definedOnly, quietPromiseStacks } from "./registration";
import type { PromotionRequirement } from "./environments";

export interface FlowArgs {
  /**
   * The account, as one string that fits in stack config: `<vendor>:<the vendor's ids>`, as `accounts`
   * builds it (e.g. `accounts.meta("<WABA id>")`). A malformed reference fails at preview, naming each
   * vendor's format. Changing the account replaces the flow.
   */
  waba: pulumi.Input<string>;
  /** 1-200 characters, unique within the WABA (deprecated flows keep their names). */
  name: pulumi.Input<string>;
  /** 1-9 of SIGN_UP, SIGN_IN, APPOINTMENT_BOOKING, LEAD_GENERATION, SHOPPING (AWS only), CONTACT_US, CUSTOMER_SUPPORT, SURVEY, OTHER. */
  categories: pulumi.Input<pulumi.Input<FlowCategory>[]>;
  /** Create the flow as a copy of another flow of the same WABA. Used at creation only. */
  cloneFlowId?: pulumi.Input<string>;
  /**
   * Take over an existing flow with this name instead of failing (`pulumi import` does not work for dynamic
   * resources). Without it, only a bare DRAFT left by an interrupted create of this resource is adopted.
   */
  adoptExisting?: pulumi.Input<boolean>;
  /**
   * Take over this existing flow (by id) instead of creating one: what `whatsapp-flows import` writes.
   * Its name, categories and (through FlowAssets) JSON are then aligned with the program where they differ.
   */
  adoptFlowId?: pulumi.Input<string>;
  /**
   * For a flow whose JSON exchanges data with your server (`data_api_version`, `data_exchange` actions):
   * the https URL vendors call. Needed before such a flow can be published (Meta refuses otherwise);
   * refused for Flow JSON older than 3.0 and on vendors without endpoint flows (AWS today).
   */
  endpointUri?: pulumi.Input<string>;
  /** The application the endpoint belongs to, where the vendor takes one (Meta: the connected app's id; 8x8 `applicationId`). */
  applicationId?: pulumi.Input<string>;
  /**
   * Used at creation only: the Flow JSON (and `publish`) this flow's `FlowAssets` will declare, so that a
   * vendor whose create takes them (AWS, Meta, 8x8) creates the flow with its JSON and publishes it in that
   * one call; the FlowAssets then finds the flow holding its JSON and makes no call. Validated offline at
   * preview like FlowAssets. `WhatsAppFlow` sets it; give the same text and `publish` as the FlowAssets.
   */
  initialAssets?: pulumi.Input<{
    flowJson: pulumi.Input<string>;
    publish?: pulumi.Input<boolean>;
    /** The file the text came from, named in messages. */
    sourcePath?: string;
    /** The FlowAssets' promotion gate (`PromotionGate.requirementFor`): this create may publish, so it is checked here too. */
    promotion?: pulumi.Input<PromotionRequirement>;
  }>;
}

/**
 * A WhatsApp Flow's identity and metadata. Its Flow JSON and publishing live in `FlowAssets`.
 * Removing it deletes a DRAFT flow and deprecates a published one (never deletes it).
 */
export class Flow extends pulumi.dynamic.Resource {
  declare readonly waba: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly categories: pulumi.Output<FlowCategory[]>;
  /** The vendor's (Meta's) numeric flow id of the live flow (a replacement has a new id). */
  declare readonly flowId: pulumi.Output<string>;
  /** The flow's name in the account: the declared name, or `<name> (v<N>)` once a vendor made it replace the flow. */
  declare readonly liveName: pulumi.Output<string>;
  /** 1, then +1 per replacement. */
  declare readonly generation: pulumi.Output<number>;
  /** The vendor's health summary (Meta `health_status.can_send_message`: AVAILABLE, LIMITED, BLOCKED), when reported. */
  declare readonly healthStatus: pulumi.Output<string | null>;
  /** The endpoint URI as the vendor reports it (the declared one where the vendor does not report it). */
  declare readonly endpointUri: pulumi.Output<string | null>;
  declare readonly applicationId: pulumi.Output<string | null>;
  /** Status when the flow was last created, updated or refreshed (FlowAssets.status follows publishing). */
  declare readonly status: pulumi.Output<FlowStatus>;
  declare readonly validationErrors: pulumi.Output<FlowJsonProblem[]>;
  declare readonly jsonVersion: pulumi.Output<string | null>;
  /** Web preview; rotates and expires (30 days), never causes a diff. */
  declare readonly previewUrl: pulumi.Output<string | null>;
  declare readonly previewExpiresAt: pulumi.Output<string | null>;
  declare readonly vendor: pulumi.Output<string>;
  /** Flows a replacement made by this resource kept PUBLISHED because templates still sent them (empty normally). */
  declare readonly retiringFlowIds: pulumi.Output<string[] | undefined>;
  /** What the create left when it carried the Flow JSON (hash and status); read by its FlowAssets. Absent after any later operation. */
  declare readonly createdWith: pulumi.Output<{ flowJsonSha256: string; status: FlowStatus } | undefined>;

  constructor(name: string, args: FlowArgs, opts?: pulumi.CustomResourceOptions) {
    guardTwins(name, args);
    // Pulumi's per-promise debug stacks off while it registers (./registration.ts).
    const quiet = quietPromiseStacks();
    try {
      super(
        providerShim("Flow"),
        name,
        {
          // Inputs left undefined are not passed: each property costs the program a few promises, and an
          // undefined input is never sent. The declared outputs are, so that they exist on the resource.
          ...definedOnly(args),
          waba: args.waba,
          name: args.name,
          categories: args.categories,
          endpointUri: args.endpointUri,
          applicationId: args.applicationId,
          flowId: undefined,
          status: undefined,
          validationErrors: undefined,
          jsonVersion: undefined,
          previewUrl: undefined,
          previewExpiresAt: undefined,
          vendor: undefined,
          liveName: undefined,
          generation: undefined,
          healthStatus: undefined,
          retiringFlowIds: undefined,
          createdWith: undefined,
        },
        opts,
        "whatsapp",
        "Flow",
      );
    } catch (e) {
      throw quiet.failed(e);
    } finally {
      quiet.restore();
    }
    registerFlowIds(args.name, this.flowId);
    linkLiveFlowId(this.flowId, this.retiringFlowIds);
  }
}

/** (account, flow name) → the resource declaring it, in this program. */
const declared = new Map<string, string>();

/**
 * Two resources must never manage one flow: a program declaring the same name twice in one account
 * fails before any vendor call (at preview), naming both resources. Values known only at deploy time
 * are checked when they resolve (and the provider refuses a second create of the same name anyway).
 */
function guardTwins(resourceName: string, args: FlowArgs): void {
  const check = (waba: string, flowName: string) => {
    const parsed = parseAccountRef(waba);
    const key = `${"account" in parsed ? parsed.account.canonical : waba}\u0000${flowName}`;
    const other = declared.get(key);
    if (other !== undefined && other !== resourceName) {
      throw new Error(
        `Flow "${flowName}" is declared twice for account ${waba}: by resources "${other}" and "${resourceName}". ` +
          "Two resources must never manage one flow; give one of them another name.",
      );
    }
    declared.set(key, resourceName);
  };
  if (typeof args.waba === "string" && typeof args.name === "string") check(args.waba, args.name);
  else pulumi.all([args.waba, args.name]).apply(([waba, flowName]) => check(waba, flowName));
}
