/** Plain HTTP helpers shared by backends (undici, loaded lazily), with bounded retries on 429/5xx. */
import { BackendError } from "./types";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fetches a presigned/CDN download URL (asset downloads carry no vendor credentials). */
export async function downloadText(url: string, attempts = 4): Promise<string> {
  const { request } = require("undici") as typeof import("undici");
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await request(url, { method: "GET" });
      const text = await res.body.text();
      if (res.statusCode === 200) return text;
      lastError = new BackendError(res.statusCode === 404 ? "NOT_FOUND" : "TRANSIENT", `download of Flow JSON failed: HTTP ${res.statusCode}`, undefined, res.statusCode);
      if (res.statusCode !== 429 && res.statusCode < 500) throw lastError;
    } catch (e) {
      if (e instanceof BackendError && e.kind === "NOT_FOUND") throw e;
      lastError = e;
    }
    await sleep(Math.min(100 * 2 ** attempt, 2000) * Math.random());
  }
  throw lastError instanceof Error ? lastError : new BackendError("TRANSIENT", String(lastError));
}
