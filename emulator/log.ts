/** The request log tests read: one entry per vendor request (admin calls are not logged). */

export interface RequestLogEntry {
  /** 1, 2, 3… in arrival order (keeps counting across clearRequests/reset). */
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  /** "aws", "meta", "360dialog" or "8x8". */
  vendor: string;
  /** The vendor's operation name, e.g. "CreateWhatsAppFlow"; "DownloadFlowAsset" for download URL fetches; "Unknown" otherwise. */
  operation: string;
  /** Vendor-neutral action: create, upload, publish, deprecate, delete, get, list, update, preview, download, migrate, account, unknown. */
  action: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /**
   * Decoded JSON body (POST) or null. Flow JSON content is never recorded: `flowJson` becomes
   * `{bytes, sha256}` of the decoded bytes (or `{invalidBase64: true, length}`).
   */
  body: unknown;
  /** HTTP status answered; 0 when the connection was dropped. */
  status: number;
  /** Error name: AWS exception class; Graph `code` (e.g. "100", "139001"); 8x8 `code`; 360dialog "http_<status>". */
  errorType?: string;
  /** The request/trace id we answered with: AWS `x-amzn-requestid`, Graph `fbtrace_id`, 360dialog trace id, 8x8 `errorId`. */
  requestId?: string;
  /** Attempt number from `amz-sdk-request: attempt=N; max=M`, when sent. */
  attempt?: number;
  /** `amz-sdk-invocation-id` (the same on every retry of one SDK call), when sent. */
  invocationId?: string;
  /** Kind of the injected fault that shaped this answer, if any. */
  fault?: string;
  /** Milliseconds spent answering. */
  durationMs: number;
}

export interface RequestFilter {
  /** Vendor operation name or neutral action. */
  operation?: string;
  action?: string;
  vendor?: string;
  /** Only entries with a larger `seq`. */
  since?: number;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  push(e: RequestLogEntry): void {
    this.entries.push(e);
  }

  /** `operation` matches the vendor operation or the neutral action; `vendor` one dialect. */
  list(filter?: RequestFilter): RequestLogEntry[] {
    return this.entries
      .filter(
        (e) =>
          (filter?.operation === undefined || e.operation === filter.operation || e.action === filter.operation) &&
          (filter?.action === undefined || e.action === filter.action) &&
          (filter?.vendor === undefined || e.vendor === filter.vendor) &&
          (filter?.since === undefined || e.seq > filter.since),
      )
      .map((e) => structuredClone(e));
  }

  clear(): void {
    this.entries = [];
  }
}
