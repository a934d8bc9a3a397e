/**
 * zod schemas for Flow JSON, version-aware.
 *
 * Each component is declared once with every property of the newest version (`COMPONENTS`); the
 * version data next to it (`COMPONENT_SINCE`, `PROPERTY_SINCE`, `REQUIRED_SINCE`) says from which Flow JSON
 * version a component or property exists and from which version an optional property becomes required.
 * `componentSchema(type, version)` derives (and caches) the schema for one version with `.omit()`/`.partial()`.
 * Schemas are strict: an unknown property is an error, as in Meta's JSON Schema.
 *
 * Containers (Form, If, Switch) hold `children: unknown[]` here: the validator walks them itself so that every
 * child gets its own precise path; the static TypeScript types (`FlowComponent`) are recursive.
 */
import { z } from "zod";
import { versionNumber } from "./versions";

const str = z.string();
/** A whole-value binding: `${data.x}` / `${form.x}` / `${screen.X.data.x}`, or a backtick expression (6.0+). */
export const BindingSchema = z.union([z.templateLiteral(["${", z.string(), "}"]), z.templateLiteral(["`", z.string(), "`"])]);
const binding = BindingSchema;
const dynBool = z.union([z.boolean(), binding]);
const dynInt = z.union([z.number().int(), binding]);
const strList = z.array(z.string());

export const ActionSchema = z.strictObject({
  name: z.string(),
  next: z.strictObject({ type: z.enum(["screen", "plugin"]), name: z.string() }).optional(),
  payload: z.union([z.record(z.string(), z.unknown()), binding]).optional(),
  url: z.string().optional(),
});
export type FlowAction =
  | { name: "navigate"; next: { type: "screen"; name: string }; payload?: Record<string, unknown> }
  | { name: "complete"; payload: Record<string, unknown> }
  | { name: "data_exchange"; payload: Record<string, unknown> }
  | { name: "update_data"; payload: Record<string, unknown> }
  | { name: "open_url"; url: string };

const action = ActionSchema;

export const DataSourceItemSchema = z.strictObject({
  id: str,
  title: str,
  description: str.optional(),
  metadata: str.optional(),
  enabled: dynBool.optional(),
  image: str.optional(),
  "alt-text": str.optional(),
  color: str.optional(),
  "on-select-action": action.optional(),
  "on-unselect-action": action.optional(),
});
const dataSource = (max: number) => z.union([z.array(DataSourceItemSchema).min(1).max(max), binding]);

const rangeOr = <T extends z.ZodType>(t: T) => z.union([t, z.strictObject({ "start-date": t.optional(), "end-date": t.optional() })]);

const NavigationItemSchema = z.strictObject({
  id: str,
  "main-content": z.strictObject({ title: str, description: str.optional(), metadata: str.optional() }),
  start: z.strictObject({ image: str, "alt-text": str.optional() }).optional(),
  end: z.strictObject({ title: str.optional(), description: str.optional(), metadata: str.optional() }).optional(),
  badge: str.optional(),
  tags: z.array(str).max(3).optional(),
  "on-click-action": action.optional(),
});

const textProps = {
  text: z.union([str, strList]),
  "font-weight": z.union([z.enum(["bold", "italic", "bold_italic", "normal"]), binding]).optional(),
  strikethrough: dynBool.optional(),
  visible: dynBool.optional(),
  markdown: z.boolean().optional(),
};

