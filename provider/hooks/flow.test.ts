/**
 * Flow hooks against the emulator through the real AWS SDK (no mocks): each lifecycle case, as the
 * Pulumi engine would call them.
 */
import { DEV_WABA_ID, PROD_WABA_ID } from "../../emulator";
import { UNKNOWN } from "../model";
import type { FlowOutputs } from "../model";
import { VALID_FLOW_JSON } from "../../emulator/test-helpers";
import { flowHooks } from "./flow";
import { resetClaims } from "../lifecycle/claims";
import { useEmulator } from "./test-helpers";

const suite = useEmulator();
const { ops } = suite;

const inputs = (name = "signup", extra: object = {}) => ({ waba: DEV_WABA_ID, name, categories: ["SIGN_UP" as const], ...extra });

async function created(name = "signup", status?: "PUBLISHED"): Promise<{ id: string; outs: FlowOutputs }> {
  const r = await flowHooks.create(inputs(name));
  // What the test does next is another deployment (a new provider process).
  resetClaims();
  if (status) {
    suite.emu.patchFlow(r.id, { flowJson: VALID_FLOW_JSON });
    suite.emu.patchFlow(r.id, { status });
  }
  return r;
}

describe("check", () => {
  it("accepts valid inputs and drops undefined keys", async () => {
    const r = await flowHooks.check({}, { ...inputs(), cloneFlowId: undefined });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toEqual(inputs());
  });
  it("names each bad property", async () => {
    const r = await flowHooks.check({}, { waba: "123", name: "", categories: ["SIGN_UP", "PARTY"] });
    const byProperty = Object.fromEntries(r.failures.map((f) => [f.property, f.reason]));
    expect(byProperty.waba).toMatch(
      /names no known vendor; expected one of aws:waba-<id>.*meta:<WABA id>.*360dialog:<partner_id>\/<waba_account_id>.*8x8:<accountId>\/<channelId>/,
    );
    expect(byProperty.name).toMatch(/must not be empty/);
    expect(byProperty.categories).toMatch(/categories\.1/);
  });
  it("rejects more than 200 characters and repeated categories", async () => {
    const r = await flowHooks.check({}, { ...inputs("x".repeat(201)), categories: ["OTHER", "OTHER"] });
    expect(r.failures.map((f) => f.property).sort()).toEqual(["categories", "name"]);
  });
  it("lets values unknown during preview through", async () => {
    const r = await flowHooks.check({}, { waba: UNKNOWN, name: UNKNOWN, categories: [UNKNOWN] });
    expect(r.failures).toEqual([]);
    expect(suite.emu.requests()).toHaveLength(0);
  });
});

