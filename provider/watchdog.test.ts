import { EventEmitter } from "node:events";
import { EXIT_CODE_ENGINE_GONE, inspectProcess, isProviderHost, watchEngine, type WatchdogDeps } from "./watchdog";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fakeDeps(tree: Record<number, { ppid: number; cmdline: string }>, self: { ppid: number }) {
  const exits: Array<{ code: number; reason: string }> = [];
  const stream = new EventEmitter();
  const deps: WatchdogDeps = {
    ppid: () => self.ppid,
    inspect: (pid) => tree[pid],
    exit: (code, reason) => void exits.push({ code, reason }),
    streams: [stream],
    intervalMs: 5,
  };
  return { deps, exits, stream };
}

test("only the dynamic-provider host starts it", () => {
  expect(isProviderHost(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:1"])).toBe(true);
  expect(isProviderHost(["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:1"])).toBe(true);
  expect(isProviderHost(["node", "/p/node_modules/jest-worker/build/workers/processChild.js"])).toBe(false);
  expect(isProviderHost(["node"])).toBe(false);
});

test("an EPIPE on stderr exits once, with the engine-gone code", async () => {
  const { deps, exits, stream } = fakeDeps({ 10: { ppid: 1, cmdline: "pulumi up" } }, { ppid: 10 });
  const stop = watchEngine(deps);
  stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  stop();
  expect(exits).toEqual([{ code: EXIT_CODE_ENGINE_GONE, reason: expect.stringContaining("EPIPE") }]);
});

test("started by the engine directly: exits when its parent changes", async () => {
  const self = { ppid: 10 };
  const { deps, exits } = fakeDeps({ 10: { ppid: 5, cmdline: "pulumi up" } }, self);
  const stop = watchEngine(deps);
  await sleep(30);
  expect(exits).toEqual([]);
  self.ppid = 1;
  await sleep(30);
  stop();
  expect(exits).toHaveLength(1);
});

test("under the plugin's shell wrapper: exits when the wrapper's parent (the engine) changes", async () => {
  const tree: Record<number, { ppid: number; cmdline: string }> = {
    20: { ppid: 10, cmdline: "/bin/sh /x/pulumi-resource-pulumi-nodejs 127.0.0.1:4000" },
    10: { ppid: 5, cmdline: "pulumi up" },
  };
  const { deps, exits } = fakeDeps(tree, { ppid: 20 });
  const stop = watchEngine(deps);
  await sleep(30);
  expect(exits).toEqual([]);
  tree[20] = { ...tree[20], ppid: 1 }; // the engine was killed: the wrapper is reparented
  await sleep(30);
  stop();
  expect(exits).toEqual([{ code: EXIT_CODE_ENGINE_GONE, reason: "engine process 10 exited" }]);
});

test("the engine's own parent going away (e.g. `nohup pulumi up &`, terminal closed) is not the engine's death", async () => {
  const tree: Record<number, { ppid: number; cmdline: string }> = { 10: { ppid: 5, cmdline: "pulumi up" } };
  const { deps, exits } = fakeDeps(tree, { ppid: 10 });
  const stop = watchEngine(deps);
  tree[10] = { ppid: 1, cmdline: "pulumi up" };
  await sleep(30);
  stop();
  expect(exits).toEqual([]);
});

test("reads this process's parent from /proc", () => {
  const me = inspectProcess(process.pid);
  if (!me) return; // not Linux
  expect(me.ppid).toBe(process.ppid);
  expect(me.cmdline).toContain("node");
});