/** Every component with every property of the newest version. */
export const COMPONENTS = {
  TextHeading: z.strictObject({ type: z.literal("TextHeading"), text: str, visible: dynBool.optional() }),
  TextSubheading: z.strictObject({ type: z.literal("TextSubheading"), text: str, visible: dynBool.optional() }),
  TextBody: z.strictObject({ type: z.literal("TextBody"), ...textProps }),
  TextCaption: z.strictObject({ type: z.literal("TextCaption"), ...textProps }),
  RichText: z.strictObject({ type: z.literal("RichText"), text: z.union([str, strList]), visible: dynBool.optional() }),
  TextInput: z.strictObject({
    type: z.literal("TextInput"),
    name: str,
    label: str,
    "label-variant": z.enum(["large"]).optional(),
    "input-type": z.union([z.enum(["text", "number", "email", "password", "passcode", "phone"]), binding]).optional(),
    pattern: str.optional(),
    required: dynBool.optional(),
    "min-chars": dynInt.optional(),
    "max-chars": dynInt.optional(),
    "helper-text": str.optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "init-value": str.optional(),
    "error-message": str.optional(),
  }),
  TextArea: z.strictObject({
    type: z.literal("TextArea"),
    name: str,
    label: str,
    "label-variant": z.enum(["large"]).optional(),
    required: dynBool.optional(),
    "max-length": dynInt.optional(),
    "helper-text": str.optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "init-value": str.optional(),
    "error-message": str.optional(),
  }),
  CheckboxGroup: z.strictObject({
    type: z.literal("CheckboxGroup"),
    name: str,
    label: str,
    description: str.optional(),
    "data-source": dataSource(20),
    "min-selected-items": dynInt.optional(),
    "max-selected-items": dynInt.optional(),
    required: dynBool.optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "init-value": z.union([strList, binding]).optional(),
    "error-message": str.optional(),
    "media-size": z.enum(["regular", "large"]).optional(),
    "on-select-action": action.optional(),
    "on-unselect-action": action.optional(),
  }),
  RadioButtonsGroup: z.strictObject({
    type: z.literal("RadioButtonsGroup"),
    name: str,
    label: str,
    description: str.optional(),
    "data-source": dataSource(20),
    required: dynBool.optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "init-value": str.optional(),
    "error-message": str.optional(),
    "media-size": z.enum(["regular", "large"]).optional(),
    "on-select-action": action.optional(),
    "on-unselect-action": action.optional(),
  }),
  Dropdown: z.strictObject({
    type: z.literal("Dropdown"),
    name: str,
    label: str,
    "data-source": dataSource(200),
    required: dynBool.optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "init-value": str.optional(),
    "error-message": str.optional(),
    "on-select-action": action.optional(),
    "on-unselect-action": action.optional(),
  }),
  ChipsSelector: z.strictObject({
    type: z.literal("ChipsSelector"),
    name: str,
    label: str,
    description: str.optional(),
    "data-source": z.union([z.array(DataSourceItemSchema).min(2).max(20), binding]),
    "min-selected-items": dynInt.optional(),
    "max-selected-items": dynInt.optional(),
    required: dynBool.optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "init-value": z.union([strList, binding]).optional(),
    "error-message": str.optional(),
    "on-select-action": action.optional(),
    "on-unselect-action": action.optional(),
  }),
  DatePicker: z.strictObject({
    type: z.literal("DatePicker"),
    name: str,
    label: str,
    "min-date": str.optional(),
    "max-date": str.optional(),
    "unavailable-dates": z.union([strList, binding]).optional(),
    "helper-text": str.optional(),
    required: dynBool.optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "on-select-action": action.optional(),
    "init-value": str.optional(),
    "error-message": str.optional(),
  }),
  CalendarPicker: z.strictObject({
    type: z.literal("CalendarPicker"),
    name: str,
    label: rangeOr(str),
    title: str.optional(),
    description: str.optional(),
    "helper-text": rangeOr(str).optional(),
    required: rangeOr(dynBool).optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    mode: z.enum(["single", "range"]).optional(),
    "min-date": str.optional(),
    "max-date": str.optional(),
    "unavailable-dates": z.union([strList, binding]).optional(),
    "include-days": z.union([z.array(z.enum(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])), binding]).optional(),
    "min-days": dynInt.optional(),
    "max-days": dynInt.optional(),
    "on-select-action": action.optional(),
    "init-value": rangeOr(str).optional(),
    "error-message": rangeOr(str).optional(),
  }),
  OptIn: z.strictObject({
    type: z.literal("OptIn"),
    name: str,
    label: str,
    required: dynBool.optional(),
    visible: dynBool.optional(),
    "init-value": dynBool.optional(),
    "on-click-action": action.optional(),
    "on-select-action": action.optional(),
    "on-unselect-action": action.optional(),
  }),
  EmbeddedLink: z.strictObject({ type: z.literal("EmbeddedLink"), text: str, "on-click-action": action, visible: dynBool.optional() }),
  Footer: z.strictObject({
    type: z.literal("Footer"),
    label: str,
    "left-caption": str.optional(),
    "center-caption": str.optional(),
    "right-caption": str.optional(),
    enabled: dynBool.optional(),
    "on-click-action": action,
  }),
  Image: z.strictObject({
    type: z.literal("Image"),
    src: str,
    width: dynInt.optional(),
    height: dynInt.optional(),
    "scale-type": z.enum(["cover", "contain"]).optional(),
    "aspect-ratio": z.union([z.number(), binding]).optional(),
    "alt-text": str.optional(),
    visible: dynBool.optional(),
  }),
  ImageCarousel: z.strictObject({
    type: z.literal("ImageCarousel"),
    images: z.union([
      z
        .array(z.strictObject({ src: str, "alt-text": str }))
        .min(1)
        .max(3),
      binding,
    ]),
    "aspect-ratio": z.enum(["4:3", "16:9"]).optional(),
    "scale-type": z.enum(["cover", "contain"]).optional(),
  }),
  PhotoPicker: z.strictObject({
    type: z.literal("PhotoPicker"),
    name: str,
    label: str,
    description: str.optional(),
    "photo-source": z.enum(["camera_gallery", "camera", "gallery"]).optional(),
    "max-file-size-kb": z.union([z.number().int().min(1).max(25600), binding]).optional(),
    "min-uploaded-photos": z.union([z.number().int().min(0).max(30), binding]).optional(),
    "max-uploaded-photos": z.union([z.number().int().min(1).max(30), binding]).optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "error-message": str.optional(),
  }),
  DocumentPicker: z.strictObject({
    type: z.literal("DocumentPicker"),
    name: str,
    label: str,
    description: str.optional(),
    "max-file-size-kb": z.union([z.number().int().min(1).max(25600), binding]).optional(),
    "min-uploaded-documents": z.union([z.number().int().min(0).max(30), binding]).optional(),
    "max-uploaded-documents": z.union([z.number().int().min(1).max(30), binding]).optional(),
    "allowed-mime-types": z.union([strList, binding]).optional(),
    enabled: dynBool.optional(),
    visible: dynBool.optional(),
    "error-message": str.optional(),
  }),
  NavigationList: z.strictObject({
    type: z.literal("NavigationList"),
    name: str,
    "list-items": z.union([z.array(NavigationItemSchema).min(1).max(20), binding]),
    label: str.optional(),
    description: str.optional(),
    "media-size": z.enum(["regular", "large"]).optional(),
    "on-click-action": action.optional(),
  }),
  If: z.strictObject({ type: z.literal("If"), condition: str, then: z.array(z.unknown()).min(1), else: z.array(z.unknown()).optional() }),
  Switch: z.strictObject({ type: z.literal("Switch"), value: str, cases: z.record(z.string(), z.array(z.unknown())) }),
  Form: z.strictObject({
    type: z.literal("Form"),
    name: str,
    children: z.array(z.unknown()).min(1),
    "init-values": z.union([z.record(z.string(), z.unknown()), binding]).optional(),
    "error-messages": z.union([z.record(z.string(), z.unknown()), binding]).optional(),
  }),
} as const;

