/**
 * The validator's documented helpers as the SDK exports them, loaded on first use. A program that only
 * declares resources never calls them (the provider process validates the Flow JSON), and loading the
 * validator (zod and its schemas, about 120 modules) cost every program run 60 to 90 ms (docs/design.md,
 * "Our own CPU"). The constants come from modules that load nothing.
 */
import type * as Validation from "../provider/validation";
import type { FlowJson } from "../provider/validation/schemas";

export { formatProblemLine } from "../provider/validation/format";
export {
  FLOW_JSON_VERSIONS,
  DATA_API_VERSIONS,
  LATEST_FLOW_JSON_VERSION,
  versionInfo as flowJsonVersionInfo,
} from "../provider/validation/versions";
export { MAX_FLOW_JSON_BYTES } from "../provider/flow-json";

let loaded: typeof Validation | undefined;
const validator = (): typeof Validation => (loaded ??= require("../provider/validation") as typeof Validation);

/** Validates Flow JSON source text. Never throws: any input yields a result. */
export function validateFlowJson(...args: Parameters<typeof Validation.validateFlowJson>): ReturnType<typeof Validation.validateFlowJson> {
  return validator().validateFlowJson(...args);
}

/** Validation errors whose category is not the version status (frozen/unavailable version). */
export function structuralErrors(...args: Parameters<typeof Validation.structuralErrors>): ReturnType<typeof Validation.structuralErrors> {
  return validator().structuralErrors(...args);
}

/**
 * Turns validation errors as a vendor returned them (Meta snake_case objects, 8x8 camelCase objects,
 * AWS plain strings or JSON-in-strings) into our one shape. Never throws.
 */
export function normaliseVendorErrors(
  ...args: Parameters<typeof Validation.normaliseVendorErrors>
): ReturnType<typeof Validation.normaliseVendorErrors> {
  return validator().normaliseVendorErrors(...args);
}

/** Identity helper giving a Flow written in TypeScript autocompletion and type errors (provider/validation/schemas.ts). */
export function defineFlow<const T extends FlowJson>(flow: T): T {
  return flow;
}
