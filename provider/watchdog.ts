/**
 * Makes the provider process exit on its own once the Pulumi engine that started it is gone.
 *
 * Why: the engine starts `pulumi-resource-pulumi-nodejs` (a shell script that runs `@pulumi/pulumi`'s
 * dynamic-provider host with node) in a process group of its own, so a CI runner that cancels a job
 * with `kill -9` of the CLI's processes (or an OOM kill) leaves it running. Its gRPC server keeps it
 * alive forever, and the first write to the dead stderr (a progress line of ours, typically) fails with
 * EPIPE; with no listener that becomes an uncaught error, which the host prints with `console.error`
 * to the same dead stderr: one core at 100% and growing memory, until someone kills it by hand.
 *
 * What it does, in the provider host only (loaded once from provider/runtime.ts):
 * - an EPIPE (or any other error) on stdout/stderr means the engine's end of the pipe is closed: exit;
 * - every 250 ms it checks that the engine is still its ancestor: its parent process is the same, and,
 *   when that parent is the plugin's shell wrapper, the wrapper's parent (the engine) is the same too.
 *   An engine killed with SIGKILL reparents them.
 * Then nothing new starts (./lifecycle/critical.ts refuses new sections and vendor calls outside one),
 * the critical sections already started are finished (an upload that re-drafted a published flow is
 * followed by its publish; a replacement's successor is published), for at most `graceMs` (10 s), and
 * the process exits. Everything else in flight is abandoned: nobody is left to receive its result, and
 * the next `up` recovers (README "A cancelled deployment"). Stdout and stderr are dead by then: progress
 * lines are skipped, and a write that fails anyway is absorbed by the error listeners kept on both.
 */
import * as fs from "node:fs";
import { sections as processSections, type CriticalSections } from "./lifecycle/critical";

export const EXIT_CODE_ENGINE_GONE = 70;

export interface WatchdogDeps {
  /** This process's parent pid now. */
  ppid(): number;
  /** The parent pid of `pid` and its command line, or undefined where /proc cannot tell. */
  inspect(pid: number): { ppid: number; cmdline: string } | undefined;
  exit(code: number, reason: string): void;
  streams: NodeJS.EventEmitter[];
  intervalMs: number;
  /** The process's critical sections (finished before exiting). */
  sections: CriticalSections;
  /** How long open critical sections may take to finish once the engine is gone. */
  graceMs: number;
}

/** The bound on finishing critical sections once the engine is gone (override: WHATSAPP_FLOWS_KILL_GRACE_MS). */
export const DEFAULT_GRACE_MS = 10_000;

/** `/proc/<pid>/stat` and `/proc/<pid>/cmdline` (Linux); undefined elsewhere or when the process is gone. */
export function inspectProcess(pid: number): { ppid: number; cmdline: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    return { ppid: Number(fields[1]), cmdline };
  } catch {
    return undefined;
  }
}

/** True in the dynamic-provider host process (`node …/@pulumi/pulumi/cmd/dynamic-provider …`). */
export function isProviderHost(argv: string[] = process.argv): boolean {
  return /[\\/]cmd[\\/]dynamic-provider([\\/]|$)/.test(argv[1] ?? "");
}

/** The plugin launcher Pulumi runs for dynamic providers (a shell script whose child we are). */
const PLUGIN_WRAPPER = /pulumi-resource-pulumi-nodejs/;

/** Starts watching; returns a function that stops it (tests). */
export function watchEngine(deps: WatchdogDeps): () => void {
  let done = false;
  const die = (reason: string) => {
    if (done) return;
    done = true;
    clearInterval(timer);
    // Nothing new starts from here; what is critical and already started is finished, within the bound.
    deps.sections.engineGone(reason);
    void deps.sections
      .whenIdle(deps.graceMs)
      .then((left) =>
        deps.exit(
          EXIT_CODE_ENGINE_GONE,
          left.length === 0
            ? reason
            : `${reason}; ${left.length} critical section(s) unfinished after ${deps.graceMs} ms: ${left.join(", ")}`,
        ),
      );
  };
  const onStreamError = (err: NodeJS.ErrnoException) => die(`output stream failed (${err.code ?? err.message}): the engine is gone`);
  for (const s of deps.streams) s.on("error", onStreamError);

  const parent = deps.ppid();
  const parentInfo = deps.inspect(parent);
  // Under the shell wrapper the engine is the grandparent; otherwise the parent itself is the engine.
  const engine = parentInfo && PLUGIN_WRAPPER.test(parentInfo.cmdline) ? parentInfo.ppid : undefined;
  const timer = setInterval(() => {
    if (deps.ppid() !== parent) return die(`parent process ${parent} exited: the engine is gone`);
    if (engine !== undefined) {
      const now = deps.inspect(parent);
      if (!now || now.ppid !== engine) die(`engine process ${engine} exited`);
    }
  }, deps.intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    for (const s of deps.streams) s.off("error", onStreamError);
  };
}

/** The grace period from the environment (milliseconds, 0 = exit at once); the default otherwise. */
export function graceFromEnv(value: string | undefined): number {
  const n = value === undefined || value.trim() === "" ? NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_GRACE_MS;
}

let started = false;

/** Starts the watchdog once, in the provider host only (a no-op in tests and in the program). */
export function startWatchdog(): void {
  if (started || !isProviderHost()) return;
  started = true;
  watchEngine({
    ppid: () => process.ppid,
    inspect: inspectProcess,
    streams: [process.stdout, process.stderr],
    intervalMs: 250,
    sections: processSections,
    graceMs: graceFromEnv(process.env.WHATSAPP_FLOWS_KILL_GRACE_MS),
    exit: (code) => {
      // Nothing can be reported: the engine that would read it is gone. Whatever else is in flight is abandoned.
      process.exit(code);
    },
  });
}

startWatchdog();
