/**
 * Flow JSON validation: offline, version-aware, positions from the source text, Meta's vocabulary.
 * See README.md in this folder for the design and the list of rule codes.
 */
import type { FlowJsonProblem, ValidateOptions, ValidationResult } from "./types";
import { positionlessProblem } from "./report";
import { validate } from "./validate";
import { normaliseVendorErrors as normalise } from "./vendor";

export * from "./types";
export { formatProblemLine } from "./format";
export { FLOW_JSON_VERSIONS, DATA_API_VERSIONS, LATEST_FLOW_JSON_VERSION, versionInfo as flowJsonVersionInfo } from "./versions";
export type { FlowJsonVersionInfo, FlowJsonVersionStatus } from "./versions";
export {
  defineFlow,
  COMPONENTS as FLOW_COMPONENT_SCHEMAS,
  COMPONENT_SINCE as FLOW_COMPONENT_SINCE,
  PROPERTY_SINCE as FLOW_PROPERTY_SINCE,
  REQUIRED_SINCE as FLOW_REQUIRED_SINCE,
  CHAR_LIMITS as FLOW_CHAR_LIMITS,
  componentSchema as flowComponentSchema,
  ActionSchema as FlowActionSchema,
  DataSourceItemSchema as FlowDataSourceItemSchema,
  BindingSchema as FlowBindingSchema,
} from "./schemas";
export type {
  FlowJson,
  FlowScreen,
  FlowComponent,
  LeafComponent as FlowLeafComponent,
  IfComponent as FlowIfComponent,
  SwitchComponent as FlowSwitchComponent,
  FormComponent as FlowFormComponent,
  FlowAction,
  ScreenDataField as FlowScreenDataField,
  ComponentType as FlowComponentType,
  PublishableVersion as FlowJsonPublishableVersion,
} from "./schemas";
export { parseJsonWithLocations } from "./parser";
export { MAX_FLOW_JSON_BYTES } from "./validate";

/** Validates Flow JSON source text. Never throws: any input yields a result. */
export function validateFlowJson(source: string, options: ValidateOptions = {}): ValidationResult {
  try {
    return validate(source, options ?? {});
  } catch (e) {
    // Last resort: an internal bug must not break `pulumi preview`.
    const message = `The validator failed on this input: ${(e as Error)?.message ?? String(e)}`;
    return { errors: [positionlessProblem("INTERNAL_VALIDATOR_ERROR", message, { category: "semantic" })], warnings: [] };
  }
}

/** Validation errors whose category is not the version status (frozen/unavailable version). */
export function structuralErrors(result: ValidationResult): FlowJsonProblem[] {
  return result.errors.filter((e) => e.category !== "version");
}

/**
 * Turns validation errors as a vendor returned them (Meta snake_case objects, 8x8 camelCase objects,
 * AWS plain strings or JSON-in-strings) into our one shape. Never throws.
 */
export function normaliseVendorErrors(raw: unknown[]): FlowJsonProblem[] {
  return normalise(raw);
}
