import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { registerFlowIds } from "./flow-refs";
import { DRY_RUN_INPUT, type FlowStatus } from "../provider/model";
import type { FlowJsonProblem } from "../provider/validation/types";
import { providerShim } from "./provider-shim";
import { linkLiveFlowId } from "./template-links";
import { definedOnly, quietPromiseStacks } from "./registration";
import type { Flow } from "./flow";
import type { PromotionRequirement } from "./environments";

export interface FlowAssetsArgs {
  /** The flow these assets belong to. Either this, or `waba` + `flowId` (+ `flowName`). */
  flow?: Flow;
  waba?: pulumi.Input<string>;
  flowId?: pulumi.Input<string>;
  flowName?: pulumi.Input<string>;
  /** The Flow JSON text. Either this or `file`. */
  flowJson?: pulumi.Input<string>;
  /** A Flow JSON file, read by the program (relative to its working directory); named in every message. */
  file?: string;
  /** Publish the flow once its JSON is uploaded and the vendor reports no validation errors. Default false. */
  publish?: pulumi.Input<boolean>;
  /**
   * Fetch the vendor's preview link into `previewUrl` after a create or update that did not read one:
   * one vendor call more per flow. Default false: a new published flow then costs 3 calls in all.
   */
  preview?: pulumi.Input<boolean>;
  /**
   * The flow's endpoint URI, for the preview-time rules of endpoint flows; `null` = the flow has none.
   * Omitted: taken from `flow` (known at preview only once the Flow exists).
   */
  endpointUri?: pulumi.Input<string> | null;
  /** The JSON another stack has published, which this one must equal (`PromotionGate.requirementFor`). */
  promotion?: pulumi.Input<PromotionRequirement>;
  /**
   * Informational, used at creation only (changing it later is no change): the flow adopts an existing
   * flow (the Flow's `adoptFlowId`, or `adoptExisting` = by name), so the first `pulumi preview` can
   * download that flow's JSON and say what `up` will change about it. `WhatsAppFlow` sets it itself.
   */
  adopt?: { flowId?: pulumi.Input<string>; byName?: pulumi.Input<boolean> };
}

/**
 * The Flow JSON of one flow, and whether the flow is published. Invalid JSON fails `pulumi preview`
 * with file:line:column before any API call. Changing the JSON of a published flow uploads it and
 * publishes it again in the same `up` (same flow id).
 */
export class FlowAssets extends pulumi.dynamic.Resource {
  /** The flow id given (the Flow resource's). */
  declare readonly flowId: pulumi.Output<string>;
  /** The flow now live with this JSON: `flowId`, or the replacement published when the vendor would not edit the flow. */
  declare readonly liveFlowId: pulumi.Output<string>;
  /** Its name in the account (`<name> (v<N>)` after a replacement). */
  declare readonly liveName: pulumi.Output<string>;
  declare readonly generation: pulumi.Output<number>;
  declare readonly healthStatus: pulumi.Output<string | null>;
  declare readonly flowName: pulumi.Output<string>;
  declare readonly publish: pulumi.Output<boolean>;
  /** SHA-256 of the canonical Flow JSON: what changes are detected by. */
  declare readonly flowJsonSha256: pulumi.Output<string>;
  declare readonly status: pulumi.Output<FlowStatus>;
  declare readonly validationErrors: pulumi.Output<FlowJsonProblem[]>;
  declare readonly jsonVersion: pulumi.Output<string | null>;
  declare readonly previewUrl: pulumi.Output<string | null>;
  declare readonly previewExpiresAt: pulumi.Output<string | null>;
  /**
   * Flows a replacement kept PUBLISHED because templates still sent them (empty normally): the templates
   * are repointed to `liveFlowId`, then retire them. A `MessageTemplate` whose FLOW button takes
   * `liveFlowId` receives them.
   */
  declare readonly retiringFlowIds: pulumi.Output<string[] | undefined>;
  /** The Flow JSON text as the program read it (not an output; for program-side checks such as the promotion gate). */
  readonly flowJsonText: pulumi.Input<string>;

  constructor(name: string, args: FlowAssetsArgs, opts?: pulumi.CustomResourceOptions) {
    if ((args.flowJson === undefined) === (args.file === undefined)) {
      throw new Error(`FlowAssets "${name}": give exactly one of \`flowJson\` or \`file\``);
    }
    if (!args.flow && (args.waba === undefined || args.flowId === undefined)) {
      throw new Error(`FlowAssets "${name}": give \`flow\`, or both \`waba\` and \`flowId\``);
    }
    let flowJson = args.flowJson;
    if (args.file !== undefined) {
      try {
        flowJson = fs.readFileSync(args.file, "utf8");
      } catch (e) {
        // eslint-disable-next-line preserve-caught-error -- programs compile this file against older `lib` settings (no ErrorOptions)
        throw new Error(`FlowAssets "${name}": cannot read Flow JSON file ${args.file}: ${(e as Error).message}`);
      }
    }
    // Pulumi's per-promise debug stacks off while it registers (./registration.ts).
    const quiet = quietPromiseStacks();
    try {
      super(
        providerShim("FlowAssets"),
        name,
        {
          waba: args.flow ? args.flow.waba : args.waba,
          flowId: args.flow ? args.flow.flowId : args.flowId,
          flowName: args.flow ? args.flow.name : (args.flowName ?? args.flowId),
          flowJson,
          publish: args.publish ?? false,
          // Optional inputs left undefined are not passed: each property costs the program a few promises.
          ...definedOnly({
            sourcePath: args.file,
            preview: args.preview,
            endpointUri: args.endpointUri !== undefined ? args.endpointUri : args.flow?.endpointUri,
            promotion: args.promotion,
          }),
          // Informational: a replacement (vendors that do not edit published flows) needs them without a read.
          // Informational: what the Flow's create left when it carried this JSON, so a FlowAssets created in a
          // later deployment (the engine stopped in between) plans without a read.
          ...(args.flow ? { categories: args.flow.categories, flowCreatedWith: args.flow.createdWith } : {}),
          ...(args.adopt ? { adopt: args.adopt } : {}),
          // Preview or update, which the engine does not tell the provider: its check takes this out of the
          // inputs (never in state, diffs or `preview --diff`), and only a preview then lists the account to
          // say which flows a lost run left DRAFT (provider/hooks/deployment-mode.ts).
          [DRY_RUN_INPUT]: pulumi.runtime.isDryRun(),
          // The declared outputs, so that they exist on the resource.
          flowJsonSha256: undefined,
          liveFlowId: undefined,
          liveName: undefined,
          generation: undefined,
          healthStatus: undefined,
          status: undefined,
          validationErrors: undefined,
          jsonVersion: undefined,
          previewUrl: undefined,
          previewExpiresAt: undefined,
          retiringFlowIds: undefined,
        },
        // The JSON text can be megabytes: show that it changed, not the text.
        pulumi.mergeOptions(opts, { hideDiffs: ["flowJson"], dependsOn: args.flow ? [args.flow] : [] }),
        "whatsapp",
        "FlowAssets",
      );
    } catch (e) {
      throw quiet.failed(e);
    } finally {
      quiet.restore();
    }
    this.flowJsonText = flowJson!;
    registerFlowIds(args.flow ? args.flow.name : (args.flowName ?? args.flowId!), this.liveFlowId, this.flowId);
    linkLiveFlowId(this.liveFlowId, this.retiringFlowIds);
  }
}
