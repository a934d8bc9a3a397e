import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import type { FlowCategory, FlowStatus } from "../provider/model";
import { Flow } from "./flow";
import { registerFlowIds } from "./flow-refs";
import { FlowAssets } from "./flow-assets";
import type { PromotionGate } from "./environments";
import { linkLiveFlowId, unionOfRetiring } from "./template-links";

export interface WhatsAppFlowArgs {
  waba: pulumi.Input<string>;
  /** The flow's name in the WABA; defaults to the resource name. */
  name?: pulumi.Input<string>;
  categories: pulumi.Input<pulumi.Input<FlowCategory>[]>;
  /** Flow JSON file (read by the program) or text: exactly one. */
  file?: string;
  flowJson?: pulumi.Input<string>;
  /** Default true: the point of declaring a flow this way is to have it live. */
  publish?: pulumi.Input<boolean>;
  /** Fetch the vendor's preview link into `previewUrl` (one vendor call more per create or update; see FlowAssetsArgs.preview). */
  preview?: pulumi.Input<boolean>;
  cloneFlowId?: pulumi.Input<string>;
  adoptExisting?: pulumi.Input<boolean>;
  adoptFlowId?: pulumi.Input<string>;
  /** Require exactly the Flow JSON another stack has published (see PromotionGate); checked at preview. */
  promotion?: PromotionGate;
  /** Endpoint (data-exchange) flows: the https URL of your endpoint (see FlowArgs.endpointUri). */
  endpointUri?: pulumi.Input<string>;
  /** The application the endpoint belongs to, where the vendor takes one (Meta: the connected app). */
  applicationId?: pulumi.Input<string>;
}

/**
 * "This flow, with this JSON, published" in one statement: a `Flow` and its `FlowAssets`, both usable
 * on their own. Children are named `<name>` and `<name>-assets`.
 */
export class WhatsAppFlow extends pulumi.ComponentResource {
  readonly flow: Flow;
  readonly assets: FlowAssets;
  /** The live flow's id: after a replacement (a vendor that does not edit published flows), the new flow's. */
  readonly flowId: pulumi.Output<string>;
  /** The live flow's name (`<name> (v<N>)` after a replacement). */
  readonly liveName: pulumi.Output<string>;
  readonly status: pulumi.Output<FlowStatus>;
  readonly previewUrl: pulumi.Output<string | null>;
  readonly healthStatus: pulumi.Output<string | null>;
  /** The endpoint URI as the vendor reports it. */
  readonly endpointUri: pulumi.Output<string | null>;

  constructor(name: string, args: WhatsAppFlowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("whatsapp-flows:index:WhatsAppFlow", name, {}, opts);
    // The JSON goes to the Flow too: where the vendor's create takes it, the flow is created with it and
    // published in one call, and the FlowAssets then finds it there (no call).
    const text = args.file !== undefined ? readFlowJson(name, args.file) : args.flowJson;
    const promotion = args.promotion?.requirementFor(args.name ?? name);
    this.flow = new Flow(
      name,
      {
        waba: args.waba,
        name: args.name ?? name,
        categories: args.categories,
        cloneFlowId: args.cloneFlowId,
        adoptExisting: args.adoptExisting,
        adoptFlowId: args.adoptFlowId,
        endpointUri: args.endpointUri,
        applicationId: args.applicationId,
        ...(text !== undefined
          ? {
              initialAssets: {
                flowJson: text,
                publish: args.publish ?? true,
                ...(args.file !== undefined ? { sourcePath: args.file } : {}),
                // The create may publish: the promotion gate is checked by the Flow as well.
                ...(promotion !== undefined ? { promotion } : {}),
              },
            }
          : {}),
      },
      { parent: this },
    );
    this.assets = new FlowAssets(
      `${name}-assets`,
      // The declared endpoint (or none), so the endpoint rules run at the first preview already.
      {
        flow: this.flow,
        file: args.file,
        flowJson: args.flowJson,
        publish: args.publish ?? true,
        preview: args.preview,
        endpointUri: args.endpointUri ?? null,
        promotion,
        // So the first preview can say what changes about an adopted flow's JSON.
        adopt:
          args.adoptFlowId !== undefined || args.adoptExisting !== undefined
            ? { flowId: args.adoptFlowId, byName: args.adoptExisting }
            : undefined,
      },
      { parent: this },
    );
    // State written before replacements existed has no live outputs yet: the Flow's own values stand in.
    args.promotion?.track(args.name ?? name, this.assets.flowJsonText);
    this.flowId = pulumi.all([this.assets.liveFlowId, this.flow.flowId]).apply(([live, id]) => live ?? id);
    registerFlowIds(args.name ?? name, this.flowId);
    // A MessageTemplate sending this flow retires what a replacement kept published for it.
    linkLiveFlowId(this.flowId, unionOfRetiring(this.assets.retiringFlowIds, this.flow.retiringFlowIds));
    this.liveName = pulumi.all([this.assets.liveName, this.flow.name]).apply(([live, name]) => live ?? name);
    this.status = this.assets.status;
    this.previewUrl = this.assets.previewUrl;
    this.healthStatus = this.assets.healthStatus;
    this.endpointUri = this.flow.endpointUri;
    this.registerOutputs({ flowId: this.flowId, liveName: this.liveName, status: this.status, previewUrl: this.previewUrl });
  }
}

function readFlowJson(name: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    // eslint-disable-next-line preserve-caught-error -- programs compile this file against older `lib` settings (no ErrorOptions)
    throw new Error(`WhatsAppFlow "${name}": cannot read Flow JSON file ${file}: ${(e as Error).message}`);
  }
}