export type ComponentType = keyof typeof COMPONENTS;

/** First Flow JSON version with each component ("2.1" = base). */
export const COMPONENT_SINCE: Readonly<Record<ComponentType, string>> = {
  TextHeading: "2.1",
  TextSubheading: "2.1",
  TextBody: "2.1",
  TextCaption: "2.1",
  RichText: "5.1",
  TextInput: "2.1",
  TextArea: "2.1",
  CheckboxGroup: "2.1",
  RadioButtonsGroup: "2.1",
  Dropdown: "2.1",
  ChipsSelector: "6.3",
  DatePicker: "2.1",
  CalendarPicker: "6.1",
  OptIn: "2.1",
  EmbeddedLink: "2.1",
  Footer: "2.1",
  Image: "2.1",
  ImageCarousel: "7.1",
  PhotoPicker: "4.0",
  DocumentPicker: "4.0",
  NavigationList: "6.2",
  If: "4.0",
  Switch: "4.0",
  Form: "2.1",
};

/** Properties added after their component: `type → prop → first version`. */
export const PROPERTY_SINCE: Readonly<Partial<Record<ComponentType, Readonly<Record<string, string>>>>> = {
  TextBody: { markdown: "5.1" },
  TextCaption: { markdown: "5.1" },
  TextInput: { "init-value": "4.0", "error-message": "4.0", pattern: "6.2", "label-variant": "7.0" },
  TextArea: { "init-value": "4.0", "error-message": "4.0", "label-variant": "7.0" },
  CheckboxGroup: { description: "4.0", "init-value": "4.0", "error-message": "4.0", "media-size": "5.0", "on-unselect-action": "6.0" },
  RadioButtonsGroup: { description: "4.0", "init-value": "4.0", "error-message": "4.0", "media-size": "5.0", "on-unselect-action": "6.0" },
  Dropdown: { "init-value": "4.0", "error-message": "4.0", "on-unselect-action": "6.0" },
  ChipsSelector: { "on-select-action": "7.1", "on-unselect-action": "7.1" },
  DatePicker: { "init-value": "4.0", "error-message": "4.0" },
  OptIn: { "init-value": "4.0", "on-select-action": "6.0", "on-unselect-action": "6.0" },
};

