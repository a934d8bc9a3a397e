/** The request log tests read: one entry per vendor request (admin calls are not logged). */

export interface RequestLogEntry {
  /** 1, 2, 3… in arrival order (keeps counting across clearRequests/reset). */
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  vendor: string;
  /** Operation name, e.g. "CreateWhatsAppFlow"; "DownloadFlowAsset" for downloadUrl fetches; "Unknown" otherwise. */
  operation: string;
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
  errorType?: string;
  /** `x-amzn-requestid` (AWS) we answered with. */
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

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  push(e: RequestLogEntry): void {
    this.entries.push(e);
  }

  list(filter?: { operation?: string; since?: number }): RequestLogEntry[] {
    return this.entries
      .filter((e) => (filter?.operation === undefined || e.operation === filter.operation) && (filter?.since === undefined || e.seq > filter.since))
      .map((e) => structuredClone(e));
  }

  clear(): void {
    this.entries = [];
  }
}
