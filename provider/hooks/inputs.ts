/**
 * Input checking for both resources with zod: shapes, lengths and enums that every vendor enforces,
 * caught at `pulumi preview` before any API call. Values still unknown during preview pass.
 */
import { z } from "zod";
import { FLOW_CATEGORIES, UNKNOWN, isUnknown } from "../model";
import type { FlowAssetsInputs, FlowInputs } from "../model";

export interface CheckFailure {
  property: string;
  reason: string;
}

const unknownOr = <T extends z.ZodTypeAny>(schema: T) => z.union([z.literal(UNKNOWN), schema]);

const wabaSchema = z
  .string()
  .min(1)
  .max(115)
  .regex(/(^waba-[0-9a-zA-Z]+$)|(^arn:.*:waba\/[0-9a-zA-Z]+$)/, {
    message: "must be an AWS linked-WABA id (waba-…) or a WABA ARN (arn:…:waba/…)",
  });

export const flowInputsSchema = z.object({
  waba: unknownOr(wabaSchema),
  name: unknownOr(z.string().min(1, "must not be empty").max(200, "must be at most 200 characters")),
  categories: unknownOr(
    z
      .array(unknownOr(z.enum(FLOW_CATEGORIES)))
      .min(1, "needs at least one category")
      .max(9, "takes at most 9 categories")
      .refine((c) => new Set(c).size === c.length, "must not repeat a category"),
  ),
  cloneFlowId: unknownOr(z.string().regex(/^[0-9]{1,100}$/, "must be a numeric flow id")).optional(),
  adoptExisting: unknownOr(z.boolean()).optional(),
});

export const MAX_FLOW_JSON_BYTES = 10 * 1024 * 1024;

export const flowAssetsInputsSchema = z.object({
  waba: unknownOr(wabaSchema),
  flowId: unknownOr(z.string().regex(/^[0-9]{1,100}$/, "must be a numeric flow id")),
  flowName: unknownOr(z.string().min(1)),
  flowJson: unknownOr(
    z
      .string()
      .min(1, "must not be empty")
      .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_FLOW_JSON_BYTES, "must be at most 10 MB (10,485,760 bytes)"),
  ),
  sourcePath: unknownOr(z.string()).optional(),
  publish: unknownOr(z.boolean()).default(false),
});

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
  const parsed = flowInputsSchema.safeParse(news ?? {});
  if (!parsed.success) return { inputs: news, failures: toFailures(parsed.error) };
  const v = parsed.data;
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
  const parsed = flowAssetsInputsSchema.safeParse(news ?? {});
  if (!parsed.success) {
    // Never echo the Flow JSON back in a failure: it may be megabytes.
    return { inputs: news, failures: toFailures(parsed.error).map((f) => (f.property === "flowJson" ? { ...f, property: "" , reason: `flowJson ${f.reason.replace(/^flowJson /, "")}` } : f)) };
  }
  const v = parsed.data;
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
