/**
 * Every problem code the offline validator reports: one table, so the compiler checks each `report.add(code, …)`
 * and Meta's `error_type` and our `category` are derived from the same entry.
 *
 * `schema: true` — Meta files the code under `JSON_SCHEMA_ERROR` (shape); all others are `FLOW_JSON_ERROR`.
 * `category` — a fixed category (`syntax`, `version`); without one the category follows the severity and
 * `error_type`: a warning is `advice`, a `JSON_SCHEMA_ERROR` is `schema`, the rest `semantic` (see `categoryOf`).
 * A rule may still pass its own `category` to `Reporter.add` (e.g. a missing version is a `schema` problem).
 *
 * To add a code: one line here (in the group of its rule module), then use it; README.md lists the codes per rule.
 */
import type { ProblemCategory, Severity } from "./types";

interface CodeInfo {
  readonly schema?: true;
  readonly category?: Extract<ProblemCategory, "syntax" | "version">;
}

const SCHEMA = { schema: true } as const;
const SEMANTIC = {} as const;
const VERSION = { category: "version" } as const;

export const PROBLEM_CODES = {
  // syntax and document (validate.ts, rules/document.ts)
  INVALID_FLOW_JSON: { category: "syntax" },
  DUPLICATE_JSON_KEY: SEMANTIC,
  INTERNAL_VALIDATOR_ERROR: SEMANTIC,
  MISSING_FLOW_JSON_VERSION: VERSION,
  INVALID_FLOW_JSON_VERSION: VERSION,
  UNSUPPORTED_FLOW_JSON_VERSION: VERSION,
  UNAVAILABLE_FLOW_JSON_VERSION: VERSION,
  INVALID_DATA_API_VERSION: VERSION,
  NO_SUPPORTED_DATA_API_VERSION: VERSION,
  MAX_SCREENS_NUMBER: SEMANTIC,

  // shape (rules/schema.ts maps zod issues to these; other rules use them too)
  INVALID_PROPERTY_KEY: SCHEMA,
  INVALID_PROPERTY: SCHEMA,
  INVALID_PROPERTY_VALUE: SCHEMA,
  INVALID_PROPERTY_TYPE: SCHEMA,
  INVALID_PROPERTY_VALUE_FORMAT: SCHEMA,
  MIN_ITEMS_REQUIRED: SCHEMA,
  MAX_ITEMS_REQUIRED: SCHEMA,
  MIN_CHARS_REQUIRED: SCHEMA,
  MISSING_REQUIRED_TYPE_PROPERTY: SCHEMA,
  MISSING_REQUIRED_PROPERTY: SCHEMA,
  PATTERN_MISMATCH: SCHEMA,
  INVALID_ENUM_VALUE: SCHEMA,
  INVALID_DEPENDENCIES: SCHEMA,
  NOT_KEYWORD_SCHEMA_VALIDATION_FAILED: SCHEMA,
  KEYWORD_ONE_OF: SCHEMA,
  MINIMUM_VALUE_REQUIRED: SCHEMA,
  MAXIMUM_VALUE_REQUIRED: SCHEMA,

  // screens, data model, counts (rules/screens.ts)
  DUPLICATE_SCREEN_IDS: SEMANTIC,
  SCREEN_ID_IS_RESERVED_KEYWORD: SEMANTIC,
  MISSING_FOOTER_ON_TERMINAL_SCREEN: SEMANTIC,
  MISSING_TERMINAL_SCREEN: SEMANTIC,
  INVALID_SENSITIVE_FIELD: SEMANTIC,
  INVALID_SCREEN_DATA: SEMANTIC,
  UNUSED_SCREEN_DATA: SEMANTIC,
  MAX_ALLOWED_COMPONENTS_PER_SCREEN: SEMANTIC,
  MAX_FOOTER_PER_SCREEN: SEMANTIC,
  MORE_THAN_ONE_FOOTER: SEMANTIC,
  MAX_EMBEDDED_LINK_PER_SCREEN: SEMANTIC,
  MAX_IMAGE_PER_SCREEN: SEMANTIC,
  MAX_OPT_IN_PER_SCREEN: SEMANTIC,
  COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN: SEMANTIC,
  MAXIMUM_IF_NESTING: SEMANTIC,
  DUPLICATE_FORM_COMPONENT_NAMES: SEMANTIC,

  // routing (rules/routing.ts)
  INVALID_ROUTING_MODEL: SEMANTIC,
  NON_TERMINAL_LEAF_SCREEN: SEMANTIC,

  // components (rules/components.ts, rules/component-types.ts)
  COMPONENTS_OUTSIDE_FORM: SEMANTIC,
  INVALID_COMPONENT_PLACEMENT: SEMANTIC,
  INVALID_RICHTEXT_PLACEMENT: SEMANTIC,
  MISSING_FOOTER_IN_IF_ELSE_BRANCHES: SEMANTIC,
  MISSING_FOOTER_IN_SWITCH_BRANCHES: SEMANTIC,
  EMPTY_SWITCH_CASES: SEMANTIC,
  NATIVE_COMPONENT_IN_FORM_INIT_VALUES: SEMANTIC,
  MIN_VALUE_GREATER_THAN_MAX: SEMANTIC,
  INVALID_MIN_MAX_DAYS: SEMANTIC,
  INVALID_DATE_RANGE: SEMANTIC,
  INVALID_DATE_SINGLE_INIT_VALUE_FORMAT: SEMANTIC,
  MISSING_CALENDAR_PICKER_RANGE_MODE_PROP: SEMANTIC,
  UNEXPECTED_CALENDAR_PICKER_RANGE_MODE_PROP: SEMANTIC,
  DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR: SEMANTIC,
  MAX_CHARS_EXCEEDED: SEMANTIC,
  MAX_IMAGE_SIZE_EXCEEDED: SEMANTIC,

  // references and expressions (rules/references.ts)
  INVALID_SCREEN_DYNAMIC_DATA: SEMANTIC,

  // actions (rules/actions.ts)
  INVALID_COMPLETE_ACTION: SEMANTIC,
  INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME: SEMANTIC,
  INVALID_NAVIGATE_ACTION_PAYLOAD: SEMANTIC,
  INVALID_ON_CLICK_ACTION_PAYLOAD: SEMANTIC,
  INVALID_ACTION_PAYLOAD_PROPERTY: SEMANTIC,
} as const satisfies Record<string, CodeInfo>;

/** A code the offline validator reports (vendor problems may carry other codes: `FlowJsonProblem.error` is a string). */
export type ProblemCode = keyof typeof PROBLEM_CODES;

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function infoOf(code: string): CodeInfo | undefined {
  return hasOwn(PROBLEM_CODES, code) ? (PROBLEM_CODES as Record<string, CodeInfo>)[code] : undefined;
}

/** Meta's `error_type` of a code: `JSON_SCHEMA_ERROR` for shape codes, `FLOW_JSON_ERROR` otherwise (and for unknown codes). */
export function errorTypeOf(code: string): "JSON_SCHEMA_ERROR" | "FLOW_JSON_ERROR" {
  return infoOf(code)?.schema ? "JSON_SCHEMA_ERROR" : "FLOW_JSON_ERROR";
}

/** Our category of a problem with this code and severity (when the rule gives none). */
export function categoryOf(code: ProblemCode, severity: Severity): ProblemCategory {
  const info: CodeInfo = PROBLEM_CODES[code];
  if (info.category) return info.category;
  if (severity === "warning") return "advice";
  return info.schema ? "schema" : "semantic";
}
