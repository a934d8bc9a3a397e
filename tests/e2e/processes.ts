/** The processes a killed `pulumi up` leaves behind, read from /proc (Linux), for the kill tests. */
import { spawn } from "node:child_process";
import * as fs from "node:fs";

export interface Proc {
  pid: number;
  pgid: number;
  cmdline: string;
}

/** Live processes whose working directory is `dir` (the program's folder: language host, plugins). */
export function processesIn(dir: string): Proc[] {
  const out: Proc[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) !== dir) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue; // a zombie has exited already
      out.push({
        pid: Number(entry),
        pgid: Number(fields[2]),
        cmdline: fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim(),
      });
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return out;
}

export const isProvider = (p: Proc) => /cmd[\\/]dynamic-provider|pulumi-resource-pulumi-nodejs/.test(p.cmdline);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Ends whatever is left of a run in `dir` (a provider that did not exit, the language host), by pid. */
export function killLeftovers(dir: string): void {
  for (const p of processesIn(dir)) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

/** `pulumi up` in `dir`, in a process group of its own (a CI runner's job); kill() is `kill -9` of that group. */
export function startUp(c: { dir: string; workspace: { env(): NodeJS.ProcessEnv } }) {
  const cli = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive"], {
    cwd: c.dir,
    env: c.workspace.env(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  cli.stdout!.on("data", (d) => (output += d));
  cli.stderr!.on("data", (d) => (output += d));
  const exited = new Promise((r) => cli.on("close", r));
  return {
    output: () => output,
    /** `kill -9` of the group; resolves with the time the CLI was seen gone. */
    async kill(): Promise<number> {
      process.kill(-cli.pid!, "SIGKILL");
      await exited;
      return Date.now();
    },
  };
}
