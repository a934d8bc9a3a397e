/**
 * A cancelled job between an upload and its publish (issue 17, item 3): `kill -9` of `pulumi up`'s
 * process group (CLI, language host) while a vendor call of a critical section is in flight. The
 * provider host survives the kill (Pulumi starts plugins in process groups of their own): it must finish
 * the critical sections it had started (an upload that re-drafted a published flow is followed by its
 * publish; a replacement's successor is published), start nothing new (no deprecation), and exit. The
 * next `up` (after `pulumi cancel`) finishes the rest.
 *
 * The vendor call in flight is made slow with the emulator's latency fault (the vendor applies it when
 * the latency is over, whether or not anybody still waits for the answer), so the kill lands inside it.
 */
import { e2eSuite, expectOk, type Checkout, type E2eVendor } from "./harness";
import { isProvider, killLeftovers, processesIn, sleep, startUp, waitFor } from "./processes";

jest.setTimeout(300_000);

/** The newest request-log number (the log lists requests as they finish: a slow one comes after later ones). */
const newestSeq = (suite: ReturnType<typeof e2eSuite>) => Math.max(0, ...suite.emu.requests().map((r) => r.seq));

/** The slow vendor call the kill lands in, and how long the vendor takes to apply it. */
const LATENCY_MS = 1500;
/** The kill comes this long after the slow call reached the vendor. */
const KILL_AFTER_MS = 300;

/** Waits until the faulted call is at the vendor, then a little longer, then kills the job. */
async function killDuringSlowCall(suite: ReturnType<typeof e2eSuite>, run: ReturnType<typeof startUp>): Promise<number> {
  await waitFor("the slow call to reach the vendor", () => suite.emu.faults().length === 0, 120_000).catch((e) => {
    throw new Error(`${e.message}\n${run.output()}`);
  });
  await sleep(KILL_AFTER_MS);
  return run.kill();
}

/** No process of the killed run is left within 15 s of the kill (the provider included). */
async function expectAllExited(dir: string, killedAt: number): Promise<void> {
  try {
    await waitFor("the killed run's processes to exit", () => processesIn(dir).length === 0, 15_000 - (Date.now() - killedAt)).catch(
      () => undefined,
    );
    expect(
      processesIn(dir)
        .filter(isProvider)
        .map((p) => p.cmdline),
    ).toEqual([]);
    expect(processesIn(dir).map((p) => p.cmdline)).toEqual([]);
  } finally {
    killLeftovers(dir);
  }
}

/** What the user does after a cancelled job: `pulumi cancel` (the killed run holds the lock), then `up`. */
async function upAfterCancel(c: Checkout) {
  await c.ok(["cancel", "--yes"]);
  return expectOk(await c.up());
}

const inPlace: E2eVendor[] = ["aws", "meta"];
const replacing: E2eVendor[] = ["360dialog", "8x8"];

