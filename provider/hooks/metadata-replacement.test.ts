/**
 * A metadata change of a published WhatsAppFlow on a vendor that will not edit published flows (issue 18):
 * the Flow finds the live flow in its state and the account's one list, with no read (a newer generation may
 * be live: ./live.ts listedLive, resolveLive), replaces it (8x8: one create carrying the declared
 * JSON and `publish`; 360dialog: a clone, then the publish), deprecates the old flow, and its FlowAssets
 * follows the successor without a read or a download.
 */
import { ACCOUNT_REFS } from "../../emulator";
import { VALID_FLOW_JSON } from "../../emulator/test-helpers";
import { resetClaims } from "../lifecycle/claims";
import type { FlowAssetsInputs, FlowAssetsOutputs, FlowInputs, FlowOutputs } from "../model";
import { flowHooks } from "./flow";
import { flowAssetsHooks } from "./flow-assets";
import { useEmulator } from "./test-helpers";

const suite = useEmulator();
const json = (text: string) => VALID_FLOW_JSON.replace('"Hello"', JSON.stringify(text));
const V1 = json("Hello");
const V2 = json("Hello again");

type Vendor = "8x8" | "360dialog";

/** A WhatsAppFlow's two resources as the component declares them. */
const declared = (vendor: Vendor, name: string, categories: string[], flowJson: string) => ({
  flow: { waba: ACCOUNT_REFS.dev[vendor], name, categories, initialAssets: { flowJson, publish: true, sourcePath: `flows/${name}.json` } },
  assets: (flowId: string) => ({
    waba: ACCOUNT_REFS.dev[vendor],
    flowId,
    flowName: name,
    flowJson,
    sourcePath: `flows/${name}.json`,
    publish: true,
  }),
});

/** One `up` of the component: check, diff and create/update of the Flow, then of its FlowAssets. */
async function up(
  d: ReturnType<typeof declared>,
  before?: { flow: { id: string; outs: FlowOutputs }; assets: { id: string; outs: FlowAssetsOutputs } },
) {
  const flowInputs = (await flowHooks.check(before?.flow.outs, d.flow as never)).inputs as FlowInputs;
  let flow: { id: string; outs: FlowOutputs };
  if (!before) flow = await flowHooks.create(flowInputs);
  else {
    expect((await flowHooks.diff(before.flow.id, before.flow.outs, flowInputs)).changes).toBe(true);
    flow = { id: before.flow.id, outs: (await flowHooks.update(before.flow.id, before.flow.outs, flowInputs)).outs };
  }
  const checked = await flowAssetsHooks.check(before?.assets.outs, d.assets(flow.outs.flowId) as never);
  expect(checked.failures).toEqual([]);
  const assetsInputs = checked.inputs as FlowAssetsInputs;
  let assets: { id: string; outs: FlowAssetsOutputs };
  if (!before) assets = await flowAssetsHooks.create(assetsInputs);
  else {
    const diff = await flowAssetsHooks.diff(before.assets.id, before.assets.outs, assetsInputs);
    // The successor the Flow made holds this resource's JSON: an update, not a new FlowAssets.
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    assets = { id: before.assets.id, outs: (await flowAssetsHooks.update(before.assets.id, before.assets.outs, assetsInputs)).outs };
  }
  return { flow, assets };
}

const actions = () => suite.emu.requests().map((r) => r.action);

