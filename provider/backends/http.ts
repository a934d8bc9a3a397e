/** Plain HTTP helpers shared by backends (undici, loaded lazily), with bounded retries on 429/5xx. */
import { BackendError } from "./types";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fetches a presigned/CDN download URL (asset downloads carry no vendor credentials). */
export async function downloadText(url: string, attempts = 4): Promise<string> {
  const { request } = require("undici") as typeof import("undici");
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let status: number | undefined;
    let text = "";
    try {
      const res = await request(url, { method: "GET" });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      lastError = e; // connection-level failure: retried
    }
    if (status === 200) return text;
    if (status !== undefined) {
      const retryable = status === 429 || status >= 500;
      lastError = new BackendError(status === 404 ? "NOT_FOUND" : retryable ? "TRANSIENT" : "OTHER", `download of Flow JSON failed: HTTP ${status}`, undefined, status);
      if (!retryable) throw lastError;
    }
    if (attempt < attempts) await sleep(Math.min(100 * 2 ** attempt, 2000) * Math.random());
  }
  throw lastError instanceof Error ? lastError : new BackendError("TRANSIENT", String(lastError));
}
