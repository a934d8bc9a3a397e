/**
 * Fault injection: rules tests switch on per run, consumed in the order they were added. Each vendor
 * request takes the first rule that matches it (operation and/or flow name) and still has uses left.
 */

export type FaultAction =
  /** Wait, then answer normally. */
  | { kind: "latency"; ms: number }
  /** 429 ThrottledRequestException (in the dialect's envelope) with `Retry-After`. */
  | { kind: "throttle"; retryAfterSeconds: number }
  /**
   * Answer this error, in the vendor's envelope, instead of doing anything. `errorType` (AWS class,
   * Graph type), `code` (Graph / 8x8 / 360dialog code) and `message` default from the status;
   * `subcode` is Graph's `error_subcode`.
   */
  | { kind: "error"; status: number; errorType?: string; message?: string; code?: number; subcode?: number }
  /** Do the operation (state changes), then answer an error (default 500, e.g. AWS InternalServiceException). */
  | { kind: "apply-then-fail"; status?: number; errorType?: string; message?: string; code?: number; subcode?: number }
  /** For create / asset upload: store the JSON but report these problems as if Meta found them. */
  | { kind: "validation-errors"; errors: object[] }
  /** Destroy the socket without answering (the client sees ECONNRESET / "socket hang up"). */
  | { kind: "drop-connection" }
  /**
   * A vendor's rate limit: the matching requests share a token bucket of `burst` requests (default
   * `perSecond`) refilled at `perSecond`; a request finding it empty gets the dialect's 429 with
   * `Retry-After` (whole seconds, at least 1), the others pass, after `ms` of latency if given. The rule
   * lasts `times` requests (default: for ever, unlike the other kinds), throttled or not.
   */
  | { kind: "rate-limit"; perSecond: number; burst?: number; ms?: number }
  /**
   * The credential lost its access to the account: every vendor call (not a presigned download) is
   * answered as that vendor answers a credential without access (emulator/README.md lists each answer:
   * Meta 100/33, AWS ResourceNotFoundException, 360dialog 404, 8x8 1300). Lasts `times` requests
   * (default: for ever, like rate-limit) until the faults are cleared.
   */
  | { kind: "no-access" };

export interface FaultRule {
  /**
   * Operation name as logged (e.g. "CreateWhatsAppFlow") or a vendor-neutral action ("create",
   * "upload", "publish", "deprecate", "delete", "get", "list", "update", "preview", "download",
   * "migrate", "account"); omitted = any operation.
   */
  operation?: string;
  /** Flow name the request concerns (request body name, or the name of the addressed flow). */
  flowName?: string;
  /** Vendor dialect ("aws", "meta", "360dialog", "8x8"); omitted = any. */
  vendor?: string;
  /** How many requests this rule applies to; default 1. */
  times?: number;
  action: FaultAction;
}

export interface PendingFault extends FaultRule {
  /** Uses left. */
  remaining: number;
  /** Position in insertion order (stable id). */
  id: number;
}

/** What the server knows about a request when choosing a fault. */
export interface FaultContext {
  vendor: string;
  operation: string;
  /** The vendor-neutral action of the request. */
  action: string;
  flowName?: string;
  /** Only operations that upload Flow JSON can take a "validation-errors" fault. */
  uploadsJson: boolean;
}

const KINDS = new Set([
  "latency",
  "throttle",
  "error",
  "apply-then-fail",
  "validation-errors",
  "drop-connection",
  "rate-limit",
  "no-access",
]);
/** Kinds that last until cleared unless `times` says otherwise. */
const LASTING = new Set(["rate-limit", "no-access"]);

