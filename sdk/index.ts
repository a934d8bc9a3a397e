/** What programs import: the resources, the component, and the Flow JSON validator. */
export { Flow, FlowArgs } from "./flow";
export { FlowAssets, FlowAssetsArgs } from "./flow-assets";
export { WhatsAppFlow, WhatsAppFlowArgs } from "./whatsapp-flow";
export { accounts } from "./accounts";
export { flowOutputs, FlowOutput, PromotionGate, PromotionRequirement } from "./environments";
export { VENDORS, VendorName, VendorCapabilities, parseAccountRef } from "../provider/vendors/registry";
export { FLOW_CATEGORIES, FlowCategory, FlowStatus } from "../provider/model";
export * from "../provider/validation";