describe("diff", () => {
  const olds = { ...inputs(), flowId: "1", status: "PUBLISHED" } as unknown as FlowOutputs;
  it("reports no change when name and categories match (order-insensitive)", async () => {
    const o = { ...olds, categories: ["SURVEY", "OTHER"] } as FlowOutputs;
    expect(await flowHooks.diff("1", o, { ...inputs(), categories: ["OTHER", "SURVEY"] })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
  it("updates in place on rename, replaces on a new WABA", async () => {
    expect((await flowHooks.diff("1", olds, inputs("renamed"))).changes).toBe(true);
    expect((await flowHooks.diff("1", olds, { ...inputs(), waba: PROD_WABA_ID })).replaces).toEqual(["waba"]);
  });
  it("treats unknown values as changes", async () => {
    expect((await flowHooks.diff("1", olds, { ...inputs(), name: UNKNOWN })).changes).toBe(true);
    expect((await flowHooks.diff("1", olds, { ...inputs(), waba: UNKNOWN })).replaces).toEqual(["waba"]);
  });
  it("ignores volatile outputs and creation-only inputs", async () => {
    const o = { ...olds, previewUrl: "https://old", previewExpiresAt: "2020-01-01" } as FlowOutputs;
    expect((await flowHooks.diff("1", o, { ...inputs(), cloneFlowId: "42", adoptExisting: true })).changes).toBe(false);
  });
});

describe("create", () => {
  it("creates a DRAFT flow with one call and records its id and status", async () => {
    const { id, outs } = await flowHooks.create(inputs());
    // The create's answer says it all: no read, no preview call (issue 9: a new published flow in 3 calls).
    expect(ops()).toEqual(["CreateWhatsAppFlow"]);
    expect(suite.emu.flow(id)).toMatchObject({ name: "signup", status: "DRAFT", wabaId: DEV_WABA_ID });
    expect(outs).toMatchObject({
      flowId: id,
      status: "DRAFT",
      name: "signup",
      vendor: "aws",
      schemaVersion: 2,
      liveName: "signup",
      generation: 1,
    });
    expect(outs.previewUrl).toBeNull();
    expect(Object.values(outs)).not.toContain(undefined);
  });
  it("adopts the bare draft an interrupted earlier attempt left, instead of duplicating it", async () => {
    const first = await flowHooks.create(inputs());
    resetClaims(); // the next `pulumi up` runs in a new provider process
    const again = await flowHooks.create(inputs());
    expect(again.id).toBe(first.id);
    expect(suite.emu.flows(DEV_WABA_ID)).toHaveLength(1);
  });
  it("refuses to take over someone else's flow, naming it", async () => {
    const theirs = await created("signup", "PUBLISHED");
    await expect(flowHooks.create(inputs())).rejects.toThrow(
      new RegExp(`PUBLISHED flow named "signup" \\(id ${theirs.id}\\).*adoptExisting`),
    );
    expect(suite.emu.flows(DEV_WABA_ID)).toHaveLength(1);
  });
  it("adopts an existing flow when adoptExisting is set, and aligns its categories", async () => {
    const theirs = await created("signup", "PUBLISHED");
    const r = await flowHooks.create({ ...inputs(), categories: ["SIGN_UP", "OTHER"], adoptExisting: true });
    expect(r.id).toBe(theirs.id);
    expect(suite.emu.flow(theirs.id)).toMatchObject({ status: "PUBLISHED" });
    expect(suite.emu.flow(theirs.id)!.categories.sort()).toEqual(["OTHER", "SIGN_UP"]);
  });
  it("adopts a flow by id (adoptFlowId) without any write call", async () => {
    const theirs = await created("signup", "PUBLISHED");
    suite.emu.clearRequests();
    const r = await flowHooks.create({ ...inputs(), adoptFlowId: theirs.id });
    expect(r.id).toBe(theirs.id);
    expect(ops()).toEqual(["GetWhatsAppFlow", "GetWhatsAppFlow"]);
    expect(r.outs).toMatchObject({ flowId: theirs.id, status: "PUBLISHED", adoptFlowId: theirs.id });
  });
  it("refuses to adopt by id a flow that does not exist or is deprecated, naming it", async () => {
    await expect(flowHooks.create({ ...inputs(), adoptFlowId: "999" })).rejects.toThrow(/flow 999 \(adoptFlowId\) does not exist/);
    resetClaims();
    const theirs = await created("signup", "PUBLISHED");
    suite.emu.patchFlow(theirs.id, { status: "DEPRECATED" });
    await expect(flowHooks.create({ ...inputs(), adoptFlowId: theirs.id })).rejects.toThrow(/DEPRECATED and cannot be revived/);
  });
  it("never lets two resources of one deployment manage one flow", async () => {
    await flowHooks.create(inputs());
    await expect(flowHooks.create(inputs())).rejects.toThrow(/declared twice/);
    const other = await flowHooks.create(inputs("other"));
    await expect(flowHooks.create({ ...inputs("third"), adoptFlowId: other.id })).rejects.toThrow(
      /already managed by the resource declaring flow "other"/,
    );
    expect(suite.emu.flows(DEV_WABA_ID)).toHaveLength(2);
  });
  it("fails clearly on an unknown WABA, creating nothing", async () => {
    await expect(flowHooks.create({ ...inputs(), waba: "waba-0000" })).rejects.toThrow(/ResourceNotFoundException/);
  });
});

describe("read", () => {
  it("returns the live flow, keeping the declared inputs", async () => {
    const { id, outs } = await created();
    suite.emu.patchFlow(id, { name: "renamed-by-hand" });
    const r = await flowHooks.read(id, outs);
    expect(r.id).toBe(id);
    expect(r.props).toMatchObject({ name: "renamed-by-hand", status: "DRAFT" });
    expect((r as any).inputs).toBeUndefined();
  });
  it("refreshes many flows from one list of the account, and still sees status and name drift", async () => {
    const made = [];
    for (const name of ["a", "b", "c"]) made.push(await flowHooks.create({ ...inputs(), name }));
    suite.emu.patchFlow(made[1].id, { status: "PUBLISHED" });
    suite.emu.patchFlow(made[2].id, { name: "renamed by hand" });
    resetClaims(); // `pulumi refresh` is a deployment of its own
    suite.emu.clearRequests();
    const read: any[] = [];
    for (const m of made) read.push((await flowHooks.read(m.id, m.outs)).props);
    expect(ops()).toEqual(["ListWhatsAppFlows"]);
    expect(read.map((p) => [p.status, p.name])).toEqual([
      ["DRAFT", "a"],
      ["PUBLISHED", "b"],
      ["DRAFT", "renamed by hand"],
    ]);
  });
  it("returns an empty id for a flow deleted outside Pulumi", async () => {
    const { id, outs } = await created();
    suite.emu.deleteFlow(id);
    expect((await flowHooks.read(id, outs)).id).toBe("");
  });
});

describe("update", () => {
  it("renames a draft in place", async () => {
    const { id, outs } = await created();
    suite.emu.clearRequests();
    const r = await flowHooks.update(id, outs, inputs("signup-v2"));
    expect(ops()).toEqual(["GetWhatsAppFlow", "UpdateWhatsAppFlow"]);
    expect(suite.emu.flow(id)!.name).toBe("signup-v2");
    expect(r.outs).toMatchObject({ flowId: id, name: "signup-v2", status: "DRAFT" });
  });
  it("publishes a published flow again after the metadata update re-drafted it", async () => {
    const { id, outs } = await created("signup", "PUBLISHED");
    suite.emu.clearRequests();
    const r = await flowHooks.update(id, outs, { ...inputs(), categories: ["SIGN_UP", "LEAD_GENERATION"] });
    // No read after the writes: the outputs come from what the calls did, and match the vendor.
    // The state says DRAFT (FlowAssets published it since), so the flow is read; the publish follows the edit at once.
    expect(ops()).toEqual(["GetWhatsAppFlow", "UpdateWhatsAppFlow", "PublishWhatsAppFlow"]);
    expect(r.outs).toMatchObject({ status: "PUBLISHED", categories: ["SIGN_UP", "LEAD_GENERATION"] });
    expect(suite.emu.flow(id)).toMatchObject({ status: "PUBLISHED", categories: ["SIGN_UP", "LEAD_GENERATION"] });
  });
  it("refuses to edit a deprecated flow", async () => {
    const { id, outs } = await created("signup", "PUBLISHED");
    suite.emu.patchFlow(id, { status: "DEPRECATED" });
    await expect(flowHooks.update(id, outs, inputs("x"))).rejects.toThrow(/cannot be edited, published or revived/);
  });
  it("says how to recover when the flow was deleted outside Pulumi", async () => {
    const { id, outs } = await created();
    suite.emu.deleteFlow(id);
    await expect(flowHooks.update(id, outs, inputs("x"))).rejects.toThrow(/pulumi refresh/);
  });
});

describe("delete", () => {
  it("deletes a draft", async () => {
    const { id, outs } = await created();
    await flowHooks.delete(id, outs);
    expect(suite.emu.flow(id)).toBeUndefined();
  });
  it("deprecates a published flow and never deletes it", async () => {
    const { id, outs } = await created("signup", "PUBLISHED");
    suite.emu.clearRequests();
    await flowHooks.delete(id, outs);
    expect(suite.emu.flow(id)!.status).toBe("DEPRECATED");
    expect(ops()).not.toContain("DeleteWhatsAppFlow");
  });
  it.each(["THROTTLED", "BLOCKED"] as const)("deprecates a %s flow", async (status) => {
    const { id, outs } = await created("signup", "PUBLISHED");
    suite.emu.patchFlow(id, { status });
    await flowHooks.delete(id, outs);
    expect(suite.emu.flow(id)!.status).toBe("DEPRECATED");
  });
  it("does nothing for an already deprecated or vanished flow", async () => {
    const a = await created("a", "PUBLISHED");
    suite.emu.patchFlow(a.id, { status: "DEPRECATED" });
    const b = await created("b");
    suite.emu.deleteFlow(b.id);
    suite.emu.clearRequests();
    await flowHooks.delete(a.id, a.outs);
    await flowHooks.delete(b.id, b.outs);
    // One read each, and one list (shared by the deployment, which wrote nothing meanwhile) to look for a
    // live replacement (`<name> (v2)`) before giving up: nothing is changed.
    expect(ops()).toEqual(["GetWhatsAppFlow", "ListWhatsAppFlows", "GetWhatsAppFlow"]);
    expect(suite.emu.flow(a.id)!.status).toBe("DEPRECATED");
  });
  it("a single Flow without a hand-over reads its flow: no paged list of the account for one flow", async () => {
    const { id, outs } = await created("signup", "PUBLISHED");
    suite.emu.clearRequests();
    await flowHooks.delete(id, outs);
    expect(ops()).toEqual(["GetWhatsAppFlow", "DeprecateWhatsAppFlow"]);
  });
  it("after a stopped destroy (FlowAssets gone, no hand-over), one list serves the Flows' deletes instead of a read each", async () => {
    const made = [];
    for (const name of ["a", "b", "c", "d"]) made.push(await created(name, "PUBLISHED"));
    const draft = await created("e");
    suite.emu.clearRequests();
    for (const m of [...made, draft]) await flowHooks.delete(m.id, m.outs);
    // The first reads its flow (it may be the only one); the second takes the list, which serves the rest
    // (our deprecations patch it). Without the list: 5 reads.
    expect(ops()).toEqual([
      "GetWhatsAppFlow",
      "DeprecateWhatsAppFlow",
      "ListWhatsAppFlows",
      "DeprecateWhatsAppFlow",
      "DeprecateWhatsAppFlow",
      "DeprecateWhatsAppFlow",
      "DeleteWhatsAppFlow",
    ]);
    for (const m of made) expect(suite.emu.flow(m.id)!.status).toBe("DEPRECATED");
    expect(suite.emu.flow(draft.id)).toBeUndefined();
  });
  it("uses a list the deployment already holds, even for its first Flow delete", async () => {
    const { id, outs } = await created("signup", "PUBLISHED");
    const other = await created("other");
    await flowHooks.read(other.id, other.outs); // a refresh-like read takes the account's list
    suite.emu.clearRequests();
    await flowHooks.delete(id, outs);
    expect(ops()).toEqual(["DeprecateWhatsAppFlow"]);
  });
  it("follows a stale recorded id to the live successor the list shows, and retires that one", async () => {
    // The FlowAssets replaced the recorded flow (deprecated) with `signup (v2)`, live; the Flow's state still
    // records the old id. Deprecating the recorded id would be "already deprecated", i.e. done, leaving v2 live.
    const first = await created("first", "PUBLISHED");
    const { id, outs } = await created("signup", "PUBLISHED");
    const v2 = await created("signup (v2)", "PUBLISHED");
    suite.emu.patchFlow(id, { status: "DEPRECATED" });
    suite.emu.clearRequests();
    await flowHooks.delete(first.id, first.outs);
    await flowHooks.delete(id, outs);
    expect(ops()).toEqual(["GetWhatsAppFlow", "DeprecateWhatsAppFlow", "ListWhatsAppFlows", "DeprecateWhatsAppFlow"]);
    expect(JSON.stringify(suite.emu.requests().at(-1))).toContain(v2.id);
    expect(suite.emu.flow(v2.id)!.status).toBe("DEPRECATED");
  });
  it("does nothing, without a read, for a recorded flow the list shows deprecated with no live successor", async () => {
    const first = await created("first", "PUBLISHED");
    const { id, outs } = await created("signup", "PUBLISHED");
    suite.emu.patchFlow(id, { status: "DEPRECATED" });
    suite.emu.clearRequests();
    await flowHooks.delete(first.id, first.outs);
    await flowHooks.delete(id, outs);
    expect(ops()).toEqual(["GetWhatsAppFlow", "DeprecateWhatsAppFlow", "ListWhatsAppFlows"]);
  });
  it("reads a flow the list does not show (gone must be proven by a read), and the state forgets it", async () => {
    const first = await created("first", "PUBLISHED");
    const gone = await created("gone", "PUBLISHED");
    suite.emu.deleteFlow(gone.id);
    suite.emu.clearRequests();
    await flowHooks.delete(first.id, first.outs);
    await flowHooks.delete(gone.id, gone.outs);
    expect(ops()).toEqual(["GetWhatsAppFlow", "DeprecateWhatsAppFlow", "ListWhatsAppFlows", "GetWhatsAppFlow"]);
  });
  it("reads the flow when the list shows a newer published generation (kept for its templates), and retires both", async () => {
    const first = await created("first", "PUBLISHED");
    const kept = await created("kept", "PUBLISHED");
    const v2 = await created("kept (v2)", "PUBLISHED");
    suite.emu.clearRequests();
    await flowHooks.delete(first.id, first.outs);
    await flowHooks.delete(kept.id, kept.outs);
    const reads = suite.emu.requests({ action: "get" }).map((r) => JSON.stringify(r));
    expect(reads).toHaveLength(3); // first; then kept and its newer generation (the read path of ./live.ts)
    expect(reads[1]).toContain(kept.id);
    expect(suite.emu.flow(kept.id)!.status).toBe("DEPRECATED");
    expect(suite.emu.flow(v2.id)!.status).toBe("DEPRECATED");
  });
  it("deprecates instead when a draft was published between read and delete", async () => {
    const { id, outs } = await created("signup");
    suite.emu.patchFlow(id, { flowJson: VALID_FLOW_JSON });
    // Published by someone else right after our read: the delete is refused, and we deprecate.
    suite.emu.addFault({
      operation: "DeleteWhatsAppFlow",
      action: { kind: "error", status: 400, errorType: "InvalidParametersException", message: "Can't delete published Flow" },
    });
    suite.emu.patchFlow(id, { status: "PUBLISHED" });
    const { status, ...rest } = outs;
    void status;
    await flowHooks.delete(id, { ...rest, status: "DRAFT" } as FlowOutputs);
    expect(suite.emu.flow(id)!.status).toBe("DEPRECATED");
  });
});
