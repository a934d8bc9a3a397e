/** A flow a lost machine left re-drafted (issue 17): named at preview where a diff shows a pending change, republished by up. */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEV_WABA_ID } from "../../emulator";
import { resetClaims } from "../lifecycle/claims";
import { DRY_RUN_INPUT, type FlowAssetsInputs, type FlowAssetsOutputs } from "../model";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { useEmulator } from "./test-helpers";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "..", "..", "tests", "e2e", "fixtures", name), "utf8");
const V1 = fixture("signup-v1.json");
const V2 = fixture("signup-v2.json");

const suite = useEmulator();

const assets = (flowId: string, flowJson: string, publish = true): FlowAssetsInputs => ({
  waba: DEV_WABA_ID,
  flowId,
  flowName: "signup",
  flowJson,
  sourcePath: "flows/signup.json",
  publish,
});

/** A published flow deployed by the hooks (its state), then re-drafted with V2 as a killed run's upload leaves it. */
async function leftDraft(): Promise<{ flowId: string; olds: FlowAssetsOutputs }> {
  const flowId = (await flowHooks.create({ waba: DEV_WABA_ID, name: "signup", categories: ["SIGN_UP"] })).id;
  const checked = await flowAssetsHooks.check({}, assets(flowId, V1));
  const { outs } = await flowAssetsHooks.create(checked.inputs);
  expect(outs.status).toBe("PUBLISHED");
  suite.emu.patchFlow(flowId, { status: "DRAFT", flowJson: V2 });
  resetClaims(); // the next deployment: a new provider process
  suite.emu.clearRequests();
  return { flowId, olds: outs };
}