/** Throws a readable Error when a rule is malformed (admin answers 400). */
export function checkFaultRule(rule: unknown): FaultRule {
  const r = rule as FaultRule;
  if (!r || typeof r !== "object") throw new Error("fault rule must be an object");
  const a = r.action as FaultAction | undefined;
  if (!a || typeof a !== "object" || !KINDS.has((a as { kind: string }).kind)) {
    throw new Error(`fault rule needs action.kind, one of ${[...KINDS].join(", ")}`);
  }
  if (r.times !== undefined && (!Number.isInteger(r.times) || r.times < 1)) throw new Error("times must be an integer >= 1");
  if (r.operation !== undefined && typeof r.operation !== "string") throw new Error("operation must be a string");
  if (r.flowName !== undefined && typeof r.flowName !== "string") throw new Error("flowName must be a string");
  if (r.vendor !== undefined && typeof r.vendor !== "string") throw new Error("vendor must be a string");
  switch (a.kind) {
    case "latency":
      if (typeof a.ms !== "number" || a.ms < 0) throw new Error("latency needs ms >= 0");
      break;
    case "throttle":
      if (typeof a.retryAfterSeconds !== "number" || a.retryAfterSeconds < 0) throw new Error("throttle needs retryAfterSeconds >= 0");
      break;
    case "error":
      if (!Number.isInteger(a.status) || a.status < 300 || a.status > 599) throw new Error("error needs status 300-599");
      checkCodes(a);
      break;
    case "apply-then-fail":
      if (a.status !== undefined && (!Number.isInteger(a.status) || a.status < 300 || a.status > 599)) {
        throw new Error("apply-then-fail status must be 300-599");
      }
      checkCodes(a);
      break;
    case "validation-errors":
      if (!Array.isArray(a.errors)) throw new Error("validation-errors needs errors: object[]");
      break;
    case "drop-connection":
    case "no-access":
      break;
    case "rate-limit":
      if (typeof a.perSecond !== "number" || !(a.perSecond > 0)) throw new Error("rate-limit needs perSecond > 0");
      if (a.burst !== undefined && (typeof a.burst !== "number" || !(a.burst >= 1))) throw new Error("rate-limit burst must be >= 1");
      if (a.ms !== undefined && (typeof a.ms !== "number" || a.ms < 0)) throw new Error("rate-limit ms must be >= 0");
      break;
  }
  return r;
}

function checkCodes(a: { code?: unknown; subcode?: unknown }): void {
  if (a.code !== undefined && !Number.isInteger(a.code)) throw new Error("code must be an integer");
  if (a.subcode !== undefined && !Number.isInteger(a.subcode)) throw new Error("subcode must be an integer");
}

export class FaultQueue {
  private rules: PendingFault[] = [];
  private seq = 0;
  /** Token buckets of rate-limit rules, by rule id. */
  private buckets = new Map<number, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  add(rule: FaultRule | FaultRule[]): number {
    const list = Array.isArray(rule) ? rule : [rule];
    const checked = list.map(checkFaultRule);
    for (const r of checked) {
      const remaining = r.times ?? (LASTING.has(r.action.kind) ? Number.MAX_SAFE_INTEGER : 1);
      this.rules.push({ ...structuredClone(r), remaining, id: ++this.seq });
    }
    return checked.length;
  }

  clear(): void {
    this.rules = [];
    this.buckets.clear();
  }

  /** What a rate-limit rule does to one request: pass (maybe after latency) or 429 with the wait in whole seconds. */
  private rateLimited(rule: PendingFault & { action: { kind: "rate-limit" } }): FaultAction | undefined {
    const { perSecond, ms } = rule.action;
    const burst = rule.action.burst ?? perSecond;
    const now = this.now();
    const b = this.buckets.get(rule.id) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(rule.id, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return ms ? { kind: "latency", ms } : undefined;
    }
    return { kind: "throttle", retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
  }

  pending(): PendingFault[] {
    return this.rules.map((r) => structuredClone(r));
  }

  /** Takes (consumes one use of) the first matching rule. */
  take(ctx: FaultContext): FaultAction | undefined {
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.vendor === undefined || r.vendor === ctx.vendor) &&
        (r.operation === undefined || r.operation === ctx.operation || r.operation === ctx.action) &&
        (r.flowName === undefined || r.flowName === ctx.flowName) &&
        (r.action.kind !== "validation-errors" || ctx.uploadsJson) &&
        // A presigned download link carries no credential: losing access does not change its answer.
        (r.action.kind !== "no-access" || ctx.action !== "download"),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    if (rule.action.kind === "rate-limit") return this.rateLimited(rule as PendingFault & { action: { kind: "rate-limit" } });
    return structuredClone(rule.action);
  }
}
