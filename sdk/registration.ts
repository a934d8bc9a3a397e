/**
 * What our resources' constructors do to keep the program's CPU close to the engine's floor (docs/design.md,
 * "Our own CPU"): each property handed to @pulumi/pulumi costs a few promises and an Output, so no property
 * is passed that carries nothing, and those promises are made without debug stacks.
 */

/** `args` without the keys whose value is undefined (an undefined input is never sent to the engine anyway). */
export function definedOnly<T extends object>(args: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(args)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Pulumi's per-promise debug stacks, turned off while one of our resources registers (docs/design.md,
 * "Our own CPU").
 *
 * A resource constructor hands each of its properties to @pulumi/pulumi, which makes four promises per
 * property and stamps each with `new Error().stack` (runtime/debuggable.ts), a formatted stack trace kept
 * only to be printed when PULUMI_DEBUG_PROMISE_LEAKS is set. Our resources carry about twenty properties
 * (their declared outputs among them), so those stacks were the largest cost of the program in a no-op
 * preview: about 80 per resource, 0.4 s of CPU for 100 flows. While our `super(...)` runs,
 * `Error.stackTraceLimit` is 0, which makes each of them the string "Error". Nothing else changes:
 * Pulumi raises the limit itself for the resource's source position (`Resource.callsites`), the limit is
 * restored as soon as the constructor returns or throws, an error thrown meanwhile gets its stack taken
 * again, and with PULUMI_DEBUG_PROMISE_LEAKS set the stacks are kept.
 */
export interface QuietStacks {
  /** Puts the previous limit back (idempotent). */
  restore(): void;
  /** Puts the limit back and gives `e` a stack taken here (its own was cut short). */
  failed(e: unknown): unknown;
}

export function quietPromiseStacks(): QuietStacks {
  const previous = Error.stackTraceLimit;
  const keep = !!process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  if (!keep) Error.stackTraceLimit = 0;
  let restored = keep;
  const restore = () => {
    if (restored) return;
    restored = true;
    Error.stackTraceLimit = previous;
  };
  const failed = (e: unknown) => {
    const cut = !restored;
    restore();
    if (cut && e instanceof Error) Error.captureStackTrace(e, failed);
    return e;
  };
  return { restore, failed };
}
