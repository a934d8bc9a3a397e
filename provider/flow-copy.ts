/**
 * A compact copy of deployed Flow JSON, kept in state so that a rejected upload over a live flow can be
 * rolled back without first downloading what the flow serves (issue 9: a JSON change costs 3 calls).
 * Gzip, base64. It is kept only while it is small: at most COPY_BASE_BYTES plus COPY_JSON_SHARE of the
 * JSON's size (the state budget is 3 KB per resource plus 15% of the JSON). Flow JSON is repetitive and
 * usually shrinks to 10-20% of its size before base64; JSON full of base64 images does not shrink, and then
 * no copy is kept and the rollback downloads the live JSON before uploading (two more calls). See
 * docs/design.md, "Rollback without a download".
 */
import { gunzipSync, gzipSync } from "node:zlib";

export const COPY_BASE_BYTES = 768;
export const COPY_JSON_SHARE = 0.12;

/** The copy to keep in state, or undefined when it would not fit the budget. */
export function compactCopy(flowJson: string): string | undefined {
  const bytes = Buffer.byteLength(flowJson, "utf8");
  const copy = gzipSync(flowJson).toString("base64");
  return copy.length <= COPY_BASE_BYTES + COPY_JSON_SHARE * bytes ? copy : undefined;
}

/** The text of a copy, or undefined when there is none or it is damaged (then the caller downloads). */
export function fromCompactCopy(copy: unknown): string | undefined {
  if (typeof copy !== "string" || copy === "") return undefined;
  try {
    return gunzipSync(Buffer.from(copy, "base64")).toString("utf8");
  } catch {
    return undefined;
  }
}
