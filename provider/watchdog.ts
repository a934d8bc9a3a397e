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
 * - every second it checks that the engine is still its ancestor: its parent process is the same, and,
 *   when that parent is the plugin's shell wrapper, the wrapper's parent (the engine) is the same too.
 *   An engine killed with SIGKILL reparents them, and the process exits within about a second,
 *   whatever it was doing (an in-flight vendor call included: nobody is left to receive its result;
 *   the next `up` recovers, see README "A cancelled deployment").
 */
import * as fs from "node:fs";

export const EXIT_CODE_ENGINE_GONE = 70;

export interface WatchdogDeps {
  /** This process's parent pid now. */
  ppid(): number;
  /** The parent pid of `pid` and its command line, or undefined where /proc cannot tell. */
  inspect(pid: number): { ppid: number; cmdline: string } | undefined;
  exit(code: number, reason: string): void;
  streams: NodeJS.EventEmitter[];
  intervalMs: number;
}

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
    deps.exit(EXIT_CODE_ENGINE_GONE, reason);
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

let started = false;

/** Starts the watchdog once, in the provider host only (a no-op in tests and in the program). */
export function startWatchdog(): void {
  if (started || !isProviderHost()) return;
  started = true;
  watchEngine({
    ppid: () => process.ppid,
    inspect: inspectProcess,
    streams: [process.stdout, process.stderr],
    intervalMs: 1000,
    exit: (code) => {
      // Nothing can be reported: the engine that would read it is gone. Exit now, even mid-operation.
      process.exit(code);
    },
  });
}

startWatchdog();
