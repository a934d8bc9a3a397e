/**
 * Input checking for both resources with zod: shapes, lengths and enums that every vendor enforces,
 * caught at `pulumi preview` before any API call. Values still unknown during preview pass.
 */
import type { z } from "zod";
import { FLOW_CATEGORIES, FLOW_ID_PATTERN, MAX_FLOW_JSON_BYTES, UNKNOWN, isUnknown } from "../model";
import type { InitialAssets } from "../model";
import { missingSettings } from "../settings";
import { parseAccountRef, vendorOf } from "../vendors/registry";

export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * The input schemas, built on first use: zod is loaded by the first `check` only, so a refresh or a destroy
 * (which never check) does not load it (docs/design.md, "Our own CPU").
 */
function buildSchemas() {
  const { z } = require("zod") as typeof import("zod");
  /** An account reference of any vendor in the registry (the vendor's own format is named in the error). */
  const wabaSchema = z.string().superRefine((ref, ctx) => {
    const parsed = parseAccountRef(ref);
    if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
  });

  const flowIdSchema = z.string().regex(FLOW_ID_PATTERN, "must be a numeric flow id (Meta's id, which every vendor uses)");

  const endpointUriSchema = z
    .string()
    .max(2048, "must be at most 2048 characters")
    .refine((u) => {
      try {
        const url = new URL(u);
        return url.protocol === "https:" && url.hostname !== "";
      } catch {
        return false;
      }
    }, "must be an https URL (e.g. https://example.com/whatsapp/flows); vendors call it from the internet");

  const flowInputsSchema = z.object({
    /** The account reference, in one of the registry's formats (`accountFormat` of each entry). */
    waba: wabaSchema,
    name: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    categories: z
      .array(z.enum(FLOW_CATEGORIES))
      .min(1, "needs at least one category")
      .max(9, "takes at most 9 categories")
      .refine((c) => new Set(c).size === c.length, "must not repeat a category"),
    /** Create the flow as a copy of this flow (same WABA). Only used at creation. */
    cloneFlowId: flowIdSchema.optional(),
    /** Take over an existing flow of the same name instead of failing (import does not work for dynamic resources). */
    adoptExisting: z.boolean().optional(),
    /** Take over this existing flow (by id) instead of creating one. Creation only. */
    adoptFlowId: flowIdSchema.optional(),
    /** The business's endpoint for data-exchange flows (https). Metadata: changed in place like the name. */
    endpointUri: endpointUriSchema.optional(),
    /** The application the endpoint belongs to, where the vendor takes one (Meta: the connected app). */
    applicationId: z
      .string()
      .regex(/^[0-9A-Za-z_-]{1,100}$/, "must be an application id (e.g. Meta's numeric app id)")
      .optional(),
    // Creation only; its values may still be unknown during preview (check validates the JSON itself).
    initialAssets: z
      .object({
        flowJson: z.string().optional(),
        flowJsonSha256: z.string().optional(),
        publish: z.union([z.boolean(), z.literal(UNKNOWN)]).optional(),
        sourcePath: z.string().optional(),
        promotion: z.any().optional(),
      })
      .passthrough()
      .optional(),
  });

  const flowAssetsInputsSchema = z.object({
    waba: wabaSchema,
    flowId: flowIdSchema,
    /** Used in messages only: which flow a problem belongs to. */
    flowName: z.string().min(1),
    /**
     * The Flow JSON text, exactly as uploaded. What the program sends; `check` keeps it in the deployment's
     * memory and returns only `flowJsonSha256`, so the state never holds the text (hooks/checked-json.ts).
     */
    flowJson: z
      .string()
      .min(1, "must not be empty")
      .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_FLOW_JSON_BYTES, "must be at most 10 MB (10,485,760 bytes)"),
    /** Where the JSON came from (for file:line:column in messages); not compared. */
    sourcePath: z.string().optional(),
    publish: z.boolean().default(false),
    /** Fetch the vendor's preview link (`previewUrl`) when no read of ours returned one: one call more per create or update. */
    preview: z.boolean().optional(),
    /** The flow's endpoint URI (from the Flow), for the preview-time rules of endpoint flows; not compared. */
    endpointUri: z.string().optional(),
    /** Promotion gate: the JSON another stack has published, which this one must equal; not compared. */
    promotion: z.object({ stack: z.string(), flowJsonSha256: z.string().nullable(), status: z.string().nullable() }).optional(),
    // Informational (the Flow's categories, for replacements); may still be unknown during preview.
    categories: z.array(z.string()).optional(),
    /**
     * Informational, not compared: what the Flow's create left when it carried the Flow JSON (hash, status;
     * FlowOutputs.createdWith). A FlowAssets without state plans from it instead of a read and a download.
     */
    flowCreatedWith: z.object({ flowJsonSha256: z.string(), status: z.string() }).optional(),
    /**
     * Informational, creation only (not compared): the Flow adopts an existing flow, by id or by name, so
     * the first preview can say what changes about that flow's JSON (provider/hooks/adoption-preview.ts).
     * Either value may still be unknown during preview.
     */
    adopt: z.object({ flowId: z.string().optional(), byName: z.union([z.boolean(), z.literal(UNKNOWN)]).optional() }).optional(),
  });
  return { flowInputsSchema, flowAssetsInputsSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;
export function inputSchemas(): Schemas {
  return (schemas ??= buildSchemas());
}

/** The Flow's checked inputs (`initialAssets` typed as what check makes of it: provider/model.ts). */
export type FlowInputs = Omit<z.output<Schemas["flowInputsSchema"]>, "initialAssets"> & { initialAssets?: InitialAssets };

/**
 * FlowAssets' checked inputs. `flowJson` is optional once checked (the state keeps only its hash);
 * `flowJsonSha256` is computed by check: the canonical hash of `flowJson`, what diff compares.
 */
export type FlowAssetsInputs = Omit<z.output<Schemas["flowAssetsInputsSchema"]>, "flowJson"> & {
  flowJson?: string;
  flowJsonSha256?: string;
  /** Computed by check: SHA-256 of the exact text it validated, so the next check of the same text skips the validator. Not compared. */
  checkedTextSha256?: string;
};

/**
 * Parses the inputs whose values are known; a value still unknown during preview (the whole value or
 * an element of it) is left out of the check, so messages stay precise for the rest.
 */
function parseKnown<S extends z.ZodObject>(schema: S, news: Record<string, unknown> | undefined) {
  const values: Record<string, unknown> = { ...(news ?? {}) };
  const unknownKeys: Record<string, true> = {};
  for (const key of Object.keys(schema.shape)) {
    if (isUnknown(values[key])) {
      unknownKeys[key] = true;
      delete values[key];
    }
  }
  const parsed = withoutKeys(schema, unknownKeys).safeParse(values);
  return { parsed, unknowns: Object.fromEntries(Object.keys(unknownKeys).map((k) => [k, values[k] ?? news?.[k]])) };
}

/**
 * `schema.omit(keys)`, made once per set of keys: building a zod schema costs 15 times its parse (0.3 ms
 * against 0.02), and every check of every resource used to build one (docs/design.md, "Our own CPU").
 */
const omitted = new WeakMap<z.ZodObject, Map<string, z.ZodObject>>();
function withoutKeys(schema: z.ZodObject, keys: Record<string, true>): z.ZodObject {
  const id = Object.keys(keys).sort().join(",");
  if (id === "") return schema;
  let bySet = omitted.get(schema);
  if (!bySet) omitted.set(schema, (bySet = new Map()));
  let s = bySet.get(id);
  if (!s) bySet.set(id, (s = schema.omit(keys)));
  return s;
}

function toFailures(error: z.ZodError): CheckFailure[] {
  return error.issues.map((issue) => ({
    property: String(issue.path[0] ?? ""),
    reason: `${issue.path.length ? issue.path.join(".") + " " : ""}${issue.message}`,
  }));
}

/** Drops keys whose value is undefined: protobuf Structs reject `undefined`. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * What the account's vendor cannot do or does not have yet: categories it does not take, cloning,
 * a missing credential. Caught at preview, naming the vendor and the property.
 */
export function vendorFailures(
  waba: unknown,
  wanted: { categories?: unknown; cloneFlowId?: unknown; endpointUri?: unknown; applicationId?: unknown },
): CheckFailure[] {
  if (typeof waba !== "string" || isUnknown(waba)) return [];
  const parsed = parseAccountRef(waba);
  if ("error" in parsed) return [];
  const entry = vendorOf(parsed.account);
  const failures: CheckFailure[] = [];
  if (Array.isArray(wanted.categories) && !isUnknown(wanted.categories)) {
    const refused = wanted.categories.filter((c) => !entry.capabilities.categories.includes(c));
    if (refused.length > 0) {
      failures.push({
        property: "categories",
        reason: `${entry.displayName} does not accept ${refused.join(", ")}; it takes ${entry.capabilities.categories.join(", ")}`,
      });
    }
  }
  if (wanted.cloneFlowId !== undefined && !entry.capabilities.clone) {
    failures.push({ property: "cloneFlowId", reason: `${entry.displayName} cannot clone flows` });
  }
  if (wanted.endpointUri !== undefined && !entry.capabilities.endpointUri) {
    failures.push({
      property: "endpointUri",
      reason: `${entry.displayName} does not support endpoint (data-exchange) flows yet, so a flow there cannot have an endpoint URI`,
    });
  }
  if (wanted.applicationId !== undefined && entry.capabilities.applicationId === "none") {
    failures.push({ property: "applicationId", reason: `${entry.displayName} takes no application id for a flow` });
  }
  const missing = missingSettings(entry);
  if (missing) failures.push({ property: "waba", reason: missing });
  return failures;
}

/** What Pulumi hands `check`: the program's inputs, untyped (some values still unknown during preview). */
export type RawInputs = Record<string, unknown> | undefined;

export function checkFlowInputs(news: RawInputs): { inputs: FlowInputs; failures: CheckFailure[] } {
  const { parsed, unknowns } = parseKnown(inputSchemas().flowInputsSchema, news);
  // On failure the inputs go back to Pulumi as given (it shows them beside the failures).
  if (!parsed.success) return { inputs: news as FlowInputs, failures: toFailures(parsed.error) };
  const v = { ...parsed.data, ...unknowns } as FlowInputs;
  const failures = vendorFailures(v.waba, v);
  if (failures.length > 0) return { inputs: news as FlowInputs, failures };
  return {
    inputs: compact({
      waba: v.waba,
      name: v.name,
      categories: v.categories,
      cloneFlowId: v.cloneFlowId,
      adoptExisting: v.adoptExisting,
      adoptFlowId: v.adoptFlowId,
      endpointUri: v.endpointUri,
      applicationId: v.applicationId,
      initialAssets: v.initialAssets as FlowInputs["initialAssets"],
    }),
    failures: [],
  };
}

export function checkFlowAssetsInputs(news: RawInputs): { inputs: FlowAssetsInputs; failures: CheckFailure[] } {
  const { parsed, unknowns } = parseKnown(inputSchemas().flowAssetsInputsSchema, news);
  if (!parsed.success) {
    // Never echo the Flow JSON back in a failure: it may be megabytes.
    return {
      inputs: compact({ ...news }) as FlowAssetsInputs,
      failures: toFailures(parsed.error).map((f) =>
        f.property === "flowJson" ? { ...f, property: "", reason: `flowJson ${f.reason.replace(/^flowJson /, "")}` } : f,
      ),
    };
  }
  const v = { ...parsed.data, ...unknowns } as z.output<Schemas["flowAssetsInputsSchema"]>;
  const failures = vendorFailures(v.waba, {});
  if (failures.length > 0) return { inputs: news as FlowAssetsInputs, failures };
  return {
    inputs: compact({
      waba: v.waba,
      flowId: v.flowId,
      flowName: v.flowName,
      flowJson: v.flowJson,
      sourcePath: v.sourcePath,
      publish: v.publish,
      preview: v.preview,
      endpointUri: v.endpointUri,
      promotion: v.promotion,
      categories: v.categories,
      flowCreatedWith: v.flowCreatedWith,
      adopt: v.adopt,
    }),
    failures: [],
  };
}

export { isUnknown };
