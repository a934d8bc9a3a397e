import * as pulumi from "@pulumi/pulumi";
import type { FlowCategory, FlowStatus } from "../provider/model";
import type { FlowJsonProblem } from "../provider/validation/types";
import { providerShim } from "./provider-shim";

export interface FlowArgs {
  /** The WhatsApp Business Account: an AWS linked-WABA id (`waba-…`) or a WABA ARN. Changing it replaces the flow. */
  waba: pulumi.Input<string>;
  /** 1-200 characters, unique within the WABA (deprecated flows keep their names). */
  name: pulumi.Input<string>;
  /** 1-9 of SIGN_UP, SIGN_IN, APPOINTMENT_BOOKING, LEAD_GENERATION, SHOPPING, CONTACT_US, CUSTOMER_SUPPORT, SURVEY, OTHER. */
  categories: pulumi.Input<pulumi.Input<FlowCategory>[]>;
  /** Create the flow as a copy of another flow of the same WABA. Used at creation only. */
  cloneFlowId?: pulumi.Input<string>;
  /**
   * Take over an existing flow with this name instead of failing (`pulumi import` does not work for dynamic
   * resources). Without it, only a bare DRAFT left by an interrupted create of this resource is adopted.
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/**
 * A WhatsApp Flow's identity and metadata. Its Flow JSON and publishing live in `FlowAssets`.
 * Removing it deletes a DRAFT flow and deprecates a published one (never deletes it).
 */
export class Flow extends pulumi.dynamic.Resource {
  declare readonly waba: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly categories: pulumi.Output<FlowCategory[]>;
  /** The vendor's (Meta's) numeric flow id. */
  declare readonly flowId: pulumi.Output<string>;
  /** Status when the flow was last created, updated or refreshed (FlowAssets.status follows publishing). */
  declare readonly status: pulumi.Output<FlowStatus>;
  declare readonly validationErrors: pulumi.Output<FlowJsonProblem[]>;
  declare readonly jsonVersion: pulumi.Output<string | null>;
  /** Web preview; rotates and expires (30 days), never causes a diff. */
  declare readonly previewUrl: pulumi.Output<string | null>;
  declare readonly previewExpiresAt: pulumi.Output<string | null>;
  declare readonly vendor: pulumi.Output<string>;

  constructor(name: string, args: FlowArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerShim("Flow"),
      name,
      {
        ...args,
        flowId: undefined,
        status: undefined,
        validationErrors: undefined,
        jsonVersion: undefined,
        previewUrl: undefined,
        previewExpiresAt: undefined,
        vendor: undefined,
      },
      opts,
      "whatsapp",
      "Flow",
    );
  }
}
