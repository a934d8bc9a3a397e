import { EventEmitter } from "node:events";
import { CriticalSections, EngineGoneError, guardBackend } from "./lifecycle/critical";
import {
  DEFAULT_GRACE_MS,
  EXIT_CODE_ENGINE_GONE,
  graceFromEnv,
  inspectProcess,
  isProviderHost,
  watchEngine,
  type WatchdogDeps,
} from "./watchdog";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fakeDeps(tree: Record<number, { ppid: number; cmdline: string }>, self: { ppid: number }, graceMs = 1000) {
  const exits: Array<{ code: number; reason: string; at: number }> = [];
  const stream = new EventEmitter();
  const sections = new CriticalSections();
  const deps: WatchdogDeps = {
    ppid: () => self.ppid,
    inspect: (pid) => tree[pid],
    exit: (code, reason) => void exits.push({ code, reason, at: Date.now() }),
    streams: [stream],
    intervalMs: 5,
    sections,
    graceMs,
  };
  return { deps, exits, stream, sections };
}

/** A promise the test settles by hand (a vendor call in flight). */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
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
  await sleep(5);
  expect(exits).toEqual([{ code: EXIT_CODE_ENGINE_GONE, reason: expect.stringContaining("EPIPE"), at: expect.any(Number) }]);
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
  expect(exits).toEqual([{ code: EXIT_CODE_ENGINE_GONE, reason: "engine process 10 exited", at: expect.any(Number) }]);
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

const killedEngine = () => {
  const self = { ppid: 10 };
  return { self, ...fakeDeps({ 10: { ppid: 5, cmdline: "pulumi up" } }, self) };
};

test("engine gone mid-section: the section finishes (its next call is made), then the process exits", async () => {
  const { self, deps, exits, sections } = killedEngine();
  const stop = watchEngine(deps);
  const upload = deferred();
  const calls: string[] = [];
  const section = sections.run("edit and re-publish of flow 1", async () => {
    calls.push("upload");
    await upload.promise;
    calls.push("publish");
  });
  self.ppid = 1; // the engine is killed while the upload is in flight
  await sleep(40);
  expect(sections.gone).toMatch(/parent process 10 exited/);
  expect(exits).toEqual([]); // waiting for the open section
  upload.resolve();
  await section;
  await sleep(5);
  stop();
  expect(calls).toEqual(["upload", "publish"]);
  expect(exits).toEqual([{ code: EXIT_CODE_ENGINE_GONE, reason: "parent process 10 exited: the engine is gone", at: expect.any(Number) }]);
});

test("a section that does not finish within the bound is abandoned: the process exits at the bound, naming it", async () => {
  const self = { ppid: 10 };
  const { deps, exits, sections } = fakeDeps({ 10: { ppid: 5, cmdline: "pulumi up" } }, self, 60);
  const stop = watchEngine(deps);
  const never = deferred();
  void sections.run("replacement of flow 7", () => never.promise);
  self.ppid = 1;
  const killedAt = Date.now();
  await sleep(30);
  expect(exits).toEqual([]);
  await sleep(80);
  stop();
  expect(exits).toHaveLength(1);
  expect(exits[0].reason).toMatch(/1 critical section\(s\) unfinished after 60 ms: replacement of flow 7/);
  expect(exits[0].at - killedAt).toBeGreaterThanOrEqual(55);
});

test("no section open: exits as soon as the engine is seen gone", async () => {
  const { self, deps, exits } = killedEngine();
  const stop = watchEngine(deps);
  self.ppid = 1;
  await sleep(30);
  stop();
  expect(exits).toHaveLength(1);
});

test("once the engine is gone nothing new starts: no new section, no vendor call outside a section", async () => {
  const { self, deps, exits, sections } = killedEngine();
  const stop = watchEngine(deps);
  const made: string[] = [];
  const backend = guardBackend(
    {
      vendor: "x",
      getFlow: async (id: string) => void made.push(`get ${id}`),
      publish: async (id: string) => void made.push(`publish ${id}`),
      createFlow: async (name: string) => void made.push(`create ${name}`),
    },
    sections,
  );
  const inFlight = deferred();
  const finishing = sections.run("edit and re-publish of flow 1", async () => {
    await inFlight.promise;
    // Inside the section: its own calls go through; new work it would add does not (a nested section
    // such as a replacement's create, a deprecation).
    await backend.publish("1");
    await backend.getFlow("1");
    await expect(sections.run("replacement of flow 1", () => backend.createFlow("v2"))).rejects.toBeInstanceOf(EngineGoneError);
    expect(() => sections.ensureAlive("deprecating flow 0")).toThrow(EngineGoneError);
  });
  self.ppid = 1;
  await sleep(30);
  // Another operation, outside any section: refused, before anything reaches the vendor.
  await expect(backend.createFlow("new")).rejects.toThrow(/not starting a vendor call \(createFlow\): parent process 10 exited/);
  await expect(sections.run("replacement of flow 2", () => backend.createFlow("v2"))).rejects.toBeInstanceOf(EngineGoneError);
  expect(backend.vendor).toBe("x");
  inFlight.resolve();
  await finishing;
  await sleep(5);
  stop();
  expect(made).toEqual(["publish 1", "get 1"]);
  expect(exits).toHaveLength(1);
});

test("sections of concurrent operations are told apart; the process waits for the last one", async () => {
  const { self, deps, exits, sections } = killedEngine();
  const stop = watchEngine(deps);
  const a = deferred();
  const b = deferred();
  const sa = sections.run("a", () => a.promise);
  const sb = sections.run("b", () => b.promise);
  expect(sections.openSections()).toEqual(["a", "b"]);
  self.ppid = 1;
  await sleep(20);
  a.resolve();
  await sa;
  await sleep(10);
  expect(exits).toEqual([]);
  expect(sections.openSections()).toEqual(["b"]);
  b.resolve();
  await sb;
  await sleep(5);
  stop();
  expect(exits).toHaveLength(1);
});

test("a failed write to the dead stderr while finishing neither crashes nor exits early", async () => {
  const { self, deps, exits, sections, stream } = killedEngine();
  const stop = watchEngine(deps);
  const upload = deferred();
  const section = sections.run("s", () => upload.promise);
  self.ppid = 1;
  await sleep(20);
  // Listeners stay on the streams: an EPIPE now is absorbed (no uncaught 'error'), and changes nothing.
  expect(stream.listenerCount("error")).toBe(1);
  stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  await sleep(10);
  expect(exits).toEqual([]);
  upload.resolve();
  await section;
  await sleep(5);
  stop();
  expect(exits).toHaveLength(1);
});

test("the bound comes from WHATSAPP_FLOWS_KILL_GRACE_MS when it is a number of milliseconds", () => {
  expect(graceFromEnv(undefined)).toBe(DEFAULT_GRACE_MS);
  expect(graceFromEnv("")).toBe(DEFAULT_GRACE_MS);
  expect(graceFromEnv("abc")).toBe(DEFAULT_GRACE_MS);
  expect(graceFromEnv("-1")).toBe(DEFAULT_GRACE_MS);
  expect(graceFromEnv("0")).toBe(0);
  expect(graceFromEnv("2500")).toBe(2500);
  expect(DEFAULT_GRACE_MS).toBe(10_000);
});
