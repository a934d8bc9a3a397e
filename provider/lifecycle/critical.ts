/**
 * Critical sections: runs of vendor calls that must not stop half-way, because stopping there would
 * leave a declared flow unsendable (a published flow re-drafted by an in-place upload, not yet published
 * again) or a replacement half-made (a successor created, not yet published).
 *
 * The executor marks them (`critical`); the watchdog (provider/watchdog.ts), once it sees the engine gone,
 * calls `engineGone` and waits for the open sections to close, up to a bound, before the process exits.
 * From then on nothing new starts: a section cannot begin, and a vendor call made outside any section
 * (a read before an upload, a create, a deprecation) is refused by `guardBackend`. Which section a call
 * belongs to is tracked with AsyncLocalStorage, since one provider process runs many resources at once.
 *
 * Vendor-neutral: no vendor name here; what makes a run of calls critical is decided from the plan.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Thrown instead of starting anything new once the engine is gone (nobody is left to receive its result). */
export class EngineGoneError extends Error {
  constructor(what: string, reason: string) {
    super(`not starting ${what}: ${reason}; the next \`pulumi up\` finishes it`);
    this.name = "EngineGoneError";
  }
}

interface Section {
  label: string;
  startedAt: number;
}

export class CriticalSections {
  private readonly open = new Set<Section>();
  private readonly store = new AsyncLocalStorage<Section>();
  private readonly idle = new Set<() => void>();
  private goneReason: string | undefined;

  /** Why the engine is gone, or undefined while it is alive. */
  get gone(): string | undefined {
    return this.goneReason;
  }

  /** Labels of the sections running now. */
  openSections(): string[] {
    return [...this.open].map((s) => s.label);
  }

  /** True when the caller runs inside a critical section. */
  inSection(): boolean {
    return this.store.getStore() !== undefined;
  }

  /**
   * Runs `fn` as a critical section: once started, it is finished even if the engine dies meanwhile
   * (within the watchdog's bound). Refused (EngineGoneError) when the engine is gone already. Nested
   * sections belong to the outer one.
   */
  async run<T>(label: string, fn: () => Promise<T>): Promise<T> {
    this.ensureAlive(label);
    if (this.inSection()) return fn();
    const section: Section = { label, startedAt: Date.now() };
    this.open.add(section);
    try {
      return await this.store.run(section, fn);
    } finally {
      this.open.delete(section);
      if (this.open.size === 0) for (const resolve of [...this.idle]) resolve();
    }
  }

  /** Throws EngineGoneError when the engine is gone, inside a section or not: for work a section must not add (e.g. a deprecation). */
  ensureAlive(what: string): void {
    if (this.goneReason !== undefined) throw new EngineGoneError(what, this.goneReason);
  }

  /** Throws EngineGoneError when the engine is gone and the caller is not finishing a section. */
  ensureMayCall(what: string): void {
    if (this.goneReason !== undefined && !this.inSection()) throw new EngineGoneError(what, this.goneReason);
  }

  /** Back to a live engine with no section open (tests: each case is a provider process of its own). */
  reset(): void {
    this.goneReason = undefined;
  }

  /** The engine is gone: from now on nothing new starts. */
  engineGone(reason: string): void {
    this.goneReason ??= reason;
  }

  /**
   * Resolves once no section is open, or after `boundMs`, whichever first, with what was still open
   * then (empty when every section finished).
   */
  whenIdle(boundMs: number): Promise<string[]> {
    if (this.open.size === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idle.delete(done);
        resolve(this.openSections());
      };
      const timer = setTimeout(done, boundMs);
      this.idle.add(done);
    });
  }
}

/** The provider process's sections (one engine per process). */
export const sections = new CriticalSections();

/** Marks `fn` as a critical section of this process (see the module comment). */
export function critical<T>(label: string, fn: () => Promise<T>): Promise<T> {
  return sections.run(label, fn);
}

/**
 * The backend as the lifecycle uses it: each vendor call first checks that it may start (the engine is
 * alive, or the call finishes a critical section). Calls already in flight are not touched.
 */
export function guardBackend<T extends object>(backend: T, owner: CriticalSections = sections): T {
  return new Proxy(backend, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        try {
          owner.ensureMayCall(`a vendor call (${String(prop)})`);
        } catch (e) {
          return Promise.reject(e);
        }
        return value.apply(target, args);
      };
    },
  });
}