function stderrLines(): { lines: () => string; restore: () => void } {
  let text = "";
  const spy = jest.spyOn(process.stderr, "write").mockImplementation(((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write);
  return { lines: () => text, restore: () => spy.mockRestore() };
}

test("preview of a pending JSON change: one list names the flow that is not live", async () => {
  const { flowId, olds } = await leftDraft();
  const news = (await flowAssetsHooks.check(olds, assets(flowId, V2))).inputs;
  const err = stderrLines();
  try {
    expect((await flowAssetsHooks.diff(`${flowId}/flow.json`, olds, news)).changes).toBe(true);
    // A second resource of the account in the same preview reads the same list.
    await flowAssetsHooks.diff(`${flowId}/flow.json`, olds, news);
  } finally {
    err.restore();
  }
  expect(err.lines()).toContain(`flow "signup": flow ${flowId} is not live: the vendor says DRAFT, the state PUBLISHED`);
  expect(suite.emu.requests().map((r) => r.action)).toEqual(["list"]);
});

test("no pending change: the preview makes no call (and cannot see the draft: refresh does)", async () => {
  const { flowId, olds } = await leftDraft();
  const news = (await flowAssetsHooks.check(olds, assets(flowId, V1))).inputs;
  expect((await flowAssetsHooks.diff(`${flowId}/flow.json`, olds, news)).changes).toBe(false);
  expect(suite.emu.requests()).toEqual([]);
  // refresh (one list, then the JSON of the flow whose status moved) records it, and the diff then shows a change.
  const props = (await flowAssetsHooks.read(`${flowId}/flow.json`, olds)).props as FlowAssetsOutputs;
  expect(props.status).toBe("DRAFT");
  expect((await flowAssetsHooks.diff(`${flowId}/flow.json`, props, news)).changes).toBe(true);
});

test("up publishes a flow that was live again, even with publish: false", async () => {
  const { flowId, olds } = await leftDraft();
  const news = (await flowAssetsHooks.check(olds, assets(flowId, V2, false))).inputs;
  const err = stderrLines();
  let outs: FlowAssetsOutputs;
  try {
    ({ outs } = await flowAssetsHooks.update(`${flowId}/flow.json`, olds, news));
  } finally {
    err.restore();
  }
  // Planned from the state (issue 18: recorded PUBLISHED, so the upload and the publish): published again
  // without a read, so without the "is a DRAFT now" line a read would have given.
  expect(err.lines()).toContain(`publishing flow ${flowId}`);
  expect(suite.emu.flow(flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V2 });
  expect(outs.status).toBe("PUBLISHED");
});

test("a draft the state records as a draft stays one with publish: false", async () => {
  const { flowId, olds } = await leftDraft();
  const draftOlds = { ...olds, status: "DRAFT", publish: false } as FlowAssetsOutputs;
  const news = (await flowAssetsHooks.check(draftOlds, assets(flowId, V2, false))).inputs;
  await flowAssetsHooks.update(`${flowId}/flow.json`, draftOlds, news);
  expect(suite.emu.flow(flowId)!.status).toBe("DRAFT");
  expect(suite.emu.requests().map((r) => r.action)).not.toContain("publish");
});

test("the program's preview flag: the preview lists and names the flow; the flag never reaches the checked inputs", async () => {
  const { flowId, olds } = await leftDraft();
  const news = (await flowAssetsHooks.check(olds, { ...assets(flowId, V2), [DRY_RUN_INPUT]: true } as FlowAssetsInputs)).inputs;
  expect(news).not.toHaveProperty(DRY_RUN_INPUT);
  const err = stderrLines();
  try {
    expect((await flowAssetsHooks.diff(`${flowId}/flow.json`, olds, news)).changes).toBe(true);
  } finally {
    err.restore();
  }
  expect(err.lines()).toContain(`flow "signup": flow ${flowId} is not live: the vendor says DRAFT, the state PUBLISHED`);
  expect(suite.emu.requests().map((r) => r.action)).toEqual(["list"]);
});

test("the program's update flag: the diff makes no call (up uploads and publishes anyway), and up republishes the draft", async () => {
  const { flowId, olds } = await leftDraft();
  const news = (await flowAssetsHooks.check(olds, { ...assets(flowId, V2), [DRY_RUN_INPUT]: false } as FlowAssetsInputs)).inputs;
  expect(news).not.toHaveProperty(DRY_RUN_INPUT);
  const err = stderrLines();
  try {
    expect((await flowAssetsHooks.diff(`${flowId}/flow.json`, olds, news)).changes).toBe(true);
    expect(suite.emu.requests()).toEqual([]);
    expect((await flowAssetsHooks.update(`${flowId}/flow.json`, olds, news)).outs.status).toBe("PUBLISHED");
  } finally {
    err.restore();
  }
  expect(err.lines()).not.toMatch(/is not live/);
  expect(suite.emu.requests().map((r) => r.action)).toEqual(["upload", "publish"]);
  expect(suite.emu.flow(flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V2 });
});

test.each([
  ["the program says update (the SDK's flag)", false, []],
  ["the program says nothing (a FlowAssets declared without the SDK): one list before the first write", undefined, ["list"]],
])("up of a JSON change of several published flows, %s: then 2 calls a flow", async (_title, flag, lists) => {
  const names = ["a", "b", "c"];
  const deployed: Array<{ flowId: string; olds: FlowAssetsOutputs }> = [];
  for (const name of names) {
    const flowId = (await flowHooks.create({ waba: DEV_WABA_ID, name, categories: ["SIGN_UP"] })).id;
    const checked = await flowAssetsHooks.check({}, { ...assets(flowId, V1), flowName: name });
    deployed.push({ flowId, olds: (await flowAssetsHooks.create(checked.inputs)).outs });
  }
  resetClaims(); // the next deployment
  suite.emu.clearRequests();
  const err = stderrLines();
  try {
    // The engine diffs each resource right before updating it: the diffs after the first write list no more.
    for (const { flowId, olds } of deployed) {
      const raw = { ...assets(flowId, V2), flowName: olds.flowName, ...(flag === undefined ? {} : { [DRY_RUN_INPUT]: flag }) };
      const news = (await flowAssetsHooks.check(olds, raw as FlowAssetsInputs)).inputs;
      expect((await flowAssetsHooks.diff(`${flowId}/flow.json`, olds, news)).changes).toBe(true);
      expect((await flowAssetsHooks.update(`${flowId}/flow.json`, olds, news)).outs.status).toBe("PUBLISHED");
    }
  } finally {
    err.restore();
  }
  expect(err.lines()).not.toMatch(/is not live/);
  expect(suite.emu.requests().map((r) => r.action)).toEqual([...lists, "upload", "publish", "upload", "publish", "upload", "publish"]);
  for (const { flowId } of deployed) expect(suite.emu.flow(flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V2 });
});

test("a diff that comes after a write, before any list, makes no call (only up writes; it publishes the flow anyway)", async () => {
  const { flowId, olds } = await leftDraft();
  // A write of this deployment to the account (another flow's create) comes first.
  await flowHooks.create({ waba: DEV_WABA_ID, name: "other", categories: ["SIGN_UP"] });
  suite.emu.clearRequests();
  const news = (await flowAssetsHooks.check(olds, assets(flowId, V2))).inputs;
  expect((await flowAssetsHooks.diff(`${flowId}/flow.json`, olds, news)).changes).toBe(true);
  expect(suite.emu.requests()).toEqual([]);
});