// Every replacement looks at the account's templates (once per deployment) before deprecating the old flow:
// a template that still sends it keeps it (provider/hooks/retirement.ts).
test.each([
  ["8x8", ["list", "create", "ListTemplates", "deprecate"]],
  ["360dialog", ["list", "create", "publish", "ListTemplates", "deprecate"]],
] as const)("%s: a categories change replaces the flow with %j, and the FlowAssets follows without a call", async (vendor, calls) => {
  const first = await up(declared(vendor, "signup", ["SIGN_UP"], V1));
  expect(first.assets.outs.status).toBe("PUBLISHED");
  resetClaims(); // the next deployment
  suite.emu.clearRequests();
  const next = await up(declared(vendor, "signup", ["SIGN_UP", "LEAD_GENERATION"], V1), first);
  expect(actions()).toEqual(calls);
  const live = next.flow.outs.flowId;
  expect(live).not.toBe(first.flow.outs.flowId);
  expect(suite.emu.flow(first.flow.outs.flowId)!.status).toBe("DEPRECATED");
  expect(suite.emu.flow(live)).toMatchObject({ status: "PUBLISHED", name: "signup (v2)", flowJson: V1 });
  expect(next.assets.outs).toMatchObject({ flowId: live, liveFlowId: live, liveName: "signup (v2)", status: "PUBLISHED", generation: 2 });
  expect(next.assets.outs.flowJsonSha256).toBe(first.assets.outs.flowJsonSha256);
  // The successor is a copy (or carries the same JSON): its version is the one recorded, though nothing was read.
  expect(next.assets.outs.jsonVersion).toBe(first.assets.outs.jsonVersion);
  expect(next.assets.outs.jsonVersion).toBeTruthy();
});

test("8x8: categories and JSON changed together: the successor's create carries the new JSON, and the FlowAssets has nothing left to do", async () => {
  const first = await up(declared("8x8", "signup", ["SIGN_UP"], V1));
  resetClaims();
  suite.emu.clearRequests();
  const next = await up(declared("8x8", "signup", ["SIGN_UP", "LEAD_GENERATION"], V2), first);
  expect(actions()).toEqual(["list", "create", "ListTemplates", "deprecate"]);
  expect(suite.emu.flow(next.flow.outs.flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V2 });
  expect(next.assets.outs.flowJsonSha256).not.toBe(first.assets.outs.flowJsonSha256);
  expect(next.assets.outs).toMatchObject({ liveFlowId: next.flow.outs.flowId, status: "PUBLISHED" });
});

test("8x8: a declared JSON the offline validator refuses is never sent: the flow is cloned as it is, and the FlowAssets' check reports the JSON", async () => {
  const first = await up(declared("8x8", "signup", ["SIGN_UP"], V1));
  resetClaims();
  suite.emu.clearRequests();
  const broken = declared("8x8", "signup", ["SIGN_UP", "LEAD_GENERATION"], "{ not json");
  const flowInputs = (await flowHooks.check(first.flow.outs, broken.flow as never)).inputs as FlowInputs;
  const { outs } = await flowHooks.update(first.flow.id, first.flow.outs, flowInputs);
  expect(actions()).toEqual(["list", "create", "publish", "ListTemplates", "deprecate"]);
  expect(suite.emu.flow(outs.flowId)).toMatchObject({ status: "PUBLISHED", flowJson: V1 });
  const checked = await flowAssetsHooks.check(first.assets.outs, broken.assets(outs.flowId) as never);
  expect(checked.failures[0].reason).toMatch(/flows\/signup\.json/);
});

