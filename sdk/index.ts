/**
 * What programs import, and nothing else: the resources, the component, the account helpers, the
 * environments helpers, and the validator's documented helpers (provider/validation/README.md).
 * sdk/index.test.ts pins this list: a name added here is public API.
 */
export { Flow, FlowArgs } from "./flow";
export { FlowAssets, FlowAssetsArgs } from "./flow-assets";
export { WhatsAppFlow, WhatsAppFlowArgs } from "./whatsapp-flow";
export { MessageTemplate, MessageTemplateArgs } from "./message-template";
export type { TemplateCategory, TemplateComponentArgs, TemplateButtonArgs, TemplateStatus } from "./message-template";
export { accounts } from "./accounts";
export {
  flowOutputs,
  FlowOutput,
  templateOutputs,
  TemplateOutput,
  PromotionGate,
  PromotionRequirement,
  TemplatePromotionRequirement,
} from "./environments";
export type { VendorName } from "../provider/vendors/registry";
export { FLOW_CATEGORIES, FlowCategory, FlowStatus } from "../provider/model";
// Loaded on first use (./validation.ts): a program declaring resources never needs the validator.
export {
  validateFlowJson,
  structuralErrors,
  normaliseVendorErrors,
  formatProblemLine,
  defineFlow,
  FLOW_JSON_VERSIONS,
  DATA_API_VERSIONS,
  LATEST_FLOW_JSON_VERSION,
  flowJsonVersionInfo,
  MAX_FLOW_JSON_BYTES,
} from "./validation";
export type {
  FlowJsonProblem,
  FlowJsonPointer,
  ValidationResult,
  ValidateOptions,
  Severity,
  ProblemCategory,
  FlowJsonVersionInfo,
  FlowJsonVersionStatus,
  FlowJson,
  FlowScreen,
  FlowComponent,
  FlowAction,
  FlowJsonPublishableVersion,
} from "../provider/validation";
