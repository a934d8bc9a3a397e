/**
 * The stable entry point the serialized provider shims call (see sdk/provider-shim.ts). Its module path
 * `whatsapp-flows/dist/provider/runtime` and these exports are a compatibility contract: stacks keep the
 * shim text in state, so every release must keep serving them, and must read state written by older
 * releases (outputs carry `schemaVersion`).
 */
import { trackResource } from "./budget";
import { flowHooks } from "./hooks/flow";
import { flowAssetsHooks } from "./hooks/flow-assets";
import { configureFromStackConfig } from "./settings";
import "./watchdog"; // exits this process once the engine is gone (kill -9 of `pulumi up`)

export type ResourceKind = "Flow" | "FlowAssets" | "MessageTemplate";

// Every resource's check, diff and operation is seen by the budget (provider/budget.ts: "N of M flows and K of L
// templates are done").
const trackedFlow = trackResource("Flow", flowHooks);
const trackedFlowAssets = trackResource("FlowAssets", flowAssetsHooks);
let trackedMessageTemplate: typeof import("./hooks/message-template").messageTemplateHooks | undefined;

export function hooks(kind: ResourceKind) {
  switch (kind) {
    case "Flow":
      return trackedFlow;
    case "FlowAssets":
      return trackedFlowAssets;
    case "MessageTemplate":
      // Loaded on first use: a stack without templates never needs them (docs/design.md, "Our own CPU").
      trackedMessageTemplate ??= trackResource(
        "MessageTemplate",
        (require("./hooks/message-template") as typeof import("./hooks/message-template")).messageTemplateHooks,
      );
      return trackedMessageTemplate;
    default:
      throw new Error(`whatsapp-flows: unknown resource kind "${kind}" (state written by a newer release?)`);
  }
}

export function configure(config: { get(key: string): string | undefined }): void {
  configureFromStackConfig((key) => config.get(key));
}