/** Properties optional at first and required from a version: `type → prop → version`. */
export const REQUIRED_SINCE: Readonly<Partial<Record<ComponentType, Readonly<Record<string, string>>>>> = {
  CheckboxGroup: { label: "4.0" },
  RadioButtonsGroup: { label: "4.0" },
};

/** Display limits (characters); exceeding one is a warning, not an error (see README). */
export const CHAR_LIMITS: Readonly<Partial<Record<ComponentType, Readonly<Record<string, number>>>>> = {
  TextHeading: { text: 80 },
  TextSubheading: { text: 80 },
  TextBody: { text: 4096 },
  TextCaption: { text: 409 },
  TextInput: { label: 20, "helper-text": 80, "error-message": 30 },
  TextArea: { label: 20, "helper-text": 80 },
  CheckboxGroup: { label: 30 },
  RadioButtonsGroup: { label: 30 },
  Dropdown: { label: 20 },
  ChipsSelector: { label: 80, description: 300 },
  DatePicker: { label: 40, "helper-text": 80, "error-message": 80 },
  CalendarPicker: { title: 80, description: 300, label: 40, "helper-text": 80, "error-message": 80 },
  OptIn: { label: 120 },
  EmbeddedLink: { text: 25 },
  Footer: { label: 35, "left-caption": 15, "center-caption": 15, "right-caption": 15 },
  PhotoPicker: { label: 80, description: 300 },
  DocumentPicker: { label: 80, description: 300 },
  NavigationList: { label: 80, description: 300 },
};

/** Data-source item limits (characters), warnings. */
export const DATA_SOURCE_ITEM_LIMITS: Readonly<Record<string, number>> = { title: 30, description: 300, metadata: 20 };
/** Data-source item properties added after the base version. */
export const DATA_SOURCE_ITEM_SINCE: Readonly<Record<string, string>> = {
  image: "5.0",
  "alt-text": "5.0",
  color: "5.0",
  "on-select-action": "6.0",
  "on-unselect-action": "6.0",
};

export const INPUT_TYPES: ReadonlySet<string> = new Set([
  "TextInput",
  "TextArea",
  "CheckboxGroup",
  "RadioButtonsGroup",
  "Dropdown",
  "ChipsSelector",
  "DatePicker",
  "CalendarPicker",
  "OptIn",
  "PhotoPicker",
  "DocumentPicker",
]);
export const PICKER_TYPES: ReadonlySet<string> = new Set(["PhotoPicker", "DocumentPicker"]);

const cache = new Map<string, z.ZodType | null>();

