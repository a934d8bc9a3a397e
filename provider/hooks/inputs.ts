/**
 * Input checking for both resources with zod: shapes, lengths and enums that every vendor enforces,
 * caught at `pulumi preview` before any API call. Values still unknown during preview pass.
 */
import { z } from "zod";
import { FLOW_CATEGORIES, UNKNOWN, isUnknown } from "../model";
import type { FlowAssetsInputs, FlowInputs } from "../model";
import { missingSettings } from "../settings";
import { parseAccountRef, vendorOf } from "../vendors/registry";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** An account reference of any vendor in the registry (the vendor's own format is named in the error). */
const wabaSchema = z.string().superRefine((ref, ctx) => {
  const parsed = parseAccountRef(ref);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
});

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

export const flowInputsSchema = z.object({
  waba: wabaSchema,
  name: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  categories: z
    .array(z.enum(FLOW_CATEGORIES))
    .min(1, "needs at least one category")
    .max(9, "takes at most 9 categories")
    .refine((c) => new Set(c).size === c.length, "must not repeat a category"),
  cloneFlowId: z
    .string()
    .regex(/^[0-9]{1,100}$/, "must be a numeric flow id (Meta's id, which every vendor uses)")
    .optional(),
  adoptExisting: z.boolean().optional(),
  adoptFlowId: z
    .string()
    .regex(/^[0-9]{1,100}$/, "must be a numeric flow id (Meta's id, which every vendor uses)")
    .optional(),
  endpointUri: endpointUriSchema.optional(),
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

export const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;

export const flowAssetsInputsSchema = z.object({
  waba: wabaSchema,
  flowId: z.string().regex(/^[0-9]{1,100}$/, "must be a numeric flow id (Meta's id, which every vendor uses)"),
  flowName: z.string().min(1),
  flowJson: z
    .string()
    .min(1, "must not be empty")
    .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_FLOW_JSON_BYTES, "must be at most 10 MB (10,485,760 bytes)"),
  sourcePath: z.string().optional(),
  publish: z.boolean().default(false),
  preview: z.boolean().optional(),
  endpointUri: z.string().optional(),
  promotion: z.object({ stack: z.string(), flowJsonSha256: z.string().nullable(), status: z.string().nullable() }).optional(),
  // Informational (the Flow's categories, for replacements); may still be unknown during preview.
  categories: z.array(z.string()).optional(),
  // Informational (the Flow validates the id); either value may still be unknown during preview.
  adopt: z.object({ flowId: z.string().optional(), byName: z.union([z.boolean(), z.literal(UNKNOWN)]).optional() }).optional(),
});

/**
 * Parses the inputs whose values are known; a value still unknown during preview (the whole value or
 * an element of it) is left out of the check, so messages stay precise for the rest.
 */
function parseKnown<S extends z.ZodObject<any>>(schema: S, news: any) {
  const values = { ...(news ?? {}) };
  const unknownKeys: Record<string, true> = {};
  for (const key of Object.keys(schema.shape)) {
    if (isUnknown(values[key])) {
      unknownKeys[key] = true;
      delete values[key];
    }
  }
  const parsed = schema.omit(unknownKeys).safeParse(values);
  return { parsed, unknowns: Object.fromEntries(Object.keys(unknownKeys).map((k) => [k, news[k]])) };
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

export function checkFlowInputs(news: any): { inputs: FlowInputs; failures: CheckFailure[] } {
  const { parsed, unknowns } = parseKnown(flowInputsSchema, news);
  if (!parsed.success) return { inputs: news, failures: toFailures(parsed.error) };
  const v = { ...parsed.data, ...unknowns } as z.infer<typeof flowInputsSchema>;
  const failures = vendorFailures(v.waba, v);
  if (failures.length > 0) return { inputs: news, failures };
  return {
    inputs: compact({
      waba: v.waba,
      name: v.name,
      categories: v.categories as FlowInputs["categories"],
      cloneFlowId: v.cloneFlowId,
      adoptExisting: v.adoptExisting,
      adoptFlowId: v.adoptFlowId,
      endpointUri: v.endpointUri,
      applicationId: v.applicationId,
      initialAssets: v.initialAssets as FlowInputs["initialAssets"],
    }) as FlowInputs,
    failures: [],
  };
}

export function checkFlowAssetsInputs(news: any): { inputs: FlowAssetsInputs; failures: CheckFailure[] } {
  const { parsed, unknowns } = parseKnown(flowAssetsInputsSchema, news);
  if (!parsed.success) {
    // Never echo the Flow JSON back in a failure: it may be megabytes.
    return {
      inputs: compact({ ...news }),
      failures: toFailures(parsed.error).map((f) =>
        f.property === "flowJson" ? { ...f, property: "", reason: `flowJson ${f.reason.replace(/^flowJson /, "")}` } : f,
      ),
    };
  }
  const v = { ...parsed.data, ...unknowns } as z.infer<typeof flowAssetsInputsSchema>;
  const failures = vendorFailures(v.waba, {});
  if (failures.length > 0) return { inputs: news, failures };
  return {
    inputs: compact({
      waba: v.waba,
      flowId: v.flowId,
      flowName: v.flowName,
      flowJson: v.flowJson,
      sourcePath: v.sourcePath,
      publish: v.publish as boolean,
      preview: v.preview,
      endpointUri: v.endpointUri,
      promotion: v.promotion,
      categories: v.categories,
      adopt: v.adopt as FlowAssetsInputs["adopt"],
    }) as FlowAssetsInputs,
    failures: [],
  };
}

export { isUnknown };
