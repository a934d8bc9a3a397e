/**
 * Input checking for both resources with zod: shapes, lengths and enums that every vendor enforces,
 * caught at `pulumi preview` before any API call. Values still unknown during preview pass.
 */
import { z } from "zod";
import { FLOW_CATEGORIES, isUnknown } from "../model";
import type { FlowAssetsInputs, FlowInputs } from "../model";

export interface CheckFailure {
  property: string;
  reason: string;
}

const wabaSchema = z
  .string()
  .min(1)
  .max(115)
  .regex(/(^waba-[0-9a-zA-Z]+$)|(^arn:.*:waba\/[0-9a-zA-Z]+$)/, {
    message: "must be an AWS linked-WABA id (waba-…) or a WABA ARN (arn:…:waba/…)",
  });

export const flowInputsSchema = z.object({
  waba: wabaSchema,
  name: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  categories: z
    .array(z.enum(FLOW_CATEGORIES))
    .min(1, "needs at least one category")
    .max(9, "takes at most 9 categories")
    .refine((c) => new Set(c).size === c.length, "must not repeat a category"),
  cloneFlowId: z.string().regex(/^[0-9]{1,100}$/, "must be a numeric flow id").optional(),
  adoptExisting: z.boolean().optional(),
});

export const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;

export const flowAssetsInputsSchema = z.object({
  waba: wabaSchema,
  flowId: z.string().regex(/^[0-9]{1,100}$/, "must be a numeric flow id"),
  flowName: z.string().min(1),
  flowJson: z
    .string()
    .min(1, "must not be empty")
    .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_FLOW_JSON_BYTES, "must be at most 10 MB (10,485,760 bytes)"),
  sourcePath: z.string().optional(),
  publish: z.boolean().default(false),
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

export function checkFlowInputs(news: any): { inputs: FlowInputs; failures: CheckFailure[] } {
  const { parsed, unknowns } = parseKnown(flowInputsSchema, news);
  if (!parsed.success) return { inputs: news, failures: toFailures(parsed.error) };
  const v = { ...parsed.data, ...unknowns } as z.infer<typeof flowInputsSchema>;
  return {
    inputs: compact({
      waba: v.waba,
      name: v.name,
      categories: v.categories as FlowInputs["categories"],
      cloneFlowId: v.cloneFlowId,
      adoptExisting: v.adoptExisting,
    }) as FlowInputs,
    failures: [],
  };
}

export function checkFlowAssetsInputs(news: any): { inputs: FlowAssetsInputs; failures: CheckFailure[] } {
  const { parsed, unknowns } = parseKnown(flowAssetsInputsSchema, news);
  if (!parsed.success) {
    // Never echo the Flow JSON back in a failure: it may be megabytes.
    return { inputs: news, failures: toFailures(parsed.error).map((f) => (f.property === "flowJson" ? { ...f, property: "" , reason: `flowJson ${f.reason.replace(/^flowJson /, "")}` } : f)) };
  }
  const v = { ...parsed.data, ...unknowns } as z.infer<typeof flowAssetsInputsSchema>;
  return {
    inputs: compact({
      waba: v.waba,
      flowId: v.flowId,
      flowName: v.flowName,
      flowJson: v.flowJson,
      sourcePath: v.sourcePath,
      publish: v.publish as boolean,
    }) as FlowAssetsInputs,
    failures: [],
  };
}

export { isUnknown };
