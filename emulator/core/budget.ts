/**
 * A call budget per key over a fixed window (Meta: calls per hour per app and WABA). Vendor-neutral: the
 * dialect decides the key, what a refused call looks like and how usage is reported.
 *
 * The window opens with the first call of a key and lasts `windowMs`; the next call after it opens a
 * new one. Meta's documents say "per hour" and give the time to regain access in minutes, without
 * saying whether the hour slides; a fixed window is our choice (emulator/README.md, "Budgets").
 */
export interface BudgetUsage {
  /** Calls charged in the current window. */
  count: number;
  limit: number;
  /** `count / limit` in whole percent (Graph reports integers), capped at 100. */
  percent: number;
  /** Seconds until the window closes (0 when no window is open). */
  regainSeconds: number;
}

export class CallBudget {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    private readonly now: () => number,
    readonly windowMs = 3_600_000,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a call budget must be a positive integer (got ${limit})`);
  }

  private window(key: string): { start: number; count: number } | undefined {
    const w = this.windows.get(key);
    if (w && this.now() - w.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  /** Charges one call: `allowed: false` (nothing charged) when the window's calls are used up. */
  take(key: string): { allowed: boolean; usage: BudgetUsage } {
    let w = this.window(key);
    if (w && w.count >= this.limit) return { allowed: false, usage: this.usage(key) };
    if (!w) {
      w = { start: this.now(), count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { allowed: true, usage: this.usage(key) };
  }

  usage(key: string): BudgetUsage {
    const w = this.window(key);
    const count = w?.count ?? 0;
    return {
      count,
      limit: this.limit,
      percent: Math.min(100, Math.floor((count * 100) / this.limit)),
      regainSeconds: w ? Math.max(0, Math.ceil((w.start + this.windowMs - this.now()) / 1000)) : 0,
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