describe.each(inPlace)("%s (edits published flows in place)", (vendor) => {
  const suite = e2eSuite(vendor);
  let names: string[] = [];
  const flows = (file: string) => names.map((name, i) => ({ key: `f${i}`, name, categories: ["SIGN_UP"], file, publish: true }));
  const statuses = () => names.map((n) => [n, suite.flowNamed(n).map((f) => f.status)]);

  test("kill -9 between an upload and its publish: the flow is PUBLISHED again within 2 s, the provider exits, the next up converges", async () => {
    names = ["kill-a", "kill-b", "kill-c"];
    const c = await suite.program(flows("fixtures/signup-v1.json"));
    expectOk(await c.up());
    expect(statuses()).toEqual(names.map((n) => [n, ["PUBLISHED"]]));
    const v1 = suite.flowNamed(names[0])[0].flowJsonSha256;

    await c.setConfig({ flows: flows("fixtures/signup-v2.json") });
    // The upload of the first flow's new JSON is slow: the kill lands while it is in flight.
    suite.emu.addFault({ operation: "upload", flowName: names[0], action: { kind: "latency", ms: LATENCY_MS } });
    const before = newestSeq(suite);
    const run = startUp(c);
    const killedAt = await killDuringSlowCall(suite, run);

    // The vendor applies the upload (re-drafting the flow) about 1.2 s after the kill; the surviving
    // provider receives the answer and publishes at once.
    await sleep(Math.max(0, killedAt + 2000 - Date.now()));
    expect(statuses()).toEqual(names.map((n) => [n, ["PUBLISHED"]]));
    const a = suite.flowNamed(names[0])[0];
    expect(a.flowJsonSha256).not.toBe(v1); // the new JSON, published
    await expectAllExited(c.dir, killedAt);
    // The first flow got exactly its upload and its publish; the finishing provider made no other write.
    const writes = suite.emu
      .requests()
      .filter(
        (r) =>
          r.seq > before && JSON.stringify([r.path, r.query, r.body]).includes(a.flowId) && !["get", "list", "download"].includes(r.action),
      )
      .map((r) => r.action);
    expect(writes).toEqual(["upload", "publish"]);

    const up = await upAfterCancel(c);
    expect(up.output).not.toMatch(/not starting/);
    expect(statuses()).toEqual(names.map((n) => [n, ["PUBLISHED"]]));
    expect((await c.preview(["--expect-no-changes"])).code).toBe(0);
  });

  test("the machine dies between an upload and its publish: preview names the flow that is not live, up publishes it", async () => {
    names = ["lost-a", "lost-b", "lost-c"];
    const c = await suite.program(flows("fixtures/signup-v1.json"));
    expectOk(await c.up());
    expect((await c.preview(["--expect-no-changes"])).code).toBe(0);
    await c.setConfig({ flows: flows("fixtures/signup-v2.json") });
    suite.emu.addFault({ operation: "upload", flowName: names[0], action: { kind: "latency", ms: LATENCY_MS } });
    const run = startUp(c);
    await waitFor("the slow call to reach the vendor", () => suite.emu.faults().length === 0, 120_000);
    await sleep(KILL_AFTER_MS);
    // Everything dies at once, the provider too (a machine lost): nobody publishes after the upload.
    killLeftovers(c.dir);
    await run.kill().catch(() => Date.now());
    await waitFor("the upload to be applied", () => suite.flowNamed(names[0])[0].status === "DRAFT", 10_000);
    await c.ok(["cancel", "--yes"]);

    // The interrupted change is still pending in the diff: the preview checks those flows (one list) and names the one not live.
    const before = newestSeq(suite);
    const preview = await c.preview();
    expect(preview.code).toBe(0);
    expect(preview.output).toMatch(new RegExp(`flow "${names[0]}": flow \\S+ is not live: the vendor says DRAFT`));
    for (const other of names.slice(1)) expect(preview.output).not.toMatch(new RegExp(`flow "${other}": flow \\S+ is not live`));
    expect(suite.actionsSince(before)).toEqual(["list"]);
    expect(suite.flowNamed(names[0])[0].status).toBe("DRAFT");

    const beforeUp = newestSeq(suite);
    const up = expectOk(await c.up());
    // up plans from the state (PUBLISHED, old JSON): the upload of the new JSON and the publish, which makes it live
    // again; without the preview's list (issue 18: the program tells the provider it is no preview), so without its message.
    expect(up.output).not.toMatch(/is not live/);
    expect(up.output).toMatch(new RegExp(`flow "${names[0]}": publishing flow`));
    // Only uploads and their publishes (the flows whose change the killed run had not recorded; lost-a among them).
    const calls = suite.actionsSince(beforeUp);
    expect(calls.filter((a) => a !== "upload" && a !== "publish")).toEqual([]);
    expect(calls.filter((a) => a === "upload").length).toBe(calls.filter((a) => a === "publish").length);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(statuses()).toEqual(names.map((n) => [n, ["PUBLISHED"]]));
    // Back to a no-op: the preview makes no call at all.
    const quiet = newestSeq(suite);
    expect((await c.preview(["--expect-no-changes"])).code).toBe(0);
    expect(suite.actionsSince(quiet)).toEqual([]);
  });
});