describe("the list is the only proof: any other picture reads as before (./live.ts listedLive)", () => {
  const categoriesChange = async (vendor: Vendor) => {
    const first = await up(declared(vendor, "signup", ["SIGN_UP"], V1));
    resetClaims();
    suite.emu.clearRequests();
    const d = declared(vendor, "signup", ["SIGN_UP", "LEAD_GENERATION"], V1);
    const flowInputs = (await flowHooks.check(first.flow.outs, d.flow as never)).inputs as FlowInputs;
    return { first, flowInputs, update: (outs = first.flow.outs) => flowHooks.update(first.flow.id, outs, flowInputs) };
  };

  test.each(["8x8", "360dialog"] as const)("%s: a flow deprecated outside Pulumi is read and reported, never replaced", async (vendor) => {
    const { first, update } = await categoriesChange(vendor);
    suite.emu.patchFlow(first.flow.outs.flowId, { status: "DEPRECATED" });
    await expect(update()).rejects.toThrow(/DEPRECATED/);
    expect(actions()).toEqual(["list", "get"]);
    expect(suite.emu.flows().filter((f) => f.name.startsWith("signup"))).toHaveLength(1);
  });

  test.each(["8x8", "360dialog"] as const)("%s: a failing list falls back to the read", async (vendor) => {
    const { first, update } = await categoriesChange(vendor);
    suite.emu.addFault({ vendor, operation: "list", times: 2, action: { kind: "error", status: 500 } });
    const { outs } = await update();
    expect(actions().filter((a) => a !== "list")).toEqual(
      vendor === "8x8" ? ["get", "create", "ListTemplates", "deprecate"] : ["get", "create", "publish", "ListTemplates", "deprecate"],
    );
    expect(suite.emu.flow(first.flow.outs.flowId)!.status).toBe("DEPRECATED");
    expect(suite.emu.flow(outs.flowId)).toMatchObject({ status: "PUBLISHED", name: "signup (v2)" });
  });

  test("8x8: killed between the successor's create and the old flow's deprecate, the next up follows the successor and retires the old flow, no duplicate", async () => {
    const { first, update } = await categoriesChange("8x8");
    // The deprecate never happens (the process died): the state still records the old flow.
    suite.emu.addFault({ vendor: "8x8", operation: "deprecate", times: 2, action: { kind: "error", status: 500 } });
    await expect(update()).rejects.toThrow();
    const successor = suite.emu.flows().find((f) => f.name === "signup (v2)")!;
    expect(successor.status).toBe("PUBLISHED");
    expect(suite.emu.flow(first.flow.outs.flowId)!.status).toBe("PUBLISHED");
    resetClaims();
    suite.emu.clearRequests();
    // The list shows a newer generation live: the update reads (the recorded flow, then the successor) and
    // has nothing left to replace; the old flow, sent by no template, is deprecated.
    const { outs } = await update();
    expect(actions()).toEqual(["list", "get", "get", "ListTemplates", "deprecate"]);
    expect(outs).toMatchObject({ flowId: successor.flowId, liveName: "signup (v2)", generation: 2, status: "PUBLISHED" });
    expect(suite.emu.flow(first.flow.outs.flowId)!.status).toBe("DEPRECATED");
    expect(suite.emu.flows().filter((f) => f.name.startsWith("signup"))).toHaveLength(2);
  });

  test("360dialog: killed between the clone and its publish, the next up resumes the draft successor, no duplicate", async () => {
    const { first, update } = await categoriesChange("360dialog");
    suite.emu.addFault({ vendor: "360dialog", operation: "publish", times: 2, action: { kind: "error", status: 500 } });
    await expect(update()).rejects.toThrow();
    expect(suite.emu.flows().find((f) => f.name === "signup (v2)")!.status).toBe("DRAFT");
    resetClaims();
    suite.emu.clearRequests();
    // A DRAFT successor is not live: the recorded flow is, and the replacement resumes its own successor.
    const { outs } = await update();
    expect(actions().slice(0, 2)).toEqual(["list", "create"]); // no read first; the create finds the name taken
    expect(suite.emu.flow(outs.flowId)).toMatchObject({ status: "PUBLISHED", name: "signup (v2)" });
    expect(suite.emu.flow(first.flow.outs.flowId)!.status).toBe("DEPRECATED");
    expect(suite.emu.flows().filter((f) => f.name.startsWith("signup"))).toHaveLength(2);
  });

  test("360dialog: an answer saying the state is out of date (INVALID_STATE) sends the update to the read, which plans again", async () => {
    const { first, update } = await categoriesChange("360dialog");
    suite.emu.addFault({
      vendor: "360dialog",
      operation: "create",
      times: 1,
      action: { kind: "error", status: 400, message: "The Flow and its assets become immutable once published" },
    });
    const { outs } = await update();
    expect(actions()).toEqual(["list", "create", "get", "list", "create", "publish", "ListTemplates", "deprecate"]);
    expect(suite.emu.flow(outs.flowId)).toMatchObject({ status: "PUBLISHED", name: "signup (v2)" });
    expect(suite.emu.flow(first.flow.outs.flowId)!.status).toBe("DEPRECATED");
  });
});
