import { createHash } from "node:crypto";

/**
 * What diff and refresh compare for Flow JSON: the SHA-256 of its canonical form (parsed and
 * re-serialised), so re-indenting a file or a vendor re-formatting the stored copy is no change.
 * Text that does not parse is hashed as it is.
 */
export function flowJsonSha256(text: string): string {
  let canonical = text;
  try {
    canonical = JSON.stringify(JSON.parse(text));
  } catch {
    /* keep the raw text */
  }
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