describe.each(replacing)("%s (replaces published flows)", (vendor) => {
  const suite = e2eSuite(vendor);
  const name = "kill-r";
  // Each test its own flow name: the emulator lives for the whole file, and a deprecated flow keeps its name.
  const flows = (file: string, named = name) => [{ key: "r", name: named, categories: ["SIGN_UP"], file, publish: true }];
  const family = (named = name) =>
    suite
      .family(named)
      .map((f) => [f.name, f.status])
      .sort(([a], [b]) => (a < b ? -1 : 1));

  test("kill -9 after the successor's create: the successor is published before the provider exits, the old flow is left live, the next up deprecates it", async () => {
    const c = await suite.program(flows("fixtures/signup-v1.json"));
    expectOk(await c.up());
    expect(family()).toEqual([[name, "PUBLISHED"]]);

    await c.setConfig({ flows: flows("fixtures/signup-v2.json") });
    // 360dialog: create, upload, publish; the upload is slow. 8x8: one create that carries the JSON
    // and publishes; the create is slow.
    const slow = vendor === "360dialog" ? "upload" : "create";
    suite.emu.addFault({ operation: slow, flowName: `${name} (v2)`, action: { kind: "latency", ms: LATENCY_MS } });
    const before = newestSeq(suite);
    const run = startUp(c);
    const killedAt = await killDuringSlowCall(suite, run);

    await sleep(Math.max(0, killedAt + 2000 - Date.now()));
    // Two live flows for a moment: the successor, and the old one (never deprecated by a provider whose engine is gone).
    expect(family()).toEqual([
      [name, "PUBLISHED"],
      [`${name} (v2)`, "PUBLISHED"],
    ]);
    await expectAllExited(c.dir, killedAt);
    expect(suite.actionsSince(before)).not.toContain("deprecate");
    expect(family()).toEqual([
      [name, "PUBLISHED"],
      [`${name} (v2)`, "PUBLISHED"],
    ]);

    // The next up plans from the state and asks for the successor's name again: the vendor refuses it (the name is
    // taken), the list finds our published successor holding our JSON, and the old flow is retired. No second flow.
    const next = newestSeq(suite);
    await upAfterCancel(c);
    expect(suite.actionsSince(next).filter((a) => a === "create").length).toBeLessThanOrEqual(1);
    expect(suite.actionsSince(next).filter((a) => a === "deprecate")).toHaveLength(1);
    expect(family()).toEqual([
      [name, "DEPRECATED"],
      [`${name} (v2)`, "PUBLISHED"],
    ]);
    expect((await c.preview(["--expect-no-changes"])).code).toBe(0);
  });

  test("kill -9 during a categories change's successor create: the next up finds the successor live in the account's list, reads, and only retires the old flow", async () => {
    const name = "kill-m";
    const c = await suite.program(flows("fixtures/signup-v1.json", name));
    expectOk(await c.up());
    // A categories change: the Flow replaces the flow (8x8: a create carrying the JSON and `publish`; 360dialog:
    // a clone, then its publish), planned from its state and the account's list, without a read. The create is slow.
    await c.setConfig({ flows: [{ ...flows("fixtures/signup-v1.json", name)[0], categories: ["SIGN_UP", "SURVEY"] }] });
    suite.emu.addFault({ operation: "create", flowName: `${name} (v2)`, action: { kind: "latency", ms: LATENCY_MS } });
    const before = newestSeq(suite);
    const run = startUp(c);
    const killedAt = await killDuringSlowCall(suite, run);
    await expectAllExited(c.dir, killedAt);
    expect(suite.actionsSince(before)).not.toContain("get");
    // The successor is live (its publish was part of the critical section); the old flow was not deprecated.
    expect(family(name)).toEqual([
      [name, "PUBLISHED"],
      [`${name} (v2)`, "PUBLISHED"],
    ]);

    // The Flow's state still records the old flow: the list shows a newer generation live, so the update reads
    // (the recorded flow, the successor) instead of planning from the state, creates nothing, and retires the old flow.
    const next = newestSeq(suite);
    await upAfterCancel(c);
    const actions = suite.actionsSince(next);
    expect(actions.filter((a) => a === "create")).toEqual([]);
    expect(actions.filter((a) => a === "deprecate")).toHaveLength(1);
    expect(family(name)).toEqual([
      [name, "DEPRECATED"],
      [`${name} (v2)`, "PUBLISHED"],
    ]);
    expect(
      suite
        .family(name)
        .find((f) => f.status === "PUBLISHED")!
        .categories.sort(),
    ).toEqual(["SIGN_UP", "SURVEY"]);
    expect((await c.preview(["--expect-no-changes"])).code).toBe(0);
  });
});