/** Schema of component `type` for Flow JSON `version` (a `versionNumber`); null when the type does not exist then. */
export function componentSchema(type: string, version: number): z.ZodType | null {
  const key = `${type}@${version}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let schema: z.ZodType | null = null;
  if (Object.prototype.hasOwnProperty.call(COMPONENTS, type)) {
    const t = type as ComponentType;
    if (!(version < versionNumber(COMPONENT_SINCE[t]))) {
      // one of the component objects, seen through the shape-agnostic API that .omit()/.partial() need
      let s = COMPONENTS[t] as unknown as z.ZodObject;
      const omit: Record<string, true> = {};
      for (const [prop, since] of Object.entries(PROPERTY_SINCE[t] ?? {})) if (version < versionNumber(since)) omit[prop] = true;
      if (Object.keys(omit).length) s = s.omit(omit) as z.ZodObject;
      const partial: Record<string, true> = {};
      for (const [prop, since] of Object.entries(REQUIRED_SINCE[t] ?? {}))
        if (version < versionNumber(since) && !omit[prop]) partial[prop] = true;
      if (Object.keys(partial).length) s = s.partial(partial) as z.ZodObject;
      schema = s;
    }
  }
  cache.set(key, schema);
  return schema;
}

export const DataFieldSchema: z.ZodType<Record<string, unknown>> = z.record(z.string(), z.unknown());

export const ScreenSchema = z.strictObject({
  id: z.string(),
  title: z.string().optional(),
  terminal: z.boolean().optional(),
  success: z.boolean().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  layout: z.strictObject({ type: z.literal("SingleColumnLayout"), children: z.array(z.unknown()) }).optional(),
  refresh_on_back: z.boolean().optional(),
  sensitive: z.array(z.string()).optional(),
});

export const DocumentSchema = z.strictObject({
  version: z.unknown(),
  screens: z.array(z.unknown()),
  data_api_version: z.string().optional(),
  routing_model: z.record(z.string(), z.array(z.string())).optional(),
  data_channel_uri: z.string().optional(),
  meta: z.strictObject({ lead_gen_ai: z.boolean().optional() }).optional(),
});

/** Screen schema for a version (drops `sensitive` before 5.1). */
export function screenSchema(version: number): z.ZodType {
  const key = `screen@${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const s = version < versionNumber("5.1") ? ScreenSchema.omit({ sensitive: true }) : ScreenSchema;
  cache.set(key, s);
  return s;
}

/** Document schema for a version (drops `meta` before 5.1 and `data_channel_uri` from 3.0). */
export function documentSchema(version: number): z.ZodType {
  const key = `doc@${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let s = DocumentSchema as unknown as z.ZodObject;
  if (version < versionNumber("5.1")) s = s.omit({ meta: true }) as z.ZodObject;
  if (!(version < versionNumber("3.0"))) s = s.omit({ data_channel_uri: true }) as z.ZodObject;
  cache.set(key, s);
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// Static types (newest version), inferred from the schemas; containers are recursive.

type Leaf<T extends Exclude<ComponentType, "If" | "Switch" | "Form">> = z.infer<(typeof COMPONENTS)[T]>;
type WithActions<T> = { [K in keyof T]: K extends `on-${string}-action` ? FlowAction | Exclude<T[K], z.infer<typeof ActionSchema>> : T[K] };

export type LeafComponent = {
  [T in Exclude<ComponentType, "If" | "Switch" | "Form">]: WithActions<Leaf<T>>;
}[Exclude<ComponentType, "If" | "Switch" | "Form">];

export interface IfComponent {
  type: "If";
  condition: string;
  then: FlowComponent[];
  else?: FlowComponent[];
}
export interface SwitchComponent {
  type: "Switch";
  value: string;
  cases: Record<string, FlowComponent[]>;
}
export interface FormComponent {
  type: "Form";
  name: string;
  children: FlowComponent[];
  "init-values"?: Record<string, unknown> | string;
  "error-messages"?: Record<string, unknown> | string;
}
export type FlowComponent = LeafComponent | IfComponent | SwitchComponent | FormComponent;

export interface ScreenDataField {
  type: "string" | "number" | "integer" | "boolean" | "array" | "object";
  items?: unknown;
  properties?: Record<string, unknown>;
  __example__?: unknown;
  [k: string]: unknown;
}

export interface FlowScreen {
  id: string;
  title?: string;
  terminal?: boolean;
  success?: boolean;
  data?: Record<string, ScreenDataField>;
  layout: { type: "SingleColumnLayout"; children: FlowComponent[] };
  refresh_on_back?: boolean;
  sensitive?: string[];
}

export type PublishableVersion = "5.1" | "6.0" | "6.1" | "6.2" | "6.3" | "7.0" | "7.1" | "7.2" | "7.3";

export interface FlowJson {
  version: PublishableVersion | (string & {});
  screens: FlowScreen[];
  data_api_version?: "3.0" | "4.0";
  routing_model?: Record<string, string[]>;
  data_channel_uri?: string;
  meta?: { lead_gen_ai?: boolean };
}

/** Identity helper giving a Flow written in TypeScript autocompletion and type errors. */
export function defineFlow<const T extends FlowJson>(flow: T): T {
  return flow;
}
